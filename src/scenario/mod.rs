//! Scenario files: the format, reading and validation, and the loaded scenario.

mod admission;
mod benefits;
mod charge_from;
pub mod cohorts;
pub mod document;
pub mod domain;
pub mod error;
pub mod input;
pub mod keyword;
pub mod kpis;
mod lines;
pub mod load;
pub mod locate;
pub mod named;
pub mod params;
mod profile;
pub mod raw;
pub mod resolve;
pub mod schema;
mod structure;
pub mod text;
pub mod tracking;
pub mod uncertain;
mod variant;

pub use error::ScenarioError;
pub use load::{load, load_from_str};

use crate::model::{Model, Outcome, evaluate};
use crate::number::{Exact, Num};
use params::Params;
use std::path::PathBuf;

/// A file that contributed to a scenario, kept to point errors at lines.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub path: PathBuf,
    pub text: String,
}

/// A loaded, validated scenario: the model's structure and its numbers.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub council: Option<String>,
    pub description: Option<String>,
    /// The file given first, then each parent it extends (the root parent first).
    pub files: Vec<SourceFile>,
    pub model: Model,
    pub params: Params,
    /// What varies in the Monte Carlo (empty when the file says nothing of it).
    pub uncertainty: uncertain::Uncertainty,
    /// The plan's settings for `tec-model track` (empty when the file has none).
    pub tracking: tracking::Tracking,
    /// Legal values that are probably mistakes (an optimism bias of 20 rather than 0.2), each
    /// at the file, line and key that set it; the commands print them on standard error.
    pub warnings: Vec<error::Located>,
}

impl Scenario {
    /// The file named on the command line.
    pub fn path(&self) -> &std::path::Path {
        &self.files.last().expect("a scenario has a file").path
    }

    /// The parameter vector in number type `N` (exact decimals, f64, lanes).
    pub fn params_as<N: Num>(&self) -> Vec<N> {
        self.params
            .values
            .iter()
            .map(|v| N::from_decimal(*v))
            .collect()
    }

    /// Prints the scenario's warnings on standard error, one a line.
    pub fn print_warnings(&self) {
        for warning in &self.warnings {
            crate::terminal::warn(warning);
        }
    }

    /// Evaluates the scenario exactly.
    pub fn evaluate_exact(&self) -> Outcome<Exact> {
        evaluate(&self.model, &self.params_as::<Exact>())
    }
}

/// Loads a scenario from YAML text, for tests.
#[cfg(test)]
pub(crate) fn from_yaml(text: &str) -> Result<Scenario, ScenarioError> {
    let dir = tempfile::tempdir().expect("temporary directory");
    let path = dir.path().join("test.yaml");
    std::fs::write(&path, text).expect("write test scenario");
    load(&path)
}
