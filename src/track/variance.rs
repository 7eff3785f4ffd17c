//! Plan against actual: variance (actual - plan), variance as a % of plan and a RAG status
//! from the adverse share of the variance.
//!
//! RAG is directional: a benefit, offset, net benefit, install or user above plan is on
//! track (green); so is a cost or a leaver count below plan. An adverse variance is green
//! within `green` of plan, amber within `amber`, red beyond. A figure whose plan is zero has
//! no % and no RAG.

use super::figures::Figures;
use crate::model::Model;
use crate::model::vocabulary::{Basket, Party};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// RAG status of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Rag {
    Green,
    Amber,
    Red,
}

impl Rag {
    pub fn label(self) -> &'static str {
        match self {
            Rag::Green => "green",
            Rag::Amber => "amber",
            Rag::Red => "red",
        }
    }
}

/// Adverse variance allowed, as shares of plan: green within `green`, amber within `amber`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Thresholds {
    pub green: Decimal,
    pub amber: Decimal,
}

impl Thresholds {
    /// Parses `green=0.05,amber=0.15` (either order; both required).
    pub fn parse(text: &str) -> Result<Thresholds, String> {
        let usage = "write --rag green=0.05,amber=0.15 (shares of plan: 5% is 0.05)";
        let (mut green, mut amber) = (None, None);
        for part in text.split(',') {
            let (key, value) = part
                .split_once('=')
                .ok_or_else(|| format!("--rag: `{}` has no `=`; {usage}", part.trim()))?;
            let key = key.trim();
            let slot = match key {
                "green" => &mut green,
                "amber" => &mut amber,
                other => return Err(format!("--rag: unknown threshold `{other}`; {usage}")),
            };
            if value.trim().is_empty() {
                return Err(format!("--rag {key}: no value after `{key}=`; {usage}"));
            }
            let value = crate::literal::decimal(value).map_err(|m| format!("--rag {key}: {m}"))?;
            if let Some(earlier) = slot.replace(value) {
                return Err(format!(
                    "--rag: `{key}` is given twice ({earlier} and {value}); give each of green \
                     and amber once: {usage}"
                ));
            }
        }
        match (green, amber) {
            (Some(green), Some(amber)) => Thresholds { green, amber }.checked(),
            (None, _) => Err(format!(
                "--rag needs both thresholds; `green` is missing: {usage}"
            )),
            (_, None) => Err(format!(
                "--rag needs both thresholds; `amber` is missing: {usage}"
            )),
        }
    }

    /// Checks 0 <= green <= amber <= 1.
    pub fn checked(self) -> Result<Thresholds, String> {
        if self.green < Decimal::ZERO || self.amber > Decimal::ONE || self.green > self.amber {
            return Err(format!(
                "RAG thresholds must satisfy 0 <= green <= amber <= 1, got green {} and amber {}",
                self.green, self.amber
            ));
        }
        Ok(self)
    }

    /// The status of `actual` against `plan` for a figure where more is better or not.
    pub fn rag(self, plan: Decimal, actual: Decimal, more_is_better: bool) -> Option<Rag> {
        if plan.is_zero() {
            return None;
        }
        let variance = actual.checked_sub(plan)?;
        let adverse = if more_is_better { -variance } else { variance };
        if adverse <= Decimal::ZERO {
            return Some(Rag::Green);
        }
        let share = adverse.checked_div(plan.abs())?;
        Some(if share <= self.green {
            Rag::Green
        } else if share <= self.amber {
            Rag::Amber
        } else {
            Rag::Red
        })
    }
}

/// One figure: plan, actual, variance, % and RAG.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Comparison {
    /// `users`, `benefits`, `costs`, `offsets` or `net`.
    pub section: String,
    /// A key for the figure: `installs`, `benefit.<line>`, `basket.<basket>`, `total_benefit`,
    /// `budget_benefit`, `cost.<line>`, `total_cost`, `offset.<line>`, `offsets`, `net`,
    /// `budget_net`, `cumulative_net`.
    pub figure: String,
    /// The figure's label for tables.
    pub label: String,
    /// The planned value (pro-rated for a year to date).
    pub plan: Decimal,
    /// The actual (or forecast) value; null when not reported.
    pub actual: Option<Decimal>,
    /// actual - plan: positive means more than planned.
    pub variance: Option<Decimal>,
    /// variance as a percentage of plan, to one decimal place; null when the plan is zero.
    pub variance_pct: Option<Decimal>,
    /// RAG status; null when the plan is zero, the actual unknown, or not meaningful.
    pub rag: Option<Rag>,
    /// Whether the actuals report the figure (false: `variance` and `rag` are null, and so is
    /// `actual` except in a forecast, where it is the re-forecast's).
    pub reported: bool,
}

impl Comparison {
    /// A forecast of a figure not reported to date: the forecast stands (the re-run's, which
    /// more users than planned move), but it is no result, so it has no variance and no RAG.
    pub fn unreported(mut self) -> Comparison {
        self.variance = None;
        self.variance_pct = None;
        self.rag = None;
        self.reported = false;
        self
    }
}

/// Builds one comparison.
pub fn compare(
    section: &str,
    figure: String,
    label: String,
    plan: Decimal,
    actual: Option<Decimal>,
    more_is_better: bool,
    thresholds: Option<Thresholds>,
) -> Comparison {
    let variance = actual.and_then(|a| a.checked_sub(plan));
    let variance_pct = variance.and_then(|v| {
        v.checked_mul(Decimal::ONE_HUNDRED)?
            .checked_div(plan.abs())
            .map(|p| p.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero))
    });
    Comparison {
        section: section.to_string(),
        figure,
        label,
        plan,
        actual,
        variance,
        variance_pct,
        rag: thresholds
            .zip(actual)
            .and_then(|(t, a)| t.rag(plan, a, more_is_better)),
        reported: actual.is_some(),
    }
}

