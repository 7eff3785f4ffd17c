//! The parameter vector: every number of a scenario, with its input path, range and provenance.

use rust_decimal::Decimal;
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;

/// The values a parameter may take; checked after `extends` overrides are applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// Zero or more: counts, money, hours.
    NonNegative,
    /// Zero or more and not above one: shares, realisation, attrition.
    Fraction,
    /// A yearly rate above -100%: uprating (may be negative).
    Rate,
    /// Above zero: weeks in a year.
    Positive,
    /// From zero to this many: months after install, a start month within the horizon.
    UpTo(Decimal),
}

impl Domain {
    pub fn check(self, value: Decimal) -> Result<(), String> {
        let ok = match self {
            Domain::NonNegative => value >= Decimal::ZERO,
            Domain::Fraction => value >= Decimal::ZERO && value <= Decimal::ONE,
            Domain::Rate => value > -Decimal::ONE && value <= Decimal::ONE,
            Domain::Positive => value > Decimal::ZERO,
            Domain::UpTo(max) => value >= Decimal::ZERO && value <= max,
        };
        if ok {
            Ok(())
        } else {
            Err(format!("must be {}, got {value}", self.describe()))
        }
    }

    pub fn describe(self) -> String {
        match self {
            Domain::NonNegative => "zero or more".into(),
            Domain::Fraction => "between 0 and 1 (a share: 75% is 0.75)".into(),
            Domain::Rate => "a yearly rate above -1 and at most 1 (3.5% is 0.035)".into(),
            Domain::Positive => "above zero".into(),
            Domain::UpTo(max) => format!("from 0 to {max}"),
        }
    }
}

/// Where a number comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "text")]
pub enum Provenance {
    /// A published figure: document and paragraph.
    Source(String),
    /// Chosen where no source publishes it, with the reason.
    Calibrated(String),
    /// The tool's documented default.
    Default(String),
    /// Written without a source or calibration note.
    Unstated,
}

impl fmt::Display for Provenance {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Provenance::Source(s) => write!(f, "source: {s}"),
            Provenance::Calibrated(r) => write!(f, "calibrated: {r}"),
            Provenance::Default(d) => write!(f, "default: {d}"),
            Provenance::Unstated => f.write_str("unstated"),
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

/// The numbers of a scenario, slot by slot.
#[derive(Debug, Clone, Default)]
pub struct Params {
    pub values: Vec<Decimal>,
    pub info: Vec<ParamInfo>,
}

impl Params {
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
