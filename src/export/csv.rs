//! CSV for analysts: one row per figure, a column per year and a total; plain numbers. The
//! summary follows (a row per figure, its value in the total column: cumulative net, totals,
//! NPV, payback year, closing users, benefit per £1 of cost), then the rounding note.

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
        let blank = grid.years.len();
        let mut put = |section: &str, label: String, value: String| {
            let mut record = vec![section.to_string(), label];
            record.extend(std::iter::repeat_n(String::new(), blank));
            record.push(value);
            records.push(record);
        };
        let s = &report.summary;
        let rate = (report.discount_rate * rust_decimal::Decimal::ONE_HUNDRED).normalize();
        for (label, value) in [
            ("Cumulative net benefit".to_string(), s.cumulative_net),
            ("Total benefit".to_string(), s.total_benefit),
            ("Total cost".to_string(), s.total_cost),
            ("Total offsets".to_string(), s.total_offsets),
            (format!("NPV at {rate}%"), s.npv),
        ] {
            put("summary", label, value.to_string());
        }
        put("summary", "Payback year".into(), s.payback_shown());
        put(
            "summary",
            "Closing TEC users".into(),
            s.closing_users.to_string(),
        );
        put(
            "summary",
            "Benefit per £1 of cost".into(),
            s.return_per_pound
                .map(|r| r.to_string())
                .unwrap_or_else(|| "n/a".into()),
        );
        put(
            "note",
            format!(
                "Money in pounds, rounded {}.",
                super::table::rounding_note(report)
            ),
            String::new(),
        );
        for record in records {
            // Writing to a Vec cannot fail.
            writer
                .write_record(crate::export::csv_record(&record))
                .expect("CSV to memory");
        }
        writer.into_inner().expect("CSV to memory")
    }
}
