//! Statistical tests with known answers, tolerances set from the Monte Carlo error.

use super::collect::{Collected, Collecting, collect_with};
use super::kernel::Isa;
use super::report::SimulationReport;
use super::run::{Measure, RunSettings};
use super::samples::Samples;
use crate::scenario::uncertain::Sampling;
use crate::scenario::{Scenario, from_yaml};

/// Three years of a benefit given per year, all years alike: cumulative net = 3 x the input.
fn linear(distribution: &str) -> Scenario {
    from_yaml(&format!(
        r#"
horizon: {{ first_year: 2021/22, years: 3 }}
appraisal: {{ rounding: none }}
users:
  opening: {{ value: 0, source: t }}
  installs: {{ each_year: 0, source: t }}
  attrition: {{ value: 0, source: t }}
benefits:
  b: {{ basket: cashable, kind: amounts, amounts: {{ each_year: 100, source: t }} }}
uncertain:
  benefits.b.amounts:
    distribution: {distribution}
"#
    ))
    .unwrap()
}

fn run(scenario: &Scenario, iterations: u64, sampling: Sampling) -> Samples {
    let settings = RunSettings {
        iterations,
        seed: 7,
        sampling,
        precision: None,
        keep_inputs: u64::MAX,
    };
    simulate(scenario, &settings, Isa::detect())
}

/// Every iteration of a run, kept.
fn simulate(scenario: &Scenario, settings: &RunSettings, isa: Isa) -> Samples {
    let collecting = Collecting::new(vec![0.0]);
    let mut samples = Samples::default();
    collect_with(scenario, settings, &collecting, isa, &mut samples, |_| {}).unwrap();
    samples
}

/// A run's statistics.
fn collected(scenario: &Scenario, settings: &RunSettings, collecting: &Collecting) -> Collected {
    let mut none = super::samples::NoSamples;
    collect_with(
        scenario,
        settings,
        collecting,
        Isa::detect(),
        &mut none,
        |_| {},
    )
    .unwrap()
}

#[test]
fn linear_model_in_a_triangular_input_has_the_analytic_mean_and_percentiles() {
    let scenario = linear("{ triangular: { min: 50, mode: 100, max: 200 } }");
    let samples = run(&scenario, 200_000, Sampling::Random);
    let cumulative = samples.column(Measure::CumulativeNet, None);
    let summary = super::stats::summarize(cumulative, true);
    let mean = 3.0 * (50.0 + 100.0 + 200.0) / 3.0;
    // Four standard errors: a false failure about once in 16,000 runs (and the seed is fixed).
    assert!(
        (summary.mean - mean).abs() < 4.0 * summary.se_mean.unwrap(),
        "{} vs {mean}",
        summary.mean
    );
    let sd = 3.0
        * ((50f64.powi(2) + 100f64.powi(2) + 200f64.powi(2)
            - 50.0 * 100.0
            - 50.0 * 200.0
            - 100.0 * 200.0)
            / 18.0)
            .sqrt();
    assert!(
        (summary.sd.unwrap() - sd).abs() / sd < 0.01,
        "{} vs {sd}",
        summary.sd.unwrap()
    );
    let triangular = &scenario.uncertainty.variables[0].distribution;
    for p in &summary.percentiles {
        let exact = 3.0 * triangular.quantile(p.p as f64 / 100.0);
        assert!(
            (p.value - exact).abs() < 4.0 * p.se.flatten().unwrap() + 1e-9,
            "P{}: {} vs {exact}",
            p.p,
            p.value
        );
    }
}

#[test]
fn every_distribution_samples_its_own_mean() {
    // (distribution, its mean, its standard deviation)
    let cases = [
        (
            "{ uniform: { min: 10, max: 30 } }",
            20.0,
            20.0 / 12f64.sqrt(),
        ),
        (
            "{ pert: { min: 0, mode: 10, max: 40 } }",
            (0.0 + 40.0 + 40.0) / 6.0,
            0.0,
        ),
        ("{ normal: { mean: 100, sd: 10, min: 0 } }", 100.0, 10.0),
        (
            "{ normal: { mean: 0, sd: 10, min: 0 } }",
            10.0 * (2.0 / std::f64::consts::PI).sqrt(),
            0.0,
        ),
        ("{ lognormal: { mean: 50, sd: 20 } }", 50.0, 20.0),
        (
            "{ discrete: { values: [10, 20, 60], weights: [1, 2, 1] } }",
            27.5,
            0.0,
        ),
    ];
    for (distribution, mean, sd) in cases {
        let samples = run(&linear(distribution), 50_000, Sampling::Random);
        let draws = &samples.inputs[0];
        let summary = super::stats::summarize(draws, false);
        assert!(
            (summary.mean - mean).abs() < 4.0 * summary.se_mean.unwrap(),
            "{distribution}: mean {} vs {mean}",
            summary.mean
        );
        if sd > 0.0 {
            assert!(
                (summary.sd.unwrap() - sd).abs() / sd < 0.03,
                "{distribution}: sd {} vs {sd}",
                summary.sd.unwrap()
            );
        }
        assert!(summary.min >= scenario_support(distribution).0 - 1e-9);
    }
}

