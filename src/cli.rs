//! Command-line arguments (clap), turned into a validated [`Config`] the library runs.
//!
//! The engine never sees clap types: `Cli::into_config` is the only bridge.

use crate::export::Format;
use clap::{Parser, Subcommand, ValueEnum};
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
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Table,
    Csv,
    Json,
    Markdown,
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
}

impl From<FormatArg> for Format {
    fn from(arg: FormatArg) -> Format {
        match arg {
            FormatArg::Table => Format::Table,
            FormatArg::Csv => Format::Csv,
            FormatArg::Json => Format::Json,
            FormatArg::Markdown => Format::Markdown,
        }
    }
}

fn format_for(explicit: Option<FormatArg>, output: Option<&PathBuf>) -> Format {
    format_if_given(explicit, output).unwrap_or(Format::Table)
}

/// The format asked for, or implied by `output`'s extension.
fn format_if_given(explicit: Option<FormatArg>, output: Option<&PathBuf>) -> Option<Format> {
    if let Some(arg) = explicit {
        return Some(arg.into());
    }
    let extension = output
        .and_then(|p| p.extension())
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => Some(Format::Csv),
        Some("json") => Some(Format::Json),
        Some("md" | "markdown") => Some(Format::Markdown),
        _ => None,
    }
}

impl Cli {
    pub fn into_config(self) -> Config {
        match self.command {
            Command::Run {
                scenario,
                format,
                output,
            } => Config::Run {
                format: format_for(format, output.as_ref()),
                scenario,
                output,
            },
            Command::Check { fixtures, format } => Config::Check {
                fixtures,
                format: format_for(format, None),
            },
            Command::Inputs { scenario } => Config::Inputs { scenario },
            Command::Compare {
                scenarios,
                format,
                output,
            } => Config::Compare {
                format: format_for(format, output.as_ref()),
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
                format: format_if_given(format, output.as_ref()),
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
                format: format_for(format, output.as_ref()),
                scenario,
                ranges: range,
                measure: output_measure,
                output,
            },
            Command::Solve {
                scenario,
                vary,
                target,
            } => Config::Solve {
                scenario,
                vary,
                target,
            },
        }
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
            cli.into_config(),
            Config::Run {
                format: Format::Csv,
                ..
            }
        ));
        let cli = Cli::parse_from(["tec-model", "run", "s.yaml", "-o", "out.csv", "-f", "json"]);
        assert!(matches!(
            cli.into_config(),
            Config::Run {
                format: Format::Json,
                ..
            }
        ));
    }
}
