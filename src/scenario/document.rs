//! The top level of a scenario file and its sections, as serde reads them.
//!
//! A file is either a whole scenario or an extension (`extends: parent.yaml` with
//! `overrides` and `scale`); one struct reads both so that unknown keys are always errors.

use super::named::Named;
use super::raw::RawInput;
use serde::Deserialize;

// The model's vocabulary, read here as the file spells it.
pub use crate::model::vocabulary::{Basket, Counts, Party, Rounding, Timing};

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a scenario: a mapping of sections such as `horizon`, `users` and `benefits`"
)]
pub struct RawDocument {
    /// The parent scenario, relative to this file.
    pub extends: Option<String>,
    pub scenario: Option<RawMeta>,
    pub horizon: Option<RawHorizon>,
    pub appraisal: Option<RawAppraisal>,
    pub users: Option<RawUsers>,
    /// Several named cohorts of users, instead of `users`.
    pub cohorts: Option<Named<super::cohorts::RawCohort>>,
    pub benefits: Option<Named<RawBenefit>>,
    pub costs: Option<Named<RawCost>>,
    pub offsets: Option<Named<RawOffset>>,
    /// With `extends`: input path to its new value.
    pub overrides: Option<Named<RawInput>>,
    /// With `extends`: input path to the factor its values are multiplied by.
    pub scale: Option<Named<RawInput>>,
    /// Inputs that vary in the Monte Carlo, by input path.
    pub uncertain: Option<Named<super::uncertain::RawUncertain>>,
    /// Rank correlations between uncertain inputs.
    pub correlations: Option<Vec<super::uncertain::RawCorrelation>>,
    /// Default Monte Carlo settings (iterations, seed, sampling, target).
    pub simulation: Option<super::uncertain::RawSimulation>,
    /// With `extends`: lines of the parent to drop, as `costs.<name>` (or benefits, offsets).
    pub remove: Option<Vec<String>>,
    /// Settings for `tec-model track` (RAG thresholds, MTFS baskets, a users ambition).
    pub tracking: Option<super::tracking::RawTracking>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `name`, `council` and `description`"
)]
pub struct RawMeta {
    pub name: Option<String>,
    pub council: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping such as `{ first_year: 2021/22, years: 5 }`"
)]
pub struct RawHorizon {
    /// The first financial year, e.g. `2021/22`.
    pub first_year: String,
    /// How many financial years the case runs for.
    pub years: Option<super::raw::Whole>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of appraisal settings such as `discount_rate` and `rounding`"
)]
pub struct RawAppraisal {
    pub discount_rate: Option<RawInput>,
    /// Whether year one is discounted (Green Book practice leaves it undiscounted).
    pub discount_first_year: Option<bool>,
    pub optimism_bias: Option<RawInput>,
    /// `pound` (default), `penny` or `none`.
    pub rounding: Option<Rounding>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `opening`, `installs` and `attrition`"
)]
pub struct RawUsers {
    pub opening: RawInput,
    pub installs: RawInput,
    pub attrition: RawInput,
    pub install_timing: Option<Timing>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BenefitKind {
    /// Share of users x hours avoided a week x weeks x hourly cost.
    CareHours,
    /// Share of users x an amount avoided per user per week, month or year.
    PerUser,
    /// Share of users x a care package's cost per period x the share it is cut by.
    PackageReduction,
    /// Events per user a year x the share avoided x the cost of one.
    AvoidedEvents,
    /// A residential or nursing admission delayed: weeks of placement cost saved.
    DelayedAdmission,
    /// Given per year.
    Amounts,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a benefit line: a mapping with `basket`, `kind` and its inputs"
)]
pub struct RawBenefit {
    pub label: Option<String>,
    pub basket: Basket,
    pub kind: BenefitKind,
    pub counts: Option<Counts>,
    pub share: Option<RawInput>,
    pub hours_per_week: Option<RawInput>,
    pub weeks_per_year: Option<RawInput>,
    pub hourly_cost: Option<RawInput>,
    /// The financial year the hourly cost is priced in (default: the first year).
    pub price_year: Option<String>,
    pub uprating: Option<RawInput>,
    pub realisation: Option<RawInput>,
    pub duration_years: Option<RawInput>,
    pub amounts: Option<RawInput>,
    // The users side: which cohorts, and when in each user's time since install.
    pub cohort: Option<super::cohorts::RawCohortChoice>,
    pub lag_months: Option<RawInput>,
    pub duration_months: Option<RawInput>,
    pub drop_off: Option<RawInput>,
    /// For `per_user`: the amount avoided per user per `per`.
    pub amount: Option<RawInput>,
    /// For `per_user` and `package_reduction`: the period `amount` or `package_cost` is for.
    pub per: Option<Period>,
    pub package_cost: Option<RawInput>,
    /// For `package_reduction`: the share the package is cut by.
    pub reduction: Option<RawInput>,
    /// For `avoided_events`: events per user a year without TEC.
    pub rate: Option<RawInput>,
    /// For `avoided_events`: the share of those events TEC avoids.
    pub avoided: Option<RawInput>,
    /// For `avoided_events`: the cost of one event.
    pub unit_cost: Option<RawInput>,
    // Adjustments and beneficiary: every kind of benefit line may have them.
    pub deadweight: Option<RawInput>,
    pub displacement: Option<RawInput>,
    pub attribution: Option<RawInput>,
    pub optimism_bias: Option<RawInput>,
    /// Who gains the benefit (default the council).
    pub accrues_to: Option<Party>,
    /// For `delayed_admission`: months after install the admission would have come.
    pub after_months: Option<RawInput>,
    /// For `delayed_admission`: weeks it is delayed by.
    pub weeks_delayed: Option<RawInput>,
    /// For `delayed_admission`: the placement's weekly cost.
    pub weekly_cost: Option<RawInput>,
    /// For `delayed_admission`: the weekly cost of the package kept meanwhile (default 0).
    pub community_weekly_cost: Option<RawInput>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CostKind {
    Amounts,
    OneOff,
    PerInstall,
    PerUser,
    Staffing,
}

/// What a `per_user` unit cost is per; required, since a month's price read as a year's is
/// a twelfth of the cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Week,
    Month,
    Year,
}