fn scenario_support(distribution: &str) -> (f64, f64) {
    linear(distribution).uncertainty.variables[0]
        .distribution
        .support()
}

#[test]
fn latin_hypercube_stratifies_each_input() {
    let scenario = linear("{ uniform: { min: 0, max: 1 } }");
    let samples = run(&scenario, 4096, Sampling::LatinHypercube);
    let mut draws = samples.inputs[0].clone();
    draws.sort_by(f64::total_cmp);
    // One draw in each of the 4,096 equal strata.
    for (i, u) in draws.iter().enumerate() {
        assert!(
            *u >= i as f64 / 4096.0 && *u < (i + 1) as f64 / 4096.0,
            "{i}: {u}"
        );
    }
}

#[test]
fn correlated_inputs_reach_the_target_rank_correlation() {
    let scenario = from_yaml(
        r#"
horizon: { first_year: 2021/22, years: 2 }
users:
  opening: { value: 100, source: t }
  installs: { each_year: 50, source: t }
  attrition: { value: 0.2, source: t }
benefits:
  b: { basket: cashable, kind: amounts, amounts: { each_year: 100, source: t } }
uncertain:
  users.attrition: { distribution: { triangular: { min: 0.1, mode: 0.2, max: 0.3 } } }
  users.installs: { factor: { pert: { min: 0.5, mode: 1, max: 1.2 } } }
  benefits.b.amounts: { distribution: { uniform: { min: 50, max: 150 } } }
correlations:
  - { inputs: [users.attrition, users.installs], rank: 0.7 }
  - { inputs: [users.installs, benefits.b.amounts], rank: -0.4 }
"#,
    )
    .unwrap();
    let samples = run(&scenario, 100_000, Sampling::Random);
    let rank = |a: &[f64], b: &[f64]| super::correlation::rank_correlation(a, b).unwrap();
    // The standard error of a rank correlation from 100,000 draws is below 0.0032.
    assert!((rank(&samples.inputs[0], &samples.inputs[1]) - 0.7).abs() < 0.013);
    assert!((rank(&samples.inputs[1], &samples.inputs[2]) + 0.4).abs() < 0.013);
    // Implied, not asked for: attrition and amounts are left to follow (0.7 x -0.4 or so).
    let settings = RunSettings {
        iterations: 10_000,
        seed: 7,
        sampling: Sampling::Random,
        precision: None,
        keep_inputs: u64::MAX,
    };
    let collected = collected(&scenario, &settings, &Collecting::new(vec![0.0]));
    let report = SimulationReport::build(&scenario, &settings, &collected);
    assert_eq!(report.correlations.len(), 2);
}

#[test]
fn fixed_inputs_reproduce_run_with_zero_spread() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/leicestershire/scenario4.yaml");
    let scenario = crate::scenario::load(&path).unwrap();
    assert!(scenario.uncertainty.variables.is_empty());
    let exact = crate::report::Report::build(&scenario).unwrap();
    let samples = run(&scenario, 5000, Sampling::Random);
    let cumulative = super::stats::summarize(samples.column(Measure::CumulativeNet, None), true);
    let run_value: f64 = exact.summary.cumulative_net.to_string().parse().unwrap();
    assert!(
        (cumulative.mean - run_value).abs() <= 0.01,
        "{} vs {run_value}",
        cumulative.mean
    );
    assert_eq!(cumulative.sd, Some(0.0));
    let npv = super::stats::summarize(samples.column(Measure::Npv, None), true);
    let run_npv: f64 = exact.summary.npv.to_string().parse().unwrap();
    assert!((npv.mean - run_npv).abs() <= 0.01);
}

