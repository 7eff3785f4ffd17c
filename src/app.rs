//! Runs a validated [`Config`]: the commands, their outputs and their exit codes.

use crate::check::{self, CheckError, Verdict};
use crate::cli::{Config, SimulateConfig};
use crate::export::Format;
use crate::output::guard::ClashError;
use crate::output::set::{Outputs, WriteError};
use crate::output::{OutputError, Pending, write_atomic};
use crate::progress::Progress;
use crate::report::{OverflowError, Report};
use crate::scenario::{self, ScenarioError};
use crate::sensitivity;
use crate::simulate::collect::{CollectError, Collecting, collect, collect_with};
use crate::simulate::kernel::Isa;
use crate::simulate::render;
use crate::simulate::report::SimulationReport;
use crate::simulate::run::RunSettings;
use crate::simulate::samples::SamplesCsv;
use std::path::{Path, PathBuf};

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
    Sobol(crate::sobol::SobolError),
    #[error(transparent)]
    Voi(crate::voi::VoiError),
    #[error(transparent)]
    Usage(#[from] crate::cli::UsageError),
    #[error(transparent)]
    Init(#[from] crate::init::InitError),
    #[error(transparent)]
    Explain(#[from] crate::explain::ExplainError),
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

impl From<WriteError> for AppError {
    fn from(error: WriteError) -> AppError {
        match error {
            WriteError::File(e) => AppError::Output(e),
            WriteError::Stdout(e) => AppError::Stdout(e),
        }
    }
}

/// Writes `bytes` to standard output or, atomically, to `output`.
pub(crate) fn emit(bytes: &[u8], output: Option<&Path>) -> Result<(), AppError> {
    match output {
        Some(path) => Ok(write_atomic(path, bytes)?),
        None => crate::stdout::write_all(bytes).map_err(AppError::Stdout),
    }
}

/// Writes every output of a run: each format rendered once by `render`, the files committed
/// together, then standard output (a table there passed through `paint` on a terminal).
pub(crate) fn emit_all(
    outputs: &Outputs,
    default: Format,
    render: impl Fn(Format) -> Vec<u8>,
    paint: impl Fn(&[u8]) -> Vec<u8>,
) -> Result<(), AppError> {
    Ok(outputs.open(default)?.write(render, paint)?)
}

/// No colour: for output whose colour would carry no meaning.
pub(crate) fn plain(bytes: &[u8]) -> Vec<u8> {
    bytes.to_vec()
}

/// Every file a scenario was read from: the file named and each parent it `extends`
/// (standard input is no file).
pub(crate) fn files_of(scenario: &scenario::Scenario) -> impl Iterator<Item = &Path> {
    scenario
        .files
        .iter()
        .map(|f| f.path.as_path())
        .filter(|p| !scenario::load::is_stdin(p))
}

/// Refuses, before anything is written, an output that is the same file as an input or as
/// another output.
pub(crate) fn refuse_clashes<'a>(
    outputs: &[&Path],
    inputs: impl IntoIterator<Item = &'a Path>,
) -> Result<(), AppError> {
    if outputs.is_empty() {
        return Ok(());
    }
    let inputs: Vec<&Path> = inputs
        .into_iter()
        .filter(|p| !scenario::load::is_stdin(p))
        .collect();
    Ok(crate::output::guard::refuse_clashes(outputs, &inputs)?)
}

/// Loads the scenario at `path` (`-`: standard input) and prints its warnings on standard
/// error: every command that reads a scenario does this.
pub(crate) fn load(path: &std::path::Path) -> Result<scenario::Scenario, ScenarioError> {
    let scenario = scenario::load(path)?;
    scenario.print_warnings();
    Ok(scenario)
}

/// Runs the command; returns the exit code on success paths (a failed check is not an error).
pub fn run(config: Config) -> Result<u8, AppError> {
    match config {
        Config::Run { scenario, outputs } => {
            let scenario = load(&scenario)?;
            refuse_clashes(&outputs.files(), files_of(&scenario))?;
            let report = Report::build(&scenario)?;
            // The workbook is built first: its failure is an error, not a half-written output.
            let workbook = if outputs.specs.iter().any(|s| s.format == Some(Format::Xlsx)) {
                Some(crate::workbook::run_workbook(&scenario)?.bytes)
            } else {
                None
            };
            emit_all(
                &outputs,
                Format::Table,
                |format| match (format, &workbook) {
                    (Format::Xlsx, Some(bytes)) => bytes.clone(),
                    _ => format.exporter().render(&report),
                },
                plain,
            )?;
            Ok(exit::SUCCESS)
        }
        Config::Check { fixtures, outputs } => {
            let (rows, inputs) = check::run_checks_reading(&fixtures)?;
            refuse_clashes(&outputs.files(), inputs.iter().map(PathBuf::as_path))?;
            emit_all(
                &outputs,
                Format::Table,
                |format| check::render(&rows, format),
                check::paint,
            )?;
            let failed = rows.iter().any(|r| r.verdict == Verdict::Fail);
            Ok(if failed {
                exit::CHECK_FAILED
            } else {
                exit::SUCCESS
            })
        }
        Config::ListMeasures => {
            emit(check::measure::LIST.as_bytes(), None)?;
            Ok(exit::SUCCESS)
        }
        Config::Simulate(config) => simulate(config),
        Config::Sensitivity(config) => sensitivity(config),
        Config::Voi(config) => voi(config),
        Config::Track {
            plan,
            actuals,
            outputs,
            options,
        } => {
            let plan = load(&plan)?;
            let inputs = files_of(&plan).chain([actuals.as_path()]);
            refuse_clashes(&outputs.files(), inputs)?;
            let actuals = crate::track::actuals::read(&actuals, &plan.model)?;
            let report = crate::track::build(&plan, &actuals, &options)?;
            let workbook = crate::sensitivity::commands::wants_xlsx(&outputs)
                .then(|| crate::workbook::track::track(&report))
                .transpose()?;
            emit_all(
                &outputs,
                Format::Table,
                |format| match (format, &workbook) {
                    (Format::Xlsx, Some(bytes)) => bytes.clone(),
                    (Format::Svg, _) => crate::chart::of::track(&report, "track").into_bytes(),
                    (_, _) => crate::export::render_track(&report, format),
                },
                crate::export::paint_track,
            )?;
            Ok(exit::SUCCESS)
        }
        Config::Inputs { scenario, outputs } => {
            let scenario = load(&scenario)?;
            refuse_clashes(&outputs.files(), files_of(&scenario))?;
            emit_all(
                &outputs,
                Format::Table,
                |format| crate::listing::render(&scenario, format),
                plain,
            )?;
            Ok(exit::SUCCESS)
        }
        Config::Compare {
            scenarios,
            baseline,
            outputs,
        } => sensitivity::commands::compare(&scenarios, baseline.as_deref(), &outputs),
        Config::Sweep {
            scenario,
            vary,
            points,
            figures,
            outputs,
        } => sensitivity::commands::sweep(
            &scenario,
            &vary,
            points.as_deref(),
            figures.as_deref(),
            &outputs,
        ),
        Config::Tornado {
            scenario,
            ranges,
            measure,
            outputs,
        } => sensitivity::commands::tornado(&scenario, &ranges, &measure, &outputs),
        Config::Solve {
            scenario,
            vary,
            target,
            outputs,
        } => sensitivity::commands::solve(&scenario, &vary, &target, &outputs),
        Config::Print(text) => {
            emit(&text, None)?;
            Ok(exit::SUCCESS)
        }
        Config::Schema(output) => {
            let text = match output {
                None => scenario::schema::scenario_schema_text(),
                Some(command) => crate::export::schema::schemas()
                    .into_iter()
                    .find(|(name, _)| *name == command)
                    .map(|(_, schema)| crate::export::schema::schema_text(&schema))
                    .unwrap_or_default(),
            };
            emit(text.as_bytes(), None)?;
            Ok(exit::SUCCESS)
        }
        Config::Explain {
            scenario,
            figure,
            depth,
            outputs,
        } => {
            let scenario = load(&scenario)?;
            refuse_clashes(&outputs.files(), files_of(&scenario))?;
            let explanation = crate::explain::explanation(&scenario, &figure, depth.max(1))?;
            emit_all(
                &outputs,
                Format::Table,
                |format| crate::explain::render(&explanation, format),
                plain,
            )?;
            Ok(exit::SUCCESS)
        }
        Config::Init { template, file } => {
            crate::init::write(template, &file)?;
            eprintln!(
                "wrote {}: every input is a placeholder to replace; run it with `tec-model run {}`",
                file.display(),
                file.display()
            );
            Ok(exit::SUCCESS)
        }
        Config::Report {
            scenario,
            simulate,
            seed,
            fixtures,
            output,
        } => html_report(&scenario, simulate, seed, fixtures, output.as_deref()),
    }
}

/// `tec-model report`: the case, its checks, the default tornado and, with `--simulate`, the
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
    refuse_clashes(&output.into_iter().collect::<Vec<_>>(), inputs)?;
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
    // Every draw for `--samples`; else enough draws for the run's own sensitivity (and the
    // achieved correlations).
    let keep_inputs = if config.samples.is_some() {
        u64::MAX
    } else {
        crate::simulate::collect::INFLUENCE_SAMPLE as u64
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
    // none may be an input or another.
    let mut files: Vec<&Path> = config.samples.as_deref().into_iter().collect();
    files.extend(config.outputs.files());
    refuse_clashes(&files, files_of(&scenario))?;
    let mut samples_out = config.samples.as_deref().map(Pending::create).transpose()?;
    let report_out = config.outputs.open(Format::Table)?;
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
        crate::terminal::warn(format!("{}: {warning}", scenario.path().display()));
    }
    let workbook = crate::sensitivity::commands::wants_xlsx(&config.outputs)
        .then(|| crate::workbook::of::simulation(&report))
        .transpose()?;
    if let Some(pending) = samples_out {
        pending.commit()?;
    }
    report_out.write(
        |format| match (format, &workbook) {
            (Format::Xlsx, Some(bytes)) => bytes.clone(),
            (Format::Svg, _) => {
                crate::chart::of::simulation(&report, config.chart, target, "simulate").into_bytes()
            }
            (_, _) => render::render(&report, format),
        },
        plain,
    )?;
    Ok(exit::SUCCESS)
}

/// `tec-model sensitivity`.
fn sensitivity(config: crate::cli::SensitivityConfig) -> Result<u8, AppError> {
    let scenario = load(&config.scenario)?;
    Report::build(&scenario)?;
    refuse_clashes(&config.outputs.files(), files_of(&scenario))?;
    let figures = crate::sobol::figures(&scenario, &config.figures)?;
    let settings = crate::sobol::Settings {
        base: config.samples.unwrap_or(crate::sobol::DEFAULT_BASE),
        seed: config.seed.or(scenario.uncertainty.seed).unwrap_or(1),
        design: config.design,
        resamples: crate::sobol::RESAMPLES,
    };
    let report = crate::sobol::analyse(&scenario, figures, &settings).map_err(|e| match e {
        crate::sobol::SobolError::Output(e) => AppError::from(e),
        other => AppError::Sobol(other),
    })?;
    emit_all(
        &config.outputs,
        Format::Table,
        |format| crate::sobol::render::render(&report, format),
        plain,
    )?;
    Ok(exit::SUCCESS)
}

/// `tec-model voi`.
fn voi(config: crate::cli::VoiConfig) -> Result<u8, AppError> {
    let options = config
        .scenarios
        .iter()
        .map(|f| load(f))
        .collect::<Result<Vec<_>, _>>()?;
    for scenario in &options {
        Report::build(scenario)?;
    }
    refuse_clashes(&config.outputs.files(), options.iter().flat_map(files_of))?;
    let figures = crate::voi::figure(&options, config.measure.as_deref())?;
    let settings = crate::voi::Settings {
        iterations: config.iterations.unwrap_or(crate::voi::DEFAULT_ITERATIONS),
        seed: config.seed.or(options[0].uncertainty.seed).unwrap_or(1),
    };
    let report = crate::voi::analyse(&options, figures, &settings).map_err(|e| match e {
        crate::voi::VoiError::Output(e) => AppError::from(e),
        other => AppError::Voi(other),
    })?;
    emit_all(
        &config.outputs,
        Format::Table,
        |format| crate::voi::render::render(&report, format),
        plain,
    )?;
    Ok(exit::SUCCESS)
}
