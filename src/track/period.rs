//! Periods of actuals (a month, a quarter, a financial year or a run of months), calendar
//! months and dates, all placed within English financial years (April to March).

use crate::fy::FinancialYear;
use std::fmt;

const MONTHS: [&str; 12] = [
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
    "January",
    "February",
    "March",
];

/// A calendar month: `month` is 1 (January) to 12.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    /// Parses `2021-04`.
    pub fn parse(text: &str) -> Result<Month, String> {
        let (year, month) = crate::scenario::tracking::parse_month(text)?;
        Ok(Month { year, month })
    }

    /// The financial year the month falls in, and its place in it (0 is April, 11 March).
    pub fn in_year(self) -> (FinancialYear, u32) {
        if self.month >= 4 {
            (FinancialYear(self.year), self.month - 4)
        } else {
            (FinancialYear(self.year - 1), self.month + 8)
        }
    }

    /// Month `index` (0 is April) of financial year `year`.
    pub fn of_year(year: FinancialYear, index: u32) -> Month {
        if index < 9 {
            Month {
                year: year.0,
                month: index + 4,
            }
        } else {
            Month {
                year: year.0 + 1,
                month: index - 8,
            }
        }
    }

    /// Months from the end of `self` to the end of `later` (negative if `later` is earlier).
    pub fn months_until(self, later: Month) -> i64 {
        (later.year as i64 * 12 + later.month as i64) - (self.year as i64 * 12 + self.month as i64)
    }

    pub fn last_day(self) -> u32 {
        match self.month {
            4 | 6 | 9 | 11 => 30,
            2 if (self.year % 4 == 0 && self.year % 100 != 0) || self.year % 400 == 0 => 29,
            2 => 28,
            _ => 31,
        }
    }

    /// `August 2024`.
    pub fn name(self) -> String {
        format!("{} {}", MONTHS[self.in_year().1 as usize], self.year)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.year, self.month)
    }
}

/// A calendar date, for `--as-at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    pub month: Month,
    pub day: u32,
}

impl Date {
    /// Parses `2021-12-31`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let bad = || format!("`{text}` is not a date like 2021-12-31");
        let trimmed = text.trim();
        let (month, day) = trimmed.rsplit_once('-').ok_or_else(bad)?;
        // A date of the right shape with a year or month out of range says which.
        let shaped = day.len() == 2 && day.bytes().all(|b| b.is_ascii_digit());
        let month = Month::parse(month).map_err(|m| {
            if shaped && m.contains("outside the years") {
                m.replace(&format!("`{}`", month.trim()), &format!("`{trimmed}`"))
            } else if shaped && m.contains("months are 01 to 12") {
                format!("`{trimmed}` is not a date like 2021-12-31: months are 01 to 12")
            } else {
                bad()
            }
        })?;
        if day.len() != 2 {
            return Err(bad());
        }
        let day: u32 = day.parse().map_err(|_| bad())?;
        if day == 0 || day > month.last_day() {
            return Err(format!("`{text}` is not a day of {}", month.name()));
        }
        Ok(Date { month, day })
    }

    /// The last day of `month`.
    pub fn end_of(month: Month) -> Date {
        Date {
            month,
            day: month.last_day(),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{:02}", self.month, self.day)
    }
}

/// A run of whole months within one financial year: `first` and `last` are month places
/// (0 is April, 11 March), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    pub year: FinancialYear,
    pub first: u32,
    pub last: u32,
}

impl Period {
    /// Parses a month `2021-04`, a quarter `2021/22 Q1` (Q1 is April to June), a financial
    /// year `2021/22`, or a run of months within one financial year `2024-04..2024-08`.
    pub fn parse(text: &str) -> Result<Period, String> {
        let trimmed = text.trim();
        let expected = "a month (2021-04), a quarter (2021/22 Q1), a financial year (2021/22) \
                        or months of one financial year (2024-04..2024-08)";
        if let Some((from, to)) = trimmed.split_once("..") {
            let (year, first) = Month::parse(from)
                .map_err(|m| why(text, expected, m))?
                .in_year();
            let (to_year, last) = Month::parse(to)
                .map_err(|m| why(text, expected, m))?
                .in_year();
            if to_year != year || last < first {
                return Err(format!(
                    "`{trimmed}` must run forwards within one financial year (April to March)"
                ));
            }
            return Ok(Period { year, first, last });
        }
        if let Some((year, quarter)) = trimmed.split_once(' ') {
            let year = FinancialYear::parse(year).map_err(|m| why(text, expected, m))?;
            let q = match quarter.trim().to_ascii_uppercase().as_str() {
                "Q1" => 0,
                "Q2" => 1,
                "Q3" => 2,
                "Q4" => 3,
                _ => return Err(bad(text, expected)),
            };
            return Ok(Period {
                year,
                first: q * 3,
                last: q * 3 + 2,
            });
        }
        if trimmed.contains('/') {
            let year = FinancialYear::parse(trimmed).map_err(|m| why(text, expected, m))?;
            return Ok(Period {
                year,
                first: 0,
                last: 11,
            });
        }
        let (year, index) = Month::parse(trimmed)
            .map_err(|m| why(text, expected, m))?
            .in_year();
        Ok(Period {
            year,
            first: index,
            last: index,
        })
    }

