//! The figures `tec-model explain` can explain, named as `check` and the sensitivity commands
//! name them, and picked out of the generic engine's [`Outcome`] in any number type, so that
//! the traced figure and the exact one are the same field of the same evaluation.

use crate::model::engine::Outcome;
use crate::model::spec::Model;
use crate::number::Num;

/// A figure of a business case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Figure {
    Summary(Summary),
    /// A year's figure: `year.2021/22.<what>`.
    Year(usize, YearFigure),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Summary {
    Npv,
    CumulativeNet,
    TotalBenefit,
    TotalCost,
    TotalOffsets,
    ClosingUsers,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum YearFigure {
    Benefit,
    Cost,
    Offsets,
    Net,
    CumulativeNet,
    DiscountedNet,
    ClosingUsers,
    /// A benefit line's amount, by its index.
    BenefitLine(usize),
    CostLine(usize),
    OffsetLine(usize),
}

const SUMMARIES: [(&str, Summary); 6] = [
    ("npv", Summary::Npv),
    ("cumulative_net", Summary::CumulativeNet),
    ("total_benefit", Summary::TotalBenefit),
    ("total_cost", Summary::TotalCost),
    ("total_offsets", Summary::TotalOffsets),
    ("closing_users", Summary::ClosingUsers),
];

const YEARLY: [(&str, YearFigure); 7] = [
    ("benefit", YearFigure::Benefit),
    ("cost", YearFigure::Cost),
    ("offsets", YearFigure::Offsets),
    ("net", YearFigure::Net),
    ("cumulative_net", YearFigure::CumulativeNet),
    ("discounted_net", YearFigure::DiscountedNet),
    ("closing_users", YearFigure::ClosingUsers),
];

/// What may be named, for messages.
pub const HELP: &str = "name `summary.<npv|cumulative_net|total_benefit|total_cost|total_offsets|closing_users>`, `year.<2021/22>.<benefit|cost|offsets|net|cumulative_net|discounted_net|closing_users>` or `year.<2021/22>.<benefit|cost|offset>.<line>`";

impl Figure {
    /// Reads a figure's name against the model (its years and line names).
    pub fn parse(model: &Model, name: &str) -> Result<Figure, String> {
        let name = name.trim();
        let unknown = || format!("`{name}` is not a figure that can be explained; {HELP}");
        if let Some(rest) = name
            .strip_prefix("summary.")
            .or(Some(name).filter(|n| !n.contains('.')))
        {
            return SUMMARIES
                .iter()
                .find(|(n, _)| *n == rest)
                .map(|(_, s)| Figure::Summary(*s))
                .ok_or_else(unknown);
        }
        let rest = name.strip_prefix("year.").ok_or_else(unknown)?;
        let (year, what) = rest.split_once('.').ok_or_else(unknown)?;
        let index = (0..model.years)
            .find(|t| model.year_label(*t) == year)
            .ok_or_else(|| {
                format!(
                    "`{year}` is not a year of the scenario ({} to {})",
                    model.year_label(0),
                    model.year_label(model.years - 1)
                )
            })?;
        if let Some((_, figure)) = YEARLY.iter().find(|(n, _)| *n == what) {
            return Ok(Figure::Year(index, figure.clone()));
        }
        let (section, line) = what.split_once('.').ok_or_else(unknown)?;
        let find = |names: Vec<&str>, section: &str| {
            names.iter().position(|n| *n == line).ok_or_else(|| {
                format!(
                    "no {section} line `{line}`; the lines are {}",
                    crate::scenario::keyword::list(&names)
                )
            })
        };
        let figure = match section {
            "benefit" => YearFigure::BenefitLine(find(
                model.benefits.iter().map(|l| l.name.as_str()).collect(),
                "benefit",
            )?),
            "cost" => YearFigure::CostLine(find(
                model.costs.iter().map(|l| l.name.as_str()).collect(),
                "cost",
            )?),
            "offset" => YearFigure::OffsetLine(find(
                model.offsets.iter().map(|l| l.name.as_str()).collect(),
                "offset",
            )?),
            _ => return Err(unknown()),
        };
        Ok(Figure::Year(index, figure))
    }

    /// The figure's value in an evaluation, summed as `run` sums it.
    pub fn pick<N: Num>(&self, outcome: &Outcome<N>) -> N {
        let sum = |f: fn(&crate::model::engine::YearTotals<N>) -> N| {
            outcome.totals.iter().fold(N::zero(), |acc, t| acc + f(t))
        };
        let last = outcome.totals.len() - 1;
        match self {
            Figure::Summary(Summary::Npv) => outcome.npv(),
            Figure::Summary(Summary::CumulativeNet) => outcome.totals[last].cumulative_net,
            Figure::Summary(Summary::TotalBenefit) => sum(|t| t.benefit),
            Figure::Summary(Summary::TotalCost) => sum(|t| t.cost),
            Figure::Summary(Summary::TotalOffsets) => sum(|t| t.offsets),
            Figure::Summary(Summary::ClosingUsers) => outcome.users[last].closing,
            Figure::Year(t, what) => {
                let (t, totals) = (*t, &outcome.totals[*t]);
                match what {
                    YearFigure::Benefit => totals.benefit,
                    YearFigure::Cost => totals.cost,
                    YearFigure::Offsets => totals.offsets,
                    YearFigure::Net => totals.net,
                    YearFigure::CumulativeNet => totals.cumulative_net,
                    YearFigure::DiscountedNet => totals.discounted_net,
                    YearFigure::ClosingUsers => outcome.users[t].closing,
                    YearFigure::BenefitLine(i) => outcome.benefits[*i].values[t],
                    YearFigure::CostLine(i) => outcome.costs[*i].values[t],
                    YearFigure::OffsetLine(i) => outcome.offsets[*i].values[t],
                }
            }
        }
    }
}
