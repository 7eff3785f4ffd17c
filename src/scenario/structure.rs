//! The structure of YAML text, checked before the parser builds the document: how deep its
//! collections nest, and how large it becomes once every alias is expanded.
//!
//! Both bound the work a hostile file can cause. libyaml's time grows with the depth of flow
//! collections times the number of tokens, so a few hundred kilobytes of `[[[[...` would keep
//! it busy for minutes. And each alias (`*a`) is read again wherever it appears: nested
//! aliases grow exponentially (the "billion laughs"), and even one level, a staffing line of
//! a thousand posts aliased by ten thousand cost lines, asks for ten million posts from a file
//! of 240 kB. libyaml's own parser (so the two agree on quotes, comments and block scalars) is
//! run over the text first and stopped at the first event past either limit.

use libyaml_rs::{
    YAML_ALIAS_EVENT, YAML_MAPPING_END_EVENT, YAML_MAPPING_START_EVENT, YAML_SCALAR_EVENT,
    YAML_SEQUENCE_END_EVENT, YAML_SEQUENCE_START_EVENT, YAML_STREAM_END_EVENT, yaml_event_delete,
    yaml_event_t, yaml_parser_delete, yaml_parser_initialize, yaml_parser_parse,
    yaml_parser_set_input_string, yaml_parser_t,
};
use std::collections::HashMap;
use std::mem::MaybeUninit;

/// The deepest nesting of collections accepted; a scenario uses about six levels.
pub const MAX_DEPTH: usize = 32;
/// The largest size, with every alias expanded, in events plus bytes of text: twice the
/// largest file, so that aliases may save typing but not multiply the work.
pub const MAX_EXPANDED: u64 = 2 * super::text::MAX_FILE_BYTES;

/// What is wrong with a document's structure, and where (1-based line and column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    TooDeep { line: usize, column: usize },
    TooLarge { line: usize, column: usize },
}

/// Checks `text` against [`MAX_DEPTH`] and [`MAX_EXPANDED`].
pub fn check(text: &str) -> Result<(), Problem> {
    check_with(text, MAX_DEPTH, MAX_EXPANDED)
}

/// Anchored nodes being read: each open collection with its anchor and size so far.
struct Sizes {
    open: Vec<(Option<Vec<u8>>, u64)>,
    anchors: HashMap<Vec<u8>, u64>,
    expanded: u64,
}

impl Sizes {
    fn add(&mut self, size: u64) {
        self.expanded = self.expanded.saturating_add(size);
        if let Some(top) = self.open.last_mut() {
            top.1 = top.1.saturating_add(size);
        }
    }

    fn close(&mut self, anchor: Option<Vec<u8>>, size: u64) {
        if let Some(name) = anchor {
            self.anchors.insert(name, size);
        }
        if let Some(top) = self.open.last_mut() {
            top.1 = top.1.saturating_add(size);
        }
    }
}

/// The anchor's name, if the pointer holds one.
///
/// # Safety
/// `anchor` is null or points to a NUL-terminated string that lives while this runs.
unsafe fn name(anchor: *const u8) -> Option<Vec<u8>> {
    // SAFETY: as the caller promises.
    (!anchor.is_null()).then(|| {
        unsafe { std::ffi::CStr::from_ptr(anchor.cast()) }
            .to_bytes()
            .to_vec()
    })
}

