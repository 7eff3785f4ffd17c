//! Saltelli's design evaluated through the traced engine: N rows of two independent samples
//! A and B of every uncertain variable (seeded random draws, or the two halves of a
//! digitally shifted Sobol' sequence in 2k dimensions), and for each group g the matrix AB_g:
//! A with g's columns from B. The N (G + 2) rows run a block of 4,096 at a time, blocks in
//! parallel, each block's results written to its own place: the same bits on any thread
//! count.

use crate::scenario::Scenario;
use crate::simulate::batch::Batch;
use crate::simulate::collect::NonFinite;
use crate::simulate::groups::Group;
use crate::simulate::kernel::Isa;
use crate::simulate::quasi::Sobol;
use crate::simulate::sampler::{BLOCK, Sampler, block_rng, uniform};
use rayon::prelude::*;
use serde::Serialize;

/// How A and B are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Default, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Design {
    /// Independent uniforms from the seeded streams of `simulate`.
    #[default]
    Random,
    /// A Sobol' sequence in 2k dimensions (A the first k, B the next k), shifted by the seed.
    Sobol,
}

/// Every evaluation of the design: per figure, f(A), f(B) and f(AB_g) for each group.
pub struct Evaluated {
    pub a: Vec<Vec<f64>>,
    pub b: Vec<Vec<f64>>,
    /// `ab[figure][group]`.
    pub ab: Vec<Vec<Vec<f64>>>,
}

/// One block's results: `[figure][matrix][row]`, matrices A, B, then AB_g.
type BlockResult = Result<Vec<Vec<Vec<f64>>>, NonFinite>;

/// Fills `a` and `b` (k columns of [`BLOCK`] each) with block `index`'s uniforms.
fn uniforms(design: Design, sobol: Option<&Sobol>, seed: u64, index: u64, ab: &mut [f64]) {
    match (design, sobol) {
        (Design::Sobol, Some(sobol)) => sobol.fill(index * BLOCK as u64, BLOCK, BLOCK, ab),
        _ => {
            let mut rng = block_rng(seed, index);
            for u in ab.iter_mut() {
                *u = uniform(&mut rng);
            }
        }
    }
}

/// Evaluates the design of `base` rows for `batch`'s figures.
pub fn evaluate(
    scenario: &Scenario,
    batch: &Batch,
    groups: &[Group],
    base: usize,
    seed: u64,
    design: Design,
    isa: Isa,
) -> Result<Evaluated, NonFinite> {
    let uncertainty = &scenario.uncertainty;
    let variables = &uncertainty.variables;
    let k = variables.len();
    let correlation = (!uncertainty.correlations.is_empty())
        .then(|| uncertainty.copula_factor())
        .flatten();
    let sampler = Sampler::new(variables, seed, Default::default(), correlation);
    let sobol = match design {
        Design::Sobol => Sobol::new(2 * k, seed),
        Design::Random => None,
    };
    let figures = batch.figures().len();
    let matrices = groups.len() + 2;
    let blocks = base.div_ceil(BLOCK);
    let results: Vec<BlockResult> = (0..blocks)
        .into_par_iter()
        .map_init(
            || {
                (
                    batch.scratch(),
                    vec![0.0; 2 * k * BLOCK],
                    vec![0.0; k * BLOCK],
                )
            },
            |(scratch, ab, mixed), index| {
                let len = (base - index * BLOCK).min(BLOCK);
                uniforms(design, sobol.as_ref(), seed, index as u64, ab);
                let (a, b) = ab.split_at_mut(k * BLOCK);
                sampler.transform_with(isa, a);
                sampler.transform_with(isa, b);
                let mut out = vec![vec![vec![0.0; len]; matrices]; figures];
                for m in 0..matrices {
                    let draws: &[f64] = match m {
                        0 => a,
                        1 => b,
                        _ => {
                            mixed.copy_from_slice(a);
                            for v in &groups[m - 2].variables {
                                let column = v * BLOCK..(v + 1) * BLOCK;
                                mixed[column.clone()].copy_from_slice(&b[column]);
                            }
                            mixed
                        }
                    };
                    let mut columns: Vec<Vec<f64>> = vec![vec![0.0; len]; figures];
                    let mut views: Vec<&mut [f64]> =
                        columns.iter_mut().map(|c| c.as_mut_slice()).collect();
                    batch.evaluate(scratch, draws, &mut views);
                    for (f, column) in columns.into_iter().enumerate() {
                        if let Some(row) = column.iter().position(|x| !x.is_finite()) {
                            return Err(NonFinite {
                                iteration: (index * BLOCK + row) as u64 + 1,
                                output: batch.figures()[f].name.clone(),
                            });
                        }
                        out[f][m] = column;
                    }
                }
                Ok(out)
            },
        )
        .collect();
    let mut evaluated = Evaluated {
        a: vec![Vec::with_capacity(base); figures],
        b: vec![Vec::with_capacity(base); figures],
        ab: vec![vec![Vec::with_capacity(base); groups.len()]; figures],
    };
    for block in results {
        for (f, matrices) in block?.into_iter().enumerate() {
            for (m, rows) in matrices.into_iter().enumerate() {
                match m {
                    0 => evaluated.a[f].extend(rows),
                    1 => evaluated.b[f].extend(rows),
                    _ => evaluated.ab[f][m - 2].extend(rows),
                }
            }
        }
    }
    Ok(evaluated)
}
