//! Resolves each kind of benefit, cost and offset line: which fields it needs, which it must
//! not have, and the range of each of its numbers.

use super::document::*;
use super::params::Domain;
use super::raw::RawInput;
use super::resolve::{Builder, ResolveError, Result, check_name, fail, key, label};
use crate::model::spec::*;
use rust_decimal::Decimal;

impl Builder {
    /// Which users a user-derived benefit line counts, and when (see [`super::profile`]).
    fn exposure(&mut self, raw: &RawBenefit, keys: &[String]) -> Result<Exposure> {
        self.benefit_exposure(raw, keys)
    }

    /// The required `amounts` of a line given per year.
    fn amounts(&mut self, amounts: Option<&RawInput>, keys: &[String]) -> Result<SeriesSlot> {
        let amounts = self.required(amounts, keys, "amounts")?;
        self.series(amounts, &key(keys, "amounts"), Domain::NonNegative)
    }

    pub(super) fn benefit(
        &mut self,
        name: &str,
        keys: &[String],
        raw: &RawBenefit,
    ) -> Result<Line<BenefitRule>> {
        let rule = match raw.kind {
            BenefitKind::Amounts => {
                self.only(keys, &raw.fields(), &["amounts"], "amounts")?;
                BenefitRule::Amounts(self.amounts(raw.amounts.as_ref(), keys)?)
            }
            BenefitKind::CareHours => {
                self.only(
                    keys,
                    &raw.fields(),
                    &[
                        "counts",
                        "share",
                        "hours_per_week",
                        "weeks_per_year",
                        "hourly_cost",
                        "price_year",
                        "uprating",
                        "realisation",
                        "duration_years",
                        "cohort",
                        "lag_months",
                        "duration_months",
                        "drop_off",
                    ],
                    "care_hours",
                )?;
                let share = self.required(raw.share.as_ref(), keys, "share")?;
                let hours = self.required(raw.hours_per_week.as_ref(), keys, "hours_per_week")?;
                let cost = self.required(raw.hourly_cost.as_ref(), keys, "hourly_cost")?;
                BenefitRule::CareHours {
                    share: self.scalar(share, &key(keys, "share"), Domain::Fraction)?,
                    hours_per_week: self.scalar(
                        hours,
                        &key(keys, "hours_per_week"),
                        Domain::NonNegative,
                    )?,
                    weeks_per_year: self.scalar_or(
                        raw.weeks_per_year.as_ref(),
                        &key(keys, "weeks_per_year"),
                        Domain::Positive,
                        Decimal::from(52),
                        "52 weeks a year",
                    )?,
                    hourly_cost: self.scalar(
                        cost,
                        &key(keys, "hourly_cost"),
                        Domain::NonNegative,
                    )?,
                    uprating: self.uprating(
                        raw.uprating.as_ref(),
                        raw.price_year.as_ref(),
                        keys,
                    )?,
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
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: Some(raw.basket),
            rule,
        })
    }

    pub(super) fn cost(
        &mut self,
        name: &str,
        keys: &[String],
        raw: &RawCost,
    ) -> Result<Line<CostRule>> {
        let rule = match raw.kind {
            CostKind::Amounts => {
                self.only(keys, &raw.fields(), &["amounts"], "amounts")?;
                CostRule::Amounts(self.amounts(raw.amounts.as_ref(), keys)?)
            }
            CostKind::OneOff => {
                self.only(keys, &raw.fields(), &["amount", "year"], "one_off")?;
                let amount = self.required(raw.amount.as_ref(), keys, "amount")?;
                let label = raw.year.as_ref().ok_or_else(|| ResolveError {
                    keys: keys.to_vec(),
                    message: "a one_off cost needs the `year` it falls in".into(),
                })?;
                let year = self.year_index(label, &key(keys, "year"))?;
                CostRule::OneOff {
                    amount: self.scalar(amount, &key(keys, "amount"), Domain::NonNegative)?,
                    year,
                }
            }
            CostKind::PerInstall => {
                self.only(
                    keys,
                    &raw.fields(),
                    &["unit_cost", "price_year", "uprating", "cohort"],
                    "per_install",
                )?;
                let unit = self.required(raw.unit_cost.as_ref(), keys, "unit_cost")?;
                CostRule::PerInstall {
                    unit_cost: self.scalar(unit, &key(keys, "unit_cost"), Domain::NonNegative)?,
                    cohorts: self.cohort_choice(raw.cohort.as_ref(), keys)?,
                    uprating: self.uprating(
                        raw.uprating.as_ref(),
                        raw.price_year.as_ref(),
                        keys,
                    )?,
                }
            }
            CostKind::PerUser => {
                self.only(
                    keys,
                    &raw.fields(),
                    &[
                        "unit_cost",
                        "per",
                        "counts",
                        "users",
                        "cohort",
                        "price_year",
                        "uprating",
                    ],
                    "per_user",
                )?;
                let unit = self.required(raw.unit_cost.as_ref(), keys, "unit_cost")?;
                let periods_per_year = match raw.per.unwrap_or_default() {
                    Period::Week => 52,
                    Period::Month => 12,
                    Period::Year => 1,
                };
                CostRule::PerUser {
                    unit_cost: self.scalar(unit, &key(keys, "unit_cost"), Domain::NonNegative)?,
                    periods_per_year,
                    exposure: Exposure {
                        cohorts: match (&raw.users, &raw.cohort) {
                            (Some(_), Some(_)) => {
                                return fail(
                                    &key(keys, "cohort"),
                                    "give `users` (a cohort of its own) or `cohort` (the scenario's), not both",
                                );
                            }
                            _ => self.cohort_choice(raw.cohort.as_ref(), keys)?,
                        },
                        ..Exposure::all_time(raw.counts.unwrap_or_default())
                    },
                    users: match &raw.users {
                        Some(input) => {
                            Some(self.series(input, &key(keys, "users"), Domain::NonNegative)?)
                        }
                        None => None,
                    },
                    uprating: self.uprating(
                        raw.uprating.as_ref(),
                        raw.price_year.as_ref(),
                        keys,
                    )?,
                }
            }
            CostKind::Staffing => {
                self.only(keys, &raw.fields(), &["posts"], "staffing")?;
                let posts = raw.posts.as_ref().ok_or_else(|| ResolveError {
                    keys: keys.to_vec(),
                    message: "a staffing line needs `posts`".into(),
                })?;
                let posts_keys = key(keys, "posts");
                let mut built = Vec::new();
                for (post_name, post) in posts.iter() {
                    let post_keys = key(&posts_keys, post_name);
                    check_name(&post_keys, post_name)?;
                    built.push(Post {
                        name: post_name.clone(),
                        title: label(&post.title, post_name),
                        grade: post.grade.clone(),
                        count: self.scalar(
                            &post.count,
                            &key(&post_keys, "count"),
                            Domain::NonNegative,
                        )?,
                        salary: self.scalar(
                            &post.salary,
                            &key(&post_keys, "salary"),
                            Domain::NonNegative,
                        )?,
                        phasing: self.series(
                            &post.phasing,
                            &key(&post_keys, "phasing"),
                            Domain::NonNegative,
                        )?,
                    });
                }
                if built.is_empty() {
                    return fail(&posts_keys, "a staffing line needs at least one post");
                }
                CostRule::Staffing(built)
            }
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: None,
            rule,
        })
    }

