//! Which users a user-derived line counts, and when: the one place the engine turns the user
//! model into the user-years (and year-end users) of a line.
//!
//! Every user-derived benefit, `per_user` cost and `user_charge` offset holds an [`Exposure`];
//! nothing else in the engine asks the user model for user-years, so a change to who counts
//! and when (cohorts, start months, lags, durations) is made here once for every kind.

use super::spec::Slot;
use super::users::{Cohorts, UserModel};
use super::vocabulary::Counts;
use super::window::Window;
use crate::number::Num;

/// The users a line counts and the part of their time in the service that it counts.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Exposure {
    pub counts: Counts,
    /// The cohorts it counts (all by default).
    pub cohorts: Cohorts,
    pub profile: Profile,
}

/// When, in each user's time since install, a benefit line counts them; every part optional.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Profile {
    /// Months after install before a user's benefit starts.
    pub lag_months: Option<Slot>,
    /// How long after install a user's benefit stops.
    pub duration: Option<Duration>,
    /// Share of a user's benefit lost each year after their first since install.
    pub drop_off: Option<Slot>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Duration {
    Years(Slot),
    Months(Slot),
}

impl Profile {
    pub fn is_empty(&self) -> bool {
        *self == Profile::default()
    }

    /// The profile as a window of time since install, in years.
    pub fn window<N: Num>(&self, params: &[N]) -> Window<N> {
        let twelve = N::from_int(12);
        Window {
            from: self
                .lag_months
                .map_or(N::zero(), |slot| params[slot] / twelve),
            to: self.duration.map(|d| match d {
                Duration::Years(slot) => params[slot],
                Duration::Months(slot) => params[slot] / twelve,
            }),
            drop_off: self.drop_off.map(|slot| params[slot]),
        }
    }
}

impl Exposure {
    /// Every user the line's `counts` names, for the whole horizon.
    pub fn all_time(counts: Counts) -> Exposure {
        Exposure {
            counts,
            ..Exposure::default()
        }
    }

    /// User-years in `year` of the users this line counts (weighted for drop-off).
    pub fn user_years<N: Num>(&self, users: &UserModel<N>, params: &[N], year: usize) -> N {
        if self.profile.is_empty() {
            users.user_years(year, self.counts, &self.cohorts)
        } else {
            let window = self.profile.window(params);
            users.user_years_within(year, self.counts, &self.cohorts, &window)
        }
    }

    /// Users at the end of `year` that this line counts (the table's users generating benefit):
    /// those past their lag and within their duration.
    pub fn closing_users<N: Num>(&self, users: &UserModel<N>, params: &[N], year: usize) -> N {
        if self.profile.is_empty() {
            users.closing_users(year, self.counts, &self.cohorts)
        } else {
            let window = self.profile.window(params);
            users.closing_within(year, self.counts, &self.cohorts, &window)
        }
    }
}
