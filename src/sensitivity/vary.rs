//! The expressions that move inputs: `--vary input=from..to:steps` or `input=v1,v2,...`
//! (the axes of a sweep) and `--range input=low..high` (a tornado bar).
//!
//! Every value is an exact decimal read from its text and checked against the input's range
//! before anything is evaluated.

use super::SensitivityError;
use crate::scenario::Scenario;
use crate::scenario::input::Input;
use rust_decimal::{Decimal, RoundingStrategy};

/// One varied input and the values it takes, in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Axis {
    pub input: Input,
    pub values: Vec<Decimal>,
}

/// An input moved from `low` to `high` with everything else at base.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub input: Input,
    pub low: Decimal,
    pub high: Decimal,
}

/// The most values one `from..to:steps` may give; the whole grid has its own limit.
pub const MAX_STEPS: usize = 10_000_000;

/// The step of the sixth significant figure of `x` (at least 1e-12).
pub fn quantum(x: Decimal) -> Decimal {
    let x = x.normalize();
    let digits = x.mantissa().unsigned_abs().to_string().len() as i32;
    let exponent = if x.is_zero() {
        -12
    } else {
        digits - 1 - x.scale() as i32
    };
    let place = (exponent - 5).max(-12);
    if place < 0 {
        Decimal::new(1, place.unsigned_abs())
    } else {
        Decimal::from(10u64.pow(place as u32))
    }
}

/// Reads a number by the one rule of [`crate::literal`]: `2`, `-0.5`, `2000000`, `2e6`.
pub fn parse_number(text: &str) -> Result<Decimal, String> {
    crate::literal::decimal(text).map(|v| v.normalize())
}

/// Splits `name=rest`, resolving the name to an input of `scenario`.
fn split_input<'e>(
    scenario: &Scenario,
    flag: &'static str,
    expression: &'e str,
    form: &str,
) -> Result<(Input, &'e str), SensitivityError> {
    let (name, rest) = expression
        .split_once('=')
        .ok_or_else(|| SensitivityError::expression(flag, expression, format!("write {form}")))?;
    let input = scenario
        .input(name)
        .map_err(|source| SensitivityError::Input {
            file: scenario.path().to_path_buf(),
            flag,
            source,
        })?;
    Ok((input, rest))
}

/// Reads `from..to`, refusing `from > to`.
fn bounds(
    flag: &'static str,
    expression: &str,
    text: &str,
) -> Result<(Decimal, Decimal), SensitivityError> {
    let bad = |m: String| SensitivityError::expression(flag, expression, m);
    let (from, to) = text
        .split_once("..")
        .ok_or_else(|| bad("write the range as `from..to`".into()))?;
    // `1...3`: a third dot would be read as the decimal point of `.3`.
    if to.starts_with('.') {
        return Err(bad(format!(
            "`{}` has three dots; write the range with two, as `{from}..{}`",
            text.trim(),
            to.trim_start_matches('.')
        )));
    }
    let (from, to) = (
        parse_number(from).map_err(bad)?,
        parse_number(to).map_err(bad)?,
    );
    if from > to {
        return Err(bad(format!(
            "{from} is above {to}; write the smaller value first"
        )));
    }
    Ok((from, to))
}

impl Axis {
    /// Parses one `--vary` expression against `scenario`.
    pub fn parse(scenario: &Scenario, expression: &str) -> Result<Axis, SensitivityError> {
        const FLAG: &str = "--vary";
        let form = "`input=from..to:steps` or `input=v1,v2,...`";
        let (input, spec) = split_input(scenario, FLAG, expression, form)?;
        let bad = |m: String| SensitivityError::expression(FLAG, expression, m);
        let values = if spec.contains("..") {
            let (range, steps) = spec.rsplit_once(':').ok_or_else(|| {
                bad("give the number of values after the range, e.g. `1..3:5`".into())
            })?;
            let (from, to) = bounds(FLAG, expression, range)?;
            let steps = crate::literal::whole(steps)
                .map_err(|m| bad(format!("the number of steps: {m}")))?;
            let steps = usize::try_from(steps).unwrap_or(usize::MAX);
            evenly_spaced(from, to, steps).map_err(bad)?
        } else {
            spec.split(',')
                .map(|v| parse_number(v).map_err(bad))
                .collect::<Result<Vec<_>, _>>()?
        };
        for value in &values {
            input
                .check(*value)
                .map_err(|source| SensitivityError::Input {
                    file: scenario.path().to_path_buf(),
                    flag: FLAG,
                    source,
                })?;
        }
        Ok(Axis { input, values })
    }
}

