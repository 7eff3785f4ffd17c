//! The whole pipeline on arbitrary bytes, for the fuzz targets (`fuzz/`) and the replay of
//! their regressions (`tests/fuzz-regressions/`): whatever the bytes, these functions return
//! (an error is fine); a panic, a hang or unbounded memory is a bug.

use crate::export::{Format, render_track};
use crate::model::evaluate;
use crate::number::Num;
use crate::report::Report;
use crate::scenario::{Scenario, load_from_str};
use crate::simulate::stats;
use crate::track::{TrackOptions, actuals, build};
use std::path::Path;

const FORMATS: [Format; 4] = [Format::Table, Format::Csv, Format::Json, Format::Markdown];

/// Reads `bytes` as a scenario (named `fuzz.yaml`, so `extends` looks in the working folder),
/// then evaluates it exactly and in f64, renders every format, and draws from its
/// distributions. Returns the scenario when it loads.
pub fn scenario_bytes(bytes: &[u8]) -> Option<Scenario> {
    let text = std::str::from_utf8(bytes).ok()?;
    let scenario = load_from_str(Path::new("fuzz.yaml"), text).ok()?;
    let _ = crate::listing::lines(&scenario);
    if let Ok(report) = Report::build(&scenario) {
        for format in FORMATS {
            let _ = format.exporter().render(&report);
        }
    }
    let floats: Vec<f64> = scenario
        .params
        .values
        .iter()
        .map(|v| f64::from_decimal(*v))
        .collect();
    let _ = evaluate(&scenario.model, &floats).is_valid();
    sample_extremes(&scenario, &floats);
    Some(scenario)
}

/// Sets every uncertain input to its distribution's quantiles from the far tails to the
/// middle, evaluates each, and summarises the results as `simulate` does.
fn sample_extremes(scenario: &Scenario, base: &[f64]) {
    use crate::scenario::uncertain::Apply;
    let uncertainty = &scenario.uncertainty;
    if uncertainty.variables.is_empty() {
        return;
    }
    let _ = uncertainty.copula_factor();
    let mut net = Vec::new();
    for u in [1e-12, 0.01, 0.3, 0.5, 0.7, 0.99, 1.0 - 1e-12] {
        let mut params = base.to_vec();
        for variable in &uncertainty.variables {
            let value = variable.distribution.quantile(u);
            for (slot, apply) in &variable.targets {
                params[*slot] = match apply {
                    Apply::Set => value,
                    Apply::Factor => base[*slot] * value,
                };
            }
        }
        let outcome = evaluate(&scenario.model, &params);
        net.extend(outcome.totals.last().map(|t| t.cumulative_net));
    }
    let summary = stats::summarize(&net, true);
    let mut windows = crate::simulate::windows::Windows::around(&net, true, 0.0);
    for rank in stats::wanted_ranks(net.len() as u64, true) {
        let _ = windows.at(rank);
    }
    let anchor = crate::simulate::histogram::Anchor::over(&net);
    let mut counts = crate::simulate::histogram::Counts::default();
    counts.count(&anchor, &net);
    let _ = counts.bins(&anchor, summary.min, summary.max);
}

/// Reads `bytes` as an actuals CSV against `plan` and tracks it, rendering every format.
pub fn actuals_bytes(plan: &Scenario, bytes: &[u8]) {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let Ok(read) = actuals::parse(Path::new("fuzz.csv"), text, &plan.model) else {
        return;
    };
    for actual_rates in [false, true] {
        let options = TrackOptions {
            actual_rates,
            ..TrackOptions::default()
        };
        if let Ok(report) = build(plan, &read, &options) {
            for format in FORMATS {
                let _ = render_track(&report, format);
            }
        }
    }
}
