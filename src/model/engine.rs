//! Evaluates a model for one parameter vector: the single code path behind every command.

use super::spec::{BenefitRule, CostRule, Model, OffsetRule, Uprating};
use super::users::{Start, UserModel, UserYear};
use crate::number::Num;
use crate::scenario::document::Rounding;

/// Every figure of a business case, per financial year, in number type `N`.
#[derive(Debug, Clone)]
pub struct Outcome<N> {
    pub users: Vec<UserYear<N>>,
    /// Users at year end generating benefit under the first care-hours line (zero without one).
    pub benefiting_users: Vec<N>,
    pub benefits: Vec<LineValues<N>>,
    pub costs: Vec<LineValues<N>>,
    pub offsets: Vec<LineValues<N>>,
    pub totals: Vec<YearTotals<N>>,
}

/// One line's amount per year, and for staffing the amount of each post.
#[derive(Debug, Clone, PartialEq)]
pub struct LineValues<N> {
    pub values: Vec<N>,
    pub parts: Vec<Vec<N>>,
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

    /// The first year from which cumulative net benefit stays at or above zero.
    pub fn payback_year(&self) -> Option<usize> {
        let zero = N::zero();
        let last_negative = self.totals.iter().rposition(|t| t.cumulative_net < zero);
        match last_negative {
            None if self.totals.is_empty() => None,
            None => Some(0),
            Some(i) if i + 1 < self.totals.len() => Some(i + 1),
            Some(_) => None,
        }
    }
}

/// Evaluates `model` with the numbers in `params` (indexed by the model's slots).
pub fn evaluate<N: Num>(model: &Model, params: &[N]) -> Outcome<N> {
    evaluate_from(model, params, None)
}

/// As [`evaluate`], with the users at the start given by `start` rather than by
/// `users.opening` (a re-forecast from an actual position).
pub fn evaluate_from<N: Num>(model: &Model, params: &[N], start: Option<&Start<N>>) -> Outcome<N> {
    let years = model.years;
    let users = UserModel::build_from(&model.users, params, years, start);
    let money = |x: N| match model.rounding {
        Rounding::Pound => x.round_dp(0),
        Rounding::Penny => x.round_dp(2),
        Rounding::None => x,
    };
    let uplift = N::one() + params[model.optimism_bias];

    let mut benefiting_users = vec![N::zero(); years];
    let mut first_care_line = true;
    let benefits = model
        .benefits
        .iter()
        .map(|line| match &line.rule {
            BenefitRule::Amounts(series) => single((0..years).map(|t| money(params[series.at(t)]))),
            BenefitRule::CareHours {
                counts,
                share,
                hours_per_week,
                weeks_per_year,
                hourly_cost,
                uprating,
                realisation,
                duration_years,
            } => {
                let duration = duration_years.map(|slot| params[slot]);
                let share = params[*share];
                if first_care_line {
                    first_care_line = false;
                    for (t, b) in benefiting_users.iter_mut().enumerate() {
                        *b = share * users.closing_users(t, *counts, duration);
                    }
                }
                let per_user_year = share
                    * params[*hours_per_week]
                    * params[*weeks_per_year]
                    * params[*hourly_cost]
                    * params[*realisation];
                single((0..years).map(|t| {
                    money(
                        per_user_year
                            * users.user_years(t, *counts, duration)
                            * price_factor(params, uprating, t),
                    )
                }))
            }
        })
        .collect::<Vec<_>>();

    let costs = model
        .costs
        .iter()
        .map(|line| match &line.rule {
            CostRule::Amounts(series) => {
                single((0..years).map(|t| money(params[series.at(t)] * uplift)))
            }
            CostRule::OneOff { amount, year } => single((0..years).map(|t| {
                if t == *year {
                    money(params[*amount] * uplift)
                } else {
                    N::zero()
                }
            })),
            CostRule::PerInstall {
                unit_cost,
                uprating,
            } => single((0..years).map(|t| {
                money(
                    params[*unit_cost]
                        * users.years[t].installs
                        * price_factor(params, uprating, t)
                        * uplift,
                )
            })),
            CostRule::PerUser {
                unit_cost,
                periods_per_year,
                counts,
                users: cohort,
                uprating,
            } => {
                let per_user_year = params[*unit_cost] * N::from_int(*periods_per_year) * uplift;
                single((0..years).map(|t| {
                    let counted = match cohort {
                        Some(series) => params[series.at(t)],
                        None => users.user_years(t, *counts, None),
                    };
                    money(per_user_year * counted * price_factor(params, uprating, t))
                }))
            }
            CostRule::Staffing(posts) => {
                let parts: Vec<Vec<N>> = posts
                    .iter()
                    .map(|post| {
                        let full_year = params[post.count] * params[post.salary] * uplift;
                        (0..years)
                            .map(|t| money(full_year * params[post.phasing.at(t)]))
                            .collect()
                    })
                    .collect();
                let values = (0..years)
                    .map(|t| parts.iter().fold(N::zero(), |acc, p| acc + p[t]))
                    .collect();
                LineValues { values, parts }
            }
        })
        .collect::<Vec<_>>();

    let offsets = model
        .offsets
        .iter()
        .map(|line| match &line.rule {
            OffsetRule::Amounts(series) => single((0..years).map(|t| money(params[series.at(t)]))),
            OffsetRule::UserCharge {
                weekly_charge,
                chargeable_share,
                weeks_per_year,
                counts,
            } => {
                let per_user_year =
                    params[*weekly_charge] * params[*weeks_per_year] * params[*chargeable_share];
                single(
                    (0..years).map(|t| money(per_user_year * users.user_years(t, *counts, None))),
                )
            }
        })
        .collect::<Vec<_>>();

    let rate = params[model.discount_rate];
    let mut cumulative = N::zero();
    let totals = (0..years)
        .map(|t| {
            let benefit = sum_at(&benefits, t);
            let cost = sum_at(&costs, t);
            let offset = sum_at(&offsets, t);
            let net = benefit - cost + offset;
            cumulative = cumulative + net;
            let periods = if model.discount_first_year { t + 1 } else { t };
            let discount_factor = N::one() / (N::one() + rate).powi(periods as u32);
            YearTotals {
                benefit,
                cost,
                offsets: offset,
                net,
                cumulative_net: cumulative,
                discount_factor,
                discounted_net: money(net * discount_factor),
            }
        })
        .collect();

    Outcome {
        users: users.years,
        benefiting_users,
        benefits,
        costs,
        offsets,
        totals,
    }
}

fn single<N>(values: impl Iterator<Item = N>) -> LineValues<N> {
    LineValues {
        values: values.collect(),
        parts: Vec::new(),
    }
}

fn sum_at<N: Num>(lines: &[LineValues<N>], year: usize) -> N {
    lines
        .iter()
        .fold(N::zero(), |acc, line| acc + line.values[year])
}

/// (1 + rate) raised to the years between the price year and `year`.
fn price_factor<N: Num>(params: &[N], uprating: &Uprating, year: usize) -> N {
    let step = N::one() + params[uprating.rate];
    let exponent = uprating.years_before_first + year as i32;
    if exponent >= 0 {
        step.powi(exponent as u32)
    } else {
        N::one() / step.powi(exponent.unsigned_abs())
    }
}
