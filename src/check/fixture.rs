//! The fixture format: published figures, each with its source, precision and the scenario
//! and measure that should reproduce it.

use crate::scenario::raw::Amount;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureFile {
    /// What the file covers (for its readers; not printed).
    #[allow(dead_code)]
    pub description: Option<String>,
    pub figures: Vec<Figure>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// A short name for the figure.
    pub figure: String,
    /// Document and paragraph where it is published.
    pub source: String,
    /// The scenario that should reproduce it, relative to the fixture file.
    pub scenario: String,
    /// What to read from the run (see `measure.rs`), e.g. `summary.cumulative_net`.
    pub measure: String,
    /// For a `track.` measure: the actuals file tracked against the scenario, relative to the
    /// fixture file.
    pub actuals: Option<String>,
    /// The published value.
    pub published: Option<Amount>,
    /// The published precision: `£5.4m` has precision 100000; the check passes within half.
    pub precision: Option<Amount>,
    /// A published lower bound ("at least £2m").
    pub at_least: Option<Amount>,
    /// A published financial year (e.g. a payback year).
    pub published_year: Option<String>,
    /// Set when the figure cannot be reproduced by inputs consistent with the other
    /// published figures; `check` reports it as a known discrepancy, never as a pass.
    pub known_discrepancy: Option<String>,
}
