//! Command-line arguments (clap), turned into a validated [`Config`] the library runs.
//!
//! The engine never sees clap types: `Cli::into_config` is the only bridge. The rules for
//! outputs (`-o`, `--format`) are in [`outputs`], the help's examples in [`help`], shell
//! completion and the man page in [`completion`].

pub mod completion;
pub mod help;
pub mod outputs;

use crate::export::Format;
use crate::output::set::Outputs;
use crate::scenario::uncertain::Sampling;
use clap::{Args, Parser, Subcommand, ValueEnum, ValueHint};
use clap_complete::engine::ArgValueCompleter;
use rust_decimal::Decimal;
use std::path::PathBuf;

pub use outputs::UsageError;

/// `--version`: the version and the commit it was built from (`build.rs`), so that a CI log
/// ties a figure to a build.
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("TEC_MODEL_COMMIT"),
    ")"
);

#[derive(Debug, Parser)]
#[command(
    name = "tec-model",
    version = VERSION,
    about = "Business cases for Technology Enabled Care in adult social care",
    long_about = help::LONG_ABOUT,
    after_help = help::EXIT_CODES,
    after_long_help = help::EXAMPLES,
)]
pub struct Cli {
    /// Print no warnings or progress on standard error (errors still print).
    #[arg(long, short, global = true, help_heading = "Global options")]
    pub quiet: bool,
    /// Colour RAG status and failed checks in tables on a terminal.
    ///
    /// `auto` colours only when standard output is a terminal and NO_COLOR is unset or
    /// empty; files and pipes are never coloured.
    #[arg(long, global = true, value_enum, value_name = "WHEN", default_value_t = ColorArg::Auto,
          help_heading = "Global options")]
    pub color: ColorArg,
    /// Write tables at full width on a terminal too (files and pipes always get it).
    ///
    /// On a terminal a table wider than it (COLUMNS, else the terminal's own width) is split
    /// into blocks of year columns that repeat the labels, or has its cells wrapped, and
    /// notes are wrapped; `--wide` keeps every line whole.
    #[arg(long, global = true, help_heading = "Global options")]
    pub wide: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorArg {
    Auto,
    Always,
    Never,
}

