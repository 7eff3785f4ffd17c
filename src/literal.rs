//! Numbers written as text: the one rule for scenario YAML, actuals CSV cells and
//! command-line arguments, so that the same text means the same number wherever it is typed.
//!
//! A number is an optional sign (`+` or `-`), decimal digits with an optional `.` and fraction
//! (`15.71`, `.5`, `5.`), and an optional exponent (`3.5e-2`, `1E6`); space around it is
//! ignored. Leading zeros are decimal (`010` is ten, never octal). Nothing else is a number:
//! no hexadecimal, octal or binary (`0x10`), no separators (`1_293`, `1,293`), no `£` or `%`,
//! no NaN or infinity. A value is held exactly or refused: one that needs more than 28
//! significant digits or more than 28 decimal places is "too precise", never rounded, and one
//! beyond the money type (about 7.9e28) is "too large". A whole number (years, iterations, a
//! seed) follows the same rule and must come out whole: `1e6` is a million, `2.5` is refused.

use rust_decimal::Decimal;

/// The most significant digits (and decimal places) an exact decimal holds.
pub const MAX_DIGITS: usize = 28;

/// A number as written: its digits (no leading zeros; empty for zero) times ten to `exponent`.
#[derive(Debug, PartialEq)]
struct Written {
    negative: bool,
    digits: String,
    exponent: i64,
}

/// Exponents beyond this are "too large" or "too precise" whatever the digits; bounding them
/// keeps the arithmetic on exponents far from overflow.
const EXPONENT_BOUND: i64 = 1_000_000;

