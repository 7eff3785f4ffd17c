//! The model's own words for how a case is counted: baskets, which users a line counts,
//! install timing and rounding. The scenario format reads them (hence serde), but they belong
//! to the model, so the engine never depends on the file format.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    #[default]
    Pound,
    Penny,
    None,
}

/// When in a financial year installs land.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Timing {
    Start,
    #[default]
    Middle,
    End,
}

/// Which TEC users a line counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Counts {
    /// Only users installed by the programme within the horizon.
    #[default]
    Programme,
    /// Every TEC user, including those there at the start.
    All,
}

/// The LGA's four baskets of financial benefit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, Serialize, PartialOrd, Ord)]
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
