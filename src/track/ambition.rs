//! Installs a month needed to reach a number of TEC users by a month, solved exactly with the
//! engine's own user model stepped month by month.
//!
//! Each month, users present lose the monthly attrition rate and the month's installs arrive
//! half way through it (the engine's `middle` timing). The monthly rate is the one that
//! compounds to the annual rate over twelve months: 1 - (1 - annual)^(1/12). Users at the end
//! are linear in the installs a month, so two runs give the exact answer.

use super::actuals::{Actuals, Column};
use super::error::TrackError;
use super::figures::whole;
use super::period::Month;
use super::report::AmbitionReport;
use crate::model::spec::{CohortSpec, SeriesSlot, UsersSpec};
use crate::model::users::UserModel;
use crate::number::Exact;
use crate::scenario::Scenario;
use crate::scenario::document::Timing;
use rust_decimal::Decimal;

/// The answer for one ambition.
#[derive(Debug, Clone, PartialEq)]
pub struct Solution {
    /// The monthly attrition rate used.
    pub monthly_attrition: Decimal,
    /// Installs a month that reach the target exactly (zero if it is reached without any).
    pub exact: Decimal,
    /// Whole installs a month: the exact answer rounded up.
    pub whole: Decimal,
    /// Users at the end with `whole` installs a month.
    pub reached: Decimal,
    /// Users at the end with one install a month fewer (below the target).
    pub reached_one_fewer: Decimal,
}

/// 1 - (1 - annual)^(1/12), by Newton's method to 26 decimal places.
pub fn monthly_rate(annual: Decimal) -> Option<Decimal> {
    if annual < Decimal::ZERO || annual > Decimal::ONE {
        return None;
    }
    if annual.is_zero() || annual == Decimal::ONE {
        return Some(annual);
    }
    let stay = Decimal::ONE - annual;
    let (eleven, twelve) = (Decimal::from(11), Decimal::from(12));
    let tolerance = Decimal::new(1, 26);
    let mut y = Decimal::ONE;
    for _ in 0..200 {
        let mut power = Decimal::ONE;
        for _ in 0..11 {
            power = power.checked_mul(y)?;
        }
        let next = eleven
            .checked_mul(y)?
            .checked_add(stay.checked_div(power)?)?
            / twelve;
        let done = (next - y).abs() < tolerance;
        y = next;
        if done {
            break;
        }
    }
    Some((Decimal::ONE - y).round_dp(26))
}

/// TEC users after `months` months from `from_users`, with `installs` a month.
pub fn users_after(
    from_users: Decimal,
    installs: Decimal,
    months: usize,
    monthly: Decimal,
) -> Exact {
    let spec = UsersSpec {
        cohorts: vec![CohortSpec {
            name: "users".into(),
            opening: 0,
            attrition: 1,
            installs: SeriesSlot(2),
            timing: Timing::Middle,
            start: None,
        }],
        offset_years: 0,
    };
    let mut params = vec![Exact::new(from_users), Exact::new(monthly)];
    params.extend(std::iter::repeat_n(Exact::new(installs), months));
    let model = UserModel::build(&spec, &params, months);
    model
        .years
        .last()
        .map_or(Exact::new(from_users), |y| y.closing)
}

/// Installs a month taking `from_users` to `target` in `months` months under `annual`
/// attrition.
pub fn installs_to_reach(
    from_users: Decimal,
    target: Decimal,
    months: usize,
    annual: Decimal,
) -> Result<Solution, String> {
    if months == 0 {
        return Err("the ambition's month must be after the latest actual users".into());
    }
    let monthly = monthly_rate(annual).ok_or("attrition must be between 0 and 1")?;
    let none = users_after(from_users, Decimal::ZERO, months, monthly);
    let one = users_after(from_users, Decimal::ONE, months, monthly);
    let overflow = || "the ambition is too large for the money type".to_string();
    let exact = ((Exact::new(target) - none) / (one - none))
        .get()
        .ok_or_else(overflow)?
        .max(Decimal::ZERO);
    let whole = exact.ceil();
    let reached = users_after(from_users, whole, months, monthly)
        .get()
        .ok_or_else(overflow)?;
    let fewer = (whole - Decimal::ONE).max(Decimal::ZERO);
    let reached_one_fewer = users_after(from_users, fewer, months, monthly)
        .get()
        .ok_or_else(overflow)?;
    Ok(Solution {
        monthly_attrition: monthly,
        exact,
        whole,
        reached,
        reached_one_fewer,
    })
}

