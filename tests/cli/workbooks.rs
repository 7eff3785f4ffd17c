//! Issue 13's workbooks of `compare`, `simulate`, `sweep`, `tornado` and `track` through the
//! binary: each is read back with IronCalc and every money figure matched with the command's
//! JSON to the pound; frozen headers, number formats and track's RAG conditional formats too.

use super::{SCENARIO4, stdout_of, tec};
use ironcalc::base::Model as Sheet;
use ironcalc::base::cell::CellValue;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde_json::Value as Json;
use std::path::Path;

const MONEY: &str = "£#,##0;-£#,##0";
const UNCERTAIN: &str = "scenarios/leicestershire/scenario4-uncertain.yaml";
const ACTUALS: &str = "actuals/leicestershire-2021-22-q1-q3.csv";
const OPTIONS: [&str; 3] = [
    "scenarios/leicestershire/option1-retain-at-offer.yaml",
    "scenarios/leicestershire/option2-business-case.yaml",
    "scenarios/leicestershire/option3-external-procurement.yaml",
];

/// Runs `args` with `-o book.xlsx` in a fresh folder and opens the workbook, recalculated.
fn book(args: &[&str]) -> Sheet<'static> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("book.xlsx");
    tec().args(args).arg("-o").arg(&path).assert().success();
    open(&path)
}

fn open(path: &Path) -> Sheet<'static> {
    let bytes = std::fs::read(path).unwrap();
    assert_eq!(&bytes[..2], b"PK", "{}", path.display());
    let workbook = ironcalc::import::load_from_xlsx_bytes(&bytes, "book", "en", "UTC").unwrap();
    let mut sheet = Sheet::from_workbook(workbook, "en").unwrap();
    sheet.evaluate();
    sheet
}

fn json(args: &[&str]) -> Json {
    let mut all = args.to_vec();
    all.extend(["--format", "json"]);
    serde_json::from_str(&stdout_of(&all)).unwrap()
}

fn sheet_index(book: &Sheet, name: &str) -> u32 {
    let names = book.workbook.get_worksheet_names();
    names
        .iter()
        .position(|n| n == name)
        .unwrap_or_else(|| panic!("no sheet {name} in {names:?}")) as u32
}

/// The cell at `row` and `col` (from 0, as the writer counts) of sheet `name`.
fn cell(book: &Sheet, name: &str, row: u32, col: u32) -> CellValue {
    book.get_cell_value_by_index(sheet_index(book, name), row as i32 + 1, col as i32 + 1)
        .unwrap()
}

fn number(book: &Sheet, name: &str, row: u32, col: u32) -> f64 {
    match cell(book, name, row, col) {
        CellValue::Number(x) => x,
        other => panic!("{name} row {row} col {col}: {other:?} is not a number"),
    }
}

fn text(book: &Sheet, name: &str, row: u32, col: u32) -> String {
    match cell(book, name, row, col) {
        CellValue::String(s) => s,
        other => panic!("{name} row {row} col {col}: {other:?} is not text"),
    }
}

/// A JSON money figure (an exact string, or a number in the Monte Carlo's report).
fn amount(value: &Json) -> f64 {
    match value {
        Json::String(s) => s.parse::<Decimal>().unwrap().to_f64().unwrap(),
        Json::Number(n) => n.as_f64().unwrap(),
        other => panic!("{other} is not an amount"),
    }
}

/// The sheet's figure equals the JSON's to the pound (an undefined one, JSON null, is text).
/// The Monte Carlo's JSON rounds its estimates to the pound (half away from zero) and its
/// sheets hold them unrounded, so half a pound apart is the same pound.
fn same(book: &Sheet, name: &str, row: u32, col: u32, want: &Json) {
    if want.is_null() {
        assert_eq!(
            text(book, name, row, col),
            "n/a",
            "{name} row {row} col {col}"
        );
        return;
    }
    let got = number(book, name, row, col);
    let want = amount(want);
    assert!(
        (got - want).abs() <= 0.5,
        "{name} row {row} col {col}: the sheet has {got}, the JSON {want}"
    );
}

