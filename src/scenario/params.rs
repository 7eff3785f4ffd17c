//! The parameter vector: every number of a scenario, with its input path, range and provenance.

pub use super::domain::Domain;

use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// Where a number comes from. Every number has one: the file's reading refuses a number
/// written without a source or a calibration reason, and a number never written is a default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Provenance {
    /// A published figure: document and paragraph.
    Source { text: String },
    /// Chosen where no source publishes it, with the reason.
    Calibrated { text: String },
    /// The tool's documented default.
    Default { text: String },
    /// A value of a parent scenario times a variant's `scale` factor: the parent's provenance
    /// and the factor's, kept apart so that each is shown once.
    Scaled {
        of: Box<Provenance>,
        factor: Decimal,
        by: Box<Provenance>,
    },
}

impl Provenance {
    pub fn source(text: impl Into<String>) -> Provenance {
        Provenance::Source { text: text.into() }
    }
    pub fn calibrated(text: impl Into<String>) -> Provenance {
        Provenance::Calibrated { text: text.into() }
    }
    pub fn default(text: impl Into<String>) -> Provenance {
        Provenance::Default { text: text.into() }
    }
    /// The provenance of an input as written, whose reading has checked it.
    pub fn written(raw: &super::raw::RawProvenance) -> Provenance {
        match (&raw.source, &raw.reason) {
            (Some(source), _) => Provenance::source(source.trim()),
            (None, reason) => Provenance::calibrated(reason.as_deref().unwrap_or_default().trim()),
        }
    }
    /// This provenance with its value multiplied by `factor`, which comes from `by`.
    pub fn scaled(self, factor: Decimal, by: Provenance) -> Provenance {
        Provenance::Scaled {
            of: Box::new(self),
            factor: factor.normalize(),
            by: Box::new(by),
        }
    }
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Source { text } => write!(f, "source: {text}"),
            Provenance::Calibrated { text } => write!(f, "calibrated: {text}"),
            Provenance::Default { text } => write!(f, "default: {text}"),
            Provenance::Scaled { of, factor, by } => {
                write!(f, "{of}; scaled by {factor} ({by})")
            }
        }
    }
}

/// Everything known about one slot of the parameter vector.
#[derive(Debug, Clone)]
pub struct ParamInfo {
    /// The input path, e.g. `benefits.care_hours.share`; shared by every year of a series.
    pub path: String,
    /// For a per-year series, the year index of this slot.
    pub year: Option<usize>,
    pub domain: Domain,
    pub provenance: Provenance,
    /// The file (index into `Scenario::files`) and key path that set this value last.
    pub origin: Origin,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Origin {
    pub file: usize,
    pub keys: Vec<String>,
}

/// A choice that is not a number but changes money (the rounding, when installs land, the
/// price year, a benefit's duration, ...), listed by `tec-model inputs` with the value used and,
/// when the file leaves it out, the default it falls back to.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    /// The key path, e.g. `users.install_timing`.
    pub path: String,
    /// The value used, as a file would write it.
    pub value: String,
    /// `None` when the file gives the value; else what the default means.
    pub default: Option<String>,
}

impl fmt::Display for Setting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} = {}  ", self.path, self.value)?;
        match &self.default {
            Some(why) => write!(f, "(default: {why})"),
            None => f.write_str("(given)"),
        }
    }
}

/// The numbers of a scenario, slot by slot, and its settings.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub values: Vec<Decimal>,
    pub info: Vec<ParamInfo>,
    pub settings: Vec<Setting>,
}

impl Params {
    /// Records a setting: `given` as written, or `default` with what it means.
    pub fn setting(
        &mut self,
        keys: &[String],
        given: Option<String>,
        default: impl FnOnce() -> (String, String),
    ) {
        let (value, default) = match given {
            Some(value) => (value, None),
            None => {
                let (value, why) = default();
                (value, Some(why))
            }
        };
        self.settings.push(Setting {
            path: keys.join("."),
            value,
            default,
        });
    }

    pub fn push(&mut self, value: Decimal, info: ParamInfo) -> usize {
        self.values.push(value);
        self.info.push(info);
        self.values.len() - 1
    }

    /// The slots that an input path names (several for a per-year series).
    pub fn slots_of(&self, path: &str) -> Vec<usize> {
        (0..self.info.len())
            .filter(|i| self.info[*i].path == path)
            .collect()
    }

    /// Every distinct input path, in file order, with its slots; one pass over the slots, so
    /// that a file of thousands of lines is listed in linear time.
    pub fn grouped(&self) -> Vec<(&str, Vec<usize>)> {
        let mut groups: Vec<(&str, Vec<usize>)> = Vec::new();
        let mut at: HashMap<&str, usize> = HashMap::new();
        for (slot, info) in self.info.iter().enumerate() {
            match at.get(info.path.as_str()) {
                Some(group) => groups[*group].1.push(slot),
                None => {
                    at.insert(&info.path, groups.len());
                    groups.push((&info.path, vec![slot]));
                }
            }
        }
        groups
    }

    /// Every distinct input path, in file order.
    pub fn paths(&self) -> Vec<&str> {
        self.grouped().into_iter().map(|(path, _)| path).collect()
    }

    /// Input path to its slots, for many look-ups ([`Params::slots_of`] is one scan).
    pub fn index(&self) -> HashMap<String, Vec<usize>> {
        self.grouped()
            .into_iter()
            .map(|(path, slots)| (path.to_string(), slots))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn scaled_provenance_keeps_each_part_once() {
        let p = Provenance::calibrated("a")
            .scaled(d("0.750"), Provenance::source("b"))
            .scaled(d("2"), Provenance::calibrated("c"));
        assert_eq!(
            p.to_string(),
            "calibrated: a; scaled by 0.75 (source: b); scaled by 2 (calibrated: c)"
        );
    }
}
