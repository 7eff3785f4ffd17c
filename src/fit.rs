//! Fits a table written to a terminal to its width: a boxed table too wide is split into
//! blocks of columns that fit, each repeating the label column (a table of years), or has its
//! cells wrapped (a table of long text, such as `check`'s); prose lines are wrapped at spaces.
//! A file, a pipe or `--wide` gets the full width: this runs only for standard output on a
//! terminal ([`stdout_width`]).

use std::io::IsTerminal;
use std::sync::atomic::{AtomicBool, Ordering};

static WIDE: AtomicBool = AtomicBool::new(false);

/// The environment variable that makes standard output count as a terminal of that many
/// columns: the test hook for the terminal behaviour (documented in docs/guide.md).
pub const WIDTH_VAR: &str = "TEC_MODEL_WIDTH";

/// The narrowest width fitted to; a narrower terminal gets this.
const NARROWEST: usize = 40;

/// Records `--wide` (tables at full width even on a terminal) for the whole process.
pub fn set_wide(wide: bool) {
    WIDE.store(wide, Ordering::Relaxed);
}

/// The width to fit standard output's tables to: `None` (full width) with `--wide` or when
/// standard output is not a terminal; else `TEC_MODEL_WIDTH`, `COLUMNS`, the terminal's own
/// width, or 80.
pub fn stdout_width() -> Option<usize> {
    let number = |name: &str| {
        std::env::var(name)
            .ok()
            .and_then(|v| v.trim().parse::<usize>().ok())
            .filter(|n| *n > 0)
    };
    if WIDE.load(Ordering::Relaxed) {
        return None;
    }
    if let Some(n) = number(WIDTH_VAR) {
        return Some(n.max(NARROWEST));
    }
    if !std::io::stdout().is_terminal() {
        return None;
    }
    let width = number("COLUMNS").or_else(terminal_columns).unwrap_or(80);
    Some(width.max(NARROWEST))
}

/// The terminal's width in columns, from the kernel (`TIOCGWINSZ` on standard output).
#[cfg(unix)]
fn terminal_columns() -> Option<usize> {
    let mut size = libc::winsize {
        ws_row: 0,
        ws_col: 0,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: TIOCGWINSZ writes one `winsize` into the struct passed, which lives here.
    let ok = unsafe { libc::ioctl(libc::STDOUT_FILENO, libc::TIOCGWINSZ, &mut size) } == 0;
    (ok && size.ws_col > 0).then_some(size.ws_col as usize)
}

#[cfg(not(unix))]
fn terminal_columns() -> Option<usize> {
    None
}

fn width_of(text: &str) -> usize {
    text.chars().count()
}

/// `text` with every boxed table and prose line fitted to `width` columns.
pub fn fit(text: &str, width: usize) -> String {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out: Vec<String> = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        if lines[i].starts_with('┌')
            && let Some(end) = (i..lines.len()).find(|&j| lines[j].starts_with('└'))
        {
            let block = &lines[i..=end];
            match Table::parse(block) {
                Some(table) if width_of(lines[i]) > width => out.extend(table.fit(width)),
                _ => out.extend(block.iter().map(|l| l.to_string())),
            }
            i = end + 1;
            continue;
        }
        out.extend(wrap_prose(lines[i], width));
        i += 1;
    }
    out.join("\n")
}

