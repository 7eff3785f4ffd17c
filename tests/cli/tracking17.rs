//! Issue 17's tracking items: KPIs in `track` and `check`, actuals periods across financial
//! years, the re-forecast from reported installs, unreported figures never rated, and the
//! MTFS view of Leicestershire's scenario 4.

use super::{stdout_of, tec, write};

/// A three-year plan of 1,000 installs a year from 1,000 users, benefit per user, with KPIs.
const PLAN: &str = "\
horizon: { first_year: 2021/22, years: 3 }
users:
  opening: { value: 1000, source: test }
  installs: { each_year: 1000, source: test }
  attrition: { value: 0.1, source: test }
benefits:
  per_user:
    basket: cost_avoidance
    kind: per_user
    counts: all
    amount: { value: 100, source: test }
    per: year
    share: { value: 1, source: test }
costs:
  service:
    kind: amounts
    amounts: { each_year: 50000, source: test }
kpis:
  referrals:
    unit: referrals
    better: higher
    aggregate: sum
    plan: { each_year: 1200, source: test }
  days_to_install:
    label: Days from referral to install
    unit: days
    better: lower
    aggregate: latest
    plan: { each_year: 10, source: test }
  response_visits:
    unit: visits
    better: higher
    aggregate: sum
    ununplanned: typo
";

fn plan(dir: &std::path::Path) -> String {
    write(
        dir,
        "plan.yaml",
        &PLAN.replace("    ununplanned: typo\n", "    unplanned: no target\n"),
    )
}

fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout_of(args)).unwrap()
}

#[test]
fn a_plans_kpis_are_strict_and_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let bad = write(dir.path(), "bad.yaml", PLAN);
    let out = tec()
        .args(["run", &bad])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("bad.yaml:"), "{err}");
    assert!(err.contains("ununplanned"), "{err}");
}

#[test]
fn kpis_are_rated_by_their_direction_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(dir.path());
    // Two quarters: 700 referrals against 600 planned (green); 12 days against 10 (red,
    // lower is better); response visits reported but never rated, as the plan sets none.
    let actuals = write(
        dir.path(),
        "a.csv",
        "period,kpi.referrals,kpi.days_to_install,kpi.response_visits\n\
         2021/22 Q1,300,9,40\n2021/22 Q2,400,12,50\n",
    );
    let report = json(&["track", &plan, &actuals, "-f", "json"]);
    let kpis = &report["years"][0]["kpis"];
    assert_eq!(kpis[0]["figure"], "kpi.referrals");
    assert_eq!(kpis[0]["plan"], "600");
    assert_eq!(kpis[0]["actual"], "700");
    assert_eq!(kpis[0]["rag"], "green");
    assert_eq!(kpis[1]["plan"], "10");
    assert_eq!(kpis[1]["actual"], "12");
    assert_eq!(kpis[1]["rag"], "red");
    assert_eq!(kpis[2]["actual"], "90");
    assert!(kpis[2]["plan"].is_null() && kpis[2]["rag"].is_null());
    assert_eq!(kpis[2]["reported"], true);
    let table = stdout_of(&["track", &plan, &actuals]);
    assert!(table.contains("Days from referral to install"), "{table}");
    assert!(table.contains("no plan"), "{table}");
    let csv = stdout_of(&["track", &plan, &actuals, "-f", "csv"]);
    assert!(
        csv.contains("kpi,2021/22,April to September 2021 (to date),kpi.days_to_install,Days from referral to install (days),10,12,2,20,red"),
        "{csv}"
    );
    let md = stdout_of(&["track", &plan, &actuals, "-f", "markdown"]);
    assert!(md.contains("KPIs"), "{md}");
}

#[test]
fn an_unknown_kpi_column_is_exit_2_with_a_suggestion() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(dir.path());
    let actuals = write(dir.path(), "a.csv", "period,kpi.referals\n2021/22 Q1,300\n");
    let out = tec()
        .args(["track", &plan, &actuals])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("a.csv"), "{err}");
    assert!(err.contains("kpi.referals"), "{err}");
    assert!(err.contains("did you mean `kpi.referrals`"), "{err}");
}

