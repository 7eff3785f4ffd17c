//! Runs the real `tec-model` binary: outputs, checks against published figures, bad input.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn tec() -> Command {
    Command::cargo_bin("tec-model").unwrap()
}

fn stdout_of(args: &[&str]) -> String {
    let out = tec()
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap()
}

/// A CSV file tec-model wrote, without the UTF-8 byte-order mark that must begin it.
fn csv_file(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => panic!("{} has no byte-order mark: {text:.80}", path.display()),
    }
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

const SCENARIO4: &str = "scenarios/leicestershire/scenario4.yaml";

#[test]
fn scenario4_table_matches_snapshot() {
    insta::assert_snapshot!(stdout_of(&["run", SCENARIO4]));
}

#[test]
fn hertfordshire_markdown_matches_snapshot() {
    insta::assert_snapshot!(stdout_of(&[
        "run",
        "scenarios/hertfordshire/assistive-technology.yaml",
        "--format",
        "markdown"
    ]));
}

#[test]
fn json_totals_equal_the_sum_of_their_lines() {
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&[
        "run",
        "scenarios/leicestershire/option2-business-case.yaml",
        "-f",
        "json",
    ]))
    .unwrap();
    let dec = |v: &serde_json::Value| {
        v.as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    let mut cumulative = rust_decimal::Decimal::ZERO;
    for year in json["years"].as_array().unwrap() {
        for (lines, total) in [
            ("benefit_lines", "total_benefit"),
            ("cost_lines", "total_cost"),
            ("offset_lines", "offsets"),
        ] {
            let sum: rust_decimal::Decimal = year[lines]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| dec(&l["amount"]))
                .sum();
            assert_eq!(sum, dec(&year[total]), "{lines} in {}", year["year"]);
        }
        let net = dec(&year["total_benefit"]) - dec(&year["total_cost"]) + dec(&year["offsets"]);
        assert_eq!(net, dec(&year["net"]));
        cumulative += net;
        assert_eq!(cumulative, dec(&year["cumulative_net"]));
    }
    assert_eq!(dec(&json["summary"]["cumulative_net"]), cumulative);
    // Delivery from July 2021 (para 52): payback in 2022/23, a known discrepancy of the fixtures.
    assert_eq!(json["summary"]["payback_year"], "2022/23");
    for key in ["scenario", "years", "summary"] {
        assert!(json.get(key).is_some(), "{key}");
    }
}

#[test]
fn csv_goes_to_a_file_chosen_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s4.csv");
    tec()
        .args(["run", SCENARIO4, "--output"])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let text = csv_file(&out);
    assert!(text.starts_with("section,figure,2021/22,2022/23,2023/24,2024/25,2025/26,total\n"));
    assert!(text.contains("net,Cumulative net benefit (£),"));
    assert!(
        text.contains(",2498933\n") || text.contains(",2498933,"),
        "{text}"
    );
}

#[test]
fn check_reproduces_every_published_figure() {
    let out = stdout_of(&["check", "fixtures"]);
    assert!(out.contains(" 0 failed"), "{out}");
    assert!(!out.contains("FAIL"), "{out}");
}

#[test]
fn check_fails_when_a_published_figure_is_changed() {
    let dir = tempfile::tempdir().unwrap();
    let original = fs::read_to_string("fixtures/hertfordshire.yaml").unwrap();
    let changed = original
        .replace("published: 166063", "published: 166064")
        .replace(
            "../scenarios/",
            &format!("{}/scenarios/", env!("CARGO_MANIFEST_DIR")),
        );
    assert_ne!(original, changed);
    let path = write(dir.path(), "changed.yaml", &changed);
    tec()
        .args(["check", &path])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("FAIL"));
}

#[test]
fn bad_inputs_name_file_key_and_line_with_exit_code_2() {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::read_to_string("scenarios/leicestershire/scenario1.yaml").unwrap();
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "typo.yaml",
            base.replace("    hours_per_week:", "    hours_per_wek:"),
            "did you mean `hours_per_week`",
        ),
        (
            "share.yaml",
            base.replace("value: 0.75\n      source", "value: 1.2\n      source"),
            "benefits.care_hours.share: must be between 0 and 1",
        ),
        (
            "negative.yaml",
            base.replace("value: 1213", "value: -5"),
            "users.opening: must be zero or more",
        ),
        (
            "fy.yaml",
            base.replace("first_year: 2021/22", "first_year: 2021/23"),
            "horizon.first_year",
        ),
        (
            "nan.yaml",
            base.replace("value: 15.71", "value: .nan"),
            "not a finite number",
        ),
        ("empty.yaml", String::new(), "the file is empty"),
        ("syntax.yaml", "users: [unclosed\n".into(), ":1:"),
    ];
    for (name, text, fragment) in cases {
        let path = write(dir.path(), name, &text);
        let assert = tec().args(["run", &path]).assert().code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(fragment), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name} names its file: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn list_of_wrong_length_points_at_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::read_to_string("scenarios/leicestershire/scenario1.yaml").unwrap();
    let text = base.replace("each_year: 956", "per_year: [956, 956, 956]");
    let line = text
        .lines()
        .position(|l| l.contains("per_year: [956"))
        .unwrap()
        + 1;
    let path = write(dir.path(), "short.yaml", &text);
    tec()
        .args(["run", &path])
        .assert()
        .code(2)
        .stderr(predicates::str::contains(format!("short.yaml:{line}:")))
        .stderr(predicates::str::contains(
            "users.installs: has 3 values but the horizon has 5 years",
        ));
}

