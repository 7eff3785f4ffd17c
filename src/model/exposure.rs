//! Which users a user-derived line counts, and when: the one place the engine turns the user
//! model into the user-years (and year-end users) of a line.
//!
//! Every user-derived benefit, `per_user` cost and `user_charge` offset holds an [`Exposure`];
//! nothing else in the engine asks the user model for user-years, so a change to who counts
//! and when (cohorts, start months, lags, durations) is made here once for every kind.

use super::spec::Slot;
use super::users::UserModel;
use super::vocabulary::Counts;
use crate::number::Num;

/// The users a line counts and the part of their time in the service that it counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Exposure {
    pub counts: Counts,
    /// Years of benefit a user gives from installation; `None` for the whole horizon.
    pub duration_years: Option<Slot>,
}

impl Exposure {
    /// Every user the line's `counts` names, for the whole horizon.
    pub fn all_time(counts: Counts) -> Exposure {
        Exposure {
            counts,
            duration_years: None,
        }
    }

    /// User-years in `year` of the users this line counts.
    pub fn user_years<N: Num>(&self, users: &UserModel<N>, params: &[N], year: usize) -> N {
        users.user_years(year, self.counts, self.duration(params))
    }

    /// Users at the end of `year` that this line counts (the table's users generating benefit).
    pub fn closing_users<N: Num>(&self, users: &UserModel<N>, params: &[N], year: usize) -> N {
        users.closing_users(year, self.counts, self.duration(params))
    }

    fn duration<N: Num>(&self, params: &[N]) -> Option<N> {
        self.duration_years.map(|slot| params[slot])
    }
}
