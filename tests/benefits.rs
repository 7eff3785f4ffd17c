//! Runs the real `tec-model` binary on the benefit kinds, adjustments and beneficiaries of
//! issue 16: the Monte Carlo across thread counts, the outputs every format gives, and the
//! bundled examples against their hand-worked figures.

use assert_cmd::Command;
use std::fs;

fn tec() -> Command {
    Command::cargo_bin("tec-model").unwrap()
}

/// Every new kind and adjustment with uncertain factors, and an NHS benefit.
const UNCERTAIN_KINDS: &str = r#"
horizon: { first_year: 2024/25, years: 4 }
users:
  opening: { value: 300, source: t }
  installs: { each_year: 150, source: t }
  attrition: { value: 0.15, source: t }
benefits:
  visits:
    basket: cashable
    kind: per_user
    counts: programme
    amount: { value: 12.5, source: t }
    per: week
    share: { value: 0.4, source: t }
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
  ambulance:
    basket: cost_avoidance
    kind: avoided_events
    accrues_to: nhs
    counts: all
    rate: { value: 0.5, source: t }
    avoided: { value: 0.2, source: t }
    unit_cost: { value: 250, source: t }
costs:
  kit: { kind: per_install, unit_cost: { value: 350, source: t }, optimism_bias: { value: 0.25, source: t } }
  monitoring: { kind: per_user, per: week, counts: all, unit_cost: { value: 60, source: t } }
uncertain:
  benefits.visits.amount: { factor: { normal: { mean: 1, sd: 0.1, min: 0.5 } } }
  benefits.visits.deadweight: { distribution: { uniform: { min: 0, max: 0.3 } } }
  benefits.visits.attribution: { distribution: { triangular: { min: 0.6, mode: 0.8, max: 1 } } }
  benefits.packages.reduction: { distribution: { pert: { min: 0.2, mode: 0.38, max: 0.5 } } }
  benefits.ambulance.unit_cost: { distribution: { uniform: { min: 200, max: 300 } } }
  costs.kit.optimism_bias: { distribution: { uniform: { min: 0.1, max: 0.5 } } }
"#;

#[test]
fn simulate_of_every_new_kind_is_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("kinds.yaml");
    fs::write(&path, UNCERTAIN_KINDS).unwrap();
    let run = |threads: &str| {
        tec()
            .env("RAYON_NUM_THREADS", threads)
            .args(["simulate", "-n", "20000", "--seed", "7", "-f", "json"])
            .arg(&path)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    let json: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(json["iterations"], 20000);
    assert_eq!(json["inputs"].as_array().unwrap().len(), 6);
}
