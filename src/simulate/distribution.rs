//! Probability distributions for uncertain inputs: parsed exactly from YAML, checked, and
//! sampled by inverse CDF (so Latin hypercube and rank correlation apply to every kind).

#[cfg(target_arch = "x86_64")]
mod avx2;
mod raw;

pub use raw::{MeanSd, MinMax, RawDiscrete, RawDistribution, RawNormal, ThreePoint};
use serde::Serialize;
use statrs::distribution::{Beta, ContinuousCDF, Normal};

/// Points of the tabulated inverse CDF for PERT (beta) and normal; between them the quantile
/// is interpolated linearly. The outer 1/64 of each tail has a table of its own, 64 times finer,
/// and its outermost cell is computed exactly.
const NORMAL_TABLE: usize = 4096;
/// The beta inverse CDF is costly to tabulate; a coarser table keeps set-up near 10 ms.
const PERT_TABLE: usize = 2048;
const TAIL: f64 = 1.0 / 64.0;

/// A checked distribution, ready to sample.
#[derive(Debug, Clone)]
pub struct Distribution {
    pub kind: Kind,
    /// Tabulated standard quantiles for kinds that need them: the body, the low tail and the
    /// high tail, each `points + 1` values.
    table: Vec<f64>,
    low: Vec<f64>,
    high: Vec<f64>,
    points: usize,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Kind {
    Uniform {
        min: f64,
        max: f64,
    },
    Triangular {
        min: f64,
        mode: f64,
        max: f64,
    },
    Pert {
        min: f64,
        mode: f64,
        max: f64,
        alpha: f64,
        beta: f64,
    },
    /// Truncated to [lower, upper] (infinite when not truncated).
    Normal {
        mean: f64,
        sd: f64,
        lower: f64,
        upper: f64,
    },
    /// Parameters of the underlying normal.
    Lognormal {
        mu: f64,
        sigma: f64,
    },
    Discrete {
        values: Vec<f64>,
        cumulative: Vec<f64>,
    },
}

impl Distribution {
    pub fn new(kind: Kind) -> Distribution {
        let exact: Option<Box<dyn Fn(f64) -> f64>> = match &kind {
            Kind::Pert {
                alpha,
                beta,
                min,
                max,
                ..
            } if max > min => {
                let dist = Beta::new(*alpha, *beta).expect("shapes above zero");
                Some(Box::new(move |u| dist.inverse_cdf(u)))
            }
            Kind::Normal { .. } | Kind::Lognormal { .. } => {
                let std = Normal::standard();
                Some(Box::new(move |u| std.inverse_cdf(u)))
            }
            _ => None,
        };
        let points = if matches!(kind, Kind::Pert { .. }) {
            PERT_TABLE
        } else {
            NORMAL_TABLE
        };
        let grid = |from: f64, width: f64| -> Vec<f64> {
            match &exact {
                Some(f) => (0..=points)
                    .map(|i| f(from + width * i as f64 / points as f64))
                    .collect(),
                None => Vec::new(),
            }
        };
        Distribution {
            table: grid(0.0, 1.0),
            low: grid(0.0, TAIL),
            high: grid(1.0 - TAIL, TAIL),
            points,
            kind,
        }
    }

