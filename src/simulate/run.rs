//! Runs the Monte Carlo: blocks of iterations in parallel, each through the same
//! `model::evaluate_into` as `run`, collected in block order into one column per output.

use super::lanes::{LANES, Lanes};
use super::sampler::{BLOCK, Sampler};
use crate::model::engine::payback_index;
use crate::model::{Outcome, evaluate_into};
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
    /// Keep every iteration's input draws (for `--samples`).
    pub keep_inputs: bool,
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
    /// With `keep_inputs`: each variable's draws, one column per variable.
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

/// Appends lane `lane`'s outputs in the order of [`outputs`].
fn record(outcome: &Outcome<Lanes>, lane: usize, out: &mut Vec<f64>) {
    let (mut benefit, mut cost, mut npv) = (0.0, 0.0, 0.0);
    for (totals, users) in outcome.totals.iter().zip(&outcome.users) {
        out.extend_from_slice(&[
            totals.benefit.0[lane],
            totals.cost.0[lane],
            totals.net.0[lane],
            totals.cumulative_net.0[lane],
            users.closing.0[lane],
        ]);
        benefit += totals.benefit.0[lane];
        cost += totals.cost.0[lane];
        npv += totals.discounted_net.0[lane];
    }
    let last = outcome.totals.len() - 1;
    let cumulative = outcome.totals[last].cumulative_net.0[lane];
    out.extend_from_slice(&[
        benefit,
        cost,
        cumulative,
        outcome.users[last].closing.0[lane],
        npv,
    ]);
}

struct BlockResult {
    outputs: Vec<f64>,
    payback: Vec<u8>,
    inputs: Vec<f64>,
}

/// Runs the simulation; `on_group` is told the iterations done so far (for a progress bar).
pub fn simulate(
    scenario: &Scenario,
    settings: &RunSettings,
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

    // Fills `result` with block `index`, reusing its buffers (fresh buffers per block would
    // cost a page fault per 4 KiB, which dominates on small virtual machines).
    let run_block = |index: u64, result: &mut BlockResult| {
        result.inputs.resize(BLOCK * k, 0.0);
        sampler.fill_block(index, &mut result.inputs);
        let draws = &result.inputs;
        let mut params: Vec<Lanes> = base.iter().map(|v| Lanes::splat(*v)).collect();
        let mut outcome = Outcome::default();
        result.outputs.clear();
        result.payback.clear();
        // Eight iterations per evaluation of the engine, one in each lane.
        for first in (0..BLOCK).step_by(LANES) {
            for lane in 0..LANES {
                let draw = &draws[(first + lane) * k..(first + lane + 1) * k];
                for (variable, value) in variables.iter().zip(draw) {
                    for (slot, apply) in &variable.targets {
                        params[*slot].0[lane] = match apply {
                            Apply::Set => *value,
                            Apply::Factor => base[*slot] * value,
                        };
                    }
                }
            }
            evaluate_into(model, &params, &mut outcome);
            for lane in 0..LANES {
                record(&outcome, lane, &mut result.outputs);
                let payback =
                    payback_index(outcome.totals.iter().map(|t| t.cumulative_net.0[lane]), 0.0);
                result
                    .payback
                    .push(payback.map_or(u8::MAX, |y| y.min(254) as u8));
            }
        }
    };

    let total = settings.iterations as usize;
    let mut samples = Samples {
        outputs: layout.clone(),
        columns: (0..m).map(|_| Vec::with_capacity(total)).collect(),
        payback: Vec::with_capacity(total),
        inputs: vec![Vec::new(); if settings.keep_inputs { k } else { 0 }],
    };
    let cumulative_column = layout
        .iter()
        .position(|o| o.measure == Measure::CumulativeNet && o.year.is_none())
        .expect("in layout");
    let (mut sum, mut sum_sq) = (0.0f64, 0.0f64);
    let blocks = total.div_ceil(BLOCK) as u64;
    let mut next = 0u64;
    let mut buffers: Vec<BlockResult> = (0..GROUP_BLOCKS)
        .map(|_| BlockResult {
            outputs: Vec::with_capacity(BLOCK * m),
            payback: Vec::with_capacity(BLOCK),
            inputs: Vec::with_capacity(BLOCK * k),
        })
        .collect();
    while next < blocks {
        let group_end = (next + GROUP_BLOCKS as u64).min(blocks);
        let count = (group_end - next) as usize;
        buffers[..count]
            .par_iter_mut()
            .enumerate()
            .for_each(|(i, buffer)| run_block(next + i as u64, buffer));
        for result in &buffers[..count] {
            let keep = (total - samples.len()).min(BLOCK);
            let rows = result.outputs.chunks_exact(m).take(keep);
            for (c, column) in samples.columns.iter_mut().enumerate() {
                column.extend(rows.clone().map(|row| row[c]));
            }
            for x in rows.map(|row| row[cumulative_column]) {
                sum += x;
                sum_sq += x * x;
            }
            // `samples.inputs` is empty unless the draws are to be kept.
            for (v, column) in samples.inputs.iter_mut().enumerate() {
                column.extend(result.inputs.chunks_exact(k).take(keep).map(|row| row[v]));
            }
            samples.payback.extend_from_slice(&result.payback[..keep]);
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
