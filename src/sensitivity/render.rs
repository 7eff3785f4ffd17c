//! Rows of text cells as a terminal table, a Markdown table or CSV, for the analysis commands.

use crate::export::Format;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

/// A header and rows of cells; columns from `first_number` on are right-aligned numbers.
#[derive(Debug, Clone, Default)]
pub struct Cells {
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub first_number: usize,
}

impl Cells {
    /// The table in `format` (JSON is the caller's: it serializes its own rows).
    pub fn render(&self, format: Format) -> String {
        match format {
            Format::Csv => csv_text(&self.header, &self.rows),
            Format::Markdown => {
                let line = |cells: &[String]| {
                    let cells: Vec<String> = cells
                        .iter()
                        .map(|c| crate::export::markdown_cell(c))
                        .collect();
                    format!("| {} |\n", cells.join(" | "))
                };
                let mut out = line(&self.header);
                let rule: Vec<&str> = (0..self.header.len())
                    .map(|i| if i < self.first_number { ":--" } else { "--:" })
                    .collect();
                out.push_str(&format!("|{}|\n", rule.join("|")));
                for row in &self.rows {
                    out.push_str(&line(row));
                }
                out
            }
            // Xlsx and Svg are written by the app from the figures; the table stands in.
            Format::Table | Format::Json | Format::Xlsx | Format::Svg => {
                let mut builder = Builder::default();
                builder.push_record(self.header.clone());
                for row in &self.rows {
                    builder.push_record(row.clone());
                }
                let mut table = builder.build();
                table
                    .with(Style::sharp())
                    .modify(Columns::new(self.first_number..), Alignment::right());
                format!("{table}\n")
            }
        }
    }
}

/// CSV text of a header and rows (writing to memory cannot fail).
pub fn csv_text(header: &[String], rows: &[Vec<String>]) -> String {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(crate::export::csv_record(header))
        .expect("CSV to memory");
    for row in rows {
        writer
            .write_record(crate::export::csv_record(row))
            .expect("CSV to memory");
    }
    String::from_utf8(writer.into_inner().expect("CSV to memory")).expect("CSV of UTF-8 cells")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_each_format() {
        let cells = Cells {
            header: vec!["input".into(), "swing".into()],
            rows: vec![vec!["a|b".into(), "1,000".into()]],
            first_number: 1,
        };
        assert_eq!(cells.render(Format::Csv), "input,swing\na|b,\"1,000\"\n");
        assert_eq!(
            cells.render(Format::Markdown),
            "| input | swing |\n|:--|--:|\n| a\\|b | 1,000 |\n"
        );
        assert!(cells.render(Format::Table).contains("1,000"));
    }
}
