//! English financial years (1 April to 31 March), written `2021/22`.

use std::fmt;

/// The calendar years the model takes (a financial year starts in one of them).
pub const YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Refuses a calendar year outside [`YEARS`]: "`{text}` is outside the years ...".
pub fn check_year(text: &str, year: i32) -> Result<(), String> {
    if YEARS.contains(&year) {
        return Ok(());
    }
    Err(format!(
        "`{text}` is outside the years the model takes, {} to {}",
        YEARS.start(),
        YEARS.end()
    ))
}

/// A financial year, stored as the calendar year it starts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    /// Parses `2021/22` or `2021-22`; the second part must be the following year.
    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || format!("`{text}` is not a financial year like 2021/22");
        let (start, end) = text.trim().split_once(['/', '-']).ok_or_else(bad)?;
        if start.len() != 4 || !(end.len() == 2 || end.len() == 4) {
            return Err(bad());
        }
        let start: i32 = start.parse().map_err(|_| bad())?;
        let end: i32 = end.parse().map_err(|_| bad())?;
        if !YEARS.contains(&start) {
            return Err(format!(
                "`{text}` is outside the financial years the model takes, {} to {}",
                FinancialYear(*YEARS.start()),
                FinancialYear(*YEARS.end())
            ));
        }
        let expected = if end < 100 {
            (start + 1) % 100
        } else {
            start + 1
        };
        if end != expected {
            return Err(format!("`{text}` does not run from one year into the next"));
        }
        Ok(FinancialYear(start))
    }

    /// The year `offset` years later.
    pub fn plus(self, offset: i32) -> Self {
        FinancialYear(self.0 + offset)
    }

    /// How many years `self` is after `earlier` (negative if before).
    pub fn since(self, earlier: FinancialYear) -> i32 {
        self.0 - earlier.0
    }
}

impl fmt::Display for FinancialYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1) % 100)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints_financial_years() {
        let year = FinancialYear::parse("2021/22").unwrap();
        assert_eq!(year, FinancialYear(2021));
        assert_eq!(year.to_string(), "2021/22");
        assert_eq!(
            FinancialYear::parse("1999-2000").unwrap().to_string(),
            "1999/00"
        );
        assert_eq!(year.plus(4).to_string(), "2025/26");
    }

    #[test]
    fn rejects_labels_that_are_not_financial_years() {
        for bad in ["2021", "2021/23", "21/22", "abcd/ef", "2021/2", ""] {
            assert!(FinancialYear::parse(bad).is_err(), "{bad}");
        }
        // A well-formed year out of range says so, not that it is not a year.
        assert_eq!(
            FinancialYear::parse("1000/01").unwrap_err(),
            "`1000/01` is outside the financial years the model takes, 1900/01 to 2200/01"
        );
    }
}
