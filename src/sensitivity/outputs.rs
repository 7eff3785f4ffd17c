//! Outputs of an analysis: figures of the report named as `check` names them
//! (`summary.cumulative_net`, `year.2025/26.net`, `cost.technology.total`, ...), read with
//! [`crate::check::measure`], and the evaluation of a scenario at a point.

use super::SensitivityError;
use crate::check::measure::{Measured, measure};
use crate::export::format_money;
use crate::report::Report;
use crate::scenario::Scenario;
use crate::scenario::error::suggest;
use crate::scenario::input::Input;
use rust_decimal::Decimal;

/// How outputs are named, for error messages.
pub const HELP: &str = "name `summary.<figure>` (cumulative_net, total_benefit, total_cost, total_offsets, npv, closing_users, return_per_pound, roi, public_sector_net, people_supported, user_years, cost_per_user_year, benefit_per_user_year, benefit_to_<council|nhs|other_public|individual|society>, payback_year; `summary.` may be left off), `year.<2021/22>.<figure>` or `benefit|cost|offset.<line>.<2021/22|total>`";

/// The summary figures, which may be named without `summary.`.
pub const SUMMARY: [&str; 19] = [
    "cumulative_net",
    "total_benefit",
    "total_cost",
    "total_offsets",
    "npv",
    "closing_users",
    "return_per_pound",
    "roi",
    "public_sector_net",
    "people_supported",
    "user_years",
    "cost_per_user_year",
    "benefit_per_user_year",
    "benefit_to_council",
    "benefit_to_nhs",
    "benefit_to_other_public",
    "benefit_to_individual",
    "benefit_to_society",
    "payback_year",
];

/// The outputs of a sweep when none are chosen.
pub const DEFAULT_SWEEP: [&str; 3] = [
    "summary.cumulative_net",
    "summary.npv",
    "summary.payback_year",
];

/// What an output measures in a report: a measure of `check`, or a sum of amounts
/// (`summary.total_benefit + summary.total_cost`), which the Monte Carlo's figures read too
/// ([`crate::simulate::figures::Figure`]). `check` writes sums as expressions of its own, so
/// the sum is added here, term by term, for every analysis that names outputs.
fn measured(report: &Report, path: &str) -> Result<Measured, String> {
    if !path.contains('+') {
        return measure(report, path);
    }
    let mut total = Decimal::ZERO;
    for term in path.split('+') {
        match measure(report, term.trim())? {
            Measured::Amount(v) => {
                total = total
                    .checked_add(v)
                    .ok_or_else(|| format!("`{path}` overflows the money type"))?
            }
            Measured::Year(_) => {
                return Err(format!("`{}` is a year: a sum adds amounts", term.trim()));
            }
        }
    }
    Ok(Measured::Amount(total))
}

/// Resolves an output name against a report of the scenario: the full name it measures.
pub fn resolve(base: &Report, name: &str) -> Result<String, SensitivityError> {
    let name = name.trim();
    let full = if !name.contains('.') && SUMMARY.contains(&name) {
        format!("summary.{name}")
    } else {
        name.to_string()
    };
    match measured(base, &full) {
        Ok(_) => Ok(full),
        Err(_) => {
            let candidates = SUMMARY.map(|s| format!("summary.{s}"));
            let hint = suggest(&full, candidates.iter().map(String::as_str))
                .or_else(|| suggest(name, SUMMARY))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            Err(SensitivityError::UnknownOutput {
                name: name.to_string(),
                hint,
            })
        }
    }
}

/// Resolves an output that must be an amount of money or users (not a payback year).
pub fn resolve_amount(
    base: &Report,
    name: &str,
    needed: &'static str,
) -> Result<String, SensitivityError> {
    let full = resolve(base, name)?;
    match measured(base, &full) {
        Ok(Measured::Amount(_)) => Ok(full),
        _ => Err(SensitivityError::NotAnAmount {
            name: full,
            what: "a year, not an amount",
            needed,
        }),
    }
}

/// Reads an output known to resolve.
pub fn read(report: &Report, name: &str) -> Measured {
    measured(report, name).unwrap_or(Measured::Year(None))
}

/// Reads an amount output known to resolve as one.
pub fn amount(report: &Report, name: &str) -> Decimal {
    match measured(report, name) {
        Ok(Measured::Amount(v)) => v,
        _ => Decimal::ZERO,
    }
}

/// Plain text for CSV and JSON: the exact amount, or the year label (empty for none).
pub fn plain(value: &Measured) -> String {
    match value {
        Measured::Amount(v) => v.normalize().to_string(),
        Measured::Year(y) => y.clone().unwrap_or_default(),
    }
}

/// Display text for tables: thousands separators, `none` for no payback year.
pub fn shown(value: &Measured) -> String {
    match value {
        Measured::Amount(v) => format_money(*v),
        Measured::Year(y) => y.clone().unwrap_or_else(|| "none".into()),
    }
}

/// Sets each input to its value in `scenario` (values already checked) and reports it.
pub fn report_at(
    scenario: &mut Scenario,
    point: &[(&Input, Decimal)],
) -> Result<Report, SensitivityError> {
    for (input, value) in point {
        for slot in &input.slots {
            scenario.params.values[*slot] = *value;
        }
    }
    Report::build(scenario).map_err(|e| {
        let mut figure = e.figure;
        // A value this point set is not the one its file's line holds.
        if let Some(input) = figure.input.as_mut()
            && point.iter().any(|(i, _)| i.slots.contains(&input.slot))
        {
            input.place = Some("this point's value".into());
        }
        SensitivityError::Overflow {
            file: scenario.path().to_path_buf(),
            at: describe(point),
            figure: figure.describe(),
        }
    })
}

/// `a = 1, b = 2` for messages.
pub fn describe(point: &[(&Input, Decimal)]) -> String {
    point
        .iter()
        .map(|(input, value)| format!("{} = {}", input.name, value.normalize()))
        .collect::<Vec<_>>()
        .join(", ")
}
