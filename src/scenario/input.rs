//! Naming and setting a scenario's inputs from outside the file: `path` or `path[2023/24]`.
//!
//! An input is named by its path in the scenario file, as `tec-model inputs` lists it. For a
//! per-year series the plain path sets every year to one value and `path[2023/24]` sets one
//! year. Every value is checked against the input's [`Domain`] before it is set.

use super::Scenario;
use super::error::suggest;
use super::params::{Domain, Params};
use crate::fy::FinancialYear;
use rust_decimal::Decimal;

/// A named input resolved to the parameter slots it sets.
#[derive(Debug, Clone, PartialEq)]
pub struct Input {
    /// The name as written, e.g. `users.installs[2023/24]`.
    pub name: String,
    /// The input path, e.g. `users.installs`.
    pub path: String,
    /// The slots set: one for a scalar or one year, every year's for a whole series.
    pub slots: Vec<usize>,
    pub domain: Domain,
}

/// Why an input name or value was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum InputError {
    #[error("`{name}` is not an input of the scenario{hint}; `tec-model inputs FILE` lists them")]
    Unknown { name: String, hint: String },
    #[error("`{name}`: {message}")]
    BadYear { name: String, message: String },
    #[error("`{name}`: {message}")]
    OutOfRange {
        name: String,
        value: Decimal,
        message: String,
    },
}

impl Input {
    /// The input's value in `params` if every slot it sets holds the same value (always so
    /// for a scalar or a single year; for a whole series only if it is flat).
    pub fn base(&self, params: &Params) -> Option<Decimal> {
        let first = params.values[self.slots[0]];
        self.slots
            .iter()
            .all(|s| params.values[*s] == first)
            .then_some(first)
    }

    /// Checks `value` against the input's range.
    pub fn check(&self, value: Decimal) -> Result<(), InputError> {
        self.domain
            .check(value)
            .map_err(|message| InputError::OutOfRange {
                name: self.name.clone(),
                value: value.normalize(),
                message,
            })
    }
}

impl Params {
    /// Sets every slot `input` names to `value`, after checking its range.
    pub fn set(&mut self, input: &Input, value: Decimal) -> Result<(), InputError> {
        input.check(value)?;
        for slot in &input.slots {
            self.values[*slot] = value;
        }
        Ok(())
    }
}

/// For a name that is the end of input paths (`hours_per_week`, `care_hours.share`), or close
/// to one (`instals`), those paths: the name was written without its section and line.
fn ending_hint<'a>(name: &str, paths: impl Iterator<Item = &'a str>) -> String {
    const SHOWN: usize = 5;
    let paths: Vec<&str> = paths.collect();
    // The last as many segments of `path` as `name` has.
    let segments = name.matches('.').count() + 1;
    let ending = |path: &'a str| -> &'a str {
        match path.rmatch_indices('.').nth(segments - 1) {
            Some((at, _)) => &path[at + 1..],
            None => path,
        }
    };
    let mut found: Vec<&str> = paths
        .iter()
        .copied()
        .filter(|p| ending(p) == name)
        .collect();
    if found.is_empty() {
        if let Some(close) = suggest(name, paths.iter().map(|p| ending(p))) {
            found = paths
                .iter()
                .copied()
                .filter(|p| ending(p) == close)
                .collect();
        }
    }
    match found.as_slice() {
        [] => String::new(),
        [one] => format!(" (did you mean `{one}`?)"),
        many => {
            let listed: Vec<String> = many.iter().take(SHOWN).map(|p| format!("`{p}`")).collect();
            let more = if many.len() > SHOWN {
                format!(" and {} more", many.len() - SHOWN)
            } else {
                String::new()
            };
            format!(" (did you mean one of {}{more}?)", listed.join(", "))
        }
    }
}

