//! Command-line arguments (clap), turned into a validated [`Config`] the library runs.
//!
//! The engine never sees clap types: `Cli::into_config` is the only bridge.

use crate::export::Format;
use crate::scenario::uncertain::Sampling;
use clap::{Parser, Subcommand, ValueEnum};
use rust_decimal::Decimal;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "tec-model",
    version,
    about = "Business cases for Technology Enabled Care in adult social care",
    after_help = "Exit codes: 0 success; 1 a check failed (or solve found no switching value); 2 bad input or usage; 3 internal error."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the year-by-year table of a scenario's business case.
    Run {
        /// The scenario file (YAML).
        scenario: PathBuf,
        /// Output form; by default taken from --output's extension, else a table.
        #[arg(long, short, value_enum)]
        format: Option<FormatArg>,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Compare published figures with the model's (fixture files or a folder of them).
    Check {
        /// Fixture files or folders of them.
        #[arg(required = true)]
        fixtures: Vec<PathBuf>,
        #[arg(long, short, value_enum)]
        format: Option<FormatArg>,
    },
    /// Monte Carlo over the scenario's uncertain inputs: risk figures, seeded and parallel.
    Simulate {
        /// The scenario file (YAML) with an `uncertain` section.
        scenario: PathBuf,
        /// Iterations (default: the file's `simulation.iterations`, else 10,000).
        #[arg(long, short = 'n', allow_negative_numbers = true, value_parser = parse_iterations)]
        iterations: Option<u64>,
        /// Seed, 0 to 2^64 - 1 (default: the file's `simulation.seed`, else 1). Never taken
        /// from the clock.
        #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
        seed: Option<u64>,
        /// Sampling method.
        #[arg(long, value_enum)]
        sampling: Option<SamplingArg>,
        /// Report the probability that cumulative net benefit reaches this amount (may be
        /// negative: `--target -500000`).
        #[arg(long, allow_negative_numbers = true, value_parser = parse_amount)]
        target: Option<Decimal>,
        /// Stop when the standard error of mean cumulative net benefit is below this amount.
        #[arg(long, allow_negative_numbers = true, value_parser = parse_positive_amount)]
        precision: Option<Decimal>,
        /// Write every iteration's inputs and outputs to this CSV file (atomically).
        #[arg(long)]
        samples: Option<PathBuf>,
        /// With --format svg: the fan chart by year (default), or the horizon's histogram or
        /// S-curve (cdf).
        #[arg(long, value_enum)]
        chart: Option<ChartArg>,
        #[arg(long, short, value_enum)]
        format: Option<FormatArg>,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// List a scenario's inputs: path, value(s) and provenance.
    Inputs { scenario: PathBuf },
    /// Compare scenarios side by side: users, benefit, cost, offsets, net, NPV, payback.
    Compare {
        /// Scenario files (YAML), one column each.
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
        #[arg(long, short, value_enum)]
        format: Option<FormatArg>,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Evaluate a grid of input values: a row per point, or a two-way table for two inputs.
    Sweep {
        scenario: PathBuf,
        /// An input and its values: `path=from..to:steps` (that many values, both ends
        /// included) or `path=v1,v2,...`; `path[2023/24]` is one year of a series. Repeat
        /// for a grid (the first moves slowest).
        #[arg(long, required = true, value_name = "INPUT=FROM..TO:STEPS")]
        vary: Vec<String>,
        /// Outputs, comma-separated [default: summary.cumulative_net,summary.npv,summary.payback_year].
        #[arg(long, value_name = "OUTPUT,...")]
        outputs: Option<String>,
        /// By default a two-way table for two inputs, else CSV.
        #[arg(long, short, value_enum)]
        format: Option<FormatArg>,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Move each input alone from low to high; rank inputs by the swing in an output.
    Tornado {
        scenario: PathBuf,
        /// An input's range, `path=low..high`; repeat. Without any, every input moves ±20%
        /// of its base value (clamped to its allowed range).
        #[arg(long, value_name = "INPUT=LOW..HIGH")]
        range: Vec<String>,
        /// The output whose swing ranks the inputs.
        #[arg(long, alias = "measure", default_value = "summary.cumulative_net")]
        output_measure: String,
        #[arg(long, short, value_enum)]
        format: Option<FormatArg>,
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Find the switching value: the value of an input at which an output meets a target.
    Solve {
        scenario: PathBuf,
        /// The input to move, e.g. `benefits.care_hours.hours_per_week`.
        #[arg(long, value_name = "INPUT")]
        vary: String,
        /// The output and its target, e.g. `summary.cumulative_net=2000000`.
        #[arg(long, value_name = "OUTPUT=VALUE")]
        target: String,
    },
    /// One self-contained HTML report (charts, inputs, checks) for a Cabinet pack.
    Report {
        scenario: PathBuf,
        /// Run this many Monte Carlo iterations for the risk figures and charts.
        #[arg(long, value_parser = parse_iterations)]
        simulate: Option<u64>,
        /// The Monte Carlo seed (default: the file's, else 1).
        #[arg(long, allow_negative_numbers = true, value_parser = parse_seed)]
        seed: Option<u64>,
        /// Published-figure fixtures (a file or folder) to check and show.
        #[arg(long)]
        fixtures: Option<PathBuf>,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Track actuals against a plan (benefits realisation) and re-forecast the remaining years.
    Track {
        /// The approved plan (a scenario file, YAML).
        plan: PathBuf,
        /// The actuals (CSV: a `period` column and one column per figure reported).
        actuals: PathBuf,
        /// Output form; by default taken from --output's extension, else a table.
        #[arg(long, short, value_enum)]
        format: Option<FormatArg>,
        /// Write to this file (atomically) instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
        /// RAG thresholds as shares of plan, e.g. green=0.05,amber=0.15 (overrides the plan's).
        #[arg(long)]
        rag: Option<String>,
        /// The date the actuals run to, e.g. 2021-12-31 (default: the end of the last period).
        #[arg(long)]
        as_at: Option<String>,
        /// Re-forecast with actual unit costs (cost per install) instead of the plan's.
        #[arg(long)]
        actual_rates: bool,
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
    /// The chart `--format svg` draws.
    pub chart: crate::chart::of::SimulationChart,
    pub format: Format,
    pub output: Option<PathBuf>,
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

/// What to do, validated and free of clap types.
#[derive(Debug, Clone, PartialEq)]
pub enum Config {
    Run {
        scenario: PathBuf,
        format: Format,
        output: Option<PathBuf>,
    },
    Check {
        fixtures: Vec<PathBuf>,
        format: Format,
    },
    Inputs {
        scenario: PathBuf,
    },
    Simulate(SimulateConfig),
    Track {
        plan: PathBuf,
        actuals: PathBuf,
        format: Format,
        output: Option<PathBuf>,
        options: crate::track::TrackOptions,
    },
    Compare {
        scenarios: Vec<PathBuf>,
        format: Format,
        output: Option<PathBuf>,
    },
    Sweep {
        scenario: PathBuf,
        vary: Vec<String>,
        outputs: Option<String>,
        /// `None`: the sweep chooses (a two-way table for two inputs, else CSV).
        format: Option<Format>,
        output: Option<PathBuf>,
    },
    Tornado {
        scenario: PathBuf,
        ranges: Vec<String>,
        measure: String,
        format: Format,
        output: Option<PathBuf>,
    },
    Solve {
        scenario: PathBuf,
        vary: String,
        target: String,
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

/// An argument that clap accepts but that makes no sense with the others (exit 2).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum UsageError {
    #[error(
        "{}: `--format {given}` does not match the file's extension `.{extension}` ({implied}); change one of them",
        path.display()
    )]
    FormatMismatch {
        path: PathBuf,
        given: &'static str,
        extension: String,
        implied: &'static str,
    },
    #[error(
        "{}: cannot tell the output format from the extension `.{extension}`{hint}; name the file .csv, .json, .md, .xlsx or .svg, or give --format (table, csv, json, markdown, xlsx or svg)",
        path.display()
    )]
    UnknownExtension {
        path: PathBuf,
        extension: String,
        hint: &'static str,
    },
    #[error(
        "{}: --samples writes CSV, but the file's extension is `.{extension}`; name it .csv",
        path.display()
    )]
    SamplesExtension { path: PathBuf, extension: String },
    #[error(
        "{}: report writes HTML, but the file's extension is `.{extension}`; name it .html",
        path.display()
    )]
    ReportExtension { path: PathBuf, extension: String },
    #[error("--chart draws an SVG chart: give --format svg (or -o chart.svg) with it")]
    ChartWithoutSvg,
    #[error("`{command}` does not write {format}; it writes {offered}")]
    FormatNotOffered {
        command: &'static str,
        format: &'static str,
        offered: String,
    },
}

