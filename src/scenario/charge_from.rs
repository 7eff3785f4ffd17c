//! A charge's start date, `from: { date: 2018-04-15, source: ... }`: the day a user charge
//! begins, held as the input `offsets.<line>.from` (days from 1 April of the horizon's first
//! year), with the days of each financial year so the engine can charge the part of a year
//! from that day.

use super::params::{Domain, Provenance};
use super::resolve::{Builder, Result, fail};
use crate::model::spec::ChargeFrom;
use rust_decimal::Decimal;
use serde::Deserialize;

/// A start date with where it comes from (a date is an input, so it needs provenance).
#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping such as `{ date: 2018-04-15, source: ... }`"
)]
pub struct RawFrom {
    /// The first day charged, `2018-04-15` (year-month-day).
    pub date: String,
    pub source: Option<String>,
    pub calibrated: Option<bool>,
    pub reason: Option<String>,
}

/// Days from 1 January of year 0 in the proleptic Gregorian calendar (a day count, so that
/// two dates subtract to the days between them).
fn day_number(year: i64, month: i64, day: i64) -> i64 {
    let (y, m) = if month <= 2 {
        (year - 1, month + 9)
    } else {
        (year, month - 3)
    };
    let era = y.div_euclid(400);
    let of_era = y - era * 400;
    let of_year = (153 * m + 2) / 5 + day - 1;
    let of_cycle = of_era * 365 + of_era / 4 - of_era / 100 + of_year;
    era * 146_097 + of_cycle
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// `2018-04-15` as (year, month, day); a clear message for anything else.
pub fn parse_date(text: &str) -> std::result::Result<(i32, u32, u32), String> {
    let bad = || format!("`{text}` is not a date like 2018-04-15");
    let mut parts = text.trim().split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if !(digits(y) && digits(m) && digits(d)) {
        return Err(bad());
    }
    let (year, month, day): (i32, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&month) {
        return Err(format!(
            "`{text}` is not a date like 2018-04-15: months are 01 to 12"
        ));
    }
    if day == 0 || day > days_in_month(year, month) {
        return Err(format!(
            "`{text}` is not a date: that month has {} days",
            days_in_month(year, month)
        ));
    }
    crate::fy::check_year(text.trim(), year)?;
    Ok((year, month, day))
}

/// Days from 1 April of financial year `first` (e.g. 2018 for 2018/19) to the date.
fn days_since_april(first: i32, (year, month, day): (i32, u32, u32)) -> i64 {
    day_number(year.into(), month.into(), day.into()) - day_number(first.into(), 4, 1)
}

impl Builder {
    /// A user charge's `from` as the input at `keys` (days from 1 April of the first year),
    /// with the days of each financial year of the horizon. Any day of the horizon.
    pub(super) fn charge_from(&mut self, raw: &RawFrom, keys: &[String]) -> Result<ChargeFrom> {
        fn given(text: &Option<String>) -> Option<&str> {
            text.as_deref().map(str::trim).filter(|t| !t.is_empty())
        }
        let provenance = match (given(&raw.source), raw.calibrated, given(&raw.reason)) {
            (Some(source), None | Some(false), None) => Provenance::source(source),
            (None, Some(true), Some(reason)) => Provenance::calibrated(reason),
            _ => {
                return fail(
                    keys,
                    "a start date needs where it comes from, as every input does: write \
                     `from: { date: 2018-04-15, source: \"...\" }`, or `calibrated: true` with a \
                     `reason`",
                );
            }
        };
        let date = parse_date(&raw.date).or_else(|m| fail(keys, m))?;
        let first = self.first_year.0;
        let year_days: Vec<i64> = (0..self.years as i32)
            .map(|t| days_since_april(first + t, (first + t + 1, 4, 1)))
            .collect();
        let horizon_days: i64 = year_days.iter().sum();
        let day = days_since_april(first, date);
        if !(0..horizon_days).contains(&day) {
            return fail(
                keys,
                format!(
                    "{} is outside the horizon, 1 April {} to 31 March {}: a charge in place \
                     before the horizon needs no `from`",
                    raw.date.trim(),
                    first,
                    first + self.years as i32
                ),
            );
        }
        let domain = Domain::UpTo(Decimal::from(horizon_days - 1));
        let info = self.info(keys, None, domain, provenance);
        let slot = self.params.push(Decimal::from(day), info);
        Ok(ChargeFrom {
            day: slot,
            year_days,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_days_across_leap_years() {
        assert_eq!(days_since_april(2018, (2018, 4, 15)), 14);
        assert_eq!(days_since_april(2018, (2019, 4, 1)), 365);
        assert_eq!(days_since_april(2019, (2020, 4, 1)), 366);
        assert_eq!(days_since_april(2018, (2018, 3, 31)), -1);
    }

    #[test]
    fn reads_only_real_dates() {
        assert_eq!(parse_date("2018-04-15"), Ok((2018, 4, 15)));
        assert_eq!(parse_date("2020-02-29"), Ok((2020, 2, 29)));
        assert!(parse_date("2019-02-29").unwrap_err().contains("28 days"));
        assert!(parse_date("2018-4-15").is_err());
        assert!(
            parse_date("2018-13-01")
                .unwrap_err()
                .contains("months are 01 to 12")
        );
        assert!(parse_date("15/04/2018").is_err());
        assert!(parse_date("2018-04-15-01").is_err());
        assert!(parse_date("+018-04-15").is_err());
    }
}
