//! `tec-model sensitivity`: variance-based (Sobol') sensitivity of amount outputs to the
//! scenario's uncertain inputs: for each input (or correlated group), the share of the
//! output's variance it explains alone (first order) and with every interaction it takes
//! part in (total order), from Saltelli's design ([`design`]) with Jansen's estimators and
//! bootstrap intervals ([`estimate`]), evaluated through the traced engine.

pub mod design;
pub mod estimate;
pub mod render;

#[cfg(test)]
mod tests;

use self::design::Design;
use self::estimate::{Evaluations, estimate};
use crate::scenario::Scenario;
use crate::sensitivity::SensitivityError;
use crate::simulate::batch::Batch;
use crate::simulate::collect::NonFinite;
use crate::simulate::figures::Figure;
use crate::simulate::groups::{Group, groups};
use crate::simulate::kernel::Isa;
use serde::Serialize;

/// Outputs when none are chosen.
pub const DEFAULT_OUTPUTS: [&str; 2] = ["summary.cumulative_net", "summary.npv"];
/// Base samples N when none are asked for: 2^14.
pub const DEFAULT_BASE: u64 = 1 << 14;
/// The largest N: 2^20 (memory grows as N (groups + 2) outputs).
pub const MAX_BASE: u64 = 1 << 20;
/// Bootstrap resamples for the intervals.
pub const RESAMPLES: usize = 500;

/// What to run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// N, a power of two.
    pub base: u64,
    pub seed: u64,
    pub design: Design,
    pub resamples: usize,
}

/// Why the analysis cannot run.
#[derive(Debug, thiserror::Error)]
pub enum SobolError {
    #[error(transparent)]
    Output(#[from] SensitivityError),
    #[error(
        "{file}: the scenario has no `uncertain` section: give some inputs a distribution (see docs/analysis.md, Monte Carlo) to measure their share of the variance"
    )]
    NothingUncertain { file: String },
    #[error(
        "{file}: the Sobol' sequence has {max} dimensions, and Saltelli's design needs two for each of the scenario's {variables} uncertain draws; use --sampling random"
    )]
    TooManyDimensions {
        file: String,
        variables: usize,
        max: usize,
    },
    #[error("{file}: {error}")]
    NonFinite { file: String, error: NonFinite },
}

/// One group's indices of one output, with 95% bootstrap intervals.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct IndexReport {
    /// The input path, or the correlated inputs joined by ` + `.
    pub input: String,
    /// True for a group of correlated inputs, whose indices are the group's together.
    pub correlated: bool,
    pub first_order: f64,
    pub first_order_low: f64,
    pub first_order_high: f64,
    pub total_order: f64,
    pub total_order_low: f64,
    pub total_order_high: f64,
}

/// One output's analysis.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OutputReport {
    /// The output's full name, e.g. `summary.cumulative_net`.
    pub output: String,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub mean: f64,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub variance: f64,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub sd: f64,
    /// Ranked by total order, largest first; empty when the output does not vary.
    pub indices: Vec<IndexReport>,
    /// The sum of first-order indices (1 for an additive model).
    pub sum_first_order: Option<f64>,
    /// The sum of total-order indices (at least 1 for independent groups; above 1 with
    /// interactions).
    pub sum_total_order: Option<f64>,
    /// 1 - the sum of first-order indices: the share of variance left to interactions.
    pub interactions: Option<f64>,
}

/// A Sobol' analysis of a scenario.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SobolReport {
    pub scenario: String,
    pub file: String,
    /// N: base samples.
    pub base_samples: u64,
    /// N (groups + 2) model evaluations.
    pub evaluations: u64,
    pub seed: u64,
    pub sampling: Design,
    pub resamples: usize,
    /// The groups that are sets of correlated inputs.
    pub correlated_groups: Vec<Vec<String>>,
    pub outputs: Vec<OutputReport>,
}