/// `format` if `command` writes it: every command writes the text formats (table, csv, json,
/// markdown), and those named in `extra`.
fn offered(command: &'static str, format: Format, extra: &[Format]) -> Result<Format, UsageError> {
    let text = [Format::Table, Format::Csv, Format::Json, Format::Markdown];
    if text.contains(&format) || extra.contains(&format) {
        return Ok(format);
    }
    let offered: Vec<&str> = text.iter().chain(extra).map(|f| format_name(*f)).collect();
    Err(UsageError::FormatNotOffered {
        command,
        format: format_name(format),
        offered: offered.join(", "),
    })
}

fn offered_if_given(
    command: &'static str,
    format: Option<Format>,
    extra: &[Format],
) -> Result<Option<Format>, UsageError> {
    format.map(|f| offered(command, f, extra)).transpose()
}

fn format_name(format: Format) -> &'static str {
    match format {
        Format::Table => "table",
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Markdown => "markdown",
        Format::Xlsx => "xlsx",
        Format::Svg => "svg",
    }
}

/// The format an extension names, if it names one.
fn format_of_extension(extension: &str) -> Option<Format> {
    match extension {
        "csv" => Some(Format::Csv),
        "json" => Some(Format::Json),
        "md" | "markdown" => Some(Format::Markdown),
        "xlsx" => Some(Format::Xlsx),
        "svg" => Some(Format::Svg),
        _ => None,
    }
}

