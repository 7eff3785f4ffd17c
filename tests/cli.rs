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
