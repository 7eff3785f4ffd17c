//! The sensitivity commands as `app` runs them: load, analyse, write, exit code.

use super::SensitivityError;
use super::compare::{self, CompareError};
use super::solve::{Problem, Solution};
use super::sweep::Sweep;
use super::tornado::Tornado;
use crate::app::{AppError, emit, exit, load};
use crate::export::{Format, format_money};
use crate::output::{OutputError, write_atomic_fill};
use std::io::Write;
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
pub fn compare(files: &[PathBuf], format: Format, output: Option<&Path>) -> Result<u8, AppError> {
    let (reports, inputs) = compare::reports_and_inputs(files)?;
    crate::app::refuse_clashes(&[output], inputs.iter().map(PathBuf::as_path))?;
    let columns = compare::columns(&reports);
    emit(&compare::render(&columns, format), output)?;
    Ok(exit::SUCCESS)
}

/// `tec-model sweep`: streams to standard output or, atomically, to a file.
pub fn sweep(
    file: &Path,
    vary: &[String],
    outputs: Option<&str>,
    format: Option<Format>,
    output: Option<&Path>,
) -> Result<u8, AppError> {
    let scenario = load(file)?;
    crate::app::refuse_clashes(&[output], crate::app::files_of(&scenario))?;
    let sweep = Sweep::parse(&scenario, vary, outputs)?;
    let format = format.unwrap_or_else(|| sweep.default_format());
    if format == Format::Svg {
        let chart =
            crate::chart::of::sweep(&sweep, &scenario, "sweep").map_err(AppError::Sensitivity)?;
        emit(chart.as_bytes(), output)?;
        return Ok(exit::SUCCESS);
    }
    match output {
        None => {
            let mut stdout =
                std::io::BufWriter::new(crate::stdout::lock().map_err(AppError::Stdout)?);
            sweep.write(&scenario, format, &mut stdout)?;
        }
        Some(path) => write_atomic_fill(path, |out: &mut dyn Write| {
            sweep
                .write(&scenario, format, out)
                .map_err(|error| match error {
                    SensitivityError::Write(source) => AppError::Output(OutputError {
                        path: path.to_path_buf(),
                        source,
                    }),
                    other => AppError::Sensitivity(other),
                })
        })?,
    }
    Ok(exit::SUCCESS)
}

/// `tec-model tornado`.
pub fn tornado(
    file: &Path,
    ranges: &[String],
    measure: &str,
    format: Format,
    output: Option<&Path>,
) -> Result<u8, AppError> {
    let scenario = load(file)?;
    crate::app::refuse_clashes(&[output], crate::app::files_of(&scenario))?;
    let tornado = Tornado::build(&scenario, ranges, measure)?;
    let bytes = match format {
        Format::Svg => crate::chart::of::tornado(&tornado, "tornado").into_bytes(),
        _ => tornado.render(format),
    };
    emit(&bytes, output)?;
    Ok(exit::SUCCESS)
}

/// `tec-model solve`: exit 0 with the switching value, 1 when no allowed value meets the target.
pub fn solve(file: &Path, vary: &str, target: &str) -> Result<u8, AppError> {
    let scenario = load(file)?;
    let problem = Problem::parse(&scenario, vary, target)?;
    let solution = problem.solve(&scenario)?;
    emit(explain(&problem, &solution).as_bytes(), None)?;
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
