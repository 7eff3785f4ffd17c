//! One block of Monte Carlo iterations: its draws, evaluated through the engine traced once
//! into a program (or, failing that, through `model::evaluate_into` itself over lanes), into
//! one column per output.

use super::kernel::Isa;
use super::lanes::{LANES, Lanes};
use super::program::{Feed, Lane, Program};
use super::sampler::{BLOCK, Sampler};
use super::tape::{self, Traced};
use crate::model::engine::payback_index;
use crate::model::spec::Model;
use crate::model::{Outcome, evaluate, evaluate_into};
use crate::number::Num;
use crate::scenario::Scenario;
use crate::scenario::uncertain::{Sampling, Variable};

/// What to run.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Iterations to run (with `precision`: the most to run).
    pub iterations: u64,
    pub seed: u64,
    pub sampling: Sampling,
    /// Stop once the standard error of mean cumulative net benefit is below this.
    pub precision: Option<f64>,
    /// Copy out the input draws of this many iterations, the first ones: all of them for
    /// `--samples` (whose sink takes them block by block), enough to measure achieved rank
    /// correlations (kept to the end), or none.
    pub keep_inputs: u64,
}

/// The outputs recorded for each iteration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Measure {
    Benefit,
    Cost,
    Net,
    CumulativeNet,
    ClosingUsers,
    Npv,
}

impl Measure {
    pub fn key(self) -> &'static str {
        match self {
            Measure::Benefit => "benefit",
            Measure::Cost => "cost",
            Measure::Net => "net",
            Measure::CumulativeNet => "cumulative_net",
            Measure::ClosingUsers => "closing_users",
            Measure::Npv => "npv",
        }
    }
}

/// One output column: a measure in a year, or over the horizon (`year: None`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputId {
    pub measure: Measure,
    pub year: Option<usize>,
}

/// The output layout for a horizon: five measures a year, then the horizon totals.
pub fn outputs(years: usize) -> Vec<OutputId> {
    let mut list = Vec::new();
    for year in 0..years {
        for measure in [
            Measure::Benefit,
            Measure::Cost,
            Measure::Net,
            Measure::CumulativeNet,
            Measure::ClosingUsers,
        ] {
            list.push(OutputId {
                measure,
                year: Some(year),
            });
        }
    }
    // Over the horizon, net is cumulative net: recorded once, as cumulative net.
    for measure in [
        Measure::Benefit,
        Measure::Cost,
        Measure::CumulativeNet,
        Measure::ClosingUsers,
        Measure::Npv,
    ] {
        list.push(OutputId {
            measure,
            year: None,
        });
    }
    list
}

/// Where one block's results go: its stretch of every output column (so blocks write the
/// final columns directly, in parallel, with no staging copy), of the payback years, and of
/// the kept input columns.
pub struct BlockView<'a> {
    /// The block's index: its draws come from the stream of (seed, index).
    pub index: u64,
    /// One stretch per output, each as long as the iterations kept from the block.
    pub outputs: Vec<&'a mut [f64]>,
    pub payback: &'a mut [u8],
    /// The kept draws, one stretch per variable (empty when none are kept).
    pub inputs: Vec<&'a mut [f64]>,
}

/// A worker's buffers, reused from block to block.
pub struct Scratch {
    draws: Vec<f64>,
    /// The traced program's slots.
    slots: Vec<Lane>,
    /// For the lane-by-lane fallback.
    params: Vec<Lanes>,
    outcome: Outcome<Lanes>,
}

/// The outputs of one evaluation in the order of [`outputs`]. Generic, so that the traced
/// program and the lanes total the horizon with the same additions in the same order.
pub(crate) fn output_values<N: Num>(outcome: &Outcome<N>) -> Vec<N> {
    let mut values = Vec::with_capacity(outcome.totals.len() * 5 + 5);
    let (mut benefit, mut cost, mut npv) = (N::zero(), N::zero(), N::zero());
    for (totals, users) in outcome.totals.iter().zip(&outcome.users) {
        values.extend([
            totals.benefit,
            totals.cost,
            totals.net,
            totals.cumulative_net,
            users.closing,
        ]);
        benefit = benefit + totals.benefit;
        cost = cost + totals.cost;
        npv = npv + totals.discounted_net;
    }
    let last = outcome.totals.len() - 1;
    values.extend([
        benefit,
        cost,
        outcome.totals[last].cumulative_net,
        outcome.users[last].closing,
        npv,
    ]);
    values
}

