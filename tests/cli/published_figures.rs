//! Issue 17, the seeds' published figures: Essex's outturn with who gains, Hertfordshire's
//! telecare charge from a start date and its programme totals, Leicestershire's options from
//! their start months, each figure with its evidence kind and the known discrepancies.

use super::{stdout_of, tec, write};

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).unwrap()
}

fn figure<'a>(check: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    check["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["figure"].as_str().is_some_and(|n| n.starts_with(name)))
        .unwrap_or_else(|| panic!("no figure {name}"))
}

#[test]
fn essex_outturn_costs_are_gross_less_net_and_others_gains_stay_outside_the_councils_net() {
    let run = json(&[
        "run",
        "scenarios/essex/care-technology-outturn.yaml",
        "-f",
        "json",
    ]);
    let summary = &run["summary"];
    assert_eq!(summary["total_benefit"], "30300000", "{summary}");
    assert_eq!(summary["total_cost"], "15100000");
    assert_eq!(summary["cumulative_net"], "15200000");
    // The NHS's £1.3m joins the public sector's net, society's £10.36m neither.
    assert_eq!(summary["public_sector_net"], "16500000");
    let check = json(&["check", "fixtures/essex.yaml", "-f", "json"]);
    assert_eq!(check["counts"]["failed"], 0, "{check}");
    assert_eq!(figure(&check, "Gross savings since")["evidence"], "echo");
    assert_eq!(
        figure(&check, "Net savings, July 2021")["evidence"],
        "calibration"
    );
    assert_eq!(figure(&check, "Avoidable NHS costs")["evidence"], "echo");
    assert_eq!(figure(&check, "Social value")["evidence"], "echo");
}

#[test]
fn the_telecare_charge_runs_from_15_april_2018_for_the_part_of_that_year() {
    let run = json(&[
        "run",
        "scenarios/hertfordshire/telecare-charge.yaml",
        "-f",
        "json",
    ]);
    let text = run.to_string();
    // 3.25 x 52 = 169 a full year; 2018/19 from 15 April is 351 of 365 days: 162.52.
    assert!(text.contains("\"162.52\""), "{text}");
    assert_eq!(run["summary"]["total_offsets"], "669.52");
    let inputs = stdout_of(&["inputs", "scenarios/hertfordshire/telecare-charge.yaml"]);
    assert!(
        inputs.contains("offsets.telecare_charge.from = 14  (source: "),
        "{inputs}"
    );
    // Moved to 1 October 2018 (day 183), 2018/19 charges 182 of 365 days: 84.27.
    let dir = tempfile::tempdir().unwrap();
    let later = std::fs::read_to_string("scenarios/hertfordshire/telecare-charge.yaml")
        .unwrap()
        .replace("date: 2018-04-15", "date: 2018-10-01");
    let path = write(dir.path(), "later.yaml", &later);
    let run = json(&["run", &path, "-f", "json"]);
    assert_eq!(run["summary"]["total_offsets"], "591.27", "{run}");
}

#[test]
fn hertfordshire_programme_totals_and_its_two_ip_figures() {
    let check = json(&["check", "fixtures/hertfordshire.yaml", "-f", "json"]);
    assert_eq!(check["counts"]["failed"], 0, "{check}");
    assert_eq!(
        figure(&check, "ITT investment bids, four-year total")["verdict"],
        "pass"
    );
    let appendix = figure(
        &check,
        "Entire IP programme savings over the four years, Appendix",
    );
    assert_eq!(appendix["verdict"], "known_discrepancy", "{appendix}");
    let printed = figure(&check, "DTC pilot, the printed 2018/19 cell");
    assert_eq!(printed["verdict"], "known_discrepancy", "{printed}");
    assert_eq!(
        figure(&check, "DTC pilot, 150 users")["verdict"],
        "pass",
        "{check}"
    );
}

#[test]
fn option2_delivers_from_july_2021_as_a_variant_sets_the_start_month() {
    let inputs = stdout_of(&[
        "inputs",
        "scenarios/leicestershire/option2-business-case.yaml",
    ]);
    assert!(inputs.contains("users.start = 3  (source: "), "{inputs}");
    assert!(inputs.contains("para 52"), "{inputs}");
    // The same start given in a users section directly gives the same figures.
    let dir = tempfile::tempdir().unwrap();
    let s1 = std::fs::read_to_string("scenarios/leicestershire/scenario1.yaml")
        .unwrap()
        .replace(
            "  install_timing: middle",
            "  install_timing: middle\n  start: { month: 2021-07, source: t }",
        );
    write(dir.path(), "scenario1.yaml", &s1);
    let direct = write(dir.path(), "direct.yaml", "extends: scenario1.yaml\n");
    let child = write(
        dir.path(),
        "child.yaml",
        "extends: parent.yaml\noverrides:\n  users.start: { value: 3, source: t }\n",
    );
    std::fs::copy(
        "scenarios/leicestershire/scenario1.yaml",
        dir.path().join("parent.yaml"),
    )
    .unwrap();
    let a = json(&["run", &direct, "-f", "json"]);
    let b = json(&["run", &child, "-f", "json"]);
    assert_eq!(a["years"], b["years"]);
    assert_eq!(a["summary"], b["summary"]);
    let april = json(&[
        "run",
        "scenarios/leicestershire/scenario1.yaml",
        "-f",
        "json",
    ]);
    assert_ne!(april["summary"], a["summary"]);
}

#[test]
fn leicestershire_payback_and_ibcf_are_known_discrepancies_and_the_targets_pass() {
    let check = json(&["check", "fixtures/leicestershire.yaml", "-f", "json"]);
    assert_eq!(check["counts"]["failed"], 0, "{check}");
    for name in [
        "Option 2: payback within the first year",
        "Option 2: payback within the first year on the prudent",
        "IBCF a year",
    ] {
        assert_eq!(
            figure(&check, name)["verdict"],
            "known_discrepancy",
            "{name}"
        );
    }
    for name in [
        "Option 2: financial benefits of between £2-5m",
        "Option 2: MTFS savings target of £2m by 2024/25",
        "Option 2 delivers a greater net financial benefit than Option 3",
    ] {
        assert_eq!(figure(&check, name)["verdict"], "pass", "{name}");
    }
    tec()
        .args(["check", "fixtures"])
        .assert()
        .success()
        .stdout(predicates::str::contains(" 0 failed, "));
}

#[test]
fn essex_18000_is_tracked_as_an_estimate_not_a_target() {
    let plan = "scenarios/essex/care-technology-savings.yaml";
    let actuals = "actuals/essex-2021-22-to-2024-08.csv";
    let table = stdout_of(&["track", plan, actuals]);
    assert!(
        table.contains("Estimate (not a target): 18,000 TEC users by March 2028"),
        "{table}"
    );
    let report = json(&["track", plan, actuals, "-f", "json"]);
    assert_eq!(report["ambition"]["kind"], "estimate", "{report}");
    // Without `kind` an ambition is a target, headed as before.
    let dir = tempfile::tempdir().unwrap();
    let target = std::fs::read_to_string(plan)
        .unwrap()
        .replace("    kind: estimate\n", "");
    let path = write(dir.path(), "plan.yaml", &target);
    let table = stdout_of(&[
        "track",
        &path,
        &format!("{}/{actuals}", env!("CARGO_MANIFEST_DIR")),
    ]);
    assert!(table.contains("Ambition: 18,000 TEC users"), "{table}");
}
