//! Tests of the engine's conventions on small scenarios whose answers are worked by hand.

use crate::number::{Exact, Num};
use crate::report::Report;
use crate::scenario::{Scenario, from_yaml};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

const BASE: &str = r#"
horizon: { first_year: 2021/22, years: 3 }
users:
  opening: { value: 100, source: test }
  installs: { per_year: [10, 20, 30], source: test }
  attrition: { value: 0.1, source: test }
  install_timing: start
"#;

fn scenario(extra: &str) -> Scenario {
    from_yaml(&format!("{BASE}{extra}")).unwrap()
}

fn report(extra: &str) -> Report {
    Report::build(&scenario(extra)).unwrap()
}

fn column(r: &Report, f: fn(&crate::report::YearReport) -> Decimal) -> Vec<Decimal> {
    r.years.iter().map(f).collect()
}

#[test]
fn care_hours_benefit_is_share_hours_weeks_cost_on_programme_user_years() {
    let r = report(
        r#"
benefits:
  hours:
    basket: cost_avoidance
    kind: care_hours
    counts: programme
    share: { value: 0.5, source: t }
    hours_per_week: { value: 2, source: t }
    weeks_per_year: { value: 52, source: t }
    hourly_cost: { value: 20, source: t }
"#,
    );
    // Start timing: 10 installed, 1 leaves mid-year on average -> 9.5 user-years.
    // 0.5 x 9.5 x 2 x 52 x 20 = 9,880.
    assert_eq!(r.years[0].total_benefit, d("9880"));
    assert_eq!(r.years[0].benefit_by_basket[2].amount, d("9880"));
}

#[test]
fn uprating_compounds_from_the_price_year() {
    let r = report(
        r#"
benefits:
  hours:
    basket: prevention
    kind: care_hours
    counts: all
    share: { value: 1, source: t }
    hours_per_week: { value: 1, source: t }
    weeks_per_year: { value: 1, source: t }
    hourly_cost: { value: 100, source: t }
    price_year: 2020/21
    uprating: { value: 0.1, source: t }
"#,
    );
    // Year one is one year after the price year: 100 x 1.1 per user-year.
    let user_years = d("100") - d("10") / d("2") + d("10") - d("1") / d("2");
    let expected = (user_years * d("110")).round();
    assert_eq!(r.years[0].total_benefit, expected);
}

#[test]
fn discounting_leaves_year_one_undiscounted_by_default() {
    let amounts = r#"
benefits:
  fixed: { basket: cashable, kind: amounts, amounts: { each_year: 1000, source: t } }
"#;
    let r = report(amounts);
    assert_eq!(
        column(&r, |y| y.discounted_net),
        vec![d("1000"), d("966"), d("934")]
    );
    assert_eq!(r.summary.npv, d("2900"));
    let discounted = report(&format!(
        "appraisal: {{ discount_first_year: true }}\n{amounts}"
    ));
    assert_eq!(discounted.years[0].discounted_net, d("966"));
}

#[test]
fn cost_lines_of_each_kind() {
    let r = report(
        r#"
appraisal: { optimism_bias: { value: 0.1, source: t } }
costs:
  contract: { kind: amounts, amounts: { per_year: [100, 200, 300], source: t } }
  setup: { kind: one_off, year: 2022/23, amount: { value: 50, source: t } }
  kit: { kind: per_install, unit_cost: { value: 10, source: t } }
  alarm: { kind: per_user, per: week, unit_cost: { value: 1, source: t }, users: { per_year: [2, 0, 0], source: t } }
"#,
    );
    let costs = |name: &str| {
        r.years
            .iter()
            .map(|y| y.cost_lines.iter().find(|l| l.name == name).unwrap().amount)
            .collect::<Vec<_>>()
    };
    // Optimism bias of 10% on every cost.
    assert_eq!(costs("contract"), vec![d("110"), d("220"), d("330")]);
    assert_eq!(costs("setup"), vec![d("0"), d("55"), d("0")]);
    assert_eq!(costs("kit"), vec![d("110"), d("220"), d("330")]);
    assert_eq!(costs("alarm"), vec![d("114"), d("0"), d("0")]);
}

#[test]
fn user_charges_offset_cost() {
    let r = report(
        r#"
offsets:
  charge: { kind: user_charge, counts: all, weekly_charge: { value: 1, source: t }, chargeable_share: { value: 0.5, source: t }, weeks_per_year: { value: 2, source: t } }
"#,
    );
    // All users: 95 + 9.5 user-years x 0.5 x 2 weeks x £1 = 104.5 -> 105 (half away from zero).
    assert_eq!(r.years[0].offsets, d("105"));
    assert_eq!(r.years[0].net, d("105"));
}

