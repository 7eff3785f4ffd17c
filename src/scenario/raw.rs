//! The scenario file as written: serde types that mirror the YAML, with unknown keys rejected.
//!
//! Every number is read through [`Amount`] (or [`Whole`]), which takes the scalar's text and
//! parses it by the rule of [`crate::literal`], so money never passes through f64. Types here
//! only check what one value can check on its own; [`super::resolve`] turns them into a model once the horizon is known.

use crate::literal;
use rust_decimal::Decimal;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::fmt;

/// A number read exactly from the scalar's text ("15.71", "393000", "3.5e-2") by the one rule
/// of [`crate::literal`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Amount(pub Decimal);

/// A whole number of zero or more (years, iterations, a seed), read by the same rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Whole(pub u64);

/// Hands `parse` the scalar's own text: `deserialize_str` gives it even for plain numbers,
/// so that serde_yaml's own reading of `0x10` or `010` never applies.
fn from_text<'de, D: Deserializer<'de>, T>(
    deserializer: D,
    expecting: &'static str,
    parse: fn(&str) -> Result<T, String>,
) -> Result<T, D::Error> {
    struct TextVisitor<T> {
        expecting: &'static str,
        parse: fn(&str) -> Result<T, String>,
    }
    impl<T> Visitor<'_> for TextVisitor<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str(self.expecting)
        }
        fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
            (self.parse)(text).map_err(E::custom)
        }
    }
    deserializer.deserialize_str(TextVisitor { expecting, parse })
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "a number", |t| {
            literal::decimal(t).map(Amount)
        })
    }
}

impl<'de> Deserialize<'de> for Whole {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        from_text(deserializer, "a whole number", |t| {
            literal::whole(t).map(Whole)
        })
    }
}

/// Where an input comes from: a cited source, or a calibration with its reason.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RawProvenance {
    /// Document and paragraph in ../shared/sources/.
    pub source: Option<String>,
    /// True when no source publishes the value and it was chosen.
    pub calibrated: Option<bool>,
    /// Why the calibrated value was chosen.
    pub reason: Option<String>,
}

/// One input: a single value, or a value for each year, with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct RawInput {
    pub value: RawValue,
    pub provenance: RawProvenance,
}

/// The shapes an input's number may take.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    /// `value: 2`
    Single(Decimal),
    /// `per_year: [393000, 393000, 393000, 393000, 473000]`
    PerYear(Vec<Decimal>),
    /// `each_year: 750000`
    EachYear(Decimal),
    /// `first: 500` with `growth: 0.1` (each year is the previous times 1 + growth)
    Growing { first: Decimal, growth: Decimal },
}

/// An input as written: exactly one of `value`, `per_year`, `each_year` or `first` with
/// `growth`, and either a `source` or `calibrated: true` with a `reason`.
#[derive(Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(
    title = "Input",
    extend("oneOf" = [
        { "required": ["value"] },
        { "required": ["per_year"] },
        { "required": ["each_year"] },
        { "required": ["first", "growth"] }
    ]),
    extend("anyOf" = [
        { "required": ["source"] },
        { "required": ["calibrated", "reason"], "properties": { "calibrated": { "const": true } } }
    ])
)]
struct InputFields {
    /// One value, for every year alike.
    value: Option<Amount>,
    /// One value per financial year of the horizon, first year first.
    per_year: Option<Vec<Amount>>,
    /// The same value each year (a yearly series).
    each_year: Option<Amount>,
    /// The first year's value of a series that grows by `growth` a year.
    first: Option<Amount>,
    /// Yearly growth of a `first` series: each year is the previous times 1 + growth (a share: 10% is 0.1).
    growth: Option<Amount>,
    /// The published source: document and paragraph in shared/sources/.
    source: Option<String>,
    /// True when no source publishes the value and it was chosen; needs a `reason`.
    calibrated: Option<bool>,
    /// Why the calibrated value was chosen.
    reason: Option<String>,
}

// The schema of an input is the schema of the fields it is read through.
impl schemars::JsonSchema for RawInput {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Input".into()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        InputFields::json_schema(generator)
    }
}

// Numbers are read from their text, so YAML's number or a quoted number both reach `literal`.
impl schemars::JsonSchema for Amount {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Number".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A number, read exactly from its text (15.71, 393000, 3.5e-2; underscores and commas are not allowed).",
            "type": ["number", "string"]
        })
    }
}

