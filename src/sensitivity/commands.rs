//! The sensitivity commands as `app` runs them: load, analyse, write, exit code.

use super::SensitivityError;
use super::compare::{self, CompareError};
use super::points::Points;
use super::solve::{Problem, Solution};
use super::sweep::Sweep;
use super::sweep_write::{ChunkWrite, Sink, SweepWriteError};
use super::tornado::Tornado;
use crate::app::{AppError, emit_all, exit, load, plain};
use crate::export::{Format, format_money};
use crate::output::OutputError;
use crate::output::set::{Dest, Outputs};
use crate::progress::Progress;
use std::path::{Path, PathBuf};

impl From<SensitivityError> for AppError {
    fn from(error: SensitivityError) -> AppError {
        match error {
            SensitivityError::Write(io) => AppError::Stdout(io),
            other => AppError::Sensitivity(other),
        }
    }
}

impl From<CompareError> for AppError {
    fn from(error: CompareError) -> AppError {
        match error {
            CompareError::Scenario(e) => AppError::Scenario(e),
            CompareError::Overflow(e) => AppError::Overflow(e),
        }
    }
}

/// `tec-model compare`.
pub fn compare(
    files: &[PathBuf],
    baseline: Option<&Path>,
    outputs: &Outputs,
) -> Result<u8, AppError> {
    // The baseline is compared as the first column, then set apart.
    let all: Vec<PathBuf> = baseline
        .map(Path::to_path_buf)
        .into_iter()
        .chain(files.iter().cloned())
        .collect();
    let (reports, inputs) = compare::reports_and_inputs(&all)?;
    crate::app::refuse_clashes(&outputs.files(), inputs.iter().map(PathBuf::as_path))?;
    let columns = compare::columns(&reports);
    let workbook = wants_xlsx(outputs)
        .then(|| crate::workbook::of::compare(&columns, baseline.is_some()))
        .transpose()?;
    emit_all(
        outputs,
        Format::Table,
        |format| match (format, &workbook, baseline) {
            (Format::Xlsx, Some(bytes), _) => bytes.clone(),
            (_, _, None) => compare::render(&columns, format),
            (_, _, Some(_)) => super::baseline::render(&columns, format),
        },
        plain,
    )?;
    Ok(exit::SUCCESS)
}

/// Whether an output is a workbook: it is built before any output is created, so that its
/// failure leaves no file behind.
pub(crate) fn wants_xlsx(outputs: &Outputs) -> bool {
    outputs.specs.iter().any(|s| s.format == Some(Format::Xlsx))
}

/// `tec-model sweep`: every output at once, CSV and JSON streamed (to standard output as the
/// chunks arrive; to files atomically), with a progress bar on a terminal.
pub fn sweep(
    file: &Path,
    vary: &[String],
    points: Option<&Path>,
    figures: Option<&str>,
    outputs: &Outputs,
) -> Result<u8, AppError> {
    let scenario = load(file)?;
    let inputs = crate::app::files_of(&scenario).chain(points);
    crate::app::refuse_clashes(&outputs.files(), inputs)?;
    let sweep = match points {
        Some(points) => Sweep::of_points(&scenario, Points::read(&scenario, points)?, figures)?,
        None => Sweep::parse(&scenario, vary, figures)?,
    };
    // The chart is drawn before any output is created, so a sweep it cannot draw fails first.
    let chart = if outputs.specs.iter().any(|s| s.format == Some(Format::Svg)) {
        Some(crate::chart::of::sweep(&sweep, &scenario, "sweep").map_err(AppError::Sensitivity)?)
    } else {
        None
    };
    let max = crate::workbook::tables::MAX_ROWS;
    if wants_xlsx(outputs) && sweep.points() > max {
        let rows = sweep.points();
        return Err(crate::workbook::WorkbookError::TooManyRows { rows, max }.into());
    }
    let mut open = outputs.open(sweep.default_format())?;
    let progress = Progress::new(sweep.points() as u64);
    let result = {
        let mut streams = open.streams()?;
        let any_stdout = streams.iter().any(|s| s.is_stdout);
        let mut sinks: Vec<Sink> = streams
            .iter_mut()
            .map(|s| Sink {
                format: s.format,
                writer: &mut s.writer,
                is_stdout: s.is_stdout,
            })
            .collect();
        // Rows on a terminal would run into the bar: it is hidden while they are written.
        let around = |write: &mut ChunkWrite<'_>| {
            if any_stdout {
                progress.suspend(write)
            } else {
                write()
            }
        };
        let written = sweep.write_to(
            &scenario,
            &mut sinks,
            &|done| progress.update(done),
            &around,
        );
        drop(sinks);
        written.and_then(|()| {
            for (k, stream) in streams.iter_mut().enumerate() {
                if stream.format == Format::Svg {
                    let chart = chart.as_deref().unwrap_or_default();
                    stream
                        .writer
                        .write_all(chart.as_bytes())
                        .and_then(|()| stream.writer.flush())
                        .map_err(|source| SweepWriteError::Write { sink: k, source })?;
                }
            }
            Ok(())
        })
    };
    progress.finish();
    match result {
        Ok(()) => {
            open.commit()?;
            Ok(exit::SUCCESS)
        }
        Err(SweepWriteError::Sweep(error)) => Err(error.into()),
        Err(SweepWriteError::Write { sink, source }) => Err(match open.dest(sink) {
            Dest::Stdout => AppError::Stdout(source),
            Dest::File(path) => AppError::Output(OutputError { path, source }),
        }),
    }
}

