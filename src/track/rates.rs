//! Actual unit rates for the re-forecast (`--actual-rates`): each per-install unit cost is
//! replaced by the actual cost per install, measured against the plan's cost per install
//! year by year over the periods that report both cost and installs.

use super::figures::value;
use super::reforecast::Inputs;
use crate::export::format_money;
use crate::model::spec::CostRule;
use crate::number::{Exact, Num};
use rust_decimal::Decimal;
use serde::Serialize;

/// An input replaced by an actual unit rate (`--actual-rates`).
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct RateChange {
    /// The input's path, e.g. `costs.technology.unit_cost`.
    pub input: String,
    /// The plan's value.
    pub approved: Decimal,
    /// The value the re-forecast uses, to the penny.
    pub actual: Decimal,
    /// How it was measured.
    pub basis: String,
}

/// Replaces each per-install unit cost by the actual cost per install, measured against the
/// plan's cost per install year by year over the periods that report both.
pub fn actual_rates(inputs: &Inputs, params: &mut [Exact]) -> Vec<RateChange> {
    let model = &inputs.scenario.model;
    let mut changes = Vec::new();
    for (i, line) in model.costs.iter().enumerate() {
        let CostRule::PerInstall { unit_cost, .. } = &line.rule else {
            continue;
        };
        let (mut actual_cost, mut planned_cost) = (Exact::zero(), Exact::zero());
        let mut months = 0;
        for (t, year) in inputs.years.iter().enumerate() {
            let parts = &inputs.actual[t];
            let (Some(cost), Some(installs)) = (parts.cost_lines[i], parts.installs) else {
                continue;
            };
            let plan_installs = inputs.plan.users[t].installs;
            if year.months == 0 || value(plan_installs).is_zero() {
                continue;
            }
            let plan_cost = inputs.plan.costs[i].values[t];
            actual_cost = actual_cost + Exact::new(cost);
            planned_cost = planned_cost + Exact::new(installs) * plan_cost / plan_installs;
            months += year.months;
        }
        let approved = inputs.scenario.params.values[*unit_cost];
        let replaced = Exact::new(approved) * actual_cost / planned_cost;
        let (Some(replaced), Some(actual_cost), Some(planned_cost)) =
            (replaced.get(), actual_cost.get(), planned_cost.get())
        else {
            continue;
        };
        if planned_cost <= Decimal::ZERO || months == 0 {
            continue;
        }
        params[*unit_cost] = Exact::new(replaced);
        changes.push(RateChange {
            input: format!("costs.{}.unit_cost", line.name),
            approved,
            actual: replaced.round_dp(2),
            basis: format!(
                "actual cost over {months} months of actuals is {} against {} at the planned cost per install for the installs made",
                format_money(actual_cost),
                format_money(planned_cost.round_dp(0))
            ),
        });
    }
    changes
}
