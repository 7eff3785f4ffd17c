//! The top level of a scenario file and its sections, as serde reads them.
//!
//! A file is either a whole scenario or an extension (`extends: parent.yaml` with
//! `overrides` and `scale`); one struct reads both so that unknown keys are always errors.

use super::named::Named;
use super::raw::RawInput;
use serde::Deserialize;

// The model's vocabulary, read here as the file spells it.
pub use crate::model::vocabulary::{Basket, Counts, Party, Rounding, Timing};

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a scenario: a mapping of sections such as `horizon`, `users` and `benefits`"
)]
pub struct RawDocument {
    /// The parent scenario, relative to this file.
    pub extends: Option<String>,
    /// The scenario's name, council and description (shown above the table).
    pub scenario: Option<RawMeta>,
    /// The financial years the case covers (required unless `extends` gives them).
    pub horizon: Option<RawHorizon>,
    /// Discounting, optimism bias and rounding.
    pub appraisal: Option<RawAppraisal>,
    /// One cohort of TEC users: opening users, installs and attrition.
    pub users: Option<RawUsers>,
    /// Several named cohorts of users, instead of `users`.
    pub cohorts: Option<Named<super::cohorts::RawCohort>>,
    /// Benefit lines by name, in the order of the table.
    pub benefits: Option<Named<RawBenefit>>,
    /// Cost lines by name, in the order of the table.
    pub costs: Option<Named<RawCost>>,
    /// Offsets (grants, charges) by name: income that reduces the net cost.
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
    /// Key performance indicators tracked by `tec-model track`, by name (the actuals column
    /// is `kpi.<name>`).
    pub kpis: Option<Named<super::kpis::RawKpi>>,
}

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `name`, `council` and `description`"
)]
pub struct RawMeta {
    /// The title printed above the table.
    pub name: Option<String>,
    /// The council the case is for.
    pub council: Option<String>,
    /// One or two sentences on what the scenario assumes.
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping such as `{ first_year: 2021/22, years: 5 }`"
)]
pub struct RawHorizon {
    /// The first financial year, e.g. `2021/22`.
    pub first_year: String,
    /// How many financial years the case runs for (default 5).
    pub years: Option<super::raw::Whole>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of appraisal settings such as `discount_rate` and `rounding`"
)]
pub struct RawAppraisal {
    /// Real discount rate a year for the NPV (a share: 3.5% is 0.035; above -1, at most 1;
    /// default 0.035, the Green Book rate).
    pub discount_rate: Option<RawInput>,
    /// Whether year one is discounted (Green Book practice leaves it undiscounted).
    /// Default false.
    pub discount_first_year: Option<bool>,
    /// Uplift on every cost line (a share, zero or more: 20% is 0.2; default 0).
    pub optimism_bias: Option<RawInput>,
    /// `pound` (default), `penny` or `none`.
    pub rounding: Option<Rounding>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `opening`, `installs` and `attrition`"
)]
pub struct RawUsers {
    /// TEC users at the start of the first year (users, zero or more).
    pub opening: RawInput,
    /// New installs in each year (installs a year, zero or more; a series or one value).
    pub installs: RawInput,
    /// The share of users who leave in a year, spread evenly over it (a share, 0 to 1).
    pub attrition: RawInput,
    /// When in the year installs fall on average: `start`, `middle` (default) or `end`.
    pub install_timing: Option<Timing>,
    /// The month its installs begin, `{ month: 2021-07, source: ... }` (default: April of the
    /// first year).
    pub start: Option<super::cohorts::RawStart>,
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

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a benefit line: a mapping with `basket`, `kind` and its inputs"
)]
pub struct RawBenefit {
    /// The row's label in the table (default: the line's name).
    pub label: Option<String>,
    /// The savings basket: `cashable`, `efficiency`, `cost_avoidance` or `prevention`.
    pub basket: Basket,
    /// How the benefit is worked out: `care_hours`, `per_user`, `package_reduction`,
    /// `avoided_events`, `delayed_admission` or `amounts`.
    pub kind: BenefitKind,
    /// Which users count: `programme` (those this programme installs) or `all` (with those
    /// there at the start); required on every line that counts users.
    pub counts: Option<Counts>,
    /// The share of counted users the benefit applies to (a share, 0 to 1).
    pub share: Option<RawInput>,
    /// For `care_hours`: home care hours avoided per user a week (hours, 0 to 168).
    pub hours_per_week: Option<RawInput>,
    /// Weeks a year the care is paid (weeks, above 0, at most 52.18; default 52).
    pub weeks_per_year: Option<RawInput>,
    /// For `care_hours`: the cost of one hour of care (pounds an hour, zero or more).
    pub hourly_cost: Option<RawInput>,
    /// The financial year the hourly cost is priced in (default: the first year).
    pub price_year: Option<String>,
    /// Yearly price uprating from the price year (a rate above -1, at most 1; default 0).
    pub uprating: Option<RawInput>,
    /// The share of the gross benefit attributed to TEC (a share, 0 to 1; default 1).
    pub realisation: Option<RawInput>,
    /// Years a user's benefit lasts after install (years, above zero; default: as long as the user stays).
    pub duration_years: Option<RawInput>,
    /// For `amounts`: the benefit in pounds, per year.
    pub amounts: Option<RawInput>,
    // The users side: which cohorts, and when in each user's time since install.
    pub cohort: Option<super::cohorts::RawCohortChoice>,
    /// Months after install before the benefit starts (months, 0 to 600; default none).
    pub lag_months: Option<RawInput>,
    /// Months the benefit lasts, instead of `duration_years` (months, above zero).
    pub duration_months: Option<RawInput>,
    /// The share of the benefit lost each year after it starts (a share, 0 to 1; default none).
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
    /// The share that would have happened anyway (a share, 0 to 1; default 0).
    pub deadweight: Option<RawInput>,
    /// The share displaced from elsewhere (a share, 0 to 1; default 0).
    pub displacement: Option<RawInput>,
    /// The share attributed to TEC rather than to others' work (a share, 0 to 1; default: all of it).
    pub attribution: Option<RawInput>,
    /// A downward adjustment of this benefit for optimism (a share, 0 to 1; default none).
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

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a cost line: a mapping with `kind` and its inputs"
)]
pub struct RawCost {
    /// The row's label in the table (default: the line's name).
    pub label: Option<String>,
    /// `amounts`, `one_off`, `per_install`, `per_user` or `staffing`.
    pub kind: CostKind,
    /// For `amounts`: the cost in pounds, per year.
    pub amounts: Option<RawInput>,
    /// For `one_off`: the cost in pounds.
    pub amount: Option<RawInput>,
    /// For `one_off`: the financial year it falls in.
    pub year: Option<String>,
    /// For `per_install` and `per_user`: pounds per install, or per user per `per`.
    pub unit_cost: Option<RawInput>,
    /// For `per_user`: `week`, `month` or `year` (required).
    pub per: Option<Period>,
    /// For `per_user`: `programme` or `all` users.
    pub counts: Option<Counts>,
    /// For `per_user`: a cohort of its own instead of the modelled TEC users.
    pub users: Option<RawInput>,
    /// For `per_user` and `per_install`: which of the scenario's cohorts it counts.
    pub cohort: Option<super::cohorts::RawCohortChoice>,
    /// The financial year `unit_cost` or salaries are priced in (default: the first year).
    pub price_year: Option<String>,
    /// Yearly price uprating from the price year (a rate above -1, at most 1; default 0).
    pub uprating: Option<RawInput>,
    /// For `staffing`: the posts by name.
    pub posts: Option<Named<RawPost>>,
    /// This line's optimism-bias uplift, in place of `appraisal.optimism_bias`.
    pub optimism_bias: Option<RawInput>,
    /// Who pays the cost (default the council).
    pub paid_by: Option<Party>,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a post: a mapping of `count`, `salary` and `phasing`"
)]
pub struct RawPost {
    pub title: Option<String>,
    pub grade: Option<String>,
    /// Posts (full-time equivalents, zero or more).
    pub count: RawInput,
    /// Full-year-equivalent salary with on-costs (pounds a year).
    pub salary: RawInput,
    /// Share of a full year paid, per year (a share, 0 to 1).
    pub phasing: RawInput,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OffsetKind {
    Amounts,
    UserCharge,
}

#[derive(Debug, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "an offset line: a mapping with `kind` and its inputs"
)]
pub struct RawOffset {
    /// The row's label in the table (default: the line's name).
    pub label: Option<String>,
    /// `amounts` (e.g. a grant) or `user_charge`.
    pub kind: OffsetKind,
    /// For `amounts`: the offset in pounds, per year.
    pub amounts: Option<RawInput>,
    /// For `user_charge`: the charge per user a week (pounds a week).
    pub weekly_charge: Option<RawInput>,
    /// For `user_charge`: the share of users who pay it (a share, 0 to 1).
    pub chargeable_share: Option<RawInput>,
    /// For `user_charge`: weeks a year charged (weeks, above 0, at most 52.18; default 52).
    pub weeks_per_year: Option<RawInput>,
    /// For `user_charge`: `programme` or `all` users.
    pub counts: Option<Counts>,
    /// Which of the scenario's cohorts it counts.
    pub cohort: Option<super::cohorts::RawCohortChoice>,
    /// For `user_charge`: the first day charged (default: the whole horizon); the year it
    /// falls in is charged from that day.
    pub from: Option<super::charge_from::RawFrom>,
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
    pub fn fields(&self) -> [(&'static str, bool); 7] {
        [
            ("cohort", self.cohort.is_some()),
            ("from", self.from.is_some()),
            ("amounts", self.amounts.is_some()),
            ("weekly_charge", self.weekly_charge.is_some()),
            ("chargeable_share", self.chargeable_share.is_some()),
            ("weeks_per_year", self.weeks_per_year.is_some()),
            ("counts", self.counts.is_some()),
        ]
    }
}
