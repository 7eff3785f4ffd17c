//! The result of a Monte Carlo run as a serializable struct, built from its statistics.

use super::collect::{ACHIEVED_SAMPLE, Collected};
use super::influence::{Influence, influence};
use super::run::{Measure, RunSettings};
use super::stats::{Bin, Summary};
use crate::scenario::Scenario;
use crate::scenario::uncertain::Sampling;
use serde::Serialize;

/// A Monte Carlo run of a scenario.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SimulationReport {
    /// The scenario's name.
    pub scenario: String,
    /// The scenario file.
    pub file: String,
    /// Iterations run (fewer than asked when `--precision` was met first).
    pub iterations: u64,
    /// The seed: the same seed gives the same report on any machine and thread count.
    pub seed: u64,
    /// `random` or `latin_hypercube`.
    pub sampling: Sampling,
    /// The precision asked for (standard error of mean cumulative net benefit), if any.
    #[serde(serialize_with = "crate::export::schema::money::given_option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub precision: Option<f64>,
    /// With a precision asked for: whether the run ended with the standard error below it
    /// (`false`: it stopped at the cap of iterations first, or the error is undefined);
    /// `null` when none was asked for.
    pub precision_reached: Option<bool>,
    /// With a precision asked for: the standard error of mean cumulative net benefit the run
    /// ended with (`null` when none was asked for, or with fewer than two iterations).
    #[serde(serialize_with = "crate::export::schema::money::option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub precision_achieved: Option<f64>,
    /// Each uncertain input: its name, distribution and reason.
    pub inputs: Vec<InputReport>,
    /// Rank correlations asked for between inputs.
    pub correlations: Vec<CorrelationReport>,
    /// Statistics of each output, per year and over the horizon.
    pub outputs: Vec<OutputReport>,
    /// Probabilities of reaching thresholds of cumulative net benefit.
    pub probabilities: Vec<ProbabilityReport>,
    /// Share of iterations paying back in each year (`null`: not within the horizon).
    pub payback: Vec<PaybackShare>,
    /// Histogram of cumulative net benefit over the horizon.
    pub histogram: Vec<Bin>,
    /// The run's own sensitivity of cumulative net benefit over the horizon to each input,
    /// from the first iterations (`null` with fewer than ten, or no uncertain input).
    pub sensitivity: Option<Influence>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InputReport {
    /// Input path (with the year for per-year draws).
    pub name: String,
    /// The distribution, e.g. `triangular(1.5, 2, 2.5)`; `x` marks a factor on the base value.
    pub distribution: String,
    /// Why this range (from the scenario file).
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct CorrelationReport {
    /// The two input paths.
    pub inputs: [String; 2],
    /// Target Spearman rank correlation.
    pub target: f64,
    /// Rank correlation of the draws actually used, over the first 65,536 iterations; `null`
    /// where undefined (fewer than two iterations, or an input whose draws do not vary).
    pub achieved: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OutputReport {
    /// `benefit`, `cost`, `net`, `cumulative_net`, `closing_users` or `npv`.
    pub output: String,
    /// The financial year, or `null` for the whole horizon.
    pub year: Option<String>,
    /// Mean, standard deviation, extremes and percentiles with standard errors.
    #[serde(flatten)]
    pub summary: Summary,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct ProbabilityReport {
    /// What is measured, e.g. `cumulative_net >= 2000000`.
    pub event: String,
    /// The threshold.
    #[serde(serialize_with = "crate::export::schema::money::given")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub threshold: f64,
    /// Share of iterations meeting it.
    pub probability: f64,
    /// Binomial standard error of that share; `null` with fewer than two iterations.
    pub se: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct PaybackShare {
    /// The payback year, or `null` for not within the horizon.
    pub year: Option<String>,
    /// Share of iterations.
    pub share: f64,
}

impl SimulationReport {
    pub fn build(
        scenario: &Scenario,
        settings: &RunSettings,
        collected: &Collected,
    ) -> SimulationReport {
        let model = &scenario.model;
        let outputs = collected
            .outputs
            .iter()
            .zip(&collected.summaries)
            .map(|(id, summary)| OutputReport {
                output: id.measure.key().to_string(),
                year: id.year.map(|t| model.year_label(t)),
                summary: summary.clone(),
            })
            .collect();
        let n = collected.iterations as f64;
        let probabilities = collected
            .at_least
            .iter()
            .map(|(threshold, count)| {
                let probability = *count as f64 / n;
                ProbabilityReport {
                    event: format!("cumulative_net >= {threshold}"),
                    threshold: *threshold,
                    probability,
                    se: (collected.iterations > 1)
                        .then(|| (probability * (1.0 - probability) / n).sqrt()),
                }
            })
            .collect();
        let payback: Vec<PaybackShare> = collected
            .payback
            .iter()
            .enumerate()
            .map(|(t, count)| PaybackShare {
                year: (t < model.years).then(|| model.year_label(t)),
                share: *count as f64 / n,
            })
            .collect();
        let variables = &scenario.uncertainty.variables;
        let inputs = variables
            .iter()
            .map(|v| {
                let factor = v
                    .targets
                    .iter()
                    .any(|(_, a)| *a == crate::scenario::uncertain::Apply::Factor);
                InputReport {
                    name: v.name.clone(),
                    distribution: if factor {
                        format!("x {}", v.distribution.describe())
                    } else {
                        v.distribution.describe()
                    },
                    reason: v.reason.clone(),
                }
            })
            .collect();
        let correlations = scenario
            .uncertainty
            .correlations
            .iter()
            .map(|(a, b, r)| {
                let column = |name: &str| {
                    variables
                        .iter()
                        .position(|v| v.input == name)
                        .and_then(|i| collected.inputs.get(i))
                };
                let achieved = match (column(a), column(b)) {
                    (Some(x), Some(y)) if !x.is_empty() => {
                        let n = x.len().min(ACHIEVED_SAMPLE);
                        super::correlation::rank_correlation(&x[..n], &y[..n])
                    }
                    _ => None,
                };
                CorrelationReport {
                    inputs: [a.clone(), b.clone()],
                    target: *r,
                    achieved,
                }
            })
            .collect();
        // The figure `--precision` bounds: the horizon's mean cumulative net benefit.
        let achieved = settings.precision.and_then(|_| {
            collected
                .outputs
                .iter()
                .zip(&collected.summaries)
                .find(|(id, _)| id.measure == Measure::CumulativeNet && id.year.is_none())
                .and_then(|(_, s)| s.se_mean)
        });
        SimulationReport {
            scenario: scenario.name.clone(),
            file: scenario.path().display().to_string(),
            iterations: collected.iterations,
            seed: settings.seed,
            sampling: settings.sampling,
            precision: settings.precision,
            precision_reached: settings
                .precision
                .map(|p| achieved.is_some_and(|se| se < p)),
            precision_achieved: achieved,
            inputs,
            correlations,
            outputs,
            probabilities,
            payback,
            histogram: collected.histogram.clone(),
            sensitivity: (!variables.is_empty() && collected.inputs.len() == variables.len())
                .then(|| {
                    let names: Vec<String> = variables.iter().map(|v| v.name.clone()).collect();
                    influence(&names, &collected.inputs, &collected.headline)
                })
                .flatten(),
        }
    }
}
