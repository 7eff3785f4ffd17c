//! Hand-worked figures for the benefit kinds beyond care hours and amounts, their
//! adjustments and their beneficiaries.

use crate::number::Exact;
use crate::report::Report;
use crate::scenario::{Scenario, from_yaml};
use rust_decimal::Decimal;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// 100 users at the start, 10, 20 and 30 installed at the start of each year, 10% attrition:
/// programme user-years 9.5 then 27.55 (9 - 0.45 + 20 - 1); all users' 104.5 then 113.05.
fn users(timing: &str, attrition: &str) -> String {
    format!(
        r#"
horizon: {{ first_year: 2021/22, years: 3 }}
users:
  opening: {{ value: 100, source: test }}
  installs: {{ per_year: [10, 20, 30], source: test }}
  attrition: {{ value: {attrition}, source: test }}
  install_timing: {timing}
"#
    )
}

fn scenario(extra: &str) -> Scenario {
    from_yaml(&format!("{}{extra}", users("start", "0.1"))).unwrap()
}

fn line(r: &Report, name: &str) -> Vec<Decimal> {
    r.years
        .iter()
        .map(|y| {
            y.benefit_lines
                .iter()
                .find(|l| l.name == name)
                .unwrap()
                .amount
        })
        .collect()
}

fn report(extra: &str) -> Report {
    Report::build(&scenario(extra)).unwrap()
}

#[test]
fn per_user_is_amount_times_periods_share_and_user_years() {
    let r = report(
        r#"
benefits:
  visits:
    basket: cashable
    kind: per_user
    counts: programme
    amount: { value: 10, source: t }
    per: month
    share: { value: 0.5, source: t }
"#,
    );
    // 10 x 12 x 0.5 = 60 a user-year: x 9.5 = 570; x 27.55 = 1,653.
    assert_eq!(line(&r, "visits")[..2], [d("570"), d("1653")]);
}

#[test]
fn package_reduction_cuts_a_weekly_package_for_a_share_of_all_users() {
    let r = report(
        r#"
benefits:
  packages:
    basket: cost_avoidance
    kind: package_reduction
    counts: all
    package_cost: { value: 200, source: t }
    per: week
    reduction: { value: 0.38, source: t }
    share: { value: 0.25, source: t }
"#,
    );
    // 200 x 52 x 0.38 x 0.25 = 988 a user-year: x 104.5 = 103,246; x 113.05 = 111,693.4.
    assert_eq!(line(&r, "packages")[..2], [d("103246"), d("111693")]);
}

#[test]
fn avoided_events_are_rate_avoided_share_and_unit_cost() {
    let r = report(
        r#"
benefits:
  falls:
    basket: prevention
    kind: avoided_events
    counts: programme
    rate: { value: 0.6, source: t }
    avoided: { value: 0.25, source: t }
    unit_cost: { value: 250, source: t }
"#,
    );
    // 0.6 x 0.25 x 250 = 37.5 a user-year: x 9.5 = 356.25; x 27.55 = 1,033.125.
    assert_eq!(line(&r, "falls")[..2], [d("356"), d("1033")]);
}

#[test]
fn install_timing_and_no_attrition() {
    let text = r#"
benefits:
  visits:
    basket: cashable
    kind: per_user
    counts: programme
    amount: { value: 100, source: t }
    per: year
    share: { value: 1, source: t }
"#;
    let at = |timing: &str| {
        let s = from_yaml(&format!("{}{text}", users(timing, "0"))).unwrap();
        line(&Report::build(&s).unwrap(), "visits")
    };
    // No attrition: a cohort gives a whole year from the year after its install; in its
    // own year all of it (start), half (middle) or none (end).
    assert_eq!(at("start"), [d("1000"), d("3000"), d("6000")]);
    assert_eq!(at("middle"), [d("500"), d("2000"), d("4500")]);
    assert_eq!(at("end"), [d("0"), d("1000"), d("3000")]);
}

#[test]
fn new_kinds_are_uprated_from_their_price_year() {
    let r = report(
        r#"
benefits:
  visits:
    basket: cashable
    kind: per_user
    counts: programme
    amount: { value: 10, source: t }
    per: month
    share: { value: 0.5, source: t }
    price_year: 2020/21
    uprating: { value: 0.1, source: t }
"#,
    );
    // 570 x 1.1; 1,653 x 1.21 (1,653 before rounding: 60 x 27.55 x 1.21 = 2,000.13).
    assert_eq!(line(&r, "visits")[..2], [d("627"), d("2000")]);
}