#[test]
fn extends_cycle_and_missing_parent_are_errors() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "a.yaml", "extends: b.yaml\n");
    write(dir.path(), "b.yaml", "extends: a.yaml\n");
    let a = dir.path().join("a.yaml").display().to_string();
    tec()
        .args(["run", &a])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cycle"));
    let orphan = write(dir.path(), "orphan.yaml", "extends: nowhere.yaml\n");
    tec()
        .args(["run", &orphan])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does not exist"));
}

#[test]
fn missing_file_and_directory_are_bad_input() {
    tec()
        .args(["run", "no/such/file.yaml"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no/such/file.yaml"));
    tec()
        .args(["run", "scenarios"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("is a directory"));
    tec().args(["run"]).assert().code(2);
}

#[test]
fn failed_run_leaves_earlier_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.csv");
    fs::write(&out, "earlier").unwrap();
    let bad = write(
        dir.path(),
        "bad.yaml",
        "horizon: {first_year: 2021/22}\nusers: 3\n",
    );
    tec().args(["run", &bad, "-o"]).arg(&out).assert().code(2);
    assert_eq!(fs::read_to_string(&out).unwrap(), "earlier");
    let nowhere = dir.path().join("missing/dir/out.csv");
    tec()
        .args(["run", SCENARIO4, "-o"])
        .arg(&nowhere)
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot write"));
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        2,
        "no temporary file is left behind"
    );
}

#[test]
fn every_bundled_input_states_its_provenance() {
    for dir in [
        "scenarios/leicestershire",
        "scenarios/hertfordshire",
        "scenarios/essex",
    ] {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let listing = stdout_of(&["inputs", path.to_str().unwrap()]);
            assert!(
                !listing.contains("(unstated)"),
                "{}:\n{listing}",
                path.display()
            );
        }
    }
}

// ---- simulate ----

const UNCERTAIN: &str = "scenarios/leicestershire/scenario4-uncertain.yaml";

#[test]
fn simulate_is_identical_whatever_the_thread_count() {
    let run = |threads: &str| {
        tec()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "simulate", UNCERTAIN, "-n", "20000", "--seed", "42", "-f", "json",
            ])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone()
    };
    let one = run("1");
    assert_eq!(one, run("2"));
    assert_eq!(one, run("3"));
    let json: serde_json::Value = serde_json::from_slice(&one).unwrap();
    assert_eq!(json["iterations"], 20000);
    assert_eq!(json["inputs"].as_array().unwrap().len(), 6);
    let p = json["probabilities"][1]["probability"].as_f64().unwrap();
    assert!(p > 0.0 && p < 1.0 && json["probabilities"][1]["threshold"] == "2000000");
}

/// Two cohorts with a July start, a lag crossing a year end, a fractional duration, drop-off
/// and a delayed admission, with time inputs uncertain: the same output on any thread count.
#[test]
fn simulate_of_cohorts_and_time_profiles_is_identical_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "profiles.yaml",
        &format!(
            r#"
extends: {}/scenarios/examples/two-cohorts.yaml
benefits:
  settled:
    basket: cost_avoidance
    kind: per_user
    counts: programme
    cohort: older_people
    amount: {{ value: 12, source: t }}
    per: week
    share: {{ value: 0.4, source: t }}
    lag_months: {{ value: 9, source: t }}
    duration_years: {{ value: 1.75, source: t }}
    drop_off: {{ value: 0.2, source: t }}
  delayed:
    basket: cost_avoidance
    kind: delayed_admission
    counts: programme
    cohort: [learning_disability]
    share: {{ value: 0.1, source: t }}
    after_months: {{ value: 8, source: t }}
    weeks_delayed: {{ value: 30, source: t }}
    weekly_cost: {{ value: 900, source: t }}
uncertain:
  cohorts.learning_disability.start: {{ distribution: {{ uniform: {{ min: 0, max: 11 }} }} }}
  cohorts.older_people.attrition: {{ distribution: {{ uniform: {{ min: 0.1, max: 0.3 }} }} }}
  benefits.settled.lag_months: {{ distribution: {{ uniform: {{ min: 0, max: 18 }} }} }}
  benefits.settled.duration_years: {{ distribution: {{ uniform: {{ min: 0.5, max: 3 }} }} }}
  benefits.delayed.after_months: {{ distribution: {{ uniform: {{ min: 0, max: 30 }} }} }}
"#,
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    let run = |threads: &str| {
        tec()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "simulate", &scenario, "-n", "20000", "--seed", "7", "-f", "json",
            ])
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
    assert_eq!(json["inputs"].as_array().unwrap().len(), 5);
}

