//! `tec-model check`: runs bundled scenarios and compares each published figure with the
//! modelled one at its published precision.

mod fixture;
pub mod measure;

use crate::export::{Format, format_money};
use crate::report::{OverflowError, Report};
use crate::scenario::text::{parse_yaml, read_text};
use crate::scenario::{self, ScenarioError};
use fixture::{Figure, FixtureFile};
use measure::{Measured, measure, measure_track};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The verdict on one published figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    /// Recorded in the fixture as not reproducible; never counted as a pass.
    KnownDiscrepancy,
}

/// One row of the check table.
#[derive(Debug, Clone, Serialize)]
pub struct CheckRow {
    /// The fixture file the figure is in.
    pub fixture: String,
    /// The figure's short name.
    pub figure: String,
    /// Where it is published.
    pub source: String,
    /// The published value as published (with its precision or bound).
    pub published: String,
    /// The modelled value, at full precision.
    pub modelled: String,
    pub verdict: Verdict,
    /// Why a known discrepancy is one.
    pub note: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Overflow(#[from] OverflowError),
    #[error(transparent)]
    Track(#[from] crate::track::TrackError),
    #[error("{}: {message}", path.display())]
    Fixture { path: PathBuf, message: String },
}

/// Every fixture file named, folders expanded to their `.yaml` files in name order.
fn fixture_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CheckError> {
    let mut files = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| CheckError::Fixture {
                path: path.clone(),
                message: e.to_string(),
            })?;
            let mut found: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"))
                .collect();
            found.sort();
            files.extend(found);
        } else {
            files.push(path.clone());
        }
    }
    Ok(files)
}

pub fn run_checks(paths: &[PathBuf]) -> Result<Vec<CheckRow>, CheckError> {
    let mut reports: BTreeMap<PathBuf, Report> = BTreeMap::new();
    let mut tracked: BTreeMap<(PathBuf, PathBuf), crate::track::TrackReport> = BTreeMap::new();
    let mut rows = Vec::new();
    for file in fixture_files(paths)? {
        let text = read_text(&file)?;
        let fixture: FixtureFile = parse_yaml(&file, &text)?;
        let base = file.parent().unwrap_or(Path::new("."));
        for figure in &fixture.figures {
            let scenario_path = base.join(&figure.scenario);
            if !reports.contains_key(&scenario_path) {
                let loaded = scenario::load(&scenario_path)?;
                loaded.print_warnings();
                reports.insert(scenario_path.clone(), Report::build(&loaded)?);
            }
            let report = &reports[&scenario_path];
            let fixture_error = |message: String| CheckError::Fixture {
                path: file.clone(),
                message: format!("figure `{}`: {message}", figure.figure),
            };
            let measured = match &figure.actuals {
                None => measure(report, &figure.measure),
                Some(actuals) => {
                    let key = (scenario_path.clone(), base.join(actuals));
                    if !tracked.contains_key(&key) {
                        let plan = scenario::load(&key.0)?;
                        plan.print_warnings();
                        let read = crate::track::actuals::read(&key.1, &plan.model)?;
                        let options = crate::track::TrackOptions::default();
                        tracked.insert(key.clone(), crate::track::build(&plan, &read, &options)?);
                    }
                    measure_track(&tracked[&key], &figure.measure)
                }
            }
            .map_err(fixture_error)?;
            let (published, passes) = judge(figure, &measured).map_err(fixture_error)?;
            let verdict = match (&figure.known_discrepancy, passes) {
                (Some(_), _) => Verdict::KnownDiscrepancy,
                (None, true) => Verdict::Pass,
                (None, false) => Verdict::Fail,
            };
            rows.push(CheckRow {
                fixture: file.display().to_string(),
                figure: figure.figure.clone(),
                source: figure.source.clone(),
                published,
                modelled: match &measured {
                    Measured::Amount(v) => format_money(*v),
                    Measured::Year(y) => y.clone().unwrap_or_else(|| "none".into()),
                },
                verdict,
                note: figure.known_discrepancy.clone(),
            });
        }
    }
    Ok(rows)
}

/// The published figure as text, and whether the modelled value reproduces it.
fn judge(figure: &Figure, measured: &Measured) -> Result<(String, bool), String> {
    match (measured, figure.published, figure.at_least, &figure.published_year) {
        (Measured::Amount(value), Some(published), None, None) => {
            let precision = figure.precision.map(|p| p.0).unwrap_or(Decimal::ONE);
            let tolerance = precision / Decimal::TWO;
            let text = format!("{} (to {})", format_money(published.0), format_money(precision));
            Ok((text, (*value - published.0).abs() <= tolerance))
        }
        (Measured::Amount(value), None, Some(bound), None) => {
            Ok((format!("at least {}", format_money(bound.0)), *value >= bound.0))
        }
        (Measured::Year(year), None, None, Some(published)) => Ok((published.clone(), year.as_deref() == Some(published.as_str()))),
        _ => Err("give `published` (with `precision`) or `at_least` for an amount, `published_year` for a year".into()),
    }
}

/// Renders the check rows.
pub fn render(rows: &[CheckRow], format: Format) -> Vec<u8> {
    let verdict = |v: Verdict| match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "FAIL",
        Verdict::KnownDiscrepancy => "known discrepancy",
    };
    let header = ["figure", "source", "published", "modelled", "result"];
    let cells: Vec<[String; 5]> = rows
        .iter()
        .map(|r| {
            [
                r.figure.clone(),
                r.source.clone(),
                r.published.clone(),
                r.modelled.clone(),
                verdict(r.verdict).to_string(),
            ]
        })
        .collect();
    match format {
        Format::Json => {
            let mut out = serde_json::to_vec_pretty(rows).expect("rows serialize");
            out.push(b'\n');
            out
        }
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
                out.push_str(&format!(
                    "Known discrepancy, {}: {}\n",
                    row.figure,
                    row.note.as_deref().unwrap_or("")
                ));
            }
            let count = |v| rows.iter().filter(|r| r.verdict == v).count();
            out.push_str(&format!(
                "{} passed, {} failed, {} known discrepancies\n",
                count(Verdict::Pass),
                count(Verdict::Fail),
                count(Verdict::KnownDiscrepancy)
            ));
            out.into_bytes()
        }
    }
}
