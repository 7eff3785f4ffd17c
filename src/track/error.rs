//! Errors of `tec-model track`: each names the actuals file and, where there is one, the row
//! (counted from the first data row, with its line in the file) and the column.

use crate::excerpt::{excerpt, shorten_quoted};
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum TrackError {
    #[error("{}: cannot read the file: {source}", file.display())]
    Read {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A problem with one cell (or a header cell, at row 0).
    #[error(
        "{}: {}, column `{}`: {}",
        file.display(),
        place(*row, *line),
        excerpt(column),
        shorten_quoted(message)
    )]
    Cell {
        file: PathBuf,
        /// 1-based data row; 0 for the header.
        row: usize,
        /// 1-based line in the file.
        line: u64,
        column: String,
        message: String,
    },
    /// A problem with a `#!` directive line (`#! note:`, `#! budget_reducing:`).
    #[error(
        "{}: line {line}, directive `#! {}`: {}",
        file.display(),
        excerpt(directive),
        shorten_quoted(message)
    )]
    Directive {
        file: PathBuf,
        /// 1-based line of the directive in the file.
        line: u64,
        /// The directive's name as written (`budget_reducing`), or the line's start.
        directive: String,
        message: String,
    },
    /// A problem with the file as a whole (no rows, a year not covered).
    #[error("{}: {message}", file.display())]
    File { file: PathBuf, message: String },
    /// A bad command-line value (`--as-at`, `--rag`).
    #[error("{0}")]
    Option(String),
    /// A figure overflowed the money type: of the plan (`what` names it) or of the tracking.
    #[error("{}: a figure is too large for the money type (about 7.9e28): {what}; check the magnitudes", file.display())]
    Overflow { file: PathBuf, what: String },
}

fn place(row: usize, line: u64) -> String {
    if row == 0 {
        format!("header (line {line})")
    } else {
        format!("row {row} (line {line})")
    }
}

impl TrackError {
    pub fn cell(
        file: &std::path::Path,
        row: usize,
        line: u64,
        column: &str,
        message: impl Into<String>,
    ) -> Self {
        TrackError::Cell {
            file: file.to_path_buf(),
            row,
            line,
            column: column.to_string(),
            message: message.into(),
        }
    }

    pub fn file(file: &std::path::Path, message: impl Into<String>) -> Self {
        TrackError::File {
            file: file.to_path_buf(),
            message: message.into(),
        }
    }
}
