//! The plan's KPIs against their actuals: per year (a year to date pro-rates a summed KPI's
//! plan by month, as other flows are) and to date, direction-aware (a KPI where lower is
//! better, such as days from referral to install, is on track below plan). A KPI with no
//! actual is not reported and has no RAG; one with no plan is reported but not rated.

use super::actuals::{Actuals, Column};
use super::figures::twelfths;
use super::variance::{Rag, Thresholds, compare};
use super::years::YearActuals;
use crate::model::kpi::{Aggregate, Better, Kpi};
use crate::scenario::Scenario;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;

/// One KPI of the plan, as the report states it once.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct KpiDefinition {
    /// The KPI's key; the measure is `track.<year>.kpi.<name>.<plan|actual|variance>`.
    pub name: String,
    pub label: String,
    pub unit: String,
    /// `higher` or `lower` is better.
    pub better: Better,
    /// `sum` (periods add up) or `latest` (the latest period stands for the year).
    pub aggregate: Aggregate,
    /// Where the plan comes from, or why the plan sets none.
    pub plan_source: String,
}

/// One KPI in one year (or to date): plan, actual, variance and RAG.
#[derive(Debug, Clone, Serialize, PartialEq, schemars::JsonSchema)]
pub struct KpiRow {
    /// `kpi.<name>`.
    pub figure: String,
    pub label: String,
    pub unit: String,
    /// The plan (pro-rated for a year to date of a summed KPI); null when the plan sets none.
    pub plan: Option<Decimal>,
    /// The actual; null when not reported.
    pub actual: Option<Decimal>,
    /// actual - plan; null without both.
    pub variance: Option<Decimal>,
    /// variance as a percentage of plan, one decimal place; null without both or a zero plan.
    pub variance_pct: Option<Decimal>,
    /// Direction-aware; null when not reported, unplanned or the plan is zero.
    pub rag: Option<Rag>,
    /// Whether the actuals report it.
    pub reported: bool,
}

pub fn definitions(scenario: &Scenario) -> Vec<KpiDefinition> {
    let params = &scenario.params;
    scenario
        .model
        .kpis
        .iter()
        .map(|k| KpiDefinition {
            name: k.name.clone(),
            label: k.label.clone(),
            unit: k.unit.clone(),
            better: k.better,
            aggregate: k.aggregate,
            plan_source: match (k.plan, &k.unplanned) {
                (Some(slot), _) => params.info[slot.at(0)].provenance.to_string(),
                (None, reason) => format!("no plan: {}", reason.as_deref().unwrap_or_default()),
            },
        })
        .collect()
}

/// The plan of `kpi` for the first `months` of year `t`: a summed KPI pro-rated by month, to
/// the places its plan is written with; a latest-value KPI as planned for the year.
fn plan_at(scenario: &Scenario, kpi: &Kpi, t: usize, months: u32) -> Option<Decimal> {
    let value = scenario.params.values[kpi.plan?.at(t)];
    Some(match kpi.aggregate {
        Aggregate::Latest => value,
        Aggregate::Sum if months >= 12 => value,
        Aggregate::Sum => twelfths(value, months)
            .round_dp_with_strategy(value.scale(), RoundingStrategy::MidpointAwayFromZero),
    })
}

fn row(kpi: &Kpi, plan: Option<Decimal>, actual: Option<Decimal>, t: Thresholds) -> KpiRow {
    let figure = format!("kpi.{}", kpi.name);
    let (variance, variance_pct, rag) = match plan {
        Some(plan) => {
            let c = compare(
                "kpis",
                figure.clone(),
                kpi.label.clone(),
                plan,
                actual,
                kpi.better == Better::Higher,
                Some(t),
            );
            (c.variance, c.variance_pct, c.rag)
        }
        None => (None, None, None),
    };
    KpiRow {
        figure,
        label: kpi.label.clone(),
        unit: kpi.unit.clone(),
        plan,
        actual,
        variance,
        variance_pct,
        rag,
        reported: actual.is_some(),
    }
}

