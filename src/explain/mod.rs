//! `tec-model explain FILE FIGURE`: how one figure is made, as a tree of the engine's own
//! arithmetic with the values that went into it and each input's provenance.
//!
//! The generic engine is evaluated once with every input as a traced register
//! ([`crate::simulate::tape`], the Monte Carlo's tracer): what it records is exactly the
//! operations the engine does, in its order. The tree is read back from that recording, so it
//! cannot differ from the model; its values are the f64 engine's (the tracer's numbers), and
//! the figure at its root is checked against the exact decimal engine's before it is shown.

pub mod figure;
mod tree;

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

/// The explanation of `name`, as text: the figure, then its tree.
pub fn explain(scenario: &Scenario, name: &str, max_depth: usize) -> Result<String, ExplainError> {
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
    let mut out = format!(
        "{} = {} (the exact engine's figure: {})\n",
        name.trim(),
        tree::show(tree.value(root)),
        exact.map_or("overflowed".to_string(), |e| e.normalize().to_string())
    );
    tree.write(root, max_depth, &mut out);
    Ok(out)
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
