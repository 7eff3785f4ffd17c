//! The re-forecast: the plan re-run by the same engine ([`evaluate_from`]) from the actual
//! position. Complete years keep their actuals; the first year not complete is re-run from
//! the actual users at the end of the year before; a year in progress is its actuals to date
//! plus the rest of the re-run year (phased evenly by month); later years are re-run again
//! from that year's forecast closing users.
//!
//! Actual users are split between users there before the programme and each year's cohort in
//! the plan's proportions, so benefits that count programme users, or last a number of years,
//! carry on as planned. Lines not reported are taken at plan (or at the re-run).

use super::figures::{Figures, Parts, outcome_parts, users_at, value};
use super::years::{YearActuals, YearStatus};
use crate::model::spec::{BenefitRule, CostRule, Model, OffsetRule, SeriesSlot, Yearly};
use crate::model::users::{GroupStart, Start, UserModel};
use crate::model::{Outcome, evaluate_from};
use crate::number::{Exact, Num};
use crate::scenario::Scenario;
use crate::scenario::document::Basket;
use rust_decimal::Decimal;

/// The model from year `from` on: per-year inputs read `from` years later, one-off costs of
/// earlier years dropped, prices still uprated from their price year.
pub fn shift(model: &Model, from: usize) -> Model {
    let series = |s: SeriesSlot| SeriesSlot(s.0 + from);
    let mut shifted = model.clone();
    shifted.first_year = model.first_year.plus(from as i32);
    shifted.years = model.years.saturating_sub(from);
    for cohort in &mut shifted.users.cohorts {
        cohort.installs = series(cohort.installs);
    }
    shifted.users.offset_years += from;
    let yearly = |y: Yearly| match y {
        Yearly::Once(slot) => Yearly::Once(slot),
        Yearly::PerYear(s) => Yearly::PerYear(series(s)),
    };
    for line in &mut shifted.benefits {
        match &mut line.rule {
            BenefitRule::Amounts(s) => *s = series(*s),
            rule => {
                if let BenefitRule::CareHours { realisation, .. } = rule {
                    *realisation = yearly(*realisation);
                }
                if let Some(uprating) = rule.uprating_mut() {
                    uprating.years_before_first += from as i32;
                }
            }
        }
    }
    for line in &mut shifted.costs {
        match &mut line.rule {
            CostRule::Amounts(s) => *s = series(*s),
            CostRule::OneOff { year, .. } => *year = year.checked_sub(from).unwrap_or(usize::MAX),
            CostRule::PerInstall { uprating, .. } => uprating.years_before_first += from as i32,
            CostRule::PerUser {
                users, uprating, ..
            } => {
                *users = users.map(series);
                uprating.years_before_first += from as i32;
            }
            CostRule::Staffing(posts) => {
                for post in posts {
                    post.phasing = series(post.phasing);
                }
            }
        }
    }
    for line in &mut shifted.offsets {
        if let OffsetRule::Amounts(s) = &mut line.rule {
            *s = series(*s);
        }
    }
    shifted
}

/// The users of `users` at the end of year `t`, as the start of the next year, scaled to
/// total `closing` when it is given (an actual count): every cohort's users there before the
/// programme and each of its install groups in the plan's proportions.
pub fn start_after(users: &UserModel<Exact>, t: usize, closing: Option<Decimal>) -> Start<Exact> {
    let year = &users.years[t];
    let mut start = users.start_after(t);
    if let Some(actual) = closing.map(Exact::new) {
        if value(year.closing).is_zero() {
            // Nothing planned to scale: count the actual users as the first cohort's latest
            // group (or, with no group yet, as its users there before the programme).
            for cohort in start.cohorts.iter_mut() {
                cohort.baseline = Exact::zero();
                for group in cohort.groups.iter_mut() {
                    *group = GroupStart {
                        installed: Exact::zero(),
                        now: Exact::zero(),
                    };
                }
            }
            let first = &mut start.cohorts[0];
            if let Some(latest) = first.groups.last_mut() {
                *latest = GroupStart {
                    installed: actual,
                    now: actual,
                };
            } else {
                first.baseline = actual;
            }
        } else {
            let ratio = actual / year.closing;
            for cohort in start.cohorts.iter_mut() {
                cohort.baseline = cohort.baseline * ratio;
                for group in cohort.groups.iter_mut() {
                    group.installed = group.installed * ratio;
                    group.now = group.now * ratio;
                }
            }
        }
    }
    start
}

/// A run of the engine from year `from` of the plan.
pub struct Rerun {
    pub outcome: Outcome<Exact>,
    pub users: UserModel<Exact>,
}

pub fn rerun(model: &Model, params: &[Exact], from: usize, start: Option<&Start<Exact>>) -> Rerun {
    let shifted = shift(model, from);
    Rerun {
        outcome: evaluate_from(&shifted, params, start),
        users: UserModel::build_from(&shifted.users, params, shifted.years, start),
    }
}

