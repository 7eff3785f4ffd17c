//! `tec-model explain FILE FIGURE`: how one figure is made, as a tree of the engine's own
//! arithmetic with the values that went into it and each input's provenance.
//!
//! The generic engine is evaluated once with every input as a traced register
//! ([`crate::simulate::tape`], the Monte Carlo's tracer): what it records is exactly the
//! operations the engine does, in its order. The tree is read back from that recording, so it
//! cannot differ from the model; its values are the f64 engine's (the tracer's numbers), and
//! the figure at its root is checked against the exact decimal engine's before it is shown.

pub mod figure;
pub mod tree;

use crate::model::engine::evaluate;
use crate::number::Exact;
use crate::scenario::Scenario;
use crate::simulate::tape::{self, Traced};
use figure::Figure;
use rust_decimal::prelude::ToPrimitive;

#[derive(Debug, thiserror::Error)]
pub enum ExplainError {
    #[error("{file}: {message}")]
    Figure { file: String, message: String },
    #[error(
        "{file}: `{figure}` depends on a comparison of inputs (a branch the trace cannot follow), so it cannot be explained as one formula"
    )]
    Untraceable { file: String, figure: String },
}

/// An explained figure: what `explain --format json` writes.
#[derive(Debug, Clone, serde::Serialize, schemars::JsonSchema)]
pub struct Explanation {
    /// The figure as asked for, e.g. `year.2021/22.benefit.care_hours`.
    pub figure: String,
    /// The exact engine's figure, as exact decimal text (`null` if it overflowed).
    pub exact: Option<rust_decimal::Decimal>,
    /// The levels of operations shown (`--depth`).
    pub depth: usize,
    /// The tree: the figure as the traced engine computed it, down to the inputs.
    pub tree: tree::Node,
}

/// The explanation of `name`: the figure, then its tree.
pub fn explanation(
    scenario: &Scenario,
    name: &str,
    max_depth: usize,
) -> Result<Explanation, ExplainError> {
    let file = scenario
        .files
        .first()
        .map(|f| f.path.display().to_string())
        .unwrap_or_default();
    let figure = Figure::parse(&scenario.model, name).map_err(|message| ExplainError::Figure {
        file: file.clone(),
        message,
    })?;
    let traced = trace(scenario, &figure);
    let Some((root, recording)) = traced else {
        return Err(ExplainError::Untraceable {
            file,
            figure: name.trim().to_string(),
        });
    };
    let exact_params: Vec<Exact> = scenario
        .params
        .values
        .iter()
        .map(|v| Exact::new(*v))
        .collect();
    let exact = figure.pick(&evaluate(&scenario.model, &exact_params)).get();
    let inputs: Vec<f64> = scenario
        .params
        .values
        .iter()
        .map(|v| v.to_f64().unwrap_or(f64::NAN))
        .collect();
    let tree = tree::Tree::new(&recording, &inputs, scenario);
    Ok(Explanation {
        figure: name.trim().to_string(),
        exact: exact.map(|e| e.normalize()),
        depth: max_depth,
        tree: tree.build(root, max_depth),
    })
}

/// The explanation of `name`, as text: the figure, then its tree.
pub fn explain(scenario: &Scenario, name: &str, max_depth: usize) -> Result<String, ExplainError> {
    Ok(text(&explanation(scenario, name, max_depth)?))
}

/// The explanation as the text `explain` prints.
pub fn text(explanation: &Explanation) -> String {
    let mut out = format!(
        "{} = {} (the exact engine's figure: {})\n",
        explanation.figure,
        tree::show(explanation.tree.number),
        explanation
            .exact
            .map_or("overflowed".to_string(), |e| e.to_string())
    );
    explanation.tree.write(0, &mut out);
    out
}

/// The explanation in `format`: the text; JSON ([`Explanation`]); CSV, a row per node with
/// its level; Markdown, a nested list.
pub fn render(explanation: &Explanation, format: crate::export::Format) -> Vec<u8> {
    use crate::export::{Format, csv_record, markdown_cell};
    let mut nodes = Vec::new();
    explanation.tree.walk(0, &mut nodes);
    match format {
        Format::Json => crate::export::schema::to_json(explanation),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let header = ["level", "value", "formula", "input", "provenance", "note"];
            writer
                .write_record(csv_record(header))
                .expect("CSV to memory");
            for (level, node) in nodes {
                let note = match (node.as_above, node.deeper) {
                    (true, _) => "as above".to_string(),
                    (false, Some(depth)) => format!("deeper: --depth {depth}"),
                    (false, None) => String::new(),
                };
                let row = [
                    level.to_string(),
                    node.value.clone(),
                    node.formula.clone().unwrap_or_default(),
                    node.input.clone().unwrap_or_default(),
                    node.provenance.clone().unwrap_or_default(),
                    note,
                ];
                writer.write_record(csv_record(row)).expect("CSV to memory");
            }
            writer.into_inner().expect("CSV to memory")
        }
        Format::Markdown => {
            let exact = explanation
                .exact
                .map_or("overflowed".to_string(), |e| e.to_string());
            let mut out = format!(
                "### `{}` = {}\n\nThe exact engine's figure: {exact}.\n\n",
                markdown_cell(&explanation.figure),
                tree::show(explanation.tree.number)
            );
            for (level, node) in nodes {
                let line = match &node.input {
                    Some(path) => format!(
                        "{} `{}` ({})",
                        tree::show(node.number),
                        markdown_cell(path),
                        markdown_cell(node.provenance.as_deref().unwrap_or(""))
                    ),
                    None => markdown_cell(&node.line()),
                };
                out.push_str(&format!("{}- {line}\n", "  ".repeat(level)));
                if let Some(depth) = node.deeper {
                    out.push_str(&format!(
                        "{}- ... (deeper: `--depth {depth}`)\n",
                        "  ".repeat(level + 1)
                    ));
                }
            }
            out.into_bytes()
        }
        // Xlsx and Svg: the CLI never offers them here; the text stands in.
        Format::Table | Format::Xlsx | Format::Svg => text(explanation).into_bytes(),
    }
}

