//! The shape of a business case, with every number held as a slot in a parameter vector.
//!
//! Keeping numbers out of the structure is what lets `run`, `simulate`, `sweep` and `track`
//! evaluate one model: each fills the parameter vector its own way (exact decimals from the
//! file, sampled floats, a grid point) and calls [`super::evaluate`].

pub use super::adjustments::Adjustments;
pub use super::exposure::{Duration, Exposure, Profile};
pub use super::users::{CohortSpec, Cohorts, UsersSpec};
use super::vocabulary::{Basket, Party, Rounding};
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
    /// The plan's KPIs, tracked by `track`; the engine never reads them.
    pub kpis: Vec<super::kpi::Kpi>,
}

impl<R> Line<R> {
    /// Whether the line counts in the council's `basket` (a benefit to the NHS in the same
    /// basket is not the council's saving).
    pub fn in_council_basket(&self, basket: Basket) -> bool {
        self.basket == Some(basket) && self.party == Party::Council
    }
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
    /// Who gains a benefit (`accrues_to`) or pays a cost (`paid_by`); offsets are the council's.
    pub party: Party,
    /// Deadweight, displacement, attribution and optimism bias (costs: optimism bias only).
    pub adjustments: Adjustments,
    pub rule: R,
}

/// How a benefit line's gross amount is computed. Every kind but `Amounts` is a benefit a
/// user gives per year of TEC: an amount per user-year times the user-years its exposure
/// counts, uprated from its price year.
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
    /// `amount` of cost avoided per benefiting user per period, for `share` of users.
    PerUser {
        exposure: Exposure,
        amount: Slot,
        periods_per_year: i64,
        share: Slot,
        uprating: Uprating,
    },
    /// A care package of `package_cost` per period cut by `reduction`, for `share` of users.
    PackageReduction {
        exposure: Exposure,
        package_cost: Slot,
        periods_per_year: i64,
        reduction: Slot,
        share: Slot,
        uprating: Uprating,
    },
    /// `rate` events per user a year, of which `avoided` are avoided, at `unit_cost` each.
    AvoidedEvents {
        exposure: Exposure,
        rate: Slot,
        avoided: Slot,
        unit_cost: Slot,
        uprating: Uprating,
    },
    /// For `share` of the programme's users, an admission to residential or nursing care
    /// that would have come `after_months` after install is delayed `weeks_delayed` weeks,
    /// each saving `weekly_cost` less `community_weekly_cost`, in the years the weeks fall in.
    DelayedAdmission {
        exposure: Exposure,
        share: Slot,
        after_months: Slot,
        weeks_delayed: Slot,
        weekly_cost: Slot,
        community_weekly_cost: Slot,
        uprating: Uprating,
    },
    Amounts(SeriesSlot),
}

impl BenefitRule {
    /// Which users a user-derived line counts and when; `None` for amounts.
    pub fn exposure(&self) -> Option<&Exposure> {
        match self {
            BenefitRule::CareHours { exposure, .. }
            | BenefitRule::PerUser { exposure, .. }
            | BenefitRule::PackageReduction { exposure, .. }
            | BenefitRule::AvoidedEvents { exposure, .. }
            | BenefitRule::DelayedAdmission { exposure, .. } => Some(exposure),
            BenefitRule::Amounts(_) => None,
        }
    }

    /// The uprating of a line's unit price; `None` for amounts.
    pub fn uprating_mut(&mut self) -> Option<&mut Uprating> {
        match self {
            BenefitRule::CareHours { uprating, .. }
            | BenefitRule::PerUser { uprating, .. }
            | BenefitRule::PackageReduction { uprating, .. }
            | BenefitRule::AvoidedEvents { uprating, .. }
            | BenefitRule::DelayedAdmission { uprating, .. } => Some(uprating),
            BenefitRule::Amounts(_) => None,
        }
    }
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
        /// The first day charged; `None`: every year whole.
        from: Option<ChargeFrom>,
    },
}

/// A charge's first day: the input (days from 1 April of the first year) and the days of each
/// financial year of the horizon (365 or 366), to charge the part of a year from that day.
#[derive(Debug, Clone)]
pub struct ChargeFrom {
    pub day: Slot,
    pub year_days: Vec<i64>,
}

impl ChargeFrom {
    /// The share of financial year `year` on or after the first day charged: 0 before it, 1
    /// after, (days from it to 31 March) / (days in the year) in the year it falls in.
    pub fn share<N: crate::number::Num>(&self, params: &[N], year: usize) -> N {
        let end: i64 = self.year_days[..=year].iter().sum();
        let days = N::from_int(self.year_days[year]);
        let share = (N::from_int(end) - params[self.day]) / days;
        let at_most_one = share.select_less(N::one(), share, N::one());
        at_most_one.select_less(N::zero(), N::zero(), at_most_one)
    }
}

/// Annual uprating of a unit price quoted in `price_year`.
#[derive(Debug, Clone, Copy)]
pub struct Uprating {
    pub rate: Slot,
    /// First year of the horizon minus the price year: the uprating already due in year one.
    pub years_before_first: i32,
}