/// The installs a month for the plan's users ambition, from the latest actual users.
pub fn report(
    scenario: &Scenario,
    actuals: &Actuals,
) -> Result<Option<AmbitionReport>, TrackError> {
    let Some(goal) = scenario.tracking.ambition else {
        return Ok(None);
    };
    let Some(column) = actuals.find(Column::ActiveUsers) else {
        return Ok(None);
    };
    let Some((from_users, from)) = actuals
        .rows
        .iter()
        .rev()
        .find_map(|r| r.values[column].map(|u| (u, r.period.last_month())))
    else {
        return Ok(None);
    };
    let by = Month {
        year: goal.year,
        month: goal.month,
    };
    let months = from.months_until(by);
    let params = &scenario.params;
    let target = params.values[goal.users];
    let fail = |m: String| {
        TrackError::Option(format!(
            "{}: tracking.ambition: {m}",
            scenario.path().display()
        ))
    };
    // One rate steps every user; cohorts that lose users at different rates have none.
    let cohorts = &scenario.model.users.cohorts;
    let annual = params.values[cohorts[0].attrition];
    if let Some(other) = cohorts[1..]
        .iter()
        .find(|c| params.values[c.attrition] != annual)
    {
        return Err(fail(format!(
            "needs one attrition rate, but cohort `{}` has {} and `{}` has {}",
            cohorts[0].name, annual, other.name, params.values[other.attrition]
        )));
    }
    if months <= 0 || months > 12 * 100 {
        return Err(fail(format!(
            "{} must be after the latest actual users ({}) and within a century of them",
            by.name(),
            from.name()
        )));
    }
    let solution = installs_to_reach(from_users, target, months as usize, annual).map_err(fail)?;
    Ok(Some(AmbitionReport {
        kind: goal.kind.key().into(),
        target_users: target,
        by: by.name(),
        from_users,
        from: from.name(),
        months: months as u32,
        annual_attrition: annual,
        attrition_provenance: params.info[cohorts[0].attrition].provenance.to_string(),
        monthly_attrition: solution.monthly_attrition.round_dp(6),
        installs_per_month: solution.exact.round_dp(2),
        whole_installs_per_month: solution.whole,
        users_reached: whole(solution.reached),
        method: "the engine's user model stepped month by month from the latest actual users: \
                 each month users present leave at the monthly rate that compounds to the annual \
                 attrition, and the month's installs arrive half way through it; users at the \
                 end are linear in the installs a month, so two runs give the exact answer"
            .into(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn monthly_rate_compounds_to_the_annual_rate() {
        let m = monthly_rate(d("0.18")).unwrap();
        let stay = (0..12).fold(Decimal::ONE, |acc, _| acc * (Decimal::ONE - m));
        assert!((stay - d("0.82")).abs() < d("1e-20"), "{stay}");
        assert_eq!(monthly_rate(Decimal::ZERO), Some(Decimal::ZERO));
        assert_eq!(monthly_rate(d("1.5")), None);
    }

    #[test]
    fn without_attrition_the_answer_is_the_gap_over_the_months() {
        let s = installs_to_reach(d("11599"), d("18000"), 43, Decimal::ZERO).unwrap();
        assert_eq!(s.exact.round_dp(20), (d("6401") / d("43")).round_dp(20));
        assert_eq!(s.whole, d("149"));
        assert_eq!(s.reached, d("11599") + d("149") * d("43"));
    }

    #[test]
    fn the_whole_answer_is_the_fewest_installs_that_reach_the_target() {
        let s = installs_to_reach(d("11599"), d("18000"), 43, d("0.18")).unwrap();
        assert!(s.reached >= d("18000"), "{s:?}");
        assert!(s.reached_one_fewer < d("18000"), "{s:?}");
        let at_exact = users_after(d("11599"), s.exact, 43, s.monthly_attrition)
            .get()
            .unwrap();
        assert!((at_exact - d("18000")).abs() < d("1e-15"), "{at_exact}");
    }

    #[test]
    fn a_target_already_met_needs_no_installs() {
        let s = installs_to_reach(d("1000"), d("500"), 1, d("0.1")).unwrap();
        assert_eq!(s.whole, Decimal::ZERO);
        assert!(installs_to_reach(d("1000"), d("500"), 0, d("0.1")).is_err());
    }
}
