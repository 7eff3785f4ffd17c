//! Rank correlation between uncertain inputs through a Gaussian copula (NORTA): draws are
//! mapped to normal scores, mixed by the Cholesky factor of the normal correlation that gives
//! the target Spearman rank correlation, and mapped back, which leaves every input's own
//! distribution exactly as it was. Chosen over Iman-Conover for speed: it works per iteration,
//! with no sorting of blocks.

use super::distribution::{Distribution, Kind};
use super::kernel::Isa;
use super::sampler::BELOW_ONE;
use statrs::distribution::{ContinuousCDF, Normal};
use std::sync::OnceLock;

/// Lower-triangular Cholesky factor of a symmetric K x K matrix (row-major), or `None` if the
/// matrix is not positive semi-definite. Semi-definite pivots (within 1e-10) give a zero column.
pub fn cholesky(matrix: &[f64], k: usize) -> Option<Vec<f64>> {
    let mut lower = vec![0.0; k * k];
    for j in 0..k {
        let mut pivot = matrix[j * k + j];
        for p in 0..j {
            pivot -= lower[j * k + p] * lower[j * k + p];
        }
        if pivot < -1e-10 {
            return None;
        }
        let root = pivot.max(0.0).sqrt();
        lower[j * k + j] = root;
        for i in j + 1..k {
            let mut value = matrix[i * k + j];
            for p in 0..j {
                value -= lower[i * k + p] * lower[j * k + p];
            }
            lower[i * k + j] = if root > 1e-12 { value / root } else { 0.0 };
        }
    }
    // A zero pivot must leave nothing to explain in the rows below it.
    let mut product = vec![0.0; k * k];
    for i in 0..k {
        for j in 0..k {
            product[i * k + j] = (0..k).map(|p| lower[i * k + p] * lower[j * k + p]).sum();
        }
    }
    let consistent = product
        .iter()
        .zip(matrix)
        .all(|(a, b)| (a - b).abs() < 1e-8);
    consistent.then_some(lower)
}

/// The normal correlation whose Gaussian copula has Spearman rank correlation `rank`:
/// 2 sin(pi rank / 6) (Pearson, 1907; as used by NORTA, Cario and Nelson, 1997).
pub fn normal_correlation_for_rank(rank: f64) -> f64 {
    2.0 * (std::f64::consts::PI * rank / 6.0).sin()
}

/// Turns independent uniforms into uniforms with the copula's correlation, in place:
/// u -> z = inverse normal CDF(u) -> y = L z -> normal CDF(y). Each output is still uniform,
/// so every input keeps its own distribution; only variables in `involved` change, and a
/// variable whose row of `L` is the unit row (the first of a group) keeps its draw exactly.
///
/// `columns` holds `k` columns of `rows` draws each (`columns[i * rows + r]`); working a
/// column at a time keeps the table lookups in tight loops. `isa` picks the code, never the
/// result: both give the same bits.
#[inline(always)]
pub fn correlate_columns(
    columns: &mut [f64],
    rows: usize,
    lower: &[f64],
    involved: &[bool],
    isa: Isa,
) {
    let k = involved.len();
    debug_assert_eq!(columns.len(), k * rows);
    let normal = standard_normal();
    // Normal scores of the involved variables only; `at[i]` is variable i's score column.
    // (A nonzero entry of `lower` only ever links involved variables.)
    let mut at = vec![usize::MAX; k];
    let mut z = Vec::with_capacity(rows * involved.iter().filter(|i| **i).count());
    for i in (0..k).filter(|i| involved[*i]) {
        at[i] = z.len() / rows;
        z.extend_from_slice(&columns[i * rows..(i + 1) * rows]);
        let scores = &mut z[at[i] * rows..];
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: `Isa::Avx2` is only made after the processor reported AVX2.
            Isa::Avx2 => unsafe { normal.quantiles_in_place_avx2(scores) },
            _ => normal.quantiles_in_place(scores),
        }
    }
    let mut y = vec![0.0; rows];
    for i in (0..k).filter(|i| involved[*i]) {
        let row = &lower[i * k..i * k + i + 1];
        if row[i] == 1.0 && row[..i].iter().all(|l| *l == 0.0) {
            continue;
        }
        y.fill(0.0);
        for (p, l) in row.iter().enumerate().filter(|(_, l)| **l != 0.0) {
            for (sum, score) in y.iter_mut().zip(&z[at[p] * rows..(at[p] + 1) * rows]) {
                *sum += l * score;
            }
        }
        let column = &mut columns[i * rows..(i + 1) * rows];
        match isa {
            #[cfg(target_arch = "x86_64")]
            // SAFETY: as above.
            Isa::Avx2 => unsafe { uniforms_avx2(&y, column) },
            _ => {
                for (u, sum) in column.iter_mut().zip(&y) {
                    *u = uniform(*sum);
                }
            }
        }
    }
}

