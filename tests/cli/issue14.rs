//! Issue 14 through the real binary: `sensitivity` (every format, reproducible, and against
//! SALib's own analysis of SALib's design evaluated by `sweep --points`), `sweep --points`,
//! `simulate`'s own sensitivity and `voi`.

use super::{UNCERTAIN, stdout_of, tec, write};

fn json_of(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).unwrap()
}

const SALIB: &str = "tests/fixtures/salib";

/// `sweep --points` still gives, for SALib's design, the outputs SALib analysed.
#[test]
fn sweep_points_evaluates_salibs_design_as_committed() {
    let out = stdout_of(&[
        "sweep",
        &format!("{SALIB}/scenario.yaml"),
        "--points",
        &format!("{SALIB}/design.csv"),
        "--outputs",
        "summary.cumulative_net,summary.npv",
        "--format",
        "csv",
    ]);
    let committed = std::fs::read_to_string(format!("{SALIB}/outputs.csv")).unwrap();
    assert!(
        out == committed,
        "sweep --points no longer gives outputs.csv"
    );
    assert_eq!(out.lines().count(), 1 + 1024 * 7);
}

/// Our indices (our own design, the traced engine) and SALib's (its design, the exact engine
/// through `sweep --points`, its estimators) agree within their intervals.
#[test]
fn sensitivity_agrees_with_salib() {
    let salib: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(format!("{SALIB}/indices.json")).unwrap())
            .unwrap();
    assert_eq!(salib["salib_version"], "1.6.0");
    let ours = json_of(&[
        "sensitivity",
        &format!("{SALIB}/scenario.yaml"),
        "-n",
        "8192",
        "--sampling",
        "sobol",
        "--format",
        "json",
    ]);
    let mut compared = 0;
    for output in ours["outputs"].as_array().unwrap() {
        let name = output["output"].as_str().unwrap();
        for index in output["indices"].as_array().unwrap() {
            let input = index["input"].as_str().unwrap();
            let salib_of = &salib["outputs"][name][input];
            for (ours, low, high, key, conf) in [
                (
                    "first_order",
                    "first_order_low",
                    "first_order_high",
                    "S1",
                    "S1_conf",
                ),
                (
                    "total_order",
                    "total_order_low",
                    "total_order_high",
                    "ST",
                    "ST_conf",
                ),
            ] {
                let value = index[ours].as_f64().unwrap();
                let half = (index[high].as_f64().unwrap() - index[low].as_f64().unwrap()) / 2.0;
                let salib_value = salib_of[key].as_f64().unwrap();
                let salib_conf = salib_of[conf].as_f64().unwrap();
                // Independent estimates: their difference within the two intervals combined.
                let allowed = (half * half + salib_conf * salib_conf).sqrt();
                assert!(
                    (value - salib_value).abs() <= allowed,
                    "{name} {input} {ours}: ours {value} ± {half}, SALib {salib_value} ± {salib_conf}"
                );
                compared += 1;
            }
        }
    }
    assert_eq!(compared, 2 * 5 * 2);
}

