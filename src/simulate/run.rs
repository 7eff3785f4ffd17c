//! Runs the Monte Carlo: blocks of iterations in parallel, each through the same
//! `model::evaluate_into` as `run`, collected in block order into one column per output.

use super::columns;
use super::kernel::Isa;
use super::lanes::{LANES, Lanes};
use super::program::{Feed, Lane, Program};
use super::sampler::{BLOCK, Sampler};
use super::tape::{self, Traced};
use crate::model::engine::payback_index;
use crate::model::{Outcome, evaluate, evaluate_into};
use crate::number::Num;
use crate::scenario::Scenario;
use crate::scenario::uncertain::{Apply, Sampling};
use rayon::prelude::*;

/// Blocks evaluated between two looks at progress and precision.
const GROUP_BLOCKS: usize = 16;

/// What to run.
#[derive(Debug, Clone)]
pub struct RunSettings {
    /// Iterations to run (with `precision`: the most to run).
    pub iterations: u64,
    pub seed: u64,
    pub sampling: Sampling,
    /// Stop once the standard error of mean cumulative net benefit is below this.
    pub precision: Option<f64>,
    /// Keep the input draws of this many iterations, the first ones: all of them for
    /// `--samples`, enough to measure achieved rank correlations, or none.
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

/// Every iteration's outputs, one column per output, in iteration order.
#[derive(Debug, Clone)]
pub struct Samples {
    pub outputs: Vec<OutputId>,
    pub columns: Vec<Vec<f64>>,
    /// Payback year index per iteration; `u8::MAX` when not within the horizon.
    pub payback: Vec<u8>,
    /// Each variable's draws in the first `keep_inputs` iterations, one column per variable.
    pub inputs: Vec<Vec<f64>>,
}

impl Samples {
    pub fn len(&self) -> usize {
        self.payback.len()
    }

    pub fn is_empty(&self) -> bool {
        self.payback.is_empty()
    }

