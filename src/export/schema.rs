//! The JSON every command writes: one object per command with a `schema_version` at its top,
//! and one JSON Schema per command (docs/schemas/<command>.schema.json), derived by schemars
//! from the very structs serde writes, so the published schema cannot drift from the output.
//!
//! Money is exact decimal text everywhere ("2462503", "-1500.50"): a JSON number is a binary
//! float in most readers, which would round pounds and pence; text keeps every digit, and
//! Excel and pandas read it as a number. Monte Carlo statistics are estimates made in f64:
//! they are written the same way, rounded to the pound ([`money`]). Shares, probabilities,
//! correlations and indices stay JSON numbers.

use schemars::JsonSchema;
use serde::Serialize;
use std::borrow::Cow;

/// The version of every command's JSON. It goes up when a field is removed, renamed or
/// changes meaning; a new field does not change it.
pub const SCHEMA_VERSION: u32 = 1;

/// Where the command schemas are published, relative to the repository.
pub const PUBLISHED: &str = "docs/schemas";

/// The names of the published schemas, as `schema` takes them.
pub const COMMANDS: [&str; 13] = [
    "run",
    "check",
    "simulate",
    "inputs",
    "compare",
    "compare-baseline",
    "sweep",
    "tornado",
    "solve",
    "track",
    "sensitivity",
    "voi",
    "explain",
];

/// A command's JSON: its fields, after `schema_version`.
#[derive(Serialize, JsonSchema)]
pub struct Versioned<T> {
    /// The version of this JSON's schema (docs/schemas/); 1 today.
    pub schema_version: u32,
    #[serde(flatten)]
    pub body: T,
}

/// `body` as pretty JSON with `schema_version` first, and a closing newline.
pub fn to_json<T: Serialize>(body: &T) -> Vec<u8> {
    let versioned = Versioned {
        schema_version: SCHEMA_VERSION,
        body,
    };
    let mut out = serde_json::to_vec_pretty(&versioned).expect("a command's JSON serializes");
    out.push(b'\n');
    out
}

/// The schema of exact decimal text, for amounts held as text or as estimates in f64.
pub struct DecimalText;

impl JsonSchema for DecimalText {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "DecimalText".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^-?\d+(\.\d+)?$",
        })
    }
}

/// Serializes an f64 estimate of money as decimal text rounded to the pound (half away from
/// zero; `-0` is `0`), for `#[serde(serialize_with = ...)]`; a value that is not finite
/// (never reported: the Monte Carlo refuses it) is `null`.
pub mod money {
    use serde::Serializer;

    /// `value` rounded to the pound, as text.
    pub fn text(value: f64) -> Option<String> {
        if !value.is_finite() {
            return None;
        }
        let pounds = value.round();
        Some(if pounds == 0.0 {
            "0".to_string()
        } else {
            format!("{pounds:.0}")
        })
    }

    /// A figure given to the run (a threshold, a precision), as the shortest decimal text
    /// that reads back as it: not rounded, since it is not an estimate.
    pub fn given<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        given_option(&Some(*value), s)
    }

    pub fn given_option<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match value.filter(|v| v.is_finite()) {
            Some(0.0) => s.serialize_str("0"),
            Some(v) => s.serialize_str(&v.to_string()),
            None => s.serialize_none(),
        }
    }

    pub fn pounds<S: Serializer>(value: &f64, s: S) -> Result<S::Ok, S::Error> {
        match text(*value) {
            Some(t) => s.serialize_str(&t),
            None => s.serialize_none(),
        }
    }

    pub fn option<S: Serializer>(value: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
        match value.and_then(text) {
            Some(t) => s.serialize_str(&t),
            None => s.serialize_none(),
        }
    }

    /// For `Option<Option<f64>>` fields skipped when `None` (a percentile's standard error).
    pub fn option_option<S: Serializer>(
        value: &Option<Option<f64>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        option(&value.flatten(), s)
    }
}

/// The schema of `T` as a command's JSON: draft 2020-12, `schema_version` required, and no
/// property the struct does not write (`additionalProperties: false` on every object with
/// fixed properties), so a test of real output catches a field the schema does not know.
pub fn schema_of<T: JsonSchema>(command: &str, description: &str) -> serde_json::Value {
    let generator = schemars::generate::SchemaSettings::draft2020_12()
        .for_serialize()
        .into_generator();
    let mut schema = generator.into_root_schema_for::<Versioned<T>>().to_value();
    close(&mut schema);
    if let Some(object) = schema.as_object_mut() {
        object.insert(
            "title".into(),
            format!("tec-model {command} --format json").into(),
        );
        object.insert("description".into(), description.into());
    }
    schema
}

fn close(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), false.into());
            }
            map.values_mut().for_each(close);
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(close),
        _ => {}
    }
}

