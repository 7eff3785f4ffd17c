//! Runs a validated [`Config`]: the commands, their outputs and their exit codes.

use crate::check::{self, CheckError, Verdict};
use crate::cli::Config;
use crate::output::{OutputError, write_atomic};
use crate::report::{OverflowError, Report};
use crate::scenario::{self, ScenarioError};
use crate::sensitivity;
use std::io::Write;

/// Exit codes, documented in README and `--help`.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// A check found a published figure the model does not reproduce.
    pub const CHECK_FAILED: u8 = 1;
    /// Bad input: a scenario, fixture or argument, or an output that cannot be written.
    pub const BAD_INPUT: u8 = 2;
    /// A bug or an environment failure (e.g. standard output closed).
    pub const INTERNAL: u8 = 3;
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Scenario(#[from] ScenarioError),
    #[error(transparent)]
    Overflow(#[from] OverflowError),
    #[error(transparent)]
    Check(#[from] CheckError),
    #[error(transparent)]
    Output(#[from] OutputError),
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
    #[error(transparent)]
    Sensitivity(crate::sensitivity::SensitivityError),
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Stdout(_) => exit::INTERNAL,
            _ => exit::BAD_INPUT,
        }
    }
}

pub(crate) fn emit(bytes: &[u8], output: Option<&std::path::Path>) -> Result<(), AppError> {
    match output {
        Some(path) => Ok(write_atomic(path, bytes)?),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(bytes)
                .and_then(|_| stdout.flush())
                .map_err(AppError::Stdout)
        }
    }
}

/// Runs the command; returns the exit code on success paths (a failed check is not an error).
pub fn run(config: Config) -> Result<u8, AppError> {
    match config {
        Config::Run {
            scenario,
            format,
            output,
        } => {
            let scenario = scenario::load(&scenario)?;
            let report = Report::build(&scenario)?;
            emit(&format.exporter().render(&report), output.as_deref())?;
            Ok(exit::SUCCESS)
        }
        Config::Check { fixtures, format } => {
            let rows = check::run_checks(&fixtures)?;
            emit(&check::render(&rows, format), None)?;
            let failed = rows.iter().any(|r| r.verdict == Verdict::Fail);
            Ok(if failed {
                exit::CHECK_FAILED
            } else {
                exit::SUCCESS
            })
        }
        Config::Inputs { scenario } => {
            let scenario = scenario::load(&scenario)?;
            emit(inputs_listing(&scenario).as_bytes(), None)?;
            Ok(exit::SUCCESS)
        }
        Config::Compare {
            scenarios,
            format,
            output,
        } => sensitivity::commands::compare(&scenarios, format, output.as_deref()),
        Config::Sweep {
            scenario,
            vary,
            outputs,
            format,
            output,
        } => sensitivity::commands::sweep(
            &scenario,
            &vary,
            outputs.as_deref(),
            format,
            output.as_deref(),
        ),
        Config::Tornado {
            scenario,
            ranges,
            measure,
            format,
            output,
        } => {
            sensitivity::commands::tornado(&scenario, &ranges, &measure, format, output.as_deref())
        }
        Config::Solve {
            scenario,
            vary,
            target,
        } => sensitivity::commands::solve(&scenario, &vary, &target),
    }
}

/// One line per input path: its value (or values per year) and where it comes from.
pub fn inputs_listing(scenario: &scenario::Scenario) -> String {
    let params = &scenario.params;
    let mut out = String::new();
    for path in params.paths() {
        let slots = params.slots_of(path);
        let values: Vec<String> = slots
            .iter()
            .map(|s| params.values[*s].normalize().to_string())
            .collect();
        let shown = if params.info[slots[0]].year.is_some() {
            format!("[{}]", values.join(", "))
        } else {
            values.join("")
        };
        out.push_str(&format!(
            "{path} = {shown}  ({})\n",
            params.info[slots[0]].provenance
        ));
    }
    out
}
