//! Runs a validated [`Config`]: the commands, their outputs and their exit codes.

use crate::check::{self, CheckError, Verdict};
use crate::cli::{Config, SimulateConfig};
use crate::output::guard::ClashError;
use crate::output::{OutputError, Pending, write_atomic};
use crate::report::{OverflowError, Report};
use crate::scenario::{self, ScenarioError};
use crate::sensitivity;
use crate::simulate::collect::{CollectError, Collecting, collect, collect_with};
use crate::simulate::kernel::Isa;
use crate::simulate::render;
use crate::simulate::report::SimulationReport;
use crate::simulate::run::RunSettings;
use crate::simulate::samples::SamplesCsv;
use std::path::Path;

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
    #[error(transparent)]
    Track(#[from] crate::track::TrackError),
    #[error("{file}: {error}")]
    NonFinite {
        file: String,
        error: crate::simulate::collect::NonFinite,
    },
    #[error("cannot write to standard output: {0}")]
    Stdout(std::io::Error),
    #[error(transparent)]
    Sensitivity(crate::sensitivity::SensitivityError),
    #[error(transparent)]
    Clash(#[from] ClashError),
    #[error(transparent)]
    Usage(#[from] crate::cli::UsageError),
    #[error(transparent)]
    Workbook(#[from] crate::workbook::WorkbookError),
}

impl AppError {
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Stdout(_) => exit::INTERNAL,
            _ => exit::BAD_INPUT,
        }
    }

    /// True when standard output's reader went away (`| head`): the binary stops quietly.
    pub fn is_reader_gone(&self) -> bool {
        matches!(self, AppError::Stdout(e) if crate::stdout::is_reader_gone(e))
    }
}

pub(crate) fn emit(bytes: &[u8], output: Option<&Path>) -> Result<(), AppError> {
    match output {
        Some(path) => Ok(write_atomic(path, bytes)?),
        None => crate::stdout::write_all(bytes).map_err(AppError::Stdout),
    }
}

/// Every file a scenario was read from: the file named and each parent it `extends`.
pub(crate) fn files_of(scenario: &scenario::Scenario) -> impl Iterator<Item = &Path> {
    scenario.files.iter().map(|f| f.path.as_path())
}

/// Refuses, before anything is written, an output that is the same file as an input or as
/// another output.
pub(crate) fn refuse_clashes<'a>(
    outputs: &[Option<&Path>],
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), AppError> {
    let outputs: Vec<&Path> = outputs.iter().flatten().copied().collect();
    if outputs.is_empty() {
        return Ok(());
    }
    let inputs: Vec<&Path> = inputs.into_iter().collect();
    Ok(crate::output::guard::refuse_clashes(&outputs, &inputs)?)
}

/// Loads the scenario at `path` and prints its warnings on standard error: every command that
/// reads a scenario does this.
pub(crate) fn load(path: &std::path::Path) -> Result<scenario::Scenario, ScenarioError> {
    let scenario = scenario::load(path)?;
    scenario.print_warnings();
    Ok(scenario)
}

