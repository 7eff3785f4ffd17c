//! `track` with the benefit kinds of issue 16: benefits that accrue to the NHS stay out of
//! the council's totals and the MTFS view, and the new kinds re-forecast through the engine.

use super::super::*;
use super::plan_as_actuals;
use crate::scenario::{Scenario, from_yaml};
use std::path::Path;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

const KINDS: &str = r#"
horizon: { first_year: 2022/23, years: 4 }
users:
  opening: { value: 400, source: t }
  installs: { each_year: 200, source: t }
  attrition: { value: 0.2, source: t }
benefits:
  visits:
    basket: cashable
    kind: per_user
    counts: all
    amount: { value: 25, source: t }
    per: month
    share: { value: 0.5, source: t }
    deadweight: { value: 0.2, source: t }
    attribution: { value: 0.9, source: t }
  packages:
    basket: cost_avoidance
    kind: package_reduction
    counts: programme
    package_cost: { value: 300, source: t }
    per: week
    reduction: { value: 0.2, source: t }
    share: { value: 0.25, source: t }
    price_year: 2021/22
    uprating: { value: 0.03, source: t }
  ambulance:
    basket: cashable
    kind: avoided_events
    accrues_to: nhs
    counts: all
    rate: { value: 0.6, source: t }
    avoided: { value: 0.3, source: t }
    unit_cost: { value: 400, source: t }
    optimism_bias: { value: 0.1, source: t }
costs:
  kit: { kind: per_install, unit_cost: { value: 300, source: t }, optimism_bias: { value: 0.2, source: t } }
  therapy: { kind: amounts, paid_by: nhs, amounts: { each_year: 15000, source: t } }
tracking:
  budget_reducing:
    baskets: [cashable]
    reason: test
"#;

fn kinds() -> Scenario {
    from_yaml(KINDS).unwrap()
}

fn figure<'a>(comparisons: &'a [variance::Comparison], key: &str) -> &'a variance::Comparison {
    comparisons.iter().find(|c| c.figure == key).unwrap()
}

#[test]
fn reforecast_of_the_new_kinds_with_actuals_equal_to_the_plan_is_the_plan() {
    let s = kinds();
    let plan = crate::report::Report::build(&s).unwrap();
    for k in 0..=s.model.years {
        for months in [0, 3, 12] {
            let actuals = plan_as_actuals(&s, k, months);
            if actuals.rows.is_empty() {
                continue;
            }
            let report = build(&s, &actuals, &TrackOptions::default()).unwrap();
            for (t, year) in report.reforecast.years.iter().enumerate() {
                assert_eq!(
                    figure(&year.figures, "net").actual,
                    Some(plan.years[t].net),
                    "k={k} m={months} {}",
                    year.year
                );
            }
            assert_eq!(report.reforecast.change, Decimal::ZERO, "k={k} m={months}");
        }
    }
}

#[test]
fn nhs_benefits_and_costs_are_tracked_by_line_but_not_in_the_councils_totals() {
    let s = kinds();
    let plan = s.evaluate_exact();
    let line = |lines: &[crate::model::LineValues<crate::number::Exact>], i: usize| {
        plan_figure(lines[i].values[0])
    };
    let (visits, packages, ambulance) = (
        line(&plan.benefits, 0),
        line(&plan.benefits, 1),
        line(&plan.benefits, 2),
    );
    let (kit, therapy) = (line(&plan.costs, 0), line(&plan.costs, 1));
    assert!(ambulance > Decimal::ZERO && therapy > Decimal::ZERO);
    let report = build(&s, &plan_as_actuals(&s, 0, 12), &TrackOptions::default()).unwrap();
    let year = &report.years[0].comparisons;
    assert_eq!(figure(year, "benefit.ambulance").plan, ambulance);
    assert!(
        figure(year, "benefit.ambulance")
            .label
            .contains("to the NHS, not in the council's totals")
    );
    assert_eq!(figure(year, "total_benefit").plan, visits + packages);
    assert_eq!(figure(year, "total_cost").plan, kit);
    // The MTFS view: the council's cashable benefit only (the NHS line is cashable too).
    assert_eq!(figure(year, "budget_benefit").plan, visits);
    assert_eq!(figure(year, "basket.cashable").plan, visits);
    assert_eq!(figure(year, "net").plan, visits + packages - kit);
    assert_eq!(figure(year, "budget_net").plan, visits - kit);
}

fn plan_figure(x: crate::number::Exact) -> Decimal {
    x.get().unwrap()
}

#[test]
fn more_actual_users_raise_the_reforecast_of_every_user_derived_kind() {
    let s = kinds();
    // Planned: 400 x 0.8 + 200 x 0.9 = 500 users at the end of 2022/23; 900 reported. The
    // year after is in progress (its first quarter's installs as planned).
    let text = "period,installs,active_users\n2022/23,200,900\n2023/24 Q1,50,\n";
    let actuals = super::super::actuals::parse(Path::new("a.csv"), text, &s.model).unwrap();
    let report = build(&s, &actuals, &TrackOptions::default()).unwrap();
    assert_eq!(report.reforecast.opening_users, Some(d("900")));
    // 2023/24 is re-run by the engine from 900 users: every line on the users forecasts more
    // than planned, the NHS's included; the council's benefit rises by its own lines only.
    let forecast = &report.years[1].forecast;
    for line in ["benefit.visits", "benefit.packages", "benefit.ambulance"] {
        let c = figure(forecast, line);
        assert!(c.actual.unwrap() > c.plan, "{line}: {c:?}");
    }
    // Not reported to date, so forecast by the re-run alone and not rated: no variance.
    let gain = |key: &str| {
        let c = figure(forecast, key);
        assert!(
            c.rag.is_none() && c.variance.is_none() && !c.reported,
            "{c:?}"
        );
        c.actual.unwrap() - c.plan
    };
    assert_eq!(
        gain("total_benefit"),
        gain("benefit.visits") + gain("benefit.packages")
    );
    assert!(report.reforecast.change > Decimal::ZERO);
}

#[test]
fn an_nhs_line_may_have_a_column_beside_the_councils_basket() {
    let s = kinds();
    // The NHS line is cashable too, but not in the council's cashable basket.
    let text =
        "period,basket.cashable,benefit.ambulance,benefit.packages\n2022/23,50000,20000,7000\n";
    let actuals = super::super::actuals::parse(Path::new("a.csv"), text, &s.model).unwrap();
    let report = build(&s, &actuals, &TrackOptions::default()).unwrap();
    let year = &report.years[0].comparisons;
    assert_eq!(figure(year, "basket.cashable").actual, Some(d("50000")));
    assert_eq!(figure(year, "benefit.ambulance").actual, Some(d("20000")));
    // The council's benefit: its cashable basket and its package line; the NHS's is not in it.
    assert_eq!(figure(year, "total_benefit").actual, Some(d("57000")));
    // A council line beside its own basket's column is still refused.
    let text = "period,basket.cashable,benefit.visits\n2022/23,50000,20000\n";
    assert!(super::super::actuals::parse(Path::new("a.csv"), text, &s.model).is_err());
}
