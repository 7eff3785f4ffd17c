//! Reads one figure out of a report by a dotted path.
//!
//! - `summary.<field>`: cumulative_net, total_benefit, total_cost, total_offsets, npv,
//!   closing_users, return_per_pound, roi, public_sector_net, people_supported, user_years,
//!   cost_per_user_year, benefit_per_user_year, benefit_to_<party>, payback_year
//! - `year.<2021/22>.<field>`: any per-year figure (closing_users, net, total_cost,
//!   public_sector_net, user_years, benefit_to_<party>, ...)
//! - `<party>` is council, nhs, other_public, individual or society
//! - `year.<2021/22>.cohort.<name>.<field>`: one cohort's opening_users, installs, leavers or
//!   closing_users (a scenario with several cohorts)
//! - `benefit|cost|offset.<line>[.<post>].<2021/22|total>`: a line, or a staffing post
//! - `a + b`: the sum of several amounts
//! - with `actuals`, `track.<2021/22>[.forecast|.full_year].<figure>.<plan|actual|variance>`
//!   or `track.to_date.<figure>.<...>`: a figure of `tec-model track` (`full_year` is the
//!   year to date against the full-year plan)

use crate::report::{LineAmount, PartyAmount, Report, YearReport};
use crate::track::TrackReport;
use rust_decimal::Decimal;

/// A measured value: an amount, or a financial year label (payback).
#[derive(Debug, Clone, PartialEq)]
pub enum Measured {
    Amount(Decimal),
    Year(Option<String>),
}

pub fn measure(report: &Report, path: &str) -> Result<Measured, String> {
    // A published figure may add up several lines ("contract and mobilisation: £2.3m").
    if path.contains('+') {
        let mut total = Decimal::ZERO;
        for term in path.split('+') {
            match measure_one(report, term.trim())? {
                Measured::Amount(v) => total += v,
                Measured::Year(_) => {
                    return Err(format!("`{term}` is a year; only amounts add up"));
                }
            }
        }
        return Ok(Measured::Amount(total));
    }
    measure_one(report, path)
}

fn measure_one(report: &Report, path: &str) -> Result<Measured, String> {
    let parts: Vec<&str> = path.split('.').collect();
    let unknown = || format!("`{path}` is not a measure (see `tec-model check --help`)");
    let s = &report.summary;
    match parts.as_slice() {
        ["summary", "payback_year"] => Ok(Measured::Year(s.payback_year.clone())),
        ["summary", field] => {
            let value = match *field {
                "cumulative_net" => s.cumulative_net,
                "total_benefit" => s.total_benefit,
                "total_cost" => s.total_cost,
                "total_offsets" => s.total_offsets,
                "npv" => s.npv,
                "closing_users" => s.closing_users,
                "return_per_pound" => s.return_per_pound.unwrap_or_default(),
                "roi" => s.roi.unwrap_or_default(),
                "public_sector_net" => s.public_sector_net,
                "people_supported" => s.people_supported,
                "user_years" => s.user_years,
                "cost_per_user_year" => s.cost_per_user_year.unwrap_or_default(),
                "benefit_per_user_year" => s.benefit_per_user_year.unwrap_or_default(),
                other => party_amount(&s.benefit_by_beneficiary, other).ok_or_else(unknown)?,
            };
            Ok(Measured::Amount(value))
        }
        ["year", label, field] => {
            let year = find_year(report, label)?;
            year_field(year, field)
                .map(Measured::Amount)
                .ok_or_else(unknown)
        }
        ["year", label, "cohort", name, field] => {
            let year = find_year(report, label)?;
            let cohort = year
                .cohorts
                .iter()
                .find(|c| c.cohort == *name)
                .ok_or_else(|| format!("no cohort `{name}` (a scenario with several cohorts)"))?;
            let value = match *field {
                "opening_users" => cohort.opening_users,
                "installs" => cohort.installs,
                "leavers" => cohort.leavers,
                "closing_users" => cohort.closing_users,
                _ => return Err(unknown()),
            };
            Ok(Measured::Amount(value))
        }
        [section @ ("benefit" | "cost" | "offset"), line, rest @ ..] => {
            let lines = |y: &YearReport| -> Vec<LineAmount> {
                match *section {
                    "benefit" => y.benefit_lines.clone(),
                    "cost" => y.cost_lines.clone(),
                    _ => y.offset_lines.clone(),
                }
            };
            let (post, when) = match rest {
                [when] => (None, *when),
                [post, when] => (Some(*post), *when),
                _ => return Err(unknown()),
            };
            let pick = |y: &YearReport| -> Result<Decimal, String> {
                let all = lines(y);
                let found = all
                    .iter()
                    .find(|l| l.name == *line)
                    .ok_or_else(|| format!("no {section} line `{line}`"))?;
                match post {
                    None => Ok(found.amount),
                    Some(p) => found
                        .parts
                        .iter()
                        .find(|x| x.name == p)
                        .map(|x| x.amount)
                        .ok_or_else(|| format!("line `{line}` has no post `{p}`")),
                }
            };
            if when == "total" {
                report
                    .years
                    .iter()
                    .map(pick)
                    .sum::<Result<Decimal, String>>()
                    .map(Measured::Amount)
            } else {
                pick(find_year(report, when)?).map(Measured::Amount)
            }
        }
        _ => Err(unknown()),
    }
}

