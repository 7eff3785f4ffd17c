//! `tec-model track`: benefits realisation. Actuals against the approved plan, per financial
//! year and to date, by line and by the LGA's four baskets (with the budget-reducing MTFS
//! view), RAG-rated, and a re-forecast of the remaining years by the same engine.

pub mod actuals;
pub mod ambition;
pub mod columns;
pub mod error;
pub mod figures;
pub mod kpis;
pub mod period;
pub mod rates;
pub mod reforecast;
pub mod report;
pub mod variance;
pub mod years;

pub use actuals::Actuals;
pub use error::TrackError;
pub use report::TrackReport;

use actuals::Column;
use figures::{Figures, Parts, plan_figures, whole};
use period::{Date, Month, months_text};
use report::*;
use rust_decimal::Decimal;
use variance::{Thresholds, compare, compare_all};
use years::YearActuals;

use crate::model::Model;
use crate::scenario::Scenario;
use crate::scenario::document::Basket;

/// Choices of the `track` command, as given (parsed here, so that errors exit 2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TrackOptions {
    /// `--as-at 2021-12-31`.
    pub as_at: Option<String>,
    /// `--rag green=0.05,amber=0.15`.
    pub rag: Option<String>,
    /// `--actual-rates`: re-forecast with actual unit costs.
    pub actual_rates: bool,
}

const PHASING: &str = "even by month: a year to date of m months is m/12 of each planned line \
    (rounded as the plan rounds money, line by line) and of installs and leavers; planned users \
    move in a straight line from the year's opening to its closing users";
const SIGN: &str = "variance = actual - plan: positive means more than planned (good for \
    benefit, offsets, net, installs and users; bad for cost and leavers); % is of plan";
const RAG_RULE: &str = "directional: a variance in the good direction is green; an adverse \
    one (benefit, offsets, net, installs or users below plan; cost or leavers above) is green \
    within the green share of plan, amber within the amber share, red beyond; no status where \
    the plan is zero";
const METHOD: &str = "complete years are actuals (lines not reported taken at plan); from \
    the first year not complete, the plan is re-run by the same engine from the actual users at \
    the end of the year before (reported, or where only installs are reported, the year's \
    opening users plus its installs less its leavers, reported or the plan's), split between earlier users and each year's cohort in the \
    plan's proportions; a year in progress is its actuals to date plus the rest of the re-run \
    year, phased evenly by month; later years are re-run from that year's forecast closing \
    users (actual users to date plus the re-run's change over the rest of the year)";

fn thresholds(
    scenario: &Scenario,
    options: &TrackOptions,
) -> Result<(Thresholds, String), TrackError> {
    if let Some(text) = &options.rag {
        let t = Thresholds::parse(text).map_err(TrackError::Option)?;
        return Ok((t, format!("--rag {text}")));
    }
    if let Some((green, amber)) = scenario.tracking.rag {
        let params = &scenario.params;
        let t = Thresholds {
            green: params.values[green],
            amber: params.values[amber],
        }
        .checked()
        .map_err(|m| {
            TrackError::Option(format!("{}: tracking.rag: {m}", scenario.path().display()))
        })?;
        return Ok((
            t,
            format!("plan (tracking.rag; {})", params.info[green].provenance),
        ));
    }
    let t = Thresholds {
        green: Decimal::new(5, 2),
        amber: Decimal::new(15, 2),
    };
    Ok((t, "the default".into()))
}

fn budget_reducing(scenario: &Scenario, actuals: &Actuals) -> (Vec<Basket>, String) {
    if let Some(baskets) = &actuals.budget_reducing {
        return (baskets.clone(), "actuals file (#! budget_reducing)".into());
    }
    if let Some((baskets, provenance)) = &scenario.tracking.budget_reducing {
        return (
            baskets.clone(),
            format!("plan (tracking.budget_reducing; {provenance})"),
        );
    }
    (
        vec![Basket::Cashable],
        "the default, cashable savings only, as cost avoidance does not reduce a budget".into(),
    )
}

