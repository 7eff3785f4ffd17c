//! `tec-model sweep`: the Cartesian grid over one or more inputs, evaluated in parallel.
//!
//! Points are numbered in grid order (the first `--vary` slowest, the last fastest) and
//! evaluated in fixed-size chunks: the points of a chunk run in parallel (rayon), the
//! chunk's rows come back in order and are written before the next chunk starts. The output
//! is therefore the same whatever the number of threads, and CSV and JSON (an array of
//! `{"inputs": {...}, "outputs": {...}}`, numbers as exact strings) stream: a sweep of
//! a million points holds one chunk of rows at a time. Writing, to one output or several, is in
//! [`super::sweep_write`].

use super::SensitivityError;
use super::outputs::{self, DEFAULT_SWEEP};
use super::points::Points;
use super::render::Cells;
use super::vary::{Axis, check_disjoint};
use crate::check::measure::Measured;
use crate::export::Format;
use crate::report::Report;
use crate::scenario::Scenario;
use crate::scenario::input::Input;
use rayon::prelude::*;
use rust_decimal::Decimal;
use std::io::Write;

/// Points evaluated (in parallel) before their rows are written.
pub const CHUNK: usize = 4096;
/// The largest grid a sweep accepts.
pub const MAX_POINTS: usize = 100_000_000;

/// A validated sweep: its axes (or its points) and the outputs of each point.
#[derive(Debug, Clone)]
pub struct Sweep {
    pub axes: Vec<Axis>,
    /// Design points from `--points`, evaluated in the file's order instead of a grid.
    pub design: Option<Points>,
    /// Full output names, e.g. `summary.cumulative_net`.
    pub outputs: Vec<String>,
    points: usize,
}

/// The outputs of one point, in the order of [`Sweep::outputs`].
pub type Row = Vec<Measured>;

impl Sweep {
    /// Parses the `--vary` expressions and the comma-separated `--outputs` against `scenario`.
    pub fn parse(
        scenario: &Scenario,
        vary: &[String],
        outputs: Option<&str>,
    ) -> Result<Sweep, SensitivityError> {
        if vary.is_empty() {
            return Err(SensitivityError::expression(
                "--vary",
                "",
                "give at least one input to vary",
            ));
        }
        let axes = vary
            .iter()
            .map(|v| Axis::parse(scenario, v))
            .collect::<Result<Vec<_>, _>>()?;
        check_disjoint("--vary", axes.iter().map(|a| &a.input))?;
        let outputs = resolve_outputs(scenario, outputs)?;
        let points = axes
            .iter()
            .try_fold(1usize, |n, a| n.checked_mul(a.values.len()))
            .filter(|n| *n <= MAX_POINTS)
            .ok_or_else(|| SensitivityError::TooManyPoints {
                points: axes
                    .iter()
                    .map(|a| a.values.len().to_string())
                    .collect::<Vec<_>>()
                    .join(" x "),
                limit: MAX_POINTS,
            })?;
        Ok(Sweep {
            axes,
            design: None,
            outputs,
            points,
        })
    }

    /// A sweep of the points in a `--points` file, in its order.
    pub fn of_points(
        scenario: &Scenario,
        design: Points,
        outputs: Option<&str>,
    ) -> Result<Sweep, SensitivityError> {
        let outputs = resolve_outputs(scenario, outputs)?;
        Ok(Sweep {
            axes: Vec::new(),
            points: design.len(),
            design: Some(design),
            outputs,
        })
    }

    /// The varied inputs, in column order.
    pub fn inputs(&self) -> Vec<&Input> {
        match &self.design {
            Some(design) => design.inputs.iter().collect(),
            None => self.axes.iter().map(|a| &a.input).collect(),
        }
    }
}

/// The comma-separated `--outputs`, resolved against the scenario's report.
fn resolve_outputs(
    scenario: &Scenario,
    outputs: Option<&str>,
) -> Result<Vec<String>, SensitivityError> {
    {
        let base = base_report(scenario)?;
        let names: Vec<&str> = match outputs {
            Some(list) => list.split(',').filter(|s| !s.trim().is_empty()).collect(),
            None => DEFAULT_SWEEP.to_vec(),
        };
        if names.is_empty() {
            return Err(SensitivityError::UnknownOutput {
                name: String::new(),
                hint: " (the list is empty)".into(),
            });
        }
        names
            .iter()
            .map(|n| outputs::resolve(&base, n))
            .collect::<Result<Vec<_>, _>>()
    }
}

impl Sweep {
    /// How many grid points there are.
    pub fn points(&self) -> usize {
        self.points
    }

    /// The format when none is asked for: a two-way table for two inputs, else CSV.
    pub fn default_format(&self) -> Format {
        if self.axes.len() == 2 && self.design.is_none() {
            Format::Table
        } else {
            Format::Csv
        }
    }

    /// The value of each input at point `index`: the file's row, or in grid order (the last
    /// axis moves fastest).
    pub fn values_at(&self, index: usize) -> Vec<Decimal> {
        if let Some(design) = &self.design {
            return design.values_at(index).to_vec();
        }
        let mut rest = index;
        let mut values = vec![Decimal::ZERO; self.axes.len()];
        for (k, axis) in self.axes.iter().enumerate().rev() {
            let n = axis.values.len();
            values[k] = axis.values[rest % n];
            rest /= n;
        }
        values
    }