/// Every figure of a year: plan against actual, in table order.
pub fn compare_all(
    model: &Model,
    plan: &Figures<Decimal>,
    actual: &Figures<Option<Decimal>>,
    thresholds: Option<Thresholds>,
    budget: &[Basket],
) -> Vec<Comparison> {
    let mut out = Vec::new();
    let mut push = |section: &str, figure: String, label: String, p: Decimal, a, better| {
        out.push(compare(section, figure, label, p, a, better, thresholds));
    };
    push(
        "users",
        "installs".into(),
        "Installs".into(),
        plan.installs,
        actual.installs,
        true,
    );
    push(
        "users",
        "leavers".into(),
        "Leavers".into(),
        plan.leavers,
        actual.leavers,
        false,
    );
    push(
        "users",
        "closing_users".into(),
        "TEC users at period end".into(),
        plan.closing_users,
        actual.closing_users,
        true,
    );
    for (i, line) in model.benefits.iter().enumerate() {
        let (p, a) = (plan.benefit_lines[i], actual.benefit_lines[i]);
        push(
            "benefits",
            format!("benefit.{}", line.name),
            beyond_the_council(&line.label, line.party, "to"),
            p,
            a,
            true,
        );
    }
    for (k, basket) in Basket::ALL.iter().enumerate() {
        let label = format!("Basket: {}", basket.label());
        push(
            "benefits",
            format!("basket.{}", basket.key()),
            label,
            plan.baskets[k],
            actual.baskets[k],
            true,
        );
    }
    push(
        "benefits",
        "total_benefit".into(),
        "Total benefit".into(),
        plan.total_benefit,
        actual.total_benefit,
        true,
    );
    let keys: Vec<&str> = budget.iter().map(|b| b.key()).collect();
    let mtfs = format!("Budget-reducing benefit (MTFS view: {})", keys.join(", "));
    push(
        "benefits",
        "budget_benefit".into(),
        mtfs,
        plan.budget_benefit,
        actual.budget_benefit,
        true,
    );
    for (i, line) in model.costs.iter().enumerate() {
        let (p, a) = (plan.cost_lines[i], actual.cost_lines[i]);
        push(
            "costs",
            format!("cost.{}", line.name),
            beyond_the_council(&line.label, line.party, "paid by"),
            p,
            a,
            false,
        );
    }
    push(
        "costs",
        "total_cost".into(),
        "Total cost".into(),
        plan.total_cost,
        actual.total_cost,
        false,
    );
    for (i, line) in model.offsets.iter().enumerate() {
        let (p, a) = (plan.offset_lines[i], actual.offset_lines[i]);
        push(
            "offsets",
            format!("offset.{}", line.name),
            line.label.clone(),
            p,
            a,
            true,
        );
    }
    push(
        "offsets",
        "offsets".into(),
        "Total offsets".into(),
        plan.offsets,
        actual.offsets,
        true,
    );
    push(
        "net",
        "net".into(),
        "Net benefit".into(),
        plan.net,
        actual.net,
        true,
    );
    push(
        "net",
        "budget_net".into(),
        "Net budget reduction (MTFS view)".into(),
        plan.budget_net,
        actual.budget_net,
        true,
    );
    out
}

/// A line's label, saying who gains or pays it when that is not the council (such a line is
/// outside the council's totals).
fn beyond_the_council(label: &str, party: Party, how: &str) -> String {
    if party == Party::Council {
        label.to_string()
    } else {
        format!(
            "{label} ({how} {}, not in the council's totals)",
            party.label()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn rag_is_directional() {
        let t = Thresholds::parse("green=0.05,amber=0.15").unwrap();
        assert_eq!(t.rag(d("100"), d("96"), true), Some(Rag::Green));
        assert_eq!(t.rag(d("100"), d("95"), true), Some(Rag::Green));
        assert_eq!(t.rag(d("100"), d("90"), true), Some(Rag::Amber));
        assert_eq!(t.rag(d("100"), d("84"), true), Some(Rag::Red));
        assert_eq!(t.rag(d("100"), d("300"), true), Some(Rag::Green));
        assert_eq!(t.rag(d("100"), d("120"), false), Some(Rag::Red));
        assert_eq!(t.rag(d("100"), d("80"), false), Some(Rag::Green));
        assert_eq!(t.rag(d("-100"), d("-120"), true), Some(Rag::Red));
        assert_eq!(t.rag(d("0"), d("5"), true), None);
    }

    #[test]
    fn thresholds_parse_strictly() {
        assert!(Thresholds::parse("amber=0.2,green=0.1").is_ok());
        for bad in [
            "green=0.1",
            "green=0.2,amber=0.1",
            "green=x,amber=0.1",
            "red=1,green=0,amber=0",
            "0.05",
        ] {
            assert!(Thresholds::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn variance_is_actual_less_plan_with_percent_of_plan() {
        let c = compare(
            "net",
            "net".into(),
            "Net".into(),
            d("900000"),
            Some(d("4200000")),
            true,
            None,
        );
        assert_eq!(c.variance, Some(d("3300000")));
        assert_eq!(c.variance_pct, Some(d("366.7")));
        let c = compare(
            "costs",
            "c".into(),
            "C".into(),
            d("0"),
            Some(d("10")),
            false,
            None,
        );
        assert_eq!(
            (c.variance, c.variance_pct, c.rag),
            (Some(d("10")), None, None)
        );
    }
}