/// The actual parts of one year (to date for a year in progress).
fn actual_parts(actuals: &Actuals, year: &YearActuals, model: &Model) -> Parts<Option<Decimal>> {
    let get = |c| year.get(actuals, c);
    Parts {
        installs: get(Column::Installs),
        leavers: get(Column::Leavers),
        closing_users: get(Column::ActiveUsers),
        benefit_lines: (0..model.benefits.len())
            .map(|i| get(Column::Benefit(i)))
            .collect(),
        basket_given: Basket::ALL.map(|b| actuals.find(Column::Basket(b)).map(|c| year.values[c])),
        cost_lines: (0..model.costs.len())
            .map(|i| get(Column::Cost(i)))
            .collect(),
        offset_lines: (0..model.offsets.len())
            .map(|i| get(Column::Offset(i)))
            .collect(),
    }
}

fn not_reported(actuals: &Actuals, model: &Model) -> Vec<String> {
    let mut missing = Vec::new();
    let mut check = |column: Column, name: String| {
        if actuals.find(column).is_none() {
            missing.push(name);
        }
    };
    check(Column::Installs, "installs".into());
    check(Column::Leavers, "leavers".into());
    check(Column::ActiveUsers, "active_users".into());
    for (i, line) in model.benefits.iter().enumerate() {
        let by_basket = line
            .basket
            .is_some_and(|b| actuals.find(Column::Basket(b)).is_some());
        if !by_basket {
            check(Column::Benefit(i), format!("benefit.{}", line.name));
        }
    }
    for (i, line) in model.costs.iter().enumerate() {
        check(Column::Cost(i), format!("cost.{}", line.name));
    }
    for (i, line) in model.offsets.iter().enumerate() {
        check(Column::Offset(i), format!("offset.{}", line.name));
    }
    missing
}