impl Period {
    /// Periods in a year: 52 weeks, 12 months or one year.
    pub fn per_year(self) -> i64 {
        match self {
            Period::Week => 52,
            Period::Month => 12,
            Period::Year => 1,
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a cost line: a mapping with `kind` and its inputs"
)]
pub struct RawCost {
    pub label: Option<String>,
    pub kind: CostKind,
    pub amounts: Option<RawInput>,
    pub amount: Option<RawInput>,
    /// For `one_off`: the financial year it falls in.
    pub year: Option<String>,
    pub unit_cost: Option<RawInput>,
    pub per: Option<Period>,
    pub counts: Option<Counts>,
    /// For `per_user`: a cohort of its own instead of the modelled TEC users.
    pub users: Option<RawInput>,
    /// For `per_user` and `per_install`: which of the scenario's cohorts it counts.
    pub cohort: Option<super::cohorts::RawCohortChoice>,
    pub price_year: Option<String>,
    pub uprating: Option<RawInput>,
    pub posts: Option<Named<RawPost>>,
    /// This line's optimism-bias uplift, in place of `appraisal.optimism_bias`.
    pub optimism_bias: Option<RawInput>,
    /// Who pays the cost (default the council).
    pub paid_by: Option<Party>,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a post: a mapping of `count`, `salary` and `phasing`"
)]
pub struct RawPost {
    pub title: Option<String>,
    pub grade: Option<String>,
    pub count: RawInput,
    /// Full-year-equivalent salary.
    pub salary: RawInput,
    /// Share of a full year paid, per year.
    pub phasing: RawInput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetKind {
    Amounts,
    UserCharge,
}

#[derive(Debug, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "an offset line: a mapping with `kind` and its inputs"
)]
pub struct RawOffset {
    pub label: Option<String>,
    pub kind: OffsetKind,
    pub amounts: Option<RawInput>,
    pub weekly_charge: Option<RawInput>,
    pub chargeable_share: Option<RawInput>,
    pub weeks_per_year: Option<RawInput>,
    pub counts: Option<Counts>,
    pub cohort: Option<super::cohorts::RawCohortChoice>,
}

