//! One block of the run on a worker: its outputs evaluated into the worker's own buffers,
//! then reduced to a [`Tally`] of what it adds to the statistics.

use super::{CollectError, INFLUENCE_SAMPLE, NonFinite, Run, Totals};
use crate::simulate::histogram::Counts;
use crate::simulate::run::{BlockView, OutputId, Scratch, Simulation};
use crate::simulate::sampler::BLOCK;
use crate::simulate::samples::{BlockSamples, SampleSink};
use crate::simulate::stats::Moments;
use std::sync::{Mutex, MutexGuard};

/// One block's outputs, made by a worker into its own buffers.
pub(super) struct Worker {
    scratch: Scratch,
    /// One column of `BLOCK` per output.
    columns: Vec<f64>,
    payback: Vec<u8>,
    inputs: Vec<f64>,
}

impl Worker {
    fn new(simulation: &Simulation) -> Worker {
        Worker {
            scratch: simulation.scratch(),
            columns: vec![0.0; simulation.layout.len() * BLOCK],
            payback: vec![0; BLOCK],
            inputs: vec![0.0; simulation.variables() * BLOCK],
        }
    }

    /// Evaluates block `index`'s first `len` iterations (and copies their draws with
    /// `with_inputs`).
    pub(super) fn evaluate(
        &mut self,
        simulation: &Simulation,
        index: u64,
        len: usize,
        with_inputs: bool,
    ) {
        let view = BlockView {
            index,
            outputs: self
                .columns
                .chunks_mut(BLOCK)
                .map(|c| &mut c[..len])
                .collect(),
            payback: &mut self.payback[..len],
            inputs: if with_inputs {
                self.inputs
                    .chunks_mut(BLOCK)
                    .map(|c| &mut c[..len])
                    .collect()
            } else {
                Vec::new()
            },
        };
        simulation.run_block(&mut self.scratch, view);
    }

    pub(super) fn column(&self, output: usize, len: usize) -> &[f64] {
        &self.columns[output * BLOCK..][..len]
    }

    /// Each variable's first `len` draws of the block; none for `len` 0 (nothing was copied).
    fn inputs(&self, len: usize) -> Vec<&[f64]> {
        if len == 0 {
            return Vec::new();
        }
        self.inputs.chunks(BLOCK).map(|c| &c[..len]).collect()
    }
}

/// A worker for each thread of the pool, made once: a block's buffers are a megabyte.
pub(super) struct Workers(Vec<Mutex<Worker>>);

impl Workers {
    pub(super) fn new(simulation: &Simulation) -> Workers {
        Workers(
            (0..rayon::current_num_threads().max(1))
                .map(|_| Mutex::new(Worker::new(simulation)))
                .collect(),
        )
    }

    /// The calling thread's worker (uncontended: each thread takes only its own).
    pub(super) fn get(&self) -> MutexGuard<'_, Worker> {
        let index = rayon::current_thread_index().unwrap_or(0) % self.0.len();
        self.0[index]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// What one block adds to the run's statistics, and what a sink prepared of it.
pub(super) struct Tally<P> {
    pub(super) len: usize,
    pub(super) moments: Vec<Moments>,
    pub(super) additions: Vec<crate::simulate::windows::Additions>,
    pub(super) payback: Vec<u64>,
    pub(super) at_least: Vec<u64>,
    pub(super) histogram: Counts,
    pub(super) non_finite: Option<NonFinite>,
    /// What the sink made of the block, taken when the block is absorbed.
    prepared: Option<P>,
    /// The block's draws among the first [`INFLUENCE_SAMPLE`] iterations, column by column.
    pub(super) inputs: Vec<Vec<f64>>,
    /// Horizon cumulative net benefit in those iterations.
    pub(super) headline: Vec<f64>,
}

impl Run<'_> {
    /// Evaluates block `index` and reduces it (counting it against the windows, once they
    /// are placed).
    pub(super) fn tally<S: SampleSink>(
        &self,
        worker: &mut Worker,
        index: u64,
        totals: Option<&Totals>,
        sink: &S,
    ) -> Tally<S::Prepared> {
        let start = index * BLOCK as u64;
        let len = (self.total - start).min(BLOCK as u64) as usize;
        let kept_inputs = (self.settings.keep_inputs.saturating_sub(start) as usize).min(len);
        worker.evaluate(&self.simulation, index, len, kept_inputs > 0);
        // Only the first draws are kept past the block, for achieved rank correlations and
        // the run's own sensitivity.
        let achieved = kept_inputs.min(INFLUENCE_SAMPLE.saturating_sub(start as usize));
        let isa = self.simulation.isa();
        let moments: Vec<Moments> = (self.distinct.iter())
            .map(|o| Moments::of_with(isa, worker.column(*o, len)))
            .collect();
        let non_finite = moments.iter().position(|m| !m.sum.is_finite()).map(|d| {
            let o = self.distinct[d];
            let at = worker.column(o, len).iter().position(|x| !x.is_finite());
            NonFinite {
                iteration: start + at.unwrap_or(0) as u64 + 1,
                output: describe(&self.simulation.layout[o]),
            }
        });
        let cumulative = worker.column(self.cumulative, len);
        let mut payback = vec![0u64; self.simulation.years() + 1];
        let none = payback.len() - 1;
        for year in &worker.payback[..len] {
            payback[(*year as usize).min(none)] += 1;
        }
        let mut tally = Tally {
            len,
            additions: match totals {
                Some(totals) if non_finite.is_none() => (self.distinct.iter())
                    .zip(&totals.windows)
                    .map(|(o, windows)| windows.additions(isa, worker.column(*o, len)))
                    .collect(),
                _ => Vec::new(),
            },
            moments,
            payback,
            at_least: self
                .collecting
                .thresholds
                .iter()
                .map(|t| cumulative.iter().filter(|x| **x >= *t).count() as u64)
                .collect(),
            histogram: Counts::default(),
            non_finite,
            prepared: sink.wants_blocks().then(|| {
                sink.prepare(&BlockSamples {
                    first: start,
                    outputs: &self.simulation.layout,
                    columns: (0..self.simulation.layout.len())
                        .map(|o| worker.column(o, len))
                        .collect(),
                    payback: &worker.payback[..len],
                    inputs: worker.inputs(kept_inputs),
                })
            }),
            inputs: (worker.inputs(achieved).into_iter())
                .map(<[f64]>::to_vec)
                .collect(),
            headline: cumulative[..achieved].to_vec(),
        };
        if let Some(totals) = totals {
            tally.histogram.count(&totals.anchor, cumulative);
        }
        tally
    }
}

impl<P> Tally<P> {
    /// Gives the sink what it prepared of this block, which the run is about to absorb.
    pub(super) fn hand_over<S: SampleSink<Prepared = P>>(
        &mut self,
        sink: &mut S,
    ) -> Result<(), CollectError> {
        match self.prepared.take() {
            Some(prepared) => sink.take(prepared).map_err(CollectError::Samples),
            None => Ok(()),
        }
    }
}

/// An output as a reader would name it, e.g. `cost in year 2`.
fn describe(output: &OutputId) -> String {
    match output.year {
        Some(t) => format!("{} in year {}", output.measure.key(), t + 1),
        None => format!("{} over the horizon", output.measure.key()),
    }
}
