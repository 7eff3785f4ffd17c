//! Many iterations evaluated at once: a number type whose arithmetic works lane by lane, so
//! the Monte Carlo runs the same generic engine as `run` with its overhead (walking the
//! model's lines, years and cohorts) shared by `W` draws, and each operation a loop the
//! compiler vectorises.

use crate::number::{Num, round_half_away};
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::ops::{Add, Div, Mul, Sub};

/// Iterations per evaluation when the Monte Carlo falls back to the engine itself (see
/// `run::Evaluator`): 8 to 64 lanes measured within a fifth of each other, and 8 keeps each
/// value in a few registers.
pub const LANES: usize = 8;

/// One f64 per iteration.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lanes<const W: usize = LANES>(pub [f64; W]);

impl<const W: usize> AsMut<[f64]> for Lanes<W> {
    fn as_mut(&mut self) -> &mut [f64] {
        &mut self.0
    }
}

impl<const W: usize> Lanes<W> {
    #[inline(always)]
    pub fn splat(value: f64) -> Self {
        Lanes([value; W])
    }
}

macro_rules! lane_op {
    ($trait:ident, $method:ident, $op:tt) => {
        impl<const W: usize> $trait for Lanes<W> {
            type Output = Lanes<W>;
            #[inline(always)]
            fn $method(self, rhs: Lanes<W>) -> Lanes<W> {
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

impl<const W: usize> PartialOrd for Lanes<W> {
    /// Ordered only when every lane agrees; the engine compares through `select_less`, which
    /// works lane by lane, so this is only a fallback.
    fn partial_cmp(&self, other: &Lanes<W>) -> Option<Ordering> {
        let first = self.0[0].partial_cmp(&other.0[0])?;
        self.0
            .iter()
            .zip(other.0)
            .all(|(a, b)| a.partial_cmp(&b) == Some(first))
            .then_some(first)
    }
}

impl<const W: usize> Num for Lanes<W> {
    #[inline(always)]
    fn from_decimal(value: Decimal) -> Self {
        Lanes::splat(f64::from_decimal(value))
    }
    #[inline(always)]
    fn from_int(value: i64) -> Self {
        Lanes::splat(value as f64)
    }
    #[inline(always)]
    fn round_dp(self, places: u32) -> Self {
        // The same arithmetic as f64's `round_dp`, with the branch on `places` out of the loop.
        let mut out = self.0;
        if places == 0 {
            for x in out.iter_mut() {
                *x = round_half_away(*x);
            }
        } else {
            let scale = 10f64.powi(places as i32);
            for x in out.iter_mut() {
                *x = round_half_away(*x * scale) / scale;
            }
        }
        Lanes(out)
    }
    #[inline(always)]
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
    #[inline(always)]
    fn select_less(self, bound: Self, then: Self, otherwise: Self) -> Self {
        let mut out = otherwise.0;
        for ((o, t), (a, b)) in out.iter_mut().zip(then.0).zip(self.0.iter().zip(bound.0)) {
            if *a < b {
                *o = t;
            }
        }
        Lanes(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Outcome, evaluate, evaluate_into};

    #[test]
    fn lanes_evaluate_exactly_as_scalar_runs() {
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
