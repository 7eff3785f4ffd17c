//! Key performance indicators of a plan (the LGA planning resource's "KPIs or equivalent
//! metrics so that you know if you are on track"): counts such as referrals or response
//! visits, and levels such as the days from referral to install. The engine never reads them;
//! `track` compares their actuals with their plan.

use super::spec::SeriesSlot;
use serde::Serialize;

/// Which way a KPI is good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Better {
    Higher,
    Lower,
}

/// How a KPI's periods make a year: a count is summed (and a year to date is pro-rated by
/// month, as other flows are); a level (an average time, a rate) is the latest period's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Aggregate {
    Sum,
    Latest,
}

/// One KPI of the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Kpi {
    /// The key in the scenario file; the actuals column is `kpi.<name>`.
    pub name: String,
    pub label: String,
    /// What it counts or measures in, e.g. `visits`, `people`, `days`.
    pub unit: String,
    pub better: Better,
    pub aggregate: Aggregate,
    /// The plan's value for each year of the horizon (its provenance is the input's); `None`
    /// when the plan sets none.
    pub plan: Option<SeriesSlot>,
    /// Without a plan: why there is none (the KPI is reported, never rated).
    pub unplanned: Option<String>,
}