/// Runs the command; returns the exit code on success paths (a failed check is not an error).
pub fn run(config: Config) -> Result<u8, AppError> {
    match config {
        Config::Run {
            scenario,
            format,
            output,
        } => {
            let scenario = load(&scenario)?;
            refuse_clashes(&[output.as_deref()], files_of(&scenario))?;
            let report = Report::build(&scenario)?;
            let bytes = match format {
                crate::export::Format::Xlsx => crate::workbook::run_workbook(&scenario)?.bytes,
                _ => format.exporter().render(&report),
            };
            emit(&bytes, output.as_deref())?;
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
        Config::Simulate(config) => simulate(config),
        Config::Track {
            plan,
            actuals,
            format,
            output,
            options,
        } => {
            let plan = load(&plan)?;
            let inputs = files_of(&plan).chain([actuals.as_path()]);
            refuse_clashes(&[output.as_deref()], inputs)?;
            let actuals = crate::track::actuals::read(&actuals, &plan.model)?;
            let report = crate::track::build(&plan, &actuals, &options)?;
            let bytes = match format {
                crate::export::Format::Svg => {
                    crate::chart::of::track(&report, "track").into_bytes()
                }
                _ => crate::export::render_track(&report, format),
            };
            emit(&bytes, output.as_deref())?;
            Ok(exit::SUCCESS)
        }
        Config::Inputs { scenario } => {
            let scenario = load(&scenario)?;
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
        Config::Report {
            scenario,
            simulate,
            seed,
            fixtures,
            output,
        } => html_report(&scenario, simulate, seed, fixtures, output.as_deref()),
    }
}

/// One line per input path: its value (or values per year) and where it comes from; then one
/// line per setting that changes money, with its default when the file leaves it out.
pub fn inputs_listing(scenario: &scenario::Scenario) -> String {
    let params = &scenario.params;
    let mut out = String::new();
    for (path, slots) in params.grouped() {
        let values: Vec<String> = slots
            .iter()
            .map(|s| params.values[*s].normalize().to_string())
            .collect();
        let shown = if params.info[slots[0]].year.is_some() {
            format!("[{}]", values.join(", "))
        } else {
            values.join("")
        };
        // A year set on its own (`overrides: { path[2023/24]: ... }`) has its own provenance:
        // the series shows the one most of its years have, and each other year its own.
        let provenance = |slot: &usize| &params.info[*slot].provenance;
        let usual = slots
            .iter()
            .map(provenance)
            .max_by_key(|p| {
                let count = slots.iter().filter(|s| provenance(s) == *p).count();
                (
                    count,
                    std::cmp::Reverse(slots.iter().position(|s| provenance(s) == *p)),
                )
            })
            .expect("an input has a slot");
        out.push_str(&format!("{path} = {shown}  ({usual})\n"));
        for slot in &slots {
            let info = &params.info[*slot];
            if info.provenance != *usual {
                let year = info.year.map(|t| scenario.model.year_label(t));
                out.push_str(&format!(
                    "{path}[{}] = {}  ({})\n",
                    year.unwrap_or_default(),
                    params.values[*slot].normalize(),
                    info.provenance
                ));
            }
        }
    }
    for setting in &params.settings {
        out.push_str(&format!("{setting}\n"));
    }
    out
}

/// `tec-model report`: the case, its checks, a tornado over ±20% and, with `--simulate`, the
/// Monte Carlo, in one HTML file.
fn html_report(
    path: &Path,
    iterations: Option<u64>,
    seed: Option<u64>,
    fixtures: Option<std::path::PathBuf>,
    output: Option<&Path>,
) -> Result<u8, AppError> {
    use rust_decimal::prelude::ToPrimitive;
    let scenario = load(path)?;
    let mut inputs: Vec<&Path> = files_of(&scenario).collect();
    inputs.extend(fixtures.as_deref());
    refuse_clashes(&[output], inputs)?;
    let report = Report::build(&scenario)?;
    let checks = fixtures.map(|f| check::run_checks(&[f])).transpose()?;
    let tornado =
        crate::sensitivity::tornado::Tornado::build(&scenario, &[], "summary.cumulative_net")
            .map_err(AppError::Sensitivity)?;
    let target = scenario.uncertainty.target.and_then(|t| t.to_f64());
    let simulation = match iterations {
        None => None,
        Some(n) => {
            let file = &scenario.uncertainty;
            let settings = RunSettings {
                iterations: n,
                seed: seed.or(file.seed).unwrap_or(1),
                sampling: file.sampling.unwrap_or_default(),
                precision: None,
                keep_inputs: 0,
            };
            let mut thresholds = vec![0.0];
            thresholds.extend(target);
            let collected = collect(&scenario, &settings, &Collecting::new(thresholds), |_| {})
                .map_err(|error| AppError::NonFinite {
                    file: scenario.path().display().to_string(),
                    error,
                })?;
            Some(SimulationReport::build(&scenario, &settings, &collected))
        }
    };
    // The text read (and so checked) for this run, not a second read of the file.
    let bytes = scenario
        .files
        .iter()
        .find(|f| f.path == scenario.path())
        .map(|f| f.text.clone().into_bytes())
        .unwrap_or_default();
    let extras = crate::html::Extras {
        simulation: simulation.as_ref().map(|s| (s, target)),
        checks: checks.as_deref(),
        tornado: Some(&tornado),
        file_bytes: &bytes,
    };
    emit(
        crate::html::render(&scenario, &report, &extras).as_bytes(),
        output,
    )?;
    Ok(exit::SUCCESS)
}

/// Iterations when neither the command nor the file says.
pub const DEFAULT_ITERATIONS: u64 = 10_000;
/// The most iterations `--precision` may run when no `--iterations` caps it.
pub const PRECISION_CAP: u64 = 10_000_000;

fn simulate(config: SimulateConfig) -> Result<u8, AppError> {
    use rust_decimal::prelude::ToPrimitive;
    let scenario = load(&config.scenario)?;
    // The scenario as written must evaluate exactly, as `run` would, before it is sampled.
    Report::build(&scenario)?;
    let file = &scenario.uncertainty;
    let precision = config.precision.and_then(|p| p.to_f64());
    // Every draw for `--samples`; with correlations, enough draws to report the achieved ones.
    let keep_inputs = if config.samples.is_some() {
        u64::MAX
    } else if !file.correlations.is_empty() {
        crate::simulate::collect::ACHIEVED_SAMPLE as u64
    } else {
        0
    };
    let iterations = config
        .iterations
        .or(file.iterations)
        .unwrap_or(if precision.is_some() {
            PRECISION_CAP
        } else {
            DEFAULT_ITERATIONS
        });
    // Outputs are created before the run (a bad path fails at once) and committed together;
    // neither may be an input or the other.
    refuse_clashes(
        &[config.samples.as_deref(), config.output.as_deref()],
        files_of(&scenario),
    )?;
    let mut samples_out = config.samples.as_deref().map(Pending::create).transpose()?;
    let mut report_out = config.output.as_deref().map(Pending::create).transpose()?;
    let settings = RunSettings {
        iterations,
        seed: config.seed.or(file.seed).unwrap_or(1),
        sampling: config.sampling.or(file.sampling).unwrap_or_default(),
        precision,
        keep_inputs,
    };
    let target = config.target.or(file.target).and_then(|t| t.to_f64());
    let mut thresholds = vec![0.0];
    thresholds.extend(target);
    let collecting = Collecting::new(thresholds);
    let progress = Progress::new(iterations);
    let on_group = |done| progress.update(done);
    // `--samples` rows are written as the blocks arrive, in order: no iteration is kept.
    let collected = match samples_out.as_mut() {
        Some(pending) => {
            let path = pending.path().to_path_buf();
            let fail = |source| OutputError {
                path: path.clone(),
                source,
            };
            let mut csv = SamplesCsv::new(pending.writer()?, &scenario).map_err(fail)?;
            let isa = Isa::detect();
            match collect_with(&scenario, &settings, &collecting, isa, &mut csv, on_group) {
                Ok(collected) => {
                    csv.finish().map_err(fail)?;
                    Ok(collected)
                }
                Err(CollectError::NonFinite(error)) => Err(error),
                Err(CollectError::Samples(source)) => return Err(fail(source).into()),
            }
        }
        None => collect(&scenario, &settings, &collecting, on_group),
    };
    progress.finish();
    let collected = collected.map_err(|error| AppError::NonFinite {
        file: scenario.path().display().to_string(),
        error,
    })?;
    let report = SimulationReport::build(&scenario, &settings, &collected);
    if let Some(warning) = render::precision_warning(&report) {
        eprintln!("warning: {}: {warning}", scenario.path().display());
    }
    let rendered = match config.format {
        crate::export::Format::Svg => {
            crate::chart::of::simulation(&report, config.chart, target, "simulate").into_bytes()
        }
        format => render::render(&report, format),
    };
    if let Some(pending) = report_out.as_mut() {
        pending.write_with(|w| w.write_all(&rendered))?;
    }
    if let Some(pending) = samples_out {
        pending.commit()?;
    }
    match report_out {
        Some(pending) => pending.commit()?,
        None => emit(&rendered, None)?,
    }
    Ok(exit::SUCCESS)
}

/// A progress bar on standard error, shown only on a terminal and only after a second.
struct Progress {
    started: std::time::Instant,
    total: u64,
    bar: std::cell::RefCell<Option<indicatif::ProgressBar>>,
}

impl Progress {
    fn new(total: u64) -> Self {
        Progress {
            started: std::time::Instant::now(),
            total,
            bar: std::cell::RefCell::new(None),
        }
    }

    fn update(&self, done: u64) {
        use std::io::IsTerminal;
        let mut bar = self.bar.borrow_mut();
        if bar.is_none()
            && self.started.elapsed().as_secs_f64() > 1.0
            && std::io::stderr().is_terminal()
        {
            *bar = Some(indicatif::ProgressBar::new(self.total));
        }
        if let Some(bar) = bar.as_ref() {
            bar.set_position(done);
        }
    }

    fn finish(&self) {
        if let Some(bar) = self.bar.borrow().as_ref() {
            bar.finish_and_clear();
        }
    }
}
