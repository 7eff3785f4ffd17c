//! Keywords of a scenario file (`install_timing: middle`, `basket: cashable`, `kind: amounts`)
//! read as text. serde's own enums ask a list or a mapping given in their place for "a YAML
//! tag starting with '!'"; these say which words are allowed.

use serde::de::{self, Deserializer, Visitor};
use std::fmt;

/// Reads one of `names` and returns its index; anything else is an error listing them.
pub fn read<'de, D: Deserializer<'de>>(
    deserializer: D,
    names: &'static [&'static str],
) -> Result<usize, D::Error> {
    struct Words(&'static [&'static str]);
    impl Visitor<'_> for Words {
        type Value = usize;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("one word of ")?;
            f.write_str(&list(self.0))
        }
        fn visit_str<E: de::Error>(self, word: &str) -> Result<usize, E> {
            self.0
                .iter()
                .position(|name| *name == word)
                .ok_or_else(|| E::unknown_variant(word, self.0))
        }
    }
    // `deserialize_str` hands over a plain scalar's text (`5`, `true` included); a list or a
    // mapping meets `expecting`.
    deserializer.deserialize_str(Words(names))
}

/// "`start`, `middle` or `end`".
pub fn list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.join(""),
    }
}

/// Implements `Deserialize` for a fieldless enum from its keywords:
/// `keywords!(Timing { "start" => Start, "middle" => Middle, "end" => End });`
#[macro_export]
macro_rules! keywords {
    ($ty:ident { $($name:literal => $variant:ident),+ $(,)? }) => {
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                const NAMES: &[&str] = &[$($name),+];
                const VALUES: &[$ty] = &[$($ty::$variant),+];
                $crate::scenario::keyword::read(deserializer, NAMES).map(|i| VALUES[i])
            }
        }
        // The same words, so that the schema cannot differ from what is read.
        impl schemars::JsonSchema for $ty {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "enum": [$($name),+] })
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use crate::scenario::document::Timing;

    #[test]
    fn a_list_or_mapping_is_told_the_words_allowed() {
        let read = |text: &str| serde_yaml::from_str::<Timing>(text).map_err(|e| e.to_string());
        assert_eq!(read("end"), Ok(Timing::End));
        for text in ["[middle]", "{ a: 1 }"] {
            let error = read(text).unwrap_err();
            assert!(
                error.contains("expected one word of `start`, `middle` or `end`"),
                "{error}"
            );
        }
        let error = read("midle").unwrap_err();
        assert!(
            error.contains("unknown variant `midle`, expected one of"),
            "{error}"
        );
    }
}
