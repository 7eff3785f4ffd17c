//! TEC user numbers year by year: opening, installs, leavers, closing, and user-years by cohort.
//!
//! Conventions (stated in README): installs land at the start, middle or end of the year; an
//! annual attrition rate applies to the time each user is present; leavers go, on average,
//! half way through their time in the year. Users stay fractional here; tables round them.

use crate::model::spec::UsersSpec;
use crate::model::vocabulary::{Counts, Timing};
use crate::number::Num;

/// One year of the user model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct UserYear<N> {
    pub opening: N,
    pub installs: N,
    pub leavers: N,
    pub closing: N,
    /// Users at the end of the year who were installed by the programme.
    pub programme_closing: N,
}

/// The user model over the horizon, with user-years by age of cohort for benefit durations.
///
/// Buffers are flat (`[year * years + age]`) and reused by [`UserModel::build_into`], so the
/// Monte Carlo evaluates without allocating.
#[derive(Debug, Clone)]
pub struct UserModel<N> {
    pub years: Vec<UserYear<N>>,
    /// User-years of the users there at the start, by year.
    pub baseline_user_years: Vec<N>,
    /// `[t * width + age]`: user-years in year t of the cohort installed `age` years before.
    programme_user_years: Vec<N>,
    /// `[t * width + age]`: that cohort's users at the end of year t.
    programme_closing_by_age: Vec<N>,
    /// Row width: the horizon plus cohorts from before it.
    width: usize,
    /// Cohorts given by a start, from before the first year.
    before: usize,
}

impl<N> UserModel<N> {
    pub fn empty() -> Self {
        UserModel {
            years: Vec::new(),
            baseline_user_years: Vec::new(),
            programme_user_years: Vec::new(),
            programme_closing_by_age: Vec::new(),
            width: 0,
            before: 0,
        }
    }
}

/// Users at the start of the first modelled year when a run starts part way through a case
/// (a re-forecast from actual users): those there before the programme, and the programme's
/// cohorts still present, oldest first (the last was installed the year before).
#[derive(Debug, Clone, PartialEq)]
pub struct Start<N> {
    pub baseline: N,
    pub cohorts: Vec<N>,
}

impl<N: Num> UserModel<N> {
    pub fn build(spec: &UsersSpec, params: &[N], years: usize) -> Self {
        Self::build_from(spec, params, years, None)
    }

    /// As [`UserModel::build`], from `start` instead of `users.opening` when one is given.
    pub fn build_from(
        spec: &UsersSpec,
        params: &[N],
        years: usize,
        start: Option<&Start<N>>,
    ) -> Self {
        let mut model = UserModel::empty();
        model.build_into(spec, params, years, start);
        model
    }

    /// Recomputes the user model in place, reusing its buffers; from `start` when given.
    pub fn build_into(
        &mut self,
        spec: &UsersSpec,
        params: &[N],
        years: usize,
        start: Option<&Start<N>>,
    ) {
        let attrition = params[spec.attrition];
        let half = N::one() / N::from_int(2);
        let share_of_first_year = match spec.timing {
            Timing::Start => N::one(),
            Timing::Middle => half,
            Timing::End => N::zero(),
        };
        // Cohorts from before the first year (a re-forecast's start) make rows wider.
        let before = start.map_or(0, |s| s.cohorts.len());
        let width = years + before;
        self.width = width;
        self.before = before;
        self.years.clear();
        self.baseline_user_years.clear();
        self.programme_user_years.clear();
        self.programme_user_years.resize(years * width, N::zero());
        self.programme_closing_by_age.clear();
        self.programme_closing_by_age
            .resize(years * width, N::zero());
        let mut baseline = start.map_or(params[spec.opening], |s| s.baseline);
        for year in 0..years {
            let installs = params[spec.installs.at(year)];
            let row = year * width;
            let mut opening = baseline;
            let baseline_leavers = attrition * baseline;
            self.baseline_user_years
                .push(baseline - baseline_leavers * half);
            baseline = baseline - baseline_leavers;
            let mut leavers = baseline_leavers;

            // The new cohort is age 0.
            let new_leavers = attrition * share_of_first_year * installs;
            self.programme_user_years[row] = share_of_first_year * (installs - new_leavers * half);
            self.programme_closing_by_age[row] = installs - new_leavers;
            leavers = leavers + new_leavers;
            let mut programme_closing = installs - new_leavers;
            // Older cohorts: last year's closing users of age - 1 (in year one, the start's).
            for age in 1..=year + before {
                let cohort = match start {
                    Some(start) if year == 0 => start.cohorts[before - age],
                    _ => self.programme_closing_by_age[row - width + age - 1],
                };
                opening = opening + cohort;
                let gone = attrition * cohort;
                self.programme_user_years[row + age] = cohort - gone * half;
                self.programme_closing_by_age[row + age] = cohort - gone;
                leavers = leavers + gone;
                programme_closing = programme_closing + (cohort - gone);
            }
            self.years.push(UserYear {
                opening,
                installs,
                leavers,
                closing: baseline + programme_closing,
                programme_closing,
            });
        }
    }

