//! The YAML-facing shapes of a distribution, parsed exactly, and their checking into a
//! [`Distribution`] ready to sample.

use super::{Distribution, Kind};
use crate::scenario::raw::Amount;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Deserialize;

/// A distribution as written in a scenario: exactly one kind.
#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a mapping of `min` and `max`")]
pub struct MinMax {
    pub min: Amount,
    pub max: Amount,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(
    deny_unknown_fields,
    expecting = "a mapping of `min`, `mode` and `max`"
)]
pub struct ThreePoint {
    pub min: Amount,
    pub mode: Amount,
    pub max: Amount,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
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

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a mapping of `mean` and `sd`")]
pub struct MeanSd {
    pub mean: Amount,
    pub sd: Amount,
}

#[derive(Debug, Clone, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields, expecting = "a mapping of `values` and `weights`")]
pub struct RawDiscrete {
    pub values: Vec<Amount>,
    pub weights: Vec<Amount>,
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

#[cfg(test)]
mod tests {
    use super::super::build;
    use super::*;

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
}
