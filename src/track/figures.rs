//! One year's figures in the shape `track` compares: users, benefit by line and basket (with
//! the budget-reducing MTFS view), costs, offsets and net; built the same way for the plan,
//! the actuals and the forecast, so that every total is the sum of its lines.

use crate::model::Outcome;
use crate::model::spec::Model;
use crate::model::vocabulary::{Basket, Party, Rounding};
use crate::number::Exact;
use rust_decimal::{Decimal, RoundingStrategy};

/// The parts a year's figures are built from.
#[derive(Debug, Clone, PartialEq)]
pub struct Parts<T> {
    pub installs: T,
    pub leavers: T,
    /// TEC users at the end of the period.
    pub closing_users: T,
    pub benefit_lines: Vec<T>,
    /// A basket's benefit where it is known only as a whole (`basket.<name>` actuals).
    pub basket_given: [Option<T>; 4],
    pub cost_lines: Vec<T>,
    pub offset_lines: Vec<T>,
}

/// A year's figures: the parts and their totals.
#[derive(Debug, Clone, PartialEq)]
pub struct Figures<T> {
    pub installs: T,
    pub leavers: T,
    pub closing_users: T,
    pub benefit_lines: Vec<T>,
    /// The council's benefit by basket, in the order of [`Basket::ALL`].
    pub baskets: [T; 4],
    /// The council's benefit (lines accruing to others are in `benefit_lines` only).
    pub total_benefit: T,
    /// The council's benefit in the budget-reducing baskets only (the MTFS view).
    pub budget_benefit: T,
    pub cost_lines: Vec<T>,
    /// The cost the council pays.
    pub total_cost: T,
    pub offset_lines: Vec<T>,
    pub offsets: T,
    /// total_benefit - total_cost + offsets
    pub net: T,
    /// budget_benefit - total_cost + offsets
    pub budget_net: T,
}

fn sum(values: impl IntoIterator<Item = Option<Decimal>>) -> Option<Decimal> {
    values
        .into_iter()
        .try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v?))
}

fn add(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    a?.checked_add(b?)
}

fn sub(a: Option<Decimal>, b: Option<Decimal>) -> Option<Decimal> {
    a?.checked_sub(b?)
}

impl Figures<Option<Decimal>> {
    /// Totals of `parts`; a total is unknown (`None`) when any part of it is.
    pub fn assemble(parts: &Parts<Option<Decimal>>, model: &Model, budget: &[Basket]) -> Self {
        let baskets = Basket::ALL.map(|basket| {
            let k = Basket::ALL.iter().position(|b| *b == basket).unwrap_or(0);
            parts.basket_given[k].unwrap_or_else(|| {
                sum(model
                    .benefits
                    .iter()
                    .zip(&parts.benefit_lines)
                    .filter(|(line, _)| line.in_council_basket(basket))
                    .map(|(_, v)| *v))
            })
        });
        let unbasketed = sum(model
            .benefits
            .iter()
            .zip(&parts.benefit_lines)
            .filter(|(line, _)| line.basket.is_none() && line.party == Party::Council)
            .map(|(_, v)| *v));
        let total_benefit = add(sum(baskets), unbasketed);
        let budget_benefit = sum(Basket::ALL
            .iter()
            .zip(baskets)
            .filter(|(b, _)| budget.contains(b))
            .map(|(_, v)| v));
        // The council's own: what the NHS or others gain or pay is tracked by line, not here.
        let total_cost = sum(model
            .costs
            .iter()
            .zip(&parts.cost_lines)
            .filter(|(line, _)| line.party == Party::Council)
            .map(|(_, v)| *v));
        let offsets = sum(parts.offset_lines.iter().copied());
        Figures {
            installs: parts.installs,
            leavers: parts.leavers,
            closing_users: parts.closing_users,
            benefit_lines: parts.benefit_lines.clone(),
            baskets,
            total_benefit,
            budget_benefit,
            cost_lines: parts.cost_lines.clone(),
            total_cost,
            offset_lines: parts.offset_lines.clone(),
            offsets,
            net: add(sub(total_benefit, total_cost), offsets),
            budget_net: add(sub(budget_benefit, total_cost), offsets),
        }
    }

    /// Every figure known; `None` if any is not (or overflowed).
    pub fn known(&self) -> Option<Figures<Decimal>> {
        let all = |v: &[Option<Decimal>]| v.iter().copied().collect::<Option<Vec<Decimal>>>();
        let b = &self.baskets;
        Some(Figures {
            installs: self.installs?,
            leavers: self.leavers?,
            closing_users: self.closing_users?,
            benefit_lines: all(&self.benefit_lines)?,
            baskets: [b[0]?, b[1]?, b[2]?, b[3]?],
            total_benefit: self.total_benefit?,
            budget_benefit: self.budget_benefit?,
            cost_lines: all(&self.cost_lines)?,
            total_cost: self.total_cost?,
            offset_lines: all(&self.offset_lines)?,
            offsets: self.offsets?,
            net: self.net?,
            budget_net: self.budget_net?,
        })
    }
}

impl<T: Copy> Parts<T> {
    /// The same parts, each mapped by `f`.
    pub fn map<U>(&self, f: impl Fn(T) -> U) -> Parts<U> {
        Parts {
            installs: f(self.installs),
            leavers: f(self.leavers),
            closing_users: f(self.closing_users),
            benefit_lines: self.benefit_lines.iter().map(|v| f(*v)).collect(),
            basket_given: self.basket_given.map(|v| v.map(&f)),
            cost_lines: self.cost_lines.iter().map(|v| f(*v)).collect(),
            offset_lines: self.offset_lines.iter().map(|v| f(*v)).collect(),
        }
    }
}

