//! Writes the workbook's four sheets with rust_xlsxwriter: formats, frozen headers, widths.

use super::figures::{Figure, Key, Unit};
use super::formulas::{Cell, Rendered, WORKING};
use super::{Expected, FIRST_YEAR_COL, INPUTS, MODEL, Placed, WorkbookError, model_cell};
use crate::model::vocabulary::Rounding;
use crate::number::Exact;
use crate::report::Report;
use crate::scenario::Scenario;
use crate::simulate::tape::Traced;
use rust_decimal::prelude::ToPrimitive;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, Formula, Workbook, Worksheet, XlsxError,
};

pub fn xlsx_error(error: XlsxError) -> WorkbookError {
    WorkbookError::Xlsx(error.to_string())
}

/// Everything the sheets are written from.
pub(super) struct Sheets<'a> {
    pub scenario: &'a Scenario,
    pub report: &'a Report,
    pub exact: &'a [Figure<Exact>],
    pub traced: &'a [Figure<Traced>],
    pub key: Key,
    pub rendered: &'a Rendered,
    pub inputs: &'a [Cell],
}

/// The workbook's number formats.
pub(crate) struct Formats {
    pub header: Format,
    pub money: Format,
    pub users: Format,
    pub factor: Format,
    pub plain: Format,
    pub wrap: Format,
}

impl Formats {
    pub fn new(rounding: Rounding) -> Formats {
        let money = match rounding {
            Rounding::Pound => "£#,##0;-£#,##0",
            Rounding::Penny | Rounding::None => "£#,##0.00;-£#,##0.00",
        };
        Formats {
            header: Format::new().set_bold().set_background_color("D9D9D9"),
            money: Format::new().set_num_format(money),
            users: Format::new().set_num_format("#,##0.0"),
            factor: Format::new().set_num_format("0.000000"),
            plain: Format::new().set_num_format("General"),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
        }
    }
}

/// A new workbook whose file does not change from run to run (a fixed creation time).
pub(crate) fn new_workbook() -> Result<Workbook, WorkbookError> {
    let mut workbook = Workbook::new();
    let when = ExcelDateTime::from_ymd(2000, 1, 1).map_err(xlsx_error)?;
    workbook.set_properties(&DocProperties::new().set_creation_datetime(&when));
    Ok(workbook)
}

fn formula(text: &str, cached: &str) -> Formula {
    Formula::new(format!("={text}")).set_result(cached)
}

fn number_text(x: f64) -> String {
    let mut buffer = ryu::Buffer::new();
    buffer.format(x).to_string()
}

