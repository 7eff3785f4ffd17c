//! The tables a command prints, as the sheets of an Excel workbook: a title, a frozen header
//! row, typed cells (money as £#,##0, shares as percentages, counts grouped), columns as wide
//! as their contents, the command's notes under the table and, for RAG ratings, conditional
//! formats keyed on the rating's text, so that a colour follows an edited cell.
//!
//! The cells hold the command's own figures (the structs its JSON serializes); nothing here
//! computes a figure.

use super::WorkbookError;
use super::sheets::{new_workbook, xlsx_error};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    ConditionalFormatText, ConditionalFormatTextRule, Format, FormatBorder, Worksheet, XlsxError,
};

/// A cell of a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Pounds: £#,##0.
    Money(f64),
    /// Pounds with a sign shown when positive (a variance): +£#,##0.
    Signed(f64),
    /// People or installs: #,##0.
    Count(f64),
    /// A share of one (0.25 is 25%), shown to `decimals` places of the percentage.
    Share {
        value: f64,
        decimals: u8,
    },
    /// A plain number to `decimals` places (a ratio, a correlation, an input's value).
    Number {
        value: f64,
        decimals: u8,
    },
    /// A number shown as Excel shows it (an input's value, whatever its unit).
    General(f64),
    Text(String),
    Empty,
}

impl Value {
    pub fn money(value: Decimal) -> Value {
        Value::Money(to_f64(value))
    }

    pub fn signed(value: Decimal) -> Value {
        Value::Signed(to_f64(value))
    }

    pub fn count(value: Decimal) -> Value {
        Value::Count(to_f64(value))
    }

    /// A ratio (benefit per £1) to two places.
    pub fn ratio(value: Decimal) -> Value {
        Value::Number {
            value: to_f64(value),
            decimals: 2,
        }
    }

    pub fn general(value: Decimal) -> Value {
        Value::General(to_f64(value))
    }

    pub fn text(text: impl Into<String>) -> Value {
        Value::Text(text.into())
    }

    /// A money figure that may be missing (not reported, undefined): its text in its place.
    pub fn money_or(value: Option<Decimal>, missing: &str) -> Value {
        value.map_or_else(|| Value::text(missing), Value::money)
    }

    /// A figure of an f64 analysis that may not be finite (the text shows "n/a" there).
    pub fn finite(value: f64, make: fn(f64) -> Value) -> Value {
        if value.is_finite() {
            make(value)
        } else {
            Value::text("n/a")
        }
    }

    /// About how many characters Excel shows for the cell, for the column's width.
    fn shown_width(&self) -> usize {
        let digits = |x: f64, decimals: u8| {
            let whole = x.abs().round().max(1.0).log10().floor() as usize + 1;
            let fraction = if decimals == 0 {
                0
            } else {
                decimals as usize + 1
            };
            whole + (whole - 1) / 3 + usize::from(x < 0.0) + fraction
        };
        match self {
            Value::Money(x) | Value::Signed(x) => digits(*x, 0) + 1,
            Value::Count(x) => digits(*x, 0),
            Value::Share { value, decimals } => digits(value * 100.0, *decimals) + 1,
            Value::Number { value, decimals } => digits(*value, *decimals),
            Value::General(x) => ryu::Buffer::new().format(*x).len(),
            Value::Text(t) => t.chars().count(),
            Value::Empty => 0,
        }
    }
}

fn to_f64(value: Decimal) -> f64 {
    // Every money figure the engine reports fits an f64 to the penny (it has 15 digits).
    value.to_f64().unwrap_or(f64::NAN)
}

/// A figure's kind by its name as the analyses name outputs (`summary.closing_users`,
/// `year.2025/26.net`): people are counts, ratios plain numbers, the rest money.
pub fn output_value(name: &str, value: Decimal) -> Value {
    output_f64(name, to_f64(value))
}

/// As [`output_value`], for the Monte Carlo's f64 figures.
pub fn output_f64(name: &str, value: f64) -> Value {
    if !value.is_finite() {
        return Value::text("n/a");
    }
    let last = name.rsplit('.').next().unwrap_or(name);
    if name.contains("users") || ["installs", "leavers", "people_supported"].contains(&last) {
        Value::Count(value)
    } else if ["return_per_pound", "roi"].contains(&last) {
        Value::Number { value, decimals: 2 }
    } else {
        Value::Money(value)
    }
}

/// How `run` rounds money, for the notes of a sheet of its figures.
pub fn rounding_note(rounding: crate::model::vocabulary::Rounding) -> String {
    use crate::model::vocabulary::Rounding;
    let how = match rounding {
        Rounding::Pound => "rounded half away from zero to the pound per line and year",
        Rounding::Penny => "rounded half away from zero to the penny per line and year",
        Rounding::None => "not rounded (exact)",
    };
    format!("Money in pounds, {how}, as `run` reports it; totals are sums of the rounded lines.")
}

/// A sheet name Excel accepts: no `[]:*?/\`, at most 31 characters.
pub fn sheet_name(name: &str) -> String {
    name.chars()
        .map(|c| if "[]:*?/\\".contains(c) { '-' } else { c })
        .take(31)
        .collect()
}

/// What colours a rating column: each rating's text and its fill, lightest to darkest.
pub const RAG_FILLS: [(&str, &str); 3] =
    [("red", "F4B6B6"), ("amber", "FFE08A"), ("green", "B7DFB9")];

/// One table on a sheet of its own.
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// The sheet's name: at most 31 characters, unique in the book.
    pub sheet: String,
    /// The first row, in bold.
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Value>>,
    /// Lines under the table (conventions, seeds, what is illustrative).
    pub notes: Vec<String>,
    /// Columns that hold RAG ratings (`red`, `amber`, `green`).
    pub rag_columns: Vec<u16>,
}

