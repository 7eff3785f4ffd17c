//! The `uncertain`, `correlations` and `simulation` sections: which inputs vary in the Monte
//! Carlo, how, and how they move together. `run` ignores them and uses each input's value.

use super::error::suggest;
use super::params::{Domain, Params};
use super::raw::{Amount, Whole};
use crate::simulate::distribution::{Distribution, RawDistribution};
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};

/// One entry of `uncertain`, keyed by input path.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping with one of `distribution`, `factor` or `per_year`"
)]
pub struct RawUncertain {
    /// The input's value is drawn from this distribution (every year alike, for a series).
    pub distribution: Option<RawDistribution>,
    /// The input's value(s) are multiplied by a draw from this distribution.
    pub factor: Option<RawDistribution>,
    /// For a series: one distribution per year, drawn independently.
    pub per_year: Option<Vec<RawDistribution>>,
    pub source: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping such as `{ inputs: [a, b], rank: 0.5 }`"
)]
pub struct RawCorrelation {
    /// Two uncertain input paths.
    pub inputs: Vec<String>,
    /// Spearman rank correlation, -1 to 1.
    pub rank: Amount,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Sampling {
    #[default]
    Random,
    LatinHypercube,
}

crate::keywords!(Sampling { "random" => Random, "latin_hypercube" => LatinHypercube });

#[derive(Debug, Clone, Default, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `iterations`, `seed`, `sampling` and `target`"
)]
pub struct RawSimulation {
    pub iterations: Option<Whole>,
    pub seed: Option<Whole>,
    pub sampling: Option<Sampling>,
    /// A cumulative net benefit to report the probability of reaching.
    pub target: Option<Amount>,
}

/// How a draw reaches a slot of the parameter vector.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Apply {
    Set,
    /// Multiply the slot's base value (as the scenario sets it).
    Factor,
}

/// One random variable: a column of the sample matrix.
#[derive(Debug, Clone)]
pub struct Variable {
    /// The input path, with the year for per-year draws (`users.installs[2023/24]`).
    pub name: String,
    pub input: String,
    pub distribution: Distribution,
    pub targets: Vec<(usize, Apply)>,
    pub reason: Option<String>,
}

/// Everything the Monte Carlo needs beyond the deterministic scenario.
#[derive(Debug, Clone, Default)]
pub struct Uncertainty {
    pub variables: Vec<Variable>,
    /// Pairs of uncertain input paths with their rank correlation.
    pub correlations: Vec<(String, String, f64)>,
    pub iterations: Option<u64>,
    pub seed: Option<u64>,
    pub sampling: Option<Sampling>,
    pub target: Option<rust_decimal::Decimal>,
}

/// A problem with an uncertainty entry, at a key path of its file.
pub struct UncertainError {
    pub keys: Vec<String>,
    pub message: String,
}

fn err(keys: Vec<String>, message: impl Into<String>) -> UncertainError {
    UncertainError {
        keys,
        message: message.into(),
    }
}

impl Uncertainty {
    /// Adds (or replaces, by input path) the entries of one file.
    pub fn add_entries(
        &mut self,
        entries: &[(String, RawUncertain)],
        params: &Params,
        year_label: impl Fn(usize) -> String,
    ) -> Result<(), UncertainError> {
        let index = params.index();
        for (path, raw) in entries {
            let keys = vec!["uncertain".to_string(), path.clone()];
            let slots = index.get(path).cloned().unwrap_or_default();
            if slots.is_empty() {
                let hint = suggest(path, params.paths().iter().copied())
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default();
                return Err(err(
                    keys,
                    format!(
                        "`{path}` is not an input of the scenario{hint}; `tec-model inputs` lists them"
                    ),
                ));
            }
            let shapes = [
                raw.distribution.is_some(),
                raw.factor.is_some(),
                raw.per_year.is_some(),
            ];
            if shapes.iter().filter(|s| **s).count() != 1 {
                return Err(err(
                    keys,
                    "give exactly one of `distribution`, `factor` or `per_year`",
                ));
            }
            let domain = params.info[slots[0]].domain;
            let base = |slot: usize| params.values[slot].to_f64().unwrap_or(f64::NAN);
            let build = |raw: &RawDistribution, keys: &[String]| {
                raw.build().map_err(|m| err(keys.to_vec(), m))
            };
            let mut added = Vec::new();
            if let Some(raw_dist) = &raw.distribution {
                let distribution = build(raw_dist, &keys)?;
                check_support(&distribution, 1.0, domain, &keys)?;
                added.push((
                    path.clone(),
                    distribution,
                    slots.iter().map(|s| (*s, Apply::Set)).collect(),
                ));
            } else if let Some(raw_dist) = &raw.factor {
                let distribution = build(raw_dist, &keys)?;
                for slot in &slots {
                    check_support(&distribution, base(*slot), domain, &keys)?;
                }
                added.push((
                    path.clone(),
                    distribution,
                    slots.iter().map(|s| (*s, Apply::Factor)).collect(),
                ));
            } else if let Some(list) = &raw.per_year {
                if params.info[slots[0]].year.is_none() || list.len() != slots.len() {
                    return Err(err(
                        keys,
                        format!(
                            "`per_year` needs one distribution for each of the input's {} year(s), and the input must be a per-year series",
                            slots.len()
                        ),
                    ));
                }
                for (i, (raw_dist, slot)) in list.iter().zip(&slots).enumerate() {
                    let mut year_keys = keys.clone();
                    year_keys.extend(["per_year".to_string(), i.to_string()]);
                    let distribution = build(raw_dist, &year_keys)?;
                    check_support(&distribution, 1.0, domain, &year_keys)?;
                    added.push((
                        format!("{path}[{}]", year_label(i)),
                        distribution,
                        vec![(*slot, Apply::Set)],
                    ));
                }
            }
            self.variables.retain(|v| v.input != *path);
            for (name, distribution, targets) in added {
                self.variables.push(Variable {
                    name,
                    input: path.clone(),
                    distribution,
                    targets,
                    reason: raw.reason.clone().or(raw.source.clone()),
                });
            }
        }
        Ok(())
    }

