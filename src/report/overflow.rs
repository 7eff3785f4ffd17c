//! Which figure overflowed the money type, and where to look: the first line (or total) of
//! the business case in year order that overflowed, and the largest input it uses, with the
//! file and line that set it. So that the error says `benefits.care_hours in 2021/22` and
//! `hourly_cost = 1e27 (plan.yaml:55:14)` rather than "a figure".

use crate::model::Outcome;
use crate::model::spec::{BenefitRule, CostRule, OffsetRule};
use crate::number::{Exact, Num};
use crate::scenario::Scenario;
use crate::scenario::locate::locate;

/// The figure that overflowed and the input to look at first.
#[derive(Debug, Clone, PartialEq)]
pub struct Overflowed {
    /// A line (`benefits.care_hours`, `costs.staffing.posts.manager`), `users` figures or a
    /// total (`total benefit`).
    pub figure: String,
    /// The financial year, e.g. `2023/24`.
    pub year: String,
    /// The largest input the figure uses.
    pub input: Option<Largest>,
}

/// An input named in an overflow error.
#[derive(Debug, Clone, PartialEq)]
pub struct Largest {
    /// Its parameter slot.
    pub slot: usize,
    /// `users.installs[2021/22]`.
    pub name: String,
    /// `1e26`.
    pub value: String,
    /// Where it was set: `plan.yaml:29:5`, or what set it (a `--vary` point).
    pub place: Option<String>,
}

impl Overflowed {
    /// "`benefits.care_hours` in 2021/22, whose largest input is ...".
    pub fn describe(&self) -> String {
        let mut out = format!("`{}` in {}", self.figure, self.year);
        if let Some(input) = &self.input {
            out.push_str(&format!(
                ", whose largest input is `{}` = {}",
                input.name, input.value
            ));
            if let Some(place) = &input.place {
                out.push_str(&format!(" ({place})"));
            }
        }
        out
    }
}

/// A candidate figure: its name, its value in each year, and the prefixes of the inputs it
/// uses (`users.` for lines over the modelled users).
struct Figure<'a> {
    name: String,
    values: &'a [Exact],
    inputs: Vec<String>,
}

/// The first figure of `outcome`, in year order, that is not a valid amount; `None` when every
/// figure is valid (the NPV alone overflowing is named as `NPV` in the last year).
pub fn find(scenario: &Scenario, outcome: &Outcome<Exact>) -> Option<Overflowed> {
    let model = &scenario.model;
    let users = |uses: bool| {
        if uses {
            vec!["users.".to_string()]
        } else {
            vec![]
        }
    };
    let column = |f: fn(&crate::model::YearTotals<Exact>) -> Exact| -> Vec<Exact> {
        outcome.totals.iter().map(f).collect()
    };
    let totals = [
        ("total benefit", column(|t| t.benefit), "benefits."),
        ("total cost", column(|t| t.cost), "costs."),
        ("total offsets", column(|t| t.offsets), "offsets."),
        ("net benefit", column(|t| t.net), ""),
        ("cumulative net benefit", column(|t| t.cumulative_net), ""),
        ("discounted net benefit", column(|t| t.discounted_net), ""),
    ];
    let leavers: Vec<Exact> = outcome.users.iter().map(|u| u.leavers).collect();
    let closing: Vec<Exact> = outcome.users.iter().map(|u| u.closing).collect();
    let mut figures: Vec<Figure> = Vec::new();
    for (name, values) in [("users (leavers)", &leavers), ("users (closing)", &closing)] {
        figures.push(Figure {
            name: name.into(),
            values,
            inputs: users(true),
        });
    }
    figures.push(Figure {
        name: "users (generating benefit)".into(),
        values: &outcome.benefiting_users,
        inputs: vec!["users.".into(), "benefits.".into()],
    });
    for (line, values) in model.benefits.iter().zip(&outcome.benefits) {
        let over_users = matches!(line.rule, BenefitRule::CareHours { .. });
        let mut inputs = vec![format!("benefits.{}.", line.name)];
        inputs.extend(users(over_users));
        figures.push(Figure {
            name: format!("benefits.{}", line.name),
            values: &values.values,
            inputs,
        });
    }
    for (line, values) in model.costs.iter().zip(&outcome.costs) {
        let over_users = matches!(
            line.rule,
            CostRule::PerInstall { .. } | CostRule::PerUser { users: None, .. }
        );
        if let CostRule::Staffing(posts) = &line.rule {
            for (post, part) in posts.iter().zip(&values.parts) {
                let name = format!("costs.{}.posts.{}", line.name, post.name);
                figures.push(Figure {
                    inputs: vec![format!("{name}."), "appraisal.optimism_bias".into()],
                    name,
                    values: part,
                });
            }
        }
        let mut inputs = vec![
            format!("costs.{}.", line.name),
            "appraisal.optimism_bias".into(),
        ];
        inputs.extend(users(over_users));
        figures.push(Figure {
            name: format!("costs.{}", line.name),
            values: &values.values,
            inputs,
        });
    }
    for (line, values) in model.offsets.iter().zip(&outcome.offsets) {
        let over_users = matches!(line.rule, OffsetRule::UserCharge { .. });
        let mut inputs = vec![format!("offsets.{}.", line.name)];
        inputs.extend(users(over_users));
        figures.push(Figure {
            name: format!("offsets.{}", line.name),
            values: &values.values,
            inputs,
        });
    }
    for (name, values, prefix) in &totals {
        figures.push(Figure {
            name: (*name).into(),
            values,
            inputs: vec![prefix.to_string(), "appraisal.".into()],
        });
    }
    for t in 0..model.years {
        if let Some(figure) = figures
            .iter()
            .find(|f| f.values.get(t).is_some_and(|v| !v.is_valid()))
        {
            return Some(Overflowed {
                figure: figure.name.clone(),
                year: model.year_label(t),
                input: largest_input(scenario, &figure.inputs),
            });
        }
    }
    (!outcome.npv().is_valid() && model.years > 0).then(|| Overflowed {
        figure: "NPV (the sum of discounted net benefit)".into(),
        year: model.year_label(model.years - 1),
        input: largest_input(scenario, &["".into()]),
    })
}

