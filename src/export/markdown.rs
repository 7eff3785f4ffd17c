//! A Markdown table for papers and pull requests.

use super::table::rounding_note;
use super::{Export, Grid};
use crate::report::Report;

pub struct MarkdownExport;

fn escape(cell: &str) -> String {
    super::markdown_cell(cell)
}

impl Export for MarkdownExport {
    fn render(&self, report: &Report) -> Vec<u8> {
        let grid = Grid::from_report(report);
        let (header, body) = grid.text_cells();
        let mut out = format!("## {}\n\n", escape(&report.scenario));
        let line = |cells: &[String]| {
            format!(
                "| {} |\n",
                cells
                    .iter()
                    .map(|c| escape(c.trim_start()))
                    .collect::<Vec<_>>()
                    .join(" | ")
            )
        };
        out.push_str(&line(&header));
        let rule: Vec<String> = header
            .iter()
            .enumerate()
            .map(|(i, _)| if i == 0 { ":--".into() } else { "--:".into() })
            .collect();
        out.push_str(&format!("|{}|\n", rule.join("|")));
        for row in &body {
            out.push_str(&line(row));
        }
        out.push('\n');
        for (key, value) in &grid.summary {
            out.push_str(&format!("- **{}**: {}\n", escape(key), escape(value)));
        }
        out.push_str(&format!(
            "\nMoney in pounds, rounded {}.\n",
            rounding_note(report)
        ));
        out.into_bytes()
    }
}
