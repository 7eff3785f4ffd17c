//! Issue 12: statistics that cannot be computed are reported as undefined, and a precision
//! that was not reached says so (the real binary, every format); and the successes that the
//! clearer errors of tests/catalogue/cases.yaml point to (one-year overrides, `extends`
//! through a link, a negative `--target`).

use super::{UNCERTAIN, stdout_of, tec, write};
use std::fs;

fn json_of(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).unwrap()
}

#[test]
fn one_iteration_reports_spreads_and_correlations_as_undefined() {
    let json = json_of(&["simulate", UNCERTAIN, "-n", "1", "--format", "json"]);
    for output in json["outputs"].as_array().unwrap() {
        assert!(
            output["sd"].is_null() && output["se_mean"].is_null(),
            "{output}"
        );
        // Money estimates are decimal text rounded to the pound.
        assert!(
            output["mean"].as_str().unwrap().parse::<i64>().is_ok(),
            "{output}"
        );
        for p in output["percentiles"].as_array().unwrap() {
            // Horizon figures carry an error (here undefined: null); yearly ones none at all.
            match output["year"].is_null() {
                true => assert!(p.get("se").is_some_and(|se| se.is_null()), "{p}"),
                false => assert!(p.get("se").is_none(), "{p}"),
            }
        }
    }
    assert!(json["correlations"][0]["achieved"].is_null());
    assert!(json["probabilities"][0]["se"].is_null());
    assert!(json["precision_reached"].is_null() && json["precision_achieved"].is_null());

    let text = stdout_of(&["simulate", UNCERTAIN, "-n", "1"]);
    for fragment in [
        "Monte Carlo: 1 iteration,",
        "achieved n/a (undefined: needs two or more iterations whose draws vary)",
        "cumulative_net: mean n/a, P5 n/a,",
        "= 100.00% (standard error n/a)",
        "n/a: a standard deviation, standard error or rank correlation needs at least two",
    ] {
        assert!(text.contains(fragment), "{fragment}\n{text}");
    }
    assert!(
        !text.contains("NaN") && !text.contains("standard error 0.00%"),
        "{text}"
    );
    let npv = text.lines().find(|l| l.contains("│ npv ")).unwrap();
    assert!(npv.contains("│ n/a │"), "{npv}");

    let markdown = stdout_of(&["simulate", UNCERTAIN, "-n", "1", "--format", "markdown"]);
    assert!(markdown.contains("| n/a |") && !markdown.contains("NaN"));

    let csv = stdout_of(&["simulate", UNCERTAIN, "-n", "1", "--format", "csv"]);
    let npv: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("npv,total,"))
        .unwrap()
        .split(',')
        .collect();
    // sd, then se_mean and the five percentile errors: empty cells, not 0.
    assert_eq!(npv[3], "");
    assert!(npv[11..].iter().all(|c| c.is_empty()), "{npv:?}");
}

#[test]
fn two_iterations_have_a_spread() {
    let json = json_of(&["simulate", UNCERTAIN, "-n", "2", "--format", "json"]);
    let last = json["outputs"].as_array().unwrap().last().unwrap().clone();
    assert!(last["sd"].as_str().unwrap().parse::<f64>().unwrap() > 0.0);
    assert!(json["correlations"][0]["achieved"].is_number());
}

