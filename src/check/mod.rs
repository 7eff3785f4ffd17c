//! `tec-model check`: runs bundled scenarios and compares each published figure with the
//! modelled one at its published precision.

mod expr;
mod fixture;
pub mod measure;
pub mod render;

pub use fixture::Evidence;
pub use render::{Counts, paint, render};

use crate::export::format_money;
use crate::report::{OverflowError, Report};
use crate::scenario::text::{parse_yaml, read_text};
use crate::scenario::{self, ScenarioError};
use fixture::{Comparison, Figure, FixtureFile, Precision};
use measure::{Measured, measure, measure_track};
use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The verdict on one published figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    /// Recorded in the fixture as not reproducible; never counted as a pass.
    KnownDiscrepancy,
}

/// What a published figure is, as fields: one of a value (with its precision), a bound, a
/// range or a year; the others `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, schemars::JsonSchema)]
pub struct Published {
    /// The published value (`published` in the fixture).
    pub published: Option<Decimal>,
    /// Its absolute precision in the figure's unit: the check passes within half of it.
    pub precision: Option<Decimal>,
    /// Its relative precision as a fraction (`0.01` for 1%): passes within half of it.
    pub precision_relative: Option<Decimal>,
    /// A published lower bound, included.
    pub at_least: Option<Decimal>,
    /// A published upper bound, included.
    pub at_most: Option<Decimal>,
    /// A published range, low and high, both included.
    pub between: Option<[Decimal; 2]>,
    /// A published financial year (e.g. a payback year).
    pub published_year: Option<String>,
}

impl Published {
    fn of(comparison: &Comparison) -> Published {
        let none = Published::default();
        match comparison {
            Comparison::Published(value, precision) => Published {
                published: Some(*value),
                precision: match precision {
                    Precision::Absolute(p) => Some(*p),
                    Precision::Relative(_) => None,
                },
                precision_relative: match precision {
                    Precision::Relative(r) => Some(*r),
                    Precision::Absolute(_) => None,
                },
                ..none
            },
            Comparison::AtLeast(b) => Published {
                at_least: Some(*b),
                ..none
            },
            Comparison::AtMost(b) => Published {
                at_most: Some(*b),
                ..none
            },
            Comparison::Between(a, b) => Published {
                between: Some([*a, *b]),
                ..none
            },
            Comparison::Year(y) => Published {
                published_year: Some(y.clone()),
                ..none
            },
        }
    }
}

/// One row of the check table.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CheckRow {
    /// The fixture file the figure is in.
    pub fixture: String,
    /// The figure's short name.
    pub figure: String,
    /// Where it is published.
    pub source: String,
    /// What a pass proves.
    pub evidence: Evidence,
    /// For a calibration target: the input tuned to hit it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tuned: Option<String>,
    /// The published value as published, for a person: `4,200,000 (to 100,000)`,
    /// `at least 2,000,000`, `2025/26`.
    pub published_text: String,
    /// What the modelled value is compared with, as exact decimal text.
    #[serde(flatten)]
    pub published: Published,
    /// The modelled amount at full precision, as exact decimal text (`null` for a year).
    pub modelled: Option<Decimal>,
    /// The modelled year, for a year measure (`null` for an amount, or no year).
    pub modelled_year: Option<String>,
    /// The modelled value for a person: `4,032,181`, `2025/26`, `none`.
    pub modelled_text: String,
    pub verdict: Verdict,
    /// A known discrepancy whose figure now matches: its note may be out of date.
    pub now_matches: bool,
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
    Ok(run_checks_reading(paths)?.0)
}

/// As [`run_checks`], with every file read on the way (fixtures, scenarios and their parents,
/// actuals), so that an output can be checked against them before it is written.
pub fn run_checks_reading(paths: &[PathBuf]) -> Result<(Vec<CheckRow>, Vec<PathBuf>), CheckError> {
    let mut runs = Runs::default();
    let mut rows = Vec::new();
    for file in fixture_files(paths)? {
        runs.read.push(file.clone());
        let text = read_text(&file)?;
        let fixture: FixtureFile = parse_yaml(&file, &text)?;
        let base = file.parent().unwrap_or(Path::new("."));
        for figure in &fixture.figures {
            let fixture_error = |message: String| CheckError::Fixture {
                path: file.clone(),
                message: format!("figure `{}`: {message}", figure.figure),
            };
            let comparison = figure.comparison().map_err(fixture_error)?;
            let expr = expr::parse(&figure.measure).map_err(fixture_error)?;
            let measured = runs.measure(base, figure, &expr)?.map_err(fixture_error)?;
            let (published_text, passes) = judge(&comparison, &measured).map_err(fixture_error)?;
            let verdict = match (&figure.known_discrepancy, passes) {
                (Some(_), _) => Verdict::KnownDiscrepancy,
                (None, true) => Verdict::Pass,
                (None, false) => Verdict::Fail,
            };
            rows.push(CheckRow {
                fixture: file.display().to_string(),
                figure: figure.figure.clone(),
                source: figure.source.clone(),
                evidence: figure.evidence,
                tuned: figure.tuned.clone(),
                published_text,
                published: Published::of(&comparison),
                modelled: match &measured {
                    Measured::Amount(v) => Some(v.normalize()),
                    Measured::Year(_) => None,
                },
                modelled_year: match &measured {
                    Measured::Amount(_) => None,
                    Measured::Year(y) => y.clone(),
                },
                modelled_text: match &measured {
                    // An expression's quotient can run to 28 digits: the display shows two
                    // places (the JSON keeps the exact value).
                    Measured::Amount(v) => format_money(v.round_dp_with_strategy(
                        2,
                        rust_decimal::RoundingStrategy::MidpointAwayFromZero,
                    )),
                    Measured::Year(y) => y.clone().unwrap_or_else(|| "none".into()),
                },
                verdict,
                now_matches: figure.known_discrepancy.is_some() && passes,
                note: figure.known_discrepancy.clone(),
            });
        }
    }
    Ok((rows, runs.read))
}