#[test]
fn a_charge_from_a_date_charges_the_part_of_that_year_from_the_day() {
    let text = |date: &str| {
        format!(
            r#"
horizon: {{ first_year: 2021/22, years: 3 }}
appraisal: {{ rounding: none }}
users:
  opening: {{ value: 100, source: t }}
  installs: {{ each_year: 0, source: t }}
  attrition: {{ value: 0, source: t }}
offsets:
  charge:
    kind: user_charge
    counts: all
    weekly_charge: {{ value: 1, source: t }}
    chargeable_share: {{ value: 1, source: t }}
    from: {{ date: {date}, source: t }}
"#
        )
    };
    let offsets = |date: &str| -> Vec<Decimal> {
        let r = Report::build(&from_yaml(&text(date)).unwrap()).unwrap();
        // To 20 places: the order of exact division moves only the 28th.
        column(&r, |y| y.offsets)
            .into_iter()
            .map(|v| v.round_dp(20))
            .collect()
    };
    let e = |v: Decimal| v.round_dp(20);
    // 100 users x £1 x 52 weeks = 5,200 a full year; from 15 April 2021, 351 of 365 days.
    let from_april = offsets("2021-04-15");
    assert_eq!(from_april[0], e(d("5200") * d("351") / d("365")));
    assert_eq!(&from_april[1..], &[d("5200"), d("5200")]);
    // From 1 January 2024: nothing before 2023/24; in it, 91 of 2023/24's 366 days (a leap year).
    let from_january = offsets("2024-01-01");
    assert_eq!(&from_january[..2], &[d("0"), d("0")]);
    assert_eq!(from_january[2], e(d("5200") * d("91") / d("366")));
    // The first day of the horizon charges every year whole, as no `from` does.
    assert_eq!(offsets("2021-04-01"), vec![d("5200"); 3]);
    // The last day of the horizon charges one day.
    assert_eq!(offsets("2024-03-31")[2], e(d("5200") / d("366")));
}

#[test]
fn rounding_policy_is_per_line_and_configurable() {
    let text = r#"
costs:
  post:
    kind: staffing
    posts:
      a: { count: { value: 1, source: t }, salary: { value: 43813, source: t }, phasing: { per_year: [0.5, 0.5, 0], source: t } }
      b: { count: { value: 1, source: t }, salary: { value: 43813, source: t }, phasing: { per_year: [0.5, 0, 0], source: t } }
"#;
    let pound = report(text);
    // Each post rounds 21,906.5 up to 21,907; the line is the sum of rounded posts.
    assert_eq!(pound.years[0].total_cost, d("43814"));
    let exact = report(&format!("appraisal: {{ rounding: none }}\n{text}"));
    assert_eq!(exact.years[0].total_cost, d("43813"));
    let penny = report(&format!("appraisal: {{ rounding: penny }}\n{text}"));
    assert_eq!(penny.years[1].total_cost, d("21906.5"));
}

#[test]
fn payback_is_the_first_year_cumulative_net_stays_non_negative() {
    let r = report(
        r#"
benefits:
  b: { basket: cashable, kind: amounts, amounts: { per_year: [0, 100, 100], source: t } }
costs:
  c: { kind: amounts, amounts: { per_year: [150, 0, 0], source: t } }
"#,
    );
    assert_eq!(r.summary.payback_year.as_deref(), Some("2023/24"));
    assert_eq!(r.summary.return_per_pound, Some(d("1.33")));
}

#[test]
fn payback_needs_something_to_pay_back() {
    use crate::model::engine::payback_index;
    let at = |series: &[i32]| payback_index(series.iter().copied(), 0);
    // Nothing happens in any year: no payback, rather than year one.
    assert_eq!(at(&[0, 0, 0]), None);
    assert_eq!(at(&[]), None);
    // Never below zero: the first year with a gain.
    assert_eq!(at(&[5, 5, 5]), Some(0));
    assert_eq!(at(&[0, 0, 5]), Some(2));
    // Below zero: the year after the last such year, reaching zero counting as break-even.
    assert_eq!(at(&[-5, 0, 0]), Some(1));
    assert_eq!(at(&[5, -1, 2]), Some(2));
    assert_eq!(at(&[0, -1, 0]), Some(2));
    assert_eq!(at(&[-5, -1, -1]), None);
    assert_eq!(at(&[-5, 3, -1]), None);

    // A programme with no installs, no benefit and no cost.
    let r = report(
        r#"
benefits:
  b: { basket: cashable, kind: amounts, amounts: { each_year: 0, source: t } }
"#,
    );
    assert_eq!(r.summary.cumulative_net, d("0"));
    assert_eq!(r.summary.payback_year, None);
}

