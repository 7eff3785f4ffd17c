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

/// The stream of block `index` under `seed`: its own xoshiro256++ state, whatever thread
/// draws it.
pub(crate) fn block_rng(seed: u64, index: u64) -> Xoshiro256PlusPlus {
    Xoshiro256PlusPlus::seed_from_u64(mix(seed ^ mix(index)))
}

/// The largest f64 below 1: draws stop there, so that no quantile is asked of 1 itself (a
/// normal's is infinite).
pub(crate) const BELOW_ONE: f64 = 1.0 - f64::EPSILON / 2.0;

/// A uniform draw strictly inside (0, 1), from the top 53 bits.
pub(crate) fn uniform(rng: &mut Xoshiro256PlusPlus) -> f64 {
    unit(rng.next_u64())
}

/// The top 53 bits n as `(n + 1/2) / 2^53`. For n = 2^53 - 1 that is 1 - 2^-54, which rounds
/// (to even) to 1: the one draw in 2^53 that is held to [`BELOW_ONE`].
pub(crate) fn unit(draw: u64) -> f64 {
    (((draw >> 11) as f64 + 0.5) * (1.0 / 9_007_199_254_740_992.0)).min(BELOW_ONE)
}

/// A Latin hypercube draw in `stratum`: `(stratum + u) / BLOCK`, which in the top stratum
/// rounds to 1 when u is within 2^-42 of it, so it too is held below 1.
fn stratified(stratum: usize, u: f64) -> f64 {
    ((stratum as f64 + u) / BLOCK as f64).min(BELOW_ONE)
}

/// The bits of 2^52: an integer below 2^52 as its mantissa reads as 2^52 plus the integer.
#[cfg(target_arch = "x86_64")]
const TWO_52: i64 = 0x4330_0000_0000_0000;
/// The bits of 2^84: an integer below 2^52 as its mantissa reads as 2^84 plus 2^32 times it.
#[cfg(target_arch = "x86_64")]
const TWO_84: i64 = 0x4530_0000_0000_0000;

/// The stream's next four draws, in order, as one vector.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn next_four_avx2(rng: &mut Xoshiro256PlusPlus) -> std::arch::x86_64::__m256i {
    let drawn = [0; 4].map(|_: i64| {
        let mut draw = rng.next_u64() as i64;
        // An empty block the optimiser cannot see through: without it LLVM moves the
        // generator's last addition into vector registers, which costs more moves than it saves.
        // SAFETY: the block has no instructions; it only marks `draw` as read and written.
        unsafe { std::arch::asm!("/* {0} */", inout(reg) draw, options(pure, nomem, nostack)) };
        draw
    });
    // SAFETY: `drawn` is four 64-bit integers, loaded unaligned.
    unsafe { std::arch::x86_64::_mm256_loadu_si256(drawn.as_ptr().cast()) }
}

/// [`uniform`] for each of `values` in turn, the conversions four at a time.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn uniforms_avx2(rng: &mut Xoshiro256PlusPlus, values: &mut [f64]) {
    use std::arch::x86_64::*;
    let mut fours = values.chunks_exact_mut(4);
    for four in &mut fours {
        let u = unit_avx2(next_four_avx2(rng));
        // SAFETY: the chunk is four f64s, stored unaligned.
        unsafe { _mm256_storeu_pd(four.as_mut_ptr(), u) };
    }
    for u in fours.into_remainder() {
        *u = uniform(rng);
    }
}

/// A Latin hypercube column, `(stratum + uniform) / BLOCK` for each stratum in turn, four at a
/// time: strata below 2^52 convert exactly as the mantissa of 2^52, and dividing by BLOCK, a
/// power of two, is multiplying by its exact inverse.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn strata_avx2(rng: &mut Xoshiro256PlusPlus, strata: &[usize], column: &mut [f64]) {
    use std::arch::x86_64::*;
    let mut fours = column.chunks_exact_mut(4);
    let mut strata_fours = strata.chunks_exact(4);
    for (four, strata) in (&mut fours).zip(&mut strata_fours) {
        // SAFETY: four usizes (64-bit on x86-64), loaded unaligned.
        let strata = unsafe { _mm256_loadu_si256(strata.as_ptr().cast()) };
        let strata = _mm256_sub_pd(
            _mm256_castsi256_pd(_mm256_or_si256(strata, _mm256_set1_epi64x(TWO_52))),
            _mm256_set1_pd(f64::from_bits(TWO_52 as u64)),
        );
        let u = unit_avx2(next_four_avx2(rng));
        let value = _mm256_min_pd(
            _mm256_mul_pd(_mm256_add_pd(strata, u), _mm256_set1_pd(1.0 / BLOCK as f64)),
            _mm256_set1_pd(BELOW_ONE),
        );
        // SAFETY: the chunk is four f64s, stored unaligned.
        unsafe { _mm256_storeu_pd(four.as_mut_ptr(), value) };
    }
    for (u, stratum) in fours
        .into_remainder()
        .iter_mut()
        .zip(strata_fours.remainder())
    {
        *u = stratified(*stratum, uniform(rng));
    }
}

