//! CSV for analysts: one row per figure, a column per year and a total; plain numbers.

use super::{Export, Grid};
use crate::report::Report;

pub struct CsvExport;

impl Export for CsvExport {
    fn render(&self, report: &Report) -> Vec<u8> {
        let grid = Grid::from_report(report);
        let mut writer = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["section".to_string(), "figure".to_string()];
        header.extend(grid.years.iter().cloned());
        header.push("total".into());
        let mut records = vec![header];
        for row in &grid.rows {
            let mut record = vec![row.section.to_string(), row.label.trim_start().to_string()];
            record.extend(row.values.iter().map(|v| v.to_string()));
            record.push(row.total.map(|t| t.to_string()).unwrap_or_default());
            records.push(record);
        }
        for record in records {
            // Writing to a Vec cannot fail.
            writer
                .write_record(crate::export::csv_record(&record))
                .expect("CSV to memory");
        }
        writer.into_inner().expect("CSV to memory")
    }
}
