//! Jansen's estimators of first- and total-order Sobol' indices from Saltelli's design, with
//! seeded bootstrap confidence intervals.
//!
//! With N rows of two independent samples A and B, and AB_g the matrix A with group g's
//! columns taken from B (Saltelli 2002; 2010):
//!
//! - V = the variance of f over the 2N values of f(A) and f(B);
//! - first order, Jansen (1999): S_g = [V - (1/2N) sum_j (f(B)_j - f(AB_g)_j)^2] / V, since
//!   f(B) and f(AB_g) share only group g, and half the mean squared difference of two
//!   evaluations sharing g is V - V_g;
//! - total order, Jansen (1999): ST_g = (1/2N) sum_j (f(A)_j - f(AB_g)_j)^2 / V, since f(A)
//!   and f(AB_g) share everything but g.
//!
//! Both are the estimators Saltelli et al. (2010, table 2, (f) and the first-order form of
//! (f)) recommend for their low error; neither is biased by the mean.
//! The bootstrap resamples the N rows with replacement (each resample its own seeded stream)
//! and takes the 2.5th and 97.5th percentiles of the resampled indices.

use crate::simulate::sampler::block_rng;
use rand::Rng;
use rayon::prelude::*;

/// One output's evaluations: f(A), f(B) and f(AB_g) for each group, N rows each.
pub struct Evaluations<'a> {
    pub a: &'a [f64],
    pub b: &'a [f64],
    pub ab: Vec<&'a [f64]>,
}

/// One resample's first- and total-order indices of every group.
type Replicate = (Vec<f64>, Vec<f64>);

/// Indices of one group: point estimates, and their intervals.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Index {
    pub first: f64,
    pub total: f64,
    pub first_interval: (f64, f64),
    pub total_interval: (f64, f64),
}

/// Each group's indices, or `None` when the output does not vary.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimates {
    pub mean: f64,
    pub variance: f64,
    pub indices: Option<Vec<Index>>,
}

/// Per row: f(A) and f(B) less the mean, their squares, then for each group
/// (f(B) - f(AB_g))^2 and (f(A) - f(AB_g))^2: a resample only adds rows.
fn row_terms(e: &Evaluations, mean: f64) -> (usize, Vec<f64>) {
    let groups = e.ab.len();
    let width = 4 + 2 * groups;
    let n = e.a.len();
    let mut terms = vec![0.0; n * width];
    for j in 0..n {
        let row = &mut terms[j * width..(j + 1) * width];
        let (a, b) = (e.a[j] - mean, e.b[j] - mean);
        row[0] = a;
        row[1] = b;
        row[2] = a * a;
        row[3] = b * b;
        for (g, ab) in e.ab.iter().enumerate() {
            let first = e.b[j] - ab[j];
            let total = e.a[j] - ab[j];
            row[4 + g] = first * first;
            row[4 + groups + g] = total * total;
        }
    }
    (width, terms)
}

/// The indices from summed row terms over `n` rows.
fn from_sums(sums: &[f64], n: f64, groups: usize) -> Option<Replicate> {
    let two_n = 2.0 * n;
    let centre = (sums[0] + sums[1]) / two_n;
    let variance = (sums[2] + sums[3]) / two_n - centre * centre;
    // Also refuses NaN.
    if variance.partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return None;
    }
    let first = (0..groups)
        .map(|g| (variance - sums[4 + g] / two_n) / variance)
        .collect();
    let total = (0..groups)
        .map(|g| sums[4 + groups + g] / two_n / variance)
        .collect();
    Some((first, total))
}

