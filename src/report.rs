//! The result of a run as a serializable struct: what every output format renders.
//!
//! Money is exact (`Decimal`, written as strings in JSON). Users are rounded to whole
//! people for reporting; money is rounded by the scenario's policy inside the engine, so
//! every total here is the sum of its lines to the penny.

mod summary;

use crate::model::spec::{CostRule, Line};
use crate::model::vocabulary::{Basket, Party, Rounding};
use crate::model::{LineValues, Model, Outcome};
use crate::number::{Exact, Num};
use crate::scenario::Scenario;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// A business case evaluated over its horizon.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
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
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
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
    /// Users at year end generating benefit under the first care-hours benefit line, else
    /// under the first line of another user-derived kind (its `share` of the users it counts).
    pub benefiting_users: Decimal,
    /// With more than one cohort, each cohort's users (left out with one).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cohorts: Vec<CohortYear>,
    /// Time in the service of every TEC user in the year, in user-years, to two places.
    pub user_years: Decimal,
    /// Each benefit line's amount (after its adjustments), whoever gains it.
    pub benefit_lines: Vec<LineAmount>,
    /// The council's benefit by the LGA's four baskets.
    pub benefit_by_basket: Vec<BasketAmount>,
    /// Sum of the benefit lines that accrue to the council.
    pub total_benefit: Decimal,
    /// Benefit by who gains it: the council, the NHS, other public bodies, individuals, society.
    pub benefit_by_beneficiary: Vec<PartyAmount>,
    /// Each cost line's amount (with its posts, for staffing), whoever pays it.
    pub cost_lines: Vec<LineAmount>,
    /// Sum of the cost lines the council pays.
    pub total_cost: Decimal,
    /// Cost by who pays it.
    pub cost_by_payer: Vec<PartyAmount>,
    /// Each funding offset or income line's amount.
    pub offset_lines: Vec<LineAmount>,
    /// Sum of the offset lines.
    pub offsets: Decimal,
    /// The council's net benefit: total_benefit - total_cost + offsets.
    pub net: Decimal,
    /// The public sector's: net plus the benefit less the cost of the NHS and other public bodies.
    pub public_sector_net: Decimal,
    /// Running sum of net benefit to the end of this year.
    pub cumulative_net: Decimal,
    /// 1 / (1 + discount rate)^t, to six decimal places.
    pub discount_factor: Decimal,
    /// Net benefit times the discount factor, rounded as money.
    pub discounted_net: Decimal,
}

/// One cohort's users in one year, rounded to whole people as the totals are.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct CohortYear {
    /// The cohort's key under `cohorts`.
    pub cohort: String,
    pub opening_users: Decimal,
    pub installs: Decimal,
    pub leavers: Decimal,
    pub closing_users: Decimal,
}

/// One line's amount in one year.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct LineAmount {
    /// The line's key in the scenario file.
    pub name: String,
    /// The line's label for tables.
    pub label: String,
    /// The amount in pounds (for a benefit, after its adjustments).
    pub amount: Decimal,
    /// A benefit line with adjustments: its gross amount, before them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gross: Option<Decimal>,
    /// For a benefit line: who gains it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub accrues_to: Option<Party>,
    /// For a cost line: who pays it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub paid_by: Option<Party>,
    /// For staffing: each post's amount (name, title, amount); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<LineAmount>,
}

/// A benefit or cost of one party in one year, or over the horizon.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct PartyAmount {
    /// `council`, `nhs`, `other_public`, `individual` or `society`.
    pub party: Party,
    /// The amount in pounds.
    pub amount: Decimal,
}

/// Benefit in one of the LGA's baskets in one year.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct BasketAmount {
    /// `cashable`, `efficiency`, `cost_avoidance` or `prevention`.
    pub basket: Basket,
    /// The amount in pounds.
    pub amount: Decimal,
}

