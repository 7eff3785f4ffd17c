//! Output formats behind one small trait; each returns bytes so it is easy to test.

mod cells;
mod csv;
mod grid;
mod json;
mod markdown;
pub mod schema;
mod table;
mod track;
mod track_csv;
pub mod track_tables;

pub use cells::{csv_record, csv_text, markdown_cell, markdown_table};
pub use grid::{Grid, Row, format_money};
pub use track::{ambition_line, conventions, paint_track, render_track};

use crate::report::Report;
use serde::Serialize;

/// The output forms of `run` (and of other commands' reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Table,
    Csv,
    Json,
    Markdown,
    /// An Excel workbook: written by the app from the scenario (`workbook`), not an exporter.
    Xlsx,
    /// An SVG chart: written by the app from a command's figures (`chart`).
    Svg,
}

/// Renders a report in one format.
pub trait Export {
    fn render(&self, report: &Report) -> Vec<u8>;
}

impl Format {
    pub fn exporter(self) -> Box<dyn Export> {
        match self {
            Format::Table => Box::new(table::TableExport),
            Format::Csv => Box::new(csv::CsvExport),
            Format::Json => Box::new(json::JsonExport),
            Format::Markdown => Box::new(markdown::MarkdownExport),
            // The CLI offers these only where the app writes them itself; a caller that asks
            // an exporter for one gets the table rather than a panic.
            Format::Xlsx | Format::Svg => Box::new(table::TableExport),
        }
    }
}
