//! Refuses YAML nested deeper than any scenario needs, before the parser builds the document.
//!
//! libyaml's work grows with the depth of flow collections times the number of tokens, so a
//! few hundred kilobytes of `[[[[...` would keep it busy for minutes. libyaml's own scanner
//! (the one the parser uses, so the two agree on quotes, comments and block scalars) is run
//! over the text first and stopped as soon as the depth passes the limit: the work before the
//! stop is bounded by the limit, and a file within it parses in bounded time too.

use libyaml_rs::{
    YAML_BLOCK_END_TOKEN, YAML_BLOCK_MAPPING_START_TOKEN, YAML_BLOCK_SEQUENCE_START_TOKEN,
    YAML_FLOW_MAPPING_END_TOKEN, YAML_FLOW_MAPPING_START_TOKEN, YAML_FLOW_SEQUENCE_END_TOKEN,
    YAML_FLOW_SEQUENCE_START_TOKEN, YAML_STREAM_END_TOKEN, yaml_parser_delete,
    yaml_parser_initialize, yaml_parser_scan, yaml_parser_set_input_string, yaml_parser_t,
    yaml_token_delete, yaml_token_t,
};
use std::mem::MaybeUninit;

/// The deepest nesting of collections accepted; a scenario uses about six levels.
pub const MAX_DEPTH: usize = 32;

/// The 1-based line and column of the first collection nested deeper than `max`, if any.
/// A syntax error ends the scan quietly: the parser then reports it with its place.
pub fn too_deep(text: &str, max: usize) -> Option<(usize, usize)> {
    let mut parser = MaybeUninit::<yaml_parser_t>::uninit();
    let mut token = MaybeUninit::<yaml_token_t>::uninit();
    // SAFETY: the parser is initialised before use and deleted once; it reads `text`, which
    // outlives it; each token is deleted after it is read, and never read after a failed scan.
    unsafe {
        if yaml_parser_initialize(parser.as_mut_ptr()).fail {
            return None;
        }
        let parser = parser.as_mut_ptr();
        yaml_parser_set_input_string(parser, text.as_ptr(), text.len() as _);
        let mut depth = 0usize;
        let mut found = None;
        while !yaml_parser_scan(parser, token.as_mut_ptr()).fail {
            let token = token.as_mut_ptr();
            let kind = (*token).type_;
            let mark = (*token).start_mark;
            yaml_token_delete(token);
            match kind {
                YAML_STREAM_END_TOKEN => break,
                YAML_FLOW_SEQUENCE_START_TOKEN
                | YAML_FLOW_MAPPING_START_TOKEN
                | YAML_BLOCK_SEQUENCE_START_TOKEN
                | YAML_BLOCK_MAPPING_START_TOKEN => depth += 1,
                YAML_FLOW_SEQUENCE_END_TOKEN
                | YAML_FLOW_MAPPING_END_TOKEN
                | YAML_BLOCK_END_TOKEN => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth > max {
                found = Some((mark.line as usize + 1, mark.column as usize + 1));
                break;
            }
        }
        yaml_parser_delete(parser);
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_collection_too_deep() {
        // The top-level mapping is the first level.
        assert_eq!(too_deep("a: [[[1]]]\n", 4), None);
        assert_eq!(too_deep("a: [[[1]]]\n", 3), Some((1, 6)));
        assert_eq!(too_deep("a:\n  b:\n    c: 1\n", 2), Some((3, 5)));
        // Brackets in quotes, comments and block scalars are not collections.
        let text = "a: \"[[[[\" # [[[[\nb: |\n  [[[[\nc: '{{{{'\n";
        assert_eq!(too_deep(text, 2), None);
        assert_eq!(too_deep("a: [unclosed\n", 2), None);
    }

    #[test]
    fn a_hundred_thousand_levels_are_refused_at_once() {
        let text = format!("a: {}", "[".repeat(100_000));
        let started = std::time::Instant::now();
        assert_eq!(too_deep(&text, MAX_DEPTH), Some((1, 3 + MAX_DEPTH)));
        assert!(started.elapsed().as_secs_f64() < 2.0);
    }
}
