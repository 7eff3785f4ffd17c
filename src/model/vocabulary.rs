//! The model's own words for how a case is counted: baskets, which users a line counts,
//! install timing and rounding. The scenario format reads them (`scenario::document` implements
//! their reading from its keywords), but they belong to the model, so the engine never depends
//! on the file format.

use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    #[default]
    Pound,
    Penny,
    None,
}

impl Rounding {
    /// As a scenario file writes it.
    pub fn key(self) -> &'static str {
        match self {
            Rounding::Pound => "pound",
            Rounding::Penny => "penny",
            Rounding::None => "none",
        }
    }
}

/// When in a financial year installs land.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Timing {
    Start,
    #[default]
    Middle,
    End,
}

impl Timing {
    /// As a scenario file writes it.
    pub fn key(self) -> &'static str {
        match self {
            Timing::Start => "start",
            Timing::Middle => "middle",
            Timing::End => "end",
        }
    }
}

/// Which TEC users a line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Counts {
    /// Only users installed by the programme within the horizon.
    #[default]
    Programme,
    /// Every TEC user, including those there at the start.
    All,
}

/// The LGA's four baskets of financial benefit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
pub enum Basket {
    Cashable,
    Efficiency,
    CostAvoidance,
    Prevention,
}

impl Basket {
    pub const ALL: [Basket; 4] = [
        Basket::Cashable,
        Basket::Efficiency,
        Basket::CostAvoidance,
        Basket::Prevention,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Basket::Cashable => "cashable",
            Basket::Efficiency => "efficiency",
            Basket::CostAvoidance => "cost_avoidance",
            Basket::Prevention => "prevention",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Basket::Cashable => "Cashable savings",
            Basket::Efficiency => "Efficiency savings",
            Basket::CostAvoidance => "Cost avoidance",
            Basket::Prevention => "Prevention",
        }
    }
}

/// Who gains a benefit or pays a cost. The headline net benefit is the council's own; the
/// public sector's adds the NHS and other public bodies; individuals' and society's gains
/// (wellbeing, miles not driven) are reported beside them and count in neither.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    #[default]
    Council,
    Nhs,
    OtherPublic,
    Individual,
    Society,
}

impl Party {
    pub const ALL: [Party; 5] = [
        Party::Council,
        Party::Nhs,
        Party::OtherPublic,
        Party::Individual,
        Party::Society,
    ];
    pub fn key(self) -> &'static str {
        match self {
            Party::Council => "council",
            Party::Nhs => "nhs",
            Party::OtherPublic => "other_public",
            Party::Individual => "individual",
            Party::Society => "society",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Party::Council => "the council",
            Party::Nhs => "the NHS",
            Party::OtherPublic => "other public bodies",
            Party::Individual => "individuals",
            Party::Society => "society",
        }
    }
    /// The council, the NHS and other public bodies: the public sector's net benefit.
    pub fn is_public(self) -> bool {
        matches!(self, Party::Council | Party::Nhs | Party::OtherPublic)
    }
}
