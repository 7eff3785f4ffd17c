//! Errors in reading a scenario: each names the file, and where it can the key path and line.

use crate::excerpt::{excerpt, shorten_quoted};
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ScenarioError {
    #[error("{}: cannot read the file: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}: is a directory; give a scenario file (.yaml)", path.display())]
    Directory { path: PathBuf },
    #[error("{}: is not UTF-8 text; save the scenario as UTF-8 YAML", path.display())]
    NotText { path: PathBuf },
    #[error("{0}")]
    Invalid(Box<Located>),
}

/// A problem at a place in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub struct Located {
    pub file: PathBuf,
    /// 1-based line and column, where known.
    pub position: Option<(usize, usize)>,
    /// The key path, e.g. `benefits.care_hours.share`.
    pub key: Option<String>,
    pub message: String,
}

impl fmt::Display for Located {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, column)) = self.position {
            write!(f, ":{line}:{column}")?;
        }
        f.write_str(": ")?;
        // What came from the file (a key, a scalar in the message) is quoted as an excerpt.
        if let Some(key) = &self.key {
            // Each key of the path as an excerpt: a path of real keys is shown whole.
            let keys: Vec<String> = key.split('.').map(excerpt).collect();
            write!(f, "{}: ", keys.join("."))?;
        }
        f.write_str(&shorten_quoted(&self.message))
    }
}

impl ScenarioError {
    pub fn at(
        file: PathBuf,
        position: Option<(usize, usize)>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> Self {
        ScenarioError::Invalid(Box::new(Located {
            file,
            position,
            key,
            message: message.into(),
        }))
    }
}

/// The closest of `candidates` to `word`, if close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for j in 0..b.len() {
            let current = row[j + 1];
            row[j + 1] = if ca == b[j] {
                previous
            } else {
                1 + previous.min(row[j]).min(row[j + 1])
            };
            previous = current;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let keys = ["share", "hours_per_week", "hourly_cost"];
        assert_eq!(suggest("shar", keys), Some("share"));
        assert_eq!(suggest("hours_per_wek", keys), Some("hours_per_week"));
        assert_eq!(suggest("banana", keys), None);
    }
}
