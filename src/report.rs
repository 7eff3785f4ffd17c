//! The result of a run as a serializable struct: what every output format renders.
//!
//! Money is exact (`Decimal`, written as strings in JSON). Users are rounded to whole
//! people for reporting; money is rounded by the scenario's policy inside the engine, so
//! every total here is the sum of its lines to the penny.

use crate::model::spec::{CostRule, Line};
use crate::model::{LineValues, Model, Outcome};
use crate::number::{Exact, Num};
use crate::scenario::Scenario;
use crate::scenario::document::{Basket, Rounding};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// A business case evaluated over its horizon.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// The scenario's name.
    pub scenario: String,
    /// The council whose case it is, if the file says.
    pub council: Option<String>,
    /// The scenario file that was run.
    pub file: String,
    /// How money was rounded: `pound` (half away from zero, per line and year), `penny` or `none`.
    pub rounding: Rounding,
    /// The real discount rate used for the NPV.
    pub discount_rate: Decimal,
    /// One entry per financial year, in order.
    pub years: Vec<YearReport>,
    /// Five-year (whole-horizon) figures.
    pub summary: Summary,
}

/// One financial year of the case.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct YearReport {
    /// The financial year, e.g. `2021/22`.
    pub year: String,
    /// TEC users at the start of the year.
    pub opening_users: Decimal,
    /// Installs during the year.
    pub installs: Decimal,
    /// Users who left during the year (deaths, moves to residential care).
    pub leavers: Decimal,
    /// TEC users at the end of the year.
    pub closing_users: Decimal,
    /// Users at year end generating benefit under the first care-hours benefit line.
    pub benefiting_users: Decimal,
    /// With more than one cohort, each cohort's users (left out with one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cohorts: Vec<CohortYear>,
    /// Each benefit line's amount.
    pub benefit_lines: Vec<LineAmount>,
    /// Benefit by the LGA's four baskets.
    pub benefit_by_basket: Vec<BasketAmount>,
    /// Sum of the benefit lines.
    pub total_benefit: Decimal,
    /// Each cost line's amount (with its posts, for staffing).
    pub cost_lines: Vec<LineAmount>,
    /// Sum of the cost lines.
    pub total_cost: Decimal,
    /// Each funding offset or income line's amount.
    pub offset_lines: Vec<LineAmount>,
    /// Sum of the offset lines.
    pub offsets: Decimal,
    /// total_benefit - total_cost + offsets.
    pub net: Decimal,
    /// Running sum of net benefit to the end of this year.
    pub cumulative_net: Decimal,
    /// 1 / (1 + discount rate)^t, to six decimal places.
    pub discount_factor: Decimal,
    /// Net benefit times the discount factor, rounded as money.
    pub discounted_net: Decimal,
}

/// One cohort's users in one year, rounded to whole people as the totals are.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct CohortYear {
    /// The cohort's key under `cohorts`.
    pub cohort: String,
    pub opening_users: Decimal,
    pub installs: Decimal,
    pub leavers: Decimal,
    pub closing_users: Decimal,
}

/// One line's amount in one year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct LineAmount {
    /// The line's key in the scenario file.
    pub name: String,
    /// The line's label for tables.
    pub label: String,
    /// The amount in pounds.
    pub amount: Decimal,
    /// For staffing: each post's amount (name, title, amount); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<LineAmount>,
}

/// Benefit in one of the LGA's baskets in one year.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct BasketAmount {
    /// `cashable`, `efficiency`, `cost_avoidance` or `prevention`.
    pub basket: Basket,
    /// The amount in pounds.
    pub amount: Decimal,
}

/// Whole-horizon figures.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Summary {
    /// Cumulative net benefit at the end of the horizon.
    pub cumulative_net: Decimal,
    /// Total benefit over the horizon.
    pub total_benefit: Decimal,
    /// Total cost over the horizon.
    pub total_cost: Decimal,
    /// Total offsets over the horizon.
    pub total_offsets: Decimal,
    /// Net present value: the sum of discounted net benefit.
    pub npv: Decimal,
    /// First year from which cumulative net benefit stays at or above zero; null if none.
    pub payback_year: Option<String>,
    /// TEC users at the end of the horizon.
    pub closing_users: Decimal,
    /// Total benefit per pound of total cost, to two places; null when there is no cost.
    pub return_per_pound: Option<Decimal>,
}

/// The error when a figure overflows the money type.
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{file}: a figure is too large for the money type (about 7.9e28); check the scenario's magnitudes"
)]
pub struct OverflowError {
    pub file: String,
}