#[test]
fn simulate_writes_samples_and_report_files() {
    let dir = tempfile::tempdir().unwrap();
    let samples = dir.path().join("samples.csv");
    let report = dir.path().join("report.csv");
    tec()
        .args([
            "simulate",
            UNCERTAIN,
            "-n",
            "5000",
            "--sampling",
            "latin-hypercube",
            "--target",
            "2500000",
            "--samples",
        ])
        .arg(&samples)
        .arg("--output")
        .arg(&report)
        .assert()
        .success()
        .stdout("");
    let text = fs::read_to_string(&samples).unwrap();
    assert_eq!(text.lines().count(), 5001);
    assert!(
        text.starts_with("iteration,users.installs,users.attrition,"),
        "{}",
        &text[..200]
    );
    let report = csv_file(&report);
    assert!(report.starts_with("output,year,mean,sd,p5,p10,p50,p90,p95,min,max,se_mean"));
    // Rows arrive a block (4,096 iterations) at a time, in order, and are the iterations the
    // statistics were taken over: their mean is the report's.
    let header: Vec<&str> = text.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|h| *h == "cumulative_net").unwrap();
    let mut sum = 0.0;
    for (i, line) in text.lines().skip(1).enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        assert_eq!(fields[0], i.to_string());
        sum += fields[at].parse::<f64>().unwrap();
    }
    let row = report
        .lines()
        .find(|l| l.starts_with("cumulative_net,total,"))
        .expect("the horizon's cumulative net benefit");
    let mean: f64 = row.split(',').nth(2).unwrap().parse().unwrap();
    assert!(
        (sum / 5000.0 - mean).abs() < 0.01,
        "{} against {mean}",
        sum / 5000.0
    );
}

#[test]
fn simulate_table_shows_risk_figures() {
    let out = stdout_of(&["simulate", UNCERTAIN, "-n", "10000", "--seed", "1"]);
    for fragment in [
        "Monte Carlo: 10,000 iterations, seed 1",
        "P(cumulative net benefit >= 2,000,000)",
        "Payback year:",
        "histogram",
        "achieved",
    ] {
        assert!(out.contains(fragment), "{fragment}\n{out}");
    }
}

#[test]
fn bad_distributions_and_correlations_are_located_errors() {
    let dir = tempfile::tempdir().unwrap();
    let base = fs::read_to_string(UNCERTAIN).unwrap().replace(
        "extends: scenario4.yaml",
        &format!(
            "extends: {}/scenarios/leicestershire/scenario4.yaml",
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    let cases = [
        (
            "minmax.yaml",
            base.replace(
                "min: 0.10, mode: 0.18, max: 0.35",
                "min: 0.40, mode: 0.18, max: 0.35",
            ),
            "users.attrition: triangular: min (0.40) is above max (0.35)",
        ),
        (
            "sd.yaml",
            base.replace(
                "{ uniform: { min: 15, max: 22 } }",
                "{ normal: { mean: 18, sd: -2, min: 0 } }",
            ),
            "sd (-2) is negative",
        ),
        (
            "share.yaml",
            base.replace(
                "min: 0.40, mode: 0.5625, max: 0.75",
                "min: 0.40, mode: 0.5625, max: 1.2",
            ),
            "the input must be between 0 and 1",
        ),
        (
            "psd.yaml",
            format!(
                "{base}  - {{ inputs: [users.attrition, users.installs], rank: 0.9 }}\n  - {{ inputs: [users.attrition, benefits.care_hours.share], rank: 0.9 }}\n"
            ),
            "not positive semi-definite",
        ),
        (
            "named.yaml",
            format!("{base}  - {{ inputs: [users.attrition, users.opening], rank: 0.5 }}\n"),
            "`users.opening` is not an uncertain input",
        ),
        (
            "unknown.yaml",
            base.replace(
                "  users.attrition:\n    distribution",
                "  users.atrition:\n    distribution",
            ),
            "did you mean `users.attrition`",
        ),
    ];
    for (name, text, fragment) in cases {
        let path = write(dir.path(), name, &text);
        let assert = tec()
            .args(["simulate", &path, "-n", "100"])
            .assert()
            .code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(
            stderr.contains(fragment) && stderr.contains(&format!("{name}:")),
            "{name}: {stderr}"
        );
    }
    for args in [
        ["-n", "0"],
        ["--seed", "x"],
        ["--precision", "-1"],
        ["--target", "lots"],
    ] {
        tec()
            .args(["simulate", UNCERTAIN])
            .args(args)
            .assert()
            .code(2);
    }
}

const ESSEX: &str = "scenarios/essex/care-technology-savings.yaml";
const ESSEX_ACTUALS: &str = "actuals/essex-2021-22-to-2024-08.csv";
const LEICS_ACTUALS: &str = "actuals/leicestershire-2021-22-q1-q3.csv";

#[test]
fn track_leicestershire_markdown_matches_snapshot() {
    insta::assert_snapshot!(stdout_of(&[
        "track",
        SCENARIO4,
        LEICS_ACTUALS,
        "--format",
        "markdown"
    ]));
}

#[test]
fn track_reproduces_essex_published_variances() {
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["track", ESSEX, ESSEX_ACTUALS, "-f", "json"])).unwrap();
    let net = |list: &serde_json::Value, field: &str| -> String {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["figure"] == "net")
            .unwrap()[field]
            .as_str()
            .unwrap()
            .to_string()
    };
    let years = json["years"].as_array().unwrap();
    // Published: £4.2m (£3.3m above target), £5.9m (£1m above), £1.6m (£1.2m above).
    for (year, actual, above) in [
        (0, "4200000", "3300000"),
        (1, "5900000", "1000000"),
        (2, "1600000", "1200000"),
    ] {
        assert_eq!(years[year]["status"], "complete");
        assert_eq!(net(&years[year]["comparisons"], "actual"), actual);
        assert_eq!(net(&years[year]["comparisons"], "variance"), above);
    }
    // 2024/25: around £3.5m to August against the MTRS target of £2.5m.
    let current = &years[3];
    assert_eq!(current["status"], "in_progress");
    assert_eq!(current["months"], 5);
    let against = &current["to_date_against_full_year"];
    assert_eq!(net(against, "plan"), "2500000");
    assert_eq!(net(against, "actual"), "3500000");
    assert_eq!(net(against, "variance"), "1000000");
    // 11,599 residents in August 2024; 18,000 by March 2028 at the plan's 18% attrition.
    let ambition = &json["ambition"];
    assert_eq!(ambition["from_users"], "11599");
    assert_eq!(ambition["months"], 43);
    assert_eq!(ambition["whole_installs_per_month"], "400");
    assert_eq!(json["budget_reducing"]["baskets"][1], "cost_avoidance");
}