/// A prose line wrapped at spaces, the continuation lines indented as the first.
fn wrap_prose(line: &str, width: usize) -> Vec<String> {
    if width_of(line) <= width {
        return vec![line.to_string()];
    }
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut out = Vec::new();
    let mut current = indent.clone();
    for word in line[indent.len()..].split(' ') {
        let fits = width_of(&current) + 1 + width_of(word) <= width;
        if current.len() > indent.len() && !fits {
            out.push(std::mem::replace(&mut current, indent.clone()));
        }
        if current.len() > indent.len() {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push(current);
    out
}

/// Words of `text` in lines of at most `width` characters (a longer word is cut).
fn wrap_cell(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut current = String::new();
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let mut word: Vec<char> = word.chars().collect();
        while word.len() > width {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
            out.push(word.drain(..width).collect());
        }
        let word: String = word.into_iter().collect();
        if !current.is_empty() && width_of(&current) + 1 + width_of(&word) > width {
            out.push(std::mem::take(&mut current));
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(&word);
    }
    if !current.is_empty() || out.is_empty() {
        out.push(current);
    }
    out
}

/// A boxed table read back from its text: its rows of cells, each with its alignment, and
/// where the rules between rows were.
struct Table {
    rows: Vec<Vec<Cell>>,
    /// Before which rows a `├─┼─┤` rule runs.
    rules: Vec<usize>,
}

struct Cell {
    text: String,
    right: bool,
}

const BOX: &str = "│┬┼┴├┤┌┐└┘";

impl Table {
    fn parse(block: &[&str]) -> Option<Table> {
        let top: Vec<char> = block[0].chars().collect();
        let bounds: Vec<usize> = (0..top.len())
            .filter(|&k| matches!(top[k], '┌' | '┬' | '┐'))
            .collect();
        if bounds.len() < 2 || bounds[0] != 0 || bounds[bounds.len() - 1] != top.len() - 1 {
            return None;
        }
        let mut rows = Vec::new();
        let mut rules = Vec::new();
        for line in &block[1..block.len() - 1] {
            let chars: Vec<char> = line.chars().collect();
            if chars.len() != top.len() || bounds.iter().any(|&b| !BOX.contains(chars[b])) {
                return None;
            }
            if chars[0] == '├' {
                rules.push(rows.len());
                continue;
            }
            let row = bounds
                .windows(2)
                .map(|pair| {
                    let inner: String = chars[pair[0] + 1..pair[1]].iter().collect();
                    let trimmed = inner.trim();
                    Cell {
                        right: !trimmed.is_empty()
                            && inner.trim_end().len() == inner.len() - 1
                            && inner.len() - inner.trim_start().len() > 1,
                        text: trimmed.to_string(),
                    }
                })
                .collect();
            rows.push(row);
        }
        Some(Table { rows, rules })
    }

    fn widths(&self) -> Vec<usize> {
        let columns = self.rows.first().map_or(0, Vec::len);
        (0..columns)
            .map(|c| {
                self.rows
                    .iter()
                    .map(|r| width_of(&r[c].text))
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }

    /// The table in lines of at most `width` where it can be: split into blocks of columns
    /// when its columns after the first are narrow (figures), else its cells wrapped.
    fn fit(&self, width: usize) -> Vec<String> {
        let natural = self.widths();
        let columns = natural.len();
        let narrow = natural.iter().skip(1).all(|w| w + 3 <= width / 4);
        if columns > 2 && narrow {
            return self.split(&natural, width);
        }
        let mut widths = natural.clone();
        let total = |w: &[usize]| 1 + w.iter().map(|x| x + 3).sum::<usize>();
        while total(&widths) > width {
            let (widest, most) = widths
                .iter()
                .enumerate()
                .max_by_key(|(i, w)| (**w, std::cmp::Reverse(*i)))
                .map(|(i, w)| (i, *w))
                .expect("a column");
            if most <= 8 {
                break;
            }
            widths[widest] -= 1;
        }
        self.render(&(0..columns).collect::<Vec<_>>(), &widths)
    }

    /// Blocks of columns that fit, each after the label column (wrapped to two fifths of the
    /// width if it is wider), separated by a blank line.
    fn split(&self, natural: &[usize], width: usize) -> Vec<String> {
        let mut label = natural[0];
        let longest_word = self
            .rows
            .iter()
            .flat_map(|r| r[0].text.split(' '))
            .map(width_of)
            .max()
            .unwrap_or(0);
        let widest_other = natural.iter().skip(1).max().copied().unwrap_or(0);
        if label * 5 > width * 2 || 1 + label + 3 + widest_other + 3 > width {
            label = (width * 2 / 5).max(longest_word).min(label);
        }
        let mut widths = natural.to_vec();
        widths[0] = label;
        let mut out = Vec::new();
        let mut next = 1;
        while next < natural.len() {
            let mut used = 1 + label + 3;
            let mut block = vec![0];
            while next < natural.len() && (block.len() == 1 || used + natural[next] + 3 <= width) {
                used += natural[next] + 3;
                block.push(next);
                next += 1;
            }
            if !out.is_empty() {
                out.push(String::new());
            }
            out.extend(self.render(&block, &widths));
        }
        out
    }

    /// The columns `block` of the table, at `widths`, in the sharp style.
    fn render(&self, block: &[usize], widths: &[usize]) -> Vec<String> {
        let rule = |left: char, middle: char, right: char| {
            let parts: Vec<String> = block.iter().map(|&c| "─".repeat(widths[c] + 2)).collect();
            format!("{left}{}{right}", parts.join(&middle.to_string()))
        };
        let mut out = vec![rule('┌', '┬', '┐')];
        for (r, row) in self.rows.iter().enumerate() {
            if self.rules.contains(&r) {
                out.push(rule('├', '┼', '┤'));
            }
            let wrapped: Vec<Vec<String>> = block
                .iter()
                .map(|&c| wrap_cell(&row[c].text, widths[c]))
                .collect();
            let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            for k in 0..height {
                let mut line = String::from("│");
                for (i, &c) in block.iter().enumerate() {
                    let text = wrapped[i].get(k).map_or("", String::as_str);
                    let pad = " ".repeat(widths[c].saturating_sub(width_of(text)));
                    if row[c].right {
                        line.push_str(&format!(" {pad}{text} │"));
                    } else {
                        line.push_str(&format!(" {text}{pad} │"));
                    }
                }
                out.push(line);
            }
        }
        if self.rules.contains(&self.rows.len()) {
            out.push(rule('├', '┼', '┤'));
        }
        out.push(rule('└', '┴', '┘'));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const YEARS: &str = "┌───────────────────────┬─────────┬─────────┬─────────┐\n\
                         │                       │ 2021/22 │ 2022/23 │   Total │\n\
                         ├───────────────────────┼─────────┼─────────┼─────────┤\n\
                         │ Home care hours (£)   │ 235,986 │ 645,242 │ 881,228 │\n\
                         │ Installs              │     717 │     717 │   1,434 │\n\
                         └───────────────────────┴─────────┴─────────┴─────────┘\n\
                         A note that is long enough to need wrapping at forty columns.\n";

    #[test]
    fn a_table_that_fits_is_left_as_it_is() {
        assert_eq!(fit(YEARS, 200), YEARS);
    }

    #[test]
    fn year_columns_are_split_into_blocks_repeating_the_label() {
        let fitted = fit(YEARS, 40);
        for line in fitted.lines() {
            assert!(width_of(line) <= 40, "{line}");
        }
        let tables = fitted.matches('┌').count();
        assert!(tables >= 2, "{fitted}");
        assert_eq!(fitted.matches("Installs").count(), tables, "{fitted}");
        assert!(
            fitted.contains("│     717 │"),
            "right-aligned kept:\n{fitted}"
        );
        assert!(fitted.contains("A note that is long enough to need\nwrapping at forty columns."));
    }

    #[test]
    fn long_text_cells_are_wrapped() {
        let table = "┌──────────────────────────────────────────────┬──────┐\n\
                     │ figure                                       │ ok   │\n\
                     ├──────────────────────────────────────────────┼──────┤\n\
                     │ Scenario 1: users at end of year five at last │ pass │\n\
                     └──────────────────────────────────────────────┴──────┘";
        let table = table.replace("at last │", "at las │");
        let fitted = fit(&table, 40);
        for line in fitted.lines() {
            assert!(width_of(line) <= 40, "{line}");
        }
        assert!(fitted.contains("│ pass │"), "{fitted}");
        assert!(fitted.contains("Scenario 1: users at"), "{fitted}");
    }

    #[test]
    fn prose_wraps_with_its_indentation() {
        assert_eq!(
            wrap_prose("    one two three four", 14),
            vec!["    one two", "    three four"]
        );
        assert_eq!(wrap_cell("abcdefghij", 4), vec!["abcd", "efgh", "ij"]);
    }
}