/// The KPIs of year `t` (to date); empty for a year without actuals.
pub fn year(
    scenario: &Scenario,
    actuals: &Actuals,
    year: &YearActuals,
    t: usize,
    thresholds: Thresholds,
) -> Vec<KpiRow> {
    if year.months == 0 {
        return Vec::new();
    }
    scenario
        .model
        .kpis
        .iter()
        .enumerate()
        .map(|(k, kpi)| {
            let actual = year.get(actuals, Column::Kpi(k));
            row(
                kpi,
                plan_at(scenario, kpi, t, year.months),
                actual,
                thresholds,
            )
        })
        .collect()
}

/// All actuals so far against the plan for the same months: a summed KPI adds its years (not
/// reported if any year with actuals lacks it); a latest-value KPI is the latest year's.
pub fn to_date(
    scenario: &Scenario,
    actuals: &Actuals,
    years: &[YearActuals],
    thresholds: Thresholds,
) -> Vec<KpiRow> {
    let with: Vec<usize> = (0..years.len()).filter(|t| years[*t].months > 0).collect();
    let Some(&last) = with.last() else {
        return Vec::new();
    };
    scenario
        .model
        .kpis
        .iter()
        .enumerate()
        .map(|(k, kpi)| {
            let (plan, actual) = match kpi.aggregate {
                Aggregate::Latest => (
                    plan_at(scenario, kpi, last, years[last].months),
                    years[last].get(actuals, Column::Kpi(k)),
                ),
                Aggregate::Sum => {
                    let add = |a: Option<Decimal>, b: Option<Decimal>| a?.checked_add(b?);
                    let plan = with
                        .iter()
                        .map(|t| plan_at(scenario, kpi, *t, years[*t].months))
                        .reduce(add)
                        .flatten();
                    let actual = with
                        .iter()
                        .map(|t| years[*t].get(actuals, Column::Kpi(k)))
                        .reduce(add)
                        .flatten();
                    (plan, actual)
                }
            };
            row(kpi, plan, actual, thresholds)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kpi(better: Better, aggregate: Aggregate) -> Kpi {
        Kpi {
            name: "k".into(),
            label: "K".into(),
            unit: "days".into(),
            better,
            aggregate,
            plan: None,
            unplanned: Some("none".into()),
        }
    }

    fn t() -> Thresholds {
        Thresholds::parse("green=0.05,amber=0.15").unwrap()
    }

    #[test]
    fn rag_follows_the_kpis_direction() {
        let lower = kpi(Better::Lower, Aggregate::Latest);
        let d = Decimal::from;
        // Ten days planned from referral to install: twelve is 20% adverse, red; eight is good.
        assert_eq!(
            row(&lower, Some(d(10)), Some(d(12)), t()).rag,
            Some(Rag::Red)
        );
        assert_eq!(
            row(&lower, Some(d(10)), Some(d(8)), t()).rag,
            Some(Rag::Green)
        );
        let higher = kpi(Better::Higher, Aggregate::Sum);
        assert_eq!(
            row(&higher, Some(d(10)), Some(d(9)), t()).rag,
            Some(Rag::Amber)
        );
        assert_eq!(
            row(&higher, Some(d(10)), Some(d(12)), t()).rag,
            Some(Rag::Green)
        );
    }

    #[test]
    fn no_actual_or_no_plan_is_never_rated() {
        let k = kpi(Better::Higher, Aggregate::Sum);
        let missing = row(&k, Some(Decimal::from(100)), None, t());
        assert_eq!(
            (missing.rag, missing.reported, missing.variance),
            (None, false, None)
        );
        let unplanned = row(&k, None, Some(Decimal::from(5430)), t());
        assert_eq!((unplanned.rag, unplanned.reported), (None, true));
        assert_eq!(unplanned.variance_pct, None);
    }
}