    /// The smallest and largest values the distribution can take.
    pub fn support(&self) -> (f64, f64) {
        match &self.kind {
            Kind::Uniform { min, max }
            | Kind::Triangular { min, max, .. }
            | Kind::Pert { min, max, .. } => (*min, *max),
            Kind::Normal { lower, upper, .. } => (*lower, *upper),
            Kind::Lognormal { .. } => (0.0, f64::INFINITY),
            Kind::Discrete { values, .. } => values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
                    (lo.min(*v), hi.max(*v))
                }),
        }
    }

    /// The value at cumulative probability `u` in (0, 1).
    pub fn quantile(&self, u: f64) -> f64 {
        match &self.kind {
            Kind::Uniform { min, max } => min + (max - min) * u,
            Kind::Triangular { min, mode, max } => {
                let width = max - min;
                if width <= 0.0 {
                    return *min;
                }
                let split = (mode - min) / width;
                if u < split {
                    min + (u * (width * (mode - min))).sqrt()
                } else {
                    max - ((1.0 - u) * (width * (max - mode))).sqrt()
                }
            }
            Kind::Pert {
                min,
                max,
                alpha,
                beta,
                ..
            } => {
                if max <= min {
                    return *min;
                }
                min + (max - min)
                    * self.tabled(u, || {
                        Beta::new(*alpha, *beta)
                            .expect("shapes above zero")
                            .inverse_cdf(u)
                    })
            }
            Kind::Normal {
                mean,
                sd,
                lower,
                upper,
            } => {
                if lower.is_infinite() && upper.is_infinite() {
                    return mean + sd * self.standard_normal(u);
                }
                if *sd == 0.0 {
                    return mean.clamp(*lower, *upper);
                }
                // Truncation: map u into the CDF range between the bounds.
                let std = Normal::standard();
                let lo = std.cdf((lower - mean) / sd);
                let hi = std.cdf((upper - mean) / sd);
                (mean + sd * std.inverse_cdf(lo + u * (hi - lo))).clamp(*lower, *upper)
            }
            Kind::Lognormal { mu, sigma } => (mu + sigma * self.standard_normal(u)).exp(),
            Kind::Discrete { values, cumulative } => {
                let index = cumulative.partition_point(|c| *c < u).min(values.len() - 1);
                values[index]
            }
        }
    }

    /// Replaces each probability in `values` by its quantile: [`Distribution::quantile`] with
    /// the choice of kind made once for the whole column rather than once a draw.
    #[inline(always)]
    pub fn quantiles_in_place(&self, values: &mut [f64]) {
        if let Some((offset, scale)) = self.tabled_line() {
            for u in values.iter_mut() {
                *u = offset + scale * self.tabled_fast(*u, |p| self.exact_standard(p));
            }
            return;
        }
        match &self.kind {
            Kind::Uniform { min, max } => {
                let width = max - min;
                for u in values.iter_mut() {
                    *u = min + width * *u;
                }
            }
            Kind::Triangular { min, mode, max } if max > min => {
                // Both branches, then a choice: no jumps, so the loop vectorises.
                let width = max - min;
                let split = (mode - min) / width;
                let (low, high) = (width * (mode - min), width * (max - mode));
                for u in values.iter_mut() {
                    let p = *u;
                    let below = min + (p * low).sqrt();
                    let above = max - ((1.0 - p) * high).sqrt();
                    *u = if p < split { below } else { above };
                }
            }
            _ => {
                for u in values.iter_mut() {
                    *u = self.quantile(*u);
                }
            }
        }
    }
    /// For the kinds drawn from the tables (PERT with a width, untruncated normal), the value
    /// is `offset + scale * standard quantile`: this gives `(offset, scale)`.
    #[inline(always)]
    fn tabled_line(&self) -> Option<(f64, f64)> {
        match &self.kind {
            Kind::Pert { min, max, .. } if max > min => Some((*min, max - min)),
            Kind::Normal {
                mean,
                sd,
                lower,
                upper,
            } if lower.is_infinite() && upper.is_infinite() => Some((*mean, *sd)),
            _ => None,
        }
    }

    /// The standard quantile of a tabled kind computed exactly, for the tables' outermost cells.
    fn exact_standard(&self, p: f64) -> f64 {
        match &self.kind {
            Kind::Pert { alpha, beta, .. } => Beta::new(*alpha, *beta)
                .expect("shapes above zero")
                .inverse_cdf(p),
            _ => Normal::standard().inverse_cdf(p),
        }
    }

    #[inline(always)]
    fn standard_normal(&self, u: f64) -> f64 {
        self.tabled(u, || Normal::standard().inverse_cdf(u))
    }

    /// [`Distribution::tabled`] with the body of the table, where nearly every draw falls,
    /// handled first in a few instructions; the same arithmetic, so the same bits.
    #[inline(always)]
    fn tabled_fast(&self, u: f64, exact: impl Fn(f64) -> f64) -> f64 {
        if (TAIL..=1.0 - TAIL).contains(&u) {
            let position = u * self.points as f64;
            // Inside the body the position is below `points`, so the cast cannot saturate.
            let cell = (position as u32 as usize).min(self.points - 1);
            let weight = position - cell as f64;
            let (low, high) = (self.table[cell], self.table[cell + 1]);
            low + weight * (high - low)
        } else {
            self.tabled(u, || exact(u))
        }
    }

    /// Linear interpolation in the tables, exact computation in the outermost cells.
    #[inline(always)]
    fn tabled(&self, u: f64, exact: impl Fn() -> f64) -> f64 {
        let scale = self.points as f64;
        // Each table's cell that touches 0 or 1, where the quantile runs off to infinity.
        let (table, position, outermost) = if u < TAIL {
            (&self.low, u / TAIL * scale, 0)
        } else if u > 1.0 - TAIL {
            (
                &self.high,
                (u - (1.0 - TAIL)) / TAIL * scale,
                self.points - 1,
            )
        } else {
            (&self.table, u * scale, usize::MAX)
        };
        let cell = (position as usize).min(self.points - 1);
        if cell == outermost {
            return exact();
        }
        let weight = position - cell as f64;
        table[cell] + weight * (table[cell + 1] - table[cell])
    }

    /// A short description, e.g. `triangular(1.5, 2, 2.5)`.
    pub fn describe(&self) -> String {
        match &self.kind {
            Kind::Uniform { min, max } => format!("uniform({min}, {max})"),
            Kind::Triangular { min, mode, max } => format!("triangular({min}, {mode}, {max})"),
            Kind::Pert { min, mode, max, .. } => format!("pert({min}, {mode}, {max})"),
            Kind::Normal {
                mean,
                sd,
                lower,
                upper,
            } if lower.is_finite() || upper.is_finite() => {
                format!("normal({mean}, sd {sd}) truncated to [{lower}, {upper}]")
            }
            Kind::Normal { mean, sd, .. } => format!("normal({mean}, sd {sd})"),
            Kind::Lognormal { mu, sigma } => format!("lognormal(mu {mu:.4}, sigma {sigma:.4})"),
            Kind::Discrete { values, .. } => format!("discrete({} values)", values.len()),
        }
    }
}

