//! The value of information from draws of every option's net benefit: EVPI, and EVPPI of an
//! input or group by a non-parametric regression of net benefit on it, each as the mean over
//! draws of the gain of deciding with that knowledge over deciding now, with its standard
//! error.
//!
//! With NB_d(j) option d's net benefit in draw j and d* the option with the highest mean:
//!
//! - EVPI = mean_j [max_d NB_d(j) - NB_d*(j)]: deciding after every uncertainty is resolved;
//! - EVPPI(x) = mean_j [NB_delta(j)(j) - NB_d*(j)], where delta(j) is the option a decision
//!   maker who knew only x would choose: the best by E[NB_d | x], estimated from the draws.
//!
//! E[NB_d | x] is estimated as Strong and Oakley (2013) do for one input: the draws are
//! ordered by x and cut into sqrt(n) bins of equal size, and within a bin the conditional
//! mean is the bin's mean. For a group of inputs it is a least-squares regression of each
//! option's net benefit less the first option's on the group's standardised inputs, their
//! squares and cubes and (for up to eight inputs) their pairwise products (the regression
//! method of Strong, Oakley and Brennan, 2014, with a polynomial in place of their GAM).
//! Both are cross-fitted: a bin's decision for its even-ranked draws comes from its
//! odd-ranked draws' means and the other way about, and a regression fitted on the even
//! draws decides for the odd ones and the other way about. So no draw's own noise chooses
//! its decision, which removes the upward bias of taking the maximum of noisy means: an
//! input that does not move net benefit has an EVPPI of zero within its error, and since
//! delta(j) can never beat the best option of draw j, EVPPI <= EVPI in every draw.
//!
//! The standard errors are sd / sqrt(n) of the per-draw gains, the decisions held fixed.

/// The option with the highest mean (the first of equals).
pub fn best(means: &[f64]) -> usize {
    (0..means.len()).fold(0, |b, d| if means[d] > means[b] { d } else { b })
}

/// Mean and standard error of a per-draw quantity.
pub fn mean_se(values: impl Iterator<Item = f64> + Clone) -> (f64, Option<f64>) {
    let n = values.clone().count() as f64;
    let mean = values.clone().sum::<f64>() / n;
    let ss: f64 = values.map(|v| (v - mean).powi(2)).sum();
    (mean, (n > 1.0).then(|| (ss / (n - 1.0) / n).sqrt()))
}

/// EVPI and its standard error; `nb[d][j]`.
pub fn evpi(nb: &[Vec<f64>], now: usize) -> (f64, Option<f64>) {
    let n = nb[0].len();
    mean_se((0..n).map(|j| {
        let max = nb.iter().map(|o| o[j]).fold(f64::NEG_INFINITY, f64::max);
        max - nb[now][j]
    }))
}

/// The gain of deciding by `decision` (per draw) over deciding now.
fn gain(nb: &[Vec<f64>], now: usize, decision: &[usize]) -> (f64, Option<f64>) {
    mean_se((0..decision.len()).map(|j| nb[decision[j]][j] - nb[now][j]))
}

/// EVPPI of one input, `x[j]` its draw in draw j, by cross-fitted bins.
pub fn evppi_binned(nb: &[Vec<f64>], now: usize, x: &[f64]) -> (f64, Option<f64>) {
    let n = x.len();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_unstable_by(|p, q| x[*p].total_cmp(&x[*q]).then(p.cmp(q)));
    let bins = ((n as f64).sqrt().round() as usize).clamp(1, (n / 2).max(1));
    let mut decision = vec![now; n];
    for b in 0..bins {
        let rows = &order[b * n / bins..(b + 1) * n / bins];
        for half in 0..2 {
            // Decide for this half from the other half's means.
            let other = rows.iter().skip(1 - half).step_by(2);
            let count = other.clone().count();
            if count == 0 {
                continue;
            }
            let means: Vec<f64> = nb
                .iter()
                .map(|o| other.clone().map(|j| o[*j]).sum::<f64>() / count as f64)
                .collect();
            let d = best(&means);
            for j in rows.iter().skip(half).step_by(2) {
                decision[*j] = d;
            }
        }
    }
    gain(nb, now, &decision)
}

/// The regression's terms for draw j of a group's standardised inputs `z`.
fn terms(z: &[Vec<f64>], j: usize, pairs: bool, out: &mut Vec<f64>) {
    out.clear();
    out.push(1.0);
    for x in z {
        let v = x[j];
        out.extend([v, v * v, v * v * v]);
    }
    if pairs {
        for a in 0..z.len() {
            for b in a + 1..z.len() {
                out.push(z[a][j] * z[b][j]);
            }
        }
    }
}

