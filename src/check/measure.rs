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
//! - `summary.basket.<basket>`, `year.<2021/22>.basket.<basket>`: a basket's benefit
//!   (cashable, efficiency, cost_avoidance, prevention)
//! - any of these combined with `+ - * /`, numbers and parentheses (`expr.rs`)
//! - with `actuals`, `track.<2021/22>[.forecast|.full_year].<figure>.<plan|actual|variance>`
//!   or `track.to_date.<figure>.<...>`, and `track.<year|to_date>.kpi.<name>.<...>`: a figure of `tec-model track` (`full_year` is the
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

/// Reads one measure name of a report.
pub fn measure(report: &Report, path: &str) -> Result<Measured, String> {
    let parts: Vec<&str> = path.split('.').collect();
    let unknown = || format!("`{path}` is not a measure (see `tec-model check --list-measures`)");
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
                "return_per_pound" => defined(s.return_per_pound, "there is no cost")?,
                "roi" => defined(s.roi, "there is no cost")?,
                "public_sector_net" => s.public_sector_net,
                "people_supported" => s.people_supported,
                "user_years" => s.user_years,
                "cost_per_user_year" => defined(s.cost_per_user_year, "there are no user-years")?,
                "benefit_per_user_year" => {
                    defined(s.benefit_per_user_year, "there are no user-years")?
                }
                other => party_amount(&s.benefit_by_beneficiary, other).ok_or_else(unknown)?,
            };
            Ok(Measured::Amount(value))
        }
        ["summary", "basket", basket] => {
            let mut total = Decimal::ZERO;
            for y in &report.years {
                total += basket_amount(&y.benefit_by_basket, basket).ok_or_else(unknown)?;
            }
            Ok(Measured::Amount(total))
        }
        ["year", label, "basket", basket] => {
            let year = find_year(report, label)?;
            basket_amount(&year.benefit_by_basket, basket)
                .map(Measured::Amount)
                .ok_or_else(unknown)
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

/// A ratio the report leaves undefined (no cost, no user-years) is an error, never 0.
fn defined(value: Option<Decimal>, why: &str) -> Result<Decimal, String> {
    value.ok_or_else(|| format!("undefined: {why}"))
}

fn basket_amount(amounts: &[crate::report::BasketAmount], key: &str) -> Option<Decimal> {
    amounts
        .iter()
        .find(|a| a.basket.key() == key)
        .map(|a| a.amount)
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
    let unknown =
        || format!("`{path}` is not a track measure (see `tec-model check --list-measures`)");
    let rest = path.strip_prefix("track.").ok_or_else(unknown)?;
    let (when, rest) = rest.split_once('.').ok_or_else(unknown)?;
    let (figure, field) = rest.rsplit_once('.').ok_or_else(unknown)?;
    if when == "reforecast" {
        // track.reforecast.<year>.<figure>.<plan|actual|variance>: approved against re-forecast.
        let (year, figure) = figure.split_once('.').ok_or_else(unknown)?;
        let found = report
            .reforecast
            .years
            .iter()
            .find(|y| y.year == year)
            .ok_or_else(|| format!("the plan has no year `{year}`"))?
            .figures
            .iter()
            .find(|c| c.figure == figure)
            .ok_or_else(|| {
                format!(
                    "no re-forecast figure `{figure}`: closing_users, net, budget_net or cumulative_net"
                )
            })?;
        let value = match field {
            "plan" => Some(found.plan),
            "actual" => found.actual,
            "variance" => found.variance,
            _ => return Err(unknown()),
        };
        return value
            .map(Measured::Amount)
            .ok_or_else(|| format!("`{path}` is not reported"));
    }
    if let Some(name) = figure.strip_prefix("kpi.") {
        let rows = if when == "to_date" {
            &report.kpis_to_date
        } else {
            &report
                .years
                .iter()
                .find(|y| y.year == when)
                .ok_or_else(|| format!("the plan has no year `{when}`"))?
                .kpis
        };
        if !report.kpis.iter().any(|k| k.name == name) {
            let names = report.kpis.iter().map(|k| k.name.as_str());
            let hint = crate::scenario::error::suggest(name, names)
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(format!("the plan has no KPI `{name}`{hint}"));
        }
        let found = rows
            .iter()
            .find(|k| k.figure == figure)
            .ok_or_else(|| format!("`{path}`: {when} has no actuals"))?;
        let value = match field {
            "plan" => found.plan,
            "actual" => found.actual,
            "variance" => found.variance,
            _ => return Err(unknown()),
        };
        return value
            .map(Measured::Amount)
            .ok_or_else(|| format!("`{path}` is not reported (or the plan sets no value)"));
    }
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

/// Every measure name, as `tec-model check --list-measures` prints it.
pub const LIST: &str = "\
Measures a fixture can read (combine them with + - * /, numbers and parentheses;
a `/` between two digits is part of a year label, so write spaces around a division):

Whole horizon (the council's own unless named otherwise)
  summary.cumulative_net          cumulative net benefit at the end of the horizon
  summary.total_benefit           benefit to the council
  summary.total_cost              cost paid by the council
  summary.total_offsets           funding set against cost (e.g. IBCF)
  summary.npv                     net present value at the scenario's discount rate
  summary.public_sector_net       net benefit to the whole public sector
  summary.closing_users           TEC users at the end of the horizon
  summary.people_supported        opening users plus every install
  summary.user_years              user-years over the horizon
  summary.return_per_pound        benefit per £1 of cost (undefined with no cost)
  summary.roi                     (benefit - cost) / cost (undefined with no cost)
  summary.cost_per_user_year      cost per user-year (undefined with no user-years)
  summary.benefit_per_user_year   benefit per user-year (undefined with no user-years)
  summary.benefit_to_<party>      benefit to council, nhs, other_public, individual, society
  summary.basket.<basket>         benefit in cashable, efficiency, cost_avoidance, prevention
  summary.payback_year            the first year cumulative net is 0 or more (a year:
                                  compare with published_year; not in an expression)

One financial year (year.2021/22.<field>)
  opening_users installs leavers closing_users benefiting_users user_years
  total_benefit total_cost offsets net cumulative_net discounted_net public_sector_net
  benefit_to_<party>
  year.<year>.basket.<basket>
  year.<year>.cohort.<cohort>.<opening_users|installs|leavers|closing_users>

Lines (by their key in the scenario)
  benefit.<line>.<year|total>     cost.<line>.<year|total>     offset.<line>.<year|total>
  cost.<line>.<post>.<year|total> one post of a staffing line

Tracking (the figure needs `actuals`)
  track.<year>.<figure>.<plan|actual|variance>
  track.<year>.forecast.<figure>.<plan|actual|variance>
  track.<year>.full_year.<figure>.<plan|actual|variance>  (year to date against the full year)
  track.to_date.<figure>.<plan|actual|variance>
  track.<year>.kpi.<name>.<plan|actual|variance>    a KPI of the plan's `kpis` section
  track.reforecast.<year>.<closing_users|net|budget_net|cumulative_net>.<plan|actual|variance>
                                  approved (plan) against re-forecast (actual)
  track.to_date.kpi.<name>.<plan|actual|variance>

Several scenarios: with `scenarios: {option2: a.yaml, option3: b.yaml}`, prefix every name
with its scenario's name: option2.summary.npv - option3.summary.npv
";