impl Scenario {
    /// Resolves an input name (`path` or `path[2023/24]`) to its slots.
    pub fn input(&self, name: &str) -> Result<Input, InputError> {
        let name = name.trim();
        let (path, year) = match name.split_once('[') {
            Some((path, rest)) => {
                let label = rest.strip_suffix(']').ok_or_else(|| InputError::BadYear {
                    name: name.to_string(),
                    message: "write one year as `path[2023/24]`".into(),
                })?;
                (path.trim(), Some(label.trim()))
            }
            None => (name, None),
        };
        let slots = self.params.slots_of(path);
        if slots.is_empty() || path.starts_with('(') {
            let paths = self.params.paths();
            let paths = || paths.iter().copied().filter(|p| !p.starts_with('('));
            let hint = suggest(path, paths())
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_else(|| ending_hint(path, paths()));
            return Err(InputError::Unknown {
                name: name.to_string(),
                hint,
            });
        }
        let domain = self.params.info[slots[0]].domain;
        let slots = match year {
            None => slots,
            Some(label) => vec![self.year_slot(name, &slots, label)?],
        };
        Ok(Input {
            name: name.to_string(),
            path: path.to_string(),
            slots,
            domain,
        })
    }

    fn year_slot(&self, name: &str, slots: &[usize], label: &str) -> Result<usize, InputError> {
        let bad = |message: String| InputError::BadYear {
            name: name.to_string(),
            message,
        };
        if self.params.info[slots[0]].year.is_none() {
            return Err(bad(
                "takes a single value, not a value per year; drop the `[year]`".into(),
            ));
        }
        let year = FinancialYear::parse(label).map_err(bad)?;
        let index = year.since(self.model.first_year);
        slots
            .iter()
            .copied()
            .find(|s| self.params.info[*s].year.is_some_and(|y| y as i32 == index))
            .ok_or_else(|| {
                bad(format!(
                    "{year} is outside the horizon {} to {}",
                    self.model.year_label(0),
                    self.model.year_label(self.model.years - 1)
                ))
            })
    }

    /// A copy of the scenario with the named input set to `value`.
    pub fn with_input(&self, name: &str, value: Decimal) -> Result<Scenario, InputError> {
        let input = self.input(name)?;
        let mut changed = self.clone();
        changed.params.set(&input, value)?;
        Ok(changed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;
    use std::path::Path;
    use std::str::FromStr;

    fn scenario4() -> Scenario {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
        crate::scenario::load(&path).unwrap()
    }

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn sets_a_scalar_a_series_and_one_year() {
        let s = scenario4();
        let hours = s
            .with_input("benefits.care_hours.hours_per_week", d("3"))
            .unwrap();
        let slot = s.params.slots_of("benefits.care_hours.hours_per_week")[0];
        assert_eq!(hours.params.values[slot], d("3"));

        let all = s.with_input("users.installs", d("500")).unwrap();
        for slot in s.params.slots_of("users.installs") {
            assert_eq!(all.params.values[slot], d("500"));
        }
        let one = s.with_input("users.installs[2023/24]", d("500")).unwrap();
        let slots = s.params.slots_of("users.installs");
        let values: Vec<Decimal> = slots.iter().map(|x| one.params.values[*x]).collect();
        assert_eq!(values, [d("717"), d("717"), d("500"), d("717"), d("717")]);
        assert_eq!(
            s.input("users.installs").unwrap().base(&s.params),
            Some(d("717"))
        );
        assert_eq!(one.input("users.installs").unwrap().base(&one.params), None);
        assert_ne!(
            Report::build(&one).unwrap().summary,
            Report::build(&s).unwrap().summary
        );
    }

    #[test]
    fn unknown_names_years_and_values_are_clear_errors() {
        let s = scenario4();
        let err = s.input("benefits.care_hours.hours_per_wek").unwrap_err();
        assert!(
            err.to_string()
                .contains("did you mean `benefits.care_hours.hours_per_week`")
        );
        let err = s.input("users.installs[2031/32]").unwrap_err();
        assert!(
            err.to_string()
                .contains("outside the horizon 2021/22 to 2025/26")
        );
        let err = s.input("users.attrition[2023/24]").unwrap_err();
        assert!(err.to_string().contains("single value"));
        let err = s.input("users.installs[2023/24").unwrap_err();
        assert!(err.to_string().contains("path[2023/24]"));
        let err = s.with_input("users.attrition", d("1.5")).unwrap_err();
        assert!(err.to_string().contains("between 0 and 1"), "{err}");
        let err = s.with_input("users.installs", d("-1")).unwrap_err();
        assert!(err.to_string().contains("zero or more"), "{err}");
    }
}
