//! The whole-horizon figures of a report: the council's totals and returns, the public
//! sector's net benefit, benefit by beneficiary, and figures per person and per user-year.

use super::{PartyAmount, Summary, YearReport, places};
use crate::model::Outcome;
use crate::model::exposure::Exposure;
use crate::model::spec::Model;
use crate::model::vocabulary::{Counts, Party};
use crate::number::Exact;
use crate::scenario::Scenario;
use rust_decimal::Decimal;

/// Every TEC user's user-years in each year, exactly (the user model's, as every line that
/// counts all users for the whole horizon sees them).
pub(super) fn user_years(scenario: &Scenario, outcome: &Outcome<Exact>) -> Vec<Decimal> {
    let params: Vec<Exact> = scenario.params_as();
    let everyone = Exposure::all_time(Counts::All);
    (0..scenario.model.years)
        .map(|t| {
            everyone
                .user_years(&outcome.cohorts, &params, t)
                .get()
                .unwrap_or_default()
        })
        .collect()
}

pub(super) fn summary(
    years: &[YearReport],
    outcome: &Outcome<Exact>,
    model: &Model,
    user_years: &[Decimal],
) -> Summary {
    let sum = |f: &dyn Fn(&YearReport) -> Decimal| years.iter().map(f).sum::<Decimal>();
    let total_benefit = sum(&|y| y.total_benefit);
    let total_cost = sum(&|y| y.total_cost);
    let by_party = |f: fn(&YearReport) -> &Vec<PartyAmount>| {
        Party::ALL
            .iter()
            .enumerate()
            .map(|(k, party)| PartyAmount {
                party: *party,
                amount: sum(&|y| f(y)[k].amount),
            })
            .collect::<Vec<_>>()
    };
    let all_user_years: Decimal = user_years.iter().sum();
    let per = |amount: Decimal, of: Decimal| (!of.is_zero()).then(|| places(amount / of, 2));
    let opening = outcome
        .users
        .first()
        .and_then(|u| u.opening.get())
        .unwrap_or_default();
    let installs: Decimal = outcome
        .users
        .iter()
        .map(|u| u.installs.get().unwrap_or_default())
        .sum();
    Summary {
        cumulative_net: years.last().map(|y| y.cumulative_net).unwrap_or_default(),
        total_benefit,
        total_cost,
        total_offsets: sum(&|y| y.offsets),
        npv: sum(&|y| y.discounted_net),
        payback_year: outcome.payback_year().map(|t| model.year_label(t)),
        closing_users: years.last().map(|y| y.closing_users).unwrap_or_default(),
        return_per_pound: per(total_benefit, total_cost),
        roi: per(total_benefit - total_cost, total_cost),
        public_sector_net: sum(&|y| y.public_sector_net),
        benefit_by_beneficiary: by_party(|y| &y.benefit_by_beneficiary),
        cost_by_payer: by_party(|y| &y.cost_by_payer),
        people_supported: places(opening + installs, 0),
        user_years: places(all_user_years, 2),
        cost_per_user_year: per(total_cost, all_user_years),
        benefit_per_user_year: per(total_benefit, all_user_years),
    }
}