/// The row of the header (the title is above it); data starts on the next row.
pub const HEADER_ROW: u32 = 1;

/// The most data rows a sheet takes: Excel's 1,048,576 rows less the title and header.
pub const MAX_ROWS: usize = 1_048_576 - 2;

/// The workbook of `tables`, one sheet each in the order given.
pub fn workbook(tables: &[Table]) -> Result<Vec<u8>, WorkbookError> {
    let mut book = new_workbook()?;
    let formats = Formats::new();
    for table in tables {
        let sheet = book.add_worksheet();
        write(sheet, table, &formats).map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}

struct Formats {
    title: Format,
    header: Format,
    money: Format,
    signed: Format,
    count: Format,
    note: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            header: Format::new()
                .set_bold()
                .set_background_color("D9D9D9")
                .set_border_bottom(FormatBorder::Thin),
            money: Format::new().set_num_format("£#,##0;-£#,##0"),
            signed: Format::new().set_num_format("+£#,##0;-£#,##0;£0"),
            count: Format::new().set_num_format("#,##0"),
            note: Format::new().set_italic(),
        }
    }
}

fn decimals_format(base: &str, decimals: u8, suffix: &str) -> Format {
    let fraction = if decimals == 0 {
        String::new()
    } else {
        format!(".{}", "0".repeat(decimals as usize))
    };
    Format::new().set_num_format(format!("{base}{fraction}{suffix}"))
}

fn write(sheet: &mut Worksheet, table: &Table, f: &Formats) -> Result<(), XlsxError> {
    sheet.set_name(&table.sheet)?;
    sheet.write_string_with_format(0, 0, &table.title, &f.title)?;
    let mut widths: Vec<usize> = table.header.iter().map(|h| h.chars().count()).collect();
    for (c, heading) in table.header.iter().enumerate() {
        sheet.write_string_with_format(HEADER_ROW, c as u16, heading, &f.header)?;
    }
    for (r, row) in table.rows.iter().enumerate() {
        let r = HEADER_ROW + 1 + r as u32;
        for (c, value) in row.iter().enumerate() {
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(value.shown_width());
            let c = c as u16;
            match value {
                Value::Money(x) => sheet.write_number_with_format(r, c, *x, &f.money)?,
                Value::Signed(x) => sheet.write_number_with_format(r, c, *x, &f.signed)?,
                Value::Count(x) => sheet.write_number_with_format(r, c, *x, &f.count)?,
                Value::Share { value, decimals } => sheet.write_number_with_format(
                    r,
                    c,
                    *value,
                    &decimals_format("0", *decimals, "%"),
                )?,
                Value::Number { value, decimals } => sheet.write_number_with_format(
                    r,
                    c,
                    *value,
                    &decimals_format("#,##0", *decimals, ""),
                )?,
                Value::General(x) => sheet.write_number(r, c, *x)?,
                Value::Text(t) => sheet.write_string(r, c, t)?,
                Value::Empty => sheet,
            };
        }
    }
    let last = HEADER_ROW + table.rows.len() as u32;
    for &column in &table.rag_columns {
        for (rating, fill) in RAG_FILLS {
            // A rule on the text's start (Excel: LEFT(F3,3)="red", any case); the three
            // ratings begin differently, and spreadsheet engines read text rules alike.
            let rule = ConditionalFormatText::new()
                .set_rule(ConditionalFormatTextRule::BeginsWith(rating.to_string()))
                .set_format(Format::new().set_background_color(fill));
            sheet.add_conditional_format(
                HEADER_ROW + 1,
                column,
                last.max(HEADER_ROW + 1),
                column,
                &rule,
            )?;
        }
    }
    for (k, note) in table.notes.iter().enumerate() {
        sheet.write_string_with_format(last + 2 + k as u32, 0, note, &f.note)?;
    }
    // The header row stays in view, and the first column (each row's label) with it.
    sheet.set_freeze_panes(HEADER_ROW + 1, 1)?;
    for (c, width) in widths.iter().enumerate() {
        let width = (*width + 2).clamp(8, 60);
        sheet.set_column_width(c as u16, width as f64)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_fit_the_text_excel_shows() {
        let chars = |t: &str| t.chars().count();
        assert_eq!(Value::Money(1_234_567.0).shown_width(), chars("£1,234,567"));
        assert_eq!(Value::Money(-5.0).shown_width(), chars("-£5"));
        assert_eq!(Value::Count(999.0).shown_width(), 3);
        assert_eq!(
            Value::Share {
                value: 0.125,
                decimals: 1
            }
            .shown_width(),
            "12.5%".len()
        );
        assert_eq!(Value::text("amber").shown_width(), 5);
    }

    #[test]
    fn outputs_are_typed_by_their_names() {
        let one = Decimal::ONE;
        assert_eq!(
            output_value("summary.closing_users", one),
            Value::Count(1.0)
        );
        assert_eq!(
            output_value("year.2025/26.installs", one),
            Value::Count(1.0)
        );
        assert!(matches!(
            output_value("summary.return_per_pound", one),
            Value::Number { decimals: 2, .. }
        ));
        assert_eq!(output_value("summary.npv", one), Value::Money(1.0));
    }

    #[test]
    fn a_table_makes_a_workbook() {
        let table = Table {
            sheet: "Figures".into(),
            title: "A title".into(),
            header: vec!["figure".into(), "value".into(), "RAG".into()],
            rows: vec![vec![
                Value::text("net"),
                Value::Money(12.0),
                Value::text("red"),
            ]],
            notes: vec!["Money in pounds.".into()],
            rag_columns: vec![2],
        };
        let bytes = workbook(&[table]).unwrap();
        assert!(bytes.starts_with(b"PK"));
    }
}
