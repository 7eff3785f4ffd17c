//! The actuals file: a CSV with one row per period (month, quarter, financial year or run of
//! months, which may cross financial years and is then split across them by days) and one
//! column per figure, checked strictly against the plan.
//!
//! Columns: `period`; `installs`, `leavers` (counts in the period), `active_users` (TEC users
//! at the period's end); `benefit.<line>` or `basket.<basket>`; `cost.<line>`;
//! `offset.<line>`; `kpi.<name>`. Money is read exactly from the cell's text. An empty cell
//! means "not reported". Lines starting `#` are comments; `#! note: ...` is shown in the report and
//! `#! budget_reducing: cashable, cost_avoidance` sets the baskets of the MTFS view.

pub use super::columns::Column;
use super::columns::{LARGEST, basket_named, column_named, known_columns};
use super::error::TrackError;
use super::period::{Period, Span, Written};
use crate::literal;
use crate::model::Model;
use crate::scenario::document::Basket;
use crate::scenario::error::suggest;
use rust_decimal::{Decimal, RoundingStrategy};
use std::path::{Path, PathBuf};

/// Larger files are refused; a decade of monthly actuals is a few kilobytes.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// One period's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1-based data row.
    pub row: usize,
    /// 1-based line in the file.
    pub line: u64,
    pub period: Period,
    /// One value per column of [`Actuals::columns`]; `None` where the cell is empty.
    pub values: Vec<Option<Decimal>>,
}

/// The actuals of a plan, validated against its lines and horizon, rows in period order.
#[derive(Debug, Clone, PartialEq)]
pub struct Actuals {
    pub file: PathBuf,
    pub columns: Vec<Column>,
    /// Each column's header, as written.
    pub names: Vec<String>,
    pub rows: Vec<Row>,
    /// From `#! budget_reducing:`.
    pub budget_reducing: Option<Vec<Basket>>,
    /// From `#! note:` lines, in order.
    pub notes: Vec<String>,
    /// One line per row whose period crosses financial years: how it was split.
    pub splits: Vec<String>,
}

impl Actuals {
    /// The index of `column` among the file's columns.
    pub fn find(&self, column: Column) -> Option<usize> {
        self.columns.iter().position(|c| *c == column)
    }
}

/// Reads and checks the actuals at `path` against `model`.
pub fn read(path: &Path, model: &Model) -> Result<Actuals, TrackError> {
    use crate::input::{ReadError, read_bounded};
    let bytes = read_bounded(path, MAX_FILE_BYTES).map_err(|error| match error {
        ReadError::Io(source) => TrackError::Read {
            file: path.to_path_buf(),
            source,
        },
        ReadError::Directory => {
            TrackError::file(path, "is a directory; give an actuals file (.csv)")
        }
        ReadError::TooLarge { .. } => {
            TrackError::file(path, format!("is larger than {MAX_FILE_BYTES} bytes"))
        }
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| TrackError::file(path, "is not UTF-8 text; save the actuals as UTF-8 CSV"))?;
    parse(path, &text, model)
}

/// Reads `#!` directive lines; returns the MTFS baskets and the notes.
fn directives(file: &Path, text: &str) -> Result<(Option<Vec<Basket>>, Vec<String>), TrackError> {
    let mut baskets = None;
    let mut notes = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("#!") else {
            continue;
        };
        let line_no = i as u64 + 1;
        let name = rest.split(':').next().unwrap_or_default().trim();
        let fail = |message: String| TrackError::Directive {
            file: file.to_path_buf(),
            line: line_no,
            directive: name.to_string(),
            message,
        };
        let (key, value) = rest
            .split_once(':')
            .ok_or_else(|| fail("write `#! note: ...` or `#! budget_reducing: ...`".into()))?;
        match key.trim() {
            "note" => notes.push(value.trim().to_string()),
            "budget_reducing" => {
                let mut list = Vec::new();
                for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                    list.push(basket_named(name).ok_or_else(|| {
                        fail(format!(
                            "`{name}` is not a basket: cashable, efficiency, cost_avoidance or prevention"
                        ))
                    })?);
                }
                if list.is_empty() {
                    return Err(fail(
                        "`budget_reducing` names no basket, so the MTFS view would count nothing; list one or more of cashable, efficiency, cost_avoidance and prevention, or drop the line to use the plan's"
                            .into(),
                    ));
                }
                list.sort();
                list.dedup();
                baskets = Some(list);
            }
            other => {
                return Err(fail(format!(
                    "unknown directive `{other}`; write `note` or `budget_reducing`"
                )));
            }
        }
    }
    Ok((baskets, notes))
}

