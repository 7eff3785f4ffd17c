//! TEC user numbers year by year, by cohort: opening, installs, leavers, closing, and each
//! install group's users through time.
//!
//! Conventions (stated in docs/scenario-format.md and docs/users-and-time.md): a cohort's installs of a year land at
//! one moment, the start, middle or end of the year (or of the months from its `start` month
//! to March, in its first year); an annual attrition rate applies to the time each user is
//! present, so within a financial year a group's users fall in a straight line from n at the
//! start of its time there to n(1 - a x that time) at the year end, and its user-years are
//! the area under that line; leavers go, on average, half way through their time in the year.
//! Users stay fractional here; tables round them.

use crate::model::spec::{SeriesSlot, Slot};
use crate::model::vocabulary::{Counts, Timing};
use crate::number::Num;

/// One group of users with its own opening, installs and attrition (older people, a pilot).
#[derive(Debug, Clone)]
pub struct CohortSpec {
    /// The key under `cohorts` (`users` for a file with a `users` section).
    pub name: String,
    pub opening: Slot,
    pub installs: SeriesSlot,
    pub attrition: Slot,
    pub timing: Timing,
    /// Months from 1 April of the plan's first year to the month the cohort's installs begin
    /// (`2021-07` is 3 in a plan from 2021/22); `None`: from the first year.
    pub start: Option<Slot>,
}

/// Every cohort of the case.
#[derive(Debug, Clone)]
pub struct UsersSpec {
    pub cohorts: Vec<CohortSpec>,
    /// Years of the plan before this model's first year (a re-forecast re-runs the plan from a
    /// later year), so that a start month keeps its date.
    pub offset_years: usize,
}

impl UsersSpec {
    pub fn cohort_index(&self, name: &str) -> Option<usize> {
        self.cohorts.iter().position(|c| c.name == name)
    }
}

/// Which cohorts a line counts.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Cohorts {
    #[default]
    All,
    /// Indices into [`UsersSpec::cohorts`], in file order.
    Only(Vec<usize>),
}

impl Cohorts {
    pub fn includes(&self, cohort: usize) -> bool {
        match self {
            Cohorts::All => true,
            Cohorts::Only(list) => list.contains(&cohort),
        }
    }
}

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

/// One install group's users within one financial year.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Segment<N> {
    /// Users when the group's time in the year begins (at install, or on 1 April).
    pub open: N,
    /// When that time begins, in years from the start of the model's first year.
    pub from: N,
    pub user_years: N,
    pub closing: N,
}

/// One cohort over the horizon.
#[derive(Debug, Clone)]
pub struct CohortUsers<N> {
    pub years: Vec<UserYear<N>>,
    /// User-years of the users there at the start, by year.
    pub baseline_user_years: Vec<N>,
    pub(crate) attrition: N,
    /// `[t * width + age]`: the group installed `age` years before year t, in year t.
    pub(crate) segments: Vec<Segment<N>>,
    /// By group (`before` + install year): when its users were installed, in years from the
    /// start of the model's first year (negative for a re-forecast's earlier groups).
    pub(crate) installed_at: Vec<N>,
    /// By group: users installed.
    pub(crate) installed: Vec<N>,
    /// Row width: the horizon plus groups from before it.
    pub(crate) width: usize,
    /// Groups given by a start, from before the first year.
    pub(crate) before: usize,
}

/// The user model over the horizon: every cohort, and their totals.
///
/// Buffers are reused by [`UserModel::build_into`], so the Monte Carlo evaluates without
/// allocating once it has run a model.
#[derive(Debug, Clone)]
pub struct UserModel<N> {
    /// All cohorts together.
    pub years: Vec<UserYear<N>>,
    pub cohorts: Vec<CohortUsers<N>>,
}

impl<N> UserModel<N> {
    pub fn empty() -> Self {
        UserModel {
            years: Vec::new(),
            cohorts: Vec::new(),
        }
    }
}

/// Users at the start of the first modelled year when a run starts part way through a case
/// (a re-forecast from actual users), cohort by cohort.
#[derive(Debug, Clone, PartialEq)]
pub struct Start<N> {
    pub cohorts: Vec<CohortStart<N>>,
}

