//! Finds the line and column of a key path in YAML text, for errors found after parsing.
//!
//! It walks the document with serde_yaml and stops with an error at the wanted node, whose
//! position serde_yaml reports; so it agrees with the parser on anchors, flow style and quoting.

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::fmt;

const FOUND: &str = "\u{0}tec-model-locate-found";

/// Line and column (1-based) of the value at `keys`, or of the deepest key that exists.
pub fn locate(text: &str, keys: &[String]) -> Option<(usize, usize)> {
    let mut best = None;
    for depth in (0..=keys.len()).rev() {
        let deserializer = serde_yaml::Deserializer::from_str(text);
        match (Seek {
            keys: &keys[..depth],
        })
        .deserialize(deserializer)
        {
            Err(error) if error.to_string().contains(FOUND) => {
                best = error.location().map(|l| (l.line(), l.column()));
                break;
            }
            _ => continue,
        }
    }
    best
}

struct Seek<'k> {
    keys: &'k [String],
}

impl<'de> DeserializeSeed<'de> for Seek<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        if self.keys.is_empty() {
            // Reading the node as a string fails at its own position for any node kind.
            return deserializer.deserialize_any(Found);
        }
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seek<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a mapping or sequence")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            if key == self.keys[0] {
                return map.next_value_seed(Seek {
                    keys: &self.keys[1..],
                });
            }
            map.next_value::<IgnoredAny>()?;
        }
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Ok(wanted) = self.keys[0].parse::<usize>() else {
            return Ok(());
        };
        let mut index = 0;
        while index < wanted {
            if seq.next_element::<IgnoredAny>()?.is_none() {
                return Ok(());
            }
            index += 1;
        }
        seq.next_element_seed(Seek {
            keys: &self.keys[1..],
        })?;
        Ok(())
    }
}

struct Found;

impl<'de> Visitor<'de> for Found {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(FOUND)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom(FOUND))
    }
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom(FOUND))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(path: &str) -> Vec<String> {
        path.split('.').map(String::from).collect()
    }

    #[test]
    fn finds_nested_keys_and_list_items() {
        let text = "a:\n  b: 1\n  c:\n    d: [1, 2, 3]\n    e:\n      - x: 1\n      - x: 2\n";
        assert_eq!(locate(text, &keys("a.b")).map(|l| l.0), Some(2));
        assert_eq!(locate(text, &keys("a.c.d")).map(|l| l.0), Some(4));
        assert_eq!(locate(text, &keys("a.c.e.1.x")).map(|l| l.0), Some(7));
        // A missing key falls back to the mapping of the deepest key that exists.
        assert_eq!(locate(text, &keys("a.c.zzz")).map(|l| l.0), Some(4));
    }
}
