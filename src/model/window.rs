//! User-years within a part of each user's time since install (a benefit's lag, duration and
//! drop-off), and users still in the service a given time after install (a delayed
//! admission): the user model's answers for benefits that depend on when each user arrived.
//!
//! Every figure is arithmetic and `select_less` on the inputs, with no branch on a number, so
//! the Monte Carlo traces it like any other (a lag or a duration may itself be uncertain).
//!
//! Within a financial year a group's users fall in a straight line (the model's attrition
//! convention, see [`super::users`]): `n` when its time in the year begins at `p`,
//! `n(1 - a(x - p))` at `x`. So the user-years between `u` and `v` in that year are the area under the
//! line, `(v - u) n (1 - a((u - p) + (v - p))/2)`, computed as `w((n - a e n) - a w n/2)`
//! with `w = v - u` and `e = u - p`: for the group's whole time in the year (`e = 0`) that is
//! the user model's own figure to the bit.

use super::users::{CohortUsers, Segment, max, min};
use super::vocabulary::Counts;
use crate::number::Num;

/// The part of each user's time since install that a line counts, in years.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window<N> {
    /// Time since install at which it begins (a lag; zero for none).
    pub from: N,
    /// Time since install at which it ends (a duration), if it does.
    pub to: Option<N>,
    /// Share of a user's benefit lost each year after their first since install, compounding:
    /// their k-th year since install (k = 0 first) counts `(1 - drop_off)^k`.
    pub drop_off: Option<N>,
}

/// Weeks in a year, for weekly figures spread over time (as `weeks_per_year`'s default).
pub const WEEKS_PER_YEAR: i64 = 52;

impl<N: Num> CohortUsers<N> {
    /// User-years in `year` within `window` of the programme's groups, each year since install
    /// weighted for drop-off; with `counts: all`, plus the users there at the start, who have no
    /// install date: they count as past any lag, within any duration and at full benefit.
    pub fn user_years_within(&self, year: usize, counts: Counts, window: &Window<N>) -> N {
        let end = N::from_int(year as i64 + 1);
        let mut total = N::zero();
        for (age, segment) in self.by_age(year).iter().enumerate() {
            let installed_at = self.installed_at[self.group(year, age)];
            let part = |from: N, to: Option<N>| {
                area(
                    self.attrition,
                    segment,
                    end,
                    installed_at + from,
                    to.map(|t| installed_at + t),
                )
            };
            match window.drop_off {
                None => total = total + part(window.from, window.to),
                Some(drop_off) => {
                    let keep = N::one() - drop_off;
                    // This year holds time since install from age - 1 to age + 1 (installs
                    // land within a year), so at most two years since install.
                    for k in [age.checked_sub(1), Some(age)].into_iter().flatten() {
                        let next = N::from_int(k as i64 + 1);
                        let to = window.to.map_or(next, |to| min(to, next));
                        let from = max(window.from, N::from_int(k as i64));
                        total = total + part(from, Some(to)) * keep.powi(k as u32);
                    }
                }
            }
        }
        match counts {
            Counts::Programme => total,
            Counts::All => total + self.baseline_user_years[year],
        }
    }

    /// Users at the end of `year` within `window` (from the lag to the end of the duration);
    /// with `counts: all`, plus the users there at the start.
    pub fn closing_within(&self, year: usize, counts: Counts, window: &Window<N>) -> N {
        let end = N::from_int(year as i64 + 1);
        let mut total = N::zero();
        for (age, segment) in self.by_age(year).iter().enumerate() {
            let since = end - self.installed_at[self.group(year, age)];
            let within = match window.to {
                Some(to) => since.select_less(to, segment.closing, N::zero()),
                None => segment.closing,
            };
            total = total + since.select_less(window.from, N::zero(), within);
        }
        match counts {
            Counts::Programme => total,
            Counts::All => self.years[year].closing - self.years[year].programme_closing + total,
        }
    }