/// One cohort's users at a start: those there before the programme, and the programme's
/// groups, oldest first (the last was installed the year before).
#[derive(Debug, Clone, PartialEq)]
pub struct CohortStart<N> {
    pub baseline: N,
    pub groups: Vec<GroupStart<N>>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GroupStart<N> {
    /// Users the group installed (scaled as `now` is), for figures measured from install.
    pub installed: N,
    /// The group's users now.
    pub now: N,
}

impl<N: Num> Start<N> {
    /// Every user at the start.
    pub fn total(&self) -> Option<N> {
        let mut total: Option<N> = None;
        for cohort in &self.cohorts {
            let users = cohort.groups.iter().fold(cohort.baseline, |a, g| a + g.now);
            total = Some(total.map_or(users, |t| t + users));
        }
        total
    }
}

/// When in a financial year `year` (0-based, may be negative) a cohort's installs land, in
/// years from the start of the model's first year, and whether it installs that year at all.
/// `start` is the cohort's first install moment in the same measure, if it has one.
pub(crate) fn install_moment<N: Num>(timing: Timing, year: i64, start: Option<N>) -> (N, N) {
    let half = N::one() / N::from_int(2);
    let year_start = N::from_int(year);
    let year_end = N::from_int(year + 1);
    let Some(start) = start else {
        // The whole year is open: as many exact constants as before start months existed.
        let share = match timing {
            Timing::Start => N::one(),
            Timing::Middle => half,
            Timing::End => N::zero(),
        };
        return (year_end - share, N::one());
    };
    let begin = max(year_start, start);
    let moment = match timing {
        Timing::Start => begin,
        Timing::Middle => (begin + year_end) * half,
        Timing::End => year_end,
    };
    // A start after the year: nothing installed; the moment is kept within the year.
    let installs = start.select_less(year_end, N::one(), N::zero());
    (min(moment, year_end), installs)
}

#[inline(always)]
pub(crate) fn min<N: Num>(a: N, b: N) -> N {
    a.select_less(b, a, b)
}

#[inline(always)]
pub(crate) fn max<N: Num>(a: N, b: N) -> N {
    a.select_less(b, b, a)
}

impl<N: Num> UserModel<N> {
    pub fn build(spec: &UsersSpec, params: &[N], years: usize) -> Self {
        Self::build_from(spec, params, years, None)
    }

    /// As [`UserModel::build`], from `start` instead of each cohort's `opening` when given.
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
        self.cohorts.truncate(spec.cohorts.len());
        for (c, cohort) in spec.cohorts.iter().enumerate() {
            let from = start.map(|s| &s.cohorts[c]);
            if c == self.cohorts.len() {
                self.cohorts.push(CohortUsers::build(
                    cohort,
                    spec.offset_years,
                    params,
                    years,
                    from,
                ));
            } else {
                self.cohorts[c].build_into(cohort, spec.offset_years, params, years, from);
            }
        }
        // Totals start from the first cohort, so that one cohort's totals are its own figures.
        self.years.clear();
        self.years.extend_from_slice(&self.cohorts[0].years);
        for cohort in &self.cohorts[1..] {
            for (total, y) in self.years.iter_mut().zip(&cohort.years) {
                total.opening = total.opening + y.opening;
                total.installs = total.installs + y.installs;
                total.leavers = total.leavers + y.leavers;
                total.closing = total.closing + y.closing;
                total.programme_closing = total.programme_closing + y.programme_closing;
            }
        }
    }

    /// Each selected cohort's `figure`, added up in cohort order.
    pub(crate) fn sum_cohorts(
        &self,
        cohorts: &Cohorts,
        figure: impl Fn(&CohortUsers<N>) -> N,
    ) -> N {
        let mut total: Option<N> = None;
        for (c, cohort) in self.cohorts.iter().enumerate() {
            if cohorts.includes(c) {
                let value = figure(cohort);
                total = Some(total.map_or(value, |t| t + value));
            }
        }
        total.unwrap_or_else(N::zero)
    }

    /// User-years in `year` of the users a line counts, for their whole time in the service.
    pub fn user_years(&self, year: usize, counts: Counts, cohorts: &Cohorts) -> N {
        self.sum_cohorts(cohorts, |c| c.user_years(year, counts))
    }

    /// Users at the end of `year` that a line counts.
    pub fn closing_users(&self, year: usize, counts: Counts, cohorts: &Cohorts) -> N {
        self.sum_cohorts(cohorts, |c| c.closing_users(year, counts))
    }

    /// Installs in `year` of the selected cohorts.
    pub fn installs(&self, year: usize, cohorts: &Cohorts) -> N {
        match cohorts {
            Cohorts::All => self.years[year].installs,
            _ => self.sum_cohorts(cohorts, |c| c.years[year].installs),
        }
    }

    /// The programme's users at the end of `year`, cohort by cohort, as a start for the next
    /// year (before any scaling to actual users).
    pub fn start_after(&self, year: usize) -> Start<N> {
        Start {
            cohorts: self.cohorts.iter().map(|c| c.start_after(year)).collect(),
        }
    }
}

impl<N: Num> CohortUsers<N> {
    fn build(
        spec: &CohortSpec,
        offset_years: usize,
        params: &[N],
        years: usize,
        start: Option<&CohortStart<N>>,
    ) -> Self {
        let mut cohort = CohortUsers::placeholder(params[spec.attrition]);
        cohort.build_into(spec, offset_years, params, years, start);
        cohort
    }

