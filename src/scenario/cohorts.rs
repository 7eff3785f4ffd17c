//! The `users` and `cohorts` sections: one cohort of TEC users, or several named ones (older
//! people, a learning-disability service, a pilot), each with its own opening users, installs,
//! attrition, install timing and optional start month; and a line's `cohort:` choice.

use super::document::{RawDocument, RawUsers, Timing};
use super::error::suggest;
use super::named::Named;
use super::params::{Domain, Provenance};
use super::raw::RawInput;
use super::resolve::{Builder, Result, check_name, fail, key};
use crate::fy::FinancialYear;
use crate::model::spec::{CohortSpec, Cohorts, UsersSpec};
use rust_decimal::Decimal;
use serde::Deserialize;

/// One entry of `cohorts`.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a cohort: a mapping of `opening`, `installs`, `attrition`, and optionally `install_timing` and `start`"
)]
pub struct RawCohort {
    pub opening: RawInput,
    pub installs: RawInput,
    pub attrition: RawInput,
    pub install_timing: Option<Timing>,
    /// The month its installs begin, `2021-07`.
    pub start: Option<RawStart>,
}

/// A start month, alone or with where it comes from.
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    untagged,
    expecting = "a month like 2021-07, or a mapping such as `{ month: 2021-07, source: ... }`"
)]
pub enum RawStart {
    Month(String),
    Given {
        month: String,
        source: Option<String>,
        calibrated: Option<bool>,
        reason: Option<String>,
    },
}

/// A line's `cohort:`: one name or a list.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(
    untagged,
    expecting = "a cohort's name, or a list of names, from the `cohorts` section"
)]
pub enum RawCohortChoice {
    One(String),
    Many(Vec<String>),
}

/// The name a `users` section's single cohort has (in `cohort:` and in tables).
pub const USERS: &str = "users";

impl Builder {
    /// The cohorts of a whole scenario: its `users` section, or its `cohorts`.
    pub(super) fn users_spec(&mut self, doc: &RawDocument) -> Result<UsersSpec> {
        let cohorts = match (&doc.users, &doc.cohorts) {
            (Some(_), Some(_)) => {
                return fail(
                    &["cohorts".to_string()],
                    "give either `users` (one cohort) or `cohorts` (several), not both",
                );
            }
            (None, None) => return fail(&[], "missing section `users` (or `cohorts`)"),
            (Some(users), None) => vec![self.users_cohort(users)?],
            (None, Some(cohorts)) => self.named_cohorts(cohorts)?,
        };
        Ok(UsersSpec {
            cohorts,
            offset_years: 0,
        })
    }

    fn users_cohort(&mut self, raw: &RawUsers) -> Result<CohortSpec> {
        let keys = vec!["users".to_string()];
        Ok(CohortSpec {
            name: USERS.to_string(),
            opening: self.scalar(&raw.opening, &key(&keys, "opening"), Domain::NonNegative)?,
            installs: self.series(&raw.installs, &key(&keys, "installs"), Domain::NonNegative)?,
            attrition: self.scalar(&raw.attrition, &key(&keys, "attrition"), Domain::Fraction)?,
            timing: self.timing(&keys, raw.install_timing),
            start: match &raw.start {
                Some(month) => Some(self.start_month(month, &key(&keys, "start"))?),
                None => None,
            },
        })
    }

    fn named_cohorts(&mut self, raw: &Named<RawCohort>) -> Result<Vec<CohortSpec>> {
        let section = vec!["cohorts".to_string()];
        let mut cohorts = Vec::new();
        for (name, cohort) in raw.iter() {
            let keys = key(&section, name);
            check_name(&keys, name)?;
            let opening =
                self.scalar(&cohort.opening, &key(&keys, "opening"), Domain::NonNegative)?;
            let installs = self.series(
                &cohort.installs,
                &key(&keys, "installs"),
                Domain::NonNegative,
            )?;
            let attrition = self.scalar(
                &cohort.attrition,
                &key(&keys, "attrition"),
                Domain::Fraction,
            )?;
            let start = match &cohort.start {
                Some(month) => Some(self.start_month(month, &key(&keys, "start"))?),
                None => None,
            };
            cohorts.push(CohortSpec {
                name: name.clone(),
                opening,
                installs,
                attrition,
                timing: self.timing(&keys, cohort.install_timing),
                start,
            });
        }
        if cohorts.is_empty() {
            return fail(&section, "needs at least one cohort");
        }
        Ok(cohorts)
    }

