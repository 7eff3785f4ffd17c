//! `tec-model voi`: the value of information for a choice between options (scenario files)
//! that share uncertain inputs, or a single scenario against doing nothing. Every option is
//! evaluated on the same draws of the inputs they share (common random numbers: an input
//! path drawn once per iteration, whichever options it feeds), through each option's own
//! traced engine; then [`evppi`] turns the options' net benefits into the probability that
//! each is best, EVPI and EVPPI.

pub mod evppi;
pub mod render;

#[cfg(test)]
mod tests;

use crate::scenario::Scenario;
use crate::scenario::uncertain::{Apply, Uncertainty, Variable};
use crate::sensitivity::SensitivityError;
use crate::simulate::batch::Batch;
use crate::simulate::collect::NonFinite;
use crate::simulate::figures::Figure;
use crate::simulate::groups::groups;
use crate::simulate::kernel::Isa;
use crate::simulate::sampler::{BLOCK, Sampler};
use rayon::prelude::*;
use serde::Serialize;

/// The decision's measure when none is chosen: net present value.
pub const DEFAULT_OUTPUT: &str = "summary.npv";
/// Draws when none are asked for.
pub const DEFAULT_ITERATIONS: u64 = 100_000;
/// The most draws (every option's net benefit and every draw is kept).
pub const MAX_ITERATIONS: u64 = 10_000_000;

#[derive(Debug, thiserror::Error)]
pub enum VoiError {
    #[error(transparent)]
    Output(#[from] SensitivityError),
    #[error(
        "none of the options has an `uncertain` section: with nothing uncertain, information has no value"
    )]
    NothingUncertain,
    #[error(
        "{file}: `{input}` is uncertain in {other}, {problem}: options compared by voi must share their uncertain inputs (the same distribution in every option that has the input), so that all are drawn together"
    )]
    NotShared {
        file: String,
        input: String,
        other: String,
        problem: String,
    },
    #[error(
        "{file}: the correlations of the options together are not positive semi-definite; give shared inputs the same correlations in every option"
    )]
    Correlations { file: String },
    #[error("{file}: {error}")]
    NonFinite { file: String, error: NonFinite },
}

/// One option of the choice.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OptionReport {
    /// The file's name without its extension (`do nothing` for the option of doing nothing).
    pub option: String,
    pub scenario: String,
    pub file: Option<String>,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub mean: f64,
    #[serde(serialize_with = "crate::export::schema::money::option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub se_mean: Option<f64>,
    /// Share of draws in which this option has the highest net benefit (ties to the first).
    pub probability_best: f64,
}

/// The value of resolving one input or group.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct EvppiReport {
    /// The input path, or inputs joined by ` + `.
    pub input: String,
    /// `binning` (one draw) or `regression` (several).
    pub estimator: &'static str,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub evppi: f64,
    #[serde(serialize_with = "crate::export::schema::money::option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub se: Option<f64>,
    /// EVPPI as a share of EVPI (`null` when EVPI is zero).
    pub share_of_evpi: Option<f64>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct VoiReport {
    /// The figure whose expectation is the decision's value, e.g. `summary.npv`.
    pub output: String,
    pub iterations: u64,
    pub seed: u64,
    pub options: Vec<OptionReport>,
    /// The option with the highest expected net benefit: the choice made now.
    pub best_now: String,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub evpi: f64,
    #[serde(serialize_with = "crate::export::schema::money::option")]
    #[schemars(with = "Option<crate::export::schema::DecimalText>")]
    pub evpi_se: Option<f64>,
    /// Ranked by EVPPI, largest first.
    pub evppi: Vec<EvppiReport>,
}

/// The options' uncertain draws as one set.
struct Joint {
    uncertainty: Uncertainty,
    /// For each option, the joint index of each of its variables.
    columns: Vec<Vec<usize>>,
}

fn kind(v: &Variable) -> String {
    let factor = v.targets.iter().any(|(_, a)| *a == Apply::Factor);
    format!(
        "{}{}",
        if factor { "x " } else { "" },
        v.distribution.describe()
    )
}