    fn placeholder(attrition: N) -> Self {
        CohortUsers {
            years: Vec::new(),
            baseline_user_years: Vec::new(),
            attrition,
            segments: Vec::new(),
            installed_at: Vec::new(),
            installed: Vec::new(),
            width: 0,
            before: 0,
        }
    }

    fn build_into(
        &mut self,
        spec: &CohortSpec,
        offset_years: usize,
        params: &[N],
        years: usize,
        start: Option<&CohortStart<N>>,
    ) {
        let attrition = params[spec.attrition];
        self.attrition = attrition;
        let half = N::one() / N::from_int(2);
        let first_install = spec
            .start
            .map(|slot| params[slot] / N::from_int(12) - N::from_int(offset_years as i64));
        // Groups from before the first year (a re-forecast's start) make rows wider.
        let before = start.map_or(0, |s| s.groups.len());
        let width = years + before;
        self.width = width;
        self.before = before;
        self.years.clear();
        self.baseline_user_years.clear();
        let blank = Segment {
            open: N::zero(),
            from: N::zero(),
            user_years: N::zero(),
            closing: N::zero(),
        };
        self.segments.clear();
        self.segments.resize(years * width, blank);
        self.installed_at.clear();
        self.installed.clear();
        for g in 0..width {
            let year = g as i64 - before as i64;
            let (moment, installs) = install_moment(spec.timing, year, first_install);
            self.installed_at.push(moment);
            self.installed.push(match start {
                Some(s) if g < before => s.groups[g].installed,
                _ if spec.start.is_none() => params[spec.installs.at(g - before)],
                _ => params[spec.installs.at(g - before)] * installs,
            });
        }
        let mut baseline = start.map_or(params[spec.opening], |s| s.baseline);
        for year in 0..years {
            let installs = self.installed[before + year];
            let row = year * width;
            let mut opening = baseline;
            let baseline_leavers = attrition * baseline;
            self.baseline_user_years
                .push(baseline - baseline_leavers * half);
            baseline = baseline - baseline_leavers;
            let mut leavers = baseline_leavers;

            // The new group is age 0: present from its install moment to the year end.
            let moment = self.installed_at[before + year];
            let share = N::from_int(year as i64 + 1) - moment;
            let new_leavers = attrition * share * installs;
            self.segments[row] = Segment {
                open: installs,
                from: moment,
                user_years: share * (installs - new_leavers * half),
                closing: installs - new_leavers,
            };
            leavers = leavers + new_leavers;
            let mut programme_closing = installs - new_leavers;
            // Older groups: last year's closing users of age - 1 (in year one, the start's).
            for age in 1..=year + before {
                let group = match start {
                    Some(start) if year == 0 => start.groups[before - age].now,
                    _ => self.segments[row - width + age - 1].closing,
                };
                opening = opening + group;
                let gone = attrition * group;
                self.segments[row + age] = Segment {
                    open: group,
                    from: N::from_int(year as i64),
                    user_years: group - gone * half,
                    closing: group - gone,
                };
                leavers = leavers + gone;
                programme_closing = programme_closing + (group - gone);
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

    /// Year `year`'s segments by age, the newest group (age 0) first.
    pub(crate) fn by_age(&self, year: usize) -> &[Segment<N>] {
        let row = year * self.width;
        &self.segments[row..row + year + self.before + 1]
    }

    /// The group index of the group of `age` in `year`.
    pub(crate) fn group(&self, year: usize, age: usize) -> usize {
        year + self.before - age
    }

    /// User-years in `year` of the users a line counts.
    pub fn user_years(&self, year: usize, counts: Counts) -> N {
        let programme = self
            .by_age(year)
            .iter()
            .fold(N::zero(), |acc, s| acc + s.user_years);
        match counts {
            Counts::Programme => programme,
            Counts::All => programme + self.baseline_user_years[year],
        }
    }

    /// Users at the end of `year` that a line counts.
    pub fn closing_users(&self, year: usize, counts: Counts) -> N {
        let programme = self
            .by_age(year)
            .iter()
            .fold(N::zero(), |acc, s| acc + s.closing);
        match counts {
            Counts::Programme => programme,
            Counts::All => {
                self.years[year].closing - self.years[year].programme_closing + programme
            }
        }
    }

    /// The programme's groups at the end of `year`, oldest first, as a start for the next year.
    pub fn start_after(&self, year: usize) -> CohortStart<N> {
        let segments = self.by_age(year);
        let groups = segments
            .iter()
            .enumerate()
            .rev()
            .map(|(age, s)| GroupStart {
                installed: self.installed[self.group(year, age)],
                now: s.closing,
            })
            .collect();
        let y = &self.years[year];
        CohortStart {
            baseline: y.closing - y.programme_closing,
            groups,
        }
    }
}

#[cfg(test)]
#[path = "users_tests.rs"]
mod tests;