/// Where and in which form a command writes: shared by every command.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Output")]
pub struct OutputArgs {
    /// Output format [default: from the extension of -o, else the command's usual form].
    ///
    /// The usual form is a table (sweep: CSV, or a table when two inputs vary). With one -o,
    /// --format must agree with its extension; with several -o it is refused, each taking its
    /// format from its extension.
    #[arg(long, short, value_enum)]
    pub format: Option<FormatArg>,
    /// Write to FILE (atomically) instead of standard output; `-` is standard output.
    ///
    /// Repeat to write several outputs from one run, each in the format of its extension
    /// (.csv, .json, .md; `-` is the usual form): `-o case.csv -o case.json`. No output may be
    /// an input, or the same file as another, and `-` may be given once.
    #[arg(long, short, value_name = "FILE", value_hint = ValueHint::FilePath)]
    pub output: Vec<PathBuf>,
    /// Write CSV files without the UTF-8 byte-order mark.
    ///
    /// A CSV file starts with the mark so that Excel reads `£` and `±` correctly; standard
    /// output, pipes and devices never get one.
    #[arg(long)]
    pub no_bom: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the year-by-year table of a scenario's business case.
    #[command(after_long_help = help::RUN)]
    Run {
        /// The scenario file (YAML); `-` reads it from standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Compare published figures with the model's (fixture files or a folder of them).
    #[command(after_long_help = help::CHECK)]
    Check {
        /// Fixture files or folders of them.
        #[arg(required_unless_present = "list_measures", value_hint = ValueHint::AnyPath)]
        fixtures: Vec<PathBuf>,
        /// Print every measure name a fixture can read, and stop.
        #[arg(long, conflicts_with = "fixtures")]
        list_measures: bool,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Monte Carlo over the scenario's uncertain inputs: risk figures, seeded and parallel.
    #[command(after_long_help = help::SIMULATE)]
    Simulate {
        /// The scenario file (YAML) with an `uncertain` section; `-` reads standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        /// Iterations (default: the file's `simulation.iterations`, else 10,000).
        #[arg(long, short = 'n', allow_negative_numbers = true, value_parser = parse_iterations)]
        iterations: Option<u64>,
        /// Seed, 0 to 2^64 - 1 (default: the file's `simulation.seed`, else 1).
        ///
        /// Never taken from the clock: the same seed gives the same figures on any machine
        /// and thread count.
        #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
        seed: Option<u64>,
        /// Sampling method (default: the file's `simulation.sampling`, else random).
        #[arg(long, value_enum)]
        sampling: Option<SamplingArg>,
        /// Report the probability that cumulative net benefit reaches this amount.
        ///
        /// May be negative: `--target -500000`.
        #[arg(long, allow_negative_numbers = true, value_parser = parse_amount)]
        target: Option<Decimal>,
        /// Stop when the standard error of mean cumulative net benefit is below this amount.
        #[arg(long, allow_negative_numbers = true, value_parser = parse_positive_amount)]
        precision: Option<Decimal>,
        /// Write every iteration's inputs and outputs to this CSV file (atomically).
        #[arg(long, value_name = "FILE.csv", value_hint = ValueHint::FilePath)]
        samples: Option<PathBuf>,
        /// With an SVG output: the fan chart by year (default), or the horizon's histogram or
        /// S-curve (cdf).
        #[arg(long, value_enum)]
        chart: Option<ChartArg>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// List a scenario's inputs: path, value(s) and provenance.
    #[command(after_long_help = help::INPUTS)]
    Inputs {
        /// The scenario file (YAML); `-` reads it from standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Compare scenarios side by side: users, benefit, cost, offsets, net, NPV, payback.
    #[command(after_long_help = help::COMPARE)]
    Compare {
        /// Scenario files (YAML), one column each; one of them may be `-` (standard input).
        #[arg(required = true, value_hint = ValueHint::FilePath)]
        scenarios: Vec<PathBuf>,
        /// The business-as-usual option: each scenario is shown beside its difference from
        /// it, ranked by incremental NPV (the Green Book's economic case).
        #[arg(long, value_hint = ValueHint::FilePath)]
        baseline: Option<PathBuf>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Evaluate a grid of input values: a row per point, or a two-way table for two inputs.
    #[command(after_long_help = help::SWEEP)]
    Sweep {
        /// The scenario file (YAML); `-` reads it from standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        /// An input and its values: `path=from..to:steps` or `path=v1,v2,...`.
        ///
        /// `from..to:steps` is that many values, both ends included; `path[2023/24]` is one
        /// year of a series. Repeat for a grid (the first moves slowest).
        #[arg(long, required_unless_present = "points", value_name = "INPUT=FROM..TO:STEPS",
              add = ArgValueCompleter::new(completion::input_values))]
        vary: Vec<String>,
        /// Design points instead of a grid: a CSV file, a column per input path, a row per point.
        ///
        /// The header names input paths as `--vary` does; every value is checked against its
        /// input's range before anything runs, and the points are evaluated in the file's order
        /// (e.g. a SALib or scipy design).
        #[arg(long, conflicts_with = "vary", value_name = "POINTS.csv", value_hint = ValueHint::FilePath)]
        points: Option<PathBuf>,
        /// Outputs, comma-separated [default: summary.cumulative_net,summary.npv,summary.payback_year].
        #[arg(long, value_name = "OUTPUT,...", add = ArgValueCompleter::new(completion::output_list))]
        outputs: Option<String>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Move each input alone from low to high; rank inputs by the swing in an output.
    #[command(after_long_help = help::TORNADO)]
    Tornado {
        /// The scenario file (YAML); `-` reads it from standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        /// An input's range, `path=low..high`; repeat.
        ///
        /// Without any, each uncertain input moves from its P10 to its P90 and every other
        /// input ±20% of its base value (clamped to its allowed range).
        #[arg(long, value_name = "INPUT=LOW..HIGH", add = ArgValueCompleter::new(completion::input_values))]
        range: Vec<String>,
        /// The output whose swing ranks the inputs.
        #[arg(long, alias = "measure", value_name = "OUTPUT", default_value = "summary.cumulative_net",
              add = ArgValueCompleter::new(completion::output_name))]
        output_measure: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Find the switching value: the value of an input at which an output meets a target.
    #[command(after_long_help = help::SOLVE)]
    Solve {
        /// The scenario file (YAML); `-` reads it from standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        /// The input to move, e.g. `benefits.care_hours.hours_per_week`.
        #[arg(long, value_name = "INPUT", add = ArgValueCompleter::new(completion::input_path))]
        vary: String,
        /// The output and its target, e.g. `summary.cumulative_net=2000000`.
        #[arg(long, value_name = "OUTPUT=VALUE", add = ArgValueCompleter::new(completion::output_name))]
        target: String,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Variance-based sensitivity: each uncertain input's share of an output's variance
    /// (Sobol' first- and total-order indices, with bootstrap intervals).
    #[command(after_long_help = help::SENSITIVITY)]
    Sensitivity {
        /// The scenario file (YAML) with an `uncertain` section; `-` reads standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        /// Amount outputs, comma-separated or repeated [default: summary.cumulative_net,summary.npv].
        #[arg(long, alias = "measure", value_name = "OUTPUT",
              add = ArgValueCompleter::new(completion::output_list))]
        output_measure: Vec<String>,
        /// Base samples N, a power of two from 2 to 2^20 [default: 16384].
        ///
        /// The run evaluates the model N x (inputs + 2) times (Saltelli's design).
        #[arg(long, short = 'n', allow_negative_numbers = true, value_parser = parse_base_samples)]
        samples: Option<u64>,
        /// Seed, 0 to 2^64 - 1 (default: the file's `simulation.seed`, else 1).
        #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
        seed: Option<u64>,
        /// How the two base samples are drawn.
        #[arg(long, value_enum, default_value = "random")]
        sampling: DesignArg,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Value of information: for options sharing uncertain inputs (or one scenario against
    /// doing nothing), the probability each is best, EVPI and EVPPI per input.
    #[command(after_long_help = help::VOI)]
    Voi {
        /// The options' scenario files (YAML); one file is weighed against doing nothing.
        ///
        /// One of them may be `-` (standard input).
        #[arg(required = true, value_hint = ValueHint::FilePath)]
        scenarios: Vec<PathBuf>,
        /// The amount whose expectation decides [default: summary.npv].
        #[arg(long, alias = "measure", value_name = "OUTPUT",
              add = ArgValueCompleter::new(completion::output_name))]
        output_measure: Option<String>,
        /// Draws shared by every option, 2 to 10^7 [default: 100000].
        #[arg(long, short = 'n', allow_negative_numbers = true, value_parser = parse_voi_iterations)]
        iterations: Option<u64>,
        /// Seed, 0 to 2^64 - 1 (default: the first file's `simulation.seed`, else 1).
        #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
        seed: Option<u64>,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// One self-contained HTML report (charts, inputs, checks) for a Cabinet pack.
    #[command(after_long_help = help::REPORT)]
    Report {
        /// The scenario file (YAML); `-` reads it from standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        scenario: PathBuf,
        /// Run this many Monte Carlo iterations for the risk figures and charts.
        #[arg(long, value_parser = parse_iterations)]
        simulate: Option<u64>,
        /// The Monte Carlo seed (default: the file's, else 1).
        #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
        seed: Option<u64>,
        /// Published-figure fixtures (a file or folder) to check and show.
        #[arg(long, value_hint = ValueHint::AnyPath)]
        fixtures: Option<PathBuf>,
        /// Write to this file (.html, atomically) instead of standard output.
        #[arg(long, short, value_name = "FILE.html", value_hint = ValueHint::FilePath)]
        output: Option<PathBuf>,
    },
    /// Track actuals against a plan (benefits realisation) and re-forecast the remaining years.
    #[command(after_long_help = help::TRACK)]
    Track {
        /// The approved plan (a scenario file, YAML); `-` reads it from standard input.
        #[arg(value_hint = ValueHint::FilePath)]
        plan: PathBuf,
        /// The actuals (CSV: a `period` column and one column per figure reported).
        #[arg(value_hint = ValueHint::FilePath)]
        actuals: PathBuf,
        /// RAG thresholds as shares of plan, e.g. green=0.05,amber=0.15 (overrides the plan's).
        #[arg(long, value_name = "green=G,amber=A")]
        rag: Option<String>,
        /// The date the actuals run to, e.g. 2021-12-31 (default: the end of the last period).
        #[arg(long, value_name = "DATE")]
        as_at: Option<String>,
        /// Re-forecast with actual unit costs (cost per install) instead of the plan's.
        #[arg(long)]
        actual_rates: bool,
        #[command(flatten)]
        out: OutputArgs,
    },
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    #[command(after_long_help = help::COMPLETIONS)]
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
        /// Print the dynamic script instead, which also completes input paths from the scenario
        /// on the line (`--vary benefits.<TAB>`) by asking tec-model at each <TAB>.
        #[arg(long)]
        dynamic: bool,
    },
    /// Print the manual page (roff), of tec-model or of one of its commands.
    #[command(after_long_help = help::MAN)]
    Man {
        /// A command, for its own page (`tec-model man run`).
        command: Option<String>,
    },
    /// Print the JSON Schema of the scenario format (for editors: VS Code's YAML extension),
    /// or of a command's JSON output (`tec-model schema run`).
    Schema {
        /// A command whose `--format json` output to describe: run, check, simulate, inputs,
        /// compare, compare-baseline, sweep, tornado, solve, track, sensitivity, voi or
        /// explain; none for the scenario format.
        #[arg(value_parser = clap::builder::PossibleValuesParser::new(crate::export::schema::COMMANDS))]
        output: Option<String>,
    },
    /// Write a commented starter scenario that runs as it is (refuses an existing file).
    Init {
        /// The shape of case: care-hours, per-user or contract.
        #[arg(long, short, value_enum, default_value = "care-hours")]
        template: crate::init::Template,
        /// The scenario file to write (YAML); must not exist.
        file: PathBuf,
    },
    /// Show how one figure is made: its formula, the values in it and their provenance.
    Explain {
        /// The scenario file (YAML).
        scenario: PathBuf,
        /// The figure, e.g. `year.2021/22.benefit.care_hours`, `year.2021/22.net` or `summary.npv`.
        figure: String,
        /// Levels of the formula to show below the figure.
        #[arg(long, default_value_t = 6)]
        depth: usize,
        #[command(flatten)]
        out: OutputArgs,
    },
}

/// What `simulate` was asked for; unset values fall back to the scenario file, then defaults.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulateConfig {
    pub scenario: PathBuf,
    pub iterations: Option<u64>,
    pub seed: Option<u64>,
    pub sampling: Option<Sampling>,
    pub target: Option<Decimal>,
    pub precision: Option<Decimal>,
    pub samples: Option<PathBuf>,
    /// The chart an SVG output draws.
    pub chart: crate::chart::of::SimulationChart,
    pub outputs: Outputs,
}

/// What `sensitivity` was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct SensitivityConfig {
    pub scenario: PathBuf,
    /// `--output-measure`: the amounts analysed.
    pub figures: Vec<String>,
    pub samples: Option<u64>,
    pub seed: Option<u64>,
    pub design: crate::sobol::design::Design,
    pub outputs: Outputs,
}

