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

/// The first key that repeats a key of its own mapping, in document order, and its line and
/// column: the duplicate itself, where serde_yaml's "duplicate field" points at the mapping.
pub fn first_duplicate_key(text: &str) -> Option<(String, (usize, usize))> {
    let mut found = None;
    let deserializer = serde_yaml::Deserializer::from_str(text);
    if let Err(error) = (Duplicates { found: &mut found }).deserialize(deserializer)
        && error.to_string().contains(FOUND)
    {
        return found.zip(error.location().map(|l| (l.line(), l.column())));
    }
    None
}

/// Walks every node, keeping each mapping's keys, and stops at the first repeated one.
struct Duplicates<'f> {
    found: &'f mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for Duplicates<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Duplicates<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any node")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen = std::collections::HashSet::new();
        loop {
            let key = map.next_key_seed(Key {
                seen: &mut seen,
                found: &mut *self.found,
            })?;
            if key.is_none() {
                return Ok(());
            }
            map.next_value_seed(Duplicates {
                found: &mut *self.found,
            })?;
        }
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Duplicates {
                found: &mut *self.found,
            })?
            .is_some()
        {}
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

/// A mapping key: its text, checked against the keys before it.
struct Key<'s, 'f> {
    seen: &'s mut std::collections::HashSet<String>,
    found: &'f mut Option<String>,
}

impl<'de> DeserializeSeed<'de> for Key<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        // As a string, as serde reads the keys of a scenario's structs and maps.
        deserializer.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a key")
    }
    fn visit_str<E: de::Error>(self, key: &str) -> Result<(), E> {
        if self.seen.insert(key.to_string()) {
            return Ok(());
        }
        *self.found = Some(key.to_string());
        Err(E::custom(FOUND))
    }
    // A key that is not text (a list, a mapping) is left to the parser's own message.
    fn visit_map<A: MapAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom("not a text key"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, _: A) -> Result<(), A::Error> {
        Err(de::Error::custom("not a text key"))
    }
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

    #[test]
    fn finds_the_repeated_key_itself() {
        let text = "a:\n  b: 1\n  c: [{ x: 1 }, { x: 2, \"x\": 3 }]\n  b: 2\n";
        // The quoted `x` on line 3 repeats first, before `b` on line 4.
        assert_eq!(first_duplicate_key(text), Some(("x".into(), (3, 25))));
        assert_eq!(
            first_duplicate_key("a: 1\nb:\n  a: 1\nb: 2\n"),
            Some(("b".into(), (4, 1)))
        );
        assert_eq!(first_duplicate_key("a: 1\nb: [a, a]\n"), None);
        assert_eq!(first_duplicate_key("[unclosed"), None);
    }
}