#[test]
fn track_writes_each_format_and_chooses_by_extension() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("track.csv");
    tec()
        .args([
            "track",
            SCENARIO4,
            LEICS_ACTUALS,
            "--rag",
            "green=0.1,amber=0.2",
            "-o",
        ])
        .arg(&out)
        .assert()
        .success()
        .stdout("");
    let text = csv_file(&out);
    assert!(
        text.starts_with("kind,year,basis,figure,label,plan,actual,variance,variance_pct,rag\n")
    );
    assert!(text.contains("actual,2021/22,April to December 2021 (to date),installs,Installs,538,485,-53,-9.9,green\n"), "{text}");
    assert!(
        text.contains("reforecast,2025/26,re-run,cumulative_net,"),
        "{text}"
    );
    let table = stdout_of(&["track", SCENARIO4, LEICS_ACTUALS]);
    assert!(table.contains("ILLUSTRATIVE"), "{table}");
    assert!(table.contains("Re-forecast"), "{table}");
}

#[test]
fn bad_actuals_exit_2_naming_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "unknown.csv",
            "period,instals\n2021-04,5\n",
            "header (line 1), column `instals`",
        ),
        (
            "outside.csv",
            "period,installs\n2030/31,5\n",
            "row 1 (line 2), column `period`",
        ),
        (
            "twice.csv",
            "period,installs\n2021-04,5\n2021-04,5\n",
            "row 2 (line 3), column `period`: 2021-04 appears twice",
        ),
        (
            "text.csv",
            "period,installs\n2021-04,many\n",
            "row 1 (line 2), column `installs`: expected a number",
        ),
        (
            "negative.csv",
            "period,active_users\n2021-04,-1\n",
            "row 1 (line 2), column `active_users`: a count cannot be negative",
        ),
    ];
    for (name, text, fragment) in cases {
        let path = write(dir.path(), name, text);
        let assert = tec().args(["track", SCENARIO4, &path]).assert().code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(fragment), "{name}: {stderr}");
        assert!(stderr.contains(name), "{name} names its file: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
    let missing = dir.path().join("none.csv");
    tec()
        .args(["track", SCENARIO4])
        .arg(&missing)
        .assert()
        .code(2);
    tec()
        .args(["track", SCENARIO4, LEICS_ACTUALS, "--as-at", "31/12/2021"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("--as-at"));
}

// ---------------------------------------------------------------------------------------------
// Sensitivity analysis: compare, sweep, tornado, solve (issue 4).
// ---------------------------------------------------------------------------------------------

const LEICESTERSHIRE: [&str; 4] = [
    "scenarios/leicestershire/scenario1.yaml",
    "scenarios/leicestershire/scenario2.yaml",
    "scenarios/leicestershire/scenario3.yaml",
    "scenarios/leicestershire/scenario4.yaml",
];

fn decimal(text: &str) -> rust_decimal::Decimal {
    text.parse().unwrap()
}

/// Rounds to a multiple of `precision`, half away from zero, as published figures are.
fn published(value: rust_decimal::Decimal, precision: i64) -> i64 {
    use rust_decimal::prelude::ToPrimitive;
    let p = rust_decimal::Decimal::from(precision);
    ((value / p).round_dp_with_strategy(0, rust_decimal::RoundingStrategy::MidpointAwayFromZero)
        * p)
        .to_i64()
        .unwrap()
}

#[test]
fn compare_reproduces_leicestershire_para_33() {
    let mut args = vec!["compare", "--format", "csv"];
    args.extend(LEICESTERSHIRE);
    let csv = stdout_of(&args);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(
        rows[0],
        ["figure", "scenario1", "scenario2", "scenario3", "scenario4"]
    );
    let row = |label: &str| rows.iter().find(|r| r[0] == label).unwrap().clone();
    let users: Vec<i64> = row("TEC users at end of horizon")[1..]
        .iter()
        .map(|v| published(decimal(v), 100))
        .collect();
    let net: Vec<i64> = row("Cumulative net benefit")[1..]
        .iter()
        .map(|v| published(decimal(v), 100_000))
        .collect();
    // Para 33: 3,500 / £5.4m, 2,700 / £4.0m, 3,500 / £3.3m, 2,700 / £2.5m.
    assert_eq!(users, [3500, 2700, 3500, 2700]);
    assert_eq!(net, [5_400_000, 4_000_000, 3_300_000, 2_500_000]);
    for label in [
        "Total benefit",
        "Total cost",
        "Total offsets",
        "NPV",
        "Payback year",
    ] {
        assert_eq!(row(label).len(), 5, "{label}");
    }
    let table = stdout_of(&LEICESTERSHIRE.iter().fold(vec!["compare"], |mut a, f| {
        a.push(f);
        a
    }));
    assert!(
        table.contains("5,376,239") && table.contains("2,498,933"),
        "{table}"
    );
}

#[test]
fn a_sweep_point_equals_run_on_the_same_values() {
    let csv = stdout_of(&[
        "sweep",
        SCENARIO4,
        "--vary",
        "benefits.care_hours.hours_per_week=1.5,2.5",
        "--vary",
        "users.installs=600..800:3",
        "--outputs",
        "summary.cumulative_net,npv,summary.payback_year,year.2023/24.closing_users",
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next().unwrap(),
        "benefits.care_hours.hours_per_week,users.installs,summary.cumulative_net,summary.npv,summary.payback_year,year.2023/24.closing_users"
    );
    let point: Vec<&str> = lines.nth(5).unwrap().split(',').collect();
    assert_eq!(&point[..2], ["2.5", "800"]);

    let dir = tempfile::tempdir().unwrap();
    let parent = Path::new(env!("CARGO_MANIFEST_DIR")).join(SCENARIO4);
    let file = write(
        dir.path(),
        "point.yaml",
        &format!(
            "extends: {}\noverrides:\n  benefits.care_hours.hours_per_week: {{ value: 2.5, source: t }}\n  users.installs: {{ each_year: 800, source: t }}\n",
            parent.display()
        ),
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["run", &file, "-f", "json"])).unwrap();
    let summary = &json["summary"];
    assert_eq!(point[2], summary["cumulative_net"].as_str().unwrap());
    assert_eq!(point[3], summary["npv"].as_str().unwrap());
    assert_eq!(point[4], summary["payback_year"].as_str().unwrap());
    assert_eq!(
        point[5],
        json["years"][2]["closing_users"].as_str().unwrap()
    );
}

#[test]
fn sweep_writes_the_same_file_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("sweep{threads}.csv"));
        tec()
            .env("RAYON_NUM_THREADS", threads)
            .args([
                "sweep",
                SCENARIO4,
                "--vary",
                "users.attrition=0.1..0.3:21",
                "--vary",
                "costs.technology.unit_cost=400..800:21",
                "-o",
            ])
            .arg(&out)
            .assert()
            .success()
            .stdout("");
        outputs.push(fs::read(&out).unwrap());
    }
    assert_eq!(outputs[0], outputs[1]);
    let text = String::from_utf8(outputs.remove(0)).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte-order mark");
    assert_eq!(text.lines().count(), 21 * 21 + 1);
    assert!(text.starts_with("users.attrition,costs.technology.unit_cost,summary.cumulative_net,"));
}