/// As [`check`], with the limits given. A syntax error ends the check quietly: the parser
/// then reports it with its place.
pub fn check_with(text: &str, max_depth: usize, max_expanded: u64) -> Result<(), Problem> {
    let mut parser = MaybeUninit::<yaml_parser_t>::uninit();
    let mut event = MaybeUninit::<yaml_event_t>::uninit();
    let mut sizes = Sizes {
        open: Vec::new(),
        anchors: HashMap::new(),
        expanded: 0,
    };
    let mut result = Ok(());
    // SAFETY: the parser is initialised before use and deleted once; it reads `text`, which
    // outlives it. Each event is read only after a successful parse, its strings are copied
    // before it is deleted, and it is deleted before the next parse.
    unsafe {
        if yaml_parser_initialize(parser.as_mut_ptr()).fail {
            return Ok(());
        }
        let parser = parser.as_mut_ptr();
        yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as _);
        while !yaml_parser_parse(parser, event.as_mut_ptr()).fail {
            let event = event.as_mut_ptr();
            let mark = (*event).start_mark;
            let at = (mark.line as usize + 1, mark.column as usize + 1);
            let kind = (*event).type_;
            match kind {
                YAML_SCALAR_EVENT => {
                    let scalar = (*event).data.scalar;
                    let size = 1u64.saturating_add(scalar.length as _);
                    if let Some(anchor) = name(scalar.anchor) {
                        sizes.anchors.insert(anchor, size);
                    }
                    sizes.add(size);
                }
                YAML_ALIAS_EVENT => {
                    let anchor = name((*event).data.alias.anchor);
                    let size = anchor.and_then(|a| sizes.anchors.get(&a).copied());
                    sizes.add(size.unwrap_or(1));
                }
                YAML_SEQUENCE_START_EVENT | YAML_MAPPING_START_EVENT => {
                    let anchor = if kind == YAML_SEQUENCE_START_EVENT {
                        name((*event).data.sequence_start.anchor)
                    } else {
                        name((*event).data.mapping_start.anchor)
                    };
                    sizes.expanded = sizes.expanded.saturating_add(1);
                    sizes.open.push((anchor, 1));
                    if sizes.open.len() > max_depth {
                        result = Err(Problem::TooDeep {
                            line: at.0,
                            column: at.1,
                        });
                    }
                }
                YAML_SEQUENCE_END_EVENT | YAML_MAPPING_END_EVENT => {
                    if let Some((anchor, size)) = sizes.open.pop() {
                        sizes.close(anchor, size);
                    }
                }
                _ => {}
            }
            if result.is_ok() && sizes.expanded > max_expanded {
                result = Err(Problem::TooLarge {
                    line: at.0,
                    column: at.1,
                });
            }
            yaml_event_delete(event);
            if result.is_err() || kind == YAML_STREAM_END_EVENT {
                break;
            }
        }
        yaml_parser_delete(parser);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deep(line: usize, column: usize) -> Result<(), Problem> {
        Err(Problem::TooDeep { line, column })
    }

    #[test]
    fn finds_the_first_collection_too_deep() {
        // The top-level mapping is the first level.
        assert_eq!(check_with("a: [[[1]]]\n", 4, u64::MAX), Ok(()));
        assert_eq!(check_with("a: [[[1]]]\n", 3, u64::MAX), deep(1, 6));
        assert_eq!(check_with("a:\n  b:\n    c: 1\n", 2, u64::MAX), deep(3, 5));
        // Brackets in quotes, comments and block scalars are not collections.
        let text = "a: \"[[[[\" # [[[[\nb: |\n  [[[[\nc: '{{{{'\n";
        assert_eq!(check_with(text, 2, u64::MAX), Ok(()));
        assert_eq!(check_with("a: [unclosed\n", 2, u64::MAX), Ok(()));
    }

    #[test]
    fn a_hundred_thousand_levels_are_refused_at_once() {
        let text = format!("a: {}", "[".repeat(100_000));
        let started = std::time::Instant::now();
        assert_eq!(check(&text), deep(1, 3 + MAX_DEPTH));
        assert!(started.elapsed().as_secs_f64() < 2.0);
    }

    #[test]
    fn aliases_count_at_their_expanded_size() {
        // "a" is 1 + 1; each alias of it counts 2; the mapping and the sequence 1 each.
        let text = "x: &a a\ny: [*a, *a, *a]\n";
        assert_eq!(check_with(text, 10, 100), Ok(()));
        let expanded = 1 + (1 + 1) + (1 + 1) + (1 + 1) + 1 + 3 * 2;
        assert_eq!(check_with(text, 10, expanded), Ok(()));
        assert!(check_with(text, 10, expanded - 1).is_err());
        // Nested: each level is nine of the one before.
        let mut laughs = String::from("a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (name, previous) in ["b", "c", "d", "e", "f", "g", "h", "i"]
            .iter()
            .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
        {
            let items = vec![format!("*{previous}"); 9].join(", ");
            laughs.push_str(&format!("{name}: &{name} [{items}]\n"));
        }
        // 9^6 x 4 passes 2 MiB on the sixth line.
        assert_eq!(
            check(&laughs),
            Err(Problem::TooLarge {
                line: 6,
                column: 36
            })
        );
    }
}
