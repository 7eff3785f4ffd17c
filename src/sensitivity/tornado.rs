//! `tec-model tornado`: each input moved alone from its low to its high value with every other
//! input at base; the swing in one output, ranked largest first.
//!
//! Ranges come from `--range input=low..high`. Without any, every input gets the range
//! [`default_range`] gives it: today ±20% of its base value, clamped to the input's allowed
//! range. That function is the one place where a distribution's P10 and P90 plug in.

use super::SensitivityError;
use super::outputs;
use super::render::Cells;
use super::sweep::base_report;
use super::vary::{Range, check_disjoint};
use crate::export::{Format, format_money};
use crate::scenario::Scenario;
use crate::scenario::input::Input;
use crate::scenario::params::Domain;
use rust_decimal::Decimal;
use serde::Serialize;

/// The share of the base value each way of the default range.
pub const DEFAULT_SPREAD: Decimal = Decimal::from_parts(2, 0, 0, false, 1);

/// Where a bar's range comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RangeSource {
    /// `--range` on the command line.
    Given,
    /// ±20% of the base value, clamped to the input's range.
    PlusMinus20,
    /// The P10 and P90 of the input's distribution in the scenario's `uncertain` section.
    Distribution,
}

impl RangeSource {
    pub fn label(self) -> &'static str {
        match self {
            RangeSource::Given => "given",
            RangeSource::PlusMinus20 => "base ±20%",
            RangeSource::Distribution => "P10 to P90",
        }
    }
}

/// One input's bar.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Bar {
    pub input: String,
    /// The base value (`None` for a series whose years differ).
    pub base: Option<Decimal>,
    pub low: Decimal,
    pub high: Decimal,
    pub source: RangeSource,
    /// The output with the input at `low`, then at `high`.
    pub output_at_low: Decimal,
    pub output_at_high: Decimal,
    /// |output_at_high - output_at_low|
    pub swing: Decimal,
}

/// A tornado: the output at base, the bars largest swing first, inputs left out and why.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Tornado {
    pub output: String,
    pub base_output: Decimal,
    pub bars: Vec<Bar>,
    pub skipped: Vec<Skipped>,
}

/// An input without a range, and why.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Skipped {
    pub input: String,
    pub reason: String,
}

/// The range of an input that has no `--range`, or why it has none. The Monte Carlo's
/// distributions plug in here: an input with a distribution gets its P10 and P90.
pub fn default_range(
    scenario: &Scenario,
    input: &Input,
) -> Result<(Decimal, Decimal, RangeSource), String> {
    let base = input.base(&scenario.params).ok_or_else(|| {
        format!(
            "its years differ; give `--range {}[<year>]=low..high`",
            input.path
        )
    })?;
    if base.is_zero() {
        return Err(format!(
            "its base is 0, so ±20% is no range; give `--range {}=low..high`",
            input.path
        ));
    }
    let a = clamp(input.domain, base * (Decimal::ONE - DEFAULT_SPREAD));
    let b = clamp(input.domain, base * (Decimal::ONE + DEFAULT_SPREAD));
    Ok((
        a.min(b).normalize(),
        a.max(b).normalize(),
        RangeSource::PlusMinus20,
    ))
}

/// An uncertain input's P10 and P90 (times the base for a factor), to six decimal places.
fn distribution_range(
    scenario: &Scenario,
    variable: &crate::scenario::uncertain::Variable,
) -> Result<(Input, Decimal, Decimal), String> {
    use crate::scenario::uncertain::Apply;
    let input = scenario.input(&variable.name).map_err(|e| e.to_string())?;
    let factor = variable
        .targets
        .iter()
        .any(|(_, apply)| *apply == Apply::Factor);
    let scale = if factor {
        let base = input
            .base(&scenario.params)
            .ok_or("its years differ, so a factor gives no single range")?;
        base.to_string().parse::<f64>().map_err(|e| e.to_string())?
    } else {
        1.0
    };
    let at = |p: f64| -> Result<Decimal, String> {
        let value = variable.distribution.quantile(p) * scale;
        let exact =
            Decimal::from_f64_retain(value).ok_or("the distribution gives no finite value")?;
        Ok(clamp(input.domain, exact.round_dp(6)).normalize())
    };
    let (low, high) = (at(0.1)?, at(0.9)?);
    Ok((input, low, high))
}

