//! Text cells made safe for the format they go into: CSV that a spreadsheet will not run as a
//! formula, and Markdown table cells that stay on one row.

use std::borrow::Cow;

/// A CSV cell that Excel, LibreOffice or Google Sheets will not execute: text starting with
/// `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to them (CSV injection), so it
/// gets a leading `'`, which they show as text. Numbers (`-1234.5`) are left as they are.
pub fn csv_text(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Every cell of a CSV record through [`csv_text`].
pub fn csv_record<I>(cells: I) -> Vec<String>
where
    I: IntoIterator,
    I::Item: AsRef<str>,
{
    cells
        .into_iter()
        .map(|c| csv_text(c.as_ref()).into_owned())
        .collect()
}

fn is_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['-', '+']).unwrap_or(cell);
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit() || c == '.')
        && cell.parse::<f64>().is_ok_and(f64::is_finite)
}

/// A Markdown table cell: `|` escaped and line breaks shown as `<br>`, so that a label with a
/// newline cannot end its row.
pub fn markdown_cell(cell: &str) -> String {
    cell.replace('|', "\\|")
        .replace("\r\n", "<br>")
        .replace(['\n', '\r'], "<br>")
}

/// Gives `table` the Markdown style with every cell through [`markdown_cell`].
pub fn markdown_table(table: &mut tabled::Table) {
    use tabled::settings::{Format, Style, object::Segment};
    table.modify(Segment::all(), Format::content(markdown_cell));
    table.with(Style::markdown());
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_neutralised_and_numbers_kept() {
        assert_eq!(csv_text("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_text("+cmd"), "'+cmd");
        assert_eq!(csv_text("-2+3"), "'-2+3");
        assert_eq!(csv_text("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_text("\tx"), "'\tx");
        assert_eq!(csv_text("-1234.5"), "-1234.5");
        assert_eq!(csv_text("+7"), "+7");
        assert_eq!(csv_text("-inf"), "'-inf");
        assert_eq!(csv_text("Care hours"), "Care hours");
        assert_eq!(csv_record(["=1+1", "2"]), ["'=1+1", "2"]);
    }

    #[test]
    fn markdown_cells_stay_on_their_row() {
        assert_eq!(markdown_cell("a|b\nc\r\nd"), "a\\|b<br>c<br>d");
        let mut builder = tabled::builder::Builder::default();
        builder.push_record(["line", "amount"]);
        builder.push_record(["two\nlines", "1"]);
        let mut table = builder.build();
        markdown_table(&mut table);
        let text = table.to_string();
        assert_eq!(text.lines().count(), 3, "{text}");
        assert!(text.contains("two<br>lines"), "{text}");
    }
}