#[test]
fn more_iterations_extend_the_same_sequence() {
    let scenario = linear("{ triangular: { min: 50, mode: 100, max: 200 } }");
    for sampling in [Sampling::Random, Sampling::LatinHypercube] {
        let short = run(&scenario, 5000, sampling);
        let long = run(&scenario, 10_000, sampling);
        assert_eq!(short.inputs[0][..], long.inputs[0][..5000]);
        assert_eq!(short.columns[0][..], long.columns[0][..5000]);
    }
}

#[test]
fn precision_stops_early_and_says_when() {
    let scenario = linear("{ uniform: { min: 0, max: 100 } }");
    let settings = RunSettings {
        iterations: 10_000_000,
        seed: 1,
        sampling: Sampling::Random,
        precision: Some(0.5),
        keep_inputs: 0,
    };
    let collected = collected(&scenario, &settings, &Collecting::new(vec![0.0]));
    // sd of 3 x U(0, 100) is 86.6: a standard error below 0.5 needs about 30,000 draws.
    assert!(
        collected.iterations < 100_000 && collected.iterations >= 30_000,
        "{}",
        collected.iterations
    );
    let cumulative = collected
        .outputs
        .iter()
        .position(|o| o.measure == Measure::CumulativeNet && o.year.is_none())
        .unwrap();
    assert!(collected.summaries[cumulative].se_mean.unwrap() < 0.5);
}

/// Scenarios that exercise every traced path: a care-hours benefit with a benefit duration
/// (selects) and uprating (powers), per-year draws, factors, staffing, per-user costs and
/// the appraisal's own inputs.
fn traced_cases() -> Vec<Scenario> {
    let dir = env!("CARGO_MANIFEST_DIR");
    let bundled = crate::scenario::load(std::path::Path::new(&format!(
        "{dir}/scenarios/leicestershire/scenario4-uncertain.yaml"
    )))
    .unwrap();
    let option2 = from_yaml(&format!(
        r#"
extends: {dir}/scenarios/leicestershire/option2-business-case.yaml
uncertain:
  users.installs:
    per_year:
      - {{ uniform: {{ min: 500, max: 900 }} }}
      - {{ uniform: {{ min: 500, max: 900 }} }}
      - {{ uniform: {{ min: 500, max: 900 }} }}
      - {{ uniform: {{ min: 500, max: 900 }} }}
      - {{ uniform: {{ min: 500, max: 900 }} }}
  users.attrition: {{ distribution: {{ triangular: {{ min: 0.1, mode: 0.18, max: 0.35 }} }} }}
  benefits.care_hours.uprating: {{ distribution: {{ discrete: {{ values: [0, 0.02], weights: [1, 1] }} }} }}
  benefits.care_hours.hourly_cost: {{ factor: {{ normal: {{ mean: 1, sd: 0.1, min: 0.5 }} }} }}
  appraisal.discount_rate: {{ distribution: {{ uniform: {{ min: 0.015, max: 0.05 }} }} }}
  appraisal.optimism_bias: {{ distribution: {{ pert: {{ min: 0, mode: 0.1, max: 0.4 }} }} }}
  costs.contract.amounts: {{ factor: {{ lognormal: {{ mean: 1, sd: 0.1 }} }} }}
correlations:
  - inputs: [users.attrition, appraisal.discount_rate]
    rank: 0.5
"#
    ))
    .unwrap();
    let hertfordshire = from_yaml(&format!(
        r#"
extends: {dir}/scenarios/hertfordshire/assistive-technology.yaml
uncertain:
  costs.at_staffing.posts.project_manager.salary: {{ distribution: {{ uniform: {{ min: 50000, max: 60000 }} }} }}
  costs.dtc_pilot.unit_cost: {{ distribution: {{ triangular: {{ min: 40, mode: 50, max: 70 }} }} }}
  benefits.at_efficiencies.amounts: {{ factor: {{ uniform: {{ min: 0.5, max: 1.1 }} }} }}
"#
    ))
    .unwrap();
    let duration = from_yaml(
        r#"
horizon: { first_year: 2021/22, years: 6 }
users:
  opening: { value: 100, source: t }
  installs: { each_year: 50, source: t }
  attrition: { value: 0.1, source: t }
benefits:
  hours:
    basket: cost_avoidance
    kind: care_hours
    counts: all
    share: { value: 0.5, source: t }
    hours_per_week: { value: 2, source: t }
    weeks_per_year: { value: 52, source: t }
    hourly_cost: { value: 18.5, source: t }
    price_year: 2019/20
    uprating: { value: 0.03, source: t }
    realisation: { value: 0.8, source: t }
    duration_years: { value: 3, source: t }
uncertain:
  benefits.hours.duration_years: { distribution: { discrete: { values: [1, 2, 3, 6], weights: [1, 1, 1, 1] } } }
  benefits.hours.uprating: { distribution: { uniform: { min: 0, max: 0.05 } } }
  users.installs: { factor: { triangular: { min: 0.5, mode: 1, max: 1.5 } } }
"#,
    )
    .unwrap();
    // Iterations in which nothing happens (no payback), gains come late (payback in the year
    // of the first gain) or a cost is never recovered: the payback rules of `payback_index`.
    let idle = from_yaml(
        r#"
horizon: { first_year: 2021/22, years: 3 }
users:
  opening: { value: 0, source: t }
  installs: { each_year: 0, source: t }
  attrition: { value: 0, source: t }
benefits:
  late: { basket: cashable, kind: amounts, amounts: { per_year: [0, 0, 10], source: t } }
costs:
  setup: { kind: one_off, year: 2022/23, amount: { value: 5, source: t } }
uncertain:
  benefits.late.amounts: { factor: { discrete: { values: [0, 1], weights: [1, 1] } } }
  costs.setup.amount: { factor: { discrete: { values: [0, 1, 3], weights: [1, 1, 1] } } }
"#,
    )
    .unwrap();
    vec![
        bundled,
        option2,
        hertfordshire,
        duration,
        idle,
        every_benefit_kind(),
        cohorts_and_profiles(),
    ]
}