    fn by_age<'a>(&self, buffer: &'a [N], year: usize) -> &'a [N] {
        let row = year * self.width;
        &buffer[row..row + year + self.before + 1]
    }

    /// The programme's users at the end of `year` by age of cohort, the newest (age 0) first.
    pub fn closing_by_age(&self, year: usize) -> &[N] {
        self.by_age(&self.programme_closing_by_age, year)
    }

    /// User-years in `year` of the users a line counts, limited to cohorts younger than
    /// `duration` years (users there at the start are always within their duration).
    pub fn user_years(&self, year: usize, counts: Counts, duration: Option<N>) -> N {
        let programme = sum_younger(self.by_age(&self.programme_user_years, year), duration);
        match counts {
            Counts::Programme => programme,
            Counts::All => programme + self.baseline_user_years[year],
        }
    }

    /// Users at the end of `year` that a line counts, within `duration`.
    pub fn closing_users(&self, year: usize, counts: Counts, duration: Option<N>) -> N {
        let programme = sum_younger(self.by_age(&self.programme_closing_by_age, year), duration);
        match counts {
            Counts::Programme => programme,
            Counts::All => {
                self.years[year].closing - self.years[year].programme_closing + programme
            }
        }
    }
}

fn sum_younger<N: Num>(by_age: &[N], duration: Option<N>) -> N {
    match duration {
        None => by_age.iter().fold(N::zero(), |acc, n| acc + *n),
        Some(d) => by_age.iter().enumerate().fold(N::zero(), |acc, (age, n)| {
            acc + N::from_int(age as i64).select_less(d, *n, N::zero())
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::spec::SeriesSlot;

    fn spec(timing: Timing) -> UsersSpec {
        UsersSpec {
            opening: 0,
            installs: SeriesSlot(1),
            attrition: 4,
            timing,
        }
    }

    #[test]
    fn users_balance_every_year() {
        // opening 1000, installs 100, 200, 300, attrition 10%
        let params = [1000.0, 100.0, 200.0, 300.0, 0.1];
        let model = UserModel::build(&spec(Timing::Middle), &params, 3);
        for y in &model.years {
            assert!((y.opening + y.installs - y.leavers - y.closing).abs() < 1e-9);
        }
        // Year one: 1000 lose 100; 100 installed mid-year lose 5.
        assert!((model.years[0].leavers - 105.0).abs() < 1e-9);
        assert!((model.years[1].opening - 995.0).abs() < 1e-9);
        // Baseline user-years: 1000 - 100/2; new cohort: 0.5 * (100 - 5/2).
        assert!((model.user_years(0, Counts::All, None) - (950.0 + 48.75)).abs() < 1e-9);
        assert!((model.user_years(0, Counts::Programme, None) - 48.75).abs() < 1e-9);
    }

    #[test]
    fn install_timing_sets_first_year_exposure() {
        let params = [0.0, 100.0, 0.0, 0.0, 0.2];
        let start = UserModel::build(&spec(Timing::Start), &params, 1);
        let end = UserModel::build(&spec(Timing::End), &params, 1);
        assert!((start.years[0].closing - 80.0).abs() < 1e-9);
        assert!((start.user_years(0, Counts::Programme, None) - 90.0).abs() < 1e-9);
        assert!((end.years[0].closing - 100.0).abs() < 1e-9);
        assert_eq!(end.user_years(0, Counts::Programme, None), 0.0);
    }

    #[test]
    fn duration_drops_cohorts_once_their_benefit_ends() {
        let params = [0.0, 100.0, 100.0, 100.0, 0.0];
        let model = UserModel::build(&spec(Timing::Start), &params, 3);
        assert_eq!(model.user_years(2, Counts::Programme, None), 300.0);
        assert_eq!(model.user_years(2, Counts::Programme, Some(2.0)), 200.0);
        assert_eq!(model.user_years(2, Counts::Programme, Some(1.0)), 100.0);
    }
}
