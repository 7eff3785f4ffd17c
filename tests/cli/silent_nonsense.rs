//! Issue 12, "silent nonsense": what must be accepted, shown or reported, through the real
//! binary. What must be refused (exit 2) or warned about is in the catalogue's section
//! "issue 12: silent nonsense".

use assert_cmd::Command;
use std::fs;
use std::path::Path;

const BUNDLED: [&str; 3] = [
    "scenarios/leicestershire",
    "scenarios/hertfordshire",
    "scenarios/essex",
];

fn tec() -> Command {
    Command::cargo_bin("tec-model").unwrap()
}

/// Standard output and standard error of a successful run.
fn run(args: &[&str]) -> (String, String) {
    let output = tec().args(args).assert().success().get_output().clone();
    (
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
    )
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    fs::write(&path, text).unwrap();
    path.display().to_string()
}

fn bundled() -> Vec<String> {
    let mut files: Vec<String> = BUNDLED
        .iter()
        .flat_map(|dir| fs::read_dir(dir).unwrap())
        .map(|entry| entry.unwrap().path().display().to_string())
        .collect();
    files.sort();
    files
}

fn line_of<'a>(listing: &'a str, path: &str) -> &'a str {
    listing
        .lines()
        .find(|l| l.starts_with(&format!("{path} = ")))
        .unwrap_or_else(|| panic!("no `{path}` in:\n{listing}"))
}

