//! `run`'s Excel workbook: the model itself, as formulas a finance officer can audit and change.
//!
//! Inputs holds every parameter slot (a value per year for a series) with its range,
//! provenance and distribution; Model holds every named figure as a formula over Inputs, earlier
//! cells and the Working sheet's intermediate results; Summary holds the headline figures. The
//! formulas are the engine's own operations ([`formulas`]), and each cell caches the engine's
//! value, so the workbook shows `run`'s figures before Excel recalculates and the same after.

pub mod figures;
pub mod formulas;
pub mod of;
mod sheets;
pub mod tables;
pub mod track;

use self::figures::{Figure, figures};
use self::formulas::{Cell, Rendered};
use crate::model::evaluate;
use crate::scenario::Scenario;
use crate::simulate::tape::{self, Traced};
use rust_decimal::prelude::ToPrimitive;

pub use sheets::{distribution, provenance, xlsx_error};

#[derive(Debug, thiserror::Error)]
pub enum WorkbookError {
    /// The engine compared a figure that depends on an input, which a formula trace cannot
    /// follow (no bundled scenario does this; the error says so rather than write a wrong book).
    #[error("{file}: the model branches on an input here, so it cannot be written as formulas")]
    Untraceable { file: String },
    #[error("{file}: {figure} is too large for the money type; check the scenario's magnitudes")]
    Overflow { file: String, figure: String },
    #[error("cannot build the workbook: {0}")]
    Xlsx(String),
    /// A sheet would pass Excel's last row (1,048,576), checked before any work is done.
    #[error(
        "a workbook holds at most {max} rows a sheet, and this sweep has {rows} points; write CSV (`-o grid.csv`) or sweep fewer points"
    )]
    TooManyRows { rows: usize, max: usize },
}

/// A figure's cell and the value `run` reports for it (for tests and the Summary).
#[derive(Debug, Clone)]
pub struct Placed {
    pub label: String,
    pub cell: Cell,
    pub expected: Expected,
}

/// What a cell should hold.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Number(f64),
    Text(String),
}

/// The workbook's bytes and where each figure is.
pub struct Book {
    pub bytes: Vec<u8>,
    /// Every Model and Summary figure with its engine value.
    pub figures: Vec<Placed>,
    /// Each parameter slot's cell on the Inputs sheet.
    pub inputs: Vec<Cell>,
}

/// The Model sheet's layout: a header row, then one row per figure; years from column C.
pub(crate) const MODEL: &str = "Model";
pub(crate) const INPUTS: &str = "Inputs";
pub(crate) const FIRST_YEAR_COL: u16 = 2;

/// The cell of figure `row` in `year` (`years` is the horizon column).
pub(crate) fn model_cell(row: usize, year: usize) -> Cell {
    Cell {
        sheet: MODEL,
        row: 1 + row as u32,
        col: FIRST_YEAR_COL + year as u16,
    }
}

/// Each parameter slot's cell on the Inputs sheet: a row per input path, a column per year.
fn input_cells(scenario: &Scenario) -> Vec<Cell> {
    let mut cells = vec![
        Cell {
            sheet: INPUTS,
            row: 0,
            col: 0
        };
        scenario.params.values.len()
    ];
    for (row, (_, slots)) in scenario.params.grouped().iter().enumerate() {
        for slot in slots {
            let year = scenario.params.info[*slot].year.unwrap_or(0);
            cells[*slot] = Cell {
                sheet: INPUTS,
                row: 1 + row as u32,
                col: FIRST_YEAR_COL + year as u16,
            };
        }
    }
    cells
}

/// Builds `run`'s workbook for `scenario`.
pub fn run_workbook(scenario: &Scenario) -> Result<Book, WorkbookError> {
    let file = scenario.path().display().to_string();
    let model = &scenario.model;
    let exact_outcome = scenario.evaluate_exact();
    let (exact, key) = figures(model, &exact_outcome);
    let slots = scenario.params.values.len();
    let params: Vec<Traced> = (0..slots as u32).map(Traced::Reg).collect();
    let ((traced, _), recording) = tape::trace(slots as u32, || {
        let outcome = evaluate(model, &params);
        figures(model, &outcome)
    });
    if recording.untraceable {
        return Err(WorkbookError::Untraceable { file });
    }
    let cells = input_cells(scenario);
    let base: Vec<f64> = scenario.params_as();
    let inputs: Vec<(Cell, f64)> = cells.iter().copied().zip(base).collect();
    let mut homes = Vec::new();
    for (r, figure) in traced.iter().enumerate() {
        for (t, value) in all_values(figure).enumerate() {
            if let Traced::Reg(reg) = value {
                homes.push((reg, model_cell(r, t)));
            }
        }
    }
    let rendered = Rendered::new(&recording, &inputs, &homes, 1);
    let mut placed = Vec::new();
    for (r, figure) in exact.iter().enumerate() {
        for (t, value) in all_values(figure).enumerate() {
            let expected =
                value
                    .get()
                    .and_then(|d| d.to_f64())
                    .ok_or_else(|| WorkbookError::Overflow {
                        file: file.clone(),
                        figure: figure.label.clone(),
                    })?;
            placed.push(Placed {
                label: format!("{} {}", figure.label, year_name(model, t)),
                cell: model_cell(r, t),
                expected: Expected::Number(expected),
            });
        }
    }
    let report = crate::report::Report::build(scenario).map_err(|e| WorkbookError::Overflow {
        file: file.clone(),
        figure: e.to_string(),
    })?;
    let sheet = sheets::Sheets {
        scenario,
        report: &report,
        exact: &exact,
        traced: &traced,
        key,
        rendered: &rendered,
        inputs: &cells,
    };
    let (bytes, summary) = sheet.write()?;
    placed.extend(summary);
    Ok(Book {
        bytes,
        figures: placed,
        inputs: cells,
    })
}

fn year_name(model: &crate::model::Model, t: usize) -> String {
    if t < model.years {
        model.year_label(t)
    } else {
        "horizon".into()
    }
}

/// A figure's values by year, then its horizon total if it has one.
pub(crate) fn all_values<N: Copy>(figure: &Figure<N>) -> impl Iterator<Item = N> + '_ {
    figure.years.iter().copied().chain(figure.horizon)
}
