//! A user-derived benefit line's time profile: `lag_months`, `duration_years` or
//! `duration_months`, and `drop_off`, each an input with its range.

use super::document::RawBenefit;
use super::params::Domain;
use super::resolve::{Builder, Result, fail, key};
use crate::model::spec::{Duration, Exposure, Profile};
use crate::model::vocabulary::Counts;
use rust_decimal::Decimal;

/// The longest lag or time after install accepted, in months (50 years): beyond any horizon
/// (60 years at most, and a lag past the horizon's end only makes the line zero).
pub const MAX_MONTHS: u32 = 600;

impl Builder {
    /// Which users a user-derived benefit line counts, and when in their time since install.
    pub(super) fn benefit_exposure(
        &mut self,
        raw: &RawBenefit,
        counts: Counts,
        keys: &[String],
    ) -> Result<Exposure> {
        Ok(Exposure {
            counts,
            cohorts: self.cohort_choice(raw.cohort.as_ref(), keys)?,
            profile: self.profile(raw, keys)?,
        })
    }

    fn profile(&mut self, raw: &RawBenefit, keys: &[String]) -> Result<Profile> {
        let lag_months = match &raw.lag_months {
            Some(input) => Some(self.scalar(
                input,
                &key(keys, "lag_months"),
                Domain::UpTo(Decimal::from(MAX_MONTHS)),
            )?),
            None => None,
        };
        let duration = match (&raw.duration_years, &raw.duration_months) {
            (Some(_), Some(_)) => {
                return fail(
                    &key(keys, "duration_months"),
                    "give `duration_years` or `duration_months`, not both",
                );
            }
            (Some(years), None) => Some(Duration::Years(self.scalar(
                years,
                &key(keys, "duration_years"),
                Domain::Positive,
            )?)),
            (None, Some(months)) => Some(Duration::Months(self.scalar(
                months,
                &key(keys, "duration_months"),
                Domain::Positive,
            )?)),
            (None, None) => {
                self.params.setting(&key(keys, "duration_years"), None, || {
                    (
                        "none".into(),
                        "a user's benefit lasts for as long as they stay".into(),
                    )
                });
                None
            }
        };
        let drop_off = match &raw.drop_off {
            Some(input) => Some(self.scalar(input, &key(keys, "drop_off"), Domain::Fraction)?),
            None => None,
        };
        Ok(Profile {
            lag_months,
            duration,
            drop_off,
        })
    }
}