#[test]
fn every_factor_of_a_new_kind_is_an_input() {
    let s = scenario(
        r#"
benefits:
  p:
    basket: cashable
    kind: package_reduction
    counts: all
    package_cost: { value: 1, source: t }
    per: week
    reduction: { value: 0.1, source: t }
    share: { value: 0.5, source: t }
    deadweight: { value: 0.1, source: t }
    displacement: { value: 0.1, source: t }
    attribution: { value: 0.9, source: t }
    optimism_bias: { value: 0.1, source: t }
  e:
    basket: cashable
    kind: avoided_events
    counts: all
    rate: { value: 1, source: t }
    avoided: { value: 0.1, source: t }
    unit_cost: { value: 1, source: t }
  u:
    basket: cashable
    kind: per_user
    counts: all
    amount: { value: 1, source: t }
    per: week
    share: { value: 1, source: t }
    duration_years: { value: 2, source: t }
costs:
  c:
    kind: per_install
    unit_cost: { value: 1, source: t }
    optimism_bias: { value: 0.2, source: t }
"#,
    );
    let paths = s.params.paths();
    for path in [
        "benefits.p.package_cost",
        "benefits.p.reduction",
        "benefits.p.share",
        "benefits.p.uprating",
        "benefits.p.deadweight",
        "benefits.p.displacement",
        "benefits.p.attribution",
        "benefits.p.optimism_bias",
        "benefits.e.rate",
        "benefits.e.avoided",
        "benefits.e.unit_cost",
        "benefits.u.amount",
        "benefits.u.share",
        "benefits.u.duration_years",
        "costs.c.optimism_bias",
    ] {
        assert!(paths.contains(&path), "{path} not in {paths:?}");
    }
}

#[test]
fn adjustments_multiply_the_gross_and_both_are_kept() {
    let s = scenario(
        r#"
benefits:
  visits:
    basket: cashable
    kind: per_user
    counts: programme
    amount: { value: 10, source: t }
    per: month
    share: { value: 0.5, source: t }
    deadweight: { value: 0.2, source: t }
    displacement: { value: 0.1, source: t }
    attribution: { value: 0.5, source: t }
    optimism_bias: { value: 0.25, source: t }
  grant:
    basket: cashable
    kind: amounts
    amounts: { per_year: [1000, 1000, 1000], source: t }
    attribution: { value: 0.6, source: t }
"#,
    );
    let outcome = s.evaluate_exact();
    let exact = |v: &[Exact]| v.iter().map(|x| x.get().unwrap()).collect::<Vec<_>>();
    // 570 x 0.8 x 0.9 x 0.5 x 0.75 = 570 x 0.27 = 153.9; 1,653 x 0.27 = 446.31.
    assert_eq!(
        exact(&outcome.benefits[0].gross)[..2],
        [d("570"), d("1653")]
    );
    assert_eq!(
        exact(&outcome.benefits[0].values)[..2],
        [d("154"), d("446")]
    );
    assert_eq!(exact(&outcome.benefits[1].values), [d("600"); 3]);
    assert_eq!(exact(&outcome.benefits[1].gross), [d("1000"); 3]);
    assert_eq!(
        outcome.totals[0].benefit.get(),
        Some(d("754")),
        "the adjusted amounts count"
    );
}

#[test]
fn a_line_without_adjustments_keeps_no_gross() {
    let s = scenario(
        r#"
benefits:
  grant: { basket: cashable, kind: amounts, amounts: { each_year: 5, source: t } }
"#,
    );
    assert!(s.evaluate_exact().benefits[0].gross.is_empty());
}

#[test]
fn a_cost_lines_optimism_bias_replaces_the_appraisals() {
    let s = scenario(
        r#"
appraisal: { optimism_bias: { value: 0.1, source: t } }
costs:
  kit: { kind: per_install, unit_cost: { value: 10, source: t }, optimism_bias: { value: 0.5, source: t } }
  contract: { kind: amounts, amounts: { each_year: 100, source: t } }
"#,
    );
    let r = Report::build(&s).unwrap();
    let cost = |name: &str| {
        r.years[0]
            .cost_lines
            .iter()
            .find(|l| l.name == name)
            .unwrap()
            .amount
    };
    // 10 installs x £10 x 1.5 (its own), not x 1.1; the contract keeps the appraisal's 1.1.
    assert_eq!(cost("kit"), d("150"));
    assert_eq!(cost("contract"), d("110"));
}