/// What `voi` was asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct VoiConfig {
    pub scenarios: Vec<PathBuf>,
    /// `--output-measure`: the amount whose expectation decides.
    pub measure: Option<String>,
    pub iterations: Option<u64>,
    pub seed: Option<u64>,
    pub outputs: Outputs,
}

/// `sensitivity --sampling`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DesignArg {
    /// Seeded random draws.
    Random,
    /// A Sobol' low-discrepancy sequence, digitally shifted by the seed.
    Sobol,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SamplingArg {
    Random,
    LatinHypercube,
}

// Every number on the command line is read by the one rule of `crate::literal`, as in files.

/// A seed: a whole number from 0 to 2^64 - 1 (so `-1` is read, and refused, as a number
/// rather than taken for an option).
fn parse_seed(text: &str) -> Result<u64, String> {
    if text.trim().starts_with('-') {
        return Err(format!(
            "a seed is a whole number from 0 to {} (2^64 - 1); `{}` is not one",
            u64::MAX,
            crate::excerpt::excerpt(text.trim())
        ));
    }
    parse_whole(text).map_err(|m| {
        format!(
            "a seed is a whole number from 0 to {} (2^64 - 1); `{}` is not one: {m}",
            u64::MAX,
            crate::excerpt::excerpt(text.trim())
        )
    })
}
fn parse_amount(text: &str) -> Result<Decimal, String> {
    crate::literal::decimal(text)
}

