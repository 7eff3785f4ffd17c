//! Evaluates a model for one parameter vector: the single code path behind every command.

use super::spec::{BenefitRule, CostRule, Exposure, Line, Model, OffsetRule, Uprating};
use super::users::{Start, UserModel, UserYear};
use super::vocabulary::{Party, Rounding};
use crate::number::Num;

/// Every figure of a business case, per financial year, in number type `N`.
#[derive(Debug, Clone)]
pub struct Outcome<N> {
    pub users: Vec<UserYear<N>>,
    /// Users at year end generating benefit under the first care-hours line, else under the
    /// first line of another user-derived kind (its share of the users it counts); zero
    /// without one.
    pub benefiting_users: Vec<N>,
    pub benefits: Vec<LineValues<N>>,
    pub costs: Vec<LineValues<N>>,
    pub offsets: Vec<LineValues<N>>,
    pub totals: Vec<YearTotals<N>>,
    /// The user model's cohort buffers, kept to evaluate again without allocating.
    pub cohorts: UserModel<N>,
    /// A figure per year, reused by lines that need one before their amounts.
    scratch: Vec<N>,
}

impl<N> Default for Outcome<N> {
    fn default() -> Self {
        Outcome {
            users: Vec::new(),
            benefiting_users: Vec::new(),
            benefits: Vec::new(),
            costs: Vec::new(),
            offsets: Vec::new(),
            totals: Vec::new(),
            cohorts: UserModel::empty(),
            scratch: Vec::new(),
        }
    }
}

/// One line's amount per year, and for staffing the amount of each post.
#[derive(Debug, Clone, PartialEq)]
pub struct LineValues<N> {
    pub values: Vec<N>,
    pub parts: Vec<Vec<N>>,
    /// A benefit line with adjustments: its gross amount per year (before them); else empty.
    pub gross: Vec<N>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct YearTotals<N> {
    pub benefit: N,
    pub cost: N,
    pub offsets: N,
    /// benefit - cost + offsets
    pub net: N,
    pub cumulative_net: N,
    pub discount_factor: N,
    pub discounted_net: N,
}

impl<N: Num> Outcome<N> {
    /// False if any figure overflowed or is not finite.
    pub fn is_valid(&self) -> bool {
        self.totals.iter().all(|t| {
            t.benefit.is_valid()
                && t.cost.is_valid()
                && t.offsets.is_valid()
                && t.cumulative_net.is_valid()
                && t.discounted_net.is_valid()
        }) && self
            .users
            .iter()
            .all(|u| u.closing.is_valid() && u.leavers.is_valid())
            && self.benefiting_users.iter().all(|b| b.is_valid())
    }

    pub fn npv(&self) -> N {
        self.totals
            .iter()
            .fold(N::zero(), |acc, t| acc + t.discounted_net)
    }

