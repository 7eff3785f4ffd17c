//! The Monte Carlo's statistics gathered as its blocks arrive, so that a run's memory grows
//! like the square root of its iterations rather than with them: each block's outputs are
//! reduced on the worker that made them (moments, window counts, payback years, thresholds,
//! histogram) and combined on one thread in block order, the same bits on any thread count.

mod block;
mod finish;

use self::block::{Tally, Workers};
use super::histogram::{Anchor, Counts};
use super::kernel::Isa;
use super::run::{Measure, OutputId, RunSettings, Simulation};
use super::sampler::BLOCK;
use super::samples::{NoSamples, SampleSink};
use super::stats::{Bin, Moments, Summary};
use super::windows::{REACH, Windows};
use crate::scenario::Scenario;
use rayon::prelude::*;

/// Iterations over which achieved rank correlations are measured (the first ones).
pub const ACHIEVED_SAMPLE: usize = 65_536;

/// Iterations whose draws and headline output are kept for the run's own sensitivity
/// (rank correlations, contributions to variance, the decile tornado): the first ones.
pub const INFLUENCE_SAMPLE: usize = 131_072;

/// Blocks between two looks at progress and precision.
const GROUP_BLOCKS: u64 = 16;

/// Everything a report needs from a run.
#[derive(Debug, Clone, PartialEq)]
pub struct Collected {
    /// Iterations run.
    pub iterations: u64,
    /// The outputs, in the order of `summaries`.
    pub outputs: Vec<OutputId>,
    pub summaries: Vec<Summary>,
    /// Iterations paying back in each year of the horizon, then those that do not within it.
    pub payback: Vec<u64>,
    /// Each threshold of cumulative net benefit, with the iterations at or above it.
    pub at_least: Vec<(f64, u64)>,
    /// Histogram of cumulative net benefit over the horizon.
    pub histogram: Vec<Bin>,
    /// Each variable's draws in the first `keep_inputs` iterations, at most
    /// [`INFLUENCE_SAMPLE`] of them (for achieved rank correlations and sensitivity).
    pub inputs: Vec<Vec<f64>>,
    /// Cumulative net benefit over the horizon in those iterations.
    pub headline: Vec<f64>,
    /// Values the percentile windows held at the end (the run's memory, besides `inputs`).
    pub kept_values: usize,
    /// Whether a percentile fell outside its window and took a second pass.
    pub second_pass: bool,
}

/// An iteration whose outputs are not finite numbers: a draw led the model to divide by zero
/// or overflow. No statistic of such a run would mean anything.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error(
    "iteration {iteration} gave {output} that is not a finite number: its draws lead the model \
     to divide by zero or overflow (narrow the distributions that feed it)"
)]
pub struct NonFinite {
    pub iteration: u64,
    pub output: String,
}

/// Why a run stopped short.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    #[error(transparent)]
    NonFinite(#[from] NonFinite),
    /// The sink given every iteration failed (a `--samples` file could not be written).
    #[error("writing the samples: {0}")]
    Samples(#[source] std::io::Error),
}

/// How the statistics are gathered; tests narrow `reach` to force the second pass.
#[derive(Debug, Clone)]
pub struct Collecting {
    /// Thresholds of cumulative net benefit whose probabilities are wanted.
    pub thresholds: Vec<f64>,
    pub(crate) reach: f64,
}

impl Collecting {
    pub fn new(thresholds: Vec<f64>) -> Collecting {
        Collecting {
            thresholds,
            reach: REACH,
        }
    }
}

/// The run's statistics so far.
struct Totals {
    moments: Vec<Moments>,
    windows: Vec<Windows>,
    payback: Vec<u64>,
    at_least: Vec<u64>,
    anchor: Anchor,
    histogram: Counts,
    /// Each variable's first draws, at most [`INFLUENCE_SAMPLE`].
    inputs: Vec<Vec<f64>>,
    /// Horizon cumulative net benefit in the same iterations.
    headline: Vec<f64>,
    done: u64,
}

/// Where the group of blocks from `start` ends: after at most [`GROUP_BLOCKS`], and at each
/// power of four, where the windows narrow.
fn next_group(start: u64, blocks: u64) -> u64 {
    let mut narrow_at = 4;
    while narrow_at <= start {
        narrow_at *= 4;
    }
    (start + GROUP_BLOCKS).min(narrow_at).min(blocks)
}

fn is_power_of_four(blocks: u64) -> bool {
    blocks.is_power_of_two() && blocks.trailing_zeros().is_multiple_of(2)
}

struct Run<'a> {
    simulation: Simulation<'a>,
    settings: &'a RunSettings,
    collecting: &'a Collecting,
    /// Where horizon cumulative net benefit is in the layout.
    cumulative: usize,
    /// The outputs whose values are computed apart: an output the same as an earlier one
    /// (horizon cumulative net benefit is the last year's) shares its statistics.
    distinct: Vec<usize>,
    /// For each output, its index in `distinct`.
    group_of: Vec<usize>,
    /// For each distinct output, whether any output it stands for wants percentile errors.
    with_errors: Vec<bool>,
    total: u64,
}

