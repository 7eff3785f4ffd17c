//! Errors of the sensitivity commands: bad expressions, unknown inputs or outputs, overflow.

use crate::scenario::input::InputError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum SensitivityError {
    /// A chart asked of figures that have no chart of that kind.
    #[error("{0}")]
    Chart(String),
    /// An input name or value the scenario refuses.
    #[error("{}: {flag} {source}", file.display())]
    Input {
        file: PathBuf,
        flag: &'static str,
        #[source]
        source: InputError,
    },
    /// A `--vary`, `--range` or `--target` expression that does not parse.
    #[error("{flag} `{expression}`: {message}")]
    Expression {
        flag: &'static str,
        expression: String,
        message: String,
    },
    /// An output (measure) name that names no figure of the report.
    #[error(
        "`{name}` is not an output{hint}; {}",
        crate::sensitivity::outputs::HELP
    )]
    UnknownOutput { name: String, hint: String },
    /// An output that is not an amount where an amount is needed (e.g. a payback year).
    #[error("`{name}` is {what}; {needed}")]
    NotAnAmount {
        name: String,
        what: &'static str,
        needed: &'static str,
    },
    /// A `--points` file that cannot be read, or a bad name or value in it.
    #[error("{}{}{}: {message}", file.display(), line.map(|l| format!(":{l}")).unwrap_or_default(), column.map(|c| format!(":{c}")).unwrap_or_default())]
    Points {
        file: PathBuf,
        line: Option<u64>,
        column: Option<usize>,
        message: String,
    },
    /// A grid too large to be a deliberate request.
    #[error("the sweep has {points} points, more than the limit of {limit}; use fewer steps")]
    TooManyPoints { points: String, limit: usize },
    /// A figure overflowed at one point of an analysis.
    #[error(
        "{}: at {at}: a figure is too large for the money type (about 7.9e28): {figure}",
        file.display()
    )]
    Overflow {
        file: PathBuf,
        at: String,
        /// Which figure in which year, and its largest input.
        figure: String,
    },
    /// Writing the results failed (mapped by the caller to the right exit code).
    #[error("cannot write the results: {0}")]
    Write(#[from] std::io::Error),
}

impl SensitivityError {
    pub(crate) fn expression(
        flag: &'static str,
        expression: &str,
        message: impl Into<String>,
    ) -> Self {
        SensitivityError::Expression {
            flag,
            expression: expression.to_string(),
            message: message.into(),
        }
    }
}