/// The copula's uniform for a correlated normal score: its CDF, kept strictly inside (0, 1).
fn uniform(score: f64) -> f64 {
    normal_cdf(score).clamp(f64::MIN_POSITIVE, BELOW_ONE)
}

/// [`uniform`] of each score, four at a time from the CDF table (the same operations, so the
/// same bits); scores beyond the table's span are done one by one.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn uniforms_avx2(scores: &[f64], uniforms: &mut [f64]) {
    use std::arch::x86_64::*;
    let table = cdf_table();
    let (span, width) = (_mm256_set1_pd(CDF_SPAN), _mm256_set1_pd(2.0 * CDF_SPAN));
    let points = _mm256_set1_pd(CDF_POINTS as f64);
    let (smallest, largest) = (_mm256_set1_pd(f64::MIN_POSITIVE), _mm256_set1_pd(BELOW_ONE));
    let mut outputs = uniforms.chunks_exact_mut(4);
    let mut inputs = scores.chunks_exact(4);
    for (output, input) in (&mut outputs).zip(&mut inputs) {
        // SAFETY: each chunk is four f64s, loaded and stored unaligned.
        let y = unsafe { _mm256_loadu_pd(input.as_ptr()) };
        let position = _mm256_mul_pd(_mm256_div_pd(_mm256_add_pd(y, span), width), points);
        let inside = _mm256_and_pd(
            _mm256_cmp_pd::<_CMP_GT_OQ>(position, _mm256_setzero_pd()),
            _mm256_cmp_pd::<_CMP_LT_OQ>(position, points),
        );
        // Max and min equal `clamp` here: the interpolated CDF is never NaN.
        let u = _mm256_min_pd(
            _mm256_max_pd(super::kernel::interpolate(table, position), smallest),
            largest,
        );
        // SAFETY: as for the load.
        unsafe { _mm256_storeu_pd(output.as_mut_ptr(), u) };
        let inside = _mm256_movemask_pd(inside);
        if inside != 0b1111 {
            for (lane, (u, y)) in output.iter_mut().zip(input).enumerate() {
                if inside & (1 << lane) == 0 {
                    *u = uniform(*y);
                }
            }
        }
    }
    for (u, y) in outputs.into_remainder().iter_mut().zip(inputs.remainder()) {
        *u = uniform(*y);
    }
}

fn standard_normal() -> &'static Distribution {
    static NORMAL: OnceLock<Distribution> = OnceLock::new();
    NORMAL.get_or_init(|| {
        Distribution::new(Kind::Normal {
            mean: 0.0,
            sd: 1.0,
            lower: f64::NEG_INFINITY,
            upper: f64::INFINITY,
        })
    })
}

/// Grid of the standard normal CDF on [-CDF_SPAN, CDF_SPAN], interpolated linearly: the error
/// is below 2e-8, far inside the Monte Carlo error of any rank correlation.
const CDF_POINTS: usize = 1 << 15;
const CDF_SPAN: f64 = 8.5;

fn cdf_table() -> &'static [f64] {
    static TABLE: OnceLock<Vec<f64>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let normal = Normal::standard();
        (0..=CDF_POINTS)
            .map(|i| normal.cdf(-CDF_SPAN + 2.0 * CDF_SPAN * i as f64 / CDF_POINTS as f64))
            .collect()
    })
}

fn normal_cdf(y: f64) -> f64 {
    let table = cdf_table();
    let position = (y + CDF_SPAN) / (2.0 * CDF_SPAN) * CDF_POINTS as f64;
    if !(position > 0.0 && position < CDF_POINTS as f64) {
        return Normal::standard().cdf(y);
    }
    let cell = position as usize;
    let weight = position - cell as f64;
    table[cell] + weight * (table[cell + 1] - table[cell])
}

