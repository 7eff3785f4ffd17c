//! Issue 17: what each published figure proves (its evidence kind and the closing line by
//! kind), measures as expressions and comparisons, and Leicestershire's option appraisal
//! against its baseline.

use super::{stdout_of, tec, write};

const REPO: &str = env!("CARGO_MANIFEST_DIR");

fn fixture(figures: &str) -> String {
    format!("figures:\n{figures}").replace("{repo}", REPO)
}

#[test]
fn check_states_each_figures_evidence_and_counts_by_kind() {
    let out = stdout_of(&["check", "fixtures/essex.yaml"]);
    assert!(out.contains("│ echo "), "{out}");
    assert!(
        out.ends_with(
            "9 figures: 0 predictions, 0 arithmetic, 0 calibration targets, 9 echoes; 9 passed, 0 failed, 0 known discrepancies\n"
        ),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["check", "fixtures/essex.yaml", "-f", "json"])).unwrap();
    assert_eq!(json["counts"]["figures"], 9);
    assert_eq!(json["counts"]["echoes"], 9);
    assert_eq!(json["counts"]["passed"], 9);
    assert_eq!(json["figures"][0]["evidence"], "echo");
    let csv = stdout_of(&["check", "fixtures/leicestershire.yaml", "-f", "csv"]);
    assert!(
        csv.starts_with("figure,source,evidence,published,modelled,result\n"),
        "{csv}"
    );
    assert!(
        csv.contains("calibration (costs.technology.unit_cost)"),
        "{csv}"
    );
}

#[test]
fn expressions_and_comparisons_pass_and_fail_as_they_should() {
    let dir = tempfile::tempdir().unwrap();
    let s1 = "    scenario: {repo}/scenarios/leicestershire/scenario1.yaml\n";
    // Scenario 1: benefit 8,177,319 and cost 2,801,080 (tec-model run), ratio 2.919...
    let text = fixture(&format!(
        "  - figure: ratio\n    source: t\n    evidence: prediction\n{s1}    measure: summary.total_benefit / summary.total_cost\n    between: [2.9, 3]\n\
         - figure: relative\n    source: t\n    evidence: prediction\n{s1}    measure: (summary.total_benefit - summary.total_cost) * 1\n    published: 5400000\n    precision: 1%\n\
         - figure: at most\n    source: t\n    evidence: prediction\n{s1}    measure: year.2021/22.net - year.2022/23.net\n    at_most: 0\n"
    ).replace("\n- figure", "\n  - figure"));
    let path = write(dir.path(), "f.yaml", &text);
    let out = stdout_of(&["check", &path]);
    assert!(out.contains("3 passed, 0 failed"), "{out}");
    // 1% of £5.4m passes within £27,000: £5,376,239 is £23,761 off; 0.5% fails.
    let tight = text.replace("precision: 1%", "precision: 0.5%");
    let path = write(dir.path(), "g.yaml", &tight);
    tec()
        .args(["check", &path])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("2 passed, 1 failed"));
}

#[test]
fn a_known_discrepancy_that_now_matches_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let text = fixture(
        "  - figure: users\n    source: t\n    evidence: echo\n    scenario: {repo}/scenarios/leicestershire/scenario1.yaml\n    measure: year.2021/22.opening_users\n    published: 1213\n    known_discrepancy: once did not match\n",
    );
    let path = write(dir.path(), "f.yaml", &text);
    let out = stdout_of(&["check", &path]);
    assert!(
        out.contains("known discrepancy, now matches: remove the note?"),
        "{out}"
    );
    assert!(
        out.contains("0 passed, 0 failed, 1 known discrepancies (1 now matching)"),
        "{out}"
    );
}

#[test]
fn list_measures_names_every_summary_figure() {
    let out = stdout_of(&["check", "--list-measures"]);
    for name in [
        "summary.return_per_pound",
        "summary.cost_per_user_year",
        "summary.basket.<basket>",
        "track.to_date",
        "option2.summary.npv - option3.summary.npv",
    ] {
        assert!(out.contains(name), "{name}: {out}");
    }
}