    /// Evaluates points `range` in parallel; the rows come back in grid order.
    pub fn evaluate(
        &self,
        scenario: &Scenario,
        range: std::ops::Range<usize>,
    ) -> Result<Vec<Row>, SensitivityError> {
        let results: Vec<Result<Row, SensitivityError>> = range
            .into_par_iter()
            .map_init(
                || scenario.clone(),
                |local, index| {
                    let values = self.values_at(index);
                    let point: Vec<(&Input, Decimal)> =
                        self.inputs().into_iter().zip(values).collect();
                    let report = outputs::report_at(local, &point)?;
                    Ok(self
                        .outputs
                        .iter()
                        .map(|o| outputs::read(&report, o))
                        .collect())
                },
            )
            .collect();
        // The first error in grid order, so that failures are deterministic too.
        results.into_iter().collect()
    }

    /// Writes the sweep in `format` to `out`: CSV and JSON chunk by chunk, tables once
    /// complete ([`Sweep::write_to`] writes several formats from one evaluation).
    pub fn write(
        &self,
        scenario: &Scenario,
        format: Format,
        out: &mut dyn Write,
    ) -> Result<(), SensitivityError> {
        let mut sinks = [super::sweep_write::Sink {
            format,
            writer: out,
            is_stdout: false,
        }];
        self.write_to(scenario, &mut sinks, &|_| {}, &|write| write())
            .map_err(|error| match error {
                super::sweep_write::SweepWriteError::Sweep(e) => e,
                super::sweep_write::SweepWriteError::Write { source, .. } => {
                    SensitivityError::Write(source)
                }
            })
    }

    pub(super) fn chunks(&self) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
        (0..self.points)
            .step_by(CHUNK)
            .map(|start| start..(start + CHUNK).min(self.points))
    }

    /// A two-way table per output for two inputs; else one row per point.
    pub(super) fn tables(&self, rows: &[Row], format: Format) -> String {
        if let ([across, down], None) = (self.axes.as_slice(), &self.design) {
            let mut out = String::new();
            for (k, name) in self.outputs.iter().enumerate() {
                let title = format!(
                    "{name} by {} (rows) and {} (columns)",
                    across.input.name, down.input.name
                );
                out.push_str(&match format {
                    Format::Markdown => format!("### {title}\n\n"),
                    _ => format!("{title}\n"),
                });
                let mut header = vec![across.input.name.clone()];
                header.extend(down.values.iter().map(|v| v.to_string()));
                let body = across
                    .values
                    .iter()
                    .enumerate()
                    .map(|(i, v)| {
                        let mut cells = vec![v.to_string()];
                        let row = &rows[i * down.values.len()..(i + 1) * down.values.len()];
                        cells.extend(row.iter().map(|r| outputs::shown(&r[k])));
                        cells
                    })
                    .collect();
                let cells = Cells {
                    header,
                    rows: body,
                    first_number: 1,
                };
                out.push_str(&cells.render(format));
                out.push('\n');
            }
            return out;
        }
        let mut header: Vec<String> = self.inputs().iter().map(|i| i.name.clone()).collect();
        header.extend(self.outputs.iter().cloned());
        let body = rows
            .iter()
            .enumerate()
            .map(|(i, row)| {
                let inputs = self.values_at(i).into_iter().map(|v| v.to_string());
                inputs.chain(row.iter().map(outputs::shown)).collect()
            })
            .collect();
        Cells {
            header,
            rows: body,
            first_number: 0,
        }
        .render(format)
    }
}

/// The scenario's report at its base values, for checking output names.
pub(crate) fn base_report(scenario: &Scenario) -> Result<Report, SensitivityError> {
    Report::build(scenario).map_err(|e| SensitivityError::Overflow {
        file: scenario.path().to_path_buf(),
        at: "the base values".into(),
        figure: e.figure.describe(),
    })
}

/// The words that end a streamed sweep that failed part way (docs/guide.md, "Streams that fail").
pub const FAILED_STREAM: &str = "TEC-MODEL ERROR: THE SWEEP FAILED";

/// The last line of a CSV stream that failed after `done` of `points` rows: it begins with
/// `#!` and a NUL byte, and has one field more than the header, so that a CSV reader that
/// checks its rows (pandas, R, the csv crate) stops at it, and a person sees it in Excel.
pub fn failed_csv_line(
    done: usize,
    points: usize,
    error: &SensitivityError,
    width: usize,
) -> String {
    let why = error.to_string().replace(['\n', '\r', ','], " ");
    format!(
        "#!\0{FAILED_STREAM} after {done} of {points} points: {why}; the rows above are incomplete{}\n",
        ",".repeat(width)
    )
}

/// The end of a JSON stream that failed part way: the array is left open and followed by
/// text that is not JSON, so that no JSON reader takes the output for a whole result.
pub fn failed_json_text(done: usize, points: usize, error: &SensitivityError) -> String {
    let why = error.to_string().replace(['\n', '\r'], " ");
    format!(
        "\n!! {FAILED_STREAM} after {done} of {points} points: {why}; the output is incomplete !!\n"
    )
}
