//! Short excerpts of input text for error messages: an error quotes what it found, but never
//! more than [`EXCERPT_CHARS`] characters of it, so a 900 kB file of prose, `/etc/passwd` read
//! as a scenario or a 1 MB spreadsheet cell gives a one-line message, not the file.

/// The most characters of input an error message quotes in one place.
pub const EXCERPT_CHARS: usize = 60;

/// `text` as an error quotes it: control characters (a newline, a tab, NUL) escaped so the
/// message stays on one line, and cut to [`EXCERPT_CHARS`] characters with an ellipsis and the
/// length of the whole when longer.
pub fn excerpt(text: &str) -> String {
    excerpt_to(text, EXCERPT_CHARS)
}

/// [`excerpt`] with a limit of `limit` characters.
pub fn excerpt_to(text: &str, limit: usize) -> String {
    let count = text.chars().count();
    let mut out: String = text
        .chars()
        .take(limit)
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_default().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect();
    if count > limit {
        out.push_str(&format!("… ({count} characters)"));
    }
    out
}

/// `message` with every quoted span (between backticks, or between double quotes as serde
/// writes a string, `\"` escaped within) longer than [`EXCERPT_CHARS`] cut to an excerpt.
/// Messages built from input quote it this way, and the parser's own messages (serde's
/// `invalid type: string "..."`, `unknown field `...``) do too; applying this to the whole
/// message keeps any of them from echoing a file. Short spans are left exactly as they are.
pub fn shorten_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len().min(4096));
    let mut rest = message;
    while let Some(open) = rest.find(['`', '"']) {
        out.push_str(&rest[..open]);
        let quote = rest.as_bytes()[open] as char;
        let inside = &rest[open + 1..];
        let close = if quote == '"' {
            closing_double_quote(inside)
        } else {
            inside.find('`')
        };
        let Some(close) = close else {
            // An unmatched quote: the rest is one span.
            out.push(quote);
            out.push_str(&shorten_span(inside));
            return out;
        };
        out.push(quote);
        out.push_str(&shorten_span(&inside[..close]));
        out.push(quote);
        rest = &inside[close + 1..];
    }
    out.push_str(rest);
    out
}

fn shorten_span(span: &str) -> String {
    if span.chars().count() > EXCERPT_CHARS && !is_excerpt(span) {
        excerpt(span)
    } else {
        span.to_string()
    }
}

/// Whether `span` is already an excerpt (so shortening twice changes nothing).
fn is_excerpt(span: &str) -> bool {
    let Some((head, tail)) = span.rsplit_once("… (") else {
        return false;
    };
    let Some(count) = tail.strip_suffix(" characters)") else {
        return false;
    };
    // Escaped control characters make the head longer than it was (`\u{0}` is five).
    head.chars().count() <= 8 * EXCERPT_CHARS && count.parse::<usize>().is_ok()
}

/// The byte offset of the `"` closing a Debug-formatted string, skipping `\"` and `\\`.
fn closing_double_quote(inside: &str) -> Option<usize> {
    let mut escaped = false;
    for (at, c) in inside.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return Some(at),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_and_control_characters_escaped() {
        assert_eq!(excerpt("short"), "short");
        assert_eq!(excerpt("a\nb\0"), "a\\nb\\u{0}");
        let long = "x".repeat(1000);
        let cut = excerpt(&long);
        assert_eq!(cut, format!("{}… (1000 characters)", "x".repeat(60)));
        // Characters, not bytes: a pound sign is not split.
        let pounds = "£".repeat(61);
        assert!(excerpt(&pounds).starts_with(&"£".repeat(60)));
    }

    #[test]
    fn only_long_quoted_spans_are_shortened() {
        let short = "users.install_timing: unknown variant `midle`, expected `start`";
        assert_eq!(shorten_quoted(short), short);
        let long = "y".repeat(900_000);
        let message = format!("invalid type: string \"{long}\", expected a mapping");
        let shortened = shorten_quoted(&message);
        assert!(shortened.len() < 200, "{shortened}");
        assert!(shortened.starts_with("invalid type: string \"yyyy"));
        assert!(shortened.ends_with("(900000 characters)\", expected a mapping"));
        assert_eq!(shorten_quoted(&shortened), shortened);
        // serde's escaped quotes stay inside their string.
        let tricky = format!("string \"a\\\"{long}\" then `b`");
        let shortened = shorten_quoted(&tricky);
        assert!(shortened.ends_with("\" then `b`"), "{shortened}");
        // An unmatched quote still bounds what follows it.
        let open = format!("column `{long}");
        assert!(shorten_quoted(&open).len() < 200);
        assert_eq!(shorten_quoted("it's \"fine\""), "it's \"fine\"");
        let lines = format!("`{}`", excerpt(&"a\n".repeat(100)));
        assert_eq!(shorten_quoted(&lines), lines);
    }
}