/// The input of largest magnitude among those whose path starts with one of `prefixes`
/// (every input for an empty prefix), with the file and line that set it.
fn largest_input(scenario: &Scenario, prefixes: &[String]) -> Option<Largest> {
    let params = &scenario.params;
    let slot = (0..params.values.len())
        .filter(|s| {
            let path = &params.info[*s].path;
            !path.starts_with('(') && prefixes.iter().any(|p| path.starts_with(p.as_str()))
        })
        // The first of the largest (the earliest year of a flat series).
        .min_by_key(|s| std::cmp::Reverse(params.values[*s].abs()))?;
    let info = &params.info[slot];
    let name = match info.year {
        Some(t) => format!("{}[{}]", info.path, scenario.model.year_label(t)),
        None => info.path.clone(),
    };
    let file = scenario.files.get(info.origin.file);
    let place = file.map(|f| {
        let at = locate(&f.text, &info.origin.keys)
            .map(|(line, column)| format!(":{line}:{column}"))
            .unwrap_or_default();
        format!("{}{at}", f.path.display())
    });
    let value = params.values[slot].normalize();
    // 1e27 rather than 28 digits.
    let value = if value.abs() >= rust_decimal::Decimal::from(1_000_000_000_000i64) {
        format!("{value:e}")
    } else {
        value.to_string()
    };
    Some(Largest {
        slot,
        name,
        value,
        place,
    })
}

#[cfg(test)]
mod tests {
    use crate::report::Report;
    use crate::scenario::from_yaml;

    const HEAD: &str = "horizon: { first_year: 2021/22, years: 2 }\nusers:\n  opening: { value: 0, source: x }\n  installs: { each_year: 10, source: x }\n  attrition: { value: 0.1, source: x }\n";

    #[test]
    fn a_total_of_valid_lines_is_named_with_its_largest_input() {
        let scenario = from_yaml(&format!(
            "{HEAD}benefits:\n  a: {{ basket: cashable, kind: amounts, amounts: {{ per_year: [1, 5e28], source: x }} }}\n  b: {{ basket: cashable, kind: amounts, amounts: {{ per_year: [1, 4e28], source: x }} }}\n"
        ))
        .unwrap();
        let error = Report::build(&scenario).unwrap_err();
        assert_eq!(error.figure.figure, "total benefit");
        assert_eq!(error.figure.year, "2022/23");
        let input = error.figure.input.as_ref().unwrap();
        assert_eq!(
            (input.name.as_str(), input.value.as_str()),
            ("benefits.a.amounts[2022/23]", "5e28")
        );
        assert!(
            input.place.as_deref().unwrap().ends_with("test.yaml:7:50"),
            "{input:?}"
        );
    }

    #[test]
    fn a_staffing_post_is_named_by_its_path() {
        let scenario = from_yaml(&format!(
            "{HEAD}costs:\n  team:\n    kind: staffing\n    posts:\n      lead: {{ count: {{ value: 1e20, source: x }}, salary: {{ value: 1e10, source: x }}, phasing: {{ each_year: 1, source: x }} }}\n"
        ))
        .unwrap();
        let error = Report::build(&scenario).unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("`costs.team.posts.lead` in 2021/22, whose largest input is `costs.team.posts.lead.count` = 1e20"),
            "{message}"
        );
    }
}
