//! The end of a run: each output's percentiles read from its windows, or from a second pass
//! over the blocks when one fell outside them, and the report's statistics put together.

use super::block::Workers;
use super::{Collected, Run, Totals};
use crate::simulate::sampler::BLOCK;
use crate::simulate::stats::{Summary, wanted_ranks};
use crate::simulate::windows::Windows;
use rayon::prelude::*;

impl Run<'_> {
    pub(super) fn finish(&self, mut totals: Totals) -> Collected {
        let n = totals.done;
        // Each distinct output's values at the ranks any output it stands for wants.
        let found: Vec<Option<Vec<f64>>> = totals
            .windows
            .par_iter_mut()
            .enumerate()
            .map(|(d, windows)| {
                wanted_ranks(n, self.with_errors[d])
                    .into_iter()
                    .map(|rank| windows.at(rank))
                    .collect()
            })
            .collect();
        let missing: Vec<usize> = (0..found.len()).filter(|d| found[*d].is_none()).collect();
        let mut at_wanted: Vec<Vec<f64>> =
            found.into_iter().map(Option::unwrap_or_default).collect();
        let kept_values = totals.windows.iter().map(|w| w.kept()).sum();
        if !missing.is_empty() {
            for (d, values) in missing.iter().zip(self.second_pass(&totals, &missing)) {
                at_wanted[*d] = values;
            }
        }
        let summaries = self
            .simulation
            .layout
            .iter()
            .zip(&self.group_of)
            .map(|(output, d)| {
                let errors = output.year.is_none();
                let ranks = wanted_ranks(n, self.with_errors[*d]);
                let values: Vec<f64> = wanted_ranks(n, errors)
                    .into_iter()
                    .map(|rank| at_wanted[*d][ranks.binary_search(&rank).expect("wanted")])
                    .collect();
                Summary::new(&totals.moments[*d], errors, &values)
            })
            .collect();
        let years = self.simulation.years();
        let cumulative = &totals.moments[self.group_of[self.cumulative]];
        let collected = Collected {
            iterations: n,
            outputs: self.simulation.layout.clone(),
            summaries,
            payback: totals.payback.clone(),
            at_least: self
                .collecting
                .thresholds
                .iter()
                .copied()
                .zip(totals.at_least.iter().copied())
                .collect(),
            histogram: totals
                .histogram
                .bins(&totals.anchor, cumulative.min, cumulative.max),
            inputs: std::mem::take(&mut totals.inputs),
            headline: std::mem::take(&mut totals.headline),
            kept_values,
            second_pass: !missing.is_empty(),
        };
        debug_assert_eq!(collected.payback.len(), years + 1);
        collected
    }

    /// Runs the blocks again, keeping every value of the outputs in `missing`: the values at
    /// the wanted ranks of each, in order.
    fn second_pass(&self, totals: &Totals, missing: &[usize]) -> Vec<Vec<f64>> {
        let n = totals.done;
        let blocks = n.div_ceil(BLOCK as u64);
        let mut windows: Vec<Windows> = missing
            .iter()
            .map(|d| Windows::everything(totals.moments[*d].min, totals.moments[*d].max))
            .collect();
        let workers = Workers::new(&self.simulation);
        let additions: Vec<Vec<(crate::simulate::windows::Additions, u64)>> = (0..blocks)
            .into_par_iter()
            .map(|index| {
                let mut worker = workers.get();
                let start = index * BLOCK as u64;
                let len = (n - start).min(BLOCK as u64) as usize;
                worker.evaluate(&self.simulation, index, len, false);
                let isa = self.simulation.isa();
                missing
                    .iter()
                    .zip(&windows)
                    .map(|(d, w)| {
                        let column = worker.column(self.distinct[*d], len);
                        (w.additions(isa, column), len as u64)
                    })
                    .collect()
            })
            .collect();
        for block in additions {
            for (w, (a, len)) in windows.iter_mut().zip(block) {
                w.add(&a, len);
            }
        }
        missing
            .iter()
            .zip(&mut windows)
            .map(|(d, w)| {
                wanted_ranks(n, self.with_errors[*d])
                    .into_iter()
                    .map(|rank| w.at(rank).expect("one window holds every value"))
                    .collect()
            })
            .collect()
    }
}