impl schemars::JsonSchema for Whole {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "WholeNumber".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "A whole number of zero or more.",
            "type": ["integer", "string"]
        })
    }
}

impl<'de> Deserialize<'de> for RawInput {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct InputVisitor;
        impl<'de> Visitor<'de> for InputVisitor {
            type Value = RawInput;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an input such as `{ value: 2, source: \"...\" }`")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawInput, A::Error> {
                let fields = InputFields::deserialize(de::value::MapAccessDeserializer::new(map))?;
                fields.into_input().map_err(de::Error::custom)
            }
            fn visit_str<E: de::Error>(self, text: &str) -> Result<RawInput, E> {
                Err(E::custom(format!(
                    "write `{{ value: {text}, source: \"...\" }}` (or calibrated: true with a reason) \
                     so that the number can be traced"
                )))
            }
            fn visit_u64<E: de::Error>(self, number: u64) -> Result<RawInput, E> {
                self.visit_str(&number.to_string())
            }
            fn visit_i64<E: de::Error>(self, number: i64) -> Result<RawInput, E> {
                self.visit_str(&number.to_string())
            }
            fn visit_f64<E: de::Error>(self, number: f64) -> Result<RawInput, E> {
                self.visit_str(&number.to_string())
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, _seq: A) -> Result<RawInput, A::Error> {
                Err(de::Error::custom(
                    "write a list of yearly values as `{ per_year: [...], source: \"...\" }`",
                ))
            }
        }
        // `any`, so that a bare number, text or list meets the message written for it.
        deserializer.deserialize_any(InputVisitor)
    }
}

impl InputFields {
    fn into_input(self) -> Result<RawInput, String> {
        let shapes = [
            self.value.is_some(),
            self.per_year.is_some(),
            self.each_year.is_some(),
            self.first.is_some(),
        ];
        let count = shapes.iter().filter(|s| **s).count();
        if count != 1 {
            return Err(
                "give exactly one of `value`, `per_year`, `each_year` or `first` (with `growth`)"
                    .into(),
            );
        }
        if self.growth.is_some() != self.first.is_some() {
            return Err("`first` and `growth` go together".into());
        }
        let value = if let Some(v) = self.value {
            RawValue::Single(v.0)
        } else if let Some(list) = self.per_year {
            RawValue::PerYear(list.into_iter().map(|a| a.0).collect())
        } else if let Some(v) = self.each_year {
            RawValue::EachYear(v.0)
        } else {
            RawValue::Growing {
                first: self.first.map(|a| a.0).unwrap_or_default(),
                growth: self.growth.map(|a| a.0).unwrap_or_default(),
            }
        };
        let provenance = RawProvenance {
            source: self.source,
            calibrated: self.calibrated,
            reason: self.reason,
        };
        provenance.check()?;
        Ok(RawInput { value, provenance })
    }
}

/// Text that says something: not missing, empty or only spaces.
fn stated(text: &Option<String>) -> bool {
    text.as_deref().is_some_and(|t| !t.trim().is_empty())
}

impl RawProvenance {
    /// Every number must be traceable: a `source` that names something, or `calibrated: true`
    /// with a `reason` that says something. A `reason` without `calibrated: true`, or
    /// `calibrated: true` with a source, says two different things and is refused.
    pub fn check(&self) -> Result<(), String> {
        let calibrated = self.calibrated == Some(true);
        if self.source.is_some() && calibrated {
            return Err("an input has either a `source` or `calibrated: true`, not both".into());
        }
        if calibrated {
            return if stated(&self.reason) {
                Ok(())
            } else {
                Err("`calibrated: true` needs a one-line `reason` (it is missing or empty)".into())
            };
        }
        if self.reason.is_some() {
            return Err(format!(
                "a `reason` goes with `calibrated: true`{}: write `calibrated: true` with the reason, or a `source` without one",
                if self.calibrated == Some(false) {
                    ", not `calibrated: false`"
                } else {
                    ""
                }
            ));
        }
        if stated(&self.source) {
            Ok(())
        } else {
            Err(format!(
                "{}: give a `source` (the document and paragraph), or `calibrated: true` with a one-line `reason`, so that the number can be traced",
                if self.source.is_some() {
                    "the `source` is empty"
                } else {
                    "no provenance"
                }
            ))
        }
    }
}
