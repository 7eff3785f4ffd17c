//! The terminal table (tabled), with the summary beneath.

use super::{Export, Grid};
use crate::report::Report;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

pub struct TableExport;

impl Export for TableExport {
    fn render(&self, report: &Report) -> Vec<u8> {
        let grid = Grid::from_report(report);
        let (header, body) = grid.text_cells();
        let mut builder = Builder::default();
        builder.push_record(header);
        for row in body {
            builder.push_record(row);
        }
        let mut table = builder.build();
        table
            .with(Style::sharp())
            .modify(Columns::new(1..), Alignment::right());
        let mut out = format!("{}\n{}\n", report.scenario, table);
        let width = grid
            .summary
            .iter()
            .map(|(k, _)| k.chars().count())
            .max()
            .unwrap_or(0);
        for (key, value) in &grid.summary {
            out.push_str(&format!("{key:<width$}  {value}\n"));
        }
        out.push_str(&format!(
            "Money in pounds, rounded {}.\n",
            rounding_note(report)
        ));
        out.into_bytes()
    }
}

pub(super) fn rounding_note(report: &Report) -> &'static str {
    match report.rounding {
        crate::scenario::document::Rounding::Pound => {
            "half away from zero to the pound per line and year"
        }
        crate::scenario::document::Rounding::Penny => {
            "half away from zero to the penny per line and year"
        }
        crate::scenario::document::Rounding::None => "not at all (exact)",
    }
}
