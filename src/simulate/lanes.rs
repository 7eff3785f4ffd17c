//! Eight iterations evaluated at once: a number type whose arithmetic works lane by lane, so
//! the Monte Carlo runs the same generic engine as `run` with its overhead shared by 8 draws.

use crate::number::Num;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::ops::{Add, Div, Mul, Sub};

/// Iterations per evaluation.
pub const LANES: usize = 8;

/// One f64 per iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lanes(pub [f64; LANES]);

impl Lanes {
    pub fn splat(value: f64) -> Self {
        Lanes([value; LANES])
    }
}

macro_rules! lane_op {
    ($trait:ident, $method:ident, $op:tt) => {
        impl $trait for Lanes {
            type Output = Lanes;
            #[inline]
            fn $method(self, rhs: Lanes) -> Lanes {
                let mut out = self.0;
                for (a, b) in out.iter_mut().zip(rhs.0) {
                    *a $op b;
                }
                Lanes(out)
            }
        }
    };
}
lane_op!(Add, add, +=);
lane_op!(Sub, sub, -=);
lane_op!(Mul, mul, *=);
lane_op!(Div, div, /=);

impl PartialOrd for Lanes {
    /// Ordered only when every lane agrees; the engine compares through `select_less`, which
    /// works lane by lane, so this is only a fallback.
    fn partial_cmp(&self, other: &Lanes) -> Option<Ordering> {
        let first = self.0[0].partial_cmp(&other.0[0])?;
        self.0
            .iter()
            .zip(other.0)
            .all(|(a, b)| a.partial_cmp(&b) == Some(first))
            .then_some(first)
    }
}

impl Num for Lanes {
    fn from_decimal(value: Decimal) -> Self {
        Lanes::splat(f64::from_decimal(value))
    }
    fn from_int(value: i64) -> Self {
        Lanes::splat(value as f64)
    }
    fn round_dp(self, places: u32) -> Self {
        Lanes(self.0.map(|x| x.round_dp(places)))
    }
    fn is_valid(self) -> bool {
        self.0.iter().all(|x| x.is_finite())
    }
    fn to_decimal(self) -> Option<Decimal> {
        // A single value only when every lane holds it.
        self.0
            .iter()
            .all(|x| *x == self.0[0])
            .then(|| self.0[0].to_decimal())
            .flatten()
    }
    fn select_less(self, bound: Self, then: Self, otherwise: Self) -> Self {
        Lanes(std::array::from_fn(|i| {
            if self.0[i] < bound.0[i] {
                then.0[i]
            } else {
                otherwise.0[i]
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, evaluate, evaluate_into};

    #[test]
    fn lanes_evaluate_exactly_as_eight_scalar_runs() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/leicestershire/option2-business-case.yaml");
        let scenario = crate::scenario::load(&path).unwrap();
        let base: Vec<f64> = scenario.params_as();
        // Vary every input a little differently in each lane.
        let lanes: Vec<Lanes> = base
            .iter()
            .enumerate()
            .map(|(i, v)| {
                Lanes(std::array::from_fn(|l| {
                    v * (1.0 + 0.01 * ((i + l) % 5) as f64)
                }))
            })
            .collect();
        let mut outcome = Outcome::default();
        evaluate_into(&scenario.model, &lanes, &mut outcome);
        for lane in 0..LANES {
            let scalar: Vec<f64> = lanes.iter().map(|v| v.0[lane]).collect();
            let single = evaluate(&scenario.model, &scalar);
            for (a, b) in outcome.totals.iter().zip(&single.totals) {
                assert_eq!(
                    a.cumulative_net.0[lane].to_bits(),
                    b.cumulative_net.to_bits()
                );
                assert_eq!(
                    a.discounted_net.0[lane].to_bits(),
                    b.discounted_net.to_bits()
                );
            }
        }
    }
}
