//! Resolves a benefit line: its kind's fields and their ranges, which users it counts and
//! when (its exposure), its adjustments and who gains it.

use super::document::*;
use super::lines::required_counts;
use super::params::Domain;
use super::resolve::{Builder, Result, key, label};
use crate::model::spec::*;
use rust_decimal::Decimal;

/// The fields every user-derived kind may have besides its own: which users, and when in
/// their time since install (see [`super::profile`]).
const EXPOSURE: [&str; 6] = [
    "counts",
    "cohort",
    "lag_months",
    "duration_years",
    "duration_months",
    "drop_off",
];
/// The fields of a unit price.
const PRICE: [&str; 2] = ["price_year", "uprating"];

impl Builder {
    pub(super) fn benefit(
        &mut self,
        name: &str,
        keys: &[String],
        raw: &RawBenefit,
    ) -> Result<Line<BenefitRule>> {
        let allowed = |own: &[&'static str]| -> Vec<&'static str> {
            own.iter().chain(&EXPOSURE).chain(&PRICE).copied().collect()
        };
        let rule = match raw.kind {
            BenefitKind::Amounts => {
                self.only(keys, &raw.fields(), &["amounts"], "amounts")?;
                BenefitRule::Amounts(self.amounts(raw.amounts.as_ref(), keys)?)
            }
            BenefitKind::CareHours => {
                self.only(
                    keys,
                    &raw.fields(),
                    &allowed(&[
                        "share",
                        "hours_per_week",
                        "weeks_per_year",
                        "hourly_cost",
                        "realisation",
                    ]),
                    "care_hours",
                )?;
                BenefitRule::CareHours {
                    share: self.needed(raw.share.as_ref(), keys, "share", Domain::Fraction)?,
                    hours_per_week: self.needed(
                        raw.hours_per_week.as_ref(),
                        keys,
                        "hours_per_week",
                        Domain::HoursPerWeek,
                    )?,
                    weeks_per_year: self.scalar_or(
                        raw.weeks_per_year.as_ref(),
                        &key(keys, "weeks_per_year"),
                        Domain::Weeks,
                        Decimal::from(52),
                        "52 weeks a year",
                    )?,
                    hourly_cost: self.needed(
                        raw.hourly_cost.as_ref(),
                        keys,
                        "hourly_cost",
                        Domain::NonNegative,
                    )?,
                    uprating: self.price(raw, keys)?,
                    realisation: self.yearly_or(
                        raw.realisation.as_ref(),
                        &key(keys, "realisation"),
                        Domain::Fraction,
                        Decimal::ONE,
                        "all of the modelled benefit is realised",
                    )?,
                    // Last, so that its inputs follow the line's own in `inputs`.
                    exposure: self.exposure(raw, keys)?,
                }
            }
            BenefitKind::PerUser => {
                self.only(
                    keys,
                    &raw.fields(),
                    &allowed(&["amount", "per", "share"]),
                    "per_user",
                )?;
                BenefitRule::PerUser {
                    amount: self.needed(
                        raw.amount.as_ref(),
                        keys,
                        "amount",
                        Domain::NonNegative,
                    )?,
                    periods_per_year: self.period(raw, keys)?,
                    share: self.needed(raw.share.as_ref(), keys, "share", Domain::Fraction)?,
                    uprating: self.price(raw, keys)?,
                    exposure: self.exposure(raw, keys)?,
                }
            }
            BenefitKind::PackageReduction => {
                self.only(
                    keys,
                    &raw.fields(),
                    &allowed(&["package_cost", "per", "reduction", "share"]),
                    "package_reduction",
                )?;
                BenefitRule::PackageReduction {
                    package_cost: self.needed(
                        raw.package_cost.as_ref(),
                        keys,
                        "package_cost",
                        Domain::NonNegative,
                    )?,
                    periods_per_year: self.period(raw, keys)?,
                    reduction: self.needed(
                        raw.reduction.as_ref(),
                        keys,
                        "reduction",
                        Domain::Fraction,
                    )?,
                    share: self.needed(raw.share.as_ref(), keys, "share", Domain::Fraction)?,
                    uprating: self.price(raw, keys)?,
                    exposure: self.exposure(raw, keys)?,
                }
            }
            BenefitKind::AvoidedEvents => {
                self.only(
                    keys,
                    &raw.fields(),
                    &allowed(&["rate", "avoided", "unit_cost"]),
                    "avoided_events",
                )?;
                BenefitRule::AvoidedEvents {
                    rate: self.needed(raw.rate.as_ref(), keys, "rate", Domain::NonNegative)?,
                    avoided: self.needed(
                        raw.avoided.as_ref(),
                        keys,
                        "avoided",
                        Domain::Fraction,
                    )?,
                    unit_cost: self.needed(
                        raw.unit_cost.as_ref(),
                        keys,
                        "unit_cost",
                        Domain::NonNegative,
                    )?,
                    uprating: self.price(raw, keys)?,
                    exposure: self.exposure(raw, keys)?,
                }
            }
            BenefitKind::DelayedAdmission => {
                self.only(
                    keys,
                    &raw.fields(),
                    &[
                        "share",
                        "after_months",
                        "weeks_delayed",
                        "weekly_cost",
                        "community_weekly_cost",
                        "counts",
                        "cohort",
                        "price_year",
                        "uprating",
                    ],
                    "delayed_admission",
                )?;
                self.delayed_admission(raw, keys)?
            }
        };
        let adjustments = Adjustments {
            deadweight: self.optional(
                raw.deadweight.as_ref(),
                keys,
                "deadweight",
                Domain::Fraction,
            )?,
            displacement: self.optional(
                raw.displacement.as_ref(),
                keys,
                "displacement",
                Domain::Fraction,
            )?,
            attribution: self.optional(
                raw.attribution.as_ref(),
                keys,
                "attribution",
                Domain::Fraction,
            )?,
            optimism_bias: self.optional(
                raw.optimism_bias.as_ref(),
                keys,
                "optimism_bias",
                Domain::Fraction,
            )?,
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: Some(raw.basket),
            party: raw.accrues_to.unwrap_or_default(),
            adjustments,
            rule,
        })
    }

    /// Which users a user-derived benefit line counts, and when (asked after the kind's own
    /// fields, so that a line missing one of them is told that first).
    fn exposure(&mut self, raw: &RawBenefit, keys: &[String]) -> Result<Exposure> {
        let counts = required_counts(raw.counts, keys)?;
        self.benefit_exposure(raw, counts, keys)
    }

    /// The uprating of a line's unit price from its price year.
    fn price(&mut self, raw: &RawBenefit, keys: &[String]) -> Result<Uprating> {
        self.uprating(raw.uprating.as_ref(), raw.price_year.as_ref(), keys)
    }

    /// Periods a year of the `per` a line's amount is for, which it must say: a weekly
    /// amount taken as yearly is a fifty-two-fold error.
    fn period(&self, raw: &RawBenefit, keys: &[String]) -> Result<i64> {
        match raw.per {
            Some(per) => Ok(per.per_year()),
            None => super::resolve::fail(
                keys,
                "this kind of line needs `per`: the period its amount is for (`week`, `month` or `year`)",
            ),
        }
    }
}
