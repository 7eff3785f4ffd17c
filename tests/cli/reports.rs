//! Issue 13 through the binary: `-o case.xlsx` writes a workbook, `--format svg` a chart,
//! `report` an HTML file.

use super::{SCENARIO4, tec};

#[test]
fn run_writes_a_workbook_chosen_by_extension_or_format() {
    let dir = tempfile::tempdir().unwrap();
    let by_extension = dir.path().join("case.xlsx");
    tec()
        .args(["run", SCENARIO4, "-o"])
        .arg(&by_extension)
        .assert()
        .success();
    let bytes = std::fs::read(&by_extension).unwrap();
    // An xlsx file is a zip archive.
    assert_eq!(&bytes[..2], b"PK");
    let by_format = dir.path().join("case-book");
    tec()
        .args(["run", SCENARIO4, "--format", "xlsx", "-o"])
        .arg(&by_format)
        .assert()
        .success();
    assert_eq!(
        std::fs::read(&by_format).unwrap(),
        bytes,
        "the same bytes each time"
    );
    tec()
        .args(["run", SCENARIO4, "--format", "xlsx", "-o"])
        .arg(dir.path().join("case.csv"))
        .assert()
        .code(2)
        .stderr(predicates::str::contains(
            "does not match the file's extension",
        ));
}
