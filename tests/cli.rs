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
    assert_eq!(json["summary"]["payback_year"], "2021/22");
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
    let text = fs::read_to_string(&out).unwrap();
    assert!(text.starts_with("section,figure,2021/22,2022/23,2023/24,2024/25,2025/26,total\n"));
    assert!(text.contains("net,Cumulative net benefit,"));
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
    for dir in ["scenarios/leicestershire", "scenarios/hertfordshire"] {
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
            "`two` is not a number",
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
            "not a whole number of steps",
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
