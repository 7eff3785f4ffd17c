//! Resolves each kind of cost and offset line (benefit lines are in `benefits.rs`): which
//! fields it needs, which it must not have, and the range of each of its numbers.

use super::document::*;
use super::params::Domain;
use super::raw::RawInput;
use super::resolve::{Builder, ResolveError, Result, check_name, fail, key, label};
use crate::model::spec::*;
use rust_decimal::Decimal;

impl Builder {
    /// The required `amounts` of a line given per year.
    pub(super) fn amounts(
        &mut self,
        amounts: Option<&RawInput>,
        keys: &[String],
    ) -> Result<SeriesSlot> {
        let amounts = self.required(amounts, keys, "amounts")?;
        self.series(amounts, &key(keys, "amounts"), Domain::NonNegative)
    }

    /// A required single number of a line, in `domain`.
    pub(super) fn needed(
        &mut self,
        input: Option<&RawInput>,
        keys: &[String],
        field: &str,
        domain: Domain,
    ) -> Result<Slot> {
        let input = self.required(input, keys, field)?;
        self.scalar(input, &key(keys, field), domain)
    }

    /// An optional single number of a line: a slot only when given.
    pub(super) fn optional(
        &mut self,
        input: Option<&RawInput>,
        keys: &[String],
        field: &str,
        domain: Domain,
    ) -> Result<Option<Slot>> {
        input
            .map(|input| self.scalar(input, &key(keys, field), domain))
            .transpose()
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
                // Users of its own, or the modelled users, said which.
                let counts = match (&raw.users, raw.counts) {
                    (Some(_), Some(_)) => {
                        return fail(
                            &key(keys, "counts"),
                            "is for the modelled TEC users; this line gives `users` of its own",
                        );
                    }
                    (Some(_), None) => Counts::Programme,
                    (None, counts) => required_counts(counts, keys)?,
                };
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
                let per = raw.per.ok_or_else(|| ResolveError {
                    keys: keys.to_vec(),
                    message: "a per_user cost needs `per: week`, `month` or `year`: what the unit cost is for"
                        .into(),
                })?;
                let periods_per_year = per.per_year();
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
                        ..Exposure::all_time(counts)
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
                            Domain::Fraction,
                        )?,
                    });
                }
                if built.is_empty() {
                    return fail(&posts_keys, "a staffing line needs at least one post");
                }
                CostRule::Staffing(built)
            }
        };
        let adjustments = Adjustments {
            optimism_bias: self.optional(
                raw.optimism_bias.as_ref(),
                keys,
                "optimism_bias",
                Domain::Uplift,
            )?,
            ..Adjustments::default()
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: None,
            party: raw.paid_by.unwrap_or_default(),
            adjustments,
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
                        Domain::Weeks,
                        Decimal::from(52),
                        "52 weeks a year",
                    )?,
                    exposure: Exposure {
                        cohorts: self.cohort_choice(raw.cohort.as_ref(), keys)?,
                        ..Exposure::all_time(required_counts(raw.counts, keys)?)
                    },
                }
            }
        };
        Ok(Line {
            name: name.to_string(),
            label: label(&raw.label, name),
            basket: None,
            party: Party::Council,
            adjustments: Adjustments::default(),
            rule,
        })
    }
}

/// A user-derived line's `counts`, which it must give: which users count is a choice that
/// moves the figures (a charge on every user can bring in more than the programme costs).
pub(super) fn required_counts(counts: Option<Counts>, keys: &[String]) -> Result<Counts> {
    counts.ok_or_else(|| ResolveError {
        keys: keys.to_vec(),
        message: "this line counts TEC users: say which with `counts: programme` (only the users the programme installs) or `counts: all` (every TEC user, with those there at the start)".into(),
    })
}