fn read(text: &str) -> Result<Written, String> {
    let t = text.trim();
    if t.is_empty() {
        return Err("a number is missing".into());
    }
    let lower = t.to_ascii_lowercase();
    let unsigned = lower.trim_start_matches(['+', '-']);
    if lower.contains("nan") || lower.contains("inf") {
        return Err(format!("`{t}` is not a finite number"));
    }
    if t.contains(['£', '$', '€']) {
        return Err(format!(
            "`{t}`: write amounts without a currency sign or separators (84700, not £84,700)"
        ));
    }
    if t.contains(['_', ',']) {
        return Err(format!(
            "`{t}`: write numbers without separators (1293, not 1,293 or 1_293)"
        ));
    }
    if t.ends_with('%') {
        return Err(format!(
            "`{t}`: write a share or rate as a decimal, without `%` (5% is 0.05)"
        ));
    }
    if ["0x", "0o", "0b"].iter().any(|p| unsigned.starts_with(p)) {
        return Err(format!(
            "`{t}`: hexadecimal, octal and binary are not read; write the number in decimal"
        ));
    }
    let not_a_number = || format!("expected a number, found `{t}`");
    let (negative, rest) = match t.as_bytes()[0] {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let (mantissa, exponent) = match rest.find(['e', 'E']) {
        Some(at) => (&rest[..at], Some(&rest[at + 1..])),
        None => (rest, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() && fraction.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return Err(not_a_number());
    }
    let exponent = match exponent {
        None => 0,
        Some(e) => {
            let (sign, digits) = match e.as_bytes().first() {
                Some(b'-') => (-1, &e[1..]),
                Some(b'+') => (1, &e[1..]),
                _ => (1, e),
            };
            if digits.is_empty() || !all_digits(digits) {
                return Err(not_a_number());
            }
            let magnitude = digits.trim_start_matches('0');
            let value = if magnitude.len() > 7 {
                EXPONENT_BOUND
            } else {
                magnitude.parse::<i64>().unwrap_or(0).min(EXPONENT_BOUND)
            };
            sign * value
        }
    };
    let digits = format!("{whole}{fraction}");
    let digits = digits.trim_start_matches('0').to_string();
    Ok(Written {
        negative,
        exponent: exponent - fraction.len() as i64,
        digits,
    })
}

fn too_precise(text: &str) -> String {
    format!(
        "`{}` is too precise: a number may have at most {MAX_DIGITS} significant digits and {MAX_DIGITS} decimal places (it is never rounded)",
        text.trim()
    )
}

fn too_large(text: &str) -> String {
    format!(
        "`{}` is too large for the money type (at most {})",
        text.trim(),
        Decimal::MAX
    )
}

/// Reads an exact decimal by the rule above.
pub fn decimal(text: &str) -> Result<Decimal, String> {
    let written = read(text)?;
    if written.digits.is_empty() {
        return Ok(Decimal::ZERO);
    }
    let sign = |v: Decimal| if written.negative { -v } else { v };
    // As written, when it fits: `15.70` keeps its two places.
    if written.exponent <= 0
        && -written.exponent <= MAX_DIGITS as i64
        && written.digits.len() <= MAX_DIGITS
    {
        let mantissa: i128 = written.digits.parse().map_err(|_| too_large(text))?;
        let scale = (-written.exponent) as u32;
        return Decimal::try_from_i128_with_scale(mantissa, scale)
            .map(sign)
            .map_err(|_| too_large(text));
    }
    // Otherwise without its trailing zeros, which carry nothing.
    let significant = written.digits.trim_end_matches('0');
    let exponent = written.exponent + (written.digits.len() - significant.len()) as i64;
    if exponent >= 0 {
        // A whole number: the largest, 79,228,...,335, has 29 digits.
        if significant.len() as i64 + exponent > MAX_DIGITS as i64 + 1 {
            return Err(too_large(text));
        }
        let value = significant
            .parse::<i128>()
            .ok()
            .and_then(|m| m.checked_mul(10i128.pow(exponent as u32)))
            .and_then(|v| Decimal::try_from_i128_with_scale(v, 0).ok())
            .ok_or_else(|| too_large(text))?;
        if significant.len() > MAX_DIGITS {
            return Err(too_precise(text));
        }
        return Ok(sign(value));
    }
    if significant.len() > MAX_DIGITS || -exponent > MAX_DIGITS as i64 {
        return Err(too_precise(text));
    }
    let mantissa: i128 = significant.parse().map_err(|_| too_precise(text))?;
    Decimal::try_from_i128_with_scale(mantissa, (-exponent) as u32)
        .map(sign)
        .map_err(|_| too_precise(text))
}

/// Reads a whole number of zero or more by the same rule (`1e6` is a million).
pub fn whole(text: &str) -> Result<u64, String> {
    let written = read(text)?;
    if written.digits.is_empty() {
        return Ok(0);
    }
    let t = text.trim();
    let significant = written.digits.trim_end_matches('0');
    let exponent = written.exponent + (written.digits.len() - significant.len()) as i64;
    if exponent < 0 {
        return Err(format!("`{t}` is not a whole number"));
    }
    if written.negative {
        return Err(format!(
            "`{t}` is negative; give a whole number of zero or more"
        ));
    }
    let large = || format!("`{t}` is too large (at most {})", u64::MAX);
    if significant.len() as i64 + exponent > 20 {
        return Err(large());
    }
    let mantissa: u64 = significant.parse().map_err(|_| large())?;
    10u64
        .checked_pow(exponent as u32)
        .and_then(|power| mantissa.checked_mul(power))
        .ok_or_else(large)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn reads_decimals_as_written() {
        for (text, value) in [
            ("15.71", "15.71"),
            (" 2 ", "2"),
            ("+3", "3"),
            ("-0.25", "-0.25"),
            (".5", "0.5"),
            ("5.", "5"),
            ("010", "10"),
            ("05", "5"),
            ("3.5e-2", "0.035"),
            ("1E6", "1000000"),
            ("2e+3", "2000"),
            ("-0", "0"),
            ("0e999999999999", "0"),
            ("1e-28", "0.0000000000000000000000000001"),
            ("7.9e28", "79000000000000000000000000000"),
            (
                "7922816251426433759354395.033",
                "7922816251426433759354395.033",
            ),
        ] {
            assert_eq!(decimal(text), Ok(d(value)), "{text}");
        }
        // The places written are kept where they fit.
        assert_eq!(decimal("15.70").unwrap().scale(), 2);
        // Trailing zeros that carry nothing are dropped rather than refused.
        let forty = format!("1.{}", "0".repeat(40));
        assert_eq!(decimal(&forty), Ok(Decimal::ONE));
    }

    #[test]
    fn refuses_every_other_form_with_its_reason() {
        for (text, reason) in [
            ("0x10", "hexadecimal"),
            ("-0x10", "hexadecimal"),
            ("0o17", "hexadecimal, octal and binary"),
            ("0b101", "hexadecimal, octal and binary"),
            ("1_293", "without separators"),
            ("1,293", "without separators"),
            ("£5", "currency sign"),
            ("5%", "without `%`"),
            ("nan", "not a finite number"),
            (".inf", "not a finite number"),
            ("-Infinity", "not a finite number"),
            ("", "a number is missing"),
            ("   ", "a number is missing"),
            ("abc", "expected a number"),
            ("1 2", "expected a number"),
            ("1e", "expected a number"),
            ("e5", "expected a number"),
            (".", "expected a number"),
            ("-", "expected a number"),
            ("1.2.3", "expected a number"),
            ("1e5.5", "expected a number"),
            ("--1", "expected a number"),
        ] {
            let err = decimal(text).unwrap_err();
            assert!(err.contains(reason), "{text}: {err}");
            let err = whole(text).unwrap_err();
            assert!(err.contains(reason), "{text}: {err}");
        }
    }

    #[test]
    fn refuses_what_it_cannot_hold_exactly_with_one_message() {
        let forty = format!("0.{}", "1234567890".repeat(4));
        for text in [
            forty.as_str(),
            "1e-30",
            "1e-29",
            "0.12345678901234567890123456789",
            "1.234567890123456789012345678912345e5",
            "12345678901234567890123456789",
        ] {
            let err = decimal(text).unwrap_err();
            assert!(
                err.contains("too precise") && err.contains("at most 28 significant digits"),
                "{text}: {err}"
            );
        }
        for text in [
            "1e40",
            "79228162514264337593543950336",
            "1234567890123456789012345678901",
            "-1e29",
            "1e999999999999",
        ] {
            let err = decimal(text).unwrap_err();
            assert!(err.contains("too large"), "{text}: {err}");
        }
    }

    #[test]
    fn whole_numbers_take_exponents_when_the_value_is_whole() {
        for (text, value) in [
            ("1e6", 1_000_000),
            ("1.5e3", 1500),
            ("16", 16),
            ("05", 5),
            ("1.0", 1),
            ("0", 0),
            ("-0", 0),
            ("18446744073709551615", u64::MAX),
        ] {
            assert_eq!(whole(text), Ok(value), "{text}");
        }
        for (text, reason) in [
            ("2.5", "not a whole number"),
            ("1e-1", "not a whole number"),
            ("-1", "negative"),
            ("18446744073709551616", "too large"),
            ("1e20", "too large"),
            ("1e999999999999", "too large"),
            ("0x10", "hexadecimal"),
        ] {
            let err = whole(text).unwrap_err();
            assert!(err.contains(reason), "{text}: {err}");
        }
    }
}