/// Two cohorts, one from July; a lag crossing a year end, a fractional duration, drop-off, a
/// maturing realisation and a delayed admission; with time inputs themselves uncertain (they
/// trace as selects).
pub(crate) fn cohorts_and_profiles() -> Scenario {
    from_yaml(
        r#"
horizon: { first_year: 2021/22, years: 5 }
cohorts:
  older_people:
    opening: { value: 400, source: t }
    installs: { each_year: 250, source: t }
    attrition: { value: 0.18, source: t }
    install_timing: middle
  pilot:
    opening: { value: 0, source: t }
    installs: { per_year: [60, 80, 80, 80, 80], source: t }
    attrition: { value: 0.1, source: t }
    install_timing: start
    start: { month: 2021-07, source: t }
benefits:
  hours:
    basket: cost_avoidance
    kind: care_hours
    counts: programme
    cohort: older_people
    share: { value: 0.6, source: t }
    hours_per_week: { value: 2, source: t }
    hourly_cost: { value: 19.5, source: t }
    lag_months: { value: 9, source: t }
    duration_years: { value: 2.5, source: t }
    drop_off: { value: 0.15, source: t }
    realisation: { per_year: [0.5, 0.8, 1, 1, 1], source: t }
  pilot_hours:
    basket: cashable
    kind: care_hours
    counts: all
    cohort: [pilot]
    share: { value: 1, source: t }
    hours_per_week: { value: 3, source: t }
    hourly_cost: { value: 25, source: t }
    duration_months: { value: 18, source: t }
  delayed:
    basket: cost_avoidance
    kind: delayed_admission
    counts: programme
    share: { value: 0.08, source: t }
    after_months: { value: 10, source: t }
    weeks_delayed: { value: 30, source: t }
    weekly_cost: { value: 850, source: t }
    community_weekly_cost: { value: 280, source: t }
    uprating: { value: 0.02, source: t }
    deadweight: { value: 0.1, source: t }
costs:
  kit: { kind: per_install, cohort: pilot, unit_cost: { value: 150, source: t } }
  monitoring: { kind: per_user, per: week, counts: all, unit_cost: { value: 4, source: t } }
uncertain:
  cohorts.older_people.attrition: { distribution: { triangular: { min: 0.1, mode: 0.18, max: 0.3 } } }
  cohorts.pilot.installs: { factor: { uniform: { min: 0.5, max: 1.5 } } }
  cohorts.pilot.start: { distribution: { uniform: { min: 0, max: 11 } } }
  benefits.hours.lag_months: { distribution: { uniform: { min: 3, max: 15 } } }
  benefits.hours.duration_years: { distribution: { uniform: { min: 0.75, max: 3.5 } } }
  benefits.hours.drop_off: { distribution: { uniform: { min: 0, max: 0.3 } } }
  benefits.pilot_hours.duration_months: { distribution: { uniform: { min: 6, max: 30 } } }
  benefits.delayed.after_months: { distribution: { uniform: { min: 0, max: 40 } } }
  benefits.delayed.weeks_delayed: { distribution: { triangular: { min: 4, mode: 30, max: 80 } } }
  benefits.delayed.weekly_cost: { factor: { uniform: { min: 0.8, max: 1.2 } } }
"#,
    )
    .unwrap()
}