impl Sheets<'_> {
    pub fn write(&self) -> Result<(Vec<u8>, Vec<Placed>), WorkbookError> {
        let formats = Formats::new(self.scenario.model.rounding);
        let mut workbook = new_workbook()?;
        let mut summary = workbook.add_worksheet();
        summary.set_name("Summary").map_err(xlsx_error)?;
        let placed = self.summary(summary, &formats).map_err(xlsx_error)?;
        let inputs = workbook.add_worksheet();
        inputs.set_name(INPUTS).map_err(xlsx_error)?;
        self.inputs_sheet(inputs, &formats).map_err(xlsx_error)?;
        let model = workbook.add_worksheet();
        model.set_name(MODEL).map_err(xlsx_error)?;
        self.model_sheet(model, &formats).map_err(xlsx_error)?;
        let working = workbook.add_worksheet();
        working.set_name(WORKING).map_err(xlsx_error)?;
        self.working_sheet(working, &formats).map_err(xlsx_error)?;
        summary = workbook
            .worksheet_from_name("Summary")
            .map_err(xlsx_error)?;
        summary.set_active(true);
        let bytes = workbook.save_to_buffer().map_err(xlsx_error)?;
        Ok((bytes, placed))
    }

    fn inputs_sheet(&self, sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        let params = &self.scenario.params;
        let model = &self.scenario.model;
        let width = params
            .info
            .iter()
            .map(|i| i.year.map_or(1, |y| y + 1))
            .max()
            .unwrap_or(1)
            .max(model.years);
        sheet.write_with_format(0, 0, "Input", &f.header)?;
        sheet.write_with_format(0, 1, "Allowed range", &f.header)?;
        for t in 0..width {
            let label = format!("Value {}", model.year_label(t));
            let label = if t == 0 {
                format!("Value (or {})", model.year_label(0))
            } else {
                label
            };
            sheet.write_with_format(0, FIRST_YEAR_COL + t as u16, label, &f.header)?;
        }
        let provenance_col = FIRST_YEAR_COL + width as u16;
        sheet.write_with_format(0, provenance_col, "Provenance", &f.header)?;
        sheet.write_with_format(0, provenance_col + 1, "Distribution (simulate)", &f.header)?;
        for (row, (path, slots)) in params.grouped().iter().enumerate() {
            let row = 1 + row as u32;
            sheet.write(row, 0, *path)?;
            sheet.write(row, 1, params.info[slots[0]].domain.describe())?;
            for slot in slots {
                let cell = self.inputs[*slot];
                let value = params.values[*slot].to_f64().unwrap_or(f64::NAN);
                sheet.write_number_with_format(cell.row, cell.col, value, &f.plain)?;
            }
            sheet.write_with_format(
                row,
                provenance_col,
                provenance(self.scenario, slots),
                &f.wrap,
            )?;
            if let Some(d) = distribution(self.scenario, slots) {
                sheet.write(row, provenance_col + 1, d)?;
            }
        }
        sheet.set_column_width(0, 46)?;
        sheet.set_column_width(1, 30)?;
        for t in 0..width {
            sheet.set_column_width(FIRST_YEAR_COL + t as u16, 14)?;
        }
        sheet.set_column_width(provenance_col, 70)?;
        sheet.set_column_width(provenance_col + 1, 36)?;
        sheet.set_freeze_panes(1, 1)?;
        Ok(())
    }

    fn model_sheet(&self, sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        let model = &self.scenario.model;
        sheet.write_with_format(0, 0, "Section", &f.header)?;
        sheet.write_with_format(0, 1, "Figure", &f.header)?;
        for t in 0..model.years {
            sheet.write_with_format(
                0,
                FIRST_YEAR_COL + t as u16,
                model.year_label(t),
                &f.header,
            )?;
        }
        sheet.write_with_format(0, FIRST_YEAR_COL + model.years as u16, "Horizon", &f.header)?;
        for (r, (traced, exact)) in self.traced.iter().zip(self.exact).enumerate() {
            let row = 1 + r as u32;
            sheet.write(row, 0, traced.section)?;
            sheet.write(row, 1, &traced.label)?;
            let format = match traced.unit {
                Unit::Money => &f.money,
                Unit::Users => &f.users,
                Unit::Factor => &f.factor,
            };
            let values = super::all_values(traced).zip(super::all_values(exact));
            for (t, (figure, value)) in values.enumerate() {
                let cell = model_cell(r, t);
                let text = self.rendered.formula_at(figure, cell);
                let cached = value
                    .get()
                    .and_then(|d| d.to_f64())
                    .unwrap_or_else(|| self.rendered.value_of(figure));
                sheet.write_formula_with_format(
                    cell.row,
                    cell.col,
                    formula(&text, &number_text(cached)),
                    format,
                )?;
            }
        }
        sheet.set_column_width(0, 10)?;
        sheet.set_column_width(1, 52)?;
        for t in 0..=model.years {
            sheet.set_column_width(FIRST_YEAR_COL + t as u16, 14)?;
        }
        sheet.set_freeze_panes(1, 2)?;
        Ok(())
    }

    fn working_sheet(&self, sheet: &mut Worksheet, f: &Formats) -> Result<(), XlsxError> {
        sheet.write_with_format(0, 0, "Step", &f.header)?;
        sheet.write_with_format(
            0,
            1,
            "Intermediate result (the engine's own operation)",
            &f.header,
        )?;
        for (k, cell) in self.rendered.working.iter().enumerate() {
            let row = 1 + k as u32;
            sheet.write(row, 0, format!("step {}", cell.register))?;
            sheet.write_formula_with_format(
                row,
                1,
                formula(&cell.formula, &number_text(cell.value)),
                &f.plain,
            )?;
        }
        sheet.set_column_width(0, 12)?;
        sheet.set_column_width(1, 24)?;
        sheet.set_freeze_panes(1, 0)?;
        Ok(())
    }

    fn summary(&self, sheet: &mut Worksheet, f: &Formats) -> Result<Vec<Placed>, XlsxError> {
        let model = &self.scenario.model;
        let years = model.years;
        let last = years - 1;
        let k = self.key;
        let at = |row: usize, t: usize| model_cell(row, t).reference();
        let s = &self.report.summary;
        let title = match &self.scenario.council {
            Some(council) => format!("{} ({council})", self.scenario.name),
            None => self.scenario.name.clone(),
        };
        sheet.write_with_format(0, 0, title, &f.header)?;
        sheet.write_with_format(0, 1, "Value", &f.header)?;
        let payback_cells: Vec<String> = (0..years).map(|t| at(k.cumulative_net, t)).collect();
        let mut rows: Vec<(&str, String, Expected, &Format)> = vec![
            (
                "Cumulative net benefit",
                at(k.cumulative_net, last),
                money(s.cumulative_net),
                &f.money,
            ),
            (
                "Total benefit to the council",
                at(k.total_benefit, years),
                money(s.total_benefit),
                &f.money,
            ),
            (
                "Total cost to the council",
                at(k.total_cost, years),
                money(s.total_cost),
                &f.money,
            ),
            (
                "Total offsets",
                at(k.total_offsets, years),
                money(s.total_offsets),
                &f.money,
            ),
            (
                "Net present value",
                at(k.discounted_net, years),
                money(s.npv),
                &f.money,
            ),
            (
                "Payback year",
                payback_formula(model, &payback_cells),
                Expected::Text(s.payback_shown()),
                &f.plain,
            ),
            (
                "TEC users at the end",
                format!("ROUND({},0)", at(k.closing_users, last)),
                money(s.closing_users),
                &f.plain,
            ),
            (
                "People supported",
                format!(
                    "ROUND({}+SUM({}:{}),0)",
                    at(k.opening_users, 0),
                    at(k.installs, 0),
                    model_cell(k.installs, last)
                        .reference()
                        .split('!')
                        .nth(1)
                        .unwrap_or("")
                ),
                money(s.people_supported),
                &f.plain,
            ),
        ];
        let (benefit, cost) = (at(k.total_benefit, years), at(k.total_cost, years));
        rows.push((
            "Return per £1 of cost",
            format!("IF({cost}=0,\"n/a\",ROUND({benefit}/{cost},2))"),
            match s.return_per_pound {
                Some(r) => money(r),
                None => Expected::Text("n/a".into()),
            },
            &f.plain,
        ));
        let mut placed = Vec::new();
        for (i, (label, text, expected, format)) in rows.into_iter().enumerate() {
            let row = 1 + i as u32;
            sheet.write(row, 0, label)?;
            let cached = match &expected {
                Expected::Number(x) => number_text(*x),
                Expected::Text(t) => t.clone(),
            };
            sheet.write_formula_with_format(row, 1, formula(&text, &cached), format)?;
            placed.push(Placed {
                label: label.to_string(),
                cell: Cell {
                    sheet: "Summary",
                    row,
                    col: 1,
                },
                expected,
            });
        }
        let notes = [
            "Every figure on Model is a formula over Inputs (change an input and the case recalculates).",
            "Working holds intermediate results of the engine's own operations, in its order.",
            "Money is rounded half away from zero (Excel's ROUND) per line and year, as tec-model rounds it.",
            "Users are shown to one place; tec-model's tables round them to whole people.",
        ];
        let first = placed.len() as u32 + 2;
        for (i, note) in notes.iter().enumerate() {
            sheet.write(first + i as u32, 0, *note)?;
        }
        sheet.write(
            first + notes.len() as u32,
            0,
            format!("Scenario file: {}", self.report.file),
        )?;
        sheet.set_column_width(0, 40)?;
        sheet.set_column_width(1, 18)?;
        sheet.set_freeze_panes(1, 0)?;
        Ok(placed)
    }
}