    /// Users of group `group` still in the service at `at` (years from the start of the
    /// model's first year); zero if `at` is after the horizon or before the install.
    pub fn survivors_at(&self, group: usize, at: N) -> N {
        let years = self.years.len();
        let first = group as i64 - self.before as i64;
        let mut total = N::zero();
        // Before the first year (a re-forecast's earlier groups): the plan's own recurrence,
        // from the users the group installed.
        let mut open = self.installed[group];
        let mut from = self.installed_at[group];
        for year in first..0 {
            let end = N::from_int(year + 1);
            total = total + within_year(self.attrition, open, from, end, at);
            let gone = self.attrition * (end - from) * open;
            open = open - gone;
            from = end;
        }
        for year in first.max(0) as usize..years {
            let segment = &self.by_age(year)[year + self.before - group];
            let end = N::from_int(year as i64 + 1);
            total = total + within_year(self.attrition, segment.open, segment.from, end, at);
        }
        total
    }

    /// Adds to each year the weeks of delay that fall in it, summed over the programme's
    /// users still in the service `after` years after their install (each then delayed
    /// `weeks` weeks).
    pub fn delayed_user_weeks(&self, after: N, weeks: N, out: &mut [N]) {
        let per_year = N::from_int(WEEKS_PER_YEAR);
        let length = weeks / per_year;
        for group in 0..self.installed_at.len() {
            let begins = self.installed_at[group] + after;
            let users = self.survivors_at(group, begins);
            let ends = begins + length;
            for (year, slot) in out.iter_mut().enumerate() {
                let overlap =
                    min(N::from_int(year as i64 + 1), ends) - max(N::from_int(year as i64), begins);
                let overlap = max(overlap, N::zero());
                *slot = *slot + users * (overlap * per_year);
            }
        }
    }
}

/// User-years of a group's time in a year (`segment`, to `end`) between `from` and `to`
/// (absolute times; `to: None` for the year end).
fn area<N: Num>(attrition: N, segment: &Segment<N>, end: N, from: N, to: Option<N>) -> N {
    let half = N::one() / N::from_int(2);
    let u = max(segment.from, from);
    let v = to.map_or(end, |to| min(end, to));
    let w = max(v - u, N::zero());
    let e = u - segment.from;
    let open = segment.open;
    w * ((open - attrition * e * open) - attrition * w * open * half)
}

/// A group's users at `at` if it falls in its time in a year (from `from` to `end`), else zero.
fn within_year<N: Num>(attrition: N, open: N, from: N, end: N, at: N) -> N {
    let users = open * (N::one() - attrition * (at - from));
    at.select_less(from, N::zero(), at.select_less(end, users, N::zero()))
}

impl<N: Num> super::users::UserModel<N> {
    /// [`CohortUsers::user_years_within`] over the selected cohorts.
    pub fn user_years_within(
        &self,
        year: usize,
        counts: Counts,
        cohorts: &super::users::Cohorts,
        window: &Window<N>,
    ) -> N {
        self.sum_cohorts(cohorts, |c| c.user_years_within(year, counts, window))
    }

    /// [`CohortUsers::delayed_user_weeks`] over the selected cohorts, into `out` (one a year).
    pub fn delayed_user_weeks(
        &self,
        cohorts: &super::users::Cohorts,
        after: N,
        weeks: N,
        out: &mut [N],
    ) {
        out.iter_mut().for_each(|w| *w = N::zero());
        for (c, cohort) in self.cohorts.iter().enumerate() {
            if cohorts.includes(c) {
                cohort.delayed_user_weeks(after, weeks, out);
            }
        }
    }

    /// [`CohortUsers::closing_within`] over the selected cohorts.
    pub fn closing_within(
        &self,
        year: usize,
        counts: Counts,
        cohorts: &super::users::Cohorts,
        window: &Window<N>,
    ) -> N {
        self.sum_cohorts(cohorts, |c| c.closing_within(year, counts, window))
    }
}