#[test]
fn sweep_of_two_inputs_is_a_two_way_table() {
    let out = stdout_of(&[
        "sweep",
        SCENARIO4,
        "--vary",
        "benefits.care_hours.hours_per_week=1..3:3",
        "--vary",
        "users.installs=600,717",
        "--outputs",
        "cumulative_net",
    ]);
    assert!(out.contains("summary.cumulative_net by benefits.care_hours.hours_per_week (rows) and users.installs (columns)"), "{out}");
    assert!(out.contains("2,498,933"), "{out}");
    assert_eq!(out.matches('\n').count(), 9, "{out}");
}

#[test]
fn tornado_ranks_given_ranges_by_swing() {
    let csv = stdout_of(&[
        "tornado",
        SCENARIO4,
        "--range",
        "appraisal.optimism_bias=0..0.2",
        "--range",
        "users.installs=500..900",
        "--range",
        "users.attrition=0.1..0.3",
        "-f",
        "csv",
    ]);
    let order: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(
        order,
        [
            "users.attrition",
            "users.installs",
            "appraisal.optimism_bias"
        ]
    );
    let table = stdout_of(&["tornado", SCENARIO4, "--output-measure", "npv"]);
    assert!(
        table.starts_with("Tornado of summary.npv (base 2,235,616)"),
        "{table}"
    );
    assert!(
        table.contains("Left out appraisal.optimism_bias"),
        "{table}"
    );
}

#[test]
fn solve_finds_the_care_hours_for_the_2m_saving_or_says_none_exists() {
    let out = stdout_of(&[
        "solve",
        SCENARIO4,
        "--vary",
        "benefits.care_hours.hours_per_week",
        "--target",
        "summary.cumulative_net=2000000",
    ]);
    assert!(
        out.contains("switching value: benefits.care_hours.hours_per_week = 1.78307"),
        "{out}"
    );
    assert!(
        out.contains("at 1.78306: summary.cumulative_net = 1,999,998 (does not)"),
        "{out}"
    );
    tec()
        .args([
            "solve",
            SCENARIO4,
            "--vary",
            "users.attrition",
            "--target",
            "cumulative_net=9000000",
        ])
        .assert()
        .code(1)
        .stdout(predicates::str::contains(
            "no value of users.attrition from 0 to 1 meets the target",
        ));
}