/// Resolves output names to figures of `scenario` (amounts only).
pub fn figures(scenario: &Scenario, names: &[String]) -> Result<Vec<Figure>, SensitivityError> {
    let base = crate::sensitivity::sweep::base_report(scenario)?;
    let names: Vec<&str> = if names.is_empty() {
        DEFAULT_OUTPUTS.to_vec()
    } else {
        names
            .iter()
            .flat_map(|n| n.split(','))
            .filter(|n| !n.trim().is_empty())
            .collect()
    };
    let mut figures = Vec::new();
    for name in names {
        let full = crate::sensitivity::outputs::resolve_amount(
            &base,
            name,
            "variance-based sensitivity needs an amount",
        )?;
        let figure = Figure::parse(&scenario.model, &full).ok_or_else(|| {
            SensitivityError::UnknownOutput {
                name: full.clone(),
                hint: String::new(),
            }
        })?;
        if !figures.iter().any(|f: &Figure| f.name == figure.name) {
            figures.push(figure);
        }
    }
    Ok(figures)
}

/// Runs the analysis.
pub fn analyse(
    scenario: &Scenario,
    figures: Vec<Figure>,
    settings: &Settings,
) -> Result<SobolReport, SobolError> {
    let file = scenario.path().display().to_string();
    let variables = scenario.uncertainty.variables.len();
    if variables == 0 {
        return Err(SobolError::NothingUncertain { file });
    }
    if settings.design == Design::Sobol && 2 * variables > crate::simulate::quasi::MAX_DIMENSIONS {
        return Err(SobolError::TooManyDimensions {
            file,
            variables,
            max: crate::simulate::quasi::MAX_DIMENSIONS,
        });
    }
    let groups: Vec<Group> = groups(&scenario.uncertainty);
    let isa = Isa::detect();
    let batch = Batch::new(scenario, figures, isa);
    let base = settings.base as usize;
    let evaluated = design::evaluate(
        scenario,
        &batch,
        &groups,
        base,
        settings.seed,
        settings.design,
        isa,
    )
    .map_err(|error| SobolError::NonFinite {
        file: file.clone(),
        error,
    })?;
    let outputs = batch
        .figures()
        .iter()
        .enumerate()
        .map(|(f, figure)| {
            let e = Evaluations {
                a: &evaluated.a[f],
                b: &evaluated.b[f],
                ab: evaluated.ab[f].iter().map(Vec::as_slice).collect(),
            };
            let estimates = estimate(&e, settings.resamples, settings.seed);
            let mut indices: Vec<IndexReport> = match &estimates.indices {
                Some(indices) => groups
                    .iter()
                    .zip(indices)
                    .map(|(g, i)| IndexReport {
                        input: g.name.clone(),
                        correlated: g.correlated,
                        first_order: i.first,
                        first_order_low: i.first_interval.0,
                        first_order_high: i.first_interval.1,
                        total_order: i.total,
                        total_order_low: i.total_interval.0,
                        total_order_high: i.total_interval.1,
                    })
                    .collect(),
                None => Vec::new(),
            };
            // Largest total order first; ties keep the scenario's order.
            indices.sort_by(|a, b| b.total_order.total_cmp(&a.total_order));
            let sums = estimates.indices.as_ref().map(|i| {
                (
                    i.iter().map(|x| x.first).sum::<f64>(),
                    i.iter().map(|x| x.total).sum::<f64>(),
                )
            });
            OutputReport {
                output: figure.name.clone(),
                mean: estimates.mean,
                variance: estimates.variance,
                sd: estimates.variance.sqrt(),
                indices,
                sum_first_order: sums.map(|s| s.0),
                sum_total_order: sums.map(|s| s.1),
                interactions: sums.map(|s| 1.0 - s.0),
            }
        })
        .collect();
    Ok(SobolReport {
        scenario: scenario.name.clone(),
        file,
        base_samples: settings.base,
        evaluations: settings.base * (groups.len() as u64 + 2),
        seed: settings.seed,
        sampling: settings.design,
        resamples: settings.resamples,
        correlated_groups: groups
            .iter()
            .filter(|g| g.correlated)
            .map(|g| g.inputs.clone())
            .collect(),
        outputs,
    })
}