fn num_fmt(book: &Sheet, name: &str, row: u32, col: u32) -> String {
    book.get_style_for_cell(sheet_index(book, name), row as i32 + 1, col as i32 + 1)
        .unwrap()
        .num_fmt
}

/// The header row (row 1, under the title) and the labels (column A) stay in view.
fn frozen(book: &Sheet, name: &str) {
    let index = sheet_index(book, name);
    assert_eq!(book.get_frozen_rows_count(index).unwrap(), 2, "{name}");
    assert_eq!(book.get_frozen_columns_count(index).unwrap(), 1, "{name}");
}

/// Every note of a sheet (the italic lines under its table), joined.
fn notes(book: &Sheet, name: &str) -> String {
    let index = sheet_index(book, name);
    let mut all = String::new();
    for row in 1..200 {
        if let Ok(CellValue::String(s)) = book.get_cell_value_by_index(index, row, 1) {
            all.push_str(&s);
            all.push('\n');
        }
    }
    all
}

const SUMMARY_FIELDS: [&str; 6] = [
    "total_benefit",
    "total_cost",
    "total_offsets",
    "cumulative_net",
    "npv",
    "closing_users",
];

/// Row of each summary field on compare's sheet (the figure rows start at row 2).
fn compare_row(field: &str) -> u32 {
    2 + match field {
        "closing_users" => 0,
        "total_benefit" => 1,
        "total_cost" => 2,
        "total_offsets" => 3,
        "cumulative_net" => 4,
        "npv" => 5,
        _ => unreachable!(),
    }
}

#[test]
fn compare_workbook_holds_the_json_figures() {
    let mut args = vec!["compare"];
    args.extend(OPTIONS);
    let book = book(&args);
    let columns = json(&args);
    let columns = columns["scenarios"].as_array().unwrap();
    assert_eq!(columns.len(), 3);
    for (c, column) in columns.iter().enumerate() {
        let col = 1 + c as u32;
        assert_eq!(
            text(&book, "Compare", 1, col),
            column["heading"].as_str().unwrap()
        );
        for field in SUMMARY_FIELDS {
            same(
                &book,
                "Compare",
                compare_row(field),
                col,
                &column["summary"][field],
            );
        }
        let payback = text(&book, "Compare", 8, col);
        match column["summary"]["payback_year"].as_str() {
            Some(year) => assert_eq!(payback, year),
            None => assert!(payback.starts_with("n/a") || payback == "none", "{payback}"),
        }
        let ratio = number(&book, "Compare", 9, col);
        let want = amount(&column["summary"]["return_per_pound"]);
        assert!((ratio - want).abs() < 1e-9, "{ratio} vs {want}");
    }
    frozen(&book, "Compare");
    assert_eq!(num_fmt(&book, "Compare", compare_row("npv"), 1), MONEY);
    assert_eq!(
        num_fmt(&book, "Compare", compare_row("closing_users"), 1),
        "#,##0"
    );
    assert!(notes(&book, "Compare").contains("rounded half away from zero"));
}

#[test]
fn compare_baseline_workbook_holds_each_difference() {
    let mut args = vec!["compare", "--baseline", OPTIONS[0], OPTIONS[1], OPTIONS[2]];
    let book = book(&args);
    let json = json(&args);
    args.clear();
    let sheet = "Against baseline";
    for field in SUMMARY_FIELDS {
        same(
            &book,
            sheet,
            compare_row(field),
            1,
            &json["baseline"]["summary"][field],
        );
    }
    for (k, option) in json["options"].as_array().unwrap().iter().enumerate() {
        let col = 2 + 2 * k as u32;
        for field in SUMMARY_FIELDS {
            same(
                &book,
                sheet,
                compare_row(field),
                col,
                &option["option"]["summary"][field],
            );
        }
        for (i, difference) in option["difference"].as_array().unwrap().iter().enumerate() {
            if !difference["value"].is_null() {
                same(&book, sheet, 2 + i as u32, col + 1, &difference["value"]);
            }
        }
        assert_eq!(
            number(&book, sheet, 10, col),
            option["rank"].as_f64().unwrap()
        );
    }
    assert_eq!(
        num_fmt(&book, sheet, compare_row("npv"), 3),
        "+£#,##0;-£#,##0;£0"
    );
}

