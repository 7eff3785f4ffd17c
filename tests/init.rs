//! `tec-model init`: each template is written and then runs; an existing file is refused.

use assert_cmd::Command;

fn bin() -> Command {
    Command::cargo_bin("tec-model").unwrap()
}

#[test]
fn each_template_is_written_and_runs_as_it_is() {
    let folder = tempfile::tempdir().unwrap();
    for template in ["care-hours", "per-user", "contract"] {
        let path = folder.path().join(format!("{template}.yaml"));
        bin()
            .args(["init", "-t", template])
            .arg(&path)
            .assert()
            .success();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("PLACEHOLDER"), "{template}");
        let run = bin().arg("run").arg(&path).assert().success();
        let table = String::from_utf8(run.get_output().stdout.clone()).unwrap();
        assert!(table.contains("NPV at 3.5%"), "{template}: {table}");
    }
}

#[test]
fn the_default_template_is_care_hours() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("new.yaml");
    bin().arg("init").arg(&path).assert().success();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("kind: care_hours"));
}

#[test]
fn an_existing_file_is_refused_with_exit_2_and_left_alone() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("mine.yaml");
    std::fs::write(&path, "my work").unwrap();
    let out = bin().arg("init").arg(&path).assert().code(2);
    let error = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(error.contains("already exists"), "{error}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "my work");
    assert_eq!(std::fs::read_dir(folder.path()).unwrap().count(), 1);
}