/// The parameter vector for tracing: each slot an uncertain variable feeds is a program
/// input (a register), every other slot its base value. Returns which program input each slot
/// feeds, the parameters and how many inputs there are.
pub(crate) fn traced_params(
    scenario: &Scenario,
    base: &[f64],
) -> (Vec<Option<usize>>, Vec<Traced>, usize) {
    let mut input_of = vec![None; base.len()];
    let mut inputs = 0;
    for variable in &scenario.uncertainty.variables {
        for (slot, _) in &variable.targets {
            if input_of[*slot].is_none() {
                input_of[*slot] = Some(inputs);
                inputs += 1;
            }
        }
    }
    let params: Vec<Traced> = base
        .iter()
        .zip(&input_of)
        .map(|(value, input)| match input {
            Some(i) => Traced::Reg(*i as u32),
            None => Traced::Const(*value),
        })
        .collect();
    (input_of, params, inputs)
}

/// How a block's iterations are evaluated.
enum Evaluator {
    /// The engine traced once into a program over the uncertain inputs (the normal case);
    /// `input_of[slot]` is the program input that a parameter slot feeds.
    Program {
        program: Program,
        input_of: Vec<Option<usize>>,
        isa: Isa,
        /// For each output, the first output the trace shows to be the same figure.
        same_as: Vec<usize>,
    },
    /// The engine itself, `LANES` iterations at a time: used only if the engine ever branches
    /// on an uncertain figure, which a straight-line program cannot follow.
    Lanes,
}

impl Evaluator {
    fn new(scenario: &Scenario, base: &[f64], isa: Isa) -> Evaluator {
        let (input_of, params, inputs) = traced_params(scenario, base);
        let (outputs, recording) = tape::trace(inputs as u32, || {
            output_values(&evaluate(&scenario.model, &params))
        });
        if recording.untraceable {
            return Evaluator::Lanes;
        }
        let program = Program::compile(&recording, &outputs);
        let same = |a: &Traced, b: &Traced| match (a, b) {
            (Traced::Reg(a), Traced::Reg(b)) => a == b,
            (Traced::Const(a), Traced::Const(b)) => a.to_bits() == b.to_bits(),
            _ => false,
        };
        let same_as = outputs
            .iter()
            .enumerate()
            .map(|(o, output)| (0..o).find(|e| same(&outputs[*e], output)).unwrap_or(o))
            .collect();
        Evaluator::Program {
            program,
            input_of,
            isa,
            same_as,
        }
    }
}

/// A simulation ready to run blocks: the sampler, and the engine traced for the scenario.
pub struct Simulation<'a> {
    variables: &'a [Variable],
    model: &'a Model,
    sampler: Sampler<'a>,
    base: Vec<f64>,
    evaluator: Evaluator,
    isa: Isa,
    /// The output layout, see [`outputs`].
    pub layout: Vec<OutputId>,
    /// Where each year's cumulative net benefit is in the layout, for the payback year.
    cumulative_by_year: Vec<usize>,
}

impl<'a> Simulation<'a> {
    pub fn new(scenario: &'a Scenario, settings: &RunSettings, isa: Isa) -> Simulation<'a> {
        let mut simulation = Simulation::untraced(scenario, settings, isa);
        simulation.evaluator = Evaluator::new(scenario, &simulation.base, isa);
        simulation
    }

    /// A simulation that evaluates the engine itself over lanes, as when tracing fails
    /// (tests compare the two).
    pub(crate) fn untraced(
        scenario: &'a Scenario,
        settings: &RunSettings,
        isa: Isa,
    ) -> Simulation<'a> {
        let uncertainty = &scenario.uncertainty;
        let correlation = (!uncertainty.correlations.is_empty())
            .then(|| uncertainty.copula_factor())
            .flatten();
        let variables = &uncertainty.variables;
        let sampler = Sampler::new(variables, settings.seed, settings.sampling, correlation);
        let base: Vec<f64> = scenario.params_as();
        let model = &scenario.model;
        let layout = outputs(model.years);
        let cumulative_by_year = (0..model.years)
            .map(|t| {
                layout
                    .iter()
                    .position(|o| o.measure == Measure::CumulativeNet && o.year == Some(t))
                    .expect("in layout")
            })
            .collect();
        Simulation {
            variables,
            model,
            sampler,
            evaluator: Evaluator::Lanes,
            isa,
            base,
            layout,
            cumulative_by_year,
        }
    }

