//! `tec-model compare`: whole-horizon figures of several scenarios side by side, a column per
//! scenario, as councils publish them (Leicestershire's Cabinet report, para 33).

use super::render::Cells;
use crate::export::{Format, format_money};
use crate::report::{OverflowError, Report, Summary};
use rust_decimal::Decimal;
use serde::Serialize;
use std::path::Path;

/// One compared scenario.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Column {
    /// The column's heading: the file's name without `.yaml` (the path if names repeat).
    pub heading: String,
    pub scenario: String,
    pub file: String,
    /// The last financial year of the horizon.
    pub last_year: String,
    pub summary: Summary,
}

/// `compare`'s JSON: the scenarios in the order given.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Comparison<'a> {
    pub scenarios: &'a [Column],
}

/// A cell of the comparison: an amount (plain in CSV, grouped in tables) or text.
pub(crate) enum Cell {
    Amount(Decimal),
    Text(String),
}

/// The rows of the comparison: a label and the figure of a summary.
pub(crate) type Figure = (&'static str, fn(&Summary) -> Cell);

pub(crate) const FIGURES: [Figure; 8] = [
    ("TEC users at end of horizon", |s| {
        Cell::Amount(s.closing_users)
    }),
    ("Total benefit", |s| Cell::Amount(s.total_benefit)),
    ("Total cost", |s| Cell::Amount(s.total_cost)),
    ("Total offsets", |s| Cell::Amount(s.total_offsets)),
    ("Cumulative net benefit", |s| Cell::Amount(s.cumulative_net)),
    ("NPV", |s| Cell::Amount(s.npv)),
    ("Payback year", |s| Cell::Text(s.payback_shown())),
    ("Benefit per £1 of cost", |s| match s.return_per_pound {
        Some(r) => Cell::Amount(r),
        None => Cell::Text("n/a".into()),
    }),
];

/// Builds the columns from each scenario's report, in the order given.
pub fn columns(reports: &[(&Path, Report)]) -> Vec<Column> {
    let stem = |p: &Path| {
        p.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    let stems: Vec<String> = reports.iter().map(|(p, _)| stem(p)).collect();
    let unique = stems
        .iter()
        .enumerate()
        .all(|(i, s)| !stems[..i].contains(s));
    reports
        .iter()
        .zip(stems)
        .map(|((path, report), stem)| Column {
            heading: if unique {
                stem
            } else {
                path.display().to_string()
            },
            scenario: report.scenario.clone(),
            file: report.file.clone(),
            last_year: report
                .years
                .last()
                .map(|y| y.year.clone())
                .unwrap_or_default(),
            summary: report.summary.clone(),
        })
        .collect()
}

/// Loads and reports each scenario file.
/// Each compared file with its report.
pub type Reports<'a> = Vec<(&'a Path, Report)>;

pub fn reports(files: &[std::path::PathBuf]) -> Result<Reports<'_>, CompareError> {
    Ok(reports_and_inputs(files)?.0)
}

/// As [`reports`], with every file read on the way (each scenario and its `extends` chain),
/// so that an output can be checked against them.
pub fn reports_and_inputs(
    files: &[std::path::PathBuf],
) -> Result<(Reports<'_>, Vec<std::path::PathBuf>), CompareError> {
    let mut inputs = Vec::new();
    let mut reports = Vec::new();
    for f in files {
        let scenario = crate::scenario::load(f)?;
        scenario.print_warnings();
        inputs.extend(scenario.files.iter().map(|s| s.path.clone()));
        reports.push((f.as_path(), Report::build(&scenario)?));
    }
    Ok((reports, inputs))
}

#[derive(Debug, thiserror::Error)]
pub enum CompareError {
    #[error(transparent)]
    Scenario(#[from] crate::scenario::ScenarioError),
    #[error(transparent)]
    Overflow(#[from] OverflowError),
}

/// The comparison in `format`: a figure per row, a scenario per column.
pub fn render(columns: &[Column], format: Format) -> Vec<u8> {
    if format == Format::Json {
        return crate::export::schema::to_json(&Comparison { scenarios: columns });
    }
    let mut header = vec!["figure".to_string()];
    header.extend(columns.iter().map(|c| c.heading.clone()));
    let rows = FIGURES
        .iter()
        .map(|(label, figure)| {
            let mut row = vec![label.to_string()];
            row.extend(columns.iter().map(|c| match (figure(&c.summary), format) {
                (Cell::Amount(v), Format::Csv) => v.normalize().to_string(),
                (Cell::Amount(v), _) => format_money(v),
                (Cell::Text(t), _) => t,
            }));
            row
        })
        .collect();
    let cells = Cells {
        header,
        rows,
        first_number: 1,
    };
    if format == Format::Csv {
        return cells.render(format).into_bytes();
    }
    let mut out = String::new();
    if format == Format::Markdown {
        out.push_str("## Scenarios compared\n\n");
    }
    out.push_str(&cells.render(format));
    if format == Format::Markdown {
        out.push('\n');
    }
    for c in columns {
        let item = if format == Format::Markdown { "- " } else { "" };
        out.push_str(&format!(
            "{item}{}: {} ({}), horizon to {}\n",
            c.heading, c.scenario, c.file, c.last_year
        ));
    }
    out.push_str(
        "Money in pounds over each scenario's horizon; NPV at each scenario's discount rate.\n",
    );
    out.into_bytes()
}