/// Tracks `actuals` against the plan `scenario`.
pub fn build(
    scenario: &Scenario,
    actuals: &Actuals,
    options: &TrackOptions,
) -> Result<TrackReport, TrackError> {
    let model = &scenario.model;
    let file = &actuals.file;
    // The plan is checked first, so a later overflow is in combining it with the actuals.
    let overflow = || TrackError::Overflow {
        file: file.clone(),
        what: "in the plan's figures to date or the re-forecast from the actuals".into(),
    };
    let (thresholds, rag_source) = thresholds(scenario, options)?;
    let (budget, budget_source) = budget_reducing(scenario, actuals);
    let as_at = match &options.as_at {
        Some(text) => Date::parse(text).map_err(|m| TrackError::Option(format!("--as-at: {m}")))?,
        None => years::last_period_end(actuals),
    };
    let years = years::by_year(actuals, model, as_at)?;
    let plan = scenario.evaluate_exact();
    if !plan.is_valid() {
        let error = crate::report::OverflowError::of(scenario, &plan);
        return Err(TrackError::Overflow {
            file: scenario.path().to_path_buf(),
            what: format!("the plan's {}", error.figure.describe()),
        });
    }
    let actual: Vec<Parts<Option<Decimal>>> = years
        .iter()
        .map(|y| actual_parts(actuals, y, model))
        .collect();
    let plan_for =
        |t: usize, months: u32| plan_figures(&plan, t, months, model, &budget).ok_or_else(overflow);
    let assembled = |t: usize| Figures::assemble(&actual[t], model, &budget);

    let forecast = reforecast::forecast(&reforecast::Inputs {
        scenario,
        plan: &plan,
        actual: &actual,
        years: &years,
        budget: &budget,
        actual_rates: options.actual_rates,
    })
    .ok_or_else(overflow)?;

    let mut track_years = Vec::with_capacity(model.years);
    let mut plan_to_date: Option<Figures<Option<Decimal>>> = None;
    let mut actual_to_date: Option<Figures<Option<Decimal>>> = None;
    let mut last_month = None;
    for (t, year) in years.iter().enumerate() {
        let label = model.year_label(t);
        let mut entry = TrackYear {
            year: label.clone(),
            status: year.status,
            months: year.months,
            basis: "no actuals".into(),
            comparisons: Vec::new(),
            forecast: Vec::new(),
            to_date_against_full_year: Vec::new(),
            kpis: kpis::year(scenario, actuals, year, t, thresholds),
        };
        if year.months > 0 {
            let fy = model.first_year.plus(t as i32);
            last_month = Some(Month::of_year(fy, year.months - 1));
            let planned = plan_for(t, year.months)?;
            let got = assembled(t);
            entry.comparisons = compare_all(model, &planned, &got, Some(thresholds), &budget);
            entry.basis = if year.months == 12 {
                "full year".into()
            } else {
                format!("{} (to date)", months_text(fy, year.months))
            };
            plan_to_date = Some(match plan_to_date {
                None => planned.known_all(),
                Some(sum) => sum.then(&planned.known_all()),
            });
            actual_to_date = Some(match actual_to_date {
                None => got.clone(),
                Some(sum) => sum.then(&got),
            });
            if year.months < 12 {
                let full = plan_for(t, 12)?;
                let ahead = forecast.years[t].clone().whole_users().known_all();
                // A figure not reported to date is forecast by the re-run alone: rating it
                // (often "0%, green", the plan's own figure) would claim a result.
                entry.forecast = compare_all(model, &full, &ahead, Some(thresholds), &budget)
                    .into_iter()
                    .zip(&entry.comparisons)
                    .map(|(f, d)| if d.reported { f } else { f.unreported() })
                    .collect();
                entry.to_date_against_full_year = compare_all(model, &full, &got, None, &budget);
            }
        }
        track_years.push(entry);
    }
    let to_date = match (&plan_to_date, &actual_to_date) {
        (Some(p), Some(a)) => {
            let p = p.known().ok_or_else(overflow)?;
            compare_all(model, &p, a, Some(thresholds), &budget)
        }
        _ => Vec::new(),
    };

    let mut approved_cumulative = Decimal::ZERO;
    let mut reforecast_cumulative = Decimal::ZERO;
    let mut reforecast_years = Vec::with_capacity(model.years);
    for (t, ahead) in forecast.years.iter().enumerate() {
        let approved = plan_for(t, 12)?;
        approved_cumulative += approved.net;
        reforecast_cumulative += ahead.net;
        let row = |figure: &str, label: &str, p: Decimal, a: Decimal| {
            compare(
                "reforecast",
                figure.into(),
                label.into(),
                p,
                Some(a),
                true,
                None,
            )
        };
        reforecast_years.push(ReforecastYear {
            year: model.year_label(t),
            basis: forecast.basis[t].clone(),
            figures: vec![
                row(
                    "closing_users",
                    "TEC users at year end",
                    approved.closing_users,
                    whole(ahead.closing_users),
                ),
                row("net", "Net benefit", approved.net, ahead.net),
                row(
                    "budget_net",
                    "Net budget reduction (MTFS view)",
                    approved.budget_net,
                    ahead.budget_net,
                ),
                row(
                    "cumulative_net",
                    "Cumulative net benefit",
                    approved_cumulative,
                    reforecast_cumulative,
                ),
            ],
        });
    }
    let reforecast = Reforecast {
        method: METHOD.into(),
        rerun_from: forecast.rerun_from.map(|k| model.year_label(k)),
        opening_users: forecast.opening_users.map(whole),
        opening_users_actual: forecast.opening_actual,
        opening_users_from: match forecast.opening_from {
            reforecast::UsersFrom::Reported => "reported",
            reforecast::UsersFrom::Derived => "derived",
            reforecast::UsersFrom::Plan => "plan",
        }
        .into(),
        rates: forecast.rates,
        years: reforecast_years,
        approved_cumulative_net: approved_cumulative,
        reforecast_cumulative_net: reforecast_cumulative,
        change: reforecast_cumulative - approved_cumulative,
    };

    Ok(TrackReport {
        scenario: scenario.name.clone(),
        plan_file: scenario.path().display().to_string(),
        actuals_file: file.display().to_string(),
        notes: actuals.notes.clone(),
        as_at: as_at.to_string(),
        actuals_to: last_month.map_or_else(|| "no month yet".into(), Month::name),
        phasing: PHASING.into(),
        sign_convention: SIGN.into(),
        rag: RagSettings {
            green: thresholds.green,
            amber: thresholds.amber,
            source: rag_source,
            rule: RAG_RULE.into(),
        },
        budget_reducing: BudgetReducing {
            baskets: budget.clone(),
            source: budget_source,
        },
        not_reported: not_reported(actuals, model),
        years: track_years,
        to_date,
        reforecast,
        ambition: ambition::report(scenario, actuals)?,
        split_periods: actuals.splits.clone(),
        kpis: kpis::definitions(scenario),
        kpis_to_date: kpis::to_date(scenario, actuals, &years, thresholds),
    })
}

#[cfg(test)]
mod tests;