#[test]
fn issue12_scaled_provenance_is_shown_once_each() {
    let (listing, _) = run(&["inputs", "scenarios/leicestershire/scenario4.yaml"]);
    assert_eq!(
        line_of(&listing, "users.installs"),
        "users.installs = [717, 717, 717, 717, 717]  (calibrated: not published; 956 a year with 18% attrition gives 3,500 users at the end of year five (para 33) and, 25% lower, 2,731 in 2025/26 (paras 43, 51); scaled by 0.75 (source: leicestershire-cabinet-2021-02-05-technology-enabled-care.txt para 33 (25% reduction in installs vs scenario 1)))"
    );
    // A factor on a factor: the parent's provenance once, then each scaling in order.
    let dir = tempfile::tempdir().unwrap();
    let twice = write(
        dir.path(),
        "twice.yaml",
        &format!(
            "extends: {}/scenarios/leicestershire/scenario4.yaml\nscale:\n  benefits.care_hours.share: {{ value: 0.5, calibrated: true, reason: \"half again\" }}\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    let (listing, _) = run(&["inputs", &twice]);
    assert_eq!(
        line_of(&listing, "benefits.care_hours.share"),
        "benefits.care_hours.share = 0.28125  (source: leicestershire-cabinet-2021-02-05-technology-enabled-care.txt paras 43, 51, 60 (a reduction of two hours a week for 75% of those with TEC installed); scaled by 0.75 (source: leicestershire-cabinet-2021-02-05-technology-enabled-care.txt para 33 (25% less TEC users generate benefits)); scaled by 0.5 (calibrated: half again))"
    );
    // No bundled listing garbles provenance or leaves a number unexplained.
    for file in bundled() {
        let (listing, _) = run(&["inputs", &file]);
        for garbled in ["source: source:", "source: calibrated:", "unstated", ": :"] {
            assert!(!listing.contains(garbled), "{file}: {garbled}\n{listing}");
        }
        for line in listing.lines() {
            let known = ["(source: ", "(calibrated: ", "(default: ", "(given)"];
            assert!(known.iter().any(|k| line.contains(k)), "{file}: {line}");
        }
    }
}

#[test]
fn issue12_inputs_list_every_default_that_changes_money() {
    let (listing, _) = run(&["inputs", "scenarios/essex/care-technology-savings.yaml"]);
    for expected in [
        "appraisal.discount_rate = 0.035  (default: HM Treasury Green Book discount rate, 3.5% real)",
        "appraisal.optimism_bias = 0  (default: no optimism-bias uplift on costs)",
        "horizon.years = 4  (given)",
        "users.install_timing = middle  (default: installs land half way through the year on average)",
        "appraisal.rounding = pound  (default: each line's amount in each year to the pound, half away from zero)",
        "appraisal.discount_first_year = false  (default: year one is not discounted (factor 1), as the Green Book does)",
    ] {
        assert!(
            listing.lines().any(|l| l == expected),
            "{expected}\n{listing}"
        );
    }
    let (listing, _) = run(&[
        "inputs",
        "scenarios/hertfordshire/assistive-technology.yaml",
    ]);
    for expected in [
        "costs.dtc_pilot.price_year = 2018/19  (default: priced in the first year of the horizon)",
        "costs.dtc_pilot.uprating = 0  (default: no uprating)",
        "users.install_timing = start  (given)",
    ] {
        assert!(
            listing.lines().any(|l| l == expected),
            "{expected}\n{listing}"
        );
    }
    let (listing, _) = run(&["inputs", "scenarios/leicestershire/scenario1.yaml"]);
    for expected in [
        "benefits.care_hours.price_year = 2019/20  (given)",
        "benefits.care_hours.duration_years = none  (default: a user's benefit lasts for as long as they stay)",
    ] {
        assert!(
            listing.lines().any(|l| l == expected),
            "{expected}\n{listing}"
        );
    }
}

#[test]
fn issue12_a_programme_with_nothing_happening_has_no_payback() {
    let dir = tempfile::tempdir().unwrap();
    let idle = write(
        dir.path(),
        "idle.yaml",
        "horizon: { first_year: 2021/22, years: 3 }\nusers:\n  opening: { value: 0, source: x }\n  installs: { each_year: 0, source: x }\n  attrition: { value: 0, source: x }\nbenefits:\n  none: { basket: cashable, kind: amounts, amounts: { each_year: 0, source: x } }\n",
    );
    let (table, _) = run(&["run", &idle]);
    assert!(
        table.contains("Payback year            n/a (no net benefit or cost in any year)"),
        "{table}"
    );
    let (json, _) = run(&["run", &idle, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(json["summary"]["payback_year"], serde_json::Value::Null);
    let (compared, _) = run(&["compare", &idle, "scenarios/leicestershire/scenario4.yaml"]);
    assert!(
        compared.contains("n/a (no net benefit or cost in any year)"),
        "{compared}"
    );
    assert!(compared.contains("2022/23"), "{compared}");
}

#[test]
fn issue12_numbers_read_the_same_in_files_cells_and_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let scenario1 = fs::read_to_string("scenarios/leicestershire/scenario1.yaml").unwrap();
    // Leading zeros are decimal, in `value` and in `years` alike.
    let zeros = write(
        dir.path(),
        "zeros.yaml",
        &scenario1
            .replace("value: 1213", "value: 01213")
            .replace("  years: 5\n", "  years: 05\n"),
    );
    let (listing, _) = run(&["inputs", &zeros]);
    assert!(
        listing.contains("users.opening = 1213  (source:"),
        "{listing}"
    );
    assert!(listing.contains("horizon.years = 5  (given)"), "{listing}");
    assert_eq!(
        run(&["run", &zeros]).0,
        run(&["run", "scenarios/leicestershire/scenario1.yaml"]).0
    );
    // An exponent that makes a whole number is a whole number, in a file and on the command line.
    let uncertain = write(
        dir.path(),
        "n.yaml",
        &format!(
            "extends: {}/scenarios/leicestershire/scenario4-uncertain.yaml\nsimulation: {{ iterations: 1.5e3, seed: 4.2e1 }}\n",
            env!("CARGO_MANIFEST_DIR")
        ),
    );
    let (json, _) = run(&["simulate", &uncertain, "-f", "json"]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (json["iterations"].as_u64(), json["seed"].as_u64()),
        (Some(1500), Some(42))
    );
    let (json, _) = run(&[
        "simulate", &uncertain, "-n", "2e3", "--seed", "07", "-f", "json",
    ]);
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(
        (json["iterations"].as_u64(), json["seed"].as_u64()),
        (Some(2000), Some(7))
    );
    // Forty decimals that carry nothing are exact, and so accepted rather than rounded.
    let zeros = write(
        dir.path(),
        "trailing.yaml",
        &scenario1.replace("value: 15.71", &format!("value: 15.71{}", "0".repeat(38))),
    );
    let (listing, _) = run(&["inputs", &zeros]);
    assert!(
        listing.contains("benefits.care_hours.hourly_cost = 15.71  ("),
        "{listing}"
    );
}

#[test]
fn issue12_solve_and_bundled_runs_stay_inside_the_hard_ranges() {
    let (text, _) = {
        let output = tec()
            .args([
                "solve",
                "scenarios/leicestershire/scenario4.yaml",
                "--vary",
                "benefits.care_hours.hours_per_week",
                "--target",
                "summary.cumulative_net=900000000",
            ])
            .assert()
            .code(1)
            .get_output()
            .clone();
        (String::from_utf8(output.stdout).unwrap(), ())
    };
    assert!(
        text.contains(
            "no value of benefits.care_hours.hours_per_week from 0 to 168 meets the target"
        ),
        "{text}"
    );
    // No bundled scenario draws a warning.
    for file in bundled() {
        let (_, stderr) = run(&["run", &file]);
        assert_eq!(stderr, "", "{file}");
    }
}
