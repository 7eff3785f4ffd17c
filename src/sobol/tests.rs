//! Known answers: additive scenarios whose indices are a_i^2 Var(X_i) / Var(Y), and a product
//! of two inputs whose first- and total-order indices differ by its interaction.

use super::design::Design;
use super::{OutputReport, Settings, analyse, figures};
use crate::scenario::{Scenario, from_yaml};

/// Cumulative net benefit over two years is 2 a + b1 + b2 - c: `a` a benefit each year, `b`
/// a benefit drawn for each year apart (one input of two draws), `c` a cost in the first year.
fn additive() -> Scenario {
    from_yaml(
        r#"
horizon: { first_year: 2021/22, years: 2 }
appraisal: { rounding: none }
users:
  opening: { value: 0, source: t }
  installs: { each_year: 0, source: t }
  attrition: { value: 0, source: t }
benefits:
  a: { basket: cashable, kind: amounts, amounts: { each_year: 100, source: t } }
  b: { basket: cashable, kind: amounts, amounts: { per_year: [100, 0], source: t } }
costs:
  c: { kind: one_off, amount: { value: 50, source: t }, year: 2021/22 }
uncertain:
  benefits.a.amounts: { distribution: { uniform: { min: 0, max: 120 } } }
  benefits.b.amounts: { per_year: [ { uniform: { min: 0, max: 240 } }, { uniform: { min: 0, max: 12 } } ] }
  costs.c.amount: { distribution: { triangular: { min: 0, mode: 60, max: 120 } } }
"#,
    )
    .unwrap()
}

fn run(scenario: &Scenario, names: &[&str], base: u64, design: Design) -> Vec<OutputReport> {
    let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    let settings = Settings {
        base,
        seed: 11,
        design,
        resamples: 300,
    };
    analyse(scenario, figures(scenario, &names).unwrap(), &settings)
        .unwrap()
        .outputs
}

fn index<'a>(output: &'a OutputReport, input: &str) -> &'a super::IndexReport {
    output
        .indices
        .iter()
        .find(|i| i.input == input)
        .unwrap_or_else(|| panic!("{input}"))
}

fn within(value: f64, low: f64, high: f64, what: &str) {
    assert!(
        low <= value && value <= high,
        "{what}: {value} not in {low}..{high}"
    );
}

#[test]
fn an_additive_scenario_has_its_analytic_indices() {
    // Var(2a) = 4 x 120^2/12 = 4,800; Var(b) = 240^2/12 + 12^2/12 = 4,812;
    // Var(c) = 120^2/24 = 600.
    let variances = [4800.0, 4812.0, 600.0];
    let total: f64 = variances.iter().sum();
    let scenario = additive();
    for design in [Design::Random, Design::Sobol] {
        let output = &run(&scenario, &["cumulative_net"], 1 << 13, design)[0];
        assert!((output.variance - total).abs() < 0.05 * total, "{design:?}");
        for (input, v) in ["benefits.a.amounts", "benefits.b.amounts", "costs.c.amount"]
            .iter()
            .zip(variances)
        {
            let i = index(output, input);
            let expected = v / total;
            within(expected, i.first_order_low, i.first_order_high, input);
            within(expected, i.total_order_low, i.total_order_high, input);
            assert!(i.total_order_high - i.total_order_low < 0.1, "{input}");
        }
        // Additive: the first-order indices sum to 1, and nothing is left to interactions.
        assert!((output.sum_first_order.unwrap() - 1.0).abs() < 0.05);
        assert!((output.sum_total_order.unwrap() - 1.0).abs() < 0.05);
        assert!(output.interactions.unwrap().abs() < 0.05);
        // Ranked by total order.
        assert_eq!(output.indices[2].input, "costs.c.amount");
    }
}

#[test]
fn a_product_of_two_inputs_shows_its_interaction() {
    // Benefit = 100 users x share x realisation x 1 hour x 52 weeks x £1: with both shares
    // uniform on (0, 1), Var(XY) = 1/9 - 1/16 = 7/144 and Var(E[XY | X]) = Var(X / 2) = 3/144:
    // S = 3/7 each, total order 4/7 each, and 1/7 of the variance is the interaction.
    let scenario = from_yaml(
        r#"
horizon: { first_year: 2021/22, years: 1 }
appraisal: { rounding: none }
users:
  opening: { value: 100, source: t }
  installs: { each_year: 0, source: t }
  attrition: { value: 0, source: t }
benefits:
  h:
    basket: cashable
    kind: care_hours
    counts: all
    share: { value: 0.5, source: t }
    realisation: { value: 0.5, source: t }
    hours_per_week: { value: 1, source: t }
    weeks_per_year: { value: 52, source: t }
    hourly_cost: { value: 1, source: t }
uncertain:
  benefits.h.share: { distribution: { uniform: { min: 0, max: 1 } } }
  benefits.h.realisation: { distribution: { uniform: { min: 0, max: 1 } } }
"#,
    )
    .unwrap();
    let output = &run(
        &scenario,
        &["summary.total_benefit"],
        1 << 14,
        Design::Sobol,
    )[0];
    for input in ["benefits.h.share", "benefits.h.realisation"] {
        let i = index(output, input);
        within(3.0 / 7.0, i.first_order_low, i.first_order_high, input);
        within(4.0 / 7.0, i.total_order_low, i.total_order_high, input);
    }
    // Interactions count once in each total: the totals sum above 1, the first orders below.
    let interactions = output.interactions.unwrap();
    assert!((interactions - 1.0 / 7.0).abs() < 0.04, "{interactions}");
    assert!(output.sum_total_order.unwrap() > 1.0 + 0.1);
}

#[test]
fn the_same_seed_gives_the_same_figures_on_any_thread_count() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/leicestershire/scenario4-uncertain.yaml");
    let scenario = crate::scenario::load(&path).unwrap();
    let json = |threads: usize| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        pool.install(|| {
            let outputs = run(&scenario, &[], 1 << 13, Design::Random);
            serde_json::to_string(&outputs).unwrap()
        })
    };
    let one = json(1);
    assert_eq!(one, json(3));
    assert!(one.contains("users.installs + benefits.care_hours.share"));
}