fn clamp(domain: Domain, value: Decimal) -> Decimal {
    let hundredth = Decimal::new(1, 2);
    let value = domain.highest().map_or(value, |high| value.min(high));
    match domain.lowest() {
        (low, true) => value.max(low),
        (low, false) if low == -Decimal::ONE => value.max(hundredth - Decimal::ONE),
        // An open end at zero: ±20% of a positive base stays above it.
        (_, false) => value,
    }
}

impl Tornado {
    /// The tornado of `output` over the `--range` expressions (or every input's default).
    pub fn build(
        scenario: &Scenario,
        ranges: &[String],
        output: &str,
    ) -> Result<Tornado, SensitivityError> {
        let base = base_report(scenario)?;
        let output = outputs::resolve_amount(&base, output, "a tornado needs an amount")?;
        let mut skipped = Vec::new();
        let mut bars: Vec<(Input, Decimal, Decimal, RangeSource)> = Vec::new();
        if ranges.is_empty() && !scenario.uncertainty.variables.is_empty() {
            // The scenario says how its inputs vary: use those inputs, at P10 and P90.
            for variable in &scenario.uncertainty.variables {
                match distribution_range(scenario, variable) {
                    Ok((input, low, high)) => {
                        bars.push((input, low, high, RangeSource::Distribution))
                    }
                    Err(reason) => skipped.push(Skipped {
                        input: variable.name.clone(),
                        reason,
                    }),
                }
            }
        } else if ranges.is_empty() {
            for path in scenario.params.paths() {
                if path.starts_with('(') {
                    continue;
                }
                let input = scenario.input(path).expect("a listed path is an input");
                match default_range(scenario, &input) {
                    Ok((low, high, source)) => bars.push((input, low, high, source)),
                    Err(reason) => skipped.push(Skipped {
                        input: path.to_string(),
                        reason,
                    }),
                }
            }
        } else {
            for expression in ranges {
                let Range { input, low, high } = Range::parse(scenario, expression)?;
                bars.push((input, low, high, RangeSource::Given));
            }
            check_disjoint("--range", bars.iter().map(|b| &b.0))?;
        }
        let mut local = scenario.clone();
        let mut out = Vec::with_capacity(bars.len());
        for (input, low, high, source) in bars {
            let base_value = input.base(&scenario.params);
            let mut at = |value| -> Result<Decimal, SensitivityError> {
                let report = outputs::report_at(&mut local, &[(&input, value)]);
                // Put every slot back to base before the next input moves.
                local.params.values.clone_from(&scenario.params.values);
                Ok(outputs::amount(&report?, &output))
            };
            let (output_at_low, output_at_high) = (at(low)?, at(high)?);
            out.push(Bar {
                input: input.name.clone(),
                base: base_value.map(|b| b.normalize()),
                low,
                high,
                source,
                output_at_low,
                output_at_high,
                swing: (output_at_high - output_at_low).abs(),
            });
        }
        // Stable: equal swings keep the order of the file (or of the command line).
        out.sort_by_key(|b| std::cmp::Reverse(b.swing));
        Ok(Tornado {
            base_output: outputs::amount(&base, &output),
            output,
            bars: out,
            skipped,
        })
    }

    /// The tornado as a table, Markdown, CSV or JSON.
    pub fn render(&self, format: Format) -> Vec<u8> {
        if format == Format::Json {
            return crate::export::schema::to_json(self);
        }
        let money = |v: Decimal| {
            if format == Format::Csv {
                v.normalize().to_string()
            } else {
                format_money(v)
            }
        };
        let header = [
            "input", "range", "base", "low", "high", "at low", "at high", "swing",
        ];
        let rows = self
            .bars
            .iter()
            .map(|b| {
                vec![
                    b.input.clone(),
                    b.source.label().to_string(),
                    b.base
                        .map(|v| v.to_string())
                        .unwrap_or_else(|| "by year".into()),
                    b.low.to_string(),
                    b.high.to_string(),
                    money(b.output_at_low),
                    money(b.output_at_high),
                    money(b.swing),
                ]
            })
            .collect();
        let cells = Cells {
            header: header.map(String::from).to_vec(),
            rows,
            first_number: 2,
        };
        if format == Format::Csv {
            return cells.render(format).into_bytes();
        }
        let mut out = format!(
            "Tornado of {} (base {}): each input moved alone from low to high, the rest at base; largest swing first.\n",
            self.output,
            format_money(self.base_output)
        );
        if format == Format::Markdown {
            out.push('\n');
        }
        out.push_str(&cells.render(format));
        for Skipped { input, reason } in &self.skipped {
            out.push_str(&format!("Left out {input}: {reason}.\n"));
        }
        out.into_bytes()
    }
}
