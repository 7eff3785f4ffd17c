//! The columns an actuals file may have, named after the plan's lines: `installs`,
//! `leavers`, `active_users`, `benefit.<line>`, `basket.<basket>`, `cost.<line>`,
//! `offset.<line>`, `kpi.<name>`.

use crate::model::Model;
use crate::scenario::document::Basket;

/// Cells must be smaller than this (10^15) in size, so that no sum of them can overflow.
pub const LARGEST: i64 = 1_000_000_000_000_000;

/// What a column of the actuals file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Column {
    Installs,
    Leavers,
    /// TEC users at the end of the period (a stock, not a flow).
    ActiveUsers,
    /// A benefit line, by its index in the plan.
    Benefit(usize),
    /// A basket's benefit, for plans whose benefit is reported by basket rather than by line.
    Basket(Basket),
    Cost(usize),
    Offset(usize),
    /// A KPI of the plan, by its index.
    Kpi(usize),
}

impl Column {
    /// Counts of people: never negative.
    pub fn is_count(self) -> bool {
        matches!(
            self,
            Column::Installs | Column::Leavers | Column::ActiveUsers | Column::Kpi(_)
        )
    }
}

pub fn basket_named(name: &str) -> Option<Basket> {
    Basket::ALL.into_iter().find(|b| b.key() == name)
}

/// Every column name the plan accepts, for messages and suggestions.
pub fn known_columns(model: &Model) -> Vec<String> {
    let mut names: Vec<String> = ["period", "installs", "leavers", "active_users"]
        .map(String::from)
        .to_vec();
    names.extend(model.benefits.iter().map(|l| format!("benefit.{}", l.name)));
    names.extend(Basket::ALL.iter().map(|b| format!("basket.{}", b.key())));
    names.extend(model.costs.iter().map(|l| format!("cost.{}", l.name)));
    names.extend(model.offsets.iter().map(|l| format!("offset.{}", l.name)));
    names.extend(model.kpis.iter().map(|k| format!("kpi.{}", k.name)));
    names
}

pub fn column_named(name: &str, model: &Model) -> Option<Column> {
    let find = |lines: Vec<&str>, line: &str| lines.iter().position(|n| *n == line);
    Some(match name.split_once('.') {
        None => match name {
            "installs" => Column::Installs,
            "leavers" => Column::Leavers,
            "active_users" => Column::ActiveUsers,
            _ => return None,
        },
        Some(("benefit", line)) => Column::Benefit(find(
            model.benefits.iter().map(|l| l.name.as_str()).collect(),
            line,
        )?),
        Some(("basket", basket)) => Column::Basket(basket_named(basket)?),
        Some(("cost", line)) => Column::Cost(find(
            model.costs.iter().map(|l| l.name.as_str()).collect(),
            line,
        )?),
        Some(("offset", line)) => Column::Offset(find(
            model.offsets.iter().map(|l| l.name.as_str()).collect(),
            line,
        )?),
        Some(("kpi", name)) => Column::Kpi(model.kpis.iter().position(|k| k.name == name)?),
        _ => return None,
    })
}
