//! Tests of `track`: periods to financial years, variances that add up, the re-forecast with
//! actuals equal to the plan, and bad actuals.

use super::actuals::{Actuals, Column, Row, parse};
use super::figures::{outcome_parts, part, twelfths, users_at, value};
use super::period::Period;
use super::*;
use crate::fy::FinancialYear;
use crate::scenario::{Scenario, from_yaml, load};
use proptest::prelude::*;
use std::path::{Path, PathBuf};
use std::str::FromStr;

mod beneficiaries;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// A five-year case with every kind of line: care hours over programme users lasting three
/// years and uprated, amounts in two baskets, per-install, per-user, one-off and staffing costs,
/// offsets.
const FULL: &str = r#"
horizon: { first_year: 2021/22, years: 5 }
users:
  opening: { value: 1213, source: t }
  installs: { per_year: [700, 650, 720, 800, 640], source: t }
  attrition: { value: 0.18, source: t }
benefits:
  care_hours:
    basket: cost_avoidance
    kind: care_hours
    counts: programme
    share: { value: 0.5625, source: t }
    hours_per_week: { value: 2, source: t }
    weeks_per_year: { value: 52, source: t }
    hourly_cost: { value: 15.71, source: t }
    price_year: 2019/20
    uprating: { value: 0.02, source: t }
    realisation: { value: 0.75, source: t }
    duration_years: { value: 3, source: t }
  staff_time:
    basket: efficiency
    kind: amounts
    amounts: { per_year: [10000, 20000, 30000, 40000, 50000], source: t }
  packages:
    basket: cashable
    kind: amounts
    amounts: { each_year: 55555.55, source: t }
costs:
  technology:
    kind: per_install
    unit_cost: { value: 586, source: t }
  monitoring:
    kind: per_user
    counts: all
    unit_cost: { value: 3.5, source: t }
    per: week
  mobilisation:
    kind: one_off
    year: 2022/23
    amount: { value: 250000, source: t }
  team:
    kind: staffing
    posts:
      lead: { count: { value: 1, source: t }, salary: { value: 45000, source: t }, phasing: { per_year: [0.5, 1, 1, 1, 1], source: t } }
offsets:
  ibcf:
    kind: amounts
    amounts: { each_year: 750000, source: t }
tracking:
  rag:
    green: { value: 0.02, source: t }
    amber: { value: 0.1, source: t }
"#;

fn full() -> Scenario {
    from_yaml(FULL).unwrap()
}

fn text_actuals(scenario: &Scenario, text: &str) -> Result<Actuals, TrackError> {
    parse(Path::new("a.csv"), text, &scenario.model)
}

/// Actuals exactly equal to the plan: complete years before `k`, then `months` of year `k`.
pub(super) fn plan_as_actuals(scenario: &Scenario, k: usize, months: u32) -> Actuals {
    let model = &scenario.model;
    let plan = scenario.evaluate_exact();
    let mut columns = vec![Column::Installs, Column::Leavers, Column::ActiveUsers];
    columns.extend((0..model.benefits.len()).map(Column::Benefit));
    columns.extend((0..model.costs.len()).map(Column::Cost));
    columns.extend((0..model.offsets.len()).map(Column::Offset));
    let mut rows = Vec::new();
    for t in 0..=k.min(model.years - 1) {
        let m = if t < k { 12 } else { months };
        if m == 0 {
            continue;
        }
        let parts = outcome_parts(&plan, t, m, model.rounding);
        let mut values = vec![parts.installs, parts.leavers, parts.closing_users];
        values.extend(parts.benefit_lines);
        values.extend(parts.cost_lines);
        values.extend(parts.offset_lines);
        rows.push(Row {
            row: rows.len() + 1,
            line: rows.len() as u64 + 2,
            period: Period {
                year: model.first_year.plus(t as i32),
                first: 0,
                last: m - 1,
            },
            values: values.into_iter().map(Some).collect(),
        });
    }
    Actuals {
        file: PathBuf::from("plan.csv"),
        names: columns.iter().map(|c| format!("{c:?}")).collect(),
        columns,
        rows,
        budget_reducing: None,
        notes: Vec::new(),
        splits: Vec::new(),
    }
}

