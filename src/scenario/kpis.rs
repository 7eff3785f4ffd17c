//! The optional `kpis` section of a plan: key performance indicators tracked by `tec-model
//! track` beside the money (the LGA planning resource asks for "KPIs or equivalent metrics so
//! that you know if you are on track"). Each KPI names its unit, which way is better, how its
//! periods make a year, and its plan per year (an input with provenance, at the path
//! `kpis.<name>.plan`) or why it has none.

use super::raw::RawInput;
use super::resolve::{Builder, fail, key};
use super::{domain::Domain, named::Named, params::Params};
use crate::model::kpi::{Aggregate, Better, Kpi};
use crate::model::spec::Model;
use serde::Deserialize;

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a KPI: a mapping of `unit`, `better`, `aggregate` and `plan` (or `unplanned`)"
)]
pub struct RawKpi {
    /// The row's label (default: the KPI's name).
    pub label: Option<String>,
    /// What it counts or measures in: `referrals`, `people`, `days`, ...
    pub unit: String,
    /// `higher` or `lower`: which way is on track.
    pub better: Better,
    /// `sum` (a count: periods add up, a year to date is pro-rated by month) or `latest` (a
    /// level such as an average number of days: the latest period stands for the year).
    pub aggregate: Aggregate,
    /// The plan's value per year (`per_year: [...]` or `each_year: ...` for a standing
    /// target), with its `source` or `calibrated: true` and a `reason`.
    pub plan: Option<RawInput>,
    /// Instead of `plan`: why the plan sets no value (the KPI is then reported, not rated).
    pub unplanned: Option<String>,
}

crate::keywords!(Better { "higher" => Higher, "lower" => Lower });
crate::keywords!(Aggregate { "sum" => Sum, "latest" => Latest });

/// Adds the KPIs of `raw` to `model` (after any a parent scenario has), their plans to
/// `params`; a name already there is an error.
pub(super) fn add(
    raw: Option<&Named<RawKpi>>,
    model: &mut Model,
    params: &mut Params,
    file: usize,
) -> super::resolve::Result<()> {
    let Some(raw) = raw else { return Ok(()) };
    let mut b = Builder {
        params: std::mem::take(params),
        years: model.years,
        first_year: model.first_year,
        file,
        cohort_names: Vec::new(),
    };
    let result = resolve(raw, model, &mut b);
    *params = b.params;
    result
}

fn resolve(raw: &Named<RawKpi>, model: &mut Model, b: &mut Builder) -> super::resolve::Result<()> {
    let root = vec!["kpis".to_string()];
    for (name, kpi) in raw.iter() {
        let keys = key(&root, name);
        if !name
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'_')
            || name.is_empty()
        {
            return fail(
                &keys,
                "a KPI's name is lower case letters, digits and `_` (it names the actuals column `kpi.<name>`)",
            );
        }
        if model.kpis.iter().any(|k| k.name == *name) {
            return fail(&keys, "the parent scenario already has this KPI");
        }
        if kpi.unit.trim().is_empty() {
            return fail(
                &key(&keys, "unit"),
                "is empty; say what the KPI counts or measures in, e.g. `visits` or `days`",
            );
        }
        let stated = |t: &Option<String>| t.as_deref().is_some_and(|t| !t.trim().is_empty());
        let (plan, unplanned) = match (&kpi.plan, &kpi.unplanned) {
            (Some(plan), None) => (
                Some(b.series(plan, &key(&keys, "plan"), Domain::NonNegative)?),
                None,
            ),
            (None, Some(reason)) if stated(&kpi.unplanned) => {
                (None, Some(reason.trim().to_string()))
            }
            (Some(_), Some(_)) => {
                return fail(
                    &keys,
                    "give a `plan` or say why there is none (`unplanned`), not both",
                );
            }
            _ => {
                return fail(
                    &keys,
                    "needs a `plan` (`per_year: [...]` or `each_year: ...`, with its source) or, where the plan sets none, `unplanned: <why>`",
                );
            }
        };
        model.kpis.push(Kpi {
            name: name.clone(),
            label: kpi.label.clone().unwrap_or_else(|| name.clone()),
            unit: kpi.unit.trim().to_string(),
            better: kpi.better,
            aggregate: kpi.aggregate,
            plan,
            unplanned,
        });
    }
    Ok(())
}