#[test]
fn a_new_kind_needs_its_period_and_its_fields_in_range() {
    let bad = |line: &str| {
        from_yaml(&format!("{}benefits:\n  b: {line}\n", users("start", "0")))
            .unwrap_err()
            .to_string()
    };
    let error = bad(
        "{ basket: cashable, kind: per_user, counts: all, amount: { value: 1, source: t }, share: { value: 1, source: t } }",
    );
    assert!(error.contains("needs `per`"), "{error}");
    let error = bad(
        "{ basket: cashable, kind: avoided_events, counts: all, rate: { value: 1, source: t }, avoided: { value: 1.5, source: t }, unit_cost: { value: 1, source: t } }",
    );
    assert!(error.contains("benefits.b.avoided"), "{error}");
    assert!(error.contains("between 0 and 1"), "{error}");
    let error = bad(
        "{ basket: cashable, kind: amounts, amounts: { each_year: 1, source: t }, deadweight: { value: 2, source: t } }",
    );
    assert!(error.contains("benefits.b.deadweight"), "{error}");
    let error = bad(
        "{ basket: cashable, kind: per_user, counts: all, amount: { value: 1, source: t }, per: week, share: { value: 1, source: t }, hourly_cost: { value: 1, source: t } }",
    );
    assert!(
        error.contains("benefits.b.hourly_cost: is not used by a line of kind `per_user`"),
        "{error}"
    );
}

#[test]
fn the_headline_is_the_councils_and_the_public_sector_adds_the_nhs() {
    let r = report(
        r#"
benefits:
  council: { basket: cashable, kind: amounts, amounts: { each_year: 1000, source: t } }
  hospital: { basket: cost_avoidance, kind: amounts, accrues_to: nhs, amounts: { each_year: 500, source: t } }
  wellbeing: { basket: prevention, kind: amounts, accrues_to: society, amounts: { each_year: 50, source: t } }
costs:
  kit: { kind: amounts, amounts: { each_year: 600, source: t } }
  nurses: { kind: amounts, paid_by: nhs, amounts: { each_year: 100, source: t } }
"#,
    );
    let y = &r.years[0];
    // The council's: 1,000 - 600; the public sector's adds the NHS's 500 - 100; society's 50
    // is in neither.
    assert_eq!(y.total_benefit, d("1000"));
    assert_eq!(y.total_cost, d("600"));
    assert_eq!(y.net, d("400"));
    assert_eq!(y.public_sector_net, d("800"));
    assert_eq!(y.benefit_by_basket[0].amount, d("1000"));
    assert_eq!(
        y.benefit_by_basket[2].amount,
        d("0"),
        "baskets are the council's"
    );
    let s = &r.summary;
    assert_eq!(s.cumulative_net, d("1200"));
    assert_eq!(s.public_sector_net, d("2400"));
    let to = |party: &str| {
        s.benefit_by_beneficiary
            .iter()
            .find(|a| a.party.key() == party)
            .unwrap()
            .amount
    };
    assert_eq!(
        [to("council"), to("nhs"), to("other_public"), to("society")],
        [d("3000"), d("1500"), d("0"), d("150")]
    );
    // (3,000 - 1,800) / 1,800 = 0.666..; 3,000 / 1,800 = 1.666..
    assert_eq!(s.roi, Some(d("0.67")));
    assert_eq!(s.return_per_pound, Some(d("1.67")));
    // 100 at the start and 10 + 20 + 30 installed; user-years 104.5 + 113.05 + 130.245.
    assert_eq!(s.people_supported, d("160"));
    assert_eq!(s.user_years, d("347.80"));
    assert_eq!(r.years[2].user_years, d("130.25"));
    // 1,800 / 347.795 = 5.1755; 3,000 / 347.795 = 8.6258.
    assert_eq!(s.cost_per_user_year, Some(d("5.18")));
    assert_eq!(s.benefit_per_user_year, Some(d("8.63")));
    for (measure, value) in [
        ("summary.public_sector_net", "2400"),
        ("summary.benefit_to_nhs", "1500"),
        ("summary.roi", "0.67"),
        ("summary.people_supported", "160"),
        ("summary.user_years", "347.80"),
        ("summary.cost_per_user_year", "5.18"),
        ("summary.benefit_per_user_year", "8.63"),
        ("year.2021/22.public_sector_net", "800"),
        ("year.2021/22.benefit_to_society", "50"),
    ] {
        assert_eq!(
            crate::check::measure::measure(&r, measure),
            Ok(crate::check::measure::Measured::Amount(d(value))),
            "{measure}"
        );
    }
}
