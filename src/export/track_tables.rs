//! The tracking report's tables, written once: each table's sheet name, title, header and
//! typed cells. The terminal table, Markdown and the workbook all render these, so a figure,
//! a label or a "not reported" cannot say one thing in one form and another in the next.

use super::format_money;
use crate::track::kpis::KpiRow;
use crate::track::report::{TrackReport, TrackYear};
use crate::track::variance::Comparison;
use rust_decimal::Decimal;

/// One cell of a tracking table, by what it is rather than how a form shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    /// A plan or actual: money, or people where `people`.
    Amount {
        value: Decimal,
        people: bool,
    },
    /// Actual less plan, shown with its sign.
    Variance {
        value: Decimal,
        people: bool,
    },
    /// A forecast figure no actual reports to date: the re-run's value, marked so and never
    /// rated.
    Rerun {
        value: Decimal,
        people: bool,
    },
    /// A KPI's figure, in the KPI's own unit (`signed` for a variance).
    Number {
        value: Decimal,
        signed: bool,
    },
    /// A variance as a percentage of plan (366.7 is 366.7%).
    Percent(Decimal),
    /// A figure the actuals do not give.
    NotReported,
    /// A KPI the plan sets no value for.
    NoPlan,
    Empty,
}

/// A titled table; `sheet` is its name in the workbook.
pub struct Block {
    pub sheet: String,
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

impl Block {
    /// The columns that hold RAG ratings.
    pub fn rag_columns(&self) -> Vec<u16> {
        (0..self.header.len() as u16)
            .filter(|c| self.header[*c as usize] == "RAG")
            .collect()
    }
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn people(c: &Comparison) -> bool {
    c.section == "users"
}

fn amount(c: &Comparison, value: Decimal) -> Cell {
    Cell::Amount {
        value,
        people: people(c),
    }
}

fn actual(c: &Comparison, value: Option<Decimal>) -> Cell {
    value.map_or(Cell::NotReported, |v| amount(c, v))
}

fn variance(c: &Comparison, value: Option<Decimal>) -> Cell {
    value.map_or(Cell::Empty, |value| Cell::Variance {
        value,
        people: people(c),
    })
}

fn percent(value: Option<Decimal>) -> Cell {
    value.map_or(Cell::Empty, Cell::Percent)
}

fn rag(c: &Comparison) -> Cell {
    c.rag.map_or(Cell::Empty, |r| Cell::Text(r.label().into()))
}

fn comparisons(sheet: String, title: String, comparisons: &[Comparison]) -> Block {
    Block {
        sheet,
        title,
        header: strings(["Figure", "Plan", "Actual", "Variance", "%", "RAG"]),
        rows: comparisons
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(c.label.clone()),
                    amount(c, c.plan),
                    actual(c, c.actual),
                    variance(c, c.variance),
                    percent(c.variance_pct),
                    rag(c),
                ]
            })
            .collect(),
    }
}

fn forecast(year: &TrackYear) -> Block {
    Block {
        sheet: format!("{} forecast", year.year),
        title: format!(
            "{}: full year (forecast = actuals to date + the re-forecast for the rest of the year)",
            year.year
        ),
        header: strings([
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
                    Cell::Text(f.label.clone()),
                    amount(f, f.plan),
                    actual(d, d.actual),
                    variance(d, d.variance),
                    match (f.reported, f.actual) {
                        (false, Some(value)) => Cell::Rerun {
                            value,
                            people: people(f),
                        },
                        _ => actual(f, f.actual),
                    },
                    variance(f, f.variance),
                    percent(f.variance_pct),
                    rag(f),
                ]
            })
            .collect(),
    }
}

fn kpis(sheet: String, title: String, rows: &[KpiRow]) -> Block {
    let number = |value| Cell::Number {
        value,
        signed: false,
    };
    Block {
        sheet,
        title,
        header: strings(["KPI", "Unit", "Plan", "Actual", "Variance", "%", "RAG"]),
        rows: rows
            .iter()
            .map(|k| {
                vec![
                    Cell::Text(k.label.clone()),
                    Cell::Text(k.unit.clone()),
                    k.plan.map_or(Cell::NoPlan, number),
                    k.actual.map_or(Cell::NotReported, number),
                    k.variance.map_or(Cell::Empty, |value| Cell::Number {
                        value,
                        signed: true,
                    }),
                    percent(k.variance_pct),
                    k.rag.map_or(Cell::Empty, |r| Cell::Text(r.label().into())),
                ]
            })
            .collect(),
    }
}