#[test]
fn sensitivity_writes_every_format_and_is_the_same_on_any_thread_count() {
    let args = ["sensitivity", UNCERTAIN, "-n", "2048", "--seed", "5"];
    let run = |threads: &str, format: &str| {
        let out = tec()
            .env("RAYON_NUM_THREADS", threads)
            .args(args)
            .args(["--format", format])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let table = run("1", "table");
    assert_eq!(table, run("2", "table"));
    assert!(table.contains("users.installs + benefits.care_hours.share (group)"));
    assert!(table.contains("Correlated inputs are indexed together"));
    assert!(table.contains("2,048 base samples, 14,336 model evaluations"));
    let csv = run("3", "csv");
    assert!(csv.starts_with("output,input,correlated_group,first_order,"));
    assert_eq!(csv.lines().count(), 1 + 2 * 5);
    let markdown = run("1", "markdown");
    assert!(markdown.contains("### summary.npv"));
    assert!(markdown.contains("|:--|--:|"));
    let json: serde_json::Value = serde_json::from_str(&run("2", "json")).unwrap();
    let first = &json["outputs"][0];
    assert_eq!(first["output"], "summary.cumulative_net");
    let indices = first["indices"].as_array().unwrap();
    // Ranked by total order.
    let totals: Vec<f64> = indices
        .iter()
        .map(|i| i["total_order"].as_f64().unwrap())
        .collect();
    assert!(totals.windows(2).all(|w| w[0] >= w[1]), "{totals:?}");
    assert_eq!(json["correlated_groups"][0][0], "users.installs");
}

#[test]
fn sweep_points_give_what_a_grid_gives() {
    let dir = tempfile::tempdir().unwrap();
    let points = write(
        dir.path(),
        "p.csv",
        "users.attrition,benefits.care_hours.hours_per_week\n0.2,1.5\n0.1,2\n",
    );
    let scenario = "scenarios/leicestershire/scenario4.yaml";
    let from_points = stdout_of(&["sweep", scenario, "--points", &points]);
    let grid = stdout_of(&[
        "sweep",
        scenario,
        "--vary",
        "users.attrition=0.1,0.2",
        "--vary",
        "benefits.care_hours.hours_per_week=1.5,2",
        "--format",
        "csv",
    ]);
    let grid: Vec<&str> = grid.lines().collect();
    // The file's order, each row the grid's row for the same values.
    assert_eq!(
        from_points.lines().collect::<Vec<_>>(),
        [grid[0], grid[3], grid[2]]
    );
    let json = json_of(&["sweep", scenario, "--points", &points, "--format", "json"]);
    assert_eq!(json["rows"][0]["inputs"]["users.attrition"], "0.2");
    tec()
        .args([
            "sweep",
            scenario,
            "--points",
            &points,
            "--vary",
            "users.attrition=0.1",
        ])
        .assert()
        .code(2);
}

#[test]
fn simulate_reports_its_own_sensitivity() {
    let json = json_of(&["simulate", UNCERTAIN, "-n", "20000", "--format", "json"]);
    let s = &json["sensitivity"];
    assert_eq!(s["output"], "cumulative_net");
    assert_eq!(s["iterations"], 20000);
    assert_eq!(s["per_tenth"], 2000);
    let inputs = s["inputs"].as_array().unwrap();
    assert_eq!(inputs.len(), 6);
    assert_eq!(inputs[0]["input"], "benefits.care_hours.hours_per_week");
    let shares: f64 = inputs
        .iter()
        .map(|i| i["contribution_to_variance"].as_f64().unwrap())
        .sum();
    assert!((shares - 1.0).abs() < 1e-9);
    for i in inputs {
        let r = i["rank_correlation"].as_f64().unwrap();
        let swing: f64 = i["swing"].as_str().unwrap().parse().unwrap();
        // Each bar's direction is its correlation's.
        assert_eq!(r > 0.0, swing > 0.0, "{i}");
    }
    let attrition = inputs
        .iter()
        .find(|i| i["input"] == "users.attrition")
        .unwrap();
    assert!(attrition["rank_correlation"].as_f64().unwrap() < -0.2);
    let table = stdout_of(&["simulate", UNCERTAIN, "-n", "2000"]);
    assert!(table.contains("Sensitivity of cumulative net benefit over the horizon"));
    assert!(table.contains("contribution to variance"));
    let markdown = stdout_of(&["simulate", UNCERTAIN, "-n", "2000", "--format", "markdown"]);
    assert!(
        markdown.contains("| contribution to variance |"),
        "{markdown}"
    );
}

/// `sweep --points` is written by the sweep writer: a stream that fails part way ends with the
/// failed-stream marker after the rows already written, and a file output is never left.
#[test]
fn sweep_points_failing_part_way_ends_its_stream_with_the_marker() {
    let dir = tempfile::tempdir().unwrap();
    let mut design = String::from("benefits.care_hours.hourly_cost\n");
    for k in 0..5000 {
        // Past the first chunk (4,096 points) the benefit overflows the money type.
        design.push_str(if k < 4096 {
            "20\n"
        } else {
            "170000000000000000000000\n"
        });
    }
    let points = write(dir.path(), "points.csv", &design);
    let scenario = "scenarios/leicestershire/scenario1.yaml";
    let out = tec()
        .args(["sweep", scenario, "--points", &points])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    let last = text.lines().last().unwrap();
    assert!(
        last.starts_with("#!\0TEC-MODEL ERROR: THE SWEEP FAILED after 4096 of 5000 points"),
        "{last}"
    );
    assert_eq!(text.lines().count(), 4096 + 2, "header, rows, marker");
    let json = tec()
        .args(["sweep", scenario, "--points", &points, "-f", "json"])
        .output()
        .unwrap();
    assert_eq!(json.status.code(), Some(2));
    let json = String::from_utf8(json.stdout).unwrap();
    assert!(json.contains("!! TEC-MODEL ERROR: THE SWEEP FAILED after 4096"));
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_err());
    let file = dir.path().join("runs.csv");
    let to_file = tec()
        .args(["sweep", scenario, "--points", &points, "-o"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(to_file.status.code(), Some(2));
    assert!(!file.exists(), "no partial file");
}

/// `-q` silences the warnings of the new commands, not their errors.
#[test]
fn quiet_silences_the_new_commands_warnings() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = format!(
        "{}/scenarios/leicestershire/scenario4-uncertain.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    // An optimism bias of 20 (meant as 20%) is read, with a warning.
    let child = write(
        dir.path(),
        "child.yaml",
        &format!(
            "extends: {scenario}\nscenario:\n  name: child\noverrides:\n  appraisal.optimism_bias: {{ value: 20, calibrated: true, reason: \"a typo\" }}\n"
        ),
    );
    for args in [
        vec!["sensitivity", child.as_str(), "-n", "4"],
        vec!["voi", child.as_str(), "-n", "20"],
    ] {
        let loud = tec().args(&args).output().unwrap();
        assert!(loud.status.success(), "{loud:?}");
        let warned = String::from_utf8_lossy(&loud.stderr);
        assert!(warned.starts_with("warning: "), "{args:?}: {warned}");
        let mut quiet_args = args.clone();
        quiet_args.push("-q");
        let quiet = tec().args(&quiet_args).output().unwrap();
        assert!(quiet.status.success(), "{quiet:?}");
        assert_eq!(String::from_utf8_lossy(&quiet.stderr), "", "{args:?}");
        assert_eq!(quiet.stdout, loud.stdout, "{args:?}");
    }
}
