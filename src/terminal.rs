//! What is meant for a person at a terminal: colour where it carries meaning (RAG status,
//! a failed check), only on a terminal and never with `NO_COLOR`; and quiet mode (`-q`),
//! which silences warnings and progress on standard error (errors still print).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};

static QUIET: AtomicBool = AtomicBool::new(false);
static COLOUR: AtomicU8 = AtomicU8::new(ColourChoice::Auto as u8);

/// `--color`: colour on a terminal unless `NO_COLOR` says otherwise, always, or never.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum ColourChoice {
    #[default]
    Auto = 0,
    Always = 1,
    Never = 2,
}

/// Records `-q/--quiet` for the whole process.
pub fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

/// True under `-q/--quiet`.
pub fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Records `--color` for the whole process.
pub fn set_colour(choice: ColourChoice) {
    COLOUR.store(choice as u8, Ordering::Relaxed);
}

/// Prints `warning: {message}` on standard error, unless quiet.
pub fn warn(message: impl std::fmt::Display) {
    if !quiet() {
        eprintln!("warning: {message}");
    }
}

/// Whether output to standard output is coloured: `--color always`, or `auto` on a terminal
/// with `NO_COLOR` unset or empty (no-color.org) and a terminal that is not `dumb`.
pub fn stdout_coloured() -> bool {
    let choice = match COLOUR.load(Ordering::Relaxed) {
        1 => ColourChoice::Always,
        2 => ColourChoice::Never,
        _ => ColourChoice::Auto,
    };
    colour_wanted(
        choice,
        std::io::stdout().is_terminal(),
        std::env::var_os("NO_COLOR").as_deref(),
        std::env::var_os("TERM").as_deref(),
    )
}

fn colour_wanted(
    choice: ColourChoice,
    terminal: bool,
    no_color: Option<&std::ffi::OsStr>,
    term: Option<&std::ffi::OsStr>,
) -> bool {
    match choice {
        ColourChoice::Always => true,
        ColourChoice::Never => false,
        ColourChoice::Auto => {
            terminal && no_color.is_none_or(|v| v.is_empty()) && term.is_none_or(|t| t != "dumb")
        }
    }
}

/// The colours that carry meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Colour {
    Red,
    Amber,
    Green,
}

/// `text` in `colour` (ANSI SGR: red, yellow for amber, green; bold red).
pub fn paint(text: &str, colour: Colour) -> String {
    let code = match colour {
        Colour::Red => "1;31",
        Colour::Amber => "33",
        Colour::Green => "32",
    };
    format!("\x1b[{code}m{text}\x1b[0m")
}

/// Colours the last cell of each row of a boxed table (`│ ... │`) whose text `pick` gives a
/// colour, keeping its padding, so the columns stay aligned; other lines are left as they are.
pub fn colour_last_column(text: &str, pick: impl Fn(&str) -> Option<Colour>) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches('\n');
        let coloured = body.strip_suffix('│').and_then(|row| {
            let start = row.rfind('│')? + '│'.len_utf8();
            let cell = &row[start..];
            let word = cell.trim();
            let colour = pick(word)?;
            let at = start + cell.find(word)?;
            Some(format!(
                "{}{}{}│",
                &row[..at],
                paint(word, colour),
                &row[at + word.len()..]
            ))
        });
        match coloured {
            Some(row) => {
                out.push_str(&row);
                out.push_str(&line[body.len()..]);
            }
            None => out.push_str(line),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::OsStr;

    #[test]
    fn colour_only_on_a_terminal_and_never_with_no_color() {
        let auto = |terminal, no_color: Option<&str>, term: Option<&str>| {
            colour_wanted(
                ColourChoice::Auto,
                terminal,
                no_color.map(OsStr::new),
                term.map(OsStr::new),
            )
        };
        assert!(auto(true, None, Some("xterm-256color")));
        assert!(auto(true, Some(""), None), "an empty NO_COLOR is unset");
        assert!(!auto(true, Some("1"), None));
        assert!(!auto(false, None, None), "a pipe or file");
        assert!(!auto(true, None, Some("dumb")));
        assert!(colour_wanted(
            ColourChoice::Always,
            false,
            Some(OsStr::new("1")),
            None
        ));
        assert!(!colour_wanted(ColourChoice::Never, true, None, None));
    }

    #[test]
    fn only_the_last_cell_is_coloured_and_the_table_keeps_its_width() {
        let table = "┌─────┬───────┐\n│ red │ red   │\n│ x   │ amber │\n│ y   │       │\n└─────┴───────┘\nred\n";
        let pick = |w: &str| match w {
            "red" => Some(Colour::Red),
            "amber" => Some(Colour::Amber),
            _ => None,
        };
        let coloured = colour_last_column(table, pick);
        let lines: Vec<&str> = coloured.lines().collect();
        assert_eq!(lines[1], "│ red │ \x1b[1;31mred\x1b[0m   │");
        assert_eq!(lines[2], "│ x   │ \x1b[33mamber\x1b[0m │");
        assert_eq!(lines[3], "│ y   │       │");
        assert_eq!(lines[5], "red", "text outside the table is left alone");
        let plain = coloured.replace("\x1b[1;31m", "").replace("\x1b[33m", "");
        assert_eq!(plain.replace("\x1b[0m", ""), table);
    }
}