/// Whole-horizon figures; benefit, cost and net are the council's own.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct Summary {
    /// Cumulative net benefit at the end of the horizon.
    pub cumulative_net: Decimal,
    /// Total benefit to the council over the horizon.
    pub total_benefit: Decimal,
    /// Total cost to the council over the horizon.
    pub total_cost: Decimal,
    /// Total offsets over the horizon.
    pub total_offsets: Decimal,
    /// Net present value: the sum of discounted net benefit.
    pub npv: Decimal,
    /// The year after the last in which cumulative net benefit is below zero (or, if it never
    /// is, the first in which it is above); null if it ends below zero or is zero throughout.
    pub payback_year: Option<String>,
    /// TEC users at the end of the horizon.
    pub closing_users: Decimal,
    /// Total benefit per pound of total cost, to two places; null when there is no cost.
    pub return_per_pound: Option<Decimal>,
    /// (total benefit - total cost) / total cost, to two places; null when there is no cost.
    pub roi: Option<Decimal>,
    /// The public sector's net benefit over the horizon (council, NHS, other public bodies).
    pub public_sector_net: Decimal,
    /// Benefit over the horizon by who gains it.
    pub benefit_by_beneficiary: Vec<PartyAmount>,
    /// Cost over the horizon by who pays it.
    pub cost_by_payer: Vec<PartyAmount>,
    /// People the service supports: the users at the start and every install in the horizon.
    pub people_supported: Decimal,
    /// Every TEC user's time in the service over the horizon, to two places.
    pub user_years: Decimal,
    /// Total cost per user-year, to the penny; null without user-years.
    pub cost_per_user_year: Option<Decimal>,
    /// Total benefit per user-year, to the penny; null without user-years.
    pub benefit_per_user_year: Option<Decimal>,
}

impl Summary {
    /// The payback year for a table: the year, `n/a` when nothing happens (cumulative net
    /// benefit zero in every year: nothing to pay back), else not within the horizon.
    pub fn payback_shown(&self) -> String {
        match &self.payback_year {
            Some(year) => year.clone(),
            // With no payback year, a zero end means zero throughout (`payback_index`).
            None if self.cumulative_net.is_zero() => {
                "n/a (no net benefit or cost in any year)".into()
            }
            None => "not within the horizon".into(),
        }
    }
}

pub mod overflow;

/// The error when a figure overflows the money type: the file, and which figure in which
/// year with the input to look at first ([`overflow::find`]).
#[derive(Debug, Clone, thiserror::Error)]
#[error(
    "{file}: a figure is too large for the money type (about 7.9e28): {}; check the scenario's magnitudes",
    figure.describe()
)]
pub struct OverflowError {
    pub file: String,
    /// Boxed: errors stay small on their way up.
    pub figure: Box<overflow::Overflowed>,
}