    /// Adds the correlations of one file; a pair given again replaces the earlier value.
    pub fn add_correlations(&mut self, raw: &[RawCorrelation]) -> Result<(), UncertainError> {
        for (i, entry) in raw.iter().enumerate() {
            let keys = vec!["correlations".to_string(), i.to_string()];
            let [a, b] = entry.inputs.as_slice() else {
                return Err(err(keys, "`inputs` names exactly two uncertain inputs"));
            };
            for name in [a, b] {
                match self.variables.iter().filter(|v| v.input == *name).count() {
                    1 => {}
                    0 => {
                        return Err(err(
                            keys,
                            format!(
                                "`{name}` is not an uncertain input; correlate only inputs listed under `uncertain`"
                            ),
                        ));
                    }
                    _ => {
                        return Err(err(
                            keys,
                            format!(
                                "`{name}` has a distribution per year; correlate inputs with one distribution"
                            ),
                        ));
                    }
                }
            }
            if a == b {
                return Err(err(keys, "an input cannot be correlated with itself"));
            }
            let rank = entry.rank.0.to_f64().unwrap_or(f64::NAN);
            if !(-1.0..=1.0).contains(&rank) {
                return Err(err(
                    keys,
                    format!("rank must be between -1 and 1, got {}", entry.rank.0),
                ));
            }
            self.correlations
                .retain(|(p, q, _)| !((p == a && q == b) || (p == b && q == a)));
            self.correlations.push((a.clone(), b.clone(), rank));
        }
        let k = self.variables.len();
        if !self.correlations.is_empty()
            && (crate::simulate::correlation::cholesky(&self.correlation_matrix(), k).is_none()
                || self.copula_factor().is_none())
        {
            return Err(err(
                vec!["correlations".into()],
                "the correlation matrix is not positive semi-definite: some correlations contradict each other",
            ));
        }
        Ok(())
    }

    /// The full K x K target rank-correlation matrix, row-major.
    pub fn correlation_matrix(&self) -> Vec<f64> {
        let k = self.variables.len();
        let mut matrix = vec![0.0; k * k];
        for i in 0..k {
            matrix[i * k + i] = 1.0;
        }
        let index = |name: &str| self.variables.iter().position(|v| v.input == name);
        for (a, b, r) in &self.correlations {
            if let (Some(a), Some(b)) = (index(a), index(b)) {
                matrix[a * k + b] = *r;
                matrix[b * k + a] = *r;
            }
        }
        matrix
    }

    /// Cholesky factor of the copula's normal correlation matrix (`None` if not PSD).
    pub fn copula_factor(&self) -> Option<Vec<f64>> {
        let mut matrix = self.correlation_matrix();
        let k = self.variables.len();
        for i in 0..k {
            for j in 0..k {
                if i != j {
                    matrix[i * k + j] = crate::simulate::correlation::normal_correlation_for_rank(
                        matrix[i * k + j],
                    );
                }
            }
        }
        crate::simulate::correlation::cholesky(&matrix, k)
    }

    pub fn apply_settings(&mut self, raw: &RawSimulation) -> Result<(), UncertainError> {
        if let Some(Whole(iterations)) = raw.iterations {
            crate::simulate::limits::check_range(iterations)
                .map_err(|m| err(vec!["simulation".into(), "iterations".into()], m))?;
        }
        self.iterations = raw.iterations.map(|w| w.0).or(self.iterations);
        self.seed = raw.seed.map(|w| w.0).or(self.seed);
        self.sampling = raw.sampling.or(self.sampling);
        self.target = raw.target.map(|t| t.0).or(self.target);
        Ok(())
    }
}

fn check_support(
    distribution: &Distribution,
    scale: f64,
    domain: Domain,
    keys: &[String],
) -> Result<(), UncertainError> {
    let (lo, hi) = distribution.support();
    let (lo, hi) = if scale >= 0.0 {
        (lo * scale, hi * scale)
    } else {
        (hi * scale, lo * scale)
    };
    let fits = domain.allows_f64(lo) && domain.allows_f64(hi);
    if fits || (scale == 0.0) {
        Ok(())
    } else {
        Err(err(
            keys.to_vec(),
            format!(
                "the distribution can give values from {lo} to {hi}, but the input must be {}; narrow or truncate it (normal takes min and max)",
                domain.describe()
            ),
        ))
    }
}