    pub fn months(self) -> u32 {
        self.last - self.first + 1
    }

    pub fn overlaps(self, other: Period) -> bool {
        self.year == other.year && self.first <= other.last && other.first <= self.last
    }

    pub fn first_month(self) -> Month {
        Month::of_year(self.year, self.first)
    }

    pub fn last_month(self) -> Month {
        Month::of_year(self.year, self.last)
    }
}

/// A period as written: one period within a financial year, or a run of whole months that
/// crosses financial years (`2021-07..2024-08`, or by dates `2021-07-01..2024-08-31`), which
/// the actuals split across the years it covers by days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    One(Period),
    Span(Span),
}

/// Whole months from `first` to `last`, inclusive, in more than one financial year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    pub first: Month,
    pub last: Month,
}

/// Days from the first of `from` to the end of `to` (both inclusive; 0 if `to` is earlier).
pub fn days(from: Month, to: Month) -> u32 {
    let mut total = 0;
    let mut m = from;
    while m <= to {
        total += m.last_day();
        m = if m.month == 12 {
            Month {
                year: m.year + 1,
                month: 1,
            }
        } else {
            Month {
                year: m.year,
                month: m.month + 1,
            }
        };
    }
    total
}

impl Span {
    /// The part of the span in each financial year it covers, first first, with its days.
    pub fn pieces(self) -> Vec<(Period, u32)> {
        let (first_year, first) = self.first.in_year();
        let (last_year, last) = self.last.in_year();
        let mut out = Vec::new();
        let mut year = first_year;
        while year <= last_year {
            let from = if year == first_year { first } else { 0 };
            let to = if year == last_year { last } else { 11 };
            let period = Period {
                year,
                first: from,
                last: to,
            };
            out.push((period, days(period.first_month(), period.last_month())));
            year = year.plus(1);
        }
        out
    }
}

impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.first, self.last)
    }
}

/// One end of a run: a month `2021-07`, or a date `2021-07-01` that starts (`start`) or ends
/// its month, as periods are whole months.
fn run_end(text: &str, start: bool) -> Result<Month, String> {
    let trimmed = text.trim();
    if trimmed.matches('-').count() == 2 {
        let date = Date::parse(trimmed)?;
        let whole = if start {
            date.day == 1
        } else {
            date.day == date.month.last_day()
        };
        if !whole {
            let (edge, day) = if start {
                ("start on the 1st", "01".to_string())
            } else {
                ("end on its last day", date.month.last_day().to_string())
            };
            return Err(format!(
                "`{trimmed}`: periods are whole months, so a run by dates must {edge} \
                 (`{}-{day}`)",
                date.month
            ));
        }
        return Ok(date.month);
    }
    Month::parse(trimmed)
}

impl Written {
    /// Parses what [`Period::parse`] reads, and runs of months across financial years.
    pub fn parse(text: &str) -> Result<Written, String> {
        let trimmed = text.trim();
        let Some((from, to)) = trimmed.split_once("..") else {
            return Period::parse(text).map(Written::One);
        };
        let expected = "a month (2021-04), a quarter (2021/22 Q1), a financial year (2021/22) \
                        or a run of months (2024-04..2024-08, 2021-07..2024-08 or \
                        2021-07-01..2024-08-31)";
        // A date that is not a month's edge says so; anything else is not a period.
        let end = |m: String| {
            if m.contains("periods are whole months") {
                format!("`{trimmed}`: {m}")
            } else {
                why(text, expected, m)
            }
        };
        let first = run_end(from, true).map_err(end)?;
        let last = run_end(to, false).map_err(end)?;
        if last < first {
            return Err(format!(
                "`{trimmed}` must run forwards: it ends before it starts"
            ));
        }
        let ((year, a), (to_year, b)) = (first.in_year(), last.in_year());
        if year == to_year {
            return Ok(Written::One(Period {
                year,
                first: a,
                last: b,
            }));
        }
        Ok(Written::Span(Span { first, last }))
    }
}

fn bad(text: &str, expected: &str) -> String {
    format!("`{}` is not a period: write {expected}", text.trim())
}