/// Exact value of an engine figure (zero if it overflowed; callers check validity first).
pub fn value(x: Exact) -> Decimal {
    x.get().unwrap_or_default()
}

/// Whole people, half away from zero.
pub fn whole(x: Decimal) -> Decimal {
    x.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
}

/// `months` twelfths of a year's amount, rounded as the plan rounds money; the whole amount
/// for twelve months. The plan is phased evenly by month.
pub fn part(amount: Decimal, months: u32, rounding: Rounding) -> Decimal {
    if months >= 12 {
        return amount;
    }
    let share = twelfths(amount, months);
    match rounding {
        Rounding::Pound => share.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero),
        Rounding::Penny => share.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
        Rounding::None => share,
    }
}

/// Users `months` into year `t`: a straight line from opening to closing.
pub fn users_at(outcome: &Outcome<Exact>, t: usize, months: u32) -> Decimal {
    let year = &outcome.users[t];
    let (opening, closing) = (value(year.opening), value(year.closing));
    if months >= 12 {
        return closing;
    }
    opening + twelfths(closing - opening, months)
}

/// `months` twelfths of `x`: multiplied first, for exactness, unless that would overflow.
pub fn twelfths(x: Decimal, months: u32) -> Decimal {
    let twelve = Decimal::from(12);
    x.checked_mul(Decimal::from(months))
        .map(|p| p / twelve)
        .unwrap_or_else(|| x / twelve * Decimal::from(months))
}

/// The parts of year `t` of an evaluated case, exact (users fractional), the first `months`
/// of it: money and flows pro-rated by [`part`], users at that point by [`users_at`].
pub fn outcome_parts(
    outcome: &Outcome<Exact>,
    t: usize,
    months: u32,
    rounding: Rounding,
) -> Parts<Decimal> {
    let users = &outcome.users[t];
    let flow = |x: Exact| {
        if months >= 12 {
            value(x)
        } else {
            twelfths(value(x), months)
        }
    };
    let money = |lines: &[crate::model::LineValues<Exact>]| -> Vec<Decimal> {
        lines
            .iter()
            .map(|l| part(value(l.values[t]), months, rounding))
            .collect()
    };
    Parts {
        installs: flow(users.installs),
        leavers: flow(users.leavers),
        closing_users: users_at(outcome, t, months),
        benefit_lines: money(&outcome.benefits),
        basket_given: [None; 4],
        cost_lines: money(&outcome.costs),
        offset_lines: money(&outcome.offsets),
    }
}

/// Plan figures for comparison: users rounded to whole people, as `run` shows them; `None`
/// only if a total overflows the money type.
pub fn plan_figures(
    outcome: &Outcome<Exact>,
    t: usize,
    months: u32,
    model: &Model,
    budget: &[Basket],
) -> Option<Figures<Decimal>> {
    let mut parts = outcome_parts(outcome, t, months, model.rounding);
    parts.installs = whole(parts.installs);
    parts.leavers = whole(parts.leavers);
    parts.closing_users = whole(parts.closing_users);
    Figures::assemble(&parts.map(Some), model, budget).known()
}

impl Figures<Option<Decimal>> {
    /// Two spans of time one after the other: flows and money added, users at the later.
    pub fn then(&self, next: &Self) -> Self {
        let lines = |a: &[Option<Decimal>], b: &[Option<Decimal>]| -> Vec<Option<Decimal>> {
            a.iter().zip(b).map(|(a, b)| add(*a, *b)).collect()
        };
        Figures {
            installs: add(self.installs, next.installs),
            leavers: add(self.leavers, next.leavers),
            closing_users: next.closing_users,
            benefit_lines: lines(&self.benefit_lines, &next.benefit_lines),
            baskets: [0, 1, 2, 3].map(|k| add(self.baskets[k], next.baskets[k])),
            total_benefit: add(self.total_benefit, next.total_benefit),
            budget_benefit: add(self.budget_benefit, next.budget_benefit),
            cost_lines: lines(&self.cost_lines, &next.cost_lines),
            total_cost: add(self.total_cost, next.total_cost),
            offset_lines: lines(&self.offset_lines, &next.offset_lines),
            offsets: add(self.offsets, next.offsets),
            net: add(self.net, next.net),
            budget_net: add(self.budget_net, next.budget_net),
        }
    }
}

impl Figures<Decimal> {
    /// Every figure as known.
    pub fn known_all(&self) -> Figures<Option<Decimal>> {
        let some = |v: &[Decimal]| v.iter().map(|x| Some(*x)).collect();
        Figures {
            installs: Some(self.installs),
            leavers: Some(self.leavers),
            closing_users: Some(self.closing_users),
            benefit_lines: some(&self.benefit_lines),
            baskets: self.baskets.map(Some),
            total_benefit: Some(self.total_benefit),
            budget_benefit: Some(self.budget_benefit),
            cost_lines: some(&self.cost_lines),
            total_cost: Some(self.total_cost),
            offset_lines: some(&self.offset_lines),
            offsets: Some(self.offsets),
            net: Some(self.net),
            budget_net: Some(self.budget_net),
        }
    }

    /// The same figures with users rounded to whole people.
    pub fn whole_users(mut self) -> Self {
        self.installs = whole(self.installs);
        self.leavers = whole(self.leavers);
        self.closing_users = whole(self.closing_users);
        self
    }
}
