//! Draws of the uncertain inputs, block by block: each block has its own portable
//! xoshiro256++ stream derived from the seed and the block's index, so a block's draws never
//! depend on the thread that makes them or on how many iterations were asked for.

use super::correlation::correlate_columns;
use super::kernel::Isa;
use crate::scenario::uncertain::{Sampling, Variable};
use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Iterations per block: the unit of parallel work, of Latin hypercube strata and of
/// correlation reordering.
pub const BLOCK: usize = 4096;

pub struct Sampler<'a> {
    variables: &'a [Variable],
    seed: u64,
    method: Sampling,
    /// Cholesky factor of the copula's normal correlation, when inputs are correlated.
    correlation: Option<Vec<f64>>,
    /// Which variables take part in a correlation.
    involved: Vec<bool>,
}

/// SplitMix64: spreads (seed, block) pairs over the generator's seed space.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform draw strictly inside (0, 1), from the top 53 bits.
fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    ((rng.next_u64() >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)
}

/// A uniform index below `bound` (Lemire's multiply-shift; bias below 2^-50 for our sizes).
fn below(rng: &mut Xoshiro256PlusPlus, bound: usize) -> usize {
    ((rng.next_u64() as u128 * bound as u128) >> 64) as usize
}

fn shuffle(rng: &mut Xoshiro256PlusPlus, items: &mut [usize]) {
    for i in (1..items.len()).rev() {
        items.swap(i, below(rng, i + 1));
    }
}

impl<'a> Sampler<'a> {
    pub fn new(
        variables: &'a [Variable],
        seed: u64,
        method: Sampling,
        correlation: Option<Vec<f64>>,
    ) -> Self {
        let k = variables.len();
        let involved = match &correlation {
            Some(lower) => (0..k)
                .map(|i| {
                    (0..k).any(|j| j != i && (lower[i * k + j] != 0.0 || lower[j * k + i] != 0.0))
                })
                .collect(),
            None => vec![false; k],
        };
        Sampler {
            variables,
            seed,
            method,
            correlation,
            involved,
        }
    }

    /// Fills `values` with block `index`: one column of BLOCK draws per variable
    /// (`values[variable * BLOCK + row]`), so that each variable's quantiles run in one loop.
    pub fn fill_block(&self, index: u64, values: &mut [f64]) {
        self.fill_block_inline(index, values)
    }

    /// [`Sampler::fill_block`] compiled for `isa` (the same draws, faster with AVX2).
    pub fn fill_block_with(&self, isa: Isa, index: u64, values: &mut [f64]) {
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
            Isa::Avx2 => unsafe { self.fill_block_avx2(index, values) },
            _ => self.fill_block_inline(index, values),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn fill_block_avx2(&self, index: u64, values: &mut [f64]) {
        self.fill_block_inline(index, values)
    }

    #[inline(always)]
    fn fill_block_inline(&self, index: u64, values: &mut [f64]) {
        let k = self.variables.len();
        debug_assert_eq!(values.len(), BLOCK * k);
        if k == 0 {
            return;
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(mix(self.seed ^ mix(index)));
        match self.method {
            Sampling::Random => {
                // Drawn a variable at a time: the block's stream fills each column in turn.
                for u in values.iter_mut() {
                    *u = uniform(&mut rng);
                }
            }
            Sampling::LatinHypercube => {
                let mut strata: Vec<usize> = (0..BLOCK).collect();
                for column in values.chunks_exact_mut(BLOCK) {
                    shuffle(&mut rng, &mut strata);
                    for (u, stratum) in column.iter_mut().zip(&strata) {
                        *u = (*stratum as f64 + uniform(&mut rng)) / BLOCK as f64;
                    }
                }
            }
        }
        if let Some(lower) = &self.correlation {
            correlate_columns(values, BLOCK, lower, &self.involved);
        }
        for (column, variable) in values.chunks_exact_mut(BLOCK).zip(self.variables) {
            variable.distribution.quantiles_in_place(column);
        }
    }
}