/// [`unit`] of four draws. AVX2 cannot convert 64-bit integers to doubles, so the top 53 bits n
/// are split: the low 32 as the mantissa of 2^52 give 2^52 + low, the high 21 as that of 2^84
/// give 2^84 + high * 2^32; subtracting 2^84 + 2^52 from the second and adding the first are
/// exact (each result fits in 53 bits), so the sum is n as f64 exactly, as the scalar cast is.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
#[inline]
fn unit_avx2(draws: std::arch::x86_64::__m256i) -> std::arch::x86_64::__m256d {
    use std::arch::x86_64::*;
    let n = _mm256_srli_epi64::<11>(draws);
    // The high half of each lane from 2^52's bits, the low half from n's.
    let low = _mm256_castsi256_pd(_mm256_blend_epi32::<0b1010_1010>(
        n,
        _mm256_set1_epi64x(TWO_52),
    ));
    let high = _mm256_castsi256_pd(_mm256_or_si256(
        _mm256_srli_epi64::<32>(n),
        _mm256_set1_epi64x(TWO_84),
    ));
    let offset = _mm256_set1_pd(f64::from_bits(TWO_84 as u64) + f64::from_bits(TWO_52 as u64));
    let whole = _mm256_add_pd(_mm256_sub_pd(high, offset), low);
    _mm256_min_pd(
        _mm256_mul_pd(
            _mm256_add_pd(whole, _mm256_set1_pd(0.5)),
            _mm256_set1_pd(1.0 / 9_007_199_254_740_992.0),
        ),
        _mm256_set1_pd(BELOW_ONE),
    )
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
        self.fill_block_inline(Isa::Portable, index, values)
    }

    /// [`Sampler::fill_block`] compiled for `isa` (the same draws, faster with AVX2).
    pub fn fill_block_with(&self, isa: Isa, index: u64, values: &mut [f64]) {
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
            Isa::Avx2 => unsafe { self.fill_block_avx2(index, values) },
            _ => self.fill_block_inline(Isa::Portable, index, values),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn fill_block_avx2(&self, index: u64, values: &mut [f64]) {
        self.fill_block_inline(Isa::Avx2, index, values)
    }

    /// Inlined into each caller with its constant `isa`, so the choices below fold away.
    #[inline(always)]
    fn fill_block_inline(&self, isa: Isa, index: u64, values: &mut [f64]) {
        let k = self.variables.len();
        debug_assert_eq!(values.len(), BLOCK * k);
        if k == 0 {
            return;
        }
        let mut rng = block_rng(self.seed, index);
        match self.method {
            Sampling::Random => {
                // Drawn a variable at a time: the block's stream fills each column in turn.
                match isa {
                    #[cfg(target_arch = "x86_64")]
                    // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
                    Isa::Avx2 => unsafe { uniforms_avx2(&mut rng, values) },
                    _ => {
                        for u in values.iter_mut() {
                            *u = uniform(&mut rng);
                        }
                    }
                }
            }
            Sampling::LatinHypercube => {
                let mut strata: Vec<usize> = (0..BLOCK).collect();
                for column in values.chunks_exact_mut(BLOCK) {
                    shuffle(&mut rng, &mut strata);
                    match isa {
                        #[cfg(target_arch = "x86_64")]
                        // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
                        Isa::Avx2 => unsafe { strata_avx2(&mut rng, &strata, column) },
                        _ => {
                            for (u, stratum) in column.iter_mut().zip(&strata) {
                                *u = stratified(*stratum, uniform(&mut rng));
                            }
                        }
                    }
                }
            }
        }
        self.transform_inline(isa, values);
    }

    /// Turns one column of [`BLOCK`] independent uniforms per variable into draws, in place:
    /// the copula's correlation, then each variable's quantiles (as a block's own draws are).
    pub fn transform_with(&self, isa: Isa, values: &mut [f64]) {
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
            Isa::Avx2 => unsafe { self.transform_avx2(values) },
            _ => self.transform_inline(Isa::Portable, values),
        }
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn transform_avx2(&self, values: &mut [f64]) {
        self.transform_inline(Isa::Avx2, values)
    }

    #[inline(always)]
    fn transform_inline(&self, isa: Isa, values: &mut [f64]) {
        debug_assert_eq!(values.len(), BLOCK * self.variables.len());
        if let Some(lower) = &self.correlation {
            correlate_columns(values, BLOCK, lower, &self.involved, isa);
        }
        for (column, variable) in values.chunks_exact_mut(BLOCK).zip(self.variables) {
            match isa {
                #[cfg(target_arch = "x86_64")]
                // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
                Isa::Avx2 => unsafe { variable.distribution.quantiles_in_place_avx2(column) },
                _ => variable.distribution.quantiles_in_place(column),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::uncertain::Variable;
    use crate::simulate::correlation::{cholesky, normal_correlation_for_rank};
    use crate::simulate::distribution::RawDistribution;

    fn variable(yaml: &str) -> Variable {
        let raw: RawDistribution = serde_yaml::from_str(yaml).unwrap();
        Variable {
            name: yaml.into(),
            input: yaml.into(),
            distribution: raw.build().unwrap(),
            targets: Vec::new(),
            reason: None,
        }
    }

    #[test]
    fn every_instruction_set_draws_the_same_bits() {
        let variables: Vec<Variable> = [
            "pert: { min: 0.6, mode: 1.0, max: 1.15 }",
            "triangular: { min: 0.1, mode: 0.18, max: 0.35 }",
            "normal: { mean: 100, sd: 15 }",
            "uniform: { min: 15, max: 22 }",
            "triangular: { min: 1, mode: 1, max: 2 }",
            "triangular: { min: 2, mode: 2, max: 2 }",
            "pert: { min: 3, mode: 3, max: 3 }",
            "normal: { mean: 0, sd: 1, min: -1 }",
            "lognormal: { mean: 10, sd: 2 }",
            "discrete: { values: [1, 2, 3], weights: [1, 1, 2] }",
        ]
        .map(variable)
        .into();
        let k = variables.len();
        // The first three inputs correlated, so the copula's work is compared too.
        let r = normal_correlation_for_rank(-0.3);
        let mut matrix = vec![0.0; k * k];
        for i in 0..k {
            matrix[i * k + i] = 1.0;
        }
        for (i, j) in [(0, 1), (1, 2), (0, 2)] {
            matrix[i * k + j] = r;
            matrix[j * k + i] = r;
        }
        let lower = cholesky(&matrix, k).unwrap();
        let widest = Isa::detect();
        for method in [Sampling::Random, Sampling::LatinHypercube] {
            for correlation in [None, Some(lower.clone())] {
                let sampler = Sampler::new(&variables, 42, method, correlation);
                let mut portable = vec![0.0; BLOCK * k];
                let mut fast = vec![0.0; BLOCK * k];
                for index in 0..3 {
                    sampler.fill_block(index, &mut portable);
                    sampler.fill_block_with(widest, index, &mut fast);
                    let same = portable
                        .iter()
                        .zip(&fast)
                        .all(|(a, b)| a.to_bits() == b.to_bits());
                    assert!(same, "{method:?}, block {index}");
                }
            }
        }
    }

    #[test]
    fn no_draw_reaches_zero_or_one() {
        assert_eq!(unit(u64::MAX), BELOW_ONE);
        assert!(BELOW_ONE < 1.0 && BELOW_ONE.next_up() == 1.0);
        // The draw below the top one is untouched by the hold.
        let below_top = u64::MAX - (1 << 11);
        assert_eq!(
            unit(below_top),
            (((below_top >> 11) as f64) + 0.5) / 2f64.powi(53)
        );
        assert!(unit(below_top) < BELOW_ONE);
        assert_eq!(unit(0), 2f64.powi(-54));
        assert_eq!(stratified(BLOCK - 1, BELOW_ONE), BELOW_ONE);
        assert_eq!(
            stratified(BLOCK - 1, 0.5),
            (BLOCK as f64 - 0.5) / BLOCK as f64
        );
        assert!(stratified(0, unit(0)) > 0.0);
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn four_at_a_time_conversion_is_the_scalar_one() {
        if Isa::detect() != Isa::Avx2 {
            return;
        }
        // Edges of the 53 kept bits and of their split at bit 32, then the stream itself.
        let mut draws = vec![0, 1, 2047, 2048, u64::MAX, 1 << 63, (1 << 63) - 1];
        for shift in [32, 43, 52, 53, 63] {
            let n: u64 = 1 << shift;
            draws.extend([n - 1, n, n + 1, n.wrapping_neg(), !n]);
        }
        let mut rng = Xoshiro256PlusPlus::seed_from_u64(9);
        draws.extend((0..100_000).map(|_| rng.next_u64()));
        while draws.len() % 4 != 0 {
            draws.push(u64::MAX - draws.len() as u64);
        }
        for four in draws.chunks_exact(4) {
            // SAFETY: AVX2 was detected above; the load reads the four values of `four`.
            let converted: [f64; 4] = unsafe {
                use std::arch::x86_64::*;
                let mut out = [0.0; 4];
                let units = unit_avx2(_mm256_loadu_si256(four.as_ptr().cast()));
                _mm256_storeu_pd(out.as_mut_ptr(), units);
                out
            };
            for (draw, u) in four.iter().zip(converted) {
                assert_eq!(u.to_bits(), unit(*draw).to_bits(), "{draw:#x}");
            }
        }
    }
}