/// Checks that the options share their uncertain inputs, and gathers them.
fn joint(options: &[Scenario]) -> Result<Joint, VoiError> {
    let mut variables: Vec<Variable> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    let file = |o: usize| options[o].path().display().to_string();
    for (o, scenario) in options.iter().enumerate() {
        for v in &scenario.uncertainty.variables {
            match variables.iter().position(|j| j.name == v.name) {
                Some(j) if kind(&variables[j]) != kind(v) => {
                    return Err(VoiError::NotShared {
                        file: file(o),
                        input: v.name.clone(),
                        other: file(owner[j]),
                        problem: format!("as {}, but {} here", kind(&variables[j]), kind(v)),
                    });
                }
                Some(_) => {}
                None => {
                    variables.push(v.clone());
                    owner.push(o);
                }
            }
        }
    }
    // An input uncertain in one option and fixed in another that has it.
    for (j, v) in variables.iter().enumerate() {
        for (o, scenario) in options.iter().enumerate() {
            let has = scenario
                .uncertainty
                .variables
                .iter()
                .any(|w| w.name == v.name);
            if !has && scenario.input(&v.input).is_ok() {
                return Err(VoiError::NotShared {
                    file: file(o),
                    input: v.input.clone(),
                    other: file(owner[j]),
                    problem: "but fixed here".into(),
                });
            }
        }
    }
    let mut correlations: Vec<(String, String, f64)> = Vec::new();
    for (o, scenario) in options.iter().enumerate() {
        let inputs: Vec<&str> = scenario
            .uncertainty
            .variables
            .iter()
            .map(|v| v.input.as_str())
            .collect();
        for (a, b, r) in &scenario.uncertainty.correlations {
            let same =
                |p: &(String, String, f64)| (p.0 == *a && p.1 == *b) || (p.0 == *b && p.1 == *a);
            match correlations.iter().find(|p| same(p)) {
                Some(p) if p.2 != *r => {
                    return Err(VoiError::NotShared {
                        file: file(o),
                        input: format!("{a} ~ {b}"),
                        other: "another option".into(),
                        problem: format!("correlated {} there, but {r} here", p.2),
                    });
                }
                Some(_) => {}
                None => correlations.push((a.clone(), b.clone(), *r)),
            }
        }
        // A correlation another option gives between two inputs this option has.
        for (a, b, r) in &correlations {
            let here = scenario
                .uncertainty
                .correlations
                .iter()
                .any(|(p, q, _)| (p == a && q == b) || (p == b && q == a));
            if !here && inputs.contains(&a.as_str()) && inputs.contains(&b.as_str()) {
                return Err(VoiError::NotShared {
                    file: file(o),
                    input: format!("{a} ~ {b}"),
                    other: "another option".into(),
                    problem: format!("correlated {r} there, but not here"),
                });
            }
        }
    }
    let columns = options
        .iter()
        .map(|s| {
            s.uncertainty
                .variables
                .iter()
                .map(|v| {
                    variables
                        .iter()
                        .position(|j| j.name == v.name)
                        .expect("joined")
                })
                .collect()
        })
        .collect();
    Ok(Joint {
        uncertainty: Uncertainty {
            variables,
            correlations,
            ..Uncertainty::default()
        },
        columns,
    })
}

/// What to run.
pub struct Settings {
    pub iterations: u64,
    pub seed: u64,
}

/// Resolves the decision's measure against every option.
pub fn figure(options: &[Scenario], name: Option<&str>) -> Result<Vec<Figure>, SensitivityError> {
    let name = name.unwrap_or(DEFAULT_OUTPUT);
    options
        .iter()
        .map(|scenario| {
            let base = crate::sensitivity::sweep::base_report(scenario)?;
            let full = crate::sensitivity::outputs::resolve_amount(
                &base,
                name,
                "the value of information needs an amount (net benefit)",
            )?;
            Figure::parse(&scenario.model, &full).ok_or(SensitivityError::UnknownOutput {
                name: full,
                hint: String::new(),
            })
        })
        .collect()
}

/// Short names for the options: file stems, made unique.
fn names(options: &[Scenario]) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for scenario in options {
        let stem = scenario
            .path()
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| scenario.name.clone());
        let mut name = stem.clone();
        let mut k = 2;
        while names.contains(&name) {
            name = format!("{stem} ({k})");
            k += 1;
        }
        names.push(name);
    }
    names
}

