//! The fixture format: published figures, each with its source, what kind of evidence it is,
//! the comparison it must meet, and the scenario(s) and measure that should reproduce it.

use crate::literal;
use crate::scenario::raw::Amount;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FixtureFile {
    /// What the file covers (for its readers; not printed).
    #[allow(dead_code)]
    pub description: Option<String>,
    pub figures: Vec<Figure>,
}

/// What a passing figure proves (issue 17): a finance officer reads "passed" as a proof, and
/// only a prediction is one.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The model computes it from other inputs.
    Prediction,
    /// A published table re-added from its published parts.
    Arithmetic,
    /// An input was chosen to hit it (`tuned` names the input).
    Calibration,
    /// The figure is itself an input.
    Echo,
}

impl Evidence {
    pub const ALL: [Evidence; 4] = [
        Evidence::Prediction,
        Evidence::Arithmetic,
        Evidence::Calibration,
        Evidence::Echo,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Evidence::Prediction => "prediction",
            Evidence::Arithmetic => "arithmetic",
            Evidence::Calibration => "calibration",
            Evidence::Echo => "echo",
        }
    }

    /// As counted in the closing line: "5 predictions, 15 arithmetic, ...".
    pub fn counted(self, n: usize) -> String {
        let (one, many) = match self {
            Evidence::Prediction => ("prediction", "predictions"),
            Evidence::Arithmetic => ("arithmetic", "arithmetic"),
            Evidence::Calibration => ("calibration target", "calibration targets"),
            Evidence::Echo => ("echo", "echoes"),
        };
        format!("{n} {}", if n == 1 { one } else { many })
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Figure {
    /// A short name for the figure.
    pub figure: String,
    /// Document and paragraph where it is published.
    pub source: String,
    /// What kind of evidence the figure is.
    pub evidence: Evidence,
    /// For `calibration`: the input that was tuned to hit the figure.
    pub tuned: Option<String>,
    /// The scenario that should reproduce it, relative to the fixture file.
    pub scenario: Option<String>,
    /// Several scenarios by name, for a measure that compares them (`option2.summary.npv -
    /// option3.summary.npv`): each file named once, each term prefixed by its name.
    pub scenarios: Option<BTreeMap<String, String>>,
    /// What to read from the run: an expression over measure names (see `measure.rs`).
    pub measure: String,
    /// For a `track.` measure: the actuals file tracked against the scenario, relative to the
    /// fixture file.
    pub actuals: Option<String>,
    /// The published value.
    pub published: Option<Amount>,
    /// The published precision: `£5.4m` has precision 100000; the check passes within half.
    /// `1%` is relative: within 0.5% of the published value.
    pub precision: Option<Precision>,
    /// A published lower bound ("at least £2m").
    pub at_least: Option<Amount>,
    /// A published upper bound.
    pub at_most: Option<Amount>,
    /// A published range, both ends included ("between £2m and £5m").
    pub between: Option<[Amount; 2]>,
    /// A published financial year (e.g. a payback year).
    pub published_year: Option<String>,
    /// Set when the figure cannot be reproduced by inputs consistent with the other
    /// published figures; `check` reports it as a known discrepancy, never as a pass.
    pub known_discrepancy: Option<String>,
}

/// A published precision: absolute (pounds, users) or relative to the published value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Precision {
    Absolute(Decimal),
    /// A fraction: `1%` is 0.01.
    Relative(Decimal),
}

impl<'de> Deserialize<'de> for Precision {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Precision;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a number, or a percentage such as `1%`")
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<Precision, E> {
                match text.trim().strip_suffix('%') {
                    Some(percent) => literal::decimal(percent)
                        .map(|p| Precision::Relative(p / Decimal::ONE_HUNDRED))
                        .map_err(E::custom),
                    None => literal::decimal(text)
                        .map(Precision::Absolute)
                        .map_err(E::custom),
                }
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// What the modelled value is compared with.
#[derive(Debug, Clone, PartialEq)]
pub enum Comparison {
    Published(Decimal, Precision),
    AtLeast(Decimal),
    AtMost(Decimal),
    Between(Decimal, Decimal),
    Year(String),
}

impl Figure {
    /// Checks what serde cannot: one comparison, a sensible precision, a named input for a
    /// calibration, one way of naming scenarios. A bad fixture is exit 2, never a FAIL.
    pub fn comparison(&self) -> Result<Comparison, String> {
        if self.evidence == Evidence::Calibration {
            match &self.tuned {
                Some(t) if !t.trim().is_empty() => {}
                _ => {
                    return Err(
                        "`evidence: calibration` needs `tuned`: the input chosen to hit the figure"
                            .into(),
                    );
                }
            }
        } else if self.tuned.is_some() {
            return Err(format!(
                "`tuned` names the input of a calibration; this figure is `{}`",
                self.evidence.key()
            ));
        }
        match (&self.scenario, &self.scenarios) {
            (Some(_), None) => {}
            (None, Some(map)) => {
                if map.is_empty() {
                    return Err("`scenarios` names no scenario".into());
                }
                let files: Vec<&String> = map.values().collect();
                for (i, f) in files.iter().enumerate() {
                    if files[..i].contains(f) {
                        return Err(format!(
                            "`scenarios` names `{f}` twice; name each file once"
                        ));
                    }
                }
                if self.actuals.is_some() {
                    return Err("`actuals` goes with one `scenario`, not `scenarios`".into());
                }
            }
            _ => return Err("give `scenario` (one file) or `scenarios` (names and files)".into()),
        }
        if self.precision.is_some() && self.published.is_none() {
            return Err("`precision` goes with `published`".into());
        }
        let given = [
            self.published.is_some(),
            self.at_least.is_some(),
            self.at_most.is_some(),
            self.between.is_some(),
            self.published_year.is_some(),
        ]
        .iter()
        .filter(|g| **g)
        .count();
        if given != 1 {
            return Err("give one of `published` (with `precision`), `at_least`, `at_most`, `between` for an amount, or `published_year` for a year".into());
        }
        if let Some(published) = self.published {
            let precision = self.precision.unwrap_or(Precision::Absolute(Decimal::ONE));
            match precision {
                Precision::Absolute(p) => {
                    if p <= Decimal::ZERO {
                        return Err(format!("`precision` must be more than 0 (it is {p})"));
                    }
                    // A precision wider than the figure itself would pass anything near zero.
                    let bound = published.0.abs().max(Decimal::ONE);
                    if p > bound {
                        return Err(format!(
                            "`precision` {p} is larger than the published figure {}; it would prove nothing",
                            published.0
                        ));
                    }
                }
                Precision::Relative(r) => {
                    if r <= Decimal::ZERO || r > Decimal::new(5, 1) {
                        return Err(format!(
                            "a relative `precision` must be more than 0% and at most 50% (it is {}%)",
                            (r * Decimal::ONE_HUNDRED).normalize()
                        ));
                    }
                    if published.0.is_zero() {
                        return Err("a relative `precision` of a published 0 passes only 0; give an absolute one".into());
                    }
                }
            }
            return Ok(Comparison::Published(published.0, precision));
        }
        if let Some(b) = self.at_least {
            return Ok(Comparison::AtLeast(b.0));
        }
        if let Some(b) = self.at_most {
            return Ok(Comparison::AtMost(b.0));
        }
        if let Some([a, b]) = self.between {
            if a.0 > b.0 {
                return Err(format!(
                    "`between` runs from low to high ({} > {})",
                    a.0, b.0
                ));
            }
            return Ok(Comparison::Between(a.0, b.0));
        }
        Ok(Comparison::Year(
            self.published_year.clone().unwrap_or_default(),
        ))
    }
}