#[test]
fn months_and_quarters_add_up_to_april_to_march_years() {
    let s = full();
    let mut text = String::from("period,installs,benefit.packages\n");
    // April 2021 to March 2022 by month (January to March 2022 belong to 2021/22), then
    // 2022/23 by quarter.
    for (year, month) in (4..=12)
        .map(|m| (2021, m))
        .chain((1..=3).map(|m| (2022, m)))
    {
        text.push_str(&format!("{year}-{month:02},{month},1000.01\n"));
    }
    for q in 1..=4 {
        text.push_str(&format!("2022/23 Q{q},{q}0,2500\n"));
    }
    text.push_str("2023-04..2023-06,7,3\n");
    let actuals = text_actuals(&s, &text).unwrap();
    let report = build(&s, &actuals, &TrackOptions::default()).unwrap();
    let actual = |t: usize, figure: &str| {
        report.years[t]
            .comparisons
            .iter()
            .find(|c| c.figure == figure)
            .and_then(|c| c.actual)
    };
    assert_eq!(actual(0, "installs"), Some(d("78")));
    assert_eq!(actual(0, "benefit.packages"), Some(d("12000.12")));
    assert_eq!(actual(1, "installs"), Some(d("100")));
    assert_eq!(actual(1, "benefit.packages"), Some(d("10000")));
    assert_eq!(report.years[0].status, years::YearStatus::Complete);
    assert_eq!(report.years[2].status, years::YearStatus::InProgress);
    assert_eq!(report.years[2].months, 3);
    assert_eq!(report.as_at, "2023-06-30");
    assert_eq!(report.actuals_to, "June 2023");
    // Three months of 2023/24 against a quarter of the plan's 55,555.55.
    let packages = report.years[2]
        .comparisons
        .iter()
        .find(|c| c.figure == "benefit.packages");
    assert_eq!(packages.map(|c| c.plan), Some(d("13889")));
    assert_eq!(report.years[3].status, years::YearStatus::Future);
}

fn sum_where(
    comparisons: &[variance::Comparison],
    prefix: &str,
    f: fn(&variance::Comparison) -> Option<Decimal>,
) -> Decimal {
    comparisons
        .iter()
        .filter(|c| c.figure.starts_with(prefix))
        .map(|c| f(c).unwrap())
        .sum()
}

fn assert_adds_up(comparisons: &[variance::Comparison]) {
    if comparisons.is_empty() {
        return;
    }
    let get = |key: &str| comparisons.iter().find(|c| c.figure == key).unwrap();
    for f in [
        (|c: &variance::Comparison| Some(c.plan)) as fn(&variance::Comparison) -> Option<Decimal>,
        |c| c.actual,
        |c| c.variance,
    ] {
        let benefit = sum_where(comparisons, "benefit.", f);
        assert_eq!(benefit, f(get("total_benefit")).unwrap());
        assert_eq!(sum_where(comparisons, "basket.", f), benefit);
        let cost = sum_where(comparisons, "cost.", f);
        assert_eq!(cost, f(get("total_cost")).unwrap());
        let offsets = sum_where(comparisons, "offset.", f);
        assert_eq!(offsets, f(get("offsets")).unwrap());
        assert_eq!(benefit - cost + offsets, f(get("net")).unwrap());
    }
    for c in comparisons.iter().filter(|c| c.actual.is_some()) {
        if c.reported {
            assert_eq!(c.variance, Some(c.actual.unwrap() - c.plan), "{}", c.figure);
        } else {
            // A forecast of a figure not reported to date: the re-run's, never rated.
            assert_eq!((c.variance, c.rag), (None, None), "{}", c.figure);
        }
    }
}

#[test]
fn variances_add_up_to_the_penny() {
    let s = full();
    let text = "period,installs,benefit.care_hours,benefit.staff_time,benefit.packages,cost.technology,cost.monitoring,cost.mobilisation,cost.team,offset.ibcf\n\
        2021/22,650,41234.56,9000,60000.01,401234.99,190000,0,20000,750000\n\
        2022/23 Q1,160,30000.5,5000,13000,95000.25,50000,250000.75,11250,187500\n";
    let actuals = text_actuals(&s, text).unwrap();
    let report = build(&s, &actuals, &TrackOptions::default()).unwrap();
    for year in report.years.iter().filter(|y| y.months > 0) {
        assert_adds_up(&year.comparisons);
        assert_adds_up(&year.forecast);
    }
    assert_adds_up(&report.to_date);
    // To date is the sum of the years.
    let net = |cs: &[variance::Comparison]| {
        cs.iter()
            .find(|c| c.figure == "net")
            .unwrap()
            .actual
            .unwrap()
    };
    assert_eq!(
        net(&report.to_date),
        net(&report.years[0].comparisons) + net(&report.years[1].comparisons)
    );
    // The plan's own RAG thresholds apply: 2% green, 10% amber.
    assert_eq!(report.rag.green, d("0.02"));
}