    /// A cohort's install timing, listed by `inputs` as given or as its default.
    fn timing(&mut self, keys: &[String], given: Option<Timing>) -> Timing {
        self.params.setting(
            &key(keys, "install_timing"),
            given.map(|t| t.key().into()),
            || {
                (
                    Timing::default().key().into(),
                    "installs land half way through the year on average".into(),
                )
            },
        );
        given.unwrap_or_default()
    }

    /// A start month as the input `cohorts.<name>.start`: months from 1 April of the first
    /// year (`2021-07` is 3 when the horizon starts in 2021/22). Any month of the horizon.
    fn start_month(&mut self, raw: &RawStart, keys: &[String]) -> Result<usize> {
        let needs = "a start month needs where it comes from, as every input does: write \
                     `start: { month: 2021-07, source: \"...\" }`, or `calibrated: true` with a \
                     `reason`";
        let (text, provenance) = match raw {
            RawStart::Month(_) => return fail(keys, needs),
            RawStart::Given {
                month,
                source,
                calibrated,
                reason,
            } => {
                fn given(text: &Option<String>) -> Option<&str> {
                    text.as_deref().map(str::trim).filter(|t| !t.is_empty())
                }
                let provenance = match (given(source), calibrated, given(reason)) {
                    (Some(source), None | Some(false), None) => Provenance::source(source),
                    (None, Some(true), Some(reason)) => Provenance::calibrated(reason),
                    _ => return fail(keys, needs),
                };
                (month, provenance)
            }
        };
        let (year, month) = super::tracking::parse_month(text).or_else(|m| fail(keys, m))?;
        let (fy, index) = if month >= 4 {
            (FinancialYear(year), month - 4)
        } else {
            (FinancialYear(year - 1), month + 8)
        };
        let years_in = fy.since(self.first_year);
        let last = self.first_year.plus(self.years as i32 - 1);
        if years_in < 0 || years_in as usize >= self.years {
            return fail(
                keys,
                format!(
                    "{text} is outside the horizon, April {} to March {}",
                    self.first_year.0,
                    last.0 + 1
                ),
            );
        }
        let months = years_in as u32 * 12 + index;
        let domain = Domain::UpTo(Decimal::from(self.years as u32 * 12 - 1));
        let info = self.info(keys, None, domain, provenance);
        Ok(self.params.push(Decimal::from(months), info))
    }

    /// The cohorts a line's `cohort:` names; all of them when it names none.
    pub(super) fn cohort_choice(
        &self,
        raw: Option<&RawCohortChoice>,
        keys: &[String],
    ) -> Result<Cohorts> {
        let (names, list): (Vec<&String>, bool) = match raw {
            None => return Ok(Cohorts::All),
            Some(RawCohortChoice::One(name)) => (vec![name], false),
            Some(RawCohortChoice::Many(names)) => (names.iter().collect(), true),
        };
        let here = key(keys, "cohort");
        if names.is_empty() {
            return fail(&here, "names no cohort; leave it out to count every cohort");
        }
        let mut chosen = Vec::new();
        for (i, name) in names.into_iter().enumerate() {
            let at = if list {
                key(&here, &i.to_string())
            } else {
                here.clone()
            };
            let Some(index) = self.cohort_names.iter().position(|c| c == name) else {
                let hint = suggest(name, self.cohort_names.iter().map(String::as_str))
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return fail(
                    &at,
                    format!(
                        "`{name}` is not a cohort{hint}; the cohorts are {}",
                        self.cohort_names
                            .iter()
                            .map(|c| format!("`{c}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
            };
            if chosen.contains(&index) {
                return fail(&at, format!("names `{name}` twice"));
            }
            chosen.push(index);
        }
        chosen.sort_unstable();
        Ok(if chosen.len() == self.cohort_names.len() {
            Cohorts::All
        } else {
            Cohorts::Only(chosen)
        })
    }
}

/// The first cohort's installs given (non-zero) for a year before its start month, as the
/// installs slot of that year and the message: they would be dropped, so they are refused.
pub(super) fn installs_before_start(scenario: &super::Scenario) -> Option<(usize, String)> {
    let values = &scenario.params.values;
    let model = &scenario.model;
    model.users.cohorts.iter().find_map(|cohort| {
        let months = values[cohort.start?];
        let years = (months / Decimal::from(12)).floor();
        (0..model.years)
            .take_while(|year| Decimal::from(*year as u64) < years)
            .map(|year| cohort.installs.at(year))
            .find(|slot| !values[*slot].is_zero())
            .map(|slot| {
                let year = scenario.params.info[slot].year.unwrap_or(0);
                (
                    slot,
                    format!(
                        "has {} installs in {}, before the cohort's `start`; give 0 for the years before it (`per_year: [0, ...]`)",
                        values[slot],
                        model.year_label(year)
                    ),
                )
            })
    })
}
