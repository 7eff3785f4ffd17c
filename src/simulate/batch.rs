//! The engine traced for chosen amount outputs ([`Figure`]s) and evaluated over any matrix of
//! draws: the designs of `sensitivity` (Saltelli's matrices) and the shared draws of `voi`
//! run through the same traced program as `simulate` (or, if tracing fails, the engine
//! itself over lanes), each row bit for bit the scalar f64 engine's result.

use super::figures::Figure;
use super::kernel::Isa;
use super::lanes::{LANES, Lanes};
use super::program::{Feed, Lane, Program};
use super::run::traced_params;
use super::sampler::BLOCK;
use super::tape;
use crate::model::spec::Model;
use crate::model::{Outcome, evaluate, evaluate_into};
use crate::scenario::Scenario;
use crate::scenario::uncertain::Variable;

enum Evaluator {
    Program {
        program: Program,
        input_of: Vec<Option<usize>>,
    },
    Lanes,
}

/// A scenario's engine, traced once for its figures.
pub struct Batch<'a> {
    variables: &'a [Variable],
    model: &'a Model,
    base: Vec<f64>,
    figures: Vec<Figure>,
    evaluator: Evaluator,
    isa: Isa,
}

/// A worker's buffers.
pub struct BatchScratch {
    slots: Vec<Lane>,
    params: Vec<Lanes>,
    outcome: Outcome<Lanes>,
}

impl<'a> Batch<'a> {
    /// Traces `scenario`'s engine for `figures`, over its uncertain variables.
    pub fn new(scenario: &'a Scenario, figures: Vec<Figure>, isa: Isa) -> Batch<'a> {
        let base: Vec<f64> = scenario.params_as();
        let (input_of, params, inputs) = traced_params(scenario, &base);
        let model = &scenario.model;
        let (outputs, recording) = tape::trace(inputs as u32, || {
            let outcome = evaluate(model, &params);
            figures
                .iter()
                .map(|f| f.value(model, &outcome))
                .collect::<Vec<_>>()
        });
        let evaluator = if recording.untraceable {
            Evaluator::Lanes
        } else {
            Evaluator::Program {
                program: Program::compile(&recording, &outputs),
                input_of,
            }
        };
        Batch {
            variables: &scenario.uncertainty.variables,
            model,
            base,
            figures,
            evaluator,
            isa,
        }
    }

    /// As [`Batch::new`], evaluating the engine itself over lanes (tests compare the two).
    #[cfg(test)]
    pub(crate) fn untraced(scenario: &'a Scenario, figures: Vec<Figure>, isa: Isa) -> Batch<'a> {
        let mut batch = Batch::new(scenario, figures, isa);
        batch.evaluator = Evaluator::Lanes;
        batch
    }

    pub fn figures(&self) -> &[Figure] {
        &self.figures
    }

    pub fn scratch(&self) -> BatchScratch {
        BatchScratch {
            slots: match &self.evaluator {
                Evaluator::Program { program, .. } => program.slots(),
                Evaluator::Lanes => Vec::new(),
            },
            params: self.base.iter().map(|v| Lanes::splat(*v)).collect(),
            outcome: Outcome::default(),
        }
    }

    /// Evaluates rows: `draws` holds one column of [`BLOCK`] values per uncertain variable
    /// (`draws[v * BLOCK + row]`, the variables in the scenario's order), and each output
    /// column (one per figure) is as long as the rows to evaluate.
    pub fn evaluate(&self, scratch: &mut BatchScratch, draws: &[f64], outputs: &mut [&mut [f64]]) {
        debug_assert_eq!(draws.len(), self.variables.len() * BLOCK);
        let len = outputs.first().map_or(0, |o| o.len());
        match &self.evaluator {
            Evaluator::Program { program, input_of } => {
                let feed = Feed {
                    variables: self.variables,
                    input_of,
                    base: &self.base,
                };
                program.evaluate_block(self.isa, &feed, draws, &mut scratch.slots, outputs);
            }
            Evaluator::Lanes => {
                let feed = Feed {
                    variables: self.variables,
                    input_of: &[],
                    base: &self.base,
                };
                let params = &mut scratch.params;
                for first in (0..len).step_by(LANES) {
                    let count = LANES.min(len - first);
                    feed.fill(draws, first, params, |slot| slot);
                    evaluate_into(self.model, params, &mut scratch.outcome);
                    for (figure, column) in self.figures.iter().zip(outputs.iter_mut()) {
                        let value = figure.value(self.model, &scratch.outcome);
                        column[first..first + count].copy_from_slice(&value.0[..count]);
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulate::sampler::Sampler;
    use std::path::Path;

    #[test]
    fn the_traced_figures_are_the_scalar_engines_bit_for_bit() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("scenarios/leicestershire/scenario4-uncertain.yaml");
        let scenario = crate::scenario::load(&path).unwrap();
        let names = [
            "summary.cumulative_net",
            "summary.npv",
            "summary.closing_users",
            "summary.return_per_pound",
            "year.2023/24.net",
            "cost.technology.total",
            "benefit.care_hours.2022/23 + cost.technology.2021/22",
        ];
        let figures: Vec<Figure> = names
            .iter()
            .map(|n| Figure::parse(&scenario.model, n).unwrap())
            .collect();
        let variables = &scenario.uncertainty.variables;
        let sampler = Sampler::new(
            variables,
            7,
            Default::default(),
            scenario.uncertainty.copula_factor(),
        );
        let mut draws = vec![0.0; BLOCK * variables.len()];
        sampler.fill_block(0, &mut draws);
        let rows = 300;
        for isa in [Isa::Portable, Isa::detect()] {
            for batch in [
                Batch::new(&scenario, figures.clone(), isa),
                Batch::untraced(&scenario, figures.clone(), isa),
            ] {
                let mut columns = vec![vec![0.0; rows]; figures.len()];
                let mut views: Vec<&mut [f64]> =
                    columns.iter_mut().map(|c| c.as_mut_slice()).collect();
                batch.evaluate(&mut batch.scratch(), &draws, &mut views);
                let base: Vec<f64> = scenario.params_as();
                for row in 0..rows {
                    let mut params = base.clone();
                    for (v, variable) in variables.iter().enumerate() {
                        for (slot, apply) in &variable.targets {
                            let draw = draws[v * BLOCK + row];
                            params[*slot] = match apply {
                                crate::scenario::uncertain::Apply::Set => draw,
                                crate::scenario::uncertain::Apply::Factor => base[*slot] * draw,
                            };
                        }
                    }
                    let outcome = evaluate(&scenario.model, &params);
                    for (f, figure) in figures.iter().enumerate() {
                        let expected = figure.value(&scenario.model, &outcome);
                        assert_eq!(
                            columns[f][row].to_bits(),
                            expected.to_bits(),
                            "{} row {row}",
                            figure.name
                        );
                    }
                }
            }
        }
    }
}
