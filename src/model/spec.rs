//! The shape of a business case, with every number held as a slot in a parameter vector.
//!
//! Keeping numbers out of the structure is what lets `run`, `simulate`, `sweep` and `track`
//! evaluate one model: each fills the parameter vector its own way (exact decimals from the
//! file, sampled floats, a grid point) and calls [`super::evaluate`].

pub use super::exposure::{Duration, Exposure, Profile};
pub use super::users::{CohortSpec, Cohorts, UsersSpec};
use super::vocabulary::{Basket, Rounding};
use crate::fy::FinancialYear;

/// Index of one number in the parameter vector.
pub type Slot = usize;

/// The first of `years` consecutive slots: one number per financial year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeriesSlot(pub Slot);

impl SeriesSlot {
    pub fn at(self, year: usize) -> Slot {
        self.0 + year
    }
}

/// An input given once, or a value per financial year (a service that matures).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Yearly {
    Once(Slot),
    PerYear(SeriesSlot),
}

impl Yearly {
    /// The slot to read in `year`.
    pub fn at(self, year: usize) -> Slot {
        match self {
            Yearly::Once(slot) => slot,
            Yearly::PerYear(series) => series.at(year),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Model {
    pub first_year: FinancialYear,
    pub years: usize,
    pub rounding: Rounding,
    pub discount_rate: Slot,
    pub discount_first_year: bool,
    pub optimism_bias: Slot,
    pub users: UsersSpec,
    pub benefits: Vec<Line<BenefitRule>>,
    pub costs: Vec<Line<CostRule>>,
    pub offsets: Vec<Line<OffsetRule>>,
}

impl Model {
    /// The label of year `index` (0-based), e.g. `2021/22`.
    pub fn year_label(&self, index: usize) -> String {
        self.first_year.plus(index as i32).to_string()
    }
}

/// A named line of the business case.
#[derive(Debug, Clone)]
pub struct Line<R> {
    /// The key in the scenario file; also the line's name in outputs and input paths.
    pub name: String,
    /// What the table calls it.
    pub label: String,
    /// For benefits: the LGA basket. Costs and offsets have none.
    pub basket: Option<Basket>,
    pub rule: R,
}

#[derive(Debug, Clone)]
pub enum BenefitRule {
    CareHours {
        exposure: Exposure,
        share: Slot,
        hours_per_week: Slot,
        weeks_per_year: Slot,
        hourly_cost: Slot,
        uprating: Uprating,
        /// Given once or per year.
        realisation: Yearly,
    },
    Amounts(SeriesSlot),
}

#[derive(Debug, Clone)]
pub enum CostRule {
    Amounts(SeriesSlot),
    OneOff {
        amount: Slot,
        year: usize,
    },
    PerInstall {
        unit_cost: Slot,
        /// The cohorts whose installs it prices.
        cohorts: Cohorts,
        uprating: Uprating,
    },
    PerUser {
        unit_cost: Slot,
        periods_per_year: i64,
        exposure: Exposure,
        /// A cohort of its own (e.g. a pilot's 150 users) instead of the modelled users.
        users: Option<SeriesSlot>,
        uprating: Uprating,
    },
    Staffing(Vec<Post>),
}

#[derive(Debug, Clone)]
pub struct Post {
    pub name: String,
    pub title: String,
    pub grade: Option<String>,
    pub count: Slot,
    pub salary: Slot,
    pub phasing: SeriesSlot,
}

#[derive(Debug, Clone)]
pub enum OffsetRule {
    Amounts(SeriesSlot),
    UserCharge {
        weekly_charge: Slot,
        chargeable_share: Slot,
        weeks_per_year: Slot,
        exposure: Exposure,
    },
}

/// Annual uprating of a unit price quoted in `price_year`.
#[derive(Debug, Clone, Copy)]
pub struct Uprating {
    pub rate: Slot,
    /// First year of the horizon minus the price year: the uprating already due in year one.
    pub years_before_first: i32,
}
