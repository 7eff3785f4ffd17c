//! The published JSON Schemas: the scenario format's (docs/scenario.schema.json) is what
//! `tec-model schema` prints, every bundled scenario meets it, and a misspelt key fails it.

use assert_cmd::Command;
use std::path::{Path, PathBuf};

fn bin() -> Command {
    Command::cargo_bin("tec-model").unwrap()
}

fn printed_schema() -> serde_json::Value {
    let out = bin()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    serde_json::from_slice(&out).unwrap()
}

fn validator() -> jsonschema::Validator {
    jsonschema::validator_for(&printed_schema()).expect("the schema is a valid JSON Schema")
}

/// A YAML scenario as the JSON an editor's YAML extension validates.
fn as_json(text: &str) -> serde_json::Value {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).unwrap();
    serde_json::to_value(yaml).unwrap()
}

fn yaml_files(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            yaml_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "yaml") {
            found.push(path);
        }
    }
}

#[test]
fn the_published_schema_is_what_the_command_prints() {
    let published = std::fs::read_to_string("docs/scenario.schema.json").unwrap();
    let out = bin()
        .arg("schema")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    assert_eq!(
        published,
        String::from_utf8(out).unwrap(),
        "docs/scenario.schema.json is stale: run `cargo run -- schema > docs/scenario.schema.json`"
    );
}

#[test]
fn every_bundled_scenario_meets_the_schema_and_points_at_it() {
    let validator = validator();
    let mut files = Vec::new();
    yaml_files(Path::new("scenarios"), &mut files);
    assert!(files.len() >= 15, "{files:?}");
    // The options of `voi`'s example are scenarios too.
    yaml_files(Path::new("examples"), &mut files);
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let first = text.lines().next().unwrap();
        let depth = file.components().count() - 1;
        let expected = format!(
            "# yaml-language-server: $schema={}docs/scenario.schema.json",
            "../".repeat(depth)
        );
        assert_eq!(first, expected, "{}", file.display());
        let errors: Vec<String> = validator
            .iter_errors(&as_json(&text))
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}: {errors:?}", file.display());
    }
}