/// What the re-forecast needs.
pub struct Inputs<'a> {
    pub scenario: &'a Scenario,
    pub plan: &'a Outcome<Exact>,
    /// Actual parts of each year (to date for a year in progress).
    pub actual: &'a [Parts<Option<Decimal>>],
    pub years: &'a [YearActuals],
    pub budget: &'a [Basket],
    pub actual_rates: bool,
}

/// The re-forecast of every year, exact (users fractional).
pub struct Forecast {
    pub years: Vec<Figures<Decimal>>,
    /// Per year: `actual`, `actual to <month> + re-run` or `re-run`.
    pub basis: Vec<String>,
    /// The first year re-run, if any.
    pub rerun_from: Option<usize>,
    /// TEC users at the start of the re-run.
    pub opening_users: Option<Decimal>,
    /// Whether those users are actual (else derived or the plan's).
    pub opening_actual: bool,
    /// Where they come from.
    pub opening_from: UsersFrom,
    pub rates: Vec<super::rates::RateChange>,
}

/// Actual where reported, else `fallback`; a basket reported as a whole stays whole.
fn filled(actual: &Parts<Option<Decimal>>, fallback: &Parts<Decimal>) -> Parts<Option<Decimal>> {
    let pick = |a: &[Option<Decimal>], f: &[Decimal]| -> Vec<Option<Decimal>> {
        a.iter()
            .zip(f)
            .map(|(a, f)| Some(a.unwrap_or(*f)))
            .collect()
    };
    Parts {
        installs: Some(actual.installs.unwrap_or(fallback.installs)),
        leavers: Some(actual.leavers.unwrap_or(fallback.leavers)),
        closing_users: Some(actual.closing_users.unwrap_or(fallback.closing_users)),
        benefit_lines: pick(&actual.benefit_lines, &fallback.benefit_lines),
        basket_given: actual.basket_given.map(|b| b.filter(Option::is_some)),
        cost_lines: pick(&actual.cost_lines, &fallback.cost_lines),
        offset_lines: pick(&actual.offset_lines, &fallback.offset_lines),
    }
}

/// Where the users at the end of a year's actuals come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UsersFrom {
    /// `active_users` reported.
    Reported,
    /// Opening users plus reported installs less leavers (reported, or the plan's).
    Derived,
    /// Neither: the plan's.
    Plan,
}

/// Users at the end of each year's actuals (to date for a year in progress): reported, else
/// derived from reported installs (the year's opening users, themselves reported, derived or
/// the plan's, plus the installs less the leavers, reported or the plan's for the same
/// months), else unknown; with where each comes from.
pub fn users_by_year(inputs: &Inputs) -> Vec<(Option<Decimal>, UsersFrom)> {
    let plan = inputs.plan;
    let mut out: Vec<(Option<Decimal>, UsersFrom)> = Vec::with_capacity(inputs.years.len());
    for (t, year) in inputs.years.iter().enumerate() {
        let actual = &inputs.actual[t];
        if year.months == 0 {
            out.push((None, UsersFrom::Plan));
            continue;
        }
        if let Some(users) = actual.closing_users {
            out.push((Some(users), UsersFrom::Reported));
            continue;
        }
        let Some(installs) = actual.installs else {
            out.push((None, UsersFrom::Plan));
            continue;
        };
        let opening = match t.checked_sub(1).map(|p| out[p].0) {
            Some(Some(users)) => users,
            _ => value(plan.users[t].opening),
        };
        let planned = outcome_parts(plan, t, year.months, inputs.scenario.model.rounding);
        let leavers = actual.leavers.unwrap_or(planned.leavers);
        let users = opening
            .checked_add(installs)
            .and_then(|u| u.checked_sub(leavers))
            .map(|u| u.max(Decimal::ZERO));
        out.push((users, UsersFrom::Derived));
    }
    out
}