#[test]
fn bad_sensitivity_expressions_are_clear_errors_with_exit_code_2() {
    let hours = "benefits.care_hours.hours_per_week";
    let cases: Vec<(Vec<String>, &str)> = vec![
        (
            vec![
                "sweep".into(),
                SCENARIO4.into(),
                "--vary".into(),
                "benefits.care_hours.hours_per_wek=1..2:3".into(),
            ],
            "did you mean `benefits.care_hours.hours_per_week`",
        ),
        (
            vec![
                "sweep".into(),
                SCENARIO4.into(),
                "--vary".into(),
                format!("{hours}=1..two:3"),
            ],
            "expected a number, found `two`",
        ),
        (
            vec![
                "sweep".into(),
                SCENARIO4.into(),
                "--vary".into(),
                format!("{hours}=1..2:0"),
            ],
            "steps must be 1 or more",
        ),
        (
            vec![
                "sweep".into(),
                SCENARIO4.into(),
                "--vary".into(),
                format!("{hours}=3..2:4"),
            ],
            "write the smaller value first",
        ),
        (
            vec![
                "sweep".into(),
                SCENARIO4.into(),
                "--vary".into(),
                format!("{hours}=1..2:x"),
            ],
            "the number of steps: expected a number, found `x`",
        ),
        (
            vec![
                "sweep".into(),
                SCENARIO4.into(),
                "--vary".into(),
                "users.attrition=0..2:3".into(),
            ],
            "must be between 0 and 1",
        ),
        (
            vec![
                "sweep".into(),
                SCENARIO4.into(),
                "--vary".into(),
                format!("{hours}=1,2"),
                "--outputs".into(),
                "summary.nvp".into(),
            ],
            "did you mean `summary.npv`",
        ),
        (vec!["sweep".into(), SCENARIO4.into()], "--vary"),
        (
            vec![
                "solve".into(),
                SCENARIO4.into(),
                "--vary".into(),
                hours.into(),
                "--target".into(),
                "summary.cost=1".into(),
            ],
            "is not an output",
        ),
        (
            vec![
                "solve".into(),
                SCENARIO4.into(),
                "--vary".into(),
                hours.into(),
                "--target".into(),
                "summary.payback_year=1".into(),
            ],
            "not an amount",
        ),
        (
            vec![
                "solve".into(),
                SCENARIO4.into(),
                "--vary".into(),
                "users.installs[2030/31]".into(),
                "--target".into(),
                "npv=1".into(),
            ],
            "outside the horizon",
        ),
        (
            vec![
                "tornado".into(),
                SCENARIO4.into(),
                "--range".into(),
                "users.installs=900..500".into(),
            ],
            "write the smaller value first",
        ),
        (
            vec![
                "tornado".into(),
                SCENARIO4.into(),
                "--range".into(),
                "users.nstalls=1..2".into(),
            ],
            "did you mean `users.installs`",
        ),
    ];
    for (args, fragment) in cases {
        let assert = tec().args(&args).assert().code(2);
        let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
        assert!(stderr.contains(fragment), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn failed_sweep_leaves_an_earlier_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sweep.csv");
    fs::write(&out, "earlier").unwrap();
    tec()
        .args(["sweep", SCENARIO4, "--vary", "users.installs=1,1e27", "-o"])
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "at users.installs = 1000000000000000000000000000: a figure is too large",
        ));
    assert_eq!(fs::read_to_string(&out).unwrap(), "earlier");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn tornado_uses_the_uncertain_inputs_p10_and_p90() {
    let out = stdout_of(&["tornado", UNCERTAIN, "-f", "csv"]);
    let rows: Vec<&str> = out.lines().skip(1).collect();
    assert_eq!(rows.len(), 6, "{out}");
    assert!(rows.iter().all(|r| r.contains("P10 to P90")), "{out}");
    // Triangular(1, 2, 2.5) hours: P10 = 1 + sqrt(0.1 x 1.5 x 1) = 1.387298.
    assert!(out.contains("1.387298"), "{out}");
}

// ---- the catalogue of bad inputs (tests/catalogue/cases.yaml) ----

#[path = "cli/catalogue.rs"]
mod catalogue;

// ---- outputs: links, special files, permissions, signals, pipes, failed streams ----

#[path = "cli/outputs.rs"]
mod outputs;
// ---- issue 12: silent nonsense (what must be accepted or shown) ----

#[path = "cli/silent_nonsense.rs"]
mod silent_nonsense;

#[test]
fn catalogue_of_bad_inputs() {
    catalogue::run_all(std::path::Path::new(env!("CARGO_BIN_EXE_tec-model")));
}

// ---- fuzz regressions (tests/fuzz-regressions/, from `cargo fuzz` in fuzz/) ----

/// Every input the fuzz targets found crashing or hanging (and the hostile seeds) goes through
/// the same library code as the targets, in this process: none may panic or take long.
#[test]
fn fuzz_regressions_do_not_panic() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let plan = tec_model::scenario::load(Path::new(SCENARIO4)).unwrap();
    let mut replayed = 0;
    let mut panicked = Vec::new();
    for target in ["scenario", "actuals"] {
        let mut files: Vec<_> = fs::read_dir(root.join(target))
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        files.sort();
        for file in files {
            let bytes = fs::read(&file).unwrap();
            let started = std::time::Instant::now();
            let outcome = std::panic::catch_unwind(|| match target {
                "scenario" => {
                    let _ = tec_model::robustness::scenario_bytes(&bytes);
                }
                _ => tec_model::robustness::actuals_bytes(&plan, &bytes),
            });
            if outcome.is_err() {
                panicked.push(file.display().to_string());
            }
            // The fuzz targets ran with a 10-second timeout; a debug build gets the same.
            let took = started.elapsed().as_secs_f64();
            assert!(took < 10.0, "{} took {took} s", file.display());
            replayed += 1;
        }
    }
    assert!(replayed >= 10, "only {replayed} regression inputs");
    assert!(panicked.is_empty(), "panicked on {panicked:?}");
}

