//! Probability distributions for uncertain inputs: parsed exactly from YAML, checked, and
//! sampled by inverse CDF (so Latin hypercube and rank correlation apply to every kind).

use crate::scenario::raw::Amount;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::{Deserialize, Serialize};
use statrs::distribution::{Beta, ContinuousCDF, Normal};

/// A distribution as written in a scenario: exactly one kind.
#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a distribution such as `{ triangular: { min: 1, mode: 2, max: 3 } }`"
)]
pub struct RawDistribution {
    pub uniform: Option<MinMax>,
    pub triangular: Option<ThreePoint>,
    pub pert: Option<ThreePoint>,
    pub normal: Option<RawNormal>,
    pub lognormal: Option<MeanSd>,
    pub discrete: Option<RawDiscrete>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a mapping of `min` and `max`")]
pub struct MinMax {
    pub min: Amount,
    pub max: Amount,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `min`, `mode` and `max`"
)]
pub struct ThreePoint {
    pub min: Amount,
    pub mode: Amount,
    pub max: Amount,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `mean` and `sd`, with optional `min` and `max`"
)]
pub struct RawNormal {
    pub mean: Amount,
    pub sd: Amount,
    /// Truncation bounds, optional.
    pub min: Option<Amount>,
    pub max: Option<Amount>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a mapping of `mean` and `sd`")]
pub struct MeanSd {
    pub mean: Amount,
    pub sd: Amount,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, expecting = "a mapping of `values` and `weights`")]
pub struct RawDiscrete {
    pub values: Vec<Amount>,
    pub weights: Vec<Amount>,
}

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

fn f(a: &Amount) -> f64 {
    a.0.to_f64().unwrap_or(f64::NAN)
}

impl RawDistribution {
    /// Checks the parameters; the message names the field at fault.
    pub fn build(&self) -> Result<Distribution, String> {
        let given = [
            self.uniform.is_some(),
            self.triangular.is_some(),
            self.pert.is_some(),
            self.normal.is_some(),
            self.lognormal.is_some(),
            self.discrete.is_some(),
        ];
        if given.iter().filter(|g| **g).count() != 1 {
            return Err(
                "give exactly one of uniform, triangular, pert, normal, lognormal or discrete"
                    .into(),
            );
        }
        let three = |t: &ThreePoint, name: &str| -> Result<(f64, f64, f64), String> {
            if t.min.0 > t.max.0 {
                return Err(format!(
                    "{name}: min ({}) is above max ({})",
                    t.min.0, t.max.0
                ));
            }
            if t.mode.0 < t.min.0 || t.mode.0 > t.max.0 {
                return Err(format!("{name}: mode ({}) is outside min to max", t.mode.0));
            }
            Ok((f(&t.min), f(&t.mode), f(&t.max)))
        };
        let kind = if let Some(u) = &self.uniform {
            if u.min.0 > u.max.0 {
                return Err(format!(
                    "uniform: min ({}) is above max ({})",
                    u.min.0, u.max.0
                ));
            }
            Kind::Uniform {
                min: f(&u.min),
                max: f(&u.max),
            }
        } else if let Some(t) = &self.triangular {
            let (min, mode, max) = three(t, "triangular")?;
            Kind::Triangular { min, mode, max }
        } else if let Some(t) = &self.pert {
            let (min, mode, max) = three(t, "pert")?;
            // The standard PERT: beta with shape 1 + 4 (mode - min) / (max - min).
            let (alpha, beta) = if max > min {
                (
                    1.0 + 4.0 * (mode - min) / (max - min),
                    1.0 + 4.0 * (max - mode) / (max - min),
                )
            } else {
                (3.0, 3.0)
            };
            Kind::Pert {
                min,
                mode,
                max,
                alpha,
                beta,
            }
        } else if let Some(n) = &self.normal {
            if n.sd.0 < Decimal::ZERO {
                return Err(format!("normal: sd ({}) is negative", n.sd.0));
            }
            let lower = n.min.as_ref().map(f).unwrap_or(f64::NEG_INFINITY);
            let upper = n.max.as_ref().map(f).unwrap_or(f64::INFINITY);
            if lower >= upper {
                return Err("normal: min must be below max".into());
            }
            Kind::Normal {
                mean: f(&n.mean),
                sd: f(&n.sd),
                lower,
                upper,
            }
        } else if let Some(l) = &self.lognormal {
            if l.mean.0 <= Decimal::ZERO {
                return Err(format!("lognormal: mean ({}) must be above zero", l.mean.0));
            }
            if l.sd.0 < Decimal::ZERO {
                return Err(format!("lognormal: sd ({}) is negative", l.sd.0));
            }
            let (mean, sd) = (f(&l.mean), f(&l.sd));
            let sigma2 = (1.0 + (sd / mean).powi(2)).ln();
            Kind::Lognormal {
                mu: mean.ln() - sigma2 / 2.0,
                sigma: sigma2.sqrt(),
            }
        } else {
            let d = self.discrete.as_ref().expect("one kind is given");
            if d.values.is_empty() || d.values.len() != d.weights.len() {
                return Err("discrete: give as many weights as values (at least one)".into());
            }
            if d.weights.iter().any(|w| w.0 < Decimal::ZERO) {
                return Err("discrete: weights cannot be negative".into());
            }
            let total: f64 = d.weights.iter().map(f).sum();
            if total <= 0.0 {
                return Err("discrete: weights must add up to more than zero".into());
            }
            let mut running = 0.0;
            let cumulative = d
                .weights
                .iter()
                .map(|w| {
                    running += f(w) / total;
                    running
                })
                .collect();
            Kind::Discrete {
                values: d.values.iter().map(f).collect(),
                cumulative,
            }
        };
        Ok(Distribution::new(kind))
    }
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