#[test]
fn tornado_workbook_holds_every_bar() {
    let args = ["tornado", SCENARIO4];
    let book = book(&args);
    let json = json(&args);
    let bars = json["bars"].as_array().unwrap();
    assert!(bars.len() > 3);
    for (i, bar) in bars.iter().enumerate() {
        let row = 2 + i as u32;
        assert_eq!(
            text(&book, "Tornado", row, 0),
            bar["input"].as_str().unwrap()
        );
        same(&book, "Tornado", row, 3, &bar["low"]);
        same(&book, "Tornado", row, 4, &bar["high"]);
        same(&book, "Tornado", row, 5, &bar["output_at_low"]);
        same(&book, "Tornado", row, 6, &bar["output_at_high"]);
        same(&book, "Tornado", row, 7, &bar["swing"]);
        assert_eq!(num_fmt(&book, "Tornado", row, 7), MONEY);
    }
    frozen(&book, "Tornado");
    let notes = notes(&book, "Tornado");
    assert!(
        notes.contains("rounded half away from zero to the pound"),
        "{notes}"
    );
}

#[test]
fn simulate_workbook_holds_the_summaries_probabilities_and_seed() {
    let args = [
        "simulate", UNCERTAIN, "-n", "3000", "--seed", "11", "--target", "2000000",
    ];
    let book = book(&args);
    let json = json(&args);
    let outputs = json["outputs"].as_array().unwrap();
    assert!(outputs.len() > 5);
    for (i, output) in outputs.iter().enumerate() {
        let row = 2 + i as u32;
        let s = output;
        assert_eq!(
            text(&book, "Outputs", row, 0),
            output["output"].as_str().unwrap()
        );
        same(&book, "Outputs", row, 2, &s["mean"]);
        same(&book, "Outputs", row, 3, &s["sd"]);
        let percentiles = s["percentiles"].as_array().unwrap();
        for (k, p) in percentiles.iter().enumerate() {
            same(&book, "Outputs", row, 4 + k as u32, &p["value"]);
        }
        let after = 4 + percentiles.len() as u32;
        same(&book, "Outputs", row, after, &s["min"]);
        same(&book, "Outputs", row, after + 1, &s["max"]);
        same(&book, "Outputs", row, after + 2, &s["se_mean"]);
        for (k, p) in percentiles.iter().enumerate() {
            if let Some(se) = p.get("se").filter(|se| !se.is_null()) {
                same(&book, "Outputs", row, after + 3 + k as u32, se);
            }
        }
    }
    for (i, p) in json["probabilities"].as_array().unwrap().iter().enumerate() {
        let row = 2 + i as u32;
        same(&book, "Probabilities", row, 1, &p["threshold"]);
        let got = number(&book, "Probabilities", row, 2);
        assert_eq!(got, p["probability"].as_f64().unwrap());
        assert_eq!(num_fmt(&book, "Probabilities", row, 2), "0.00%");
    }
    let influence = &json["sensitivity"]["inputs"];
    for (i, input) in influence.as_array().unwrap().iter().enumerate() {
        let row = 2 + i as u32;
        same(&book, "Sensitivity", row, 3, &input["mean_when_low"]);
        same(&book, "Sensitivity", row, 4, &input["mean_when_high"]);
        same(&book, "Sensitivity", row, 5, &input["swing"]);
    }
    for (i, bin) in json["histogram"].as_array().unwrap().iter().enumerate() {
        same(&book, "Histogram", 2 + i as u32, 0, &bin["from"]);
        same(&book, "Histogram", 2 + i as u32, 1, &bin["to"]);
    }
    for sheet in ["Outputs", "Probabilities", "Payback", "Histogram"] {
        frozen(&book, sheet);
        let notes = notes(&book, sheet);
        assert!(
            notes.contains("3000 iterations, seed 11"),
            "{sheet}: {notes}"
        );
    }
    assert_eq!(num_fmt(&book, "Outputs", 2, 2), MONEY);
}

