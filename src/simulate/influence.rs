//! The Monte Carlo's own sensitivity, as @RISK and Crystal Ball show it, from the draws that
//! happened together in the first iterations of the run (at most
//! [`super::collect::INFLUENCE_SAMPLE`]):
//!
//! - each input's Spearman rank correlation with cumulative net benefit over the horizon
//!   (tied values share their mean rank);
//! - its contribution to variance: its squared rank correlation as a share of the sum of all
//!   the squared rank correlations (Crystal Ball's measure: a ranking of shares, not a
//!   decomposition; with correlated inputs the shares overlap);
//! - a tornado of the output's mean: the mean cumulative net benefit over the iterations in
//!   which the input was in its bottom tenth (by rank), and in its top tenth, so that each
//!   bar is made of iterations that happened, with every other input as it was drawn.

use serde::Serialize;

/// One input's influence on the headline output.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct InputInfluence {
    pub input: String,
    /// Spearman rank correlation with the output; `null` when undefined (a draw that never
    /// varies, or fewer than two iterations).
    pub rank_correlation: Option<f64>,
    /// Squared rank correlation as a share of all of them; `null` when undefined.
    pub contribution_to_variance: Option<f64>,
    /// Mean output over the iterations with the input in its bottom tenth, then its top.
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub mean_when_low: f64,
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub mean_when_high: f64,
    /// mean_when_high - mean_when_low.
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub swing: f64,
}

/// The run's sensitivity of one output.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Influence {
    /// `cumulative_net`: over the horizon.
    pub output: String,
    /// The iterations measured: the first ones, at most 131,072.
    pub iterations: usize,
    /// Iterations in each tenth.
    pub per_tenth: usize,
    /// Mean output over those iterations.
    #[serde(serialize_with = "crate::export::schema::money::pounds")]
    #[schemars(with = "crate::export::schema::DecimalText")]
    pub mean: f64,
    /// Ranked by the size of the rank correlation, largest first.
    pub inputs: Vec<InputInfluence>,
}

/// The iterations in order of their value (ties in iteration order).
fn order(x: &[f64]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_unstable_by(|p, q| x[*p].total_cmp(&x[*q]).then(p.cmp(q)));
    idx
}

fn varies(x: &[f64]) -> bool {
    x.iter().any(|v| v.to_bits() != x[0].to_bits())
}

/// The influence of each of `inputs` (named by `names`) on `output`, over equally long
/// columns; `None` with fewer than ten iterations (no tenth to take).
pub fn influence(names: &[String], inputs: &[Vec<f64>], output: &[f64]) -> Option<Influence> {
    let n = output.len();
    if n < 10 || inputs.len() != names.len() {
        return None;
    }
    let centre = (n as f64 - 1.0) / 2.0;
    // Ranks less their mean, tied values sharing the mean of their ranks (a discrete input).
    let rank_of = |x: &[f64]| {
        let sorted = order(x);
        let mut r = vec![0.0; n];
        let mut start = 0;
        while start < n {
            let mut end = start + 1;
            while end < n && x[sorted[end]].to_bits() == x[sorted[start]].to_bits() {
                end += 1;
            }
            let shared = (start + end - 1) as f64 / 2.0 - centre;
            for i in &sorted[start..end] {
                r[*i] = shared;
            }
            start = end;
        }
        r
    };
    let output_ranks = varies(output).then(|| rank_of(output));

    let tenth = n / 10;
    let mean_of = |rows: &[usize]| rows.iter().map(|i| output[*i]).sum::<f64>() / rows.len() as f64;
    let mut list: Vec<InputInfluence> = names
        .iter()
        .zip(inputs)
        .map(|(name, x)| {
            let x = &x[..n];
            let rank_correlation = match (&output_ranks, varies(x)) {
                (Some(ry), true) => {
                    let rx = rank_of(x);
                    let dot =
                        |p: &[f64], q: &[f64]| p.iter().zip(q).map(|(a, b)| a * b).sum::<f64>();
                    Some(dot(&rx, ry) / (dot(&rx, &rx) * dot(ry, ry)).sqrt())
                }
                _ => None,
            };
            let sorted = order(x);
            let (low, high) = (mean_of(&sorted[..tenth]), mean_of(&sorted[n - tenth..]));
            InputInfluence {
                input: name.clone(),
                rank_correlation,
                contribution_to_variance: None,
                mean_when_low: low,
                mean_when_high: high,
                swing: high - low,
            }
        })
        .collect();
    let squares: f64 = list
        .iter()
        .filter_map(|i| i.rank_correlation)
        .map(|r| r * r)
        .sum();
    if squares > 0.0 {
        for i in &mut list {
            i.contribution_to_variance = i.rank_correlation.map(|r| r * r / squares);
        }
    }
    let size = |i: &InputInfluence| i.rank_correlation.map_or(-1.0, f64::abs);
    list.sort_by(|a, b| size(b).total_cmp(&size(a)));
    Some(Influence {
        output: "cumulative_net".into(),
        iterations: n,
        per_tenth: tenth,
        mean: output.iter().sum::<f64>() / n as f64,
        inputs: list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_shares_and_tenths_have_their_known_values() {
        // y = 3a - b over a grid of 100 x 10 (a from 0 to 99, b from 0 to 9): rank
        // correlations follow the spread, and the bottom tenth of `a` is a = 0 to 9.
        let (mut a, mut b, mut y) = (Vec::new(), Vec::new(), Vec::new());
        for i in 0..100 {
            for j in 0..10 {
                a.push(i as f64);
                b.push(j as f64);
                y.push(3.0 * i as f64 - j as f64);
            }
        }
        let constant = vec![1.0; 1000];
        let names = ["a", "b", "c"].map(String::from);
        let got = influence(&names, &[a, b, constant], &y).unwrap();
        assert_eq!(got.iterations, 1000);
        assert_eq!(got.per_tenth, 100);
        let [first, second, third] = got.inputs.as_slice() else {
            panic!()
        };
        assert_eq!((first.input.as_str(), second.input.as_str()), ("a", "b"));
        assert!(first.rank_correlation.unwrap() > 0.99);
        assert!(second.rank_correlation.unwrap() < -0.0 && second.rank_correlation.unwrap() > -0.1);
        let shares =
            first.contribution_to_variance.unwrap() + second.contribution_to_variance.unwrap();
        assert!((shares - 1.0).abs() < 1e-12);
        assert_eq!(third.rank_correlation, None);
        // a in 0..=9: mean 3 x 4.5 - 4.5 = 9; a in 90..=99: 3 x 94.5 - 4.5 = 279.
        assert!((first.mean_when_low - 9.0).abs() < 1e-9);
        assert!((first.mean_when_high - 279.0).abs() < 1e-9);
        assert!((first.swing - 270.0).abs() < 1e-9);
        assert!(influence(&names[..1], &[vec![1.0; 9]], &[0.0; 9]).is_none());
    }
}