fn find_year<'r>(report: &'r Report, label: &str) -> Result<&'r YearReport, String> {
    report
        .years
        .iter()
        .find(|y| y.year == label)
        .ok_or_else(|| format!("the scenario has no year `{label}`"))
}

fn year_field(year: &YearReport, field: &str) -> Option<Decimal> {
    Some(match field {
        "opening_users" => year.opening_users,
        "installs" => year.installs,
        "leavers" => year.leavers,
        "closing_users" => year.closing_users,
        "benefiting_users" => year.benefiting_users,
        "total_benefit" => year.total_benefit,
        "total_cost" => year.total_cost,
        "offsets" => year.offsets,
        "net" => year.net,
        "cumulative_net" => year.cumulative_net,
        "discounted_net" => year.discounted_net,
        "public_sector_net" => year.public_sector_net,
        "user_years" => year.user_years,
        other => return party_amount(&year.benefit_by_beneficiary, other),
    })
}

/// `benefit_to_<party>`: the benefit that accrues to one party.
fn party_amount(amounts: &[PartyAmount], field: &str) -> Option<Decimal> {
    let party = field.strip_prefix("benefit_to_")?;
    amounts
        .iter()
        .find(|a| a.party.key() == party)
        .map(|a| a.amount)
}

/// Reads one figure of a tracking report (see the module's list).
pub fn measure_track(report: &TrackReport, path: &str) -> Result<Measured, String> {
    let unknown = || format!("`{path}` is not a track measure (see `src/check/measure.rs`)");
    let rest = path.strip_prefix("track.").ok_or_else(unknown)?;
    let (when, rest) = rest.split_once('.').ok_or_else(unknown)?;
    let (figure, field) = rest.rsplit_once('.').ok_or_else(unknown)?;
    let comparisons = if when == "to_date" {
        &report.to_date
    } else {
        let year = report
            .years
            .iter()
            .find(|y| y.year == when)
            .ok_or_else(|| format!("the plan has no year `{when}`"))?;
        match figure.split_once('.') {
            Some(("forecast", _)) => &year.forecast,
            Some(("full_year", _)) => &year.to_date_against_full_year,
            _ => &year.comparisons,
        }
    };
    let figure = figure
        .strip_prefix("forecast.")
        .or_else(|| figure.strip_prefix("full_year."))
        .unwrap_or(figure);
    let found = comparisons
        .iter()
        .find(|c| c.figure == figure)
        .ok_or_else(|| format!("no tracked figure `{figure}` for `{when}`"))?;
    let value = match field {
        "plan" => Some(found.plan),
        "actual" => found.actual,
        "variance" => found.variance,
        _ => return Err(unknown()),
    };
    value
        .map(Measured::Amount)
        .ok_or_else(|| format!("`{path}` is not reported"))
}