/// Every benefit kind, adjustment and beneficiary, with their factors uncertain: per-user,
/// package-reduction, avoided-events, care-hours and amounts lines with deadweight,
/// displacement, attribution and optimism bias, an NHS benefit and an NHS-paid cost, and a
/// cost with its own optimism bias.
pub(super) const EVERY_BENEFIT_KIND: &str = r#"
horizon: { first_year: 2021/22, years: 5 }
appraisal: { optimism_bias: { value: 0.1, source: t } }
users:
  opening: { value: 200, source: t }
  installs: { per_year: [120, 150, 150, 100, 80], source: t }
  attrition: { value: 0.15, source: t }
benefits:
  visits:
    basket: cashable
    kind: per_user
    counts: programme
    amount: { value: 12.5, source: t }
    per: week
    share: { value: 0.4, source: t }
    price_year: 2020/21
    uprating: { value: 0.02, source: t }
    duration_years: { value: 3, source: t }
    deadweight: { value: 0.1, source: t }
    displacement: { value: 0.05, source: t }
    attribution: { value: 0.8, source: t }
    optimism_bias: { value: 0.15, source: t }
  packages:
    basket: cost_avoidance
    kind: package_reduction
    counts: all
    package_cost: { value: 310, source: t }
    per: week
    reduction: { value: 0.38, source: t }
    share: { value: 0.3, source: t }
    deadweight: { value: 0.2, source: t }
  falls:
    basket: prevention
    kind: avoided_events
    counts: programme
    rate: { value: 0.9, source: t }
    avoided: { value: 0.25, source: t }
    unit_cost: { value: 1800, source: t }
    attribution: { value: 0.7, source: t }
    optimism_bias: { value: 0.1, source: t }
  ambulance:
    basket: cost_avoidance
    kind: avoided_events
    accrues_to: nhs
    counts: all
    rate: { value: 0.5, source: t }
    avoided: { value: 0.2, source: t }
    unit_cost: { value: 250, source: t }
  hours:
    basket: cost_avoidance
    kind: care_hours
    counts: programme
    share: { value: 0.5, source: t }
    hours_per_week: { value: 1.5, source: t }
    hourly_cost: { value: 19, source: t }
    realisation: { value: 0.8, source: t }
    deadweight: { value: 0.1, source: t }
  grant:
    basket: cashable
    kind: amounts
    amounts: { each_year: 5000, source: t }
    attribution: { value: 0.5, source: t }
costs:
  kit: { kind: per_install, unit_cost: { value: 350, source: t }, optimism_bias: { value: 0.25, source: t } }
  monitoring: { kind: per_user, per: week, counts: all, unit_cost: { value: 4, source: t } }
  nurse: { kind: amounts, paid_by: nhs, amounts: { each_year: 20000, source: t } }
offsets:
  charge: { kind: user_charge, counts: all, weekly_charge: { value: 3, source: t }, chargeable_share: { value: 0.4, source: t }, from: { date: 2021-09-15, source: t } }