fn money(value: rust_decimal::Decimal) -> Expected {
    Expected::Number(value.to_f64().unwrap_or(f64::NAN))
}

/// The engine's payback rule (`model::engine::payback_index`) as nested IFs over the
/// cumulative net benefit of each year: the year after the last below zero, else the first
/// above zero, else nothing to pay back; not within the horizon if the last year is below.
fn payback_formula(model: &crate::model::Model, cumulative: &[String]) -> String {
    let n = cumulative.len();
    let label = |t: usize| format!("\"{}\"", model.year_label(t));
    let mut first_positive = "\"n/a (no net benefit or cost in any year)\"".to_string();
    for t in (0..n).rev() {
        first_positive = format!("IF({}>0,{},{first_positive})", cumulative[t], label(t));
    }
    let mut chain = first_positive;
    for (t, cell) in cumulative.iter().enumerate().take(n.saturating_sub(1)) {
        chain = format!("IF({cell}<0,{},{chain})", label(t + 1));
    }
    format!(
        "IF({}<0,\"not within the horizon\",{chain})",
        cumulative[n - 1]
    )
}

/// An input's provenance: one, or each year's where they differ.
pub fn provenance(scenario: &Scenario, slots: &[usize]) -> String {
    let info = &scenario.params.info;
    let first = &info[slots[0]].provenance;
    if slots.iter().all(|s| info[*s].provenance == *first) {
        return first.to_string();
    }
    slots
        .iter()
        .map(|s| {
            let year = info[*s].year.map(|t| scenario.model.year_label(t));
            format!("{}: {}", year.unwrap_or_default(), info[*s].provenance)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The distributions the Monte Carlo draws an input's slots from, if any.
pub fn distribution(scenario: &Scenario, slots: &[usize]) -> Option<String> {
    use crate::scenario::uncertain::Apply;
    let mut found = Vec::new();
    for variable in &scenario.uncertainty.variables {
        for (slot, apply) in &variable.targets {
            if slots.contains(slot) {
                let text = match apply {
                    Apply::Set => {
                        format!("{}: {}", variable.name, variable.distribution.describe())
                    }
                    Apply::Factor => format!(
                        "{}: value x {}",
                        variable.name,
                        variable.distribution.describe()
                    ),
                };
                if !found.contains(&text) {
                    found.push(text);
                }
            }
        }
    }
    (!found.is_empty()).then(|| found.join("; "))
}