/// Parses actuals from `text`; `file` names them in errors.
pub fn parse(file: &Path, text: &str, model: &Model) -> Result<Actuals, TrackError> {
    // Spreadsheets often save UTF-8 with a byte-order mark.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (budget_reducing, notes) = directives(file, text)?;
    let mut reader = csv::ReaderBuilder::new()
        .comment(Some(b'#'))
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e
            .position()
            .map(|p| format!("line {}: ", p.line()))
            .unwrap_or_default();
        let message = match e.kind() {
            csv::ErrorKind::UnequalLengths {
                expected_len, len, ..
            } => {
                format!("the row has {len} cells but the header has {expected_len}")
            }
            _ => e.to_string(),
        };
        TrackError::file(file, format!("{line}{message}"))
    };
    let header = reader.headers().map_err(csv_error)?.clone();
    let header_line = header.position().map_or(1, |p| p.line());
    if header.iter().all(str::is_empty) {
        return Err(TrackError::file(
            file,
            "has no header row; the first column is `period`",
        ));
    }
    let known = known_columns(model);
    let mut period_at = None;
    let mut columns = Vec::new();
    let mut names = Vec::new();
    let mut positions = Vec::new();
    for (at, name) in header.iter().enumerate() {
        let fail = |message: String| TrackError::cell(file, 0, header_line, name, message);
        if name.is_empty() {
            let trailing = if at + 1 == header.len() {
                " (a trailing comma at the end of the header?)"
            } else {
                ""
            };
            return Err(TrackError::file(
                file,
                format!(
                    "header (line {header_line}): column {} has no name{trailing}; every column \
                     needs one, e.g. `period` or `installs`",
                    at + 1
                ),
            ));
        }
        if names.iter().any(|n| n == name) || (name == "period" && period_at.is_some()) {
            return Err(fail("the column appears twice".into()));
        }
        if name == "period" {
            period_at = Some(at);
            continue;
        }
        let Some(column) = column_named(name, model) else {
            let hint = suggest(name, known.iter().map(String::as_str))
                .map(|s| format!(" (did you mean `{s}`?)"))
                .unwrap_or_default();
            return Err(fail(format!(
                "unknown column{hint}; this plan takes {}",
                known.join(", ")
            )));
        };
        if let Column::Basket(basket) = column
            && let Some(line) = columns.iter().find_map(|c| match c {
                Column::Benefit(i) if model.benefits[*i].in_council_basket(basket) => Some(*i),
                _ => None,
            })
        {
            return Err(fail(format!(
                "benefit line `{}` is in this basket and has a column too; report a basket by line or as a whole, not both",
                model.benefits[line].name
            )));
        }
        if let Column::Benefit(i) = column
            && let Some(basket) = model.benefits[i].basket
            && model.benefits[i].in_council_basket(basket)
            && columns.contains(&Column::Basket(basket))
        {
            return Err(fail(format!(
                "the line is in basket `{}`, which has a column too; report a basket by line or as a whole, not both",
                basket.key()
            )));
        }
        columns.push(column);
        names.push(name.to_string());
        positions.push(at);
    }
    let Some(period_at) = period_at else {
        return Err(TrackError::cell(
            file,
            0,
            header_line,
            "period",
            "the file has no `period` column",
        ));
    };

    let last_year = model.first_year.plus(model.years as i32 - 1);
    let mut rows: Vec<Row> = Vec::new();
    let mut splits = Vec::new();
    let mut spans = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let record = record.map_err(csv_error)?;
        let row = index + 1;
        let line = record.position().map_or(0, |p| p.line());
        let cell =
            |column: &str, message: String| TrackError::cell(file, row, line, column, message);
        let period_text = record.get(period_at).unwrap_or_default();
        let written = Written::parse(period_text).map_err(|m| cell("period", m))?;
        let (period, span) = match written {
            Written::One(period) => (period, None),
            Written::Span(span) => (span.pieces()[0].0, Some(span)),
        };
        let end = span.map_or(period, |s| s.pieces().last().map_or(period, |p| p.0));
        for (p, shown) in [(period, period.to_string()), (end, end.to_string())] {
            if p.year < model.first_year || p.year > last_year {
                let whole = span.map_or(shown, |s| s.to_string());
                return Err(cell(
                    "period",
                    format!(
                        "{whole} is in {}, outside the plan's horizon {} to {last_year}",
                        p.year, model.first_year
                    ),
                ));
            }
        }
        let mut values = Vec::with_capacity(columns.len());
        for ((column, name), at) in columns.iter().zip(&names).zip(&positions) {
            let text = record.get(*at).unwrap_or_default();
            if text.is_empty() {
                values.push(None);
                continue;
            }
            let value = literal::decimal(text).map_err(|m| cell(name, m))?;
            if value.abs() >= Decimal::from(LARGEST) {
                return Err(cell(
                    name,
                    format!("{text} is larger than any council's figure; check the units"),
                ));
            }
            if column.is_count() && value.is_sign_negative() && !value.is_zero() {
                let what = if matches!(column, Column::Kpi(_)) {
                    "a KPI"
                } else {
                    "a count"
                };
                return Err(cell(name, format!("{what} cannot be negative, got {text}")));
            }
            values.push(Some(value));
        }
        match span {
            None => rows.push(Row {
                row,
                line,
                period,
                values,
            }),
            Some(span) => {
                let pieces = span.pieces();
                splits.push(split_note(row, span, &pieces));
                for (piece, values) in pieces.iter().zip(split(&values, &columns, &pieces, model)) {
                    rows.push(Row {
                        row,
                        line,
                        period: piece.0,
                        values,
                    });
                }
                spans.push((row, pieces[0].0));
            }
        }
    }
    // A span that starts after April of the plan's first year, with no row before it that
    // year, is a figure since go live: that year's months before it count as nothing.
    for (row, first) in &spans {
        let earlier = rows
            .iter()
            .any(|r| r.row != *row && r.period.year == first.year && r.period.first < first.first);
        if first.year == model.first_year && first.first > 0 && !earlier {
            for r in rows
                .iter_mut()
                .filter(|r| r.row == *row && r.period == *first)
            {
                r.period.first = 0;
            }
        }
    }
    if rows.is_empty() {
        return Err(TrackError::file(
            file,
            "has a header but no rows of actuals",
        ));
    }
    check_overlaps(file, &rows)?;
    rows.sort_by_key(|r| r.period);
    Ok(Actuals {
        file: file.to_path_buf(),
        columns,
        names,
        rows,
        budget_reducing,
        notes,
        splits,
    })
}