/// Spearman rank correlation of two equally long samples (for tests and reports); `None`
/// where it is undefined: fewer than two pairs, or a sample whose values do not vary (its
/// ranks would only be the order of the iterations).
pub fn rank_correlation(a: &[f64], b: &[f64]) -> Option<f64> {
    let varies = |x: &[f64]| x.iter().any(|v| v.to_bits() != x[0].to_bits());
    if a.len() < 2 || !varies(a) || !varies(b) {
        return None;
    }
    let ranks = |x: &[f64]| {
        let mut idx: Vec<usize> = (0..x.len()).collect();
        idx.sort_unstable_by(|p, q| x[*p].total_cmp(&x[*q]).then(p.cmp(q)));
        let mut r = vec![0.0; x.len()];
        for (rank, i) in idx.into_iter().enumerate() {
            r[i] = rank as f64;
        }
        r
    };
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let mean = (n - 1.0) / 2.0;
    let cov: f64 = ra
        .iter()
        .zip(&rb)
        .map(|(x, y)| (x - mean) * (y - mean))
        .sum();
    let var: f64 = ra.iter().map(|x| (x - mean).powi(2)).sum();
    Some(cov / var)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cholesky_accepts_valid_and_rejects_contradictory_matrices() {
        let valid = [1.0, 0.5, 0.5, 1.0];
        let lower = cholesky(&valid, 2).unwrap();
        assert!((lower[2] - 0.5).abs() < 1e-12);
        // a~b 0.9, b~c 0.9, a~c -0.9 cannot hold together.
        let bad = [1.0, 0.9, -0.9, 0.9, 1.0, 0.9, -0.9, 0.9, 1.0];
        assert!(cholesky(&bad, 3).is_none());
        // Perfect correlation is semi-definite and allowed.
        assert!(cholesky(&[1.0, 1.0, 1.0, 1.0], 2).is_some());
    }

    #[test]
    fn tabled_normal_cdf_is_accurate() {
        let normal = Normal::standard();
        for i in -900..=900 {
            let y = i as f64 / 100.0;
            assert!((normal_cdf(y) - normal.cdf(y)).abs() < 2e-8, "{y}");
        }
    }

    #[test]
    fn rank_correlation_needs_two_pairs_that_vary() {
        assert_eq!(rank_correlation(&[], &[]), None);
        assert_eq!(rank_correlation(&[1.0], &[2.0]), None);
        assert_eq!(rank_correlation(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0]), None);
        assert_eq!(rank_correlation(&[1.0, 2.0, 3.0], &[5.0, 5.0, 5.0]), None);
        assert_eq!(
            rank_correlation(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]),
            Some(-1.0)
        );
    }

    #[test]
    fn copula_gives_the_target_rank_correlation() {
        use rand::{Rng, SeedableRng};
        let target = 0.6;
        let r = normal_correlation_for_rank(target);
        let lower = cholesky(&[1.0, r, r, 1.0], 2).unwrap();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let n = 200_000;
        let mut columns: Vec<f64> = (0..2 * n)
            .map(|_| ((rng.next_u64() >> 11) as f64 + 0.5) / 9_007_199_254_740_992.0)
            .collect();
        let first = columns[..n].to_vec();
        correlate_columns(&mut columns, n, &lower, &[true, true], Isa::detect());
        // The first variable's row of L is the unit row: its draws are left exactly as drawn.
        assert_eq!(columns[..n], first[..]);
        let (a, b) = columns.split_at(n);
        // The standard error of a rank correlation near 0.6 with n = 200,000 is about 0.0015.
        let achieved = rank_correlation(a, b).unwrap();
        assert!((achieved - target).abs() < 0.006, "{achieved}");
        // Marginals stay uniform: the mean of each is 1/2 within its error (0.00065).
        let mean = a.iter().sum::<f64>() / n as f64;
        assert!((mean - 0.5).abs() < 0.003, "{mean}");
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn four_at_a_time_uniforms_are_the_scalar_ones() {
        if Isa::detect() != Isa::Avx2 {
            return;
        }
        // Scores across and beyond the table, its ends and cell boundaries with neighbours.
        let mut scores: Vec<f64> = (-100_000..=100_000).map(|i| i as f64 / 10_000.0).collect();
        for i in 0..=CDF_POINTS {
            let y = -CDF_SPAN + 2.0 * CDF_SPAN * i as f64 / CDF_POINTS as f64;
            scores.extend([y.next_down(), y, y.next_up()]);
        }
        scores.extend([
            f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            40.0,
            -40.0,
        ]);
        for length in [scores.len(), scores.len() - 1, scores.len() - 2] {
            let scalar: Vec<f64> = scores[..length].iter().map(|y| uniform(*y)).collect();
            let mut fast = vec![0.0; length];
            // SAFETY: AVX2 was detected above.
            unsafe { uniforms_avx2(&scores[..length], &mut fast) };
            for ((a, b), y) in scalar.iter().zip(&fast).zip(&scores) {
                assert_eq!(a.to_bits(), b.to_bits(), "score {y:e}");
            }
        }
    }
}