/// The `p` quantile of sorted values (nearest rank).
fn quantile(sorted: &[f64], p: f64) -> f64 {
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The indices of every group of one output, with `resamples` bootstrap resamples from
/// `seed` (0 resamples: intervals at the estimate).
pub fn estimate(e: &Evaluations, resamples: usize, seed: u64) -> Estimates {
    let n = e.a.len();
    let groups = e.ab.len();
    let mean = (e.a.iter().sum::<f64>() + e.b.iter().sum::<f64>()) / (2 * n) as f64;
    let (width, terms) = row_terms(e, mean);
    let mut sums = vec![0.0; width];
    for row in terms.chunks_exact(width) {
        for (s, t) in sums.iter_mut().zip(row) {
            *s += t;
        }
    }
    let variance =
        (sums[2] + sums[3]) / (2 * n) as f64 - ((sums[0] + sums[1]) / (2 * n) as f64).powi(2);
    let Some((first, total)) = from_sums(&sums, n as f64, groups) else {
        return Estimates {
            mean,
            variance: variance.max(0.0),
            indices: None,
        };
    };
    // Each resample's indices, resample by resample in order whatever the threads.
    let replicates: Vec<Option<Replicate>> = (0..resamples)
        .into_par_iter()
        .map(|r| {
            let mut rng = block_rng(seed, (1 << 63) + r as u64);
            let mut sums = vec![0.0; width];
            for _ in 0..n {
                let j = ((rng.next_u64() as u128 * n as u128) >> 64) as usize;
                for (s, t) in sums.iter_mut().zip(&terms[j * width..(j + 1) * width]) {
                    *s += t;
                }
            }
            from_sums(&sums, n as f64, groups)
        })
        .collect();
    let interval = |pick: &dyn Fn(&Replicate) -> f64, estimate: f64| {
        let mut values: Vec<f64> = replicates.iter().flatten().map(pick).collect();
        if values.is_empty() {
            return (estimate, estimate);
        }
        values.sort_by(f64::total_cmp);
        (quantile(&values, 0.025), quantile(&values, 0.975))
    };
    let indices = (0..groups)
        .map(|g| Index {
            first: first[g],
            total: total[g],
            first_interval: interval(&|r| r.0[g], first[g]),
            total_interval: interval(&|r| r.1[g], total[g]),
        })
        .collect();
    Estimates {
        mean,
        variance,
        indices: Some(indices),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Y = X1 + 2 X2 with independent standard uniforms: S1 = 1/5, S2 = 4/5, totals the same.
    #[test]
    fn an_additive_function_has_its_analytic_indices() {
        let n = 1 << 14;
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(3);
        let mut u = || crate::simulate::sampler::uniform(&mut rng);
        let a: Vec<[f64; 2]> = (0..n).map(|_| [u(), u()]).collect();
        let b: Vec<[f64; 2]> = (0..n).map(|_| [u(), u()]).collect();
        let f = |x: [f64; 2]| x[0] + 2.0 * x[1];
        let fa: Vec<f64> = a.iter().map(|x| f(*x)).collect();
        let fb: Vec<f64> = b.iter().map(|x| f(*x)).collect();
        let ab: Vec<Vec<f64>> = (0..2)
            .map(|g| {
                (0..n)
                    .map(|j| {
                        let mut x = a[j];
                        x[g] = b[j][g];
                        f(x)
                    })
                    .collect()
            })
            .collect();
        let e = Evaluations {
            a: &fa,
            b: &fb,
            ab: ab.iter().map(Vec::as_slice).collect(),
        };
        let estimates = estimate(&e, 200, 1);
        let indices = estimates.indices.clone().unwrap();
        for (index, expected) in indices.iter().zip([0.2, 0.8]) {
            for (value, (low, high)) in [
                (index.first, index.first_interval),
                (index.total, index.total_interval),
            ] {
                assert!(low <= value && value <= high);
                assert!(
                    low <= expected && expected <= high,
                    "{expected} in {low}..{high}"
                );
                assert!(high - low < 0.05, "{low}..{high}");
            }
        }
        assert!((estimates.variance - 5.0 / 12.0).abs() < 0.02);
        assert_eq!(estimate(&e, 200, 1), estimates, "seeded");
    }

    #[test]
    fn a_constant_output_has_no_indices() {
        let ones = vec![1.0; 8];
        let e = Evaluations {
            a: &ones,
            b: &ones,
            ab: vec![&ones],
        };
        assert_eq!(estimate(&e, 10, 1).indices, None);
    }
}