/// A part of the period that has the right shape but is out of range (a year after 2200, a
/// 13th month) says so; anything else is not a period.
fn why(text: &str, expected: &str, message: String) -> String {
    let whole = format!("`{}`", text.trim());
    if message.contains("months are 01 to 12") {
        format!("{whole} is not a period: months are 01 to 12")
    } else if message.starts_with(&whole) {
        message
    } else if message.contains("is outside the") {
        format!("{whole}: {message}")
    } else {
        bad(text, expected)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.first, self.last) {
            (0, 11) => write!(f, "{}", self.year),
            (a, b) if a == b => write!(f, "{}", self.first_month()),
            (a, b) if a % 3 == 0 && b == a + 2 => write!(f, "{} Q{}", self.year, a / 3 + 1),
            _ => write!(f, "{}..{}", self.first_month(), self.last_month()),
        }
    }
}

/// `April to December 2021`, or `April 2021` for one month.
pub fn months_text(year: FinancialYear, months: u32) -> String {
    let last = Month::of_year(year, months.saturating_sub(1));
    if months <= 1 {
        last.name()
    } else {
        format!("April to {}", last.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Period {
        Period::parse(text).unwrap()
    }

    #[test]
    fn periods_fall_in_april_to_march_years() {
        let april = p("2021-04");
        assert_eq!(
            (april.year, april.first, april.last),
            (FinancialYear(2021), 0, 0)
        );
        let march = p("2022-03");
        assert_eq!((march.year, march.first), (FinancialYear(2021), 11));
        let january = p("2022-01");
        assert_eq!(january.year, FinancialYear(2021));
        assert_eq!(
            p("2021/22 Q3"),
            Period {
                year: FinancialYear(2021),
                first: 6,
                last: 8
            }
        );
        assert_eq!(
            p("2021/22 q4").last_month(),
            Month {
                year: 2022,
                month: 3
            }
        );
        assert_eq!(p("2021/22").months(), 12);
        assert_eq!(p("2024-04..2024-08").months(), 5);
    }

    #[test]
    fn periods_print_as_written() {
        for text in [
            "2021-04",
            "2022-02",
            "2021/22 Q1",
            "2021/22",
            "2024-04..2024-08",
        ] {
            assert_eq!(p(text).to_string(), text);
        }
        assert_eq!(p("2021-04..2021-06").to_string(), "2021/22 Q1");
    }

    #[test]
    fn bad_periods_are_errors() {
        for bad in [
            "2021-13",
            "2021/23",
            "2021/22 Q5",
            "Q1",
            "2022-03..2022-04",
            "2021-08..2021-05",
            "",
            "April",
        ] {
            assert!(Period::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn runs_across_years_split_into_pieces_with_their_days() {
        let Written::Span(span) = Written::parse("2021-07-01..2024-08-31").unwrap() else {
            panic!("a span")
        };
        assert_eq!(
            Written::parse("2021-07..2024-08").unwrap(),
            Written::Span(span)
        );
        let pieces: Vec<(String, u32)> = span
            .pieces()
            .into_iter()
            .map(|(p, d)| (p.to_string(), d))
            .collect();
        // July 2021 to March 2022; two whole years (2023/24 holds 29 February 2024); April to
        // August 2024.
        assert_eq!(
            pieces,
            [
                ("2021-07..2022-03".to_string(), 274),
                ("2022/23".to_string(), 365),
                ("2023/24".to_string(), 366),
                ("2024-04..2024-08".to_string(), 153)
            ]
        );
        assert_eq!(
            Written::parse("2024-04-01..2024-08-31").unwrap(),
            Written::One(p("2024-04..2024-08"))
        );
        for bad in [
            "2021-07-02..2024-08-31",
            "2021-07-01..2024-08-30",
            "2024-08..2021-07",
            "2021-07..2024-13",
        ] {
            assert!(Written::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn overlap_is_within_one_year() {
        assert!(p("2021/22 Q1").overlaps(p("2021-05")));
        assert!(p("2021/22").overlaps(p("2022-03")));
        assert!(!p("2021/22 Q1").overlaps(p("2021-07")));
        assert!(!p("2021/22").overlaps(p("2022-04")));
    }

    #[test]
    fn dates_and_months() {
        assert!(Date::parse("2024-02-29").is_ok());
        assert!(Date::parse("2023-02-29").is_err());
        assert!(Date::parse("2021-12-32").is_err());
        assert_eq!(Date::parse("2021-12-31").unwrap().to_string(), "2021-12-31");
        let aug = Month {
            year: 2024,
            month: 8,
        };
        assert_eq!(
            aug.months_until(Month {
                year: 2028,
                month: 3
            }),
            43
        );
        assert_eq!(aug.name(), "August 2024");
        assert_eq!(
            months_text(FinancialYear(2021), 9),
            "April to December 2021"
        );
    }
}
