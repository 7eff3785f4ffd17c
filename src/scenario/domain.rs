//! The range of values an input may take ([`Domain`]): what cannot be is refused, and a legal
//! value that is probably a mistake draws a warning.

use rust_decimal::Decimal;

/// The values a parameter may take; checked after `extends` overrides and scale factors are
/// applied, and on every value a sweep, tornado, solve or distribution gives it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Zero or more: counts, money.
    NonNegative,
    /// Zero or more and not above one: shares, realisation, attrition, a post's phasing.
    Fraction,
    /// A yearly rate above -100% and at most 100%: uprating (may be negative).
    Rate,
    /// Above zero: a benefit's duration in years.
    Positive,
    /// Weeks in a year: above zero and at most [`MAX_WEEKS`].
    Weeks,
    /// Hours in a week: zero to [`MAX_HOURS_PER_WEEK`].
    HoursPerWeek,
    /// The discount rate: a [`Domain::Rate`], with a warning outside [`DISCOUNT_ADVISED`].
    DiscountRate,
    /// The optimism-bias uplift: zero or more, with a warning above [`MAX_ADVISED_UPLIFT`].
    Uplift,
    /// From zero to this many: months after install, a start month within the horizon.
    UpTo(Decimal),
}

/// A year has 365.25 / 7 = 52.18 weeks (to two places): no more can be paid or charged.
pub const MAX_WEEKS: Decimal = Decimal::from_parts(5218, 0, 0, false, 2);
/// A week has 168 hours.
pub const MAX_HOURS_PER_WEEK: Decimal = Decimal::from_parts(168, 0, 0, false, 0);
/// Discount rates outside -5% to 20% a year are legal but draw a warning.
pub const DISCOUNT_ADVISED: (Decimal, Decimal) = (
    Decimal::from_parts(5, 0, 0, true, 2),
    Decimal::from_parts(20, 0, 0, false, 2),
);
/// An optimism bias above 200% is legal but draws a warning (the Green Book's upper values
/// for the riskiest projects are near 200%; 20 is more likely 20% written as a whole number).
pub const MAX_ADVISED_UPLIFT: Decimal = Decimal::from_parts(2, 0, 0, false, 0);

impl Domain {
    /// The lowest value allowed, and whether it is itself allowed.
    pub fn lowest(self) -> (Decimal, bool) {
        match self {
            Domain::NonNegative
            | Domain::Fraction
            | Domain::HoursPerWeek
            | Domain::Uplift
            | Domain::UpTo(_) => (Decimal::ZERO, true),
            Domain::Rate | Domain::DiscountRate => (-Decimal::ONE, false),
            Domain::Positive | Domain::Weeks => (Decimal::ZERO, false),
        }
    }

    /// The highest value allowed (itself allowed), if any.
    pub fn highest(self) -> Option<Decimal> {
        match self {
            Domain::Fraction | Domain::Rate | Domain::DiscountRate => Some(Decimal::ONE),
            Domain::Weeks => Some(MAX_WEEKS),
            Domain::HoursPerWeek => Some(MAX_HOURS_PER_WEEK),
            Domain::UpTo(max) => Some(max),
            Domain::NonNegative | Domain::Positive | Domain::Uplift => None,
        }
    }

    /// Whether `value` (a float, for a distribution's support) is allowed.
    pub fn allows_f64(self, value: f64) -> bool {
        use rust_decimal::prelude::ToPrimitive;
        let (low, inclusive) = self.lowest();
        let low = low.to_f64().unwrap_or(0.0);
        let above = if inclusive { value >= low } else { value > low };
        above
            && self
                .highest()
                .is_none_or(|h| value <= h.to_f64().unwrap_or(f64::INFINITY))
    }

    pub fn check(self, value: Decimal) -> Result<(), String> {
        let (low, inclusive) = self.lowest();
        let above = if inclusive { value >= low } else { value > low };
        if above && self.highest().is_none_or(|h| value <= h) {
            Ok(())
        } else {
            Err(format!("must be {}, got {value}", self.describe()))
        }
    }

    pub fn describe(self) -> String {
        let text = match self {
            Domain::UpTo(max) => return format!("from 0 to {max}"),
            Domain::NonNegative | Domain::Uplift => "zero or more",
            Domain::Fraction => "between 0 and 1 (a share: 75% is 0.75)",
            Domain::Rate | Domain::DiscountRate => {
                "a yearly rate above -1 and at most 1 (3.5% is 0.035)"
            }
            Domain::Positive => "above zero",
            Domain::Weeks => "above zero and at most 52.18 (a year is 365.25 / 7 weeks)",
            Domain::HoursPerWeek => "from 0 to 168 (the hours in a week)",
        };
        text.into()
    }

    /// For a legal value that is probably a mistake, what to check.
    pub fn advice(self, value: Decimal) -> Option<String> {
        let shown = value.normalize();
        match self {
            Domain::DiscountRate if value < DISCOUNT_ADVISED.0 || value > DISCOUNT_ADVISED.1 => {
                Some(format!(
                    "a discount rate of {shown} is outside -0.05 to 0.2 (-5% to 20% a year); the Green Book rate is 0.035"
                ))
            }
            Domain::Uplift if value > MAX_ADVISED_UPLIFT => Some(format!(
                "an optimism bias of {shown} adds {}% to the costs it applies to; a share is written as a decimal (20% is 0.2)",
                (value * Decimal::ONE_HUNDRED).normalize()
            )),
            _ => None,
        }
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
    fn hard_ranges_hold_at_their_ends() {
        for (domain, allowed, refused) in [
            (
                Domain::Weeks,
                &["52.18", "52", "0.5"][..],
                &["52.19", "0", "-1", "365"][..],
            ),
            (
                Domain::HoursPerWeek,
                &["0", "168", "2"][..],
                &["168.01", "-0.5", "200"][..],
            ),
            (
                Domain::Fraction,
                &["0", "1", "0.5"][..],
                &["1.0001", "-0.1", "100"][..],
            ),
            (
                Domain::DiscountRate,
                &["-0.99", "1", "0.035"][..],
                &["-1", "1.01"][..],
            ),
            (Domain::Uplift, &["0", "20"][..], &["-0.01"][..]),
        ] {
            for value in allowed {
                assert!(domain.check(d(value)).is_ok(), "{domain:?} {value}");
                assert!(
                    domain.allows_f64(value.parse().unwrap()),
                    "{domain:?} {value}"
                );
            }
            for value in refused {
                assert!(domain.check(d(value)).is_err(), "{domain:?} {value}");
                assert!(
                    !domain.allows_f64(value.parse().unwrap()),
                    "{domain:?} {value}"
                );
            }
        }
    }

    #[test]
    fn extreme_but_legal_values_are_advised_on() {
        let advised = |domain: Domain, value: &str| domain.advice(d(value)).is_some();
        assert!(!advised(Domain::DiscountRate, "-0.05") && !advised(Domain::DiscountRate, "0.2"));
        assert!(
            advised(Domain::DiscountRate, "-0.0501") && advised(Domain::DiscountRate, "0.2001")
        );
        assert!(!advised(Domain::Uplift, "2") && advised(Domain::Uplift, "2.01"));
        assert!(!advised(Domain::Rate, "-0.9") && !advised(Domain::NonNegative, "1e9"));
    }
}
