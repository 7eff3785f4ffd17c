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