    pub(super) fn offset(
        &mut self,
        name: &str,
        keys: &[String],
        raw: &RawOffset,
    ) -> Result<Line<OffsetRule>> {
        let rule = match raw.kind {
            OffsetKind::Amounts => {
                self.only(keys, &raw.fields(), &["amounts"], "amounts")?;
                OffsetRule::Amounts(self.amounts(raw.amounts.as_ref(), keys)?)
            }
            OffsetKind::UserCharge => {
                self.only(
                    keys,
                    &raw.fields(),
                    &[
                        "weekly_charge",
                        "chargeable_share",
                        "weeks_per_year",
                        "counts",
                        "cohort",
                    ],
                    "user_charge",
                )?;
                let charge = self.required(raw.weekly_charge.as_ref(), keys, "weekly_charge")?;
                let share =
                    self.required(raw.chargeable_share.as_ref(), keys, "chargeable_share")?;
                OffsetRule::UserCharge {
                    weekly_charge: self.scalar(
                        charge,
                        &key(keys, "weekly_charge"),
                        Domain::NonNegative,
                    )?,
                    chargeable_share: self.scalar(
                        share,
                        &key(keys, "chargeable_share"),
                        Domain::Fraction,
                    )?,
                    weeks_per_year: self.scalar_or(
                        raw.weeks_per_year.as_ref(),
                        &key(keys, "weeks_per_year"),
                        Domain::Positive,
                        Decimal::from(52),
                        "52 weeks a year",
                    )?,
                    exposure: Exposure {
                        cohorts: self.cohort_choice(raw.cohort.as_ref(), keys)?,
                        ..Exposure::all_time(raw.counts.unwrap_or(Counts::All))
                    },
                }
            }
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: None,
            rule,
        })
    }
}