/// Runs the simulation and gathers its statistics; `on_group` is told the iterations done so
/// far.
pub fn collect(
    scenario: &Scenario,
    settings: &RunSettings,
    collecting: &Collecting,
    on_group: impl FnMut(u64),
) -> Result<Collected, NonFinite> {
    collect_with(
        scenario,
        settings,
        collecting,
        Isa::detect(),
        &mut NoSamples,
        on_group,
    )
    .map_err(|error| match error {
        CollectError::NonFinite(error) => error,
        CollectError::Samples(_) => unreachable!("no sink, so no sink error"),
    })
}

/// [`collect`] with the instruction set chosen, handing every iteration to `sink` in order as
/// it goes.
pub fn collect_with<S: SampleSink>(
    scenario: &Scenario,
    settings: &RunSettings,
    collecting: &Collecting,
    isa: Isa,
    sink: &mut S,
    mut on_group: impl FnMut(u64),
) -> Result<Collected, CollectError> {
    let simulation = Simulation::new(scenario, settings, isa);
    let layout = simulation.layout.clone();
    let cumulative = layout
        .iter()
        .position(|o| o.measure == Measure::CumulativeNet && o.year.is_none())
        .expect("in layout");
    let same_as = simulation.same_as();
    let distinct: Vec<usize> = (0..layout.len()).filter(|o| same_as[*o] == *o).collect();
    let group_of: Vec<usize> = same_as
        .iter()
        .map(|first| distinct.binary_search(first).expect("a distinct output"))
        .collect();
    let mut with_errors = vec![false; distinct.len()];
    for (output, group) in layout.iter().zip(&group_of) {
        with_errors[*group] |= output.year.is_none();
    }
    let run = Run {
        distinct,
        group_of,
        with_errors,
        simulation,
        settings,
        collecting,
        cumulative,
        total: settings.iterations,
    };
    let blocks = run.total.div_ceil(BLOCK as u64);

    let workers = Workers::new(&run.simulation);
    // The first block alone: its values place the windows and the histogram's bins.
    let mut first = workers.get();
    let mut first_tally = run.tally(&mut first, 0, None, &*sink);
    if let Some(error) = first_tally.non_finite {
        return Err(error.into());
    }
    let len = first_tally.len;
    let windows: Vec<Windows> = (run.distinct.iter().zip(&run.with_errors))
        .map(|(o, errors)| Windows::around(first.column(*o, len), *errors, collecting.reach))
        .collect();
    let anchor = Anchor::over(first.column(cumulative, len));
    let mut histogram = Counts::default();
    histogram.count(&anchor, first.column(cumulative, len));
    let mut totals = Totals {
        moments: vec![Moments::EMPTY; run.distinct.len()],
        windows,
        payback: vec![0; scenario.model.years + 1],
        at_least: vec![0; collecting.thresholds.len()],
        anchor,
        histogram,
        inputs: vec![
            Vec::new();
            if settings.keep_inputs > 0 {
                run.simulation.variables()
            } else {
                0
            }
        ],
        headline: Vec::new(),
        done: 0,
    };
    // The windows counted the first block when they were placed.
    first_tally.hand_over(sink)?;
    totals.absorb(first_tally);
    drop(first);
    on_group(totals.done);

    let mut next = 1;
    while next < blocks && !run.precise_enough(&totals) {
        let end = next_group(next, blocks);
        let shared = &*sink;
        let tallies: Vec<Tally<S::Prepared>> = (next..end)
            .into_par_iter()
            .map(|index| run.tally(&mut workers.get(), index, Some(&totals), shared))
            .collect();
        // Each output's windows take the blocks in order, the outputs side by side.
        if let Some(error) = tallies.iter().find_map(|t| t.non_finite.clone()) {
            return Err(error.into());
        }
        totals
            .windows
            .par_iter_mut()
            .enumerate()
            .for_each(|(d, windows)| {
                for tally in &tallies {
                    windows.add(&tally.additions[d], tally.len as u64);
                }
            });
        for mut tally in tallies {
            tally.hand_over(sink)?;
            totals.absorb(tally);
        }
        if is_power_of_four(end) {
            let with_errors = &run.with_errors;
            totals
                .windows
                .par_iter_mut()
                .enumerate()
                .for_each(|(d, windows)| windows.narrow(with_errors[d], collecting.reach));
        }
        next = end;
        on_group(totals.done);
    }
    Ok(run.finish(totals))
}

impl Run<'_> {
    /// The standard error of mean cumulative net benefit so far, which `--precision` bounds.
    fn standard_error(&self, totals: &Totals) -> Option<f64> {
        totals.moments[self.group_of[self.cumulative]].se_mean()
    }

    fn precise_enough(&self, totals: &Totals) -> bool {
        self.settings
            .precision
            .is_some_and(|p| self.standard_error(totals).is_some_and(|se| se < p))
    }
}

impl Totals {
    /// Adds a block's tally, in block order, but for its window additions (which the run adds
    /// itself, an output a thread).
    /// The run checks each tally for a non-finite output first.
    fn absorb<P>(&mut self, tally: Tally<P>) {
        for (total, block) in self.moments.iter_mut().zip(&tally.moments) {
            total.add(block);
        }
        for (total, block) in self.payback.iter_mut().zip(&tally.payback) {
            *total += block;
        }
        for (total, block) in self.at_least.iter_mut().zip(&tally.at_least) {
            *total += block;
        }
        self.histogram.add(&tally.histogram);
        for (kept, block) in self.inputs.iter_mut().zip(&tally.inputs) {
            kept.extend_from_slice(block);
        }
        self.headline.extend_from_slice(&tally.headline);
        self.done += tally.len as u64;
    }
}