/// Solves the normal equations by Cholesky, dropping terms that add nothing (a pivot below
/// 1e-10 of its diagonal: a discrete input's cube, a constant draw).
fn solve(mut a: Vec<f64>, mut b: Vec<Vec<f64>>, p: usize) -> Vec<Vec<f64>> {
    let diagonal: Vec<f64> = (0..p).map(|i| a[i * p + i]).collect();
    let mut kept = vec![true; p];
    for j in 0..p {
        let mut pivot = a[j * p + j];
        for k in 0..j {
            pivot -= a[j * p + k] * a[j * p + k];
        }
        let threshold = 1e-10 * diagonal[j].max(f64::MIN_POSITIVE);
        // Also drops a NaN pivot.
        if pivot.partial_cmp(&threshold) != Some(std::cmp::Ordering::Greater) {
            kept[j] = false;
            for i in 0..p {
                a[i * p + j] = 0.0;
            }
            continue;
        }
        let root = pivot.sqrt();
        a[j * p + j] = root;
        for i in j + 1..p {
            let mut v = a[i * p + j];
            for k in 0..j {
                v -= a[i * p + k] * a[j * p + k];
            }
            a[i * p + j] = v / root;
        }
    }
    for rhs in &mut b {
        // L y = rhs, then L^T beta = y, skipping dropped terms.
        for i in 0..p {
            if !kept[i] {
                rhs[i] = 0.0;
                continue;
            }
            let mut v = rhs[i];
            for k in 0..i {
                v -= a[i * p + k] * rhs[k];
            }
            rhs[i] = v / a[i * p + i];
        }
        for i in (0..p).rev() {
            if !kept[i] {
                continue;
            }
            let mut v = rhs[i];
            for k in i + 1..p {
                v -= a[k * p + i] * rhs[k];
            }
            rhs[i] = v / a[i * p + i];
        }
    }
    b
}

/// EVPPI of a group of inputs (`xs[v][j]`) by cross-fitted polynomial regression.
pub fn evppi_regression(nb: &[Vec<f64>], now: usize, xs: &[&[f64]]) -> (f64, Option<f64>) {
    let n = nb[0].len();
    let z: Vec<Vec<f64>> = xs
        .iter()
        .map(|x| {
            let (mean, _) = mean_se(x.iter().copied());
            let sd = (x.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / n as f64).sqrt();
            let scale = if sd > 0.0 { 1.0 / sd } else { 0.0 };
            x.iter().map(|v| (v - mean) * scale).collect()
        })
        .collect();
    let pairs = xs.len() <= 8;
    let p = 1
        + 3 * xs.len()
        + if pairs {
            xs.len() * (xs.len() - 1) / 2
        } else {
            0
        };
    let options = nb.len();
    let mut row = Vec::with_capacity(p);
    // Fit on the draws of one parity, for each option's net benefit less the first's.
    let fit = |parity: usize, row: &mut Vec<f64>| {
        let mut xtx = vec![0.0; p * p];
        let mut xty = vec![vec![0.0; p]; options - 1];
        for j in (parity..n).step_by(2) {
            terms(&z, j, pairs, row);
            for a in 0..p {
                for b in 0..=a {
                    xtx[a * p + b] += row[a] * row[b];
                }
            }
            for (d, t) in xty.iter_mut().enumerate() {
                let y = nb[d + 1][j] - nb[0][j];
                for (a, value) in t.iter_mut().enumerate() {
                    *value += row[a] * y;
                }
            }
        }
        for a in 0..p {
            for b in a + 1..p {
                xtx[a * p + b] = xtx[b * p + a];
            }
        }
        solve(xtx, xty, p)
    };
    let coefficients = [fit(0, &mut row), fit(1, &mut row)];
    let mut decision = vec![0; n];
    for (j, d) in decision.iter_mut().enumerate() {
        // Draw j is decided by the fit on the other parity.
        let beta = &coefficients[1 - j % 2];
        terms(&z, j, pairs, &mut row);
        let mut predicted = vec![0.0; options];
        for (o, b) in beta.iter().enumerate() {
            predicted[o + 1] = b.iter().zip(&row).map(|(c, t)| c * t).sum();
        }
        *d = best(&predicted);
    }
    gain(nb, now, &decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    /// Standard normal draws by inverse CDF of seeded uniforms.
    fn normals(n: usize, seed: u64) -> Vec<f64> {
        use statrs::distribution::{ContinuousCDF, Normal};
        let normal = Normal::new(0.0, 1.0).unwrap();
        let mut rng = rand_xoshiro::Xoshiro256PlusPlus::seed_from_u64(seed);
        (0..n)
            .map(|_| normal.inverse_cdf(crate::simulate::sampler::uniform(&mut rng)))
            .collect()
    }

    #[test]
    fn evppi_of_the_only_input_is_evpi_and_of_noise_is_zero() {
        // NB_1 - NB_0 = x - 0.5 + noise, x standard normal: with x known, the gain is
        // E[max(x - 0.5, 0)] = phi(0.5) - 0.5 (1 - Phi(0.5)) = 0.19780.
        let n = 200_000;
        let x = normals(n, 1);
        let noise = normals(n, 2);
        let unrelated = normals(n, 3);
        let nb = vec![
            vec![0.0; n],
            (0..n)
                .map(|j| x[j] - 0.5 + 0.5 * noise[j])
                .collect::<Vec<_>>(),
        ];
        let now = best(&[0.0, -0.5]);
        assert_eq!(now, 0);
        let (value, se) = evppi_binned(&nb, now, &x);
        let expected = 0.197_80;
        assert!((value - expected).abs() < 0.01, "{value} ± {se:?}");
        let (by_regression, _) = evppi_regression(&nb, now, &[&x]);
        assert!((by_regression - expected).abs() < 0.01, "{by_regression}");
        let (none, se) = evppi_binned(&nb, now, &unrelated);
        assert!(none.abs() < 4.0 * se.unwrap() + 1e-3, "{none} ± {se:?}");
        let (none, se) = evppi_regression(&nb, now, &[&unrelated, &unrelated]);
        assert!(none.abs() < 4.0 * se.unwrap() + 1e-3, "{none} ± {se:?}");
        let (perfect, _) = evpi(&nb, now);
        assert!(value <= perfect && by_regression <= perfect);
    }
}
