//! The optional `tracking` section of a plan, read by `tec-model track`: RAG thresholds, the
//! baskets that reduce a budget (the MTFS view) and an ambition for TEC users by a month.
//!
//! Its numbers are inputs like any other (provenance, range check, `overrides`), at the paths
//! `tracking.rag.green`, `tracking.rag.amber` and `tracking.ambition.users`.

use super::document::Basket;
use super::params::Params;
use super::params::{Domain, Provenance};
use super::raw::RawInput;
use super::resolve::{Builder, Result, fail, key};
use crate::model::spec::{Model, Slot};
use serde::Deserialize;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `rag`, `budget_reducing` and `ambition`"
)]
pub struct RawTracking {
    /// Thresholds of adverse variance, as shares of plan: green within `green`, amber within `amber`.
    pub rag: Option<RawRag>,
    /// The baskets that reduce a budget and so count in the MTFS view.
    pub budget_reducing: Option<RawBudgetReducing>,
    /// A number of TEC users to reach by a month.
    pub ambition: Option<RawAmbition>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a mapping of `green` and `amber`")]
pub struct RawRag {
    pub green: RawInput,
    pub amber: RawInput,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `baskets` with a `source` or a `reason`"
)]
pub struct RawBudgetReducing {
    pub baskets: Vec<Basket>,
    pub source: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a mapping of `users` and `by`")]
pub struct RawAmbition {
    /// TEC users to be supported.
    pub users: RawInput,
    /// The month by whose end, written `2028-03`.
    pub by: String,
    /// `target` (default: a number the council means to reach) or `estimate` (a number it
    /// says there could be, which commits it to nothing).
    pub kind: Option<AmbitionKind>,
}

/// What a users ambition is: a target set, or an estimate published.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AmbitionKind {
    #[default]
    Target,
    Estimate,
}

crate::keywords!(AmbitionKind { "target" => Target, "estimate" => Estimate });

impl AmbitionKind {
    pub fn key(self) -> &'static str {
        match self {
            AmbitionKind::Target => "target",
            AmbitionKind::Estimate => "estimate",
        }
    }
}

/// The tracking settings of a plan; every part optional (`track` has defaults).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tracking {
    /// Slots of the green and amber thresholds.
    pub rag: Option<(Slot, Slot)>,
    /// The budget-reducing baskets and why.
    pub budget_reducing: Option<(Vec<Basket>, Provenance)>,
    pub ambition: Option<Ambition>,
}

/// Reach `users` TEC users by the end of month `month` (1 to 12) of calendar year `year`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ambition {
    pub users: Slot,
    pub year: i32,
    pub month: u32,
    pub kind: AmbitionKind,
}

/// Parses a calendar month written `2028-03`.
pub fn parse_month(text: &str) -> std::result::Result<(i32, u32), String> {
    let bad = || format!("`{text}` is not a month like 2028-03");
    let (year, month) = text.trim().split_once('-').ok_or_else(bad)?;
    if year.len() != 4 || month.len() != 2 {
        return Err(bad());
    }
    let year: i32 = year.parse().map_err(|_| bad())?;
    let month: u32 = month.parse().map_err(|_| bad())?;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "`{text}` is not a month like 2028-03: months are 01 to 12"
        ));
    }
    crate::fy::check_year(text.trim(), year)?;
    Ok((year, month))
}

/// Adds the inputs of a `tracking` section to `params`; `None` when the file has none.
pub(super) fn add(
    raw: Option<&RawTracking>,
    model: &Model,
    params: &mut Params,
    file: usize,
) -> Result<Option<Tracking>> {
    let Some(raw) = raw else { return Ok(None) };
    let mut b = Builder {
        params: std::mem::take(params),
        years: model.years,
        first_year: model.first_year,
        file,
        cohort_names: Vec::new(),
    };
    let result = resolve(raw, &mut b);
    *params = b.params;
    result.map(Some)
}

fn resolve(raw: &RawTracking, b: &mut Builder) -> Result<Tracking> {
    let root = vec!["tracking".to_string()];
    let rag = match &raw.rag {
        None => None,
        Some(rag) => {
            let keys = key(&root, "rag");
            let green = b.scalar(&rag.green, &key(&keys, "green"), Domain::Fraction)?;
            let amber = b.scalar(&rag.amber, &key(&keys, "amber"), Domain::Fraction)?;
            if b.params.values[green] > b.params.values[amber] {
                return fail(&keys, "`green` must not be above `amber`");
            }
            Some((green, amber))
        }
    };
    let budget_reducing = match &raw.budget_reducing {
        None => None,
        Some(given) => {
            let keys = key(&root, "budget_reducing");
            let stated = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
            let provenance = match (&given.source, &given.reason) {
                (Some(source), None) if stated(&given.source) => Provenance::source(source.trim()),
                (None, Some(reason)) if stated(&given.reason) => {
                    Provenance::calibrated(reason.trim())
                }
                _ => {
                    return fail(
                        &keys,
                        "give either a `source` or a `reason` (not both, and not empty)",
                    );
                }
            };
            if given.baskets.is_empty() {
                return fail(
                    &key(&keys, "baskets"),
                    "names no basket, so the MTFS view would count nothing; list one or more of cashable, efficiency, cost_avoidance and prevention, or drop `budget_reducing` to count cashable savings only",
                );
            }
            let mut baskets = given.baskets.clone();
            baskets.sort();
            baskets.dedup();
            Some((baskets, provenance))
        }
    };
    let ambition = match &raw.ambition {
        None => None,
        Some(given) => {
            let keys = key(&root, "ambition");
            let users = b.scalar(&given.users, &key(&keys, "users"), Domain::NonNegative)?;
            let (year, month) = parse_month(&given.by).or_else(|m| fail(&key(&keys, "by"), m))?;
            Some(Ambition {
                users,
                year,
                month,
                kind: given.kind.unwrap_or_default(),
            })
        }
    };
    Ok(Tracking {
        rag,
        budget_reducing,
        ambition,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_parse_strictly() {
        assert_eq!(parse_month("2028-03"), Ok((2028, 3)));
        for bad in ["2028-3", "2028-13", "28-03", "2028/03", "March 2028", ""] {
            assert!(parse_month(bad).is_err(), "{bad}");
        }
    }
}