/// A distribution from its YAML, for the tests of this module and its parts.
#[cfg(test)]
fn build(yaml: &str) -> Result<Distribution, String> {
    serde_yaml::from_str::<RawDistribution>(yaml)
        .unwrap()
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_closed_forms() {
        let tri = build("triangular: { min: 1, mode: 2, max: 4 }").unwrap();
        // F(mode) = (mode - min) / (max - min) = 1/3.
        assert!((tri.quantile(1.0 / 3.0) - 2.0).abs() < 1e-12);
        assert!((tri.quantile(0.5) - (4.0 - (0.5f64 * 3.0 * 2.0).sqrt())).abs() < 1e-12);
        let uni = build("uniform: { min: 10, max: 20 }").unwrap();
        assert_eq!(uni.quantile(0.25), 12.5);
        let normal = build("normal: { mean: 100, sd: 15 }").unwrap();
        assert!((normal.quantile(0.975) - (100.0 + 15.0 * 1.959963984540054)).abs() < 1e-4);
        assert!((normal.quantile(0.5) - 100.0).abs() < 1e-9);
        let pert = build("pert: { min: 0, mode: 0.5, max: 1 }").unwrap();
        assert!((pert.quantile(0.5) - 0.5).abs() < 1e-6);
        let truncated = build("normal: { mean: 0, sd: 1, min: 0 }").unwrap();
        assert!(truncated.quantile(0.001) >= 0.0);
        // Half-normal median: the 75th percentile of the standard normal.
        assert!((truncated.quantile(0.5) - 0.6744897501960817).abs() < 1e-6);
        let discrete = build("discrete: { values: [1, 2, 3], weights: [1, 1, 2] }").unwrap();
        assert_eq!(
            (
                discrete.quantile(0.2),
                discrete.quantile(0.3),
                discrete.quantile(0.6)
            ),
            (1.0, 2.0, 3.0)
        );
        let lognormal = build("lognormal: { mean: 10, sd: 0 }").unwrap();
        assert!((lognormal.quantile(0.3) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn tabled_quantiles_track_the_exact_inverse_cdf() {
        let pert = build("pert: { min: 1, mode: 2, max: 5 }").unwrap();
        let Kind::Pert { alpha, beta, .. } = pert.kind else {
            unreachable!()
        };
        let exact = Beta::new(alpha, beta).unwrap();
        for i in 1..10000 {
            let u = i as f64 / 10000.0;
            // Within a ten-thousandth of the range: far below any Monte Carlo error.
            let gap = (pert.quantile(u) - (1.0 + 4.0 * exact.inverse_cdf(u))).abs();
            assert!(gap < 1e-4, "u {u}: {gap}");
        }
    }
}
