//! The check table in each format, with its closing line by evidence kind: "46 passed" reads
//! as 46 proofs, so the line says how many figures are predictions and how many echoes.

use super::{CheckRow, Evidence, Verdict};
use crate::export::Format;
use serde::Serialize;

/// The closing line's counts; JSON gives the same numbers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Counts {
    pub figures: usize,
    pub predictions: usize,
    pub arithmetic: usize,
    pub calibration_targets: usize,
    pub echoes: usize,
    pub passed: usize,
    pub failed: usize,
    pub known_discrepancies: usize,
    /// Known discrepancies whose figure now matches (their note may be out of date).
    pub known_discrepancies_now_matching: usize,
}

impl Counts {
    pub fn of(rows: &[CheckRow]) -> Counts {
        let kind = |k| rows.iter().filter(|r| r.evidence == k).count();
        let verdict = |v| rows.iter().filter(|r| r.verdict == v).count();
        Counts {
            figures: rows.len(),
            predictions: kind(Evidence::Prediction),
            arithmetic: kind(Evidence::Arithmetic),
            calibration_targets: kind(Evidence::Calibration),
            echoes: kind(Evidence::Echo),
            passed: verdict(Verdict::Pass),
            failed: verdict(Verdict::Fail),
            known_discrepancies: verdict(Verdict::KnownDiscrepancy),
            known_discrepancies_now_matching: rows.iter().filter(|r| r.now_matches).count(),
        }
    }

    /// `46 figures: 5 predictions, 15 arithmetic, 5 calibration targets, 19 echoes; 46
    /// passed, 0 failed, 0 known discrepancies`.
    pub fn line(&self) -> String {
        let kinds = [
            Evidence::Prediction.counted(self.predictions),
            Evidence::Arithmetic.counted(self.arithmetic),
            Evidence::Calibration.counted(self.calibration_targets),
            Evidence::Echo.counted(self.echoes),
        ];
        let mut line = format!(
            "{} figures: {}; {} passed, {} failed, {} known discrepancies",
            self.figures,
            kinds.join(", "),
            self.passed,
            self.failed,
            self.known_discrepancies
        );
        if self.known_discrepancies_now_matching > 0 {
            line.push_str(&format!(
                " ({} now matching)",
                self.known_discrepancies_now_matching
            ));
        }
        line
    }
}

fn verdict(row: &CheckRow) -> &'static str {
    match (row.verdict, row.now_matches) {
        (Verdict::Pass, _) => "pass",
        (Verdict::Fail, _) => "FAIL",
        (Verdict::KnownDiscrepancy, false) => "known discrepancy",
        (Verdict::KnownDiscrepancy, true) => "known discrepancy, now matches: remove the note?",
    }
}

fn evidence(row: &CheckRow) -> String {
    match &row.tuned {
        Some(input) => format!("calibration ({input})"),
        None => row.evidence.key().to_string(),
    }
}

/// `check`'s JSON: every figure, then the counts by evidence kind and by verdict.
#[derive(Serialize, schemars::JsonSchema)]
pub struct CheckJson<'a> {
    pub figures: &'a [CheckRow],
    pub counts: Counts,
}

/// Renders the check rows.
pub fn render(rows: &[CheckRow], format: Format) -> Vec<u8> {
    let counts = Counts::of(rows);
    let header = [
        "figure",
        "source",
        "evidence",
        "published",
        "modelled",
        "result",
    ];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.figure.clone(),
                r.source.clone(),
                evidence(r),
                r.published_text.clone(),
                r.modelled_text.clone(),
                verdict(r).to_string(),
            ]
        })
        .collect();
    match format {
        Format::Json => crate::export::schema::to_json(&CheckJson {
            figures: rows,
            counts,
        }),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer
                .write_record(crate::export::csv_record(header))
                .expect("CSV to memory");
            for row in &cells {
                writer
                    .write_record(crate::export::csv_record(row))
                    .expect("CSV to memory");
            }
            writer.into_inner().expect("CSV to memory")
        }
        // Xlsx and Svg: the CLI never offers them here; the table stands in.
        Format::Table | Format::Markdown | Format::Xlsx | Format::Svg => {
            let mut builder = tabled::builder::Builder::default();
            builder.push_record(header);
            for row in &cells {
                builder.push_record(row.clone());
            }
            let mut table = builder.build();
            if format == Format::Markdown {
                crate::export::markdown_table(&mut table);
            } else {
                table.with(tabled::settings::Style::sharp());
            }
            let mut out = format!("{table}\n");
            for row in rows
                .iter()
                .filter(|r| r.verdict == Verdict::KnownDiscrepancy)
            {
                let now = if row.now_matches {
                    " (now matches: remove the note?)"
                } else {
                    ""
                };
                out.push_str(&format!(
                    "Known discrepancy, {}{now}: {}\n",
                    row.figure,
                    row.note.as_deref().unwrap_or("")
                ));
            }
            out.push_str(&counts.line());
            out.push('\n');
            out.into_bytes()
        }
    }
}

/// A check table for a terminal: each result coloured (FAIL red, pass green, a known
/// discrepancy amber), and the count of failures red when there are any.
pub fn paint(table: &[u8]) -> Vec<u8> {
    use crate::terminal::{Colour, colour_last_column, paint};
    let text = String::from_utf8_lossy(table);
    let coloured = colour_last_column(&text, |cell| match cell {
        "FAIL" => Some(Colour::Red),
        "pass" => Some(Colour::Green),
        "known discrepancy" | "known discrepancy, now matches: remove the note?" => {
            Some(Colour::Amber)
        }
        _ => None,
    });
    let mut out = String::with_capacity(coloured.len());
    for line in coloured.split_inclusive('\n') {
        // `46 figures: ...; 3 passed, 1 failed, 2 known discrepancies`
        let (kinds, verdicts) = match line.rsplit_once("; ") {
            Some((kinds, verdicts)) => (format!("{kinds}; "), verdicts),
            None => (String::new(), line),
        };
        match verdicts
            .split_once(" passed, ")
            .and_then(|(p, rest)| Some((p, rest.split_once(" failed")?)))
        {
            Some((passed, (failed, rest))) if failed != "0" && passed.parse::<u64>().is_ok() => {
                out.push_str(&format!(
                    "{kinds}{passed} passed, {}{rest}",
                    paint(&format!("{failed} failed"), Colour::Red)
                ));
            }
            _ => out.push_str(line),
        }
    }
    out.into_bytes()
}