#[test]
fn sweep_workbook_holds_every_point_and_each_two_way_table() {
    let args = [
        "sweep",
        SCENARIO4,
        "--vary",
        "users.attrition=0.1..0.3:3",
        "--vary",
        "costs.technology.unit_cost=400..800:3",
    ];
    let book = book(&args);
    let json = json(&args);
    let points = json["rows"].as_array().unwrap();
    assert_eq!(points.len(), 9);
    let outputs = ["summary.cumulative_net", "summary.npv"];
    for (i, point) in points.iter().enumerate() {
        let row = 2 + i as u32;
        same(&book, "Sweep", row, 0, &point["inputs"]["users.attrition"]);
        same(
            &book,
            "Sweep",
            row,
            1,
            &point["inputs"]["costs.technology.unit_cost"],
        );
        for (k, name) in outputs.iter().enumerate() {
            same(&book, "Sweep", row, 2 + k as u32, &point["outputs"][name]);
        }
        assert_eq!(
            text(&book, "Sweep", row, 4),
            point["outputs"]["summary.payback_year"]
                .as_str()
                .unwrap_or("none")
        );
        // The two-way sheets: attrition down the rows, unit cost across.
        let (across, down) = (i / 3, i % 3);
        for (k, name) in outputs.iter().enumerate() {
            let sheet = format!("{} {name}", k + 1);
            same(
                &book,
                &sheet,
                2 + across as u32,
                1 + down as u32,
                &point["outputs"][name],
            );
        }
    }
    frozen(&book, "Sweep");
    assert_eq!(num_fmt(&book, "Sweep", 2, 2), MONEY);
}

#[test]
fn track_workbook_holds_the_figures_notes_and_rag_formats() {
    let args = ["track", SCENARIO4, ACTUALS];
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("track.xlsx");
    tec().args(args).arg("-o").arg(&path).assert().success();
    let mut book = open(&path);
    let json = json(&args);
    let year = &json["years"][0];
    let sheet = year["year"].as_str().unwrap().replace('/', "-");
    let comparisons = year["comparisons"].as_array().unwrap();
    let mut rated = None;
    for (i, c) in comparisons.iter().enumerate() {
        let row = 2 + i as u32;
        assert_eq!(text(&book, &sheet, row, 0), c["label"].as_str().unwrap());
        same(&book, &sheet, row, 1, &c["plan"]);
        if !c["actual"].is_null() {
            same(&book, &sheet, row, 2, &c["actual"]);
            same(&book, &sheet, row, 3, &c["variance"]);
        }
        if let Some(r) = c["rag"].as_str() {
            assert_eq!(text(&book, &sheet, row, 5), r);
            rated.get_or_insert(row);
        }
        if c["section"] == "users" {
            assert_eq!(num_fmt(&book, &sheet, row, 1), "#,##0");
        } else {
            assert_eq!(num_fmt(&book, &sheet, row, 1), MONEY);
        }
    }
    for (f, figure) in json["reforecast"]["years"][0]["figures"]
        .as_array()
        .unwrap()
        .iter()
        .enumerate()
    {
        same(&book, "Re-forecast", 3 + 2 * f as u32, 1, &figure["plan"]);
        same(&book, "Re-forecast", 4 + 2 * f as u32, 1, &figure["actual"]);
    }
    frozen(&book, &sheet);
    // The actuals are illustrative: every sheet says so.
    for name in book.workbook.get_worksheet_names() {
        let notes = notes(&book, &name);
        assert!(notes.contains("ILLUSTRATIVE"), "{name}: {notes}");
    }
    // The RAG column is coloured by rules on its text, so an edited rating changes colour.
    let index = sheet_index(&book, &sheet);
    let rules = book.get_conditional_formatting_list(index).unwrap();
    assert_eq!(rules.len(), 3, "{rules:?}");
    let row = rated.expect("a rated figure") as i32 + 1;
    let fill = |book: &Sheet| {
        book.get_extended_style_for_cell(index, row, 6)
            .unwrap()
            .style
            .fill
            .color
    };
    let mut seen = Vec::new();
    for rating in ["red", "amber", "green", "none"] {
        book.set_user_input(index, row, 6, rating.into()).unwrap();
        book.evaluate();
        seen.push(format!("{:?}", fill(&book)));
    }
    assert!(
        seen[0].contains("F4B6B6") && seen[1].contains("FFE08A") && seen[2].contains("B7DFB9"),
        "{seen:?}"
    );
    assert!(
        !seen[3].contains("F4B6B6") && !seen[3].contains("B7DFB9"),
        "{seen:?}"
    );
}

