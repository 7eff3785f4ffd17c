//! YAML text into typed documents, safely: a bounded read of UTF-8 text, then size, emptiness,
//! nesting and alias-expansion checks before the parser runs, and parser errors rewritten as
//! `file:line:col: key: message` with a suggestion for a typo. Scenarios and fixtures both
//! come through here.

use super::error::{ScenarioError, suggest};
use super::structure::{self, Problem};
use crate::input::{ReadError, read_bounded};
use serde::de::DeserializeOwned;
use std::path::Path;

/// Larger files are refused before parsing; real scenarios are a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Reads the file at `path` as UTF-8 text, reading at most [`MAX_FILE_BYTES`].
pub fn read_text(path: &Path) -> Result<String, ScenarioError> {
    let bytes = read_bounded(path, MAX_FILE_BYTES).map_err(|error| match error {
        ReadError::Io(source) => ScenarioError::Read {
            path: path.to_path_buf(),
            source,
        },
        ReadError::Directory => ScenarioError::Directory {
            path: path.to_path_buf(),
        },
        ReadError::TooLarge { size, .. } => too_large(path, size),
    })?;
    String::from_utf8(bytes).map_err(|_| ScenarioError::NotText {
        path: path.to_path_buf(),
    })
}

/// Reads standard input as UTF-8 text, at most [`MAX_FILE_BYTES`]; `name` names it in
/// errors. On a terminal, says first how to end the text.
pub fn read_stdin(name: &Path) -> Result<String, ScenarioError> {
    use std::io::{IsTerminal, Read};
    let stdin = std::io::stdin();
    if stdin.is_terminal() && !crate::terminal::quiet() {
        eprintln!("reading the scenario from standard input (end it with Ctrl-D)");
    }
    let mut bytes = Vec::new();
    stdin
        .lock()
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ScenarioError::Read {
            path: name.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(name, None));
    }
    String::from_utf8(bytes).map_err(|_| ScenarioError::NotText {
        path: name.to_path_buf(),
    })
}

fn too_large(path: &Path, size: Option<u64>) -> ScenarioError {
    let size = match size {
        Some(size) => format!("is {size} bytes"),
        None => format!("is more than {MAX_FILE_BYTES} bytes"),
    };
    ScenarioError::at(
        path.to_path_buf(),
        None,
        None,
        format!("{size}; a scenario file may be at most {MAX_FILE_BYTES} bytes"),
    )
}

/// Parses `text` (read from `path`, which names it in errors) as a `T`.
pub fn parse_yaml<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, ScenarioError> {
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path, Some(text.len() as u64)));
    }
    if text.trim().is_empty() {
        return Err(ScenarioError::at(
            path.to_path_buf(),
            None,
            None,
            "the file is empty",
        ));
    }
    if let Err(problem) = structure::check(text) {
        let (line, column, message) = match problem {
            Problem::TooDeep { line, column } => (
                line,
                column,
                format!(
                    "lists and mappings are nested more than {} deep; a scenario needs a few levels",
                    structure::MAX_DEPTH
                ),
            ),
            Problem::TooLarge { line, column } => (
                line,
                column,
                format!(
                    "with its aliases (`*name`) expanded, the file would be larger than {} units \
                     (events and bytes); use fewer aliases",
                    structure::MAX_EXPANDED
                ),
            ),
        };
        return Err(ScenarioError::at(
            path.to_path_buf(),
            Some((line, column)),
            None,
            message,
        ));
    }
    serde_yaml::from_str::<T>(text).map_err(|error| yaml_error(path, text, &error))
}

/// Rewrites a serde_yaml error as `file:line:col: key: message`, with a suggestion for a typo.
pub(crate) fn yaml_error(path: &Path, source: &str, error: &serde_yaml::Error) -> ScenarioError {
    let mut position = error.location().map(|l| (l.line(), l.column()));
    let text = without_positions(&error.to_string());
    // serde_yaml puts the key path first: "benefits.care_hours: unknown field ...".
    let (key, mut message) = match text.split_once(": ") {
        Some((key, rest)) if !key.contains(' ') && key != "." => {
            (Some(key.to_string()), rest.to_string())
        }
        _ => (None, text.clone()),
    };
    if let Some(hint) = typo_hint(&message) {
        message.push_str(&hint);
    }
    // serde_yaml places a repeated key at its mapping; point at the repeat itself.
    if message.starts_with("duplicate field `") || message.ends_with("` appears twice") {
        if let Some((name, at)) = super::locate::first_duplicate_key(source) {
            if message.contains(&format!("`{name}`")) {
                position = Some(at);
                message.push_str(" in this mapping (this is the second); keep one");
            }
        }
    }
    ScenarioError::at(path.to_path_buf(), position, key, message)
}

/// The message without libyaml's " at line L column C" (the position is given once, in front).
fn without_positions(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut rest = message;
    while let Some(at) = rest.find(" at line ") {
        out.push_str(&rest[..at]);
        let after = &rest[at + " at line ".len()..];
        let digits = |t: &str| t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let line = digits(after);
        let tail = after[line..].strip_prefix(" column ");
        match tail.map(|t| (t, digits(t))) {
            Some((t, column)) if line > 0 && column > 0 => rest = &t[column..],
            _ => {
                out.push_str(" at line ");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// For serde's "unknown field `x`, expected one of `a`, `b`" (and "unknown variant"), the
/// closest expected name.
fn typo_hint(message: &str) -> Option<String> {
    let rest = message
        .strip_prefix("unknown field `")
        .or_else(|| message.strip_prefix("unknown variant `"))?;
    let (unknown, rest) = rest.split_once('`')?;
    let expected: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
    suggest(unknown, expected).map(|s| format!(" (did you mean `{s}`?)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_are_taken_out_of_messages() {
        assert_eq!(
            without_positions(
                "did not find expected ',' or '}' at line 2 column 1, while parsing a flow mapping at line 1 column 10"
            ),
            "did not find expected ',' or '}', while parsing a flow mapping"
        );
        assert_eq!(without_positions("a line at line x"), "a line at line x");
    }
}
