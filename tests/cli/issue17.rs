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
            "13 figures: 0 predictions, 0 arithmetic, 1 calibration target, 12 echoes; 13 passed, 0 failed, 0 known discrepancies\n"
        ),
        "{out}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(&["check", "fixtures/essex.yaml", "-f", "json"])).unwrap();
    assert_eq!(json["counts"]["figures"], 13);
    assert_eq!(json["counts"]["echoes"], 12);
    assert_eq!(json["counts"]["passed"], 13);
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

const OPTIONS: [&str; 3] = [
    "scenarios/leicestershire/option1-retain-at-offer.yaml",
    "scenarios/leicestershire/option3-external-procurement.yaml",
    "scenarios/leicestershire/option2-business-case.yaml",
];

#[test]
fn compare_against_a_baseline_ranks_the_options_in_every_format() {
    let args = |format: &'static str| {
        vec![
            "compare",
            "--baseline",
            OPTIONS[0],
            OPTIONS[1],
            OPTIONS[2],
            "-f",
            format,
        ]
    };
    let table = stdout_of(&args("table"));
    // Option 2 first though given second: ranked by NPV less the baseline's (0).
    assert!(
        table.contains("1. option2-business-case: Leicestershire TEC, Option 2 business case (scenarios/leicestershire/option2-business-case.yaml), incremental NPV +3,930,403"),
        "{table}"
    );
    assert!(table.contains("2. option3-external-procurement"), "{table}");
    assert!(
        table.contains("option1-retain-at-offer (baseline)"),
        "{table}"
    );
    let md = stdout_of(&args("markdown"));
    assert!(
        md.contains("| NPV | 0 | 3,930,403 | +3,930,403 | 2,578,372 | +2,578,372 |"),
        "{md}"
    );
    let csv = stdout_of(&args("csv"));
    assert!(
        csv.starts_with("figure,option1-retain-at-offer (baseline),option2-business-case,option2-business-case vs baseline,option3-external-procurement,option3-external-procurement vs baseline\n"),
        "{csv}"
    );
    assert!(
        csv.contains("Total cost,3775000,4095000,320000,4195000,420000\n"),
        "{csv}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout_of(&args("json"))).unwrap();
    assert_eq!(json["options"][0]["rank"], 1);
    assert_eq!(
        json["options"][0]["option"]["heading"],
        "option2-business-case"
    );
    assert_eq!(json["options"][0]["incremental_npv"], "3930403");
    assert_eq!(
        json["options"][1]["option"]["heading"],
        "option3-external-procurement"
    );
    assert_eq!(json["baseline"]["heading"], "option1-retain-at-offer");
}