// ---- atomic outputs and exit codes ----

#[test]
fn failed_simulate_and_track_leave_earlier_outputs_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let samples = dir.path().join("samples.csv");
    let report = dir.path().join("report.csv");
    let tracked = dir.path().join("track.csv");
    for path in [&samples, &report, &tracked] {
        fs::write(path, "earlier").unwrap();
    }
    let bad = write(
        dir.path(),
        "bad.yaml",
        &format!(
            "extends: {}/{UNCERTAIN}\nsimulation: {{ iterations: 0 }}\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    // A bad scenario, then a good one whose second output cannot be written: neither output
    // is touched, and no temporary file is left.
    tec()
        .args(["simulate", &bad, "--samples"])
        .arg(&samples)
        .arg("--output")
        .arg(&report)
        .assert()
        .code(2);
    tec()
        .args(["simulate", UNCERTAIN, "-n", "300", "--samples"])
        .arg(&samples)
        .arg("--output")
        .arg(dir.path().join("missing/report.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains("missing/report.csv"));
    let actuals = write(
        dir.path(),
        "bad.csv",
        "period,installs\n2021-04,1\n2021-04,2\n",
    );
    tec()
        .args(["track", SCENARIO4, &actuals, "-o"])
        .arg(&tracked)
        .assert()
        .code(2);
    for path in [&samples, &report, &tracked] {
        assert_eq!(fs::read_to_string(path).unwrap(), "earlier", "{path:?}");
    }
    assert_eq!(
        fs::read_dir(dir.path()).unwrap().count(),
        5,
        "no temporary file"
    );
    // And a good run replaces both whole.
    tec()
        .args(["simulate", UNCERTAIN, "-n", "300", "--samples"])
        .arg(&samples)
        .arg("--output")
        .arg(&report)
        .assert()
        .success();
    assert_eq!(fs::read_to_string(&samples).unwrap().lines().count(), 301);
    assert!(csv_file(&report).starts_with("output,"));
}

/// README's table of exit codes lists exactly the codes `app::exit` defines, and each is
/// produced by the binary (0 here; 1, 2 and 3 in the catalogue).
#[test]
fn readme_documents_every_exit_code() {
    use tec_model::app::exit;
    let readme = fs::read_to_string("README.md").unwrap();
    let documented: Vec<u8> = readme
        .lines()
        .filter_map(|line| line.strip_prefix("| **")?.split_once("**")?.0.parse().ok())
        .collect();
    assert_eq!(
        documented,
        vec![
            exit::SUCCESS,
            exit::CHECK_FAILED,
            exit::BAD_INPUT,
            exit::INTERNAL
        ]
    );
    tec().args(["run", SCENARIO4]).assert().code(0);
    let catalogue = fs::read_to_string("tests/catalogue/cases.yaml").unwrap();
    for code in [1, 2, 3] {
        assert!(catalogue.contains(&format!("\n  code: {code}\n")), "{code}");
    }
}

/// A scenario of 12,000 lines (1 MB, the largest accepted) is listed and run in linear time:
/// before, `inputs` compared every input path with every other (the fuzzer found it).
#[test]
fn wide_scenario_is_listed_and_run_in_linear_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from(
        "horizon: { first_year: 2021/22 }\nusers:\n  opening: { value: 1, source: x }\n  installs: { each_year: 1, source: x }\n  attrition: { value: 0.1, source: x }\nbenefits:\n",
    );
    for i in 0..12_000 {
        text.push_str(&format!(
            "  b{i}: {{ basket: cashable, kind: amounts, amounts: {{ each_year: 1, source: x }} }}\n"
        ));
    }
    let path = write(dir.path(), "wide.yaml", &text);
    for command in ["inputs", "run"] {
        let started = std::time::Instant::now();
        tec().args([command, &path]).assert().success();
        let took = started.elapsed().as_secs_f64();
        assert!(took < 20.0, "{command} took {took} s");
    }
}

// ---- issue 12: undefined statistics, unclear errors ----

#[path = "cli/issue12.rs"]
mod issue12;
/// Cohort inputs and time inputs are input paths like any other: listed by `inputs`, varied by
/// `sweep` and `tornado`, solved for by `solve` (each point an exact run).
#[test]
fn cohort_and_time_inputs_work_in_every_analysis() {
    let two = "scenarios/examples/two-cohorts.yaml";
    let inputs = stdout_of(&["inputs", two]);
    assert!(inputs.contains("cohorts.older_people.installs = [300, 300, 300]"));
    assert!(inputs.contains("cohorts.learning_disability.start = 3"));
    let sweep = stdout_of(&[
        "sweep",
        two,
        "--vary",
        "cohorts.learning_disability.start=0,3",
        "--vary",
        "cohorts.older_people.installs=300",
        "-f",
        "csv",
    ]);
    // At the file's own values (a July start, 300 installs) the sweep is the run: 2,308,776.
    assert!(sweep.contains("\n3,300,2308776,"), "{sweep}");
    // An earlier start means more user-years of the pilot, so more benefit.
    assert!(sweep.contains("\n0,300,2348743,"), "{sweep}");
    let tornado = stdout_of(&["tornado", two, "-f", "csv"]);
    assert!(
        tornado.contains("\ncohorts.older_people.installs,"),
        "{tornado}"
    );
    let solve = stdout_of(&[
        "solve",
        "scenarios/examples/time-profile.yaml",
        "--vary",
        "benefits.reablement_hours.lag_months",
        "--target",
        "summary.cumulative_net=300000",
    ]);
    assert!(
        solve.contains("switching value: benefits.reablement_hours.lag_months = 11.4752"),
        "{solve}"
    );
}

/// With several cohorts the year table shows each one's installs and closing users, in every
/// format; with one it is as before.
#[test]
fn the_year_table_shows_users_by_cohort() {
    let two = "scenarios/examples/two-cohorts.yaml";
    let csv = stdout_of(&["run", two, "-f", "csv"]);
    assert!(
        csv.contains("users,Installs: older people,300,300,300,900"),
        "{csv}"
    );
    assert!(
        csv.contains("users,Closing users: learning disability,56,122,182,"),
        "{csv}"
    );
    let markdown = stdout_of(&["run", two, "-f", "markdown"]);
    assert!(
        markdown.contains("| Installs: learning disability | 60 | 80 | 80 | 220 |"),
        "{markdown}"
    );
    let table = stdout_of(&["run", two]);
    assert!(table.contains("Closing users: older people"));
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["run", two, "-f", "json"])).unwrap();
    let first = &json["years"][0]["cohorts"];
    assert_eq!(first[0]["cohort"], "older_people");
    assert_eq!(first[0]["closing_users"], "670");
    assert_eq!(first[1]["installs"], "60");
    let one: serde_json::Value =
        serde_json::from_str(&stdout_of(&["run", SCENARIO4, "-f", "json"])).unwrap();
    assert!(one["years"][0].get("cohorts").is_none());
}

