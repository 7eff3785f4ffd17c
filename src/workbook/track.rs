//! `track`'s workbook: a sheet per table of the report (each year's plan against actuals, its
//! full-year forecast, all actuals to date, the re-forecast), the actuals file's notes (that
//! its figures are ILLUSTRATIVE, where they are) first under every table, and each RAG rating
//! coloured by a conditional format on its text.

use super::WorkbookError;
use super::tables::{Table, Value, sheet_name, workbook};
use crate::export::{ambition_line, conventions, format_money};
use crate::track::kpis::KpiRow;
use crate::track::report::{TrackReport, TrackYear};
use crate::track::variance::Comparison;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// Users are counts, the rest money.
fn amount(c: &Comparison, value: Decimal) -> Value {
    if c.section == "users" {
        Value::count(value)
    } else {
        Value::money(value)
    }
}

fn actual(c: &Comparison, value: Option<Decimal>) -> Value {
    value.map_or_else(|| Value::text("not reported"), |v| amount(c, v))
}

fn variance(c: &Comparison, value: Option<Decimal>) -> Value {
    match value {
        None => Value::Empty,
        Some(v) if c.section == "users" => Value::count(v),
        Some(v) => Value::signed(v),
    }
}

/// The percentage as the report gives it (366.7 is 366.7%), as a share Excel shows as one.
fn pct(value: Option<Decimal>) -> Value {
    value.map_or(Value::Empty, |p| Value::Share {
        value: p.to_f64().unwrap_or(f64::NAN) / 100.0,
        decimals: 1,
    })
}

fn rag(c: &Comparison) -> Value {
    c.rag.map_or(Value::Empty, |r| Value::text(r.label()))
}

fn comparisons(sheet: String, title: String, comparisons: &[Comparison]) -> Table {
    Table {
        sheet,
        title,
        header: strings(&["Figure", "Plan", "Actual", "Variance", "%", "RAG"]),
        rows: comparisons
            .iter()
            .map(|c| {
                vec![
                    Value::text(&c.label),
                    amount(c, c.plan),
                    actual(c, c.actual),
                    variance(c, c.variance),
                    pct(c.variance_pct),
                    rag(c),
                ]
            })
            .collect(),
        rag_columns: vec![5],
        ..Table::default()
    }
}

/// KPIs in their own units: plain numbers, the unit beside them.
fn kpis(sheet: String, title: String, rows: &[KpiRow]) -> Table {
    let number = |v: Decimal| Value::general(v);
    Table {
        sheet,
        title,
        header: strings(&["KPI", "Unit", "Plan", "Actual", "Variance", "%", "RAG"]),
        rows: rows
            .iter()
            .map(|k| {
                vec![
                    Value::text(&k.label),
                    Value::text(&k.unit),
                    k.plan.map_or_else(|| Value::text("no plan"), number),
                    k.actual.map_or_else(|| Value::text("not reported"), number),
                    k.variance.map_or(Value::Empty, number),
                    pct(k.variance_pct),
                    k.rag.map_or(Value::Empty, |r| Value::text(r.label())),
                ]
            })
            .collect(),
        rag_columns: vec![6],
        ..Table::default()
    }
}

fn forecast(year: &TrackYear) -> Table {
    Table {
        sheet: sheet_name(&format!("{} forecast", year.year)),
        title: format!(
            "{}: full year (forecast = actuals to date + the re-forecast for the rest of the year)",
            year.year
        ),
        header: strings(&[
            "Figure",
            "Full-year plan",
            "Actual to date",
            "To date - plan",
            "Forecast",
            "Forecast - plan",
            "%",
            "RAG",
        ]),
        rows: year
            .forecast
            .iter()
            .zip(&year.to_date_against_full_year)
            .map(|(f, d)| {
                vec![
                    Value::text(&f.label),
                    amount(f, f.plan),
                    actual(d, d.actual),
                    variance(d, d.variance),
                    actual(f, f.actual),
                    variance(f, f.variance),
                    pct(f.variance_pct),
                    rag(f),
                ]
            })
            .collect(),
        rag_columns: vec![7],
        ..Table::default()
    }
}