    /// Uncertain variables drawn each iteration.
    pub fn variables(&self) -> usize {
        self.variables.len()
    }

    /// The instruction set the blocks run on.
    pub fn isa(&self) -> Isa {
        self.isa
    }

    /// For each output, the first output that is always the same figure (itself if none):
    /// horizon cumulative net benefit is the last year's, and the first year's net benefit is
    /// its cumulative net benefit.
    pub fn same_as(&self) -> Vec<usize> {
        match &self.evaluator {
            Evaluator::Program { same_as, .. } => same_as.clone(),
            Evaluator::Lanes => (0..self.layout.len()).collect(),
        }
    }

    /// Whether the engine was traced into a program (else it runs over lanes).
    pub fn is_traced(&self) -> bool {
        matches!(self.evaluator, Evaluator::Program { .. })
    }

    /// Years in the horizon.
    pub fn years(&self) -> usize {
        self.model.years
    }

    /// Buffers for one worker.
    pub fn scratch(&self) -> Scratch {
        Scratch {
            draws: Vec::with_capacity(BLOCK * self.variables.len()),
            slots: match &self.evaluator {
                Evaluator::Program { program, .. } => program.slots(),
                Evaluator::Lanes => Vec::new(),
            },
            params: self.base.iter().map(|v| Lanes::splat(*v)).collect(),
            outcome: Outcome::default(),
        }
    }

    /// Evaluates block `view.index` into its view. Every block is drawn whole, so its draws
    /// never depend on how many iterations were asked for.
    pub fn run_block(&self, scratch: &mut Scratch, mut view: BlockView) {
        scratch.draws.resize(BLOCK * self.variables.len(), 0.0);
        self.sampler
            .fill_block_with(self.isa, view.index, &mut scratch.draws);
        let draws = &scratch.draws;
        for (v, column) in view.inputs.iter_mut().enumerate() {
            let len = column.len();
            column.copy_from_slice(&draws[v * BLOCK..v * BLOCK + len]);
        }
        let len = view.payback.len();
        match &self.evaluator {
            Evaluator::Program {
                program,
                input_of,
                isa,
                ..
            } => {
                let feed = Feed {
                    variables: self.variables,
                    input_of,
                    base: &self.base,
                };
                program.evaluate_block(*isa, &feed, draws, &mut scratch.slots, &mut view.outputs);
            }
            Evaluator::Lanes => {
                // The engine takes every parameter slot: no program inputs to map.
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
                    let values = output_values(&scratch.outcome);
                    for (value, column) in values.iter().zip(view.outputs.iter_mut()) {
                        column[first..first + count].copy_from_slice(&value.0[..count]);
                    }
                }
            }
        }
        self.record_payback(&mut view);
    }
}

impl Simulation<'_> {
    /// Each iteration's payback year, as [`payback_index`] gives it: the year after the last
    /// in which cumulative net benefit is below zero, or, if it never is, the first in which
    /// it is above. Worked a year at a time over the whole block so that the comparisons
    /// vectorise.
    fn record_payback(&self, view: &mut BlockView) {
        let years = self.cumulative_by_year.len();
        if years >= u8::MAX as usize {
            for i in 0..view.payback.len() {
                let cumulative = self.cumulative_by_year.iter().map(|c| view.outputs[*c][i]);
                let payback = payback_index(cumulative, 0.0);
                view.payback[i] = payback.map_or(u8::MAX, |y| y.min(254) as u8);
            }
            return;
        }
        // `u8::MAX` while nothing has happened yet (every year so far at exactly zero).
        view.payback.fill(u8::MAX);
        for (t, column) in self.cumulative_by_year.iter().enumerate() {
            let (at, after) = (t as u8, t as u8 + 1);
            for (payback, cumulative) in view.payback.iter_mut().zip(view.outputs[*column].iter()) {
                *payback = if *cumulative < 0.0 {
                    after
                } else if *cumulative > 0.0 && *payback == u8::MAX {
                    at
                } else {
                    *payback
                };
            }
        }
        // Still below zero in the last year: no payback within the horizon.
        for payback in view.payback.iter_mut() {
            if *payback as usize == years {
                *payback = u8::MAX;
            }
        }
    }
}