/// Splits one row's values across the financial years of a span by days: a flow (installs,
/// leavers, money, a summed KPI) in proportion to each year's days, rounded to the places the
/// figure is written with so that the pieces add up to it exactly (the rounding falls where
/// the running total rounds); a stock (`active_users`, a latest-value KPI) is the last
/// year's only, as it is the figure at the span's end.
fn split(
    values: &[Option<Decimal>],
    columns: &[Column],
    pieces: &[(Period, u32)],
    model: &Model,
) -> Vec<Vec<Option<Decimal>>> {
    let total: u32 = pieces.iter().map(|p| p.1).sum();
    let mut out = vec![Vec::with_capacity(values.len()); pieces.len()];
    for (value, column) in values.iter().zip(columns) {
        let stock = match column {
            Column::ActiveUsers => true,
            Column::Kpi(k) => model.kpis[*k].aggregate == crate::model::kpi::Aggregate::Latest,
            _ => false,
        };
        let Some(value) = value else {
            out.iter_mut().for_each(|o| o.push(None));
            continue;
        };
        if stock {
            for (i, o) in out.iter_mut().enumerate() {
                o.push((i + 1 == pieces.len()).then_some(*value));
            }
            continue;
        }
        let places = value.scale();
        let mut days = 0u32;
        let mut before = Decimal::ZERO;
        for (i, piece) in pieces.iter().enumerate() {
            days += piece.1;
            // Cells are below 10^15 and days below 10^5, so the product cannot overflow.
            let reached = if i + 1 == pieces.len() {
                *value
            } else {
                (*value * Decimal::from(days) / Decimal::from(total))
                    .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
            };
            out[i].push(Some(reached - before));
            before = reached;
        }
    }
    out
}

/// What the report says of a split row.
fn split_note(row: usize, span: Span, pieces: &[(Period, u32)]) -> String {
    let total: u32 = pieces.iter().map(|p| p.1).sum();
    let parts: Vec<String> = pieces
        .iter()
        .map(|(p, d)| format!("{} {d} days", p.year))
        .collect();
    format!(
        "row {row} ({span}) spans financial years and is split across them by days ({} of \
         {total}), an assumption that activity was even over the period",
        parts.join(", ")
    )
}

/// Rejects a period given twice or overlapping another, naming the later row of the file.
fn check_overlaps(file: &Path, rows: &[Row]) -> Result<(), TrackError> {
    let mut order: Vec<&Row> = rows.iter().collect();
    order.sort_by_key(|r| (r.period, r.row));
    // Sorted by start, a period overlaps an earlier one if and only if it overlaps the one
    // reaching furthest so far in its year.
    let mut furthest: Option<&Row> = None;
    for row in order {
        if let Some(reach) = furthest.filter(|f| f.period.overlaps(row.period)) {
            let (earlier, later) = if reach.row < row.row {
                (reach, row)
            } else {
                (row, reach)
            };
            let what = if earlier.period == later.period {
                format!("{} appears twice (also row {})", later.period, earlier.row)
            } else {
                format!(
                    "{} overlaps {} in row {}",
                    later.period, earlier.period, earlier.row
                )
            };
            return Err(TrackError::cell(
                file, later.row, later.line, "period", what,
            ));
        }
        if furthest
            .is_none_or(|f| f.period.year != row.period.year || f.period.last < row.period.last)
        {
            furthest = Some(row);
        }
    }
    Ok(())
}