fn extension_of(path: &std::path::Path) -> Option<String> {
    path.extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
}

fn format_for(explicit: Option<FormatArg>, output: Option<&PathBuf>) -> Result<Format, UsageError> {
    Ok(format_if_given(explicit, output)?.unwrap_or(Format::Table))
}

/// The format asked for, or implied by `output`'s extension. A known extension that differs
/// from `--format` is refused, and so is an extension that names no format unless `--format`
/// says what to write (a path without an extension, such as `/dev/stdout`, needs neither).
fn format_if_given(
    explicit: Option<FormatArg>,
    output: Option<&PathBuf>,
) -> Result<Option<Format>, UsageError> {
    let explicit = explicit.map(Format::from);
    let Some(path) = output else {
        return Ok(explicit);
    };
    let Some(extension) = extension_of(path) else {
        return Ok(explicit);
    };
    match (explicit, format_of_extension(&extension)) {
        (Some(given), Some(implied)) if given != implied => Err(UsageError::FormatMismatch {
            path: path.clone(),
            given: format_name(given),
            extension,
            implied: format_name(implied),
        }),
        (Some(given), _) => Ok(Some(given)),
        (None, Some(implied)) => Ok(Some(implied)),
        (None, None) => Err(UsageError::UnknownExtension {
            path: path.clone(),
            hint: match extension.as_str() {
                "xls" | "xlsm" => " (tec-model writes Excel workbooks as .xlsx)",
                "html" | "htm" => " (the HTML report is `tec-model report FILE -o report.html`)",
                _ => "",
            },
            extension,
        }),
    }
}