/// Every published schema: its file name under docs/schemas/ (without `.schema.json`) and
/// the schema.
pub fn schemas() -> Vec<(&'static str, serde_json::Value)> {
    use crate::sensitivity::{baseline, compare, solve_render, sweep_write};
    vec![
        (
            "run",
            schema_of::<crate::report::Report>(
                "run",
                "A business case over its horizon: each year's users, benefit, cost, offsets and \
                 net benefit by line, basket and party, and the whole-horizon summary. Money is \
                 exact decimal text.",
            ),
        ),
        (
            "check",
            schema_of::<crate::check::render::CheckJson>(
                "check",
                "Each published figure against the model: the published value and the \
                 comparison it allows, the modelled value, the verdict; and the counts by \
                 evidence kind and by verdict.",
            ),
        ),
        (
            "simulate",
            schema_of::<crate::simulate::report::SimulationReport>(
                "simulate",
                "A seeded Monte Carlo run: its inputs' distributions, each output's statistics \
                 (estimates in f64, written as decimal text rounded to the pound), probabilities, \
                 payback shares, histogram and the run's own sensitivity.",
            ),
        ),
        (
            "inputs",
            schema_of::<crate::listing::Listing>(
                "inputs",
                "Every input of a scenario with its value (exact decimal text) and provenance, \
                 and the settings that change money.",
            ),
        ),
        (
            "compare",
            schema_of::<compare::Comparison>(
                "compare",
                "Whole-horizon figures of several scenarios, one entry per scenario in the \
                 order given.",
            ),
        ),
        (
            "compare-baseline",
            schema_of::<baseline::BaselineJson>(
                "compare --baseline",
                "Options against a business-as-usual baseline (the first file): each option's \
                 figures and their difference from the baseline's, ranked by incremental NPV.",
            ),
        ),
        (
            "sweep",
            schema_of::<sweep_write::SweepJson>(
                "sweep",
                "One row per point of the grid, streamed as it is computed: the inputs' values \
                 and each output, as exact decimal text (null where a year is outside the \
                 horizon).",
            ),
        ),
        (
            "tornado",
            schema_of::<crate::sensitivity::tornado::Tornado>(
                "tornado",
                "One-at-a-time sensitivity: the output at base, each input's bar (largest swing \
                 first) and the inputs left out.",
            ),
        ),
        (
            "solve",
            schema_of::<solve_render::Answer>(
                "solve",
                "The switching value of an input for a target output, or, when none is found, \
                 the range searched and the least and greatest output seen.",
            ),
        ),
        (
            "track",
            schema_of::<crate::track::report::TrackReport>(
                "track",
                "Actuals against the approved plan: each year's comparisons with RAG status, the \
                 reforecast and the ambition.",
            ),
        ),
        (
            "sensitivity",
            schema_of::<crate::sobol::SobolReport>(
                "sensitivity",
                "Sobol' variance-based sensitivity: each output's mean, variance and standard \
                 deviation (decimal text rounded to the pound) and each input's first- and \
                 total-order indices with bootstrap intervals (numbers).",
            ),
        ),
        (
            "voi",
            schema_of::<crate::voi::VoiReport>(
                "voi",
                "Expected value of perfect (EVPI) and partial (EVPPI) information over a choice \
                 of options: estimates in f64, written as decimal text rounded to the pound; \
                 shares and probabilities are numbers.",
            ),
        ),
        (
            "explain",
            schema_of::<crate::explain::Explanation>(
                "explain",
                "How one figure is made: a tree of the formula with the values that went into it \
                 and each input's provenance.",
            ),
        ),
    ]
}

/// A schema as the text docs/schemas/ holds.
pub fn schema_text(schema: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(schema).expect("a schema serialises");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_estimates_are_rounded_to_the_pound_half_away_from_zero() {
        assert_eq!(money::text(2462503.5).as_deref(), Some("2462504"));
        assert_eq!(money::text(-2.5).as_deref(), Some("-3"));
        assert_eq!(money::text(-0.4).as_deref(), Some("0"));
        assert_eq!(money::text(1e20).as_deref(), Some("100000000000000000000"));
        assert_eq!(money::text(f64::NAN), None);
        assert_eq!(
            1e-6f64.to_string(),
            "0.000001",
            "a given figure has no exponent"
        );
    }

    #[test]
    fn every_command_has_its_schema() {
        let names: Vec<&str> = schemas().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, COMMANDS);
    }

    #[test]
    fn schema_version_comes_first() {
        #[derive(Serialize)]
        struct Body {
            a: u8,
        }
        let text = String::from_utf8(to_json(&Body { a: 1 })).unwrap();
        assert_eq!(text, "{\n  \"schema_version\": 1,\n  \"a\": 1\n}\n");
    }
}