uncertain:
  offsets.charge.from: { distribution: { uniform: { min: 0, max: 500 } } }
  users.attrition: { distribution: { triangular: { min: 0.1, mode: 0.15, max: 0.3 } } }
  benefits.visits.amount: { factor: { normal: { mean: 1, sd: 0.1, min: 0.5 } } }
  benefits.visits.deadweight: { distribution: { uniform: { min: 0, max: 0.3 } } }
  benefits.visits.displacement: { distribution: { uniform: { min: 0, max: 0.1 } } }
  benefits.visits.attribution: { distribution: { triangular: { min: 0.6, mode: 0.8, max: 1 } } }
  benefits.visits.optimism_bias: { distribution: { uniform: { min: 0, max: 0.3 } } }
  benefits.visits.duration_years: { distribution: { discrete: { values: [1, 2, 3, 5], weights: [1, 1, 1, 1] } } }
  benefits.packages.reduction: { distribution: { pert: { min: 0.2, mode: 0.38, max: 0.5 } } }
  benefits.packages.deadweight: { distribution: { uniform: { min: 0, max: 0.4 } } }
  benefits.falls.rate: { distribution: { uniform: { min: 0.5, max: 1.2 } } }
  benefits.falls.optimism_bias: { distribution: { uniform: { min: 0, max: 0.3 } } }
  benefits.ambulance.unit_cost: { distribution: { uniform: { min: 200, max: 300 } } }
  benefits.hours.deadweight: { distribution: { uniform: { min: 0, max: 0.2 } } }
  benefits.grant.attribution: { distribution: { uniform: { min: 0.3, max: 0.7 } } }
  costs.kit.optimism_bias: { distribution: { uniform: { min: 0.1, max: 0.5 } } }
"#;

fn every_benefit_kind() -> Scenario {
    from_yaml(EVERY_BENEFIT_KIND).unwrap()
}

#[test]
fn every_benefit_kind_traces_into_a_program() {
    use super::tape::{Traced, trace};
    let scenario = every_benefit_kind();
    let base: Vec<f64> = scenario.params_as();
    let mut input_of = vec![None; base.len()];
    let mut inputs = 0u32;
    for variable in &scenario.uncertainty.variables {
        for (slot, _) in &variable.targets {
            input_of[*slot] = Some(inputs);
            inputs += 1;
        }
    }
    assert_eq!(inputs, 16);
    let params: Vec<Traced> = base
        .iter()
        .zip(&input_of)
        .map(|(v, i)| i.map_or(Traced::Const(*v), Traced::Reg))
        .collect();
    let (outputs, recording) = trace(inputs, || {
        super::run::output_values(&crate::model::evaluate(&scenario.model, &params))
    });
    // No branch on an uncertain figure: the Monte Carlo runs the program, not the fallback.
    assert!(!recording.untraceable);
    // Every uncertain council figure reaches the outputs: each year's benefit is traced.
    assert!(matches!(outputs[0], Traced::Reg(_)), "{:?}", outputs[0]);
}

#[test]
fn the_traced_program_gives_the_f64_engine_bit_for_bit() {
    use super::run::output_values;
    use crate::model::evaluate;
    use crate::scenario::uncertain::Apply;
    for scenario in traced_cases() {
        let settings = RunSettings {
            iterations: 5_000,
            seed: 11,
            sampling: Sampling::Random,
            precision: None,
            keep_inputs: u64::MAX,
        };
        // Every case traces: none may fall back to lanes, or the program would go untested.
        let traced = super::run::Simulation::new(&scenario, &settings, Isa::Portable);
        assert!(traced.is_traced(), "{} did not trace", scenario.name);
        let samples = simulate(&scenario, &settings, Isa::Portable);
        let base: Vec<f64> = scenario.params_as();
        let variables = &scenario.uncertainty.variables;
        for i in (0..samples.len()).step_by(7) {
            let mut params = base.clone();
            for (v, variable) in variables.iter().enumerate() {
                for (slot, apply) in &variable.targets {
                    let draw = samples.inputs[v][i];
                    params[*slot] = match apply {
                        Apply::Set => draw,
                        Apply::Factor => base[*slot] * draw,
                    };
                }
            }
            let expected = output_values(&evaluate(&scenario.model, &params));
            let cumulative: Vec<f64> = samples
                .outputs
                .iter()
                .zip(&expected)
                .filter(|(o, _)| o.measure == Measure::CumulativeNet && o.year.is_some())
                .map(|(_, v)| *v)
                .collect();
            let payback = crate::model::engine::payback_index(cumulative.into_iter(), 0.0);
            assert_eq!(
                samples.payback[i],
                payback.map_or(u8::MAX, |y| y as u8),
                "{}: payback of iteration {i}",
                scenario.name
            );
            for (c, value) in expected.iter().enumerate() {
                assert_eq!(
                    samples.columns[c][i].to_bits(),
                    value.to_bits(),
                    "{}: iteration {i}, output {:?}",
                    scenario.name,
                    samples.outputs[c]
                );
            }
        }
        // The fallback, the engine itself over lanes, gives the same bits.
        let simulation = super::run::Simulation::untraced(&scenario, &settings, Isa::Portable);
        let blocks = samples.len().div_ceil(super::sampler::BLOCK);
        for index in 0..blocks {
            let from = index * super::sampler::BLOCK;
            let to = samples.len().min(from + super::sampler::BLOCK);
            let mut columns: Vec<Vec<f64>> = vec![vec![0.0; to - from]; samples.columns.len()];
            let mut payback = vec![0u8; to - from];
            let view = super::run::BlockView {
                index: index as u64,
                outputs: columns.iter_mut().map(|c| c.as_mut_slice()).collect(),
                payback: &mut payback,
                inputs: Vec::new(),
            };
            simulation.run_block(&mut simulation.scratch(), view);
            for (lanes, traced) in columns.iter().zip(&samples.columns) {
                let same = lanes
                    .iter()
                    .zip(&traced[from..to])
                    .all(|(a, b)| a.to_bits() == b.to_bits());
                assert!(same, "{}: lanes and program differ", scenario.name);
            }
            assert_eq!(payback[..], samples.payback[from..to]);
        }
        // Every instruction set this machine has gives the same bits.
        let widest = simulate(&scenario, &settings, Isa::detect());
        assert_eq!(widest.columns, samples.columns, "{}", scenario.name);
        assert_eq!(widest.payback, samples.payback, "{}", scenario.name);
    }
}