fn parse_whole(text: &str) -> Result<u64, String> {
    crate::literal::whole(text)
}

fn parse_iterations(text: &str) -> Result<u64, String> {
    let iterations = parse_whole(text)?;
    crate::simulate::limits::check_range(iterations)?;
    Ok(iterations)
}

/// Sobol' base samples: a power of two from 2 to 2^20.
fn parse_base_samples(text: &str) -> Result<u64, String> {
    let n = parse_whole(text)?;
    let max = crate::sobol::MAX_BASE;
    if n < 2 || n > max || !n.is_power_of_two() {
        return Err(format!(
            "the base samples must be a power of two from 2 to {max} (2^20), such as 1024, 8192 or 16384; got {n}"
        ));
    }
    Ok(n)
}

fn parse_voi_iterations(text: &str) -> Result<u64, String> {
    let n = parse_whole(text)?;
    let max = crate::voi::MAX_ITERATIONS;
    if !(2..=max).contains(&n) {
        return Err(format!("must be from 2 to {max}, got {n}"));
    }
    Ok(n)
}

fn parse_positive_amount(text: &str) -> Result<Decimal, String> {
    let value = parse_amount(text)?;
    if value <= Decimal::ZERO {
        return Err(format!("must be above zero, got {value}"));
    }
    Ok(value)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartArg {
    Fan,
    Histogram,
    Cdf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Csv,
    Json,
    Markdown,
    /// An Excel workbook (`run`: the model as formulas).
    Xlsx,
    /// An SVG chart.
    Svg,
}

/// What to do, validated and free of clap types. `outputs` are where a command writes (each
/// with its format; `None`, the command's usual one).
#[derive(Debug, Clone, PartialEq)]
pub enum Config {
    Run {
        scenario: PathBuf,
        outputs: Outputs,
    },
    Check {
        fixtures: Vec<PathBuf>,
        outputs: Outputs,
    },
    /// `check --list-measures`.
    ListMeasures,
    Inputs {
        scenario: PathBuf,
        outputs: Outputs,
    },
    Simulate(SimulateConfig),
    Sensitivity(SensitivityConfig),
    Voi(VoiConfig),
    Track {
        plan: PathBuf,
        actuals: PathBuf,
        outputs: Outputs,
        options: crate::track::TrackOptions,
    },
    Compare {
        scenarios: Vec<PathBuf>,
        baseline: Option<PathBuf>,
        outputs: Outputs,
    },
    Sweep {
        scenario: PathBuf,
        vary: Vec<String>,
        /// `--points`: design points instead of a grid.
        points: Option<PathBuf>,
        /// `--outputs`: the figures of each point.
        figures: Option<String>,
        /// A format left `None`: the sweep chooses (a two-way table for two inputs, else CSV).
        outputs: Outputs,
    },
    Tornado {
        scenario: PathBuf,
        ranges: Vec<String>,
        measure: String,
        outputs: Outputs,
    },
    Solve {
        scenario: PathBuf,
        vary: String,
        target: String,
        outputs: Outputs,
    },
    /// Text made from the command-line definition itself (a completion script, a man page),
    /// printed as it is.
    Print(Vec<u8>),
    /// The scenario format's schema, or a command output's.
    Schema(Option<String>),
    Init {
        template: crate::init::Template,
        file: PathBuf,
    },
    Explain {
        scenario: PathBuf,
        figure: String,
        depth: usize,
        outputs: Outputs,
    },
    Report {
        scenario: PathBuf,
        simulate: Option<u64>,
        seed: Option<u64>,
        fixtures: Option<PathBuf>,
        output: Option<PathBuf>,
    },
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
            FormatArg::Xlsx => Format::Xlsx,
            FormatArg::Svg => Format::Svg,
        }
    }
}

