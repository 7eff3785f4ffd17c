//! Amount outputs named as `check` names them (`summary.npv`, `year.2023/24.net`,
//! `cost.technology.total`, `a + b`), read from an [`Outcome`] in any number type, so that the
//! analyses that sample (`sensitivity`, `voi`) can trace any amount a report shows into the
//! Monte Carlo's program.
//!
//! Each figure is the report's own arithmetic on the engine's outcome ([`crate::report`]):
//! money as the engine left it, users rounded to whole people, totals summed over the years
//! from zero in year order. A test checks every figure of every bundled scenario against the
//! report's, exactly.

use crate::model::spec::Model;
use crate::model::{LineValues, Outcome};
use crate::number::Num;

/// The field of a summary or year figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    OpeningUsers,
    Installs,
    Leavers,
    ClosingUsers,
    BenefitingUsers,
    Benefit,
    Cost,
    Offsets,
    Net,
    CumulativeNet,
    DiscountedNet,
}

/// Which line's amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Benefit,
    Cost,
    Offset,
}

/// One term of a figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Term {
    /// A field in one year (`None`: summed over the horizon, or its last year for stocks).
    Year(Field, Option<usize>),
    Npv,
    ReturnPerPound,
    /// A line (or one staffing post of it) in a year, or over the horizon.
    Line {
        section: Section,
        line: usize,
        post: Option<usize>,
        year: Option<usize>,
    },
}

/// An amount output: the sum of its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Figure {
    /// The full name, as `check` and `sweep` show it.
    pub name: String,
    terms: Vec<Term>,
}

impl Figure {
    /// Reads a full output name (as `sensitivity::outputs::resolve_amount` gives it) against
    /// `model`; `None` if it names no amount of the model.
    pub fn parse(model: &Model, name: &str) -> Option<Figure> {
        let terms = name
            .split('+')
            .map(|term| parse_term(model, term.trim()))
            .collect::<Option<Vec<_>>>()?;
        Some(Figure {
            name: name.to_string(),
            terms,
        })
    }

    /// The figure's value in `outcome` (of `model`).
    pub fn value<N: Num>(&self, model: &Model, outcome: &Outcome<N>) -> N {
        let mut terms = self.terms.iter().map(|t| term_value(model, outcome, t));
        let first = terms.next().unwrap_or_else(N::zero);
        // The report adds terms from zero: `0 + a` is `a` in every number type we use.
        terms.fold(N::zero() + first, |sum, t| sum + t)
    }
}

fn year_index(model: &Model, label: &str) -> Option<usize> {
    (0..model.years).find(|t| model.year_label(*t) == label)
}

fn field(name: &str) -> Option<Field> {
    Some(match name {
        "opening_users" => Field::OpeningUsers,
        "installs" => Field::Installs,
        "leavers" => Field::Leavers,
        "closing_users" => Field::ClosingUsers,
        "benefiting_users" => Field::BenefitingUsers,
        "total_benefit" => Field::Benefit,
        "total_cost" => Field::Cost,
        "offsets" => Field::Offsets,
        "net" => Field::Net,
        "cumulative_net" => Field::CumulativeNet,
        "discounted_net" => Field::DiscountedNet,
        _ => return None,
    })
}

fn parse_term(model: &Model, term: &str) -> Option<Term> {
    let parts: Vec<&str> = term.split('.').collect();
    match parts.as_slice() {
        ["summary", name] => Some(match *name {
            "cumulative_net" => Term::Year(Field::CumulativeNet, None),
            "total_benefit" => Term::Year(Field::Benefit, None),
            "total_cost" => Term::Year(Field::Cost, None),
            "total_offsets" => Term::Year(Field::Offsets, None),
            "npv" => Term::Npv,
            "closing_users" => Term::Year(Field::ClosingUsers, None),
            "return_per_pound" => Term::ReturnPerPound,
            _ => return None,
        }),
        ["year", label, name] => Some(Term::Year(field(name)?, Some(year_index(model, label)?))),
        [section @ ("benefit" | "cost" | "offset"), line, rest @ ..] => {
            let (section, names): (Section, Vec<&str>) = match *section {
                "benefit" => (
                    Section::Benefit,
                    model.benefits.iter().map(|l| l.name.as_str()).collect(),
                ),
                "cost" => (
                    Section::Cost,
                    model.costs.iter().map(|l| l.name.as_str()).collect(),
                ),
                _ => (
                    Section::Offset,
                    model.offsets.iter().map(|l| l.name.as_str()).collect(),
                ),
            };
            let index = names.iter().position(|n| n == line)?;
            let (post, when) = match rest {
                [when] => (None, *when),
                [post, when] if section == Section::Cost => {
                    let crate::model::spec::CostRule::Staffing(posts) = &model.costs[index].rule
                    else {
                        return None;
                    };
                    (Some(posts.iter().position(|p| p.name == *post)?), *when)
                }
                _ => return None,
            };
            let year = match when {
                "total" => None,
                label => Some(year_index(model, label)?),
            };
            Some(Term::Line {
                section,
                line: index,
                post,
                year,
            })
        }
        _ => None,
    }
}