fn reforecast(report: &TrackReport) -> Block {
    let r = &report.reforecast;
    let title = match &r.rerun_from {
        Some(year) => format!(
            "Re-forecast: approved plan against actuals and the plan re-run from {year}{}",
            r.opening_users
                .map(|u| format!(
                    " with {} TEC users at its start ({})",
                    format_money(u),
                    match r.opening_users_from.as_str() {
                        "reported" => "actual",
                        "derived" =>
                            "derived: opening users plus reported installs less leavers, as no users were reported",
                        _ => "the plan's; no actual reported",
                    }
                ))
                .unwrap_or_default()
        ),
        None => "Re-forecast: every year is complete, so actuals throughout".into(),
    };
    let mut header = vec![String::new()];
    header.extend(r.years.iter().map(|y| y.year.clone()));
    let mut rows = vec![{
        let mut row = vec![Cell::Text("Basis".into())];
        row.extend(r.years.iter().map(|y| Cell::Text(y.basis.clone())));
        row
    }];
    let figures = r.years.first().map_or(0, |y| y.figures.len());
    for f in 0..figures {
        let label = &r.years[0].figures[f].label;
        let mut approved = vec![Cell::Text(format!("{label}: approved"))];
        approved.extend(
            r.years
                .iter()
                .map(|y| amount(&y.figures[f], y.figures[f].plan)),
        );
        let mut again = vec![Cell::Text(format!("{label}: re-forecast"))];
        again.extend(
            r.years
                .iter()
                .map(|y| actual(&y.figures[f], y.figures[f].actual)),
        );
        rows.extend([approved, again]);
    }
    Block {
        sheet: "Re-forecast".into(),
        title,
        header,
        rows,
    }
}

/// Every table of `report`, in order: each year with actuals (its forecast while in progress,
/// its KPIs), to date, and the re-forecast.
pub fn blocks(report: &TrackReport) -> Vec<Block> {
    let mut out = Vec::new();
    for year in &report.years {
        if year.comparisons.is_empty() {
            continue;
        }
        out.push(comparisons(
            year.year.clone(),
            format!("{}: {}", year.year, year.basis),
            &year.comparisons,
        ));
        if !year.forecast.is_empty() {
            out.push(forecast(year));
        }
        if !year.kpis.is_empty() {
            out.push(kpis(
                format!("{} KPIs", year.year),
                format!("{}: KPIs, {}", year.year, year.basis),
                &year.kpis,
            ));
        }
    }
    // With one year of actuals, "to date" repeats that year's table.
    let years_with_actuals = report.years.iter().filter(|y| y.months > 0).count();
    if !report.to_date.is_empty() && years_with_actuals > 1 {
        out.push(comparisons(
            "To date".into(),
            format!(
                "To date: all actuals to {} against the plan for the same months",
                report.actuals_to
            ),
            &report.to_date,
        ));
        if !report.kpis_to_date.is_empty() {
            out.push(kpis(
                "To date KPIs".into(),
                format!("To date: KPIs to {}", report.actuals_to),
                &report.kpis_to_date,
            ));
        }
    }
    out.push(reforecast(report));
    out
}

/// `value` with a sign when it is above zero: `+1,234`.
pub fn signed(value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{}", format_money(value))
    } else {
        format_money(value)
    }
}

/// The lines after the tables: the change the re-forecast makes, the actual rates it used and
/// the ambition.
pub fn closing_lines(report: &TrackReport) -> Vec<String> {
    let r = &report.reforecast;
    let mut lines = vec![format!(
        "Cumulative net benefit at the end of the plan: approved {}, re-forecast {} (change {})",
        format_money(r.approved_cumulative_net),
        format_money(r.reforecast_cumulative_net),
        signed(r.change)
    )];
    for rate in &r.rates {
        lines.push(format!(
            "Actual rate: {} {} instead of {} ({})",
            rate.input, rate.actual, rate.approved, rate.basis
        ));
    }
    if let Some(a) = &report.ambition {
        lines.push(super::track::ambition_line(a));
    }
    lines
}