fn reforecast(report: &TrackReport) -> Table {
    let r = &report.reforecast;
    let title = match &r.rerun_from {
        Some(year) => {
            format!("Re-forecast: approved plan against actuals and the plan re-run from {year}")
        }
        None => "Re-forecast: every year is complete, so actuals throughout".into(),
    };
    let mut header = vec![String::new()];
    header.extend(r.years.iter().map(|y| y.year.clone()));
    let mut rows = vec![{
        let mut row = vec![Value::text("Basis")];
        row.extend(r.years.iter().map(|y| Value::text(&y.basis)));
        row
    }];
    let figures = r.years.first().map_or(0, |y| y.figures.len());
    for f in 0..figures {
        let label = &r.years[0].figures[f].label;
        let mut approved = vec![Value::text(format!("{label}: approved"))];
        approved.extend(
            r.years
                .iter()
                .map(|y| amount(&y.figures[f], y.figures[f].plan)),
        );
        let mut again = vec![Value::text(format!("{label}: re-forecast"))];
        again.extend(
            r.years
                .iter()
                .map(|y| actual(&y.figures[f], y.figures[f].actual)),
        );
        rows.extend([approved, again]);
    }
    let mut notes = Vec::new();
    if let Some(u) = r.opening_users {
        notes.push(format!(
            "Re-run with {} TEC users at its start ({}).",
            format_money(u),
            if r.opening_users_actual {
                "actual"
            } else {
                "the plan's; no actual reported"
            }
        ));
    }
    notes.push(format!(
        "Cumulative net benefit at the end of the plan: approved £{}, re-forecast £{} (change {}£{}).",
        format_money(r.approved_cumulative_net),
        format_money(r.reforecast_cumulative_net),
        if r.change > Decimal::ZERO { "+" } else { "" },
        format_money(r.change)
    ));
    for rate in &r.rates {
        notes.push(format!(
            "Actual rate: {} {} instead of {} ({})",
            rate.input, rate.actual, rate.approved, rate.basis
        ));
    }
    if let Some(a) = &report.ambition {
        notes.push(ambition_line(a));
    }
    Table {
        sheet: "Re-forecast".into(),
        title,
        header,
        rows,
        notes,
        ..Table::default()
    }
}

/// The workbook of `report`.
pub fn track(report: &TrackReport) -> Result<Vec<u8>, WorkbookError> {
    let mut tables = Vec::new();
    for year in &report.years {
        if year.comparisons.is_empty() {
            continue;
        }
        tables.push(comparisons(
            sheet_name(&year.year),
            format!("{}: {}", year.year, year.basis),
            &year.comparisons,
        ));
        if !year.forecast.is_empty() {
            tables.push(forecast(year));
        }
        if !year.kpis.is_empty() {
            tables.push(kpis(
                sheet_name(&format!("{} KPIs", year.year)),
                format!("{}: KPIs, {}", year.year, year.basis),
                &year.kpis,
            ));
        }
    }
    // With one year of actuals, "to date" repeats that year's table (as in the text).
    let years_with_actuals = report.years.iter().filter(|y| y.months > 0).count();
    if !report.to_date.is_empty() && years_with_actuals > 1 {
        tables.push(comparisons(
            "To date".into(),
            format!(
                "To date: all actuals to {} against the plan for the same months",
                report.actuals_to
            ),
            &report.to_date,
        ));
        if !report.kpis_to_date.is_empty() {
            tables.push(kpis(
                "To date KPIs".into(),
                format!("To date: KPIs to {}", report.actuals_to),
                &report.kpis_to_date,
            ));
        }
    }
    tables.push(reforecast(report));
    let mut head: Vec<String> = report.notes.iter().map(|n| format!("Note: {n}")).collect();
    head.push(format!(
        "Tracking {}: plan {}, actuals {} as at {} (actuals to {}).",
        report.scenario, report.plan_file, report.actuals_file, report.as_at, report.actuals_to
    ));
    let tail = conventions(report);
    for table in &mut tables {
        let own = std::mem::take(&mut table.notes);
        table.notes = head.iter().chain(&own).chain(&tail).cloned().collect();
    }
    workbook(&tables)
}