/// `--samples` is always CSV: its extension, if any, must say so.
fn samples_path(samples: Option<PathBuf>) -> Result<Option<PathBuf>, UsageError> {
    if let Some(path) = &samples {
        if let Some(extension) = extension_of(path) {
            if extension != "csv" {
                return Err(UsageError::SamplesExtension {
                    path: path.clone(),
                    extension,
                });
            }
        }
    }
    Ok(samples)
}

impl Cli {
    /// The validated configuration, or the usage error that makes the arguments senseless.
    pub fn into_config(self) -> Result<Config, UsageError> {
        Ok(match self.command {
            Command::Run {
                scenario,
                format,
                output,
            } => Config::Run {
                format: offered("run", format_for(format, output.as_ref())?, &[Format::Xlsx])?,
                scenario,
                output,
            },
            Command::Check { fixtures, format } => Config::Check {
                fixtures,
                format: offered("check", format_for(format, None)?, &[])?,
            },
            Command::Inputs { scenario } => Config::Inputs { scenario },
            Command::Simulate {
                scenario,
                iterations,
                seed,
                sampling,
                target,
                precision,
                samples,
                chart,
                format,
                output,
            } => {
                let format = offered(
                    "simulate",
                    format_for(format, output.as_ref())?,
                    &[Format::Svg],
                )?;
                if chart.is_some() && format != Format::Svg {
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
                    samples: samples_path(samples)?,
                    chart: match chart {
                        None | Some(ChartArg::Fan) => crate::chart::of::SimulationChart::Fan,
                        Some(ChartArg::Histogram) => crate::chart::of::SimulationChart::Histogram,
                        Some(ChartArg::Cdf) => crate::chart::of::SimulationChart::Cdf,
                    },
                    format,
                    output,
                })
            }
            Command::Track {
                plan,
                actuals,
                format,
                output,
                rag,
                as_at,
                actual_rates,
            } => Config::Track {
                format: offered(
                    "track",
                    format_for(format, output.as_ref())?,
                    &[Format::Svg],
                )?,
                plan,
                actuals,
                output,
                options: crate::track::TrackOptions {
                    as_at,
                    rag,
                    actual_rates,
                },
            },
            Command::Compare {
                scenarios,
                format,
                output,
            } => Config::Compare {
                format: offered("compare", format_for(format, output.as_ref())?, &[])?,
                scenarios,
                output,
            },
            Command::Sweep {
                scenario,
                vary,
                outputs,
                format,
                output,
            } => Config::Sweep {
                format: offered_if_given(
                    "sweep",
                    format_if_given(format, output.as_ref())?,
                    &[Format::Svg],
                )?,
                scenario,
                vary,
                outputs,
                output,
            },
            Command::Tornado {
                scenario,
                range,
                output_measure,
                format,
                output,
            } => Config::Tornado {
                format: offered(
                    "tornado",
                    format_for(format, output.as_ref())?,
                    &[Format::Svg],
                )?,
                scenario,
                ranges: range,
                measure: output_measure,
                output,
            },
            Command::Report {
                scenario,
                simulate,
                seed,
                fixtures,
                output,
            } => {
                if let Some(path) = &output {
                    if let Some(extension) = extension_of(path) {
                        if extension != "html" && extension != "htm" {
                            return Err(UsageError::ReportExtension {
                                path: path.clone(),
                                extension,
                            });
                        }
                    }
                }
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
            } => Config::Solve {
                scenario,
                vary,
                target,
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
    fn output_extension_chooses_the_format() {
        let cli = Cli::parse_from(["tec-model", "run", "s.yaml", "--output", "out.CSV"]);
        assert!(matches!(
            cli.into_config().unwrap(),
            Config::Run {
                format: Format::Csv,
                ..
            }
        ));
        let cli = Cli::parse_from(["tec-model", "run", "s.yaml", "-o", "out.json", "-f", "json"]);
        assert!(matches!(
            cli.into_config().unwrap(),
            Config::Run {
                format: Format::Json,
                ..
            }
        ));
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
        assert!(matches!(
            workbook,
            Ok(Config::Run {
                format: Format::Xlsx,
                ..
            })
        ));
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