    /// [`Distribution::quantiles_in_place`] for a processor with AVX2: the body of the PERT
    /// and normal tables four draws at a time, by the same operations, so with the same bits.
    ///
    /// # Safety
    ///
    /// The processor must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    pub fn quantiles_in_place_avx2(&self, values: &mut [f64]) {
        use std::arch::x86_64::*;
        if let Kind::Triangular { min, mode, max } = self.kind {
            if max > min {
                return triangular_avx2(values, min, mode, max);
            }
        }
        let Some((offset, scale)) = self.tabled_line() else {
            return self.quantiles_in_place(values);
        };
        let scalar = |u: f64| offset + scale * self.tabled_fast(u, |p| self.exact_standard(p));
        let points = _mm256_set1_pd(self.points as f64);
        let (low, high) = (_mm256_set1_pd(TAIL), _mm256_set1_pd(1.0 - TAIL));
        let (offset4, scale4) = (_mm256_set1_pd(offset), _mm256_set1_pd(scale));
        let mut chunks = values.chunks_exact_mut(4);
        for chunk in &mut chunks {
            // SAFETY: the chunk is four f64s, loaded and stored unaligned.
            let u = unsafe { _mm256_loadu_pd(chunk.as_ptr()) };
            let body = _mm256_and_pd(
                _mm256_cmp_pd::<_CMP_GE_OQ>(u, low),
                _mm256_cmp_pd::<_CMP_LE_OQ>(u, high),
            );
            let standard = super::kernel::interpolate(&self.table, _mm256_mul_pd(u, points));
            let value = _mm256_add_pd(offset4, _mm256_mul_pd(scale4, standard));
            // SAFETY: as for the load.
            unsafe { _mm256_storeu_pd(chunk.as_mut_ptr(), value) };
            // About one chunk in eight has a draw in a tail (1/32 of draws): redone one by one.
            let inside = _mm256_movemask_pd(body);
            if inside != 0b1111 {
                // SAFETY: four f64s, any bits of which are a valid array of four f64s.
                let drawn: [f64; 4] = unsafe { std::mem::transmute(u) };
                for (lane, (value, u)) in chunk.iter_mut().zip(drawn).enumerate() {
                    if inside & (1 << lane) == 0 {
                        *value = scalar(u);
                    }
                }
            }
        }
        for u in chunks.into_remainder() {
            *u = scalar(*u);
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

/// The triangular quantiles of [`Distribution::quantiles_in_place`], four at a time with one
/// square root, of the chosen branch's operand, where the scalar loop takes both (the compiler
/// turns a choice of operand before a square root into jumps): the same operations on the
/// chosen side, so the same bits, for half the costliest instructions.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn triangular_avx2(values: &mut [f64], min: f64, mode: f64, max: f64) {
    use std::arch::x86_64::*;
    let width = max - min;
    let split = (mode - min) / width;
    let (low, high) = (width * (mode - min), width * (max - mode));
    let (min4, max4, one) = (
        _mm256_set1_pd(min),
        _mm256_set1_pd(max),
        _mm256_set1_pd(1.0),
    );
    let (split4, low4, high4) = (
        _mm256_set1_pd(split),
        _mm256_set1_pd(low),
        _mm256_set1_pd(high),
    );
    let mut chunks = values.chunks_exact_mut(4);
    for chunk in &mut chunks {
        // SAFETY: the chunk is four f64s, loaded and stored unaligned.
        let p = unsafe { _mm256_loadu_pd(chunk.as_ptr()) };
        let below = _mm256_cmp_pd::<_CMP_LT_OQ>(p, split4);
        let operand = _mm256_blendv_pd(
            _mm256_mul_pd(_mm256_sub_pd(one, p), high4),
            _mm256_mul_pd(p, low4),
            below,
        );
        let root = _mm256_sqrt_pd(operand);
        let value = _mm256_blendv_pd(_mm256_sub_pd(max4, root), _mm256_add_pd(min4, root), below);
        // SAFETY: as for the load.
        unsafe { _mm256_storeu_pd(chunk.as_mut_ptr(), value) };
    }
    for u in chunks.into_remainder() {
        let p = *u;
        *u = if p < split {
            min + (p * low).sqrt()
        } else {
            max - ((1.0 - p) * high).sqrt()
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(yaml: &str) -> Result<Distribution, String> {
        serde_yaml::from_str::<RawDistribution>(yaml)
            .unwrap()
            .build()
    }

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

    #[test]
    fn bad_parameters_are_errors() {
        for (yaml, fragment) in [
            (
                "triangular: { min: 3, mode: 2, max: 1 }",
                "min (3) is above max",
            ),
            ("pert: { min: 1, mode: 5, max: 3 }", "mode (5) is outside"),
            ("normal: { mean: 1, sd: -1 }", "sd (-1) is negative"),
            ("uniform: { min: 2, max: 1 }", "above max"),
            (
                "discrete: { values: [1], weights: [1, 2] }",
                "as many weights",
            ),
            ("lognormal: { mean: 0, sd: 1 }", "above zero"),
        ] {
            let error = build(yaml).unwrap_err();
            assert!(error.contains(fragment), "{yaml}: {error}");
        }
        assert!(
            serde_yaml::from_str::<RawDistribution>("{}")
                .unwrap()
                .build()
                .is_err()
        );
    }

    #[cfg(target_arch = "x86_64")]
    #[test]
    fn four_at_a_time_quantiles_are_the_scalar_ones() {
        use crate::simulate::kernel::Isa;
        if Isa::detect() != Isa::Avx2 {
            return;
        }
        // Evenly spread probabilities, then the edges: the tails' bounds and their neighbours,
        // cell boundaries of both tables, the extremes a draw can take.
        let mut probabilities: Vec<f64> =
            (0..20_011).map(|i| (i as f64 + 0.5) / 20_011.0).collect();
        for edge in [TAIL, 1.0 - TAIL, 0.5, 1.0 / 3.0] {
            probabilities.extend([edge.next_down(), edge, edge.next_up()]);
        }
        for i in 0..=4096 {
            let p = i as f64 / 4096.0;
            probabilities.extend([p.next_down(), p, p.next_up(), TAIL * p, 1.0 - TAIL * p]);
        }
        // The smallest draws and the largest below 1; no draw is below 2^-54 (and the exact
        // beta quantile fails for some far smaller probabilities).
        let smallest = 1.0 / 18_014_398_509_481_984.0;
        probabilities.extend([
            smallest,
            2.0 * smallest,
            1.0 - 2.0 * smallest,
            1.0 - smallest,
        ]);
        probabilities.retain(|p| (smallest..1.0).contains(p));
        for yaml in [
            "pert: { min: 1, mode: 2, max: 5 }",
            "pert: { min: 0.6, mode: 1.0, max: 1.15 }",
            "normal: { mean: 100, sd: 15 }",
            "normal: { mean: 0, sd: 1 }",
            "triangular: { min: 450, mode: 586, max: 800 }",
            "triangular: { min: 1, mode: 1, max: 2 }",
            "triangular: { min: 1, mode: 2, max: 2 }",
            "uniform: { min: 15, max: 22 }",
            "lognormal: { mean: 10, sd: 2 }",
        ] {
            let distribution = build(yaml).unwrap();
            // Odd lengths leave a remainder after the fours, done the scalar way.
            for length in [probabilities.len(), probabilities.len() - 1] {
                let mut scalar = probabilities[..length].to_vec();
                let mut fast = scalar.clone();
                distribution.quantiles_in_place(&mut scalar);
                // SAFETY: AVX2 was detected above.
                unsafe { distribution.quantiles_in_place_avx2(&mut fast) };
                for ((a, b), p) in scalar.iter().zip(&fast).zip(&probabilities) {
                    assert_eq!(a.to_bits(), b.to_bits(), "{yaml} at {p:e}");
                }
            }
        }
    }
}
