//! Known answers: EVPI zero for a dominant option, E[max(X, Y)] for two normal net benefits,
//! EVPPI of an input alone in closed form, zero for an input that moves nothing, never above
//! EVPI; and options that do not share their inputs refused.

use super::{Settings, VoiError, VoiReport, analyse, figure};
use crate::scenario::{Scenario, from_yaml};

/// One year, no rounding: net benefit is the benefit `name`'s amount (plus `extra`).
fn option(name: &str, distribution: &str, extra: &str) -> Scenario {
    from_yaml(&format!(
        r#"
horizon: {{ first_year: 2021/22, years: 1 }}
appraisal: {{ rounding: none }}
users:
  opening: {{ value: 0, source: t }}
  installs: {{ each_year: 0, source: t }}
  attrition: {{ value: 0, source: t }}
benefits:
  {name}: {{ basket: cashable, kind: amounts, amounts: {{ each_year: 1000, source: t }} }}
  idle:
    basket: cashable
    kind: care_hours
    counts: all
    share: {{ value: 0.5, source: t }}
    hours_per_week: {{ value: 1, source: t }}
    weeks_per_year: {{ value: 52, source: t }}
    hourly_cost: {{ value: 1, source: t }}
{extra}
uncertain:
  benefits.{name}.amounts: {{ distribution: {distribution} }}
  # No users: the hours a week move nothing.
  benefits.idle.hours_per_week: {{ distribution: {{ uniform: {{ min: 0, max: 5 }} }} }}
"#
    ))
    .unwrap()
}

fn voi(options: &[Scenario], n: u64) -> VoiReport {
    let figures = figure(options, None).unwrap();
    analyse(
        options,
        figures,
        &Settings {
            iterations: n,
            seed: 3,
        },
    )
    .unwrap()
}

fn evppi<'a>(report: &'a VoiReport, input: &str) -> &'a super::EvppiReport {
    report.evppi.iter().find(|e| e.input == input).unwrap()
}

#[test]
fn two_normal_options_have_the_closed_form_evpi_and_evppi() {
    // A ~ N(1000, 100), B ~ N(1050, 200), independent. D = A - B ~ N(-50, 223.607):
    // EVPI = E[max(D, 0)] = -50 Phi(-0.22361) + 223.607 phi(0.22361) = 66.41.
    // Knowing A alone: E[max(A - 1050, 0)] = -50 Phi(-0.5) + 100 phi(0.5) = 19.78;
    // knowing B alone: E[max(1000 - B, 0)] = -50 Phi(-0.25) + 200 phi(0.25) = 57.14.
    let a = option("a", "{ normal: { mean: 1000, sd: 100, min: 0 } }", "");
    let b = option("b", "{ normal: { mean: 1050, sd: 200, min: 0 } }", "");
    let report = voi(&[a, b], 200_000);
    assert_eq!(report.best_now, "test (2)");
    let se = report.evpi_se.unwrap();
    assert!(
        (report.evpi - 66.41).abs() < 4.0 * se,
        "{} ± {se}",
        report.evpi
    );
    for (input, expected) in [("benefits.a.amounts", 19.78), ("benefits.b.amounts", 57.14)] {
        let e = evppi(&report, input);
        assert_eq!(e.estimator, "binning");
        assert!(
            (e.evppi - expected).abs() < 4.0 * e.se.unwrap() + 1.0,
            "{input}: {} ± {:?}",
            e.evppi,
            e.se
        );
    }
    let idle = evppi(&report, "benefits.idle.hours_per_week");
    assert!(
        idle.evppi.abs() <= 4.0 * idle.se.unwrap() + 1e-9,
        "{idle:?}"
    );
    for e in &report.evppi {
        assert!(e.evppi <= report.evpi, "{e:?}");
    }
    // P(B best) = P(D < 0) = Phi(0.22361) = 0.5885.
    let p = report.options[1].probability_best;
    assert!((p - 0.5885).abs() < 0.005, "{p}");
}

#[test]
fn a_dominant_option_leaves_nothing_to_learn_when_draws_are_shared() {
    // B is A plus a fixed benefit: drawn together, B is best in every draw.
    let a = option("a", "{ uniform: { min: 0, max: 2000 } }", "");
    let b = option(
        "a",
        "{ uniform: { min: 0, max: 2000 } }",
        "  bonus: { basket: cashable, kind: amounts, amounts: { each_year: 1, source: t } }",
    );
    let report = voi(&[a, b], 50_000);
    assert_eq!(report.evpi, 0.0);
    assert!(report.evppi.iter().all(|e| e.evppi == 0.0));
    assert_eq!(report.options[1].probability_best, 1.0);
}

#[test]
fn one_scenario_is_weighed_against_doing_nothing() {
    // Net benefit uniform on (-1000, 1000) relative to a fixed cost of 1000: half the draws
    // lose. EVPI = E[max(X, 0)] = 250 for X uniform on (-1000, 1000).
    let a = option(
        "a",
        "{ uniform: { min: 0, max: 2000 } }",
        "costs:\n  fixed: { kind: one_off, amount: { value: 1000, source: t }, year: 2021/22 }",
    );
    let report = voi(&[a], 100_000);
    assert_eq!(report.options.len(), 2);
    assert_eq!(report.options[1].option, "do nothing");
    let se = report.evpi_se.unwrap();
    assert!(
        (report.evpi - 250.0).abs() < 4.0 * se,
        "{} ± {se}",
        report.evpi
    );
}

#[test]
fn options_that_do_not_share_their_inputs_are_refused() {
    let a = option("a", "{ uniform: { min: 0, max: 2000 } }", "");
    let other = option("a", "{ uniform: { min: 0, max: 3000 } }", "");
    let figures = figure(&[a.clone(), other.clone()], None).unwrap();
    let error = analyse(
        &[a.clone(), other],
        figures,
        &Settings {
            iterations: 10,
            seed: 1,
        },
    )
    .unwrap_err();
    assert!(matches!(error, VoiError::NotShared { .. }));
    let message = error.to_string();
    assert!(
        message.contains("`benefits.a.amounts` is uncertain in"),
        "{message}"
    );
    // The same input fixed in the other option.
    let mut fixed = a.clone();
    fixed
        .uncertainty
        .variables
        .retain(|v| v.input != "benefits.a.amounts");
    let figures = figure(&[a.clone(), fixed.clone()], None).unwrap();
    let message = analyse(
        &[a, fixed],
        figures,
        &Settings {
            iterations: 10,
            seed: 1,
        },
    )
    .unwrap_err()
    .to_string();
    assert!(message.contains("but fixed here"), "{message}");
}