#[test]
fn a_misspelt_key_or_missing_provenance_fails_the_schema() {
    let validator = validator();
    let text = std::fs::read_to_string("scenarios/leicestershire/scenario1.yaml").unwrap();
    assert!(validator.is_valid(&as_json(&text)));
    for (from, to) in [
        ("    hours_per_week:", "    hours_per_wek:"),
        ("  install_timing: middle", "  install_timing: midle"),
        ("\nhorizon:", "\nhorizn:"),
        (
            "      calibrated: true\n      reason: \"commissioned home care is paid every week of the year\"",
            "      reason: \"commissioned home care is paid every week of the year\"",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        let broken = text.replacen(from, to, 1);
        assert!(!validator.is_valid(&as_json(&broken)), "{to} passed");
    }
}

#[test]
fn every_init_template_meets_the_schema() {
    let validator = validator();
    let folder = tempfile::tempdir().unwrap();
    for template in ["care-hours", "per-user", "contract"] {
        let path = folder.path().join(format!("{template}.yaml"));
        bin()
            .args(["init", "--template", template])
            .arg(&path)
            .assert()
            .success();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(validator.is_valid(&as_json(&text)), "{template}");
    }
}

/// The commands whose JSON has a published schema, each with a real run that writes it.
const COMMAND_RUNS: &[(&str, &[&str])] = &[
    ("run", &["run", "scenarios/leicestershire/scenario4.yaml"]),
    ("run", &["run", "scenarios/examples/two-cohorts.yaml"]),
    ("run", &["run", "scenarios/examples/adjustments.yaml"]),
    ("check", &["check", "fixtures"]),
    (
        "simulate",
        &[
            "simulate",
            "scenarios/leicestershire/scenario4-uncertain.yaml",
            "-n",
            "300",
            "--precision",
            "50000",
        ],
    ),
    (
        "simulate",
        &[
            "simulate",
            "scenarios/leicestershire/scenario4-uncertain.yaml",
            "-n",
            "1",
        ],
    ),
    (
        "inputs",
        &["inputs", "scenarios/leicestershire/scenario4.yaml"],
    ),
    (
        "compare",
        &[
            "compare",
            "scenarios/leicestershire/scenario1.yaml",
            "scenarios/leicestershire/scenario4.yaml",
        ],
    ),
    (
        "compare-baseline",
        &[
            "compare",
            "--baseline",
            "scenarios/leicestershire/option1-retain-at-offer.yaml",
            "scenarios/leicestershire/option2-business-case.yaml",
            "scenarios/leicestershire/option3-external-procurement.yaml",
        ],
    ),
    (
        "sweep",
        &[
            "sweep",
            "scenarios/leicestershire/scenario4.yaml",
            "--vary",
            "benefits.care_hours.hours_per_week=1..3:3",
            "--outputs",
            "cumulative_net,summary.payback_year",
        ],
    ),
    (
        "tornado",
        &["tornado", "scenarios/leicestershire/scenario4.yaml"],
    ),
    (
        "solve",
        &[
            "solve",
            "scenarios/leicestershire/scenario4.yaml",
            "--vary",
            "benefits.care_hours.hours_per_week",
            "--target",
            "summary.cumulative_net=0",
        ],
    ),
    (
        "track",
        &[
            "track",
            "scenarios/leicestershire/scenario4.yaml",
            "actuals/leicestershire-2021-22-q1-q3.csv",
        ],
    ),
    (
        "track",
        &[
            "track",
            "scenarios/essex/care-technology-savings.yaml",
            "actuals/essex-2021-22-to-2024-08.csv",
        ],
    ),
    (
        "sensitivity",
        &[
            "sensitivity",
            "scenarios/leicestershire/scenario4-uncertain.yaml",
            "-n",
            "256",
        ],
    ),
    (
        "voi",
        &[
            "voi",
            "examples/voi/smaller.yaml",
            "examples/voi/larger.yaml",
            "-n",
            "2000",
        ],
    ),
    (
        "voi",
        &[
            "voi",
            "scenarios/leicestershire/scenario4-uncertain.yaml",
            "-n",
            "2000",
        ],
    ),
    (
        "explain",
        &[
            "explain",
            "scenarios/leicestershire/scenario4.yaml",
            "year.2021/22.benefit.care_hours",
        ],
    ),
    (
        "explain",
        &[
            "explain",
            "scenarios/leicestershire/scenario4.yaml",
            "summary.npv",
            "--depth",
            "2",
        ],
    ),
];

fn published_schema(command: &str) -> serde_json::Value {
    let path = format!("docs/schemas/{command}.schema.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn json_of(args: &[&str]) -> serde_json::Value {
    let out = bin()
        .args(args)
        .args(["--format", "json", "-q"])
        .output()
        .unwrap();
    assert!(
        out.status.code().is_some_and(|c| c <= 1),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}"))
}

#[test]
fn the_published_command_schemas_are_what_the_command_prints() {
    let mut names: Vec<String> = std::fs::read_dir("docs/schemas")
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    let mut commands: Vec<&str> = COMMAND_RUNS.iter().map(|(c, _)| *c).collect();
    commands.dedup();
    let mut expected: Vec<String> = commands
        .iter()
        .map(|c| format!("{c}.schema.json"))
        .collect();
    expected.sort();
    assert_eq!(
        names, expected,
        "a schema in docs/schemas/ without a test, or the reverse"
    );
    for command in commands {
        let out = bin()
            .args(["schema", command])
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let published = std::fs::read_to_string(format!("docs/schemas/{command}.schema.json"));
        assert_eq!(
            published.unwrap(),
            String::from_utf8(out).unwrap(),
            "docs/schemas/{command}.schema.json is stale: run `cargo run -- schema {command} > docs/schemas/{command}.schema.json`"
        );
    }
}

#[test]
fn every_commands_json_meets_its_published_schema() {
    for (command, args) in COMMAND_RUNS {
        let schema = published_schema(command);
        let validator = jsonschema::validator_for(&schema)
            .unwrap_or_else(|e| panic!("{command}: not a valid JSON Schema: {e}"));
        let json = json_of(args);
        assert_eq!(json["schema_version"], 1, "{args:?}");
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{args:?}: {errors:?}");
    }
}

#[test]
fn a_field_the_schema_does_not_know_fails_it() {
    let validator = jsonschema::validator_for(&published_schema("run")).unwrap();
    let mut json = json_of(COMMAND_RUNS[0].1);
    assert!(validator.is_valid(&json));
    json["summary"]["npv_float"] = 1.5.into();
    assert!(!validator.is_valid(&json), "an unknown field passed");
    let mut json = json_of(COMMAND_RUNS[0].1);
    json["summary"]["npv"] = 2462503.into();
    assert!(!validator.is_valid(&json), "money as a JSON number passed");
}

/// Every money amount is exact decimal text: no JSON number with a fraction anywhere in the
/// money-bearing commands' JSON, and the Monte Carlo's statistics are whole pounds as text.
#[test]
fn money_is_decimal_text_in_every_command() {
    let simulate = json_of(COMMAND_RUNS[4].1);
    let horizon = simulate["outputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["output"] == "cumulative_net" && o["year"].is_null())
        .unwrap();
    for key in ["mean", "sd", "se_mean", "min", "max"] {
        let text = horizon[key].as_str().unwrap_or_else(|| panic!("{key}"));
        assert!(text.parse::<i64>().is_ok(), "{key}: {text}");
    }
    assert!(horizon["percentiles"][0]["value"].is_string());
    assert!(simulate["probabilities"][0]["threshold"].is_string());
    assert!(simulate["probabilities"][0]["probability"].is_number());
    assert!(simulate["precision_achieved"].is_string());
    let check = json_of(&["check", "fixtures/leicestershire.yaml"]);
    let first = &check["figures"][0];
    assert_eq!(first["published"], "3500");
    assert_eq!(first["precision"], "100");
    assert_eq!(first["published_text"], "3,500 (to 100)");
    assert!(first["modelled"].as_str().unwrap().parse::<i64>().is_ok());
    let counts = &check["counts"];
    assert_eq!(
        counts["figures"],
        counts["passed"].as_u64().unwrap()
            + counts["failed"].as_u64().unwrap()
            + counts["known_discrepancies"].as_u64().unwrap()
    );
    let voi = json_of(COMMAND_RUNS[COMMAND_RUNS.len() - 4].1);
    assert!(voi["evpi"].is_string() && voi["options"][0]["probability_best"].is_number());
}

/// `solve`'s JSON has the CSV's fields, in the CSV's order.
#[test]
fn solve_json_and_csv_have_the_same_fields() {
    let args = COMMAND_RUNS.iter().find(|(c, _)| *c == "solve").unwrap().1;
    let csv = bin()
        .args(args)
        .args(["--format", "csv"])
        .output()
        .unwrap()
        .stdout;
    let csv = String::from_utf8(csv).unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let json = json_of(args);
    let keys: Vec<&str> = json
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = vec!["schema_version"];
    expected.extend(header);
    let (mut a, mut b) = (keys.clone(), expected.clone());
    a.sort();
    b.sort();
    assert_eq!(a, b);
}