/// Re-forecasts every year; `None` if a figure overflows.
pub fn forecast(inputs: &Inputs) -> Option<Forecast> {
    let scenario = inputs.scenario;
    let model = &scenario.model;
    let rounding = model.rounding;
    let n = model.years;
    let mut params: Vec<Exact> = scenario
        .params
        .values
        .iter()
        .map(|v| Exact::new(*v))
        .collect();
    let rates = if inputs.actual_rates {
        super::rates::actual_rates(inputs, &mut params)
    } else {
        Vec::new()
    };
    let assemble =
        |parts: &Parts<Option<Decimal>>| Figures::assemble(parts, model, inputs.budget).known();
    let k = inputs
        .years
        .iter()
        .take_while(|y| y.status == YearStatus::Complete)
        .count();
    let mut years = Vec::with_capacity(n);
    let mut basis = Vec::with_capacity(n);
    let users = users_by_year(inputs);
    // The actuals with users derived from reported installs where users are not reported, so
    // that more (or fewer) installs than planned carry into the years re-run.
    let actual: Vec<Parts<Option<Decimal>>> = inputs
        .actual
        .iter()
        .zip(&users)
        .map(|(a, u)| Parts {
            closing_users: u.0,
            ..a.clone()
        })
        .collect();
    for (t, reported) in actual.iter().enumerate().take(k) {
        let plan = outcome_parts(inputs.plan, t, 12, rounding);
        years.push(assemble(&filled(reported, &plan))?);
        basis.push("actual".to_string());
    }
    if k == n {
        return Some(Forecast {
            years,
            basis,
            rerun_from: None,
            opening_users: None,
            opening_actual: false,
            opening_from: UsersFrom::Plan,
            rates,
        });
    }
    let plan_users = UserModel::build(&model.users, &params, n);
    let start = (k > 0).then(|| start_after(&plan_users, k - 1, actual[k - 1].closing_users));
    let opening_from = if k > 0 {
        users[k - 1].1
    } else {
        UsersFrom::Plan
    };
    let opening_users = start
        .as_ref()
        .and_then(Start::total)
        .unwrap_or_else(|| plan_users.years[0].opening);
    let first = rerun(model, &params, k, start.as_ref());
    if !first.outcome.is_valid() {
        return None;
    }
    let months = inputs.years[k].months;
    let opening_users = Some(value(opening_users));
    let opening_actual = opening_from == UsersFrom::Reported;
    if months == 0 {
        for t in 0..n - k {
            years.push(assemble(
                &outcome_parts(&first.outcome, t, 12, rounding).map(Some),
            )?);
            basis.push("re-run".to_string());
        }
        return Some(Forecast {
            years,
            basis,
            rerun_from: Some(k),
            opening_users,
            opening_actual,
            opening_from,
            rates,
        });
    }
    // Year k is in progress: actuals to date, then the rest of the re-run year.
    let full = outcome_parts(&first.outcome, 0, 12, rounding);
    let to_date = outcome_parts(&first.outcome, 0, months, rounding);
    let actual = &actual[k];
    let blend = |a: Option<Decimal>, f: Decimal, d: Decimal| match a {
        Some(a) => a.checked_add(f.checked_sub(d)?),
        None => Some(f),
    };
    let lines = |a: &[Option<Decimal>], f: &[Decimal], d: &[Decimal]| -> Vec<Option<Decimal>> {
        a.iter()
            .zip(f)
            .zip(d)
            .map(|((a, f), d)| blend(*a, *f, *d))
            .collect()
    };
    let basket_given = Basket::ALL.map(|basket| {
        let i = Basket::ALL.iter().position(|b| *b == basket).unwrap_or(0);
        let reported = actual.basket_given[i].flatten()?;
        let remaining = model
            .benefits
            .iter()
            .enumerate()
            .filter(|(_, l)| l.in_council_basket(basket))
            .try_fold(Decimal::ZERO, |acc, (j, _)| {
                acc.checked_add(full.benefit_lines[j].checked_sub(to_date.benefit_lines[j])?)
            });
        Some(remaining.and_then(|r| reported.checked_add(r)))
    });
    let closing_users = match actual.closing_users {
        Some(a) => blend(
            Some(a),
            full.closing_users,
            users_at(&first.outcome, 0, months),
        )?,
        None => full.closing_users,
    };
    let current = Parts {
        installs: blend(actual.installs, full.installs, to_date.installs),
        leavers: blend(actual.leavers, full.leavers, to_date.leavers),
        closing_users: Some(closing_users),
        benefit_lines: lines(
            &actual.benefit_lines,
            &full.benefit_lines,
            &to_date.benefit_lines,
        ),
        basket_given,
        cost_lines: lines(&actual.cost_lines, &full.cost_lines, &to_date.cost_lines),
        offset_lines: lines(
            &actual.offset_lines,
            &full.offset_lines,
            &to_date.offset_lines,
        ),
    };
    years.push(assemble(&current)?);
    basis.push(format!(
        "actual to {} + re-run",
        super::period::Month::of_year(model.first_year.plus(k as i32), months - 1).name()
    ));
    if k + 1 < n {
        let start = start_after(&first.users, 0, Some(closing_users));
        let second = rerun(model, &params, k + 1, Some(&start));
        if !second.outcome.is_valid() {
            return None;
        }
        for t in 0..n - k - 1 {
            years.push(assemble(
                &outcome_parts(&second.outcome, t, 12, rounding).map(Some),
            )?);
            basis.push("re-run".to_string());
        }
    }
    Some(Forecast {
        years,
        basis,
        rerun_from: Some(k),
        opening_users,
        opening_actual,
        opening_from,
        rates,
    })
}