/// `steps` values from `from` to `to` inclusive, evenly spaced: exact at both ends, and in
/// between rounded to the sixth significant figure of the step (so `0..1:4` is 0, 0.333333,
/// 0.666667, 1 rather than 28-digit decimals, which are slower to evaluate exactly).
fn evenly_spaced(from: Decimal, to: Decimal, steps: usize) -> Result<Vec<Decimal>, String> {
    match steps {
        0 => Err("the number of steps must be 1 or more".into()),
        1 if from == to => Ok(vec![from]),
        1 => Err("one step gives one value; give 2 or more steps, or a single value".into()),
        n if n > MAX_STEPS => Err(format!("{n} steps is more than the limit of {MAX_STEPS}")),
        _ if from == to => Err("the range is empty; give a single value instead".into()),
        n => {
            let too_large = || "the range is too large for exact decimals".to_string();
            let step = (to.checked_sub(from))
                .and_then(|span| span.checked_div(Decimal::from(n - 1)))
                .ok_or_else(too_large)?;
            let places = quantum(step).scale();
            let mut values = vec![from.normalize()];
            for i in 1..n - 1 {
                let value = step
                    .checked_mul(Decimal::from(i))
                    .and_then(|x| x.checked_add(from))
                    .ok_or_else(too_large)?;
                let rounded =
                    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero);
                values.push(rounded.normalize());
            }
            values.push(to.normalize());
            Ok(values)
        }
    }
}

impl Range {
    /// Parses one `--range input=low..high` expression against `scenario`.
    pub fn parse(scenario: &Scenario, expression: &str) -> Result<Range, SensitivityError> {
        const FLAG: &str = "--range";
        let (input, spec) = split_input(scenario, FLAG, expression, "`input=low..high`")?;
        let (low, high) = bounds(FLAG, expression, spec)?;
        for value in [low, high] {
            input
                .check(value)
                .map_err(|source| SensitivityError::Input {
                    file: scenario.path().to_path_buf(),
                    flag: FLAG,
                    source,
                })?;
        }
        Ok(Range { input, low, high })
    }
}

/// Refuses two expressions that set the same parameter slot.
pub fn check_disjoint<'a>(
    flag: &'static str,
    inputs: impl IntoIterator<Item = &'a Input>,
) -> Result<(), SensitivityError> {
    let inputs: Vec<&Input> = inputs.into_iter().collect();
    for (i, a) in inputs.iter().enumerate() {
        if let Some(b) = inputs[..i]
            .iter()
            .find(|b| b.slots.iter().any(|s| a.slots.contains(s)))
        {
            return Err(SensitivityError::expression(
                flag,
                &a.name,
                format!("sets the same input as `{}`; vary each input once", b.name),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_numbers_exactly() {
        assert_eq!(parse_number(" 2 "), Ok(d("2")));
        assert_eq!(parse_number("2e6"), Ok(d("2000000")));
        assert_eq!(parse_number("1000.50"), Ok(d("1000.5")));
        assert_eq!(parse_number("-0.25"), Ok(d("-0.25")));
        assert!(parse_number("1_000").unwrap_err().contains("separators"));
        assert!(
            parse_number("abc")
                .unwrap_err()
                .contains("expected a number, found `abc`")
        );
        assert!(parse_number("").is_err());
    }

    #[test]
    fn quantum_is_the_sixth_significant_figure() {
        assert_eq!(quantum(d("2")), d("0.00001"));
        assert_eq!(quantum(d("717")), d("0.001"));
        assert_eq!(quantum(d("286923000")), d("1000"));
        assert_eq!(quantum(d("0.035")), d("0.0000001"));
        assert_eq!(quantum(d("0")), d("0.000000000001"));
    }

    #[test]
    fn spaces_values_evenly_and_exactly() {
        let values = evenly_spaced(d("1"), d("3"), 5).unwrap();
        assert_eq!(values, [d("1"), d("1.5"), d("2"), d("2.5"), d("3")]);
        let thirds = evenly_spaced(d("0"), d("1"), 4).unwrap();
        assert_eq!(thirds, [d("0"), d("0.333333"), d("0.666667"), d("1")]);
        let hundred = evenly_spaced(d("1"), d("3"), 100).unwrap();
        assert_eq!(
            (hundred[1], hundred[98], hundred[99]),
            (d("1.020202"), d("2.979798"), d("3"))
        );
        let big = evenly_spaced(d("500"), d("900"), 7).unwrap();
        assert_eq!(big[1], d("566.6667"));
        assert_eq!(evenly_spaced(d("2"), d("2"), 1).unwrap(), [d("2")]);
        assert!(evenly_spaced(d("1"), d("2"), 0).is_err());
        assert!(evenly_spaced(d("1"), d("2"), 1).is_err());
        assert!(evenly_spaced(d("1"), d("1"), 3).is_err());
    }
}