/// Statistics gathered block by block, with percentiles from narrowing windows, are those of
/// every iteration kept: the same moments to the bit, the same percentiles, counts and bins.
#[test]
fn streamed_statistics_are_those_of_every_iteration_kept() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/leicestershire/scenario4-uncertain.yaml");
    let scenario = crate::scenario::load(&path).unwrap();
    // Past three narrowings (after 4, 16 and 64 blocks), ending part-way through a block.
    for (sampling, reach) in [
        (Sampling::Random, super::windows::REACH),
        (Sampling::LatinHypercube, super::windows::REACH),
        // Windows too narrow to hold their ranks: every output takes the second pass.
        (Sampling::Random, 0.0),
    ] {
        let settings = RunSettings {
            iterations: 300_001,
            seed: 3,
            sampling,
            precision: None,
            keep_inputs: 0,
        };
        let mut collecting = Collecting::new(vec![0.0, 2_000_000.0]);
        collecting.reach = reach;
        let mut samples = Samples::default();
        let collected = collect_with(
            &scenario,
            &settings,
            &collecting,
            Isa::detect(),
            &mut samples,
            |_| {},
        )
        .unwrap();
        assert_eq!(collected.iterations, 300_001);
        // Each iteration handed over once, the second pass included.
        assert_eq!(samples.len(), 300_001);
        assert_eq!(collected.second_pass, reach == 0.0);
        for ((id, summary), column) in collected
            .outputs
            .iter()
            .zip(&collected.summaries)
            .zip(&samples.columns)
        {
            let kept = super::stats::summarize(column, id.year.is_none());
            assert_eq!(summary, &kept, "{id:?} {sampling:?} reach {reach}");
        }
        let cumulative = samples.column(Measure::CumulativeNet, None);
        for (threshold, count) in &collected.at_least {
            let expected = cumulative.iter().filter(|x| **x >= *threshold).count() as u64;
            assert_eq!(*count, expected);
        }
        let years = scenario.model.years;
        for (t, count) in collected.payback.iter().enumerate() {
            let code = if t == years { u8::MAX } else { t as u8 };
            let expected = samples.payback.iter().filter(|p| **p == code).count() as u64;
            assert_eq!(*count, expected, "payback year {t}");
        }
        let binned: u64 = collected.histogram.iter().map(|b| b.count).sum();
        assert_eq!(binned, 300_001);
        for bin in &collected.histogram {
            let last = bin.to >= collected.histogram.last().unwrap().to;
            let expected = cumulative
                .iter()
                .filter(|x| **x >= bin.from && (**x < bin.to || (last && **x <= bin.to)))
                .count() as u64;
            // Edges are rounded to f64 like the bin index; a value on an edge may fall either side.
            assert!(expected.abs_diff(bin.count) <= 1, "{bin:?} vs {expected}");
        }
        // What the windows keep is a small part of what was run.
        assert!(reach == 0.0 || collected.kept_values < 300_001 * 30 / 20);
    }
}