/// `tec-model tornado`.
pub fn tornado(
    file: &Path,
    ranges: &[String],
    measure: &str,
    outputs: &Outputs,
) -> Result<u8, AppError> {
    let scenario = load(file)?;
    crate::app::refuse_clashes(&outputs.files(), crate::app::files_of(&scenario))?;
    let tornado = Tornado::build(&scenario, ranges, measure)?;
    let workbook = wants_xlsx(outputs)
        .then(|| crate::workbook::of::tornado(&tornado, scenario.model.rounding))
        .transpose()?;
    emit_all(
        outputs,
        Format::Table,
        |format| match (format, &workbook) {
            (Format::Xlsx, Some(bytes)) => bytes.clone(),
            (Format::Svg, _) => crate::chart::of::tornado(&tornado, "tornado").into_bytes(),
            (_, _) => tornado.render(format),
        },
        plain,
    )?;
    Ok(exit::SUCCESS)
}

/// `tec-model solve`: exit 0 with the switching value, 1 when no allowed value meets the target.
pub fn solve(file: &Path, vary: &str, target: &str, outputs: &Outputs) -> Result<u8, AppError> {
    let scenario = load(file)?;
    crate::app::refuse_clashes(&outputs.files(), crate::app::files_of(&scenario))?;
    let problem = Problem::parse(&scenario, vary, target)?;
    let solution = problem.solve(&scenario)?;
    emit_all(
        outputs,
        Format::Table,
        |format| super::solve_render::render(&problem, &solution, format),
        plain,
    )?;
    Ok(match solution {
        Solution::Found { .. } => exit::SUCCESS,
        Solution::NotFound { .. } => exit::CHECK_FAILED,
    })
}

/// The solution in words.
pub fn explain(problem: &Problem, solution: &Solution) -> String {
    let name = &problem.input.name;
    let output = &problem.target.output;
    let target = format_money(problem.target.value);
    let mut out = format!(
        "Switching value of {name} for {output} = {target}\n  base: {name} = {}, {output} = {}\n",
        problem.base.normalize(),
        format_money(problem.base_output)
    );
    match solution {
        Solution::Found {
            value,
            output_at_value,
            neighbour,
            output_at_neighbour,
            step,
            runs,
        } => {
            out.push_str(&format!(
                "  switching value: {name} = {value}\n  at {value}: {output} = {} (meets the target: at or above {target})\n  at {neighbour}: {output} = {} (does not)\n",
                format_money(*output_at_value),
                format_money(*output_at_neighbour),
            ));
            out.push_str(&format!(
                "Found by stepping out from the base to bracket the target, then bisection: {runs} exact runs. The value is given to within {step} (six significant figures); both figures above are exact runs.\n"
            ));
        }
        Solution::NotFound {
            searched,
            least,
            greatest,
            runs,
        } => {
            let range = format!("from {} to {}", searched.0, searched.1);
            out.push_str(&if least.1 >= problem.target.value {
                format!(
                    "  no switching value: the target is met at every value of {name} tried {range}"
                )
            } else {
                format!("  no value of {name} {range} meets the target")
            });
            out.push_str(&format!(
                "\n  {output} ranges from {} (at {}) to {} (at {}) over the {runs} values tried\n",
                format_money(least.1),
                least.0.normalize(),
                format_money(greatest.1),
                greatest.0.normalize(),
            ));
        }
    }
    out
}