#[test]
fn solve_still_writes_no_workbook() {
    tec()
        .args([
            "solve",
            SCENARIO4,
            "--vary",
            "users.attrition",
            "--target",
            "summary.npv=0",
        ])
        .args(["--format", "xlsx"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("does not write xlsx"));
}

/// Track's KPIs (issue 17) get a sheet a year and one to date, in their own units.
#[test]
fn track_workbook_holds_each_kpi() {
    let args = [
        "track",
        "scenarios/essex/care-technology-savings.yaml",
        "actuals/essex-since-go-live.csv",
    ];
    let book = book(&args);
    let json = json(&args);
    let check = |sheet: &str, rows: &Json| {
        let rows = rows.as_array().unwrap();
        assert!(!rows.is_empty(), "{sheet}");
        for (i, k) in rows.iter().enumerate() {
            let row = 2 + i as u32;
            assert_eq!(text(&book, sheet, row, 0), k["label"].as_str().unwrap());
            assert_eq!(text(&book, sheet, row, 1), k["unit"].as_str().unwrap());
            for (col, key) in [(2, "plan"), (3, "actual"), (4, "variance")] {
                if !k[key].is_null() {
                    same(&book, sheet, row, col, &k[key]);
                }
            }
        }
        frozen(&book, sheet);
    };
    let year = &json["years"][0];
    let sheet = format!("{} KPIs", year["year"].as_str().unwrap().replace('/', "-"));
    check(&sheet, &year["kpis"]);
    check("To date KPIs", &json["kpis_to_date"]);
}

/// The workbook and the terminal table are one set of tables: every sheet's title is a heading
/// of the table, and the re-forecast says where its opening users came from in both (derived
/// from reported installs here, never "no actual reported").
#[test]
fn track_workbook_and_table_hold_the_same_tables() {
    let dir = tempfile::tempdir().unwrap();
    let actuals = dir.path().join("a.csv");
    std::fs::write(&actuals, "period,installs\n2021/22,1500\n").unwrap();
    let actuals = actuals.to_str().unwrap();
    let table = stdout_of(&["track", SCENARIO4, actuals]);
    let book = book(&["track", SCENARIO4, actuals]);
    let names = book.workbook.get_worksheet_names();
    assert!(names.len() >= 2, "{names:?}");
    for name in &names {
        let title = text(&book, name, 0, 0);
        assert!(
            table.lines().any(|l| l == title),
            "{name}: `{title}` is no heading of\n{table}"
        );
    }
    let title = text(&book, "Re-forecast", 0, 0);
    assert!(
        title.contains("derived: opening users plus reported installs less leavers"),
        "{title}"
    );
    assert!(!notes(&book, "Re-forecast").contains("no actual reported"));
}