impl OutputArgs {
    fn into_outputs(self) -> Result<Outputs, UsageError> {
        outputs::outputs(self.format.map(Format::from), self.output, !self.no_bom)
    }

    /// The outputs, each in a format `command` writes: the text formats, and those in `extra`.
    fn offered(self, command: &'static str, extra: &[Format]) -> Result<Outputs, UsageError> {
        let outputs = self.into_outputs()?;
        for spec in &outputs.specs {
            if let Some(format) = spec.format {
                outputs::offered(command, format, extra)?;
            }
        }
        Ok(outputs)
    }
}
impl Cli {
    /// The validated configuration, or the usage error that makes the arguments senseless.
    /// Records `--quiet` and `--color` for the process.
    pub fn into_config(self) -> Result<Config, UsageError> {
        crate::terminal::set_quiet(self.quiet);
        crate::fit::set_wide(self.wide);
        crate::terminal::set_colour(match self.color {
            ColorArg::Auto => crate::terminal::ColourChoice::Auto,
            ColorArg::Always => crate::terminal::ColourChoice::Always,
            ColorArg::Never => crate::terminal::ColourChoice::Never,
        });
        Ok(match self.command {
            Command::Run { scenario, out } => Config::Run {
                scenario,
                outputs: out.offered("run", &[Format::Xlsx])?,
            },
            Command::Check {
                list_measures: true,
                ..
            } => Config::ListMeasures,
            Command::Check { fixtures, out, .. } => Config::Check {
                fixtures,
                outputs: out.offered("check", &[])?,
            },
            Command::Inputs { scenario, out } => Config::Inputs {
                scenario,
                outputs: out.offered("inputs", &[])?,
            },
            Command::Simulate {
                scenario,
                iterations,
                seed,
                sampling,
                target,
                precision,
                samples,
                chart,
                out,
            } => {
                let outputs = out.offered("simulate", &[Format::Xlsx, Format::Svg])?;
                if chart.is_some() && !outputs.specs.iter().any(|s| s.format == Some(Format::Svg)) {
                    return Err(UsageError::ChartWithoutSvg);
                }
                Config::Simulate(SimulateConfig {
                    scenario,
                    iterations,
                    seed,
                    sampling: sampling.map(|s| match s {
                        SamplingArg::Random => Sampling::Random,
                        SamplingArg::LatinHypercube => Sampling::LatinHypercube,
                    }),
                    target,
                    precision,
                    samples: outputs::samples_path(samples)?,
                    chart: match chart {
                        None | Some(ChartArg::Fan) => crate::chart::of::SimulationChart::Fan,
                        Some(ChartArg::Histogram) => crate::chart::of::SimulationChart::Histogram,
                        Some(ChartArg::Cdf) => crate::chart::of::SimulationChart::Cdf,
                    },
                    outputs,
                })
            }
            Command::Sensitivity {
                scenario,
                output_measure,
                samples,
                seed,
                sampling,
                out,
            } => Config::Sensitivity(SensitivityConfig {
                scenario,
                figures: output_measure,
                samples,
                seed,
                design: match sampling {
                    DesignArg::Random => crate::sobol::design::Design::Random,
                    DesignArg::Sobol => crate::sobol::design::Design::Sobol,
                },
                outputs: out.offered("sensitivity", &[])?,
            }),
            Command::Voi {
                scenarios,
                output_measure,
                iterations,
                seed,
                out,
            } => {
                outputs::stdin_once(&scenarios)?;
                Config::Voi(VoiConfig {
                    outputs: out.offered("voi", &[])?,
                    scenarios,
                    measure: output_measure,
                    iterations,
                    seed,
                })
            }
            Command::Track {
                plan,
                actuals,
                rag,
                as_at,
                actual_rates,
                out,
            } => Config::Track {
                outputs: out.offered("track", &[Format::Xlsx, Format::Svg])?,
                plan,
                actuals,
                options: crate::track::TrackOptions {
                    as_at,
                    rag,
                    actual_rates,
                },
            },
            Command::Compare {
                scenarios,
                baseline,
                out,
            } => {
                outputs::stdin_once(&scenarios)?;
                Config::Compare {
                    outputs: out.offered("compare", &[Format::Xlsx])?,
                    scenarios,
                    baseline,
                }
            }
            Command::Sweep {
                scenario,
                vary,
                points,
                outputs,
                out,
            } => Config::Sweep {
                outputs: out.offered("sweep", &[Format::Xlsx, Format::Svg])?,
                scenario,
                vary,
                points,
                figures: outputs,
            },
            Command::Tornado {
                scenario,
                range,
                output_measure,
                out,
            } => Config::Tornado {
                outputs: out.offered("tornado", &[Format::Xlsx, Format::Svg])?,
                scenario,
                ranges: range,
                measure: output_measure,
            },
            Command::Report {
                scenario,
                simulate,
                seed,
                fixtures,
                output,
            } => {
                outputs::report_path(output.as_ref())?;
                Config::Report {
                    scenario,
                    simulate,
                    seed,
                    fixtures,
                    output,
                }
            }
            Command::Solve {
                scenario,
                vary,
                target,
                out,
            } => Config::Solve {
                outputs: out.offered("solve", &[])?,
                scenario,
                vary,
                target,
            },
            Command::Completions { shell, dynamic } => {
                Config::Print(completion::script(shell, dynamic))
            }
            Command::Man { command } => Config::Print(completion::man_page(command.as_deref())?),
            Command::Schema { output } => Config::Schema(output),
            Command::Init { template, file } => Config::Init { template, file },
            Command::Explain {
                scenario,
                figure,
                depth,
                out,
            } => Config::Explain {
                scenario,
                figure,
                depth,
                outputs: out.offered("explain", &[])?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_argument_of_every_command_has_a_description() {
        let mut root = Cli::command();
        root.build();
        for command in std::iter::once(&root).chain(root.get_subcommands()) {
            for arg in command.get_arguments().filter(|a| !a.is_hide_set()) {
                let help = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
                assert!(
                    !help.trim().is_empty(),
                    "`{} {}` has no description",
                    command.get_name(),
                    arg.get_id()
                );
            }
            if command.get_name() != "help" {
                assert!(command.get_about().is_some(), "{}", command.get_name());
            }
        }
    }

    #[test]
    fn every_example_in_the_help_is_a_valid_command_line() {
        let texts = [
            help::EXAMPLES,
            help::RUN,
            help::CHECK,
            help::SIMULATE,
            help::INPUTS,
            help::COMPARE,
            help::SWEEP,
            help::TORNADO,
            help::SOLVE,
            help::TRACK,
            help::SENSITIVITY,
            help::VOI,
        ];
        let mut seen = 0;
        for text in texts {
            for line in text.lines() {
                // `cat s.yaml | tec-model run -` and `tec-model run - < s.yaml`: the command.
                let Some(at) = line.find("tec-model ") else {
                    continue;
                };
                let command = line[at..].split(" < ").next().unwrap_or_default();
                if command.contains('`') {
                    continue;
                }
                let words: Vec<&str> = command.split_whitespace().collect();
                let parsed = Cli::try_parse_from(&words)
                    .map_err(|e| e.to_string())
                    .and_then(|cli| cli.into_config().map_err(|e| e.to_string()));
                assert!(parsed.is_ok(), "{line}: {parsed:?}");
                seen += 1;
            }
        }
        assert!(seen >= 25, "{seen} examples");
    }

    #[test]
    fn the_man_install_lines_name_every_command() {
        let listed = help::MAN
            .split_once("for c in ")
            .and_then(|(_, rest)| rest.split_once("; do"))
            .map(|(list, _)| list.split_whitespace().collect::<Vec<_>>())
            .expect("a loop over the commands");
        let root = Cli::command();
        let commands: Vec<&str> = root
            .get_subcommands()
            .map(|c| c.get_name())
            .filter(|c| !matches!(*c, "help" | "man" | "completions"))
            .collect();
        assert_eq!(
            listed, commands,
            "`tec-model man --help` lists every command"
        );
    }

    #[test]
    fn output_extension_chooses_the_format() {
        let format_of = |args: &[&str]| match Cli::parse_from(args).into_config().unwrap() {
            Config::Run { outputs, .. } => outputs.specs[0].format,
            other => panic!("{other:?}"),
        };
        let csv = format_of(&["tec-model", "run", "s.yaml", "--output", "out.CSV"]);
        assert_eq!(csv, Some(Format::Csv));
        let json = format_of(&["tec-model", "run", "s.yaml", "-o", "out.json", "-f", "json"]);
        assert_eq!(json, Some(Format::Json));
    }

    #[test]
    fn every_command_takes_format_and_several_outputs() {
        for command in [
            &["run", "s.yaml"][..],
            &["check", "fixtures"],
            &["inputs", "s.yaml"],
            &["simulate", "s.yaml"],
            &["compare", "a.yaml", "b.yaml"],
            &["sweep", "s.yaml", "--vary", "x=1,2"],
            &["tornado", "s.yaml"],
            &["solve", "s.yaml", "--vary", "x", "--target", "npv=0"],
            &["track", "s.yaml", "a.csv"],
            &["sweep", "s.yaml", "--points", "p.csv"],
            &["sensitivity", "s.yaml"],
            &["voi", "a.yaml", "b.yaml"],
        ] {
            let mut args = vec!["tec-model"];
            args.extend(command);
            let mut one = args.clone();
            one.extend(["--format", "json", "-o", "-"]);
            Cli::try_parse_from(&one).unwrap().into_config().unwrap();
            args.extend(["-o", "a.csv", "-o", "b.md", "--no-bom"]);
            Cli::try_parse_from(&args).unwrap().into_config().unwrap();
        }
    }

    #[test]
    fn a_format_that_contradicts_or_cannot_be_told_from_the_extension_is_refused() {
        let config = |args: &[&str]| Cli::parse_from(args).into_config();
        let mismatch = config(&["tec-model", "run", "s.yaml", "-o", "r.json", "-f", "csv"]);
        assert!(matches!(mismatch, Err(UsageError::FormatMismatch { .. })));
        let unknown = config(&["tec-model", "run", "s.yaml", "-o", "report.xls"]);
        let message = unknown.unwrap_err().to_string();
        assert!(
            message.contains("`.xls`") && message.contains("Excel workbooks as .xlsx"),
            "{message}"
        );
        let workbook = config(&["tec-model", "run", "s.yaml", "-o", "report.xlsx"]);
        let Ok(Config::Run { outputs, .. }) = workbook else {
            panic!("-o report.xlsx is a workbook")
        };
        assert_eq!(outputs.specs[0].format, Some(Format::Xlsx));
        let chart = config(&["tec-model", "check", "fixtures", "-f", "svg"]);
        assert!(matches!(chart, Err(UsageError::FormatNotOffered { .. })));
        assert!(config(&["tec-model", "run", "s.yaml", "-o", "r.txt"]).is_err());
        assert!(config(&["tec-model", "run", "s.yaml", "-o", "r.txt", "-f", "table"]).is_ok());
        assert!(config(&["tec-model", "run", "s.yaml", "-o", "/dev/stdout"]).is_ok());
        let samples = config(&["tec-model", "simulate", "s.yaml", "--samples", "s.json"]);
        assert!(matches!(samples, Err(UsageError::SamplesExtension { .. })));
    }

    #[test]
    fn numbers_on_the_command_line_follow_the_one_rule() {
        let simulate = |args: &[&str]| {
            let mut all = vec!["tec-model", "simulate", "s.yaml"];
            all.extend(args);
            Cli::try_parse_from(all)
                .map_err(|e| e.to_string())
                .and_then(|cli| cli.into_config().map_err(|e| e.to_string()))
        };
        let Ok(Config::Simulate(config)) = simulate(&[
            "-n",
            "1e6",
            "--seed",
            "05",
            "--target",
            "2e6",
            "--precision",
            "1.5e3",
        ]) else {
            panic!("1e6 iterations and the rest are numbers")
        };
        assert_eq!(config.iterations, Some(1_000_000));
        assert_eq!(config.seed, Some(5));
        assert_eq!(config.target, Some(Decimal::from(2_000_000)));
        assert_eq!(config.precision, Some(Decimal::from(1500)));
        for (args, message) in [
            (&["-n", "2.5"][..], "not a whole number"),
            (&["-n", "0x10"][..], "hexadecimal"),
            (&["-n", "0"][..], "must be from 1 to"),
            (&["--seed", "1_000"][..], "separators"),
            (&["--target", "1,000"][..], "separators"),
            (&["--target", "1e-30"][..], "too precise"),
        ] {
            let err = simulate(args).unwrap_err().to_string();
            assert!(err.contains(message), "{args:?}: {err}");
        }
    }
}