#[test]
fn f64_engine_agrees_with_exact_engine_within_a_penny() {
    for file in ["scenario1", "scenario4", "option2-business-case"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("scenarios/leicestershire/{file}.yaml"));
        let s = crate::scenario::load(&path).unwrap();
        let exact = s.evaluate_exact();
        let floats: Vec<f64> = s
            .params
            .values
            .iter()
            .map(|v| f64::from_decimal(*v))
            .collect();
        let float = super::evaluate(&s.model, &floats);
        for (e, f) in exact.totals.iter().zip(&float.totals) {
            let gap = (e.cumulative_net.to_decimal().unwrap()
                - f.cumulative_net.to_decimal().unwrap())
            .abs();
            assert!(gap <= d("0.01"), "{file}: {gap}");
        }
    }
}

fn money_scenario(hours: Decimal, cost: Decimal, installs: Decimal) -> String {
    format!(
        r#"
horizon: {{ first_year: 2021/22, years: 4 }}
appraisal: {{ rounding: none }}
users:
  opening: {{ value: 50, source: t }}
  installs: {{ each_year: {installs}, source: t }}
  attrition: {{ value: 0.2, source: t }}
benefits:
  h: {{ basket: cost_avoidance, kind: care_hours, counts: programme, share: {{ value: 0.75, source: t }}, hours_per_week: {{ value: {hours}, source: t }}, hourly_cost: {{ value: 16, source: t }} }}
  f: {{ basket: cashable, kind: amounts, amounts: {{ each_year: 1000, source: t }} }}
costs:
  c: {{ kind: per_install, unit_cost: {{ value: {cost}, source: t }} }}
  s: {{ kind: amounts, amounts: {{ per_year: [5000, 100, 100, 100], source: t }} }}
offsets:
  o: {{ kind: amounts, amounts: {{ each_year: 700, source: t }} }}
"#
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn net_is_benefit_minus_cost_plus_offsets_and_cumulates(hours in 0u32..20, cost in 0u32..2000, installs in 0u32..5000) {
        let s = from_yaml(&money_scenario(hours.into(), cost.into(), installs.into())).unwrap();
        let r = Report::build(&s).unwrap();
        let mut cumulative = Decimal::ZERO;
        for y in &r.years {
            prop_assert_eq!(y.net, y.total_benefit - y.total_cost + y.offsets);
            prop_assert_eq!(y.total_benefit, y.benefit_lines.iter().map(|l| l.amount).sum::<Decimal>());
            prop_assert_eq!(y.total_benefit, y.benefit_by_basket.iter().map(|b| b.amount).sum::<Decimal>());
            cumulative += y.net;
            prop_assert_eq!(y.cumulative_net, cumulative);
        }
    }

    #[test]
    fn more_hours_avoided_never_lowers_benefit(hours in 0u32..20, cost in 0u32..2000, installs in 0u32..5000) {
        let lower = Report::build(&from_yaml(&money_scenario(hours.into(), cost.into(), installs.into())).unwrap()).unwrap();
        let higher = Report::build(&from_yaml(&money_scenario((hours + 1).into(), cost.into(), installs.into())).unwrap()).unwrap();
        prop_assert!(higher.summary.total_benefit >= lower.summary.total_benefit);
    }
}

#[test]
fn exact_outcome_flags_overflow_instead_of_panicking() {
    let s = scenario(
        r#"
costs:
  big: { kind: per_install, unit_cost: { value: 70000000000000000000000000000, source: t } }
"#,
    );
    assert!(!s.evaluate_exact().is_valid());
    assert!(Report::build(&s).is_err());
    let _ = Exact::one();
}

#[test]
fn a_field_the_kind_of_line_does_not_use_is_an_error_not_ignored() {
    for (line, field) in [
        (
            "b: { basket: cashable, kind: amounts, amounts: { each_year: 1, source: t }, realisation: { value: 0.5, source: t } }",
            "realisation",
        ),
        (
            "b: { basket: cashable, kind: amounts, amounts: { each_year: 1, source: t }, uprating: { value: 0.1, source: t } }",
            "uprating",
        ),
    ] {
        let error = from_yaml(&format!("{BASE}benefits:\n  {line}\n"))
            .unwrap_err()
            .to_string();
        assert!(
            error.contains(&format!(
                "benefits.b.{field}: is not used by a line of kind `amounts`"
            )),
            "{error}"
        );
    }
    let cost = "c: { kind: per_install, unit_cost: { value: 1, source: t }, users: { each_year: 5, source: t } }";
    let error = from_yaml(&format!("{BASE}costs:\n  {cost}\n"))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("costs.c.users: is not used by a line of kind `per_install`"),
        "{error}"
    );
}
