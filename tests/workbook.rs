//! Proof that `run`'s workbook is the model: an independent spreadsheet engine (IronCalc)
//! recalculates every bundled scenario's workbook from its formulas and gets `run`'s figures
//! to the pound; then an input changed in the sheet gives what `run` gives for a scenario
//! with that input changed.

use ironcalc::base::Model as Sheet;
use ironcalc::base::cell::CellValue;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::path::{Path, PathBuf};
use tec_model::scenario::{self, Scenario};
use tec_model::workbook::{Book, Expected, formulas::Cell, run_workbook};

fn bundled() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut found = Vec::new();
    let mut folders = vec![root];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "yaml") {
                found.push(path);
            }
        }
    }
    found.sort();
    assert!(found.len() >= 10, "bundled scenarios: {found:?}");
    found
}

const SHEETS: [&str; 4] = ["Summary", "Inputs", "Model", "Working"];

fn open(book: &Book) -> Sheet<'static> {
    let workbook =
        ironcalc::import::load_from_xlsx_bytes(&book.bytes, "case", "en", "UTC").unwrap();
    Sheet::from_workbook(workbook, "en").unwrap()
}

fn value(sheet: &Sheet, cell: Cell) -> CellValue {
    let index = SHEETS.iter().position(|s| *s == cell.sheet).unwrap() as u32;
    sheet
        .get_cell_value_by_index(index, cell.row as i32 + 1, cell.col as i32 + 1)
        .unwrap()
}

/// Every figure of `expected` (a book's figures, from the engine) against the sheet's value.
fn compare(sheet: &Sheet, expected: &Book, what: &str) {
    for placed in &expected.figures {
        let got = value(sheet, placed.cell);
        match (&placed.expected, got) {
            (Expected::Number(want), CellValue::Number(got)) => assert!(
                (want - got).abs() < 0.5 + 1e-9 * want.abs(),
                "{what}: {} ({}): the sheet has {got}, run has {want}",
                placed.label,
                placed.cell.reference()
            ),
            (Expected::Text(want), CellValue::String(got)) => {
                assert_eq!(*want, got, "{what}: {}", placed.label)
            }
            (want, got) => panic!("{what}: {}: {want:?} vs {got:?}", placed.label),
        }
    }
}

#[test]
fn every_bundled_workbook_recalculates_to_runs_figures() {
    for path in bundled() {
        let scenario = scenario::load(&path).unwrap();
        let book = run_workbook(&scenario).unwrap();
        let mut sheet = open(&book);
        sheet.evaluate();
        compare(&sheet, &book, &path.display().to_string());
        // Every Model figure is a formula (none is a value written in).
        assert!(book.figures.len() > 20, "{}", path.display());
    }
}

/// A scalar input whose change moves the net benefit, and a value for it in range.
fn changed_inputs(scenario: &Scenario) -> Vec<(String, Decimal)> {
    let mut chosen = Vec::new();
    let base = tec_model::report::Report::build(scenario).unwrap();
    for (path, slots) in scenario.params.grouped() {
        if slots.len() != 1 || chosen.len() == 3 {
            continue;
        }
        let value = scenario.params.values[slots[0]];
        let new = (value * Decimal::new(11, 1) + Decimal::ONE).round_dp(4);
        let Ok(changed) = scenario.with_input(path, new) else {
            continue;
        };
        let Ok(report) = tec_model::report::Report::build(&changed) else {
            continue;
        };
        if report.summary.cumulative_net != base.summary.cumulative_net {
            chosen.push((path.to_string(), new));
        }
    }
    chosen
}

#[test]
fn an_input_changed_in_the_sheet_recomputes_the_case_as_run_does() {
    let mut tried = 0;
    for path in bundled() {
        let scenario = scenario::load(&path).unwrap();
        let book = run_workbook(&scenario).unwrap();
        for (input, new) in changed_inputs(&scenario) {
            let slot = scenario.params.slots_of(&input)[0];
            let cell = book.inputs[slot];
            let mut sheet = open(&book);
            sheet
                .set_user_input(1, cell.row as i32 + 1, cell.col as i32 + 1, new.to_string())
                .unwrap();
            sheet.evaluate();
            let changed = scenario.with_input(&input, new).unwrap();
            let expected = run_workbook(&changed).unwrap();
            // The changed scenario's book has the same layout: its figures are run's.
            compare(
                &sheet,
                &expected,
                &format!("{} with {input} = {new}", path.display()),
            );
            let cumulative = expected
                .figures
                .iter()
                .find(|p| p.label == "Cumulative net benefit");
            let before = book
                .figures
                .iter()
                .find(|p| p.label == "Cumulative net benefit");
            assert_ne!(
                cumulative.map(|p| p.expected.clone()),
                before.map(|p| p.expected.clone()),
                "{input} should move the case"
            );
            tried += 1;
        }
    }
    assert!(tried >= 20, "inputs changed: {tried}");
}

#[test]
fn the_cached_values_are_runs_figures_before_any_recalculation() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
    let scenario = scenario::load(&path).unwrap();
    let book = run_workbook(&scenario).unwrap();
    let sheet = open(&book);
    compare(&sheet, &book, "cached");
    let report = tec_model::report::Report::build(&scenario).unwrap();
    let npv = book
        .figures
        .iter()
        .find(|p| p.label == "Net present value")
        .unwrap();
    assert_eq!(
        npv.expected,
        Expected::Number(report.summary.npv.to_f64().unwrap())
    );
}