/// A field in year `t`, as the report shows it: users as whole people.
fn field_value<N: Num>(outcome: &Outcome<N>, field: Field, t: usize) -> N {
    let users = &outcome.users[t];
    let totals = &outcome.totals[t];
    match field {
        Field::OpeningUsers => users.opening.round_dp(0),
        Field::Installs => users.installs.round_dp(0),
        Field::Leavers => users.leavers.round_dp(0),
        Field::ClosingUsers => users.closing.round_dp(0),
        Field::BenefitingUsers => outcome.benefiting_users[t].round_dp(0),
        Field::Benefit => totals.benefit,
        Field::Cost => totals.cost,
        Field::Offsets => totals.offsets,
        Field::Net => totals.net,
        Field::CumulativeNet => totals.cumulative_net,
        Field::DiscountedNet => totals.discounted_net,
    }
}

/// The sum over the horizon from zero, in year order, as the report sums.
fn over_years<N: Num>(years: usize, value: impl Fn(usize) -> N) -> N {
    (0..years).fold(N::zero(), |sum, t| sum + value(t))
}

fn term_value<N: Num>(model: &Model, outcome: &Outcome<N>, term: &Term) -> N {
    let years = model.years;
    let last = years - 1;
    match *term {
        Term::Year(field, Some(t)) => field_value(outcome, field, t),
        // Stocks at the end of the horizon, flows summed over it.
        Term::Year(field @ (Field::CumulativeNet | Field::ClosingUsers), None) => {
            field_value(outcome, field, last)
        }
        Term::Year(field, None) => over_years(years, |t| field_value(outcome, field, t)),
        Term::Npv => over_years(years, |t| outcome.totals[t].discounted_net),
        Term::ReturnPerPound => {
            let benefit = over_years(years, |t| outcome.totals[t].benefit);
            let cost = over_years(years, |t| outcome.totals[t].cost);
            (benefit / cost).round_dp(2)
        }
        Term::Line {
            section,
            line,
            post,
            year,
        } => {
            let lines: &[LineValues<N>] = match section {
                Section::Benefit => &outcome.benefits,
                Section::Cost => &outcome.costs,
                Section::Offset => &outcome.offsets,
            };
            let values = match post {
                Some(p) => &lines[line].parts[p],
                None => &lines[line].values,
            };
            match year {
                Some(t) => values[t],
                None => over_years(years, |t| values[t]),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::check::measure::{Measured, measure};
    use crate::report::Report;
    use std::path::Path;

    /// Every amount figure a report of `scenario` names.
    fn names(report: &Report) -> Vec<String> {
        let mut names: Vec<String> = [
            "cumulative_net",
            "total_benefit",
            "total_cost",
            "total_offsets",
            "npv",
            "closing_users",
            "return_per_pound",
        ]
        .iter()
        .map(|s| format!("summary.{s}"))
        .collect();
        for year in &report.years {
            for field in [
                "opening_users",
                "installs",
                "leavers",
                "closing_users",
                "benefiting_users",
                "total_benefit",
                "total_cost",
                "offsets",
                "net",
                "cumulative_net",
                "discounted_net",
            ] {
                names.push(format!("year.{}.{field}", year.year));
            }
            for (section, lines) in [
                ("benefit", &year.benefit_lines),
                ("cost", &year.cost_lines),
                ("offset", &year.offset_lines),
            ] {
                for line in lines {
                    for when in [year.year.as_str(), "total"] {
                        names.push(format!("{section}.{}.{when}", line.name));
                        for post in &line.parts {
                            names.push(format!("{section}.{}.{}.{when}", line.name, post.name));
                        }
                    }
                }
            }
        }
        names.push("summary.total_benefit + summary.total_cost".into());
        names
    }

    #[test]
    fn every_figure_is_the_reports_own() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
        let mut checked = 0;
        for council in std::fs::read_dir(&root).unwrap() {
            for file in std::fs::read_dir(council.unwrap().path()).unwrap() {
                let scenario = crate::scenario::load(&file.unwrap().path()).unwrap();
                let report = Report::build(&scenario).unwrap();
                let outcome = scenario.evaluate_exact();
                for name in names(&report) {
                    let figure = Figure::parse(&scenario.model, &name)
                        .unwrap_or_else(|| panic!("{name} parses"));
                    let got = figure.value(&scenario.model, &outcome).get();
                    // With no cost there is no return per pound: `check` refuses to measure
                    // it, and the division poisons the figure.
                    let Some(got) = got else {
                        assert_eq!(name, "summary.return_per_pound", "{}", scenario.name);
                        assert!(report.summary.total_cost.is_zero());
                        assert!(measure(&report, &name).is_err());
                        continue;
                    };
                    // A sum of figures is the sum of what `check` measures of each part.
                    let parts = name.split(" + ").map(|part| match measure(&report, part) {
                        Ok(Measured::Amount(amount)) => amount,
                        _ => panic!("{part} is an amount"),
                    });
                    let expected: rust_decimal::Decimal = parts.sum();
                    assert_eq!(got, expected, "{name} of {}", scenario.name);
                    checked += 1;
                }
            }
        }
        assert!(checked > 500, "{checked}");
    }

    #[test]
    fn names_that_are_not_amounts_of_the_model_do_not_parse() {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
        let scenario = crate::scenario::load(&path).unwrap();
        for name in [
            "summary.payback_year",
            "year.1999/00.net",
            "cost.nothing.total",
            "cost.technology.nobody.total",
            "benefit.care_hours",
        ] {
            assert!(Figure::parse(&scenario.model, name).is_none(), "{name}");
        }
    }
}