// Keywords are read as text, so that a list or mapping in their place is told the words.
crate::keywords!(Rounding { "pound" => Pound, "penny" => Penny, "none" => None });
crate::keywords!(Timing { "start" => Start, "middle" => Middle, "end" => End });
crate::keywords!(Counts { "programme" => Programme, "all" => All });
crate::keywords!(Basket {
    "cashable" => Cashable,
    "efficiency" => Efficiency,
    "cost_avoidance" => CostAvoidance,
    "prevention" => Prevention,
});
crate::keywords!(BenefitKind {
    "care_hours" => CareHours,
    "per_user" => PerUser,
    "package_reduction" => PackageReduction,
    "avoided_events" => AvoidedEvents,
    "delayed_admission" => DelayedAdmission,
    "amounts" => Amounts,
});
crate::keywords!(Party {
    "council" => Council,
    "nhs" => Nhs,
    "other_public" => OtherPublic,
    "individual" => Individual,
    "society" => Society,
});
crate::keywords!(CostKind {
    "amounts" => Amounts,
    "one_off" => OneOff,
    "per_install" => PerInstall,
    "per_user" => PerUser,
    "staffing" => Staffing,
});
crate::keywords!(Period { "week" => Week, "month" => Month, "year" => Year });
crate::keywords!(OffsetKind { "amounts" => Amounts, "user_charge" => UserCharge });

impl RawBenefit {
    /// Every field that only some kinds of line use, and whether it is given.
    /// (The adjustments and `accrues_to` are on every kind, so not here.)
    pub fn fields(&self) -> [(&'static str, bool); 25] {
        [
            ("cohort", self.cohort.is_some()),
            ("lag_months", self.lag_months.is_some()),
            ("duration_months", self.duration_months.is_some()),
            ("drop_off", self.drop_off.is_some()),
            ("counts", self.counts.is_some()),
            ("share", self.share.is_some()),
            ("hours_per_week", self.hours_per_week.is_some()),
            ("weeks_per_year", self.weeks_per_year.is_some()),
            ("hourly_cost", self.hourly_cost.is_some()),
            ("price_year", self.price_year.is_some()),
            ("uprating", self.uprating.is_some()),
            ("realisation", self.realisation.is_some()),
            ("duration_years", self.duration_years.is_some()),
            ("amounts", self.amounts.is_some()),
            ("amount", self.amount.is_some()),
            ("per", self.per.is_some()),
            ("package_cost", self.package_cost.is_some()),
            ("reduction", self.reduction.is_some()),
            ("rate", self.rate.is_some()),
            ("avoided", self.avoided.is_some()),
            ("unit_cost", self.unit_cost.is_some()),
            ("after_months", self.after_months.is_some()),
            ("weeks_delayed", self.weeks_delayed.is_some()),
            ("weekly_cost", self.weekly_cost.is_some()),
            (
                "community_weekly_cost",
                self.community_weekly_cost.is_some(),
            ),
        ]
    }
}

impl RawCost {
    /// Every field that only some kinds of line use, and whether it is given.
    pub fn fields(&self) -> [(&'static str, bool); 11] {
        [
            ("cohort", self.cohort.is_some()),
            ("amounts", self.amounts.is_some()),
            ("amount", self.amount.is_some()),
            ("year", self.year.is_some()),
            ("unit_cost", self.unit_cost.is_some()),
            ("per", self.per.is_some()),
            ("counts", self.counts.is_some()),
            ("users", self.users.is_some()),
            ("price_year", self.price_year.is_some()),
            ("uprating", self.uprating.is_some()),
            ("posts", self.posts.is_some()),
        ]
    }
}

impl RawOffset {
    /// Every field that only some kinds of line use, and whether it is given.
    pub fn fields(&self) -> [(&'static str, bool); 6] {
        [
            ("cohort", self.cohort.is_some()),
            ("amounts", self.amounts.is_some()),
            ("weekly_charge", self.weekly_charge.is_some()),
            ("chargeable_share", self.chargeable_share.is_some()),
            ("weeks_per_year", self.weeks_per_year.is_some()),
            ("counts", self.counts.is_some()),
        ]
    }
}
