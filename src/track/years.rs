//! Aggregates the periods of actuals to financial years (April to March) as at a date: which
//! years are complete, which is in progress and how many months it has, and each column's
//! total for the year (flows summed; `active_users` and latest-value KPIs taken at the last
//! period).

use super::actuals::{Actuals, Column};
use super::error::TrackError;
use super::period::{Date, Month, months_text};
use crate::model::Model;
use rust_decimal::Decimal;
use serde::Serialize;

/// Where a financial year stands at the as-at date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum YearStatus {
    /// Ended by the as-at date; its actuals cover April to March.
    Complete,
    /// Under way at the as-at date; actuals cover April to some month (perhaps none yet).
    InProgress,
    /// Not begun by the as-at date.
    Future,
}

/// One financial year of actuals.
#[derive(Debug, Clone, PartialEq)]
pub struct YearActuals {
    pub status: YearStatus,
    /// Months of actuals, from April (12 for a complete year).
    pub months: u32,
    /// One value per column of the file: flows summed over the year's periods, users at the
    /// last; `None` where not reported.
    pub values: Vec<Option<Decimal>>,
}

/// The end of the last period in the file: the default as-at date.
pub fn last_period_end(actuals: &Actuals) -> Date {
    let last = actuals
        .rows
        .iter()
        .map(|r| r.period.last_month())
        .max()
        .unwrap_or(Month {
            year: 1900,
            month: 1,
        });
    Date::end_of(last)
}

/// Each year of the horizon as at `as_at`, checked: no period after the as-at date, a year's
/// periods run on from April without a gap, a complete year is covered April to March, and a
/// column is reported in every period of a year or in none (`active_users` and latest-value
/// KPIs excepted: the last period's value is the year's).
pub fn by_year(
    actuals: &Actuals,
    model: &Model,
    as_at: Date,
) -> Result<Vec<YearActuals>, TrackError> {
    let file = &actuals.file;
    let first_start = Date {
        month: Month::of_year(model.first_year, 0),
        day: 1,
    };
    if as_at < first_start {
        return Err(TrackError::Option(format!(
            "--as-at {as_at} is before the plan's first year {} begins",
            model.first_year
        )));
    }
    let last_year = model.first_year.plus(model.years as i32 - 1);
    let last_end = Date::end_of(Month::of_year(last_year, 11));
    if as_at > last_end {
        return Err(TrackError::Option(format!(
            "--as-at {as_at} is after the plan's last year {last_year} ends ({last_end}); give a \
             date from {first_start} to {last_end}"
        )));
    }
    for row in &actuals.rows {
        if Date::end_of(row.period.last_month()) > as_at {
            return Err(TrackError::cell(
                file,
                row.row,
                row.line,
                "period",
                format!("{} ends after the as-at date {as_at}", row.period),
            ));
        }
    }
    let mut years = Vec::with_capacity(model.years);
    for t in 0..model.years {
        let year = model.first_year.plus(t as i32);
        let rows: Vec<_> = actuals
            .rows
            .iter()
            .filter(|r| r.period.year == year)
            .collect();
        let mut months = 0;
        for row in &rows {
            if row.period.first != months {
                let before = if months == 0 {
                    "the year's first period must start in April".to_string()
                } else {
                    format!(
                        "the periods before it end in {}",
                        Month::of_year(year, months - 1).name()
                    )
                };
                return Err(TrackError::cell(
                    file,
                    row.row,
                    row.line,
                    "period",
                    format!("{} leaves a gap: {before}", row.period),
                ));
            }
            months = row.period.last + 1;
        }
        let year_end = Date::end_of(Month::of_year(year, 11));
        let year_start = Date {
            month: Month::of_year(year, 0),
            day: 1,
        };
        let status = if year_end <= as_at {
            YearStatus::Complete
        } else if year_start <= as_at {
            YearStatus::InProgress
        } else {
            YearStatus::Future
        };
        if status == YearStatus::Complete && months < 12 {
            let covered = if months == 0 {
                "no period of it".to_string()
            } else {
                months_text(year, months)
            };
            let message = format!(
                "{year} ended by the as-at date {as_at} but the actuals cover {covered}; give every period of a complete year"
            );
            return Err(match rows.last() {
                Some(row) => TrackError::cell(file, row.row, row.line, "period", message),
                None => TrackError::file(file, message),
            });
        }
        let mut values = Vec::with_capacity(actuals.columns.len());
        for (c, column) in actuals.columns.iter().enumerate() {
            let stock = match column {
                Column::ActiveUsers => true,
                Column::Kpi(k) => model.kpis[*k].aggregate == crate::model::kpi::Aggregate::Latest,
                _ => false,
            };
            if stock {
                values.push(rows.last().and_then(|r| r.values[c]));
                continue;
            }
            let given: Vec<_> = rows.iter().filter(|r| r.values[c].is_some()).collect();
            let missing = rows.iter().find(|r| r.values[c].is_none());
            if let (Some(first), Some(missing)) = (given.first(), missing) {
                return Err(TrackError::cell(
                    file,
                    missing.row,
                    missing.line,
                    &actuals.names[c],
                    format!(
                        "is empty, but row {} gives it for {year}; report a figure in every period of a year or in none",
                        first.row
                    ),
                ));
            }
            let total = (!given.is_empty()).then(|| {
                given
                    .iter()
                    .map(|r| r.values[c].unwrap_or_default())
                    .sum::<Decimal>()
            });
            values.push(total);
        }
        years.push(YearActuals {
            status,
            months,
            values,
        });
    }
    Ok(years)
}

impl YearActuals {
    /// The year's value of `column`, if the file has it and reports it this year.
    pub fn get(&self, actuals: &Actuals, column: Column) -> Option<Decimal> {
        actuals.find(column).and_then(|c| self.values[c])
    }
}