#[test]
fn reforecast_with_actuals_equal_to_the_plan_reproduces_the_plan() {
    let mut scenarios = vec![full()];
    for path in [
        "scenarios/leicestershire/scenario4.yaml",
        "scenarios/leicestershire/option2-business-case.yaml",
        "scenarios/hertfordshire/assistive-technology.yaml",
        // Cohorts with a start month, and a benefit's time profile, carry on through a re-run.
        "scenarios/examples/two-cohorts.yaml",
        "scenarios/examples/time-profile.yaml",
        // A delayed admission re-run from a later year counts the users of earlier installs
        // still there at admission (before the re-run began).
        "scenarios/examples/delayed-admission.yaml",
    ] {
        scenarios.push(load(Path::new(path)).unwrap());
    }
    for s in &scenarios {
        let plan = crate::report::Report::build(s).unwrap();
        for k in 0..=s.model.years {
            for months in [0, 1, 5, 11] {
                let actuals = plan_as_actuals(s, k, months);
                if actuals.rows.is_empty() {
                    continue;
                }
                let report = build(s, &actuals, &TrackOptions::default()).unwrap();
                let r = &report.reforecast;
                for (t, year) in r.years.iter().enumerate() {
                    let net = year.figures.iter().find(|c| c.figure == "net").unwrap();
                    assert_eq!(
                        net.actual,
                        Some(plan.years[t].net),
                        "{} k={k} m={months} {}",
                        s.name,
                        year.year
                    );
                    assert_eq!(net.variance, Some(Decimal::ZERO));
                }
                assert_eq!(
                    r.reforecast_cumulative_net, plan.summary.cumulative_net,
                    "{} k={k} m={months}",
                    s.name
                );
                assert_eq!(r.change, Decimal::ZERO);
                for year in report.years.iter().filter(|y| y.months > 0) {
                    for c in year.comparisons.iter().chain(&year.forecast) {
                        if !c.section.starts_with("users") {
                            assert_eq!(
                                c.variance,
                                Some(Decimal::ZERO),
                                "{} {} {}",
                                s.name,
                                year.year,
                                c.figure
                            );
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn reforecast_starts_from_actual_users_and_keeps_the_plans_mix() {
    let s = load(Path::new("scenarios/leicestershire/scenario4.yaml")).unwrap();
    let text = "period,active_users\n2021/22,1500\n";
    let actuals = text_actuals(&s, text).unwrap();
    let report = build(&s, &actuals, &TrackOptions::default()).unwrap();
    let r = &report.reforecast;
    assert_eq!(r.rerun_from.as_deref(), Some("2022/23"));
    assert_eq!(r.opening_users, Some(d("1500")));
    // Fewer users than planned (1,647): every later year nets less, cumulatively.
    assert!(r.change < Decimal::ZERO);
    let users = |t: usize| r.years[t].figures[0].actual.unwrap();
    assert!(users(1) < r.years[1].figures[0].plan);
    // Scaling the plan's position to 1,500 users, re-run by the engine from 2022/23.
    let plan_users = crate::model::users::UserModel::build(
        &s.model.users,
        &s.params
            .values
            .iter()
            .map(|v| crate::number::Exact::new(*v))
            .collect::<Vec<_>>(),
        s.model.years,
    );
    let start = reforecast::start_after(&plan_users, 0, Some(d("1500")));
    let total = start.total().unwrap();
    assert_eq!(value(total).round_dp(20), d("1500"));
}

#[test]
fn actual_users_split_between_cohorts_in_the_plans_proportions() {
    let s = load(Path::new("scenarios/examples/two-cohorts.yaml")).unwrap();
    let params: Vec<crate::number::Exact> = s.params_as();
    let plan = crate::model::users::UserModel::build(&s.model.users, &params, s.model.years);
    // Half the planned users at the end of 2021/22: every cohort and group is halved.
    let half = value(plan.years[0].closing) / d("2");
    let start = reforecast::start_after(&plan, 0, Some(half));
    for (c, cohort) in start.cohorts.iter().enumerate() {
        let planned = &plan.cohorts[c].years[0];
        let planned = value(planned.closing) / d("2");
        let now = cohort.groups.iter().fold(cohort.baseline, |a, g| a + g.now);
        assert_eq!(value(now).round_dp(20), planned.round_dp(20));
    }
    let text = format!("period,active_users\n2021/22,{}\n", half.round_dp(0));
    let actuals = text_actuals(&s, &text).unwrap();
    let report = build(&s, &actuals, &TrackOptions::default()).unwrap();
    assert_eq!(report.reforecast.rerun_from.as_deref(), Some("2022/23"));
    assert!(report.reforecast.change < Decimal::ZERO);
}

#[test]
fn an_ambition_needs_one_attrition_rate_across_cohorts() {
    let dir = env!("CARGO_MANIFEST_DIR");
    let ambition = |rate: &str| {
        from_yaml(&format!(
            "extends: {dir}/scenarios/examples/two-cohorts.yaml\noverrides:\n  cohorts.learning_disability.attrition: {{ value: {rate}, source: t }}\ntracking:\n  ambition: {{ users: {{ value: 2000, source: t }}, by: 2024-03 }}\n"
        ))
        .unwrap()
    };
    let text = "period,active_users\n2021/22,700\n";
    let differ = ambition("0.1");
    let actuals = text_actuals(&differ, text).unwrap();
    let message = build(&differ, &actuals, &TrackOptions::default())
        .expect_err("the cohorts' rates differ")
        .to_string();
    assert!(
        message.contains("needs one attrition rate, but cohort `older_people` has 0.2 and `learning_disability` has 0.1"),
        "{message}"
    );
    // One rate for both: the ambition is solved as for one cohort.
    let same = ambition("0.2");
    let actuals = text_actuals(&same, text).unwrap();
    let report = build(&same, &actuals, &TrackOptions::default()).unwrap();
    assert!(report.ambition.is_some());
}

#[test]
fn actual_rates_replace_the_unit_cost_per_install() {
    let s = load(Path::new("scenarios/leicestershire/scenario4.yaml")).unwrap();
    let text = "period,installs,cost.technology\n2021/22 Q1,100,60000\n";
    let actuals = text_actuals(&s, text).unwrap();
    let options = TrackOptions {
        actual_rates: true,
        ..TrackOptions::default()
    };
    let report = build(&s, &actuals, &options).unwrap();
    let rate = &report.reforecast.rates[0];
    assert_eq!(rate.input, "costs.technology.unit_cost");
    assert_eq!(rate.actual, d("600"));
    let without = build(&s, &actuals, &TrackOptions::default()).unwrap();
    assert!(
        report.reforecast.reforecast_cumulative_net < without.reforecast.reforecast_cumulative_net
    );
}

#[test]
fn pro_rating_is_even_by_month_and_rounded_per_line() {
    assert_eq!(
        part(d("55555.55"), 3, crate::scenario::document::Rounding::Pound),
        d("13889")
    );
    assert_eq!(
        part(d("55555.55"), 3, crate::scenario::document::Rounding::Penny),
        d("13888.89")
    );
    assert_eq!(
        part(d("100"), 12, crate::scenario::document::Rounding::Pound),
        d("100")
    );
    assert_eq!(twelfths(d("1200"), 7), d("700"));
    let s = full();
    let plan = s.evaluate_exact();
    let opening = value(plan.users[0].opening);
    assert_eq!(users_at(&plan, 0, 0), opening);
    assert_eq!(users_at(&plan, 0, 12), value(plan.users[0].closing));
}

fn error_of(s: &Scenario, text: &str, options: &TrackOptions) -> String {
    match text_actuals(s, text).and_then(|a| build(s, &a, options)) {
        Ok(_) => panic!("no error for:\n{text}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn bad_actuals_name_the_file_row_and_column() {
    let s = full();
    let none = TrackOptions::default();
    let cases: &[(&str, &str)] = &[
        (
            "period,instals\n2021-04,5\n",
            "a.csv: header (line 1), column `instals`: unknown column (did you mean `installs`?)",
        ),
        (
            "period,installs\n2021-04,5\n2020-04,5\n",
            "a.csv: row 2 (line 3), column `period`: 2020-04 is in 2020/21, outside the plan's horizon 2021/22 to 2025/26",
        ),
        (
            "period,installs\n2026/27 Q1,5\n",
            "row 1 (line 2), column `period`: 2026/27 Q1 is in 2026/27, outside",
        ),
        (
            "period,installs\n2021-04,5\n2021-05,5\n2021-04,6\n",
            "a.csv: row 3 (line 4), column `period`: 2021-04 appears twice (also row 1)",
        ),
        (
            "period,installs\n2021/22 Q1,5\n2021-05,5\n",
            "a.csv: row 2 (line 3), column `period`: 2021-05 overlaps 2021/22 Q1 in row 1",
        ),
        (
            "period,installs\n2021-04,5\n2021-05,five\n",
            "a.csv: row 2 (line 3), column `installs`: expected a number, found `five`",
        ),
        (
            "period,benefit.packages\n2021-04,£5\n",
            "row 1 (line 2), column `benefit.packages`: `£5`: write amounts without a currency sign",
        ),
        (
            "period,leavers\n2021-04,-3\n",
            "a.csv: row 1 (line 2), column `leavers`: a count cannot be negative, got -3",
        ),
        (
            "period,installs\n2021-04,NaN\n",
            "column `installs`: `NaN` is not a finite number",
        ),
        (
            "period,installs\n2021-05,5\n",
            "row 1 (line 2), column `period`: 2021-05 leaves a gap: the year's first period must start in April",
        ),
        (
            "period,installs\n2021/22 Q1,5\n2021/22 Q3,5\n",
            "row 2 (line 3), column `period`: 2021/22 Q3 leaves a gap: the periods before it end in June 2021",
        ),
        (
            "period,installs\n2021/22 Q1,5\n2022-04,5\n",
            "row 1 (line 2), column `period`: 2021/22 ended by the as-at date 2022-04-30 but the actuals cover April to June 2021",
        ),
        (
            "period,installs\n2021-04,5\n2021-05,\n",
            "row 2 (line 3), column `installs`: is empty, but row 1 gives it for 2021/22",
        ),
        (
            "period,benefit.care_hours,basket.cost_avoidance\n2021-04,5,5\n",
            "header (line 1), column `basket.cost_avoidance`: benefit line `care_hours` is in this basket",
        ),
        (
            "period,installs,installs\n2021-04,5,5\n",
            "header (line 1), column `installs`: the column appears twice",
        ),
        (
            "installs\n5\n",
            "column `period`: the file has no `period` column",
        ),
        (
            "period,installs\n2021-04,5,6\n",
            "a.csv: line 2: the row has 3 cells but the header has 2",
        ),
        (
            "period,installs\n",
            "a.csv: has a header but no rows of actuals",
        ),
        (
            "period,installs\n2021-13,5\n",
            "row 1 (line 2), column `period`: `2021-13` is not a period",
        ),
        (
            "period,installs\n2021-04,1e16\n",
            "column `installs`: 1e16 is larger than any council's figure",
        ),
        (
            "#! budget_reducing: cashable, savings\nperiod,installs\n2021-04,5\n",
            "a.csv: line 1, directive `#! budget_reducing`: `savings` is not a basket",
        ),
        (
            "# a comment\n#! colour: blue\nperiod,installs\n2021-04,5\n",
            "a.csv: line 2, directive `#! colour`: unknown directive `colour`",
        ),
        (
            "period,installs,\n2021-04,5,\n",
            "a.csv: header (line 1): column 3 has no name (a trailing comma at the end of the \
             header?)",
        ),
        (
            "period,,installs\n2021-04,5,1\n",
            "a.csv: header (line 1): column 2 has no name; every column needs one",
        ),
    ];
    for (text, expected) in cases {
        let message = error_of(&s, text, &none);
        assert!(
            message.contains(expected),
            "{text}\n  got: {message}\n  want: {expected}"
        );
    }
    let april = "period,installs\n2021-04,5\n";
    let as_at = |date: &str| TrackOptions {
        as_at: Some(date.into()),
        ..TrackOptions::default()
    };
    assert!(
        error_of(&s, april, &as_at("2021-04-15")).contains(
            "row 1 (line 2), column `period`: 2021-04 ends after the as-at date 2021-04-15"
        )
    );
    assert!(error_of(&s, april, &as_at("2021-02-30")).contains("--as-at"));
    assert!(error_of(&s, april, &as_at("2021-03-31")).contains("before the plan's first year"));
    let rag = |r: &str| TrackOptions {
        rag: Some(r.into()),
        ..TrackOptions::default()
    };
    assert!(error_of(&s, april, &rag("green=0.2,amber=0.1")).contains("green <= amber"));
}

#[test]
fn a_year_in_progress_may_have_no_actuals_yet() {
    let s = full();
    let text = "period,installs\n2021/22,700\n";
    let options = TrackOptions {
        as_at: Some("2022-05-15".into()),
        ..TrackOptions::default()
    };
    let report = build(&s, &text_actuals(&s, text).unwrap(), &options).unwrap();
    assert_eq!(report.years[1].status, years::YearStatus::InProgress);
    assert_eq!(report.years[1].months, 0);
    assert_eq!(report.reforecast.rerun_from.as_deref(), Some("2022/23"));
    assert_eq!(report.years[0].year, FinancialYear(2021).to_string());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Whatever the actuals, per year and to date, lines sum to their totals and the
    /// variances of the lines sum to the variance of the total.
    #[test]
    fn any_actuals_add_up(
        cells in proptest::collection::vec((0i64..10_000_000_000, 0u32..3), 9 * 3),
        quarters in 1usize..=3,
    ) {
        let s = full();
        let mut text = String::from("period,benefit.care_hours,benefit.staff_time,benefit.packages,cost.technology,cost.monitoring,cost.mobilisation,cost.team,offset.ibcf,installs\n");
        for q in 0..quarters {
            let row: Vec<String> = cells[q * 9..q * 9 + 9]
                .iter()
                .map(|(v, dp)| Decimal::new(*v, *dp).to_string())
                .collect();
            text.push_str(&format!("2021/22 Q{},{}\n", q + 1, row.join(",")));
        }
        let report = build(&s, &text_actuals(&s, &text).unwrap(), &TrackOptions::default()).unwrap();
        assert_adds_up(&report.years[0].comparisons);
        assert_adds_up(&report.years[0].forecast);
        assert_adds_up(&report.to_date);
    }
}

#[test]
fn budget_reducing_baskets_come_from_the_actuals_then_the_plan_then_cashable() {
    let s = full();
    let text =
        "period,benefit.staff_time,benefit.packages,benefit.care_hours\n2021/22,100,200,400\n";
    let default = build(
        &s,
        &text_actuals(&s, text).unwrap(),
        &TrackOptions::default(),
    )
    .unwrap();
    assert_eq!(default.budget_reducing.baskets, vec![Basket::Cashable]);
    let directive = format!("#! budget_reducing: efficiency, cashable\n{text}");
    let report = build(
        &s,
        &text_actuals(&s, &directive).unwrap(),
        &TrackOptions::default(),
    )
    .unwrap();
    assert_eq!(
        report.budget_reducing.baskets,
        vec![Basket::Cashable, Basket::Efficiency]
    );
    let budget = report.years[0]
        .comparisons
        .iter()
        .find(|c| c.figure == "budget_benefit");
    assert_eq!(budget.and_then(|c| c.actual), Some(d("300")));
    let essex = load(Path::new("scenarios/essex/care-technology-savings.yaml")).unwrap();
    let baskets = &essex.tracking.budget_reducing.as_ref().unwrap().0;
    assert_eq!(baskets, &vec![Basket::Cashable, Basket::CostAvoidance]);
}

#[test]
fn the_tracking_section_is_checked_where_it_is_written() {
    let bad = FULL.replace("green: { value: 0.02", "green: { value: 0.2");
    let message = from_yaml(&bad).unwrap_err().to_string();
    assert!(
        message.contains("tracking.rag: `green` must not be above `amber`"),
        "{message}"
    );
    let bad = format!("{FULL}  ambition: {{ users: {{ value: 10, source: t }}, by: 2028-13 }}\n");
    let message = from_yaml(&bad).unwrap_err().to_string();
    assert!(message.contains("tracking.ambition.by"), "{message}");
}