    /// The payback year: see [`payback_index`].
    pub fn payback_year(&self) -> Option<usize> {
        payback_index(self.totals.iter().map(|t| t.cumulative_net), N::zero())
    }
}

/// The payback year of a cumulative net series: the year after the last in which it is below
/// `zero`; or, if it is never below zero, the first year in which it is above (a case with no
/// cost to recover pays back when it first gains). `None` if it ends below zero, or if it is
/// zero throughout (nothing happens, so there is nothing to pay back), or is empty. Shared by
/// `run` and by the Monte Carlo (whose block-wise form in `simulate::run` must agree).
pub fn payback_index<T: PartialOrd>(cumulative: impl Iterator<Item = T>, zero: T) -> Option<usize> {
    let mut payback = None;
    let mut len = 0;
    for (t, c) in cumulative.enumerate() {
        if c < zero {
            payback = Some(t + 1);
        } else if c > zero && payback.is_none() {
            payback = Some(t);
        }
        len = t + 1;
    }
    payback.filter(|t| *t < len)
}

/// Evaluates `model` with the numbers in `params` (indexed by the model's slots).
pub fn evaluate<N: Num>(model: &Model, params: &[N]) -> Outcome<N> {
    evaluate_from(model, params, None)
}

/// As [`evaluate`], with the users at the start given by `start` rather than by
/// `users.opening` (a re-forecast from an actual position).
pub fn evaluate_from<N: Num>(model: &Model, params: &[N], start: Option<&Start<N>>) -> Outcome<N> {
    let mut outcome = Outcome::default();
    evaluate_into_from(model, params, start, &mut outcome);
    outcome
}

/// Evaluates into `out`, reusing its buffers: after the first call with a model, no
/// allocation happens, which is what lets the Monte Carlo run millions of iterations.
pub fn evaluate_into<N: Num>(model: &Model, params: &[N], out: &mut Outcome<N>) {
    evaluate_into_from(model, params, None, out);
}

/// [`evaluate_into`] from a given start.
pub fn evaluate_into_from<N: Num>(
    model: &Model,
    params: &[N],
    start: Option<&Start<N>>,
    out: &mut Outcome<N>,
) {
    let years = model.years;
    out.cohorts.build_into(&model.users, params, years, start);
    let users = &out.cohorts;
    let money = |x: N| match model.rounding {
        Rounding::Pound => x.round_dp(0),
        Rounding::Penny => x.round_dp(2),
        Rounding::None => x,
    };
    let uplift = N::one() + params[model.optimism_bias];

    out.benefiting_users.clear();
    out.benefiting_users.resize(years, N::zero());
    resize_lines(&mut out.benefits, model.benefits.len());
    // The line whose users generating benefit the table shows: its share and exposure.
    let mut care_line: Option<(N, &Exposure)> = None;
    let mut user_line: Option<(N, &Exposure)> = None;
    for (line, values) in model.benefits.iter().zip(out.benefits.iter_mut()) {
        let factor = line.adjustments.benefit_factor(params);
        // Each user-derived kind is an amount per user-year on the user-years its exposure
        // counts, at the year's prices.
        // Care hours' realisation may be given per year (a service that matures).
        let (per_user_year, realisation, exposure, uprating) = match &line.rule {
            BenefitRule::Amounts(series) => {
                fill_benefit(values, years, factor, money, |t| params[series.at(t)]);
                continue;
            }
            BenefitRule::DelayedAdmission {
                exposure,
                share,
                after_months,
                weeks_delayed,
                weekly_cost,
                community_weekly_cost,
                uprating,
            } => {
                // Weeks of delay falling in each year, over the users still there at the
                // point of admission (the user model's survivors, see model::window).
                let weeks = &mut out.scratch;
                weeks.resize(years, N::zero());
                let after = params[*after_months] / N::from_int(12);
                users.delayed_user_weeks(&exposure.cohorts, after, params[*weeks_delayed], weeks);
                let per_week =
                    params[*share] * (params[*weekly_cost] - params[*community_weekly_cost]);
                let weeks = &out.scratch;
                fill_benefit(values, years, factor, money, |t| {
                    per_week * weeks[t] * price_factor(params, uprating, t)
                });
                continue;
            }
            BenefitRule::CareHours {
                exposure,
                share,
                hours_per_week,
                weeks_per_year,
                hourly_cost,
                uprating,
                realisation,
            } => {
                let share = params[*share];
                care_line = care_line.or(Some((share, exposure)));
                let per_hour_year = share
                    * params[*hours_per_week]
                    * params[*weeks_per_year]
                    * params[*hourly_cost];
                (per_hour_year, Some(*realisation), exposure, uprating)
            }
            BenefitRule::PerUser {
                exposure,
                amount,
                periods_per_year,
                share,
                uprating,
            } => (
                params[*amount] * N::from_int(*periods_per_year) * params[*share],
                None,
                exposure,
                uprating,
            ),
            BenefitRule::PackageReduction {
                exposure,
                package_cost,
                periods_per_year,
                reduction,
                share,
                uprating,
            } => (
                params[*package_cost]
                    * N::from_int(*periods_per_year)
                    * params[*reduction]
                    * params[*share],
                None,
                exposure,
                uprating,
            ),
            BenefitRule::AvoidedEvents {
                exposure,
                rate,
                avoided,
                unit_cost,
                uprating,
            } => (
                params[*rate] * params[*avoided] * params[*unit_cost],
                None,
                exposure,
                uprating,
            ),
        };
        let share = match &line.rule {
            BenefitRule::PerUser { share, .. } | BenefitRule::PackageReduction { share, .. } => {
                params[*share]
            }
            _ => N::one(),
        };
        user_line = user_line.or(Some((share, exposure)));
        fill_benefit(values, years, factor, money, |t| {
            // The same product as with a single realisation (the program records it once).
            let per_user_year = match realisation {
                Some(r) => per_user_year * params[r.at(t)],
                None => per_user_year,
            };
            per_user_year
                * exposure.user_years(users, params, t)
                * price_factor(params, uprating, t)
        });
    }
    if let Some((share, exposure)) = care_line.or(user_line) {
        for (t, b) in out.benefiting_users.iter_mut().enumerate() {
            *b = share * exposure.closing_users(users, params, t);
        }
    }

    resize_lines(&mut out.costs, model.costs.len());
    for (line, values) in model.costs.iter().zip(out.costs.iter_mut()) {
        let uplift = line.adjustments.cost_uplift(params, uplift);
        match &line.rule {
            CostRule::Amounts(series) => {
                fill(values, years, |t| money(params[series.at(t)] * uplift))
            }
            CostRule::OneOff { amount, year } => fill(values, years, |t| {
                if t == *year {
                    money(params[*amount] * uplift)
                } else {
                    N::zero()
                }
            }),
            CostRule::PerInstall {
                unit_cost,
                cohorts,
                uprating,
            } => fill(values, years, |t| {
                money(
                    params[*unit_cost]
                        * users.installs(t, cohorts)
                        * price_factor(params, uprating, t)
                        * uplift,
                )
            }),
            CostRule::PerUser {
                unit_cost,
                periods_per_year,
                exposure,
                users: cohort,
                uprating,
            } => {
                let per_user_year = params[*unit_cost] * N::from_int(*periods_per_year) * uplift;
                fill(values, years, |t| {
                    let counted = match cohort {
                        Some(series) => params[series.at(t)],
                        None => exposure.user_years(users, params, t),
                    };
                    money(per_user_year * counted * price_factor(params, uprating, t))
                });
            }
            CostRule::Staffing(posts) => {
                values.parts.resize_with(posts.len(), Vec::new);
                for (post, part) in posts.iter().zip(values.parts.iter_mut()) {
                    let full_year = params[post.count] * params[post.salary] * uplift;
                    part.clear();
                    part.extend((0..years).map(|t| money(full_year * params[post.phasing.at(t)])));
                }
                values.gross.clear();
                let parts = &values.parts;
                values.values.clear();
                values
                    .values
                    .extend((0..years).map(|t| parts.iter().fold(N::zero(), |acc, p| acc + p[t])));
            }
        }
    }

    resize_lines(&mut out.offsets, model.offsets.len());
    for (line, values) in model.offsets.iter().zip(out.offsets.iter_mut()) {
        match &line.rule {
            OffsetRule::Amounts(series) => fill(values, years, |t| money(params[series.at(t)])),
            OffsetRule::UserCharge {
                weekly_charge,
                chargeable_share,
                weeks_per_year,
                exposure,
                from,
            } => {
                let per_user_year =
                    params[*weekly_charge] * params[*weeks_per_year] * params[*chargeable_share];
                fill(values, years, |t| {
                    let charged = exposure.user_years(users, params, t);
                    money(match from {
                        // The part of the year from the first day charged.
                        Some(from) => per_user_year * charged * from.share(params, t),
                        None => per_user_year * charged,
                    })
                });
            }
        }
    }

    let rate = params[model.discount_rate];
    let growth = N::one() + rate;
    let mut discount_factor = if model.discount_first_year {
        N::one() / growth
    } else {
        N::one()
    };
    let mut cumulative = N::zero();
    out.totals.clear();
    for t in 0..years {
        // The headline is the council's own: what accrues to or is paid by others is reported
        // beside it, never in it.
        let benefit = council_sum(&model.benefits, &out.benefits, t);
        let cost = council_sum(&model.costs, &out.costs, t);
        let offset = council_sum(&model.offsets, &out.offsets, t);
        let net = benefit - cost + offset;
        cumulative = cumulative + net;
        out.totals.push(YearTotals {
            benefit,
            cost,
            offsets: offset,
            net,
            cumulative_net: cumulative,
            discount_factor,
            discounted_net: money(net * discount_factor),
        });
        discount_factor = discount_factor / growth;
    }
    out.users.clear();
    out.users.extend_from_slice(&out.cohorts.years);
}

fn resize_lines<N>(lines: &mut Vec<LineValues<N>>, count: usize) {
    lines.resize_with(count, || LineValues {
        values: Vec::new(),
        parts: Vec::new(),
        gross: Vec::new(),
    });
}

fn fill<N: Num>(line: &mut LineValues<N>, years: usize, value: impl Fn(usize) -> N) {
    // Resize then write in place: no capacity checks per year on the Monte Carlo's hot path.
    line.values.resize(years, N::zero());
    for (t, slot) in line.values.iter_mut().enumerate() {
        *slot = value(t);
    }
    line.parts.clear();
    line.gross.clear();
}

/// A benefit line from its gross amount per year before rounding: with adjustments, the
/// gross and the adjusted amount are each rounded from it (so the adjusted is never above
/// the gross); without, the line is its gross, rounded.
fn fill_benefit<N: Num>(
    line: &mut LineValues<N>,
    years: usize,
    factor: Option<N>,
    money: impl Fn(N) -> N,
    gross: impl Fn(usize) -> N,
) {
    line.values.resize(years, N::zero());
    line.parts.clear();
    match factor {
        None => {
            line.gross.clear();
            for (t, slot) in line.values.iter_mut().enumerate() {
                *slot = money(gross(t));
            }
        }
        Some(factor) => {
            line.gross.resize(years, N::zero());
            for (t, (slot, kept)) in line.values.iter_mut().zip(&mut line.gross).enumerate() {
                let amount = gross(t);
                *kept = money(amount);
                *slot = money(amount * factor);
            }
        }
    }
}

/// The sum in `year` of the lines the council gains or pays.
fn council_sum<N: Num, R>(lines: &[Line<R>], values: &[LineValues<N>], year: usize) -> N {
    lines
        .iter()
        .zip(values)
        .filter(|(line, _)| line.party == Party::Council)
        .fold(N::zero(), |acc, (_, v)| acc + v.values[year])
}

/// (1 + rate) raised to the years between the price year and `year`.
fn price_factor<N: Num>(params: &[N], uprating: &Uprating, year: usize) -> N {
    let step = N::one() + params[uprating.rate];
    let exponent = uprating.years_before_first + year as i32;
    if params[uprating.rate] == N::zero() {
        // No uprating: skip the powers (the common case, and the Monte Carlo's hot path).
        N::one()
    } else if exponent >= 0 {
        step.powi(exponent as u32)
    } else {
        N::one() / step.powi(exponent.unsigned_abs())
    }
}