// ---- issue 15: completions, man page, help, version, formats, BOM, colour, progress, stdin ----

#[path = "cli/issue15.rs"]
mod issue15;

#[path = "cli/widths.rs"]
mod widths;

/// README opens with the two commands a newcomer runs and the install line; the first runs
/// here as it would there (the binary that `cargo run --release --` builds, on the same file).
#[test]
fn readme_opens_with_the_two_commands_and_the_install_line() {
    let readme = fs::read_to_string("README.md").unwrap();
    let first_block: Vec<&str> = readme
        .split("```sh\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .unwrap()
        .lines()
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(
        first_block,
        [
            "cargo run --release -- run scenarios/leicestershire/scenario4.yaml",
            "cargo test --locked"
        ]
    );
    assert!(readme.contains("cargo install --locked --path ."));
    let manifest = fs::read_to_string("Cargo.toml").unwrap();
    let rust = manifest
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|v| v.strip_suffix('"'))
        .unwrap();
    assert!(
        readme.contains(&format!("With Rust {rust} or later")),
        "{rust}"
    );
    let table = stdout_of(&["run", SCENARIO4]);
    assert!(
        table.starts_with("Leicestershire TEC, scenario 4"),
        "{table}"
    );
    assert!(table.contains("NPV at 3.5%"), "{table}");
    assert!(
        readme.lines().count() < 150,
        "README stays short; the reference is in docs/"
    );
}
// ---- issue 17: honest evidence, measures as expressions, the option appraisal ----

#[path = "cli/issue17.rs"]
mod issue17;
#[path = "cli/tracking17.rs"]
mod tracking17;
// Issue 14: variance-based sensitivity, the Monte Carlo's own sensitivity, value of
// information and design points.
#[path = "cli/issue14.rs"]
mod issue14;

/// A sum of amounts is an output of every analysis that names outputs, as the Monte Carlo's
/// figures read it: its base is the sum of the parts as `run` reports them.
#[test]
fn a_sum_of_amounts_is_an_output_of_the_analyses() {
    let uncertain = "scenarios/leicestershire/scenario4-uncertain.yaml";
    let sum = "summary.total_benefit + summary.total_cost";
    let run: serde_json::Value =
        serde_json::from_str(&stdout_of(&["run", uncertain, "-f", "json"])).unwrap();
    let part = |k: &str| decimal(run["summary"][k].as_str().unwrap());
    let expected = part("total_benefit") + part("total_cost");
    let tornado = stdout_of(&["tornado", uncertain, "--output-measure", sum]);
    let shown = format!("(base {})", tec_model::export::format_money(expected));
    assert!(tornado.contains(&shown), "{shown}\n{tornado}");
    let sobol = stdout_of(&[
        "sensitivity",
        uncertain,
        "-n",
        "64",
        "--output-measure",
        sum,
    ]);
    assert!(sobol.contains("Sobol'"), "{sobol}");
    tec()
        .args([
            "tornado",
            uncertain,
            "--output-measure",
            "summary.npv + summary.payback_year",
        ])
        .assert()
        .code(2);
}
/// Issue 17's published figures: Essex's outturn, Hertfordshire's telecare charge and
/// programme totals, Leicestershire's start months and known discrepancies.
#[path = "cli/published_figures.rs"]
mod published_figures;
/// Issue 13: workbooks, SVG charts and the HTML report through the real binary.
#[path = "cli/reports.rs"]
mod reports;

// Issue 13: the workbooks of compare, simulate, sweep, tornado and track.
#[path = "cli/workbooks.rs"]
mod workbooks;
