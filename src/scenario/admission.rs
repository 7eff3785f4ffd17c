//! Resolves a `delayed_admission` benefit line: for `share` of the programme's users, an
//! admission to residential or nursing care that would have come `after_months` after install
//! is delayed `weeks_delayed` weeks, saving `weekly_cost` less `community_weekly_cost` a week.

use super::document::RawBenefit;
use super::lines::required_counts;
use super::params::Domain;
use super::profile::MAX_MONTHS;
use super::resolve::{Builder, Result, fail, key};
use crate::model::spec::{BenefitRule, Exposure};
use crate::model::vocabulary::Counts;
use rust_decimal::Decimal;

impl Builder {
    pub(super) fn delayed_admission(
        &mut self,
        raw: &RawBenefit,
        keys: &[String],
    ) -> Result<BenefitRule> {
        // Users there at the start have no install date to count `after_months` from.
        if required_counts(raw.counts, keys)? == Counts::All {
            return fail(
                &key(keys, "counts"),
                "a delayed admission counts `programme` users only: users there at the start have no install date to count `after_months` from",
            );
        }
        Ok(BenefitRule::DelayedAdmission {
            share: self.needed(raw.share.as_ref(), keys, "share", Domain::Fraction)?,
            after_months: self.needed(
                raw.after_months.as_ref(),
                keys,
                "after_months",
                Domain::UpTo(Decimal::from(MAX_MONTHS)),
            )?,
            weeks_delayed: self.needed(
                raw.weeks_delayed.as_ref(),
                keys,
                "weeks_delayed",
                Domain::NonNegative,
            )?,
            weekly_cost: self.needed(
                raw.weekly_cost.as_ref(),
                keys,
                "weekly_cost",
                Domain::NonNegative,
            )?,
            community_weekly_cost: self.scalar_or(
                raw.community_weekly_cost.as_ref(),
                &key(keys, "community_weekly_cost"),
                Domain::NonNegative,
                Decimal::ZERO,
                "no community package kept during the delay",
            )?,
            uprating: self.uprating(raw.uprating.as_ref(), raw.price_year.as_ref(), keys)?,
            exposure: Exposure {
                cohorts: self.cohort_choice(raw.cohort.as_ref(), keys)?,
                ..Exposure::all_time(Counts::Programme)
            },
        })
    }
}