#[test]
fn a_period_across_financial_years_is_split_by_days() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(dir.path());
    // July 2021 to August 2023 within the plan's three years (2021/22 to 2023/24).
    let actuals = write(
        dir.path(),
        "a.csv",
        "period,kpi.referrals\n2021-07-01..2023-08-31,7800\n",
    );
    let report = json(&["track", &plan, &actuals, "-f", "json"]);
    // July 2021 to March 2022 is 274 days, 2022/23 365, April to August 2023 153: of 792.
    let year = |t: usize| {
        report["years"][t]["kpis"][0]["actual"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(year(0), "2698"); // 7,800 x 274 / 792 = 2,698.48
    assert_eq!(year(1), "3595"); // 7,800 x 639 / 792 = 6,293.18 -> 6,293, less 2,698
    assert_eq!(year(2), "1507"); // the rest: 7,800 - 6,293
    assert_eq!(report["kpis_to_date"][0]["actual"], "7800");
    assert!(
        report["split_periods"][0]
            .as_str()
            .unwrap()
            .contains("split across them by days (2021/22 274 days, 2022/23 365 days, 2023/24 153 days of 792)"),
        "{report}"
    );
    // The year before go live counts nothing before July: 2021/22 is complete from April.
    assert_eq!(report["years"][0]["status"], "complete");
}

#[test]
fn reported_installs_move_the_later_years_of_the_reforecast() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(dir.path());
    let reforecast = |installs: &str| {
        let actuals = write(
            dir.path(),
            "a.csv",
            &format!("period,installs\n2021/22,{installs}\n"),
        );
        json(&["track", &plan, &actuals, "-f", "json"])["reforecast"].clone()
    };
    let planned = reforecast("1000");
    let more = reforecast("1500");
    let net = |r: &serde_json::Value, t: usize| -> i64 {
        r["years"][t]["figures"][1]["actual"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(more["opening_users_from"], "derived");
    // 1,000 opening + 1,500 installs - the plan's leavers, against 1,000 planned installs.
    let opening =
        |r: &serde_json::Value| -> i64 { r["opening_users"].as_str().unwrap().parse().unwrap() };
    assert_eq!(opening(&more) - opening(&planned), 500);
    // 500 more users at £100 each, less attrition, carry into 2022/23 and 2023/24.
    assert!(net(&more, 1) > net(&planned, 1) + 40000, "{more}");
    assert!(net(&more, 2) > net(&planned, 2), "{more}");
    let text = {
        let actuals = write(dir.path(), "a.csv", "period,installs\n2021/22,1500\n");
        stdout_of(&["track", &plan, &actuals])
    };
    assert!(
        text.contains("derived: opening users plus reported installs less leavers"),
        "{text}"
    );
}

#[test]
fn an_unreported_line_is_not_reported_never_zero_percent_green() {
    let dir = tempfile::tempdir().unwrap();
    let plan = plan(dir.path());
    let actuals = write(dir.path(), "a.csv", "period,installs\n2021/22 Q1,250\n");
    let report = json(&["track", &plan, &actuals, "-f", "json"]);
    let year = &report["years"][0];
    for list in ["comparisons", "forecast"] {
        let cost = year[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["figure"] == "cost.service")
            .unwrap();
        assert!(cost["rag"].is_null(), "{list}: {cost}");
        assert!(cost["variance_pct"].is_null(), "{list}: {cost}");
        assert_eq!(cost["reported"], false, "{list}: {cost}");
    }
    // To date there is no actual; the forecast is the re-run's, unrated.
    assert!(year["comparisons"][0]["reported"] == true);
    let cost = |list: &str| {
        year[list]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["figure"] == "cost.service")
            .unwrap()
            .clone()
    };
    assert!(cost("comparisons")["actual"].is_null());
    assert_eq!(cost("forecast")["actual"], "50000");
    // The referrals KPI is not in the file: not reported, no RAG.
    assert_eq!(year["kpis"][0]["reported"], false);
    assert!(year["kpis"][0]["rag"].is_null());
    let text = stdout_of(&["track", &plan, &actuals]);
    let forecast = text.split("full year (forecast").nth(1).unwrap();
    let row = forecast.lines().find(|l| l.contains("service")).unwrap();
    assert!(
        row.contains("not reported") && row.contains("50,000 (re-run)"),
        "{row}"
    );
    assert!(!row.contains("green") && !row.contains("0%"), "{row}");
}

#[test]
fn check_reads_kpi_measures_and_refuses_an_unknown_kpi() {
    let out = stdout_of(&["check", "fixtures/essex-kpis.yaml"]);
    assert!(
        out.ends_with("4 figures: 0 predictions, 0 arithmetic, 0 calibration targets, 4 echoes; 4 passed, 0 failed, 0 known discrepancies\n"),
        "{out}"
    );
    let dir = tempfile::tempdir().unwrap();
    let repo = env!("CARGO_MANIFEST_DIR");
    let fixture = write(
        dir.path(),
        "f.yaml",
        &format!(
            "figures:\n  - figure: x\n    source: y\n    evidence: echo\n    scenario: {repo}/scenarios/essex/care-technology-savings.yaml\n    actuals: {repo}/actuals/essex-since-go-live.csv\n    measure: track.to_date.kpi.response_visit.actual\n    published: 5430\n"
        ),
    );
    let out = tec()
        .args(["check", &fixture])
        .assert()
        .code(2)
        .get_output()
        .stderr
        .clone();
    let err = String::from_utf8(out).unwrap();
    assert!(err.contains("did you mean `response_visits`"), "{err}");
}

#[test]
fn scenario4s_mtfs_view_counts_cost_avoidance() {
    let report = json(&[
        "track",
        "scenarios/leicestershire/scenario4.yaml",
        "actuals/leicestershire-2021-22-q1-q3.csv",
        "-f",
        "json",
    ]);
    assert_eq!(
        report["budget_reducing"]["baskets"],
        serde_json::json!(["cashable", "cost_avoidance"])
    );
    let approved = &report["reforecast"]["years"][4]["figures"][2];
    assert_eq!(approved["figure"], "budget_net");
    assert_eq!(approved["plan"], "1061505");
}
