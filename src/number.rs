//! The number types the model is generic over: exact decimals for `run`, f64 for sampling.
//!
//! The engine is written once against [`Num`]. [`Exact`] wraps `rust_decimal::Decimal` and
//! behaves like a float's NaN on failure: an overflow or a division by zero poisons the value
//! instead of panicking, and the caller checks [`Num::is_valid`] on the outputs.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;
use std::ops::{Add, Div, Mul, Sub};

/// Arithmetic the model needs. Implemented by [`Exact`] and `f64`.
pub trait Num:
    Copy
    + PartialOrd
    + fmt::Debug
    + Send
    + Sync
    + Add<Output = Self>
    + Sub<Output = Self>
    + Mul<Output = Self>
    + Div<Output = Self>
{
    /// Converts an input read from a scenario file.
    fn from_decimal(value: Decimal) -> Self;
    /// Converts a small whole number (a year index, a count of weeks).
    fn from_int(value: i64) -> Self {
        Self::from_decimal(Decimal::from(value))
    }
    #[inline(always)]
    fn zero() -> Self {
        Self::from_int(0)
    }
    #[inline(always)]
    fn one() -> Self {
        Self::from_int(1)
    }
    /// Rounds to `places` decimal places, half away from zero (council tables).
    fn round_dp(self, places: u32) -> Self;
    /// False once an overflow, a division by zero or a non-finite value has occurred.
    fn is_valid(self) -> bool;
    /// The value as an exact decimal, if it is valid and fits.
    fn to_decimal(self) -> Option<Decimal>;
    /// `self` raised to a non-negative whole power, by repeated multiplication so that
    /// exact decimals stay exact.
    #[inline(always)]
    fn powi(self, exponent: u32) -> Self {
        let mut result = Self::one();
        for _ in 0..exponent {
            result = result * self;
        }
        result
    }
    /// `then` where `self < bound`, else `otherwise`; lane by lane for a vector type.
    #[inline(always)]
    fn select_less(self, bound: Self, then: Self, otherwise: Self) -> Self {
        if self < bound { then } else { otherwise }
    }
}

/// An exact decimal that records overflow instead of panicking.
#[derive(Clone, Copy, PartialEq, PartialOrd)]
pub struct Exact(Option<Decimal>);

impl Exact {
    pub fn new(value: Decimal) -> Self {
        Exact(Some(value))
    }
    /// The value, or `None` after an overflow or a division by zero.
    pub fn get(self) -> Option<Decimal> {
        self.0
    }
}

impl fmt::Debug for Exact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(v) => write!(f, "{v}"),
            None => f.write_str("overflow"),
        }
    }
}

macro_rules! checked_op {
    ($trait:ident, $method:ident, $checked:ident) => {
        impl $trait for Exact {
            type Output = Exact;
            fn $method(self, rhs: Exact) -> Exact {
                match (self.0, rhs.0) {
                    (Some(a), Some(b)) => Exact(a.$checked(b)),
                    _ => Exact(None),
                }
            }
        }
    };
}
checked_op!(Add, add, checked_add);
checked_op!(Sub, sub, checked_sub);
checked_op!(Mul, mul, checked_mul);
checked_op!(Div, div, checked_div);

impl Num for Exact {
    fn from_decimal(value: Decimal) -> Self {
        Exact(Some(value))
    }
    fn round_dp(self, places: u32) -> Self {
        Exact(
            self.0
                .map(|v| v.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)),
        )
    }
    fn is_valid(self) -> bool {
        self.0.is_some()
    }
    fn to_decimal(self) -> Option<Decimal> {
        self.0
    }
}

impl Num for f64 {
    fn from_decimal(value: Decimal) -> Self {
        value.to_f64().unwrap_or(f64::NAN)
    }
    fn from_int(value: i64) -> Self {
        value as f64
    }
    fn round_dp(self, places: u32) -> Self {
        if places == 0 {
            return round_half_away(self);
        }
        let scale = 10f64.powi(places as i32);
        round_half_away(self * scale) / scale
    }
    fn is_valid(self) -> bool {
        self.is_finite()
    }
    fn to_decimal(self) -> Option<Decimal> {
        Decimal::from_f64_retain(self)
    }
}

/// Rounds half away from zero, as `f64::round` does, in a few instructions and no branches
/// (so a loop of them vectorises): adding and subtracting 2^52 rounds to a whole number
/// exactly, and the fraction is then compared exactly.
#[inline(always)]
pub(crate) fn round_half_away(x: f64) -> f64 {
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    let magnitude = x.abs();
    let nearest = (magnitude + TWO_52) - TWO_52;
    let whole = if nearest > magnitude {
        nearest - 1.0
    } else {
        nearest
    };
    let rounded = if magnitude - whole >= 0.5 {
        whole + 1.0
    } else {
        whole
    };
    // Beyond 2^52 every f64 is whole; NaN and infinity fail the comparison and pass unchanged.
    if magnitude < TWO_52 {
        rounded.copysign(x)
    } else {
        x
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero_like_council_tables() {
        // Hertfordshire publishes 43,813 x 0.5 as 21,907.
        assert_eq!(Exact::new(d("21906.5")).round_dp(0).get(), Some(d("21907")));
        assert_eq!(
            Exact::new(d("-21906.5")).round_dp(0).get(),
            Some(d("-21907"))
        );
        assert_eq!(Exact::new(d("2.345")).round_dp(2).get(), Some(d("2.35")));
        assert_eq!(21906.5_f64.round_dp(0), 21907.0);
        for x in [
            0.5,
            1.5,
            2.5,
            -2.5,
            0.49999999999999994,
            1e300,
            -0.0,
            123456.789,
            4.5e15 + 0.5,
        ] {
            assert_eq!(round_half_away(x).to_bits(), x.round().to_bits(), "{x}");
        }
        assert!(round_half_away(f64::NAN).is_nan());
    }

    #[test]
    fn overflow_poisons_instead_of_panicking() {
        let huge = Exact::new(Decimal::MAX);
        assert!(!(huge + huge).is_valid());
        assert!(!(huge * huge + Exact::one()).is_valid());
        assert!(!(Exact::one() / Exact::zero()).is_valid());
        assert!((Exact::one() + Exact::one()).is_valid());
    }

    #[test]
    fn powers_stay_exact() {
        assert_eq!(Exact::new(d("1.035")).powi(2).get(), Some(d("1.071225")));
        assert_eq!(Exact::new(d("7")).powi(0).get(), Some(d("1")));
    }
}