/// The figure traced with every input a register; `None` if the engine branched on one.
pub fn trace(scenario: &Scenario, figure: &Figure) -> Option<(Traced, tape::Recording)> {
    let inputs = scenario.params.values.len();
    let params: Vec<Traced> = (0..inputs).map(|i| Traced::Reg(i as u32)).collect();
    let (root, recording) = tape::trace(inputs as u32, || {
        figure.pick(&evaluate(&scenario.model, &params))
    });
    (!recording.untraceable).then_some((root, recording))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn load(path: &str) -> Scenario {
        crate::scenario::load(std::path::Path::new(path)).unwrap()
    }

    /// The traced tree's root, replayed in f64, is the exact engine's figure (to the penny:
    /// the f64 and decimal engines round lines to the pound alike).
    #[test]
    fn the_tree_computes_the_engines_figure() {
        for (file, figures) in [
            (
                "scenarios/leicestershire/scenario1.yaml",
                &[
                    "year.2021/22.benefit.care_hours",
                    "year.2023/24.net",
                    "year.2025/26.cumulative_net",
                    "summary.npv",
                    "summary.total_cost",
                    "closing_users",
                ][..],
            ),
            (
                "scenarios/examples/per-user.yaml",
                &[
                    "year.2025/26.benefit.falls_response",
                    "year.2024/25.cost.monitoring",
                    "npv",
                ][..],
            ),
            (
                "scenarios/examples/two-cohorts.yaml",
                &["summary.cumulative_net", "summary.total_benefit"][..],
            ),
        ] {
            let scenario = load(file);
            for name in figures {
                let figure = Figure::parse(&scenario.model, name).unwrap();
                let (root, recording) = trace(&scenario, &figure).expect(name);
                let inputs: Vec<f64> = scenario
                    .params
                    .values
                    .iter()
                    .map(|v| v.to_f64().unwrap())
                    .collect();
                let traced = tree::Tree::new(&recording, &inputs, &scenario).value(root);
                let exact: Vec<Exact> = scenario
                    .params
                    .values
                    .iter()
                    .map(|v| Exact::new(*v))
                    .collect();
                let exact = figure
                    .pick(&evaluate(&scenario.model, &exact))
                    .get()
                    .unwrap();
                let traced = Decimal::try_from(traced).unwrap();
                assert!(
                    (traced - exact).abs() < Decimal::new(1, 2),
                    "{file} {name}: traced {traced}, exact {exact}"
                );
            }
        }
    }

    #[test]
    fn the_tree_reaches_the_inputs_with_their_provenance() {
        let scenario = load("scenarios/leicestershire/scenario1.yaml");
        let text = explain(&scenario, "year.2021/22.benefit.care_hours", 6).unwrap();
        assert!(
            text.starts_with("year.2021/22.benefit.care_hours = 419,530 "),
            "{text}"
        );
        for part in [
            "0.75 x 2 x 52 x 15.71 x 0.75",
            "2 benefits.care_hours.hours_per_week (source: leicestershire-cabinet",
            "0.75 benefits.care_hours.realisation (calibrated: share of the avoided hours",
            "956 users.installs[2021/22] (calibrated:",
        ] {
            assert!(text.contains(part), "{part}\n{text}");
        }
    }

    #[test]
    fn an_unknown_figure_or_line_is_named() {
        let scenario = load("scenarios/leicestershire/scenario1.yaml");
        let error = explain(&scenario, "year.2021/22.benefit.care_hour", 6).unwrap_err();
        assert!(
            error.to_string().contains("no benefit line `care_hour`"),
            "{error}"
        );
        let error = explain(&scenario, "year.2030/31.net", 6).unwrap_err();
        assert!(
            error.to_string().contains("not a year of the scenario"),
            "{error}"
        );
        let error = explain(&scenario, "summary.nvp", 6).unwrap_err();
        assert!(error.to_string().contains("summary.<npv"), "{error}");
    }
}