impl OverflowError {
    /// The error for `outcome` of `scenario`, which has a figure that is not valid.
    pub fn of(scenario: &Scenario, outcome: &Outcome<Exact>) -> OverflowError {
        OverflowError {
            file: scenario.path().display().to_string(),
            figure: Box::new(overflow::find(scenario, outcome).unwrap_or_else(|| {
                overflow::Overflowed {
                    figure: "a figure".into(),
                    year: "the horizon".into(),
                    input: None,
                }
            })),
        }
    }
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
            return Err(OverflowError::of(scenario, &outcome));
        }
        Ok(Report::from_outcome(scenario, &outcome, file))
    }

    fn from_outcome(scenario: &Scenario, outcome: &Outcome<Exact>, file: String) -> Report {
        let model = &scenario.model;
        let user_years = summary::user_years(scenario, outcome);
        let years: Vec<YearReport> = (0..model.years)
            .map(|t| {
                let users = &outcome.users[t];
                let totals = &outcome.totals[t];
                let benefit_by_basket = Basket::ALL
                    .iter()
                    .map(|basket| BasketAmount {
                        basket: *basket,
                        amount: sum_where(&model.benefits, &outcome.benefits, t, |line| {
                            line.basket == Some(*basket) && line.party == Party::Council
                        }),
                    })
                    .collect();
                let benefit_by_beneficiary = by_party(&model.benefits, &outcome.benefits, t);
                let cost_by_payer = by_party(&model.costs, &outcome.costs, t);
                let others = |amounts: &[PartyAmount]| {
                    amounts
                        .iter()
                        .filter(|a| a.party.is_public() && a.party != Party::Council)
                        .map(|a| a.amount)
                        .sum::<Decimal>()
                };
                let net = exact(totals.net);
                YearReport {
                    year: model.year_label(t),
                    opening_users: whole(users.opening),
                    installs: whole(users.installs),
                    leavers: whole(users.leavers),
                    closing_users: whole(users.closing),
                    benefiting_users: whole(outcome.benefiting_users[t]),
                    cohorts: cohort_years(model, outcome, t),
                    user_years: places(user_years[t], 2),
                    benefit_lines: line_amounts(
                        &model.benefits,
                        &outcome.benefits,
                        t,
                        no_parts,
                        Section::Benefits,
                    ),
                    benefit_by_basket,
                    total_benefit: exact(totals.benefit),
                    public_sector_net: net + others(&benefit_by_beneficiary)
                        - others(&cost_by_payer),
                    benefit_by_beneficiary,
                    cost_lines: line_amounts(
                        &model.costs,
                        &outcome.costs,
                        t,
                        post_names,
                        Section::Costs,
                    ),
                    total_cost: exact(totals.cost),
                    cost_by_payer,
                    offset_lines: line_amounts(
                        &model.offsets,
                        &outcome.offsets,
                        t,
                        no_parts,
                        Section::Offsets,
                    ),
                    offsets: exact(totals.offsets),
                    net,
                    cumulative_net: exact(totals.cumulative_net),
                    discount_factor: totals
                        .discount_factor
                        .round_dp(6)
                        .get()
                        .unwrap_or_default()
                        .normalize(),
                    discounted_net: exact(totals.discounted_net),
                }
            })
            .collect();
        let summary = summary::summary(&years, outcome, model, &user_years);
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

/// The sum in `year` of the lines that `keep` picks.
fn sum_where<R>(
    lines: &[Line<R>],
    values: &[LineValues<Exact>],
    year: usize,
    keep: impl Fn(&Line<R>) -> bool,
) -> Decimal {
    lines
        .iter()
        .zip(values)
        .filter(|(line, _)| keep(line))
        .fold(Decimal::ZERO, |acc, (_, v)| acc + exact(v.values[year]))
}

/// The lines' amounts in `year` by party, every party listed.
fn by_party<R>(lines: &[Line<R>], values: &[LineValues<Exact>], year: usize) -> Vec<PartyAmount> {
    Party::ALL
        .iter()
        .map(|party| PartyAmount {
            party: *party,
            amount: sum_where(lines, values, year, |line| line.party == *party),
        })
        .collect()
}

/// Rounds half away from zero to `dp` places.
fn places(value: Decimal, dp: u32) -> Decimal {
    value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero)
}

/// Which section a line is in: a benefit says who gains it, a cost who pays it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Benefits,
    Costs,
    Offsets,
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
    section: Section,
) -> Vec<LineAmount> {
    lines
        .iter()
        .zip(values)
        .map(|(line, v)| LineAmount {
            name: line.name.clone(),
            label: line.label.clone(),
            amount: exact(v.values[year]),
            gross: v.gross.get(year).map(|g| exact(*g)),
            accrues_to: (section == Section::Benefits).then_some(line.party),
            paid_by: (section == Section::Costs).then_some(line.party),
            parts: parts_of(line)
                .into_iter()
                .zip(&v.parts)
                .map(|((name, label), p)| LineAmount {
                    name,
                    label,
                    amount: exact(p[year]),
                    gross: None,
                    accrues_to: None,
                    paid_by: None,
                    parts: Vec::new(),
                })
                .collect(),
        })
        .collect()
}