fn whole(value: Exact) -> Decimal {
    value
        .get()
        .unwrap_or_default()
        .round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

fn exact(value: Exact) -> Decimal {
    value.get().unwrap_or_default().normalize()
}

impl Report {
    pub fn build(scenario: &Scenario) -> Result<Report, OverflowError> {
        let outcome = scenario.evaluate_exact();
        let file = scenario.path().display().to_string();
        if !outcome.is_valid() || !outcome.npv().is_valid() {
            return Err(OverflowError { file });
        }
        Ok(Report::from_outcome(scenario, &outcome, file))
    }

    fn from_outcome(scenario: &Scenario, outcome: &Outcome<Exact>, file: String) -> Report {
        let model = &scenario.model;
        let years: Vec<YearReport> = (0..model.years)
            .map(|t| {
                let users = &outcome.users[t];
                let totals = &outcome.totals[t];
                let benefit_by_basket = Basket::ALL
                    .iter()
                    .map(|basket| BasketAmount {
                        basket: *basket,
                        amount: model
                            .benefits
                            .iter()
                            .zip(&outcome.benefits)
                            .filter(|(line, _)| line.basket == Some(*basket))
                            .fold(Decimal::ZERO, |acc, (_, v)| acc + exact(v.values[t])),
                    })
                    .collect();
                YearReport {
                    year: model.year_label(t),
                    opening_users: whole(users.opening),
                    installs: whole(users.installs),
                    leavers: whole(users.leavers),
                    closing_users: whole(users.closing),
                    benefiting_users: whole(outcome.benefiting_users[t]),
                    cohorts: cohort_years(model, outcome, t),
                    benefit_lines: line_amounts(&model.benefits, &outcome.benefits, t, no_parts),
                    benefit_by_basket,
                    total_benefit: exact(totals.benefit),
                    cost_lines: line_amounts(&model.costs, &outcome.costs, t, post_names),
                    total_cost: exact(totals.cost),
                    offset_lines: line_amounts(&model.offsets, &outcome.offsets, t, no_parts),
                    offsets: exact(totals.offsets),
                    net: exact(totals.net),
                    cumulative_net: exact(totals.cumulative_net),
                    discount_factor: totals.discount_factor.round_dp(6).get().unwrap_or_default(),
                    discounted_net: exact(totals.discounted_net),
                }
            })
            .collect();
        let sum = |f: fn(&YearReport) -> Decimal| years.iter().map(f).sum::<Decimal>();
        let total_benefit = sum(|y| y.total_benefit);
        let total_cost = sum(|y| y.total_cost);
        let summary = Summary {
            cumulative_net: years.last().map(|y| y.cumulative_net).unwrap_or_default(),
            total_benefit,
            total_cost,
            total_offsets: sum(|y| y.offsets),
            npv: sum(|y| y.discounted_net),
            payback_year: outcome.payback_year().map(|t| model.year_label(t)),
            closing_users: years.last().map(|y| y.closing_users).unwrap_or_default(),
            return_per_pound: (!total_cost.is_zero()).then(|| {
                (total_benefit / total_cost)
                    .round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
            }),
        };
        Report {
            scenario: scenario.name.clone(),
            council: scenario.council.clone(),
            file,
            rounding: model.rounding,
            discount_rate: scenario.params.values[model.discount_rate].normalize(),
            years,
            summary,
        }
    }
}

fn cohort_years(model: &Model, outcome: &Outcome<Exact>, t: usize) -> Vec<CohortYear> {
    let cohorts = &model.users.cohorts;
    if cohorts.len() < 2 {
        return Vec::new();
    }
    cohorts
        .iter()
        .zip(&outcome.cohorts.cohorts)
        .map(|(spec, users)| {
            let y = &users.years[t];
            CohortYear {
                cohort: spec.name.clone(),
                opening_users: whole(y.opening),
                installs: whole(y.installs),
                leavers: whole(y.leavers),
                closing_users: whole(y.closing),
            }
        })
        .collect()
}

fn no_parts<R>(_: &Line<R>) -> Vec<(String, String)> {
    Vec::new()
}

fn post_names(line: &Line<CostRule>) -> Vec<(String, String)> {
    match &line.rule {
        CostRule::Staffing(posts) => posts
            .iter()
            .map(|p| (p.name.clone(), p.title.clone()))
            .collect(),
        _ => Vec::new(),
    }
}

fn line_amounts<R>(
    lines: &[Line<R>],
    values: &[LineValues<Exact>],
    year: usize,
    parts_of: fn(&Line<R>) -> Vec<(String, String)>,
) -> Vec<LineAmount> {
    lines
        .iter()
        .zip(values)
        .map(|(line, v)| LineAmount {
            name: line.name.clone(),
            label: line.label.clone(),
            amount: exact(v.values[year]),
            parts: parts_of(line)
                .into_iter()
                .zip(&v.parts)
                .map(|((name, label), p)| LineAmount {
                    name,
                    label,
                    amount: exact(p[year]),
                    parts: Vec::new(),
                })
                .collect(),
        })
        .collect()
}