    pub fn column(&self, measure: Measure, year: Option<usize>) -> &[f64] {
        let index = self
            .outputs
            .iter()
            .position(|o| o.measure == measure && o.year == year)
            .expect("recorded output");
        &self.columns[index]
    }
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
struct BlockView<'a> {
    index: u64,
    outputs: Vec<&'a mut [f64]>,
    payback: &'a mut [u8],
    inputs: Vec<&'a mut [f64]>,
}

/// A worker's buffers, reused from block to block.
struct Scratch {
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

/// How a block's iterations are evaluated.
enum Evaluator {
    /// The engine traced once into a program over the uncertain inputs (the normal case);
    /// `input_of[slot]` is the program input that a parameter slot feeds.
    Program {
        program: Program,
        input_of: Vec<Option<usize>>,
        isa: Isa,
    },
    /// The engine itself, `LANES` iterations at a time: used only if the engine ever branches
    /// on an uncertain figure, which a straight-line program cannot follow.
    Lanes,
}

impl Evaluator {
    fn new(scenario: &Scenario, base: &[f64], isa: Isa) -> Evaluator {
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
        let (outputs, recording) = tape::trace(inputs as u32, || {
            output_values(&evaluate(&scenario.model, &params))
        });
        if recording.untraceable {
            return Evaluator::Lanes;
        }
        let program = Program::compile(&recording, &outputs);
        Evaluator::Program {
            program,
            input_of,
            isa,
        }
    }
}

/// Runs the simulation; `on_group` is told the iterations done so far (for a progress bar).
pub fn simulate(scenario: &Scenario, settings: &RunSettings, on_group: impl FnMut(u64)) -> Samples {
    simulate_with(scenario, settings, Isa::detect(), on_group)
}

/// [`simulate`] with the instruction set chosen (tests compare them).
pub fn simulate_with(
    scenario: &Scenario,
    settings: &RunSettings,
    isa: Isa,
    mut on_group: impl FnMut(u64),
) -> Samples {
    let uncertainty = &scenario.uncertainty;
    let variables = &uncertainty.variables;
    let k = variables.len();
    let correlation = (!uncertainty.correlations.is_empty())
        .then(|| uncertainty.copula_factor())
        .flatten();
    let sampler = Sampler::new(variables, settings.seed, settings.sampling, correlation);
    let base: Vec<f64> = scenario.params_as();
    let model = &scenario.model;
    let layout = outputs(model.years);
    let m = layout.len();
    let evaluator = Evaluator::new(scenario, &base, isa);
    // Where each year's cumulative net benefit is in the layout, for the payback year.
    let cumulative_by_year: Vec<usize> = (0..model.years)
        .map(|t| {
            layout
                .iter()
                .position(|o| o.measure == Measure::CumulativeNet && o.year == Some(t))
                .expect("in layout")
        })
        .collect();

    // Evaluates block `view.index` into its view. Every block is drawn whole, so its draws
    // never depend on how many iterations were asked for.
    let run_block = |scratch: &mut Scratch, mut view: BlockView| {
        scratch.draws.resize(BLOCK * k, 0.0);
        sampler.fill_block(view.index, &mut scratch.draws);
        let draws = &scratch.draws;
        for (v, column) in view.inputs.iter_mut().enumerate() {
            let len = column.len();
            column.copy_from_slice(&draws[v * BLOCK..v * BLOCK + len]);
        }
        let len = view.payback.len();
        match &evaluator {
            Evaluator::Program {
                program,
                input_of,
                isa,
            } => {
                let feed = Feed {
                    variables,
                    input_of,
                    base: &base,
                };
                program.evaluate_block(*isa, &feed, draws, &mut scratch.slots, &mut view.outputs);
            }
            Evaluator::Lanes => {
                let params = &mut scratch.params;
                for first in (0..len).step_by(LANES) {
                    let count = LANES.min(len - first);
                    for (v, variable) in variables.iter().enumerate() {
                        let draws = &draws[v * BLOCK + first..v * BLOCK + first + LANES];
                        for (slot, apply) in &variable.targets {
                            let lanes = &mut params[*slot].0;
                            match apply {
                                Apply::Set => lanes.copy_from_slice(draws),
                                Apply::Factor => {
                                    for (lane, draw) in lanes.iter_mut().zip(draws) {
                                        *lane = base[*slot] * draw;
                                    }
                                }
                            }
                        }
                    }
                    evaluate_into(model, params, &mut scratch.outcome);
                    let values = output_values(&scratch.outcome);
                    for (value, column) in values.iter().zip(view.outputs.iter_mut()) {
                        column[first..first + count].copy_from_slice(&value.0[..count]);
                    }
                }
            }
        }
        for i in 0..len {
            let cumulative = cumulative_by_year.iter().map(|c| view.outputs[*c][i]);
            let payback = payback_index(cumulative, 0.0);
            view.payback[i] = payback.map_or(u8::MAX, |y| y.min(254) as u8);
        }
    };
    let new_scratch = || Scratch {
        draws: Vec::with_capacity(BLOCK * k),
        slots: match &evaluator {
            Evaluator::Program { program, .. } => program.slots(),
            Evaluator::Lanes => Vec::new(),
        },
        params: base.iter().map(|v| Lanes::splat(*v)).collect(),
        outcome: Outcome::default(),
    };

    let total = settings.iterations as usize;
    let kept_inputs = total.min(settings.keep_inputs.min(usize::MAX as u64) as usize);
    let mut samples = Samples {
        outputs: layout.clone(),
        columns: (0..m).map(|_| columns::with_capacity(total)).collect(),
        payback: columns::with_capacity(total),
        inputs: vec![Vec::with_capacity(kept_inputs); if kept_inputs > 0 { k } else { 0 }],
    };
    let cumulative_column = layout
        .iter()
        .position(|o| o.measure == Measure::CumulativeNet && o.year.is_none())
        .expect("in layout");
    let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
    let blocks = total.div_ceil(BLOCK) as u64;
    let mut next = 0u64;
    while next < blocks {
        let group_end = (next + GROUP_BLOCKS as u64).min(blocks);
        let start = samples.len();
        let end = total.min(group_end as usize * BLOCK);
        let kept_end = kept_inputs.min(end);
        // Each block's stretch of every column, handed to the workers.
        let mut views: Vec<BlockView> = (next..group_end)
            .map(|index| BlockView {
                index,
                outputs: Vec::with_capacity(m),
                payback: &mut [],
                inputs: Vec::new(),
            })
            .collect();
        for column in &mut samples.columns {
            column.resize(end, 0.0);
            for (view, part) in views.iter_mut().zip(column[start..].chunks_mut(BLOCK)) {
                view.outputs.push(part);
            }
        }
        samples.payback.resize(end, 0);
        for (view, part) in views
            .iter_mut()
            .zip(samples.payback[start..].chunks_mut(BLOCK))
        {
            view.payback = part;
        }
        for column in &mut samples.inputs {
            column.resize(kept_end, 0.0);
            let kept = column.get_mut(start..).unwrap_or_default();
            for (view, part) in views.iter_mut().zip(kept.chunks_mut(BLOCK)) {
                view.inputs.push(part);
            }
        }
        views.into_par_iter().for_each_init(new_scratch, run_block);
        for x in &samples.columns[cumulative_column][start..end] {
            sum += x;
            sum_sq += x * x;
        }
        next = group_end;
        on_group(samples.len() as u64);
        if let Some(precision) = settings.precision {
            let n = samples.len() as f64;
            let variance = ((sum_sq - sum * sum / n) / (n - 1.0)).max(0.0);
            if n > 1.0 && (variance / n).sqrt() < precision {
                break;
            }
        }
    }
    samples
}