/// Runs the analysis: with one option, against doing nothing.
pub fn analyse(
    options: &[Scenario],
    figures: Vec<Figure>,
    settings: &Settings,
) -> Result<VoiReport, VoiError> {
    let joint = joint(options)?;
    let k = joint.uncertainty.variables.len();
    if k == 0 {
        return Err(VoiError::NothingUncertain);
    }
    let first_file = options[0].path().display().to_string();
    let correlation = if joint.uncertainty.correlations.is_empty() {
        None
    } else {
        Some(
            joint
                .uncertainty
                .copula_factor()
                .ok_or(VoiError::Correlations {
                    file: first_file.clone(),
                })?,
        )
    };
    let isa = Isa::detect();
    let output = figures[0].name.clone();
    let batches: Vec<Batch> = options
        .iter()
        .zip(figures)
        .map(|(s, f)| Batch::new(s, vec![f], isa))
        .collect();
    let sampler = Sampler::new(
        &joint.uncertainty.variables,
        settings.seed,
        Default::default(),
        correlation,
    );
    let n = settings.iterations as usize;
    let blocks = n.div_ceil(BLOCK);
    // Each block: its draws (k columns) and each option's net benefit.
    type Block = Result<(Vec<Vec<f64>>, Vec<Vec<f64>>), (usize, NonFinite)>;
    let results: Vec<Block> = (0..blocks)
        .into_par_iter()
        .map_init(
            || {
                let scratch: Vec<_> = batches.iter().map(Batch::scratch).collect();
                (scratch, vec![0.0; k * BLOCK])
            },
            |(scratch, draws), index| {
                let len = (n - index * BLOCK).min(BLOCK);
                sampler.fill_block_with(isa, index as u64, draws);
                let mut values = Vec::with_capacity(options.len());
                for (o, batch) in batches.iter().enumerate() {
                    let columns = &joint.columns[o];
                    let mut own = vec![0.0; columns.len() * BLOCK];
                    for (c, j) in columns.iter().enumerate() {
                        own[c * BLOCK..(c + 1) * BLOCK]
                            .copy_from_slice(&draws[j * BLOCK..(j + 1) * BLOCK]);
                    }
                    let mut column = vec![0.0; len];
                    batch.evaluate(&mut scratch[o], &own, &mut [column.as_mut_slice()]);
                    if let Some(row) = column.iter().position(|x| !x.is_finite()) {
                        return Err((
                            o,
                            NonFinite {
                                iteration: (index * BLOCK + row) as u64 + 1,
                                output: output.clone(),
                            },
                        ));
                    }
                    values.push(column);
                }
                let kept = (0..k)
                    .map(|j| draws[j * BLOCK..j * BLOCK + len].to_vec())
                    .collect();
                Ok((kept, values))
            },
        )
        .collect();
    let mut x: Vec<Vec<f64>> = vec![Vec::with_capacity(n); k];
    let mut nb: Vec<Vec<f64>> = vec![Vec::with_capacity(n); options.len()];
    for block in results {
        let (draws, values) = block.map_err(|(o, error)| VoiError::NonFinite {
            file: options[o].path().display().to_string(),
            error,
        })?;
        for (all, part) in x.iter_mut().zip(draws) {
            all.extend(part);
        }
        for (all, part) in nb.iter_mut().zip(values) {
            all.extend(part);
        }
    }
    let mut labels = names(options);
    let mut scenarios: Vec<(String, Option<String>)> = options
        .iter()
        .map(|s| (s.name.clone(), Some(s.path().display().to_string())))
        .collect();
    if options.len() == 1 {
        nb.push(vec![0.0; n]);
        labels.push("do nothing".into());
        scenarios.push(("Do nothing: no costs, no benefits".into(), None));
    }
    let moments: Vec<(f64, Option<f64>)> = nb
        .iter()
        .map(|o| evppi::mean_se(o.iter().copied()))
        .collect();
    let means: Vec<f64> = moments.iter().map(|m| m.0).collect();
    let now = evppi::best(&means);
    let mut wins = vec![0u64; nb.len()];
    for j in 0..n {
        let values: Vec<f64> = nb.iter().map(|o| o[j]).collect();
        wins[evppi::best(&values)] += 1;
    }
    let (evpi, evpi_se) = evppi::evpi(&nb, now);
    let share = |v: f64| (evpi > 0.0).then(|| v / evpi);
    let mut subjects: Vec<(String, Vec<usize>)> = Vec::new();
    for group in groups(&joint.uncertainty) {
        if group.correlated {
            // Each correlated input alone has a value too (given what it says of the others).
            for input in &group.inputs {
                let members = group
                    .variables
                    .iter()
                    .copied()
                    .filter(|v| joint.uncertainty.variables[*v].input == *input)
                    .collect();
                subjects.push((input.clone(), members));
            }
        }
        subjects.push((group.name.clone(), group.variables.clone()));
    }
    let mut values: Vec<EvppiReport> = subjects
        .par_iter()
        .map(|(name, members)| {
            let (estimator, (value, se)) = if members.len() == 1 {
                ("binning", evppi::evppi_binned(&nb, now, &x[members[0]]))
            } else {
                let xs: Vec<&[f64]> = members.iter().map(|v| x[*v].as_slice()).collect();
                ("regression", evppi::evppi_regression(&nb, now, &xs))
            };
            EvppiReport {
                input: name.clone(),
                estimator,
                evppi: value,
                se,
                share_of_evpi: share(value),
            }
        })
        .collect();
    values.sort_by(|a, b| b.evppi.total_cmp(&a.evppi));
    Ok(VoiReport {
        output,
        iterations: settings.iterations,
        seed: settings.seed,
        best_now: labels[now].clone(),
        options: labels
            .into_iter()
            .zip(scenarios)
            .zip(moments.iter().zip(&wins))
            .map(
                |((option, (scenario, file)), ((mean, se), wins))| OptionReport {
                    option,
                    scenario,
                    file,
                    mean: *mean,
                    se_mean: *se,
                    probability_best: *wins as f64 / n as f64,
                },
            )
            .collect(),
        evpi,
        evpi_se,
        evppi: values,
    })
}
