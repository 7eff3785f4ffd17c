//! The tracking report: what every output format of `tec-model track` renders.
//!
//! Money is exact (`Decimal`, strings in JSON); users are whole people.

use super::kpis::{KpiDefinition, KpiRow};
use super::rates::RateChange;
use super::variance::Comparison;
use super::years::YearStatus;
use crate::scenario::document::Basket;
use rust_decimal::Decimal;
use serde::Serialize;

/// A plan tracked against its actuals, with a re-forecast.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct TrackReport {
    /// The plan's name.
    pub scenario: String,
    /// The plan (scenario) file.
    pub plan_file: String,
    /// The actuals file.
    pub actuals_file: String,
    /// Notes from the actuals file (`#! note:` lines), e.g. that its figures are illustrative.
    pub notes: Vec<String>,
    /// The date the actuals are reported to: `--as-at`, else the end of the last period.
    pub as_at: String,
    /// The last month with actuals, e.g. `December 2021`.
    pub actuals_to: String,
    /// How the plan is spread within a year for year-to-date figures.
    pub phasing: String,
    /// What the sign of a variance means.
    pub sign_convention: String,
    /// The RAG thresholds used, and where they come from.
    pub rag: RagSettings,
    /// The baskets counted in the MTFS view, and where that comes from.
    pub budget_reducing: BudgetReducing,
    /// Plan figures the actuals file has no column for (unknown actuals; taken at plan in the
    /// re-forecast).
    pub not_reported: Vec<String>,
    /// One entry per financial year of the plan, in order.
    pub years: Vec<TrackYear>,
    /// All actuals so far against the plan for the same months (complete years plus the year
    /// to date); users at the latest period.
    pub to_date: Vec<Comparison>,
    /// The remaining years re-run from the actual position.
    pub reforecast: Reforecast,
    /// Installs a month needed for the plan's users ambition, if it sets one.
    pub ambition: Option<AmbitionReport>,
    /// Rows of the actuals whose period crosses financial years, and how each was split.
    pub split_periods: Vec<String>,
    /// The plan's KPIs: unit, direction, and where each plan comes from.
    pub kpis: Vec<KpiDefinition>,
    /// Every KPI to date against the plan for the same months.
    pub kpis_to_date: Vec<KpiRow>,
}

/// RAG thresholds: shares of plan that an adverse variance may reach.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct RagSettings {
    /// Green within this share of plan (0.05 is 5%).
    pub green: Decimal,
    /// Amber within this share; red beyond.
    pub amber: Decimal,
    /// `--rag`, the plan's `tracking.rag` (with its provenance), or the default.
    pub source: String,
    /// How a status is decided.
    pub rule: String,
}

/// The MTFS view: only benefit in these baskets reduces a budget.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct BudgetReducing {
    /// The baskets counted.
    pub baskets: Vec<Basket>,
    /// The actuals file's `#! budget_reducing`, the plan's `tracking.budget_reducing`, or the
    /// default (cashable only).
    pub source: String,
}

/// One financial year.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct TrackYear {
    /// The financial year, e.g. `2021/22`.
    pub year: String,
    /// `complete`, `in_progress` or `future` at the as-at date.
    pub status: YearStatus,
    /// Months of actuals, from April (12 for a complete year).
    pub months: u32,
    /// What `comparisons` cover: `full year`, or e.g. `April to December 2021 (to date)`.
    pub basis: String,
    /// Plan (pro-rated to date for a year in progress) against actual; empty with no actuals.
    pub comparisons: Vec<Comparison>,
    /// A year in progress: the full-year plan against the full-year forecast (actuals to date
    /// plus the rest of the re-forecast year).
    pub forecast: Vec<Comparison>,
    /// A year in progress: the full-year plan against the actuals to date (no RAG).
    pub to_date_against_full_year: Vec<Comparison>,
    /// The plan's KPIs (to date for a year in progress); empty with no actuals.
    pub kpis: Vec<KpiRow>,
}

/// The re-forecast: remaining years re-run by the engine from the actual position.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Reforecast {
    /// How the re-forecast is made.
    pub method: String,
    /// The first year re-run; null when every year is complete.
    pub rerun_from: Option<String>,
    /// TEC users at the start of the re-run, whole people.
    pub opening_users: Option<Decimal>,
    /// Whether those are actual users (at the end of the year before) or not.
    pub opening_users_actual: bool,
    /// `reported` (active users), `derived` (the year before's opening users plus its
    /// reported installs less leavers) or `plan` (neither reported).
    pub opening_users_from: String,
    /// Inputs replaced by actual unit rates (`--actual-rates`).
    pub rates: Vec<RateChange>,
    /// Per year: approved (plan) against re-forecast for closing users, net, the MTFS view's
    /// net and cumulative net. Variance = re-forecast - approved.
    pub years: Vec<ReforecastYear>,
    /// Cumulative net benefit at the end of the horizon in the approved plan.
    pub approved_cumulative_net: Decimal,
    /// The same, re-forecast.
    pub reforecast_cumulative_net: Decimal,
    /// Re-forecast less approved.
    pub change: Decimal,
}

/// One year of the re-forecast.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct ReforecastYear {
    /// The financial year.
    pub year: String,
    /// `actual`, `actual to <month> + re-run`, or `re-run`.
    pub basis: String,
    /// Approved (plan) against re-forecast: `closing_users`, `net`, `budget_net`, `cumulative_net`.
    pub figures: Vec<Comparison>,
}

/// Installs a month to reach the plan's users ambition from the latest actual users.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct AmbitionReport {
    /// `target` (a number the council means to reach) or `estimate` (one it says there could
    /// be, which commits it to nothing).
    pub kind: String,
    /// TEC users to be supported.
    pub target_users: Decimal,
    /// By the end of this month, e.g. `March 2028`.
    pub by: String,
    /// The latest actual TEC users.
    pub from_users: Decimal,
    /// The month of those users, e.g. `August 2024`.
    pub from: String,
    /// Months from one to the other.
    pub months: u32,
    /// The plan's annual attrition (`users.attrition`).
    pub annual_attrition: Decimal,
    /// Where the attrition comes from.
    pub attrition_provenance: String,
    /// The monthly rate that compounds to it, to six decimal places.
    pub monthly_attrition: Decimal,
    /// Installs a month that reach the target exactly, to two decimal places.
    pub installs_per_month: Decimal,
    /// Whole installs a month: the fewest that reach the target.
    pub whole_installs_per_month: Decimal,
    /// TEC users at the target month with the whole installs a month, whole people.
    pub users_reached: Decimal,
    /// How it is solved.
    pub method: String,
}