/// Each scenario run and each tracking report once, however many figures read them.
#[derive(Default)]
struct Runs {
    reports: BTreeMap<PathBuf, Report>,
    tracked: BTreeMap<(PathBuf, PathBuf), crate::track::TrackReport>,
    /// Every file read: fixtures, scenarios with their parents, actuals.
    read: Vec<PathBuf>,
}

impl Runs {
    fn report(&mut self, path: &Path) -> Result<&Report, CheckError> {
        if !self.reports.contains_key(path) {
            let loaded = scenario::load(path)?;
            loaded.print_warnings();
            self.read
                .extend(loaded.files.iter().map(|f| f.path.clone()));
            self.reports
                .insert(path.to_path_buf(), Report::build(&loaded)?);
        }
        Ok(&self.reports[path])
    }

    fn tracked(
        &mut self,
        plan: &Path,
        actuals: &Path,
    ) -> Result<&crate::track::TrackReport, CheckError> {
        let key = (plan.to_path_buf(), actuals.to_path_buf());
        if !self.tracked.contains_key(&key) {
            let loaded = scenario::load(plan)?;
            loaded.print_warnings();
            let read = crate::track::actuals::read(actuals, &loaded.model)?;
            self.read.push(actuals.to_path_buf());
            let options = crate::track::TrackOptions::default();
            self.tracked
                .insert(key.clone(), crate::track::build(&loaded, &read, &options)?);
        }
        Ok(&self.tracked[&key])
    }

    /// Loads what the figure names, then evaluates its measure. The outer error is a
    /// scenario's or actuals' own; the inner one is the fixture's.
    fn measure(
        &mut self,
        base: &Path,
        figure: &Figure,
        expr: &expr::Expr,
    ) -> Result<Result<Measured, String>, CheckError> {
        // Load every scenario first, so that a bad scenario is reported as itself.
        let files: Vec<(Option<&str>, PathBuf)> = match (&figure.scenario, &figure.scenarios) {
            (Some(one), _) => vec![(None, base.join(one))],
            (None, Some(map)) => map
                .iter()
                .map(|(k, f)| (Some(k.as_str()), base.join(f)))
                .collect(),
            (None, None) => vec![],
        };
        for (_, f) in &files {
            self.report(f)?;
        }
        let actuals = figure.actuals.as_ref().map(|a| base.join(a));
        if let (Some(a), [(None, plan)]) = (&actuals, files.as_slice()) {
            self.tracked(plan, a)?;
        }
        let leaf = |name: &str| -> Result<Measured, String> {
            let (path, name) = match files.as_slice() {
                [(None, path)] => (path, name),
                _ => {
                    let (prefix, rest) = name.split_once('.').unwrap_or((name, ""));
                    let found = files.iter().find(|(k, _)| *k == Some(prefix));
                    match found {
                        Some((_, path)) => (path, rest),
                        None => {
                            let known: Vec<&str> = files.iter().filter_map(|(k, _)| *k).collect();
                            return Err(format!(
                                "`{name}` names no scenario: begin it with one of {}",
                                known.join(", ")
                            ));
                        }
                    }
                }
            };
            if name.starts_with("track.") {
                let a = actuals
                    .as_ref()
                    .ok_or_else(|| format!("`{name}` reads a tracking report: give `actuals`"))?;
                measure_track(&self.tracked[&(path.clone(), a.clone())], name)
            } else {
                measure(&self.reports[path], name)
            }
        };
        if let expr::Expr::Name(name) = expr {
            return Ok(leaf(name));
        }
        Ok(expr
            .eval(&mut |name| match leaf(name)? {
                Measured::Amount(v) => Ok(v),
                Measured::Year(_) => Err(format!("`{name}` is a year; only amounts compute")),
            })
            .map(Measured::Amount))
    }
}

/// The published figure as text, and whether the modelled value meets it.
fn judge(comparison: &Comparison, measured: &Measured) -> Result<(String, bool), String> {
    match (comparison, measured) {
        (Comparison::Published(published, precision), Measured::Amount(value)) => {
            let (tolerance, shown) = match precision {
                Precision::Absolute(p) => (*p / Decimal::TWO, format_money(*p)),
                Precision::Relative(r) => (
                    published.abs() * *r / Decimal::TWO,
                    format!("{}%", (*r * Decimal::ONE_HUNDRED).normalize()),
                ),
            };
            let text = format!("{} (to {shown})", format_money(*published));
            Ok((text, (*value - *published).abs() <= tolerance))
        }
        (Comparison::AtLeast(b), Measured::Amount(value)) => {
            Ok((format!("at least {}", format_money(*b)), value >= b))
        }
        (Comparison::AtMost(b), Measured::Amount(value)) => {
            Ok((format!("at most {}", format_money(*b)), value <= b))
        }
        (Comparison::Between(a, b), Measured::Amount(value)) => Ok((
            format!("{} to {}", format_money(*a), format_money(*b)),
            a <= value && value <= b,
        )),
        (Comparison::Year(published), Measured::Year(year)) => Ok((
            published.clone(),
            year.as_deref() == Some(published.as_str()),
        )),
        (Comparison::Year(_), Measured::Amount(_)) => {
            Err("`published_year` needs a year measure (summary.payback_year)".into())
        }
        (_, Measured::Year(_)) => {
            Err("a year measure is compared with `published_year`, not an amount".into())
        }
    }
}
