//! `track`'s workbook: a sheet per table of the report (each year's plan against actuals, its
//! full-year forecast, its KPIs, all actuals to date, the re-forecast), the same tables the
//! terminal shows (`export::track_tables`), with typed cells; the actuals file's notes (that
//! its figures are ILLUSTRATIVE, where they are) first under every table, and each RAG rating
//! coloured by a conditional format on its text.

use super::WorkbookError;
use super::tables::{Table, Value, sheet_name, workbook};
use crate::export::conventions;
use crate::export::track_tables::{Block, Cell, blocks, closing_lines};
use crate::track::report::TrackReport;
use rust_decimal::prelude::ToPrimitive;

/// A cell as the workbook holds it: money and people as numbers in their formats.
fn value(cell: &Cell) -> Value {
    match cell {
        Cell::Text(text) => Value::text(text),
        Cell::Amount {
            value,
            people: true,
        }
        | Cell::Variance {
            value,
            people: true,
        } => Value::count(*value),
        Cell::Amount { value, .. } => Value::money(*value),
        Cell::Variance { value, .. } => Value::signed(*value),
        // Text, not a number: the figure is the re-run's, not an actual, as the table says.
        Cell::Rerun { value, .. } => {
            Value::text(format!("{} (re-run)", crate::export::format_money(*value)))
        }
        Cell::Number { value, .. } => Value::general(*value),
        // The report's 366.7 (%) as the share Excel shows as 366.7%.
        Cell::Percent(p) => Value::Share {
            value: p.to_f64().unwrap_or(f64::NAN) / 100.0,
            decimals: 1,
        },
        Cell::NotReported => Value::text("not reported"),
        Cell::NoPlan => Value::text("no plan"),
        Cell::Empty => Value::Empty,
    }
}

fn table(block: &Block) -> Table {
    Table {
        sheet: sheet_name(&block.sheet),
        title: block.title.clone(),
        header: block.header.clone(),
        rows: block
            .rows
            .iter()
            .map(|row| row.iter().map(value).collect())
            .collect(),
        rag_columns: block.rag_columns(),
        ..Table::default()
    }
}

/// The workbook of `report`.
pub fn track(report: &TrackReport) -> Result<Vec<u8>, WorkbookError> {
    let mut tables: Vec<Table> = blocks(report).iter().map(table).collect();
    if let Some(reforecast) = tables.last_mut() {
        reforecast.notes = closing_lines(report);
    }
    let mut head: Vec<String> = report.notes.iter().map(|n| format!("Note: {n}")).collect();
    head.push(format!(
        "Tracking {}: plan {}, actuals {} as at {} (actuals to {}).",
        report.scenario, report.plan_file, report.actuals_file, report.as_at, report.actuals_to
    ));
    let tail = conventions(report);
    for table in &mut tables {
        let own = std::mem::take(&mut table.notes);
        table.notes = head.iter().chain(&own).chain(&tail).cloned().collect();
    }
    workbook(&tables)
}