#[test]
fn a_precision_not_reached_says_so() {
    let args = [
        "simulate",
        UNCERTAIN,
        "--precision",
        "0.000001",
        "-n",
        "5000",
    ];
    let text = stdout_of(&args);
    let line = text
        .lines()
        .find(|l| l.starts_with("Precision not reached: stopped at the cap of 5,000 iterations"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("target £0.000001"), "{line}");
    assert!(!text.contains("below 0"), "{text}");
    let json = json_of(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(json["precision_reached"], false);
    let achieved: f64 = json["precision_achieved"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    // The target as given, not rounded.
    assert_eq!(json["precision"], "0.000001");
    assert!(achieved > 1000.0, "{achieved}");
    // The achieved error is the horizon's standard error of mean cumulative net benefit.
    let cumulative = json["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["output"] == "cumulative_net" && o["year"].is_null())
        .unwrap();
    assert_eq!(cumulative["se_mean"], json["precision_achieved"]);
    assert!(
        line.contains(&format!("£{}", thousands(achieved.round() as u64))),
        "{line}"
    );
    // With the report in a file, standard error says so too.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    let run = assert_cmd::Command::cargo_bin("tec-model")
        .unwrap()
        .args(args)
        .args(["-o", out.to_str().unwrap()])
        .assert()
        .success();
    let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
    assert!(stderr.starts_with("warning: "), "{stderr}");
    assert!(stderr.contains("Precision not reached"), "{stderr}");
}

#[test]
fn a_precision_reached_says_so() {
    let args = ["simulate", UNCERTAIN, "--precision", "20000"];
    let text = stdout_of(&args);
    assert!(text.contains("Precision reached: a standard error of mean cumulative net"));
    assert!(text.contains("below the target £20,000"), "{text}");
    let json = json_of(&[&args[..], &["--format", "json"]].concat());
    assert_eq!(json["precision_reached"], true);
    let achieved: f64 = json["precision_achieved"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!(achieved < 20000.0);
    // One iteration cannot reach any precision: its error is undefined.
    let one = json_of(&[&args[..], &["-n", "1", "--format", "json"]].concat());
    assert_eq!(one["precision_reached"], false);
    assert!(one["precision_achieved"].is_null());
    let text = stdout_of(&[&args[..], &["-n", "1"]].concat());
    assert!(text.contains("with an undefined standard error"), "{text}");
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

const SCENARIO1: &str = "scenarios/leicestershire/scenario1.yaml";

fn json_run(path: &str) -> serde_json::Value {
    json_of(&["run", path, "--format", "json"])
}

#[test]
fn one_year_overrides_and_scales_set_only_that_year() {
    let dir = tempfile::tempdir().unwrap();
    let parent = format!("{}/{SCENARIO1}", env!("CARGO_MANIFEST_DIR"));
    let child = write(
        dir.path(),
        "one-year.yaml",
        &format!(
            "extends: {parent}\noverrides:\n  users.installs[2022/23]: {{ value: 500, source: \"x\" }}\nscale:\n  users.installs[2024/25]: {{ value: 0.5, source: \"y\" }}\n"
        ),
    );
    let installs = |json: &serde_json::Value| -> Vec<String> {
        json["years"]
            .as_array()
            .unwrap()
            .iter()
            .map(|y| y["installs"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(installs(&json_run(SCENARIO1)), ["956"; 5]);
    let changed = json_run(&child);
    assert_eq!(installs(&changed), ["956", "500", "956", "478", "956"]);
    // The same point as `sweep` names it gives the same figures.
    let swept = stdout_of(&[
        "sweep",
        SCENARIO1,
        "--vary",
        "users.installs[2022/23]=500",
        "--vary",
        "users.installs[2024/25]=478",
        "--outputs",
        "summary.cumulative_net",
        "--format",
        "csv",
    ]);
    let cumulative = changed["summary"]["cumulative_net"].as_str().unwrap();
    assert!(
        swept
            .lines()
            .nth(1)
            .unwrap()
            .ends_with(&format!(",{cumulative}")),
        "{swept}"
    );
    // `inputs` gives those years their own provenance.
    let inputs = stdout_of(&["inputs", &child]);
    assert!(
        inputs.contains("users.installs[2022/23] = 500  (source: x)"),
        "{inputs}"
    );
    assert!(
        inputs.contains("users.installs[2024/25] = 478  (calibrated: ")
            && inputs.contains("; scaled by 0.5 (source: y))"),
        "{inputs}"
    );
    assert!(!inputs.contains("users.installs[2021/22]"), "{inputs}");
}

#[test]
#[cfg(unix)]
fn extends_through_a_symlink_finds_the_parent_beside_the_target() {
    let dir = tempfile::tempdir().unwrap();
    let (real, work) = (dir.path().join("real"), dir.path().join("work"));
    fs::create_dir_all(&real).unwrap();
    fs::create_dir_all(&work).unwrap();
    fs::copy(SCENARIO1, real.join("base.yaml")).unwrap();
    let child = "extends: base.yaml\nscale:\n  users.installs: { value: 0.5, source: \"x\" }\n";
    let target = write(&real, "child.yaml", child);
    std::os::unix::fs::symlink("../real/child.yaml", work.join("child.yaml")).unwrap();
    let through_link = json_run(work.join("child.yaml").to_str().unwrap());
    let direct = json_run(&target);
    assert_eq!(through_link["summary"], direct["summary"]);
    assert_eq!(through_link["years"][0]["installs"], "478");
}

#[test]
fn a_negative_target_is_a_threshold() {
    for args in [["--target", "-500000"], ["--target=-500000", "--seed=3"]] {
        let json = json_of(
            &[
                &["simulate", UNCERTAIN, "-n", "100", "--format", "json"][..],
                &args,
            ]
            .concat(),
        );
        assert_eq!(json["probabilities"][1]["threshold"], "-500000");
    }
    let assert = tec()
        .args(["simulate", UNCERTAIN, "--seed", "-1"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(assert.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.contains("a seed is a whole number from 0 to"),
        "{stderr}"
    );
}
