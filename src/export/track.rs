//! The tracking report in the four formats of `run`: a terminal table and Markdown (a block
//! per year, to date and the re-forecast, then the conventions), CSV (one row per figure) and
//! JSON (the report struct as it is).

use super::{Format, format_money};
use crate::track::kpis::KpiRow;
use crate::track::report::{AmbitionReport, TrackReport, TrackYear};
use crate::track::variance::Comparison;
use rust_decimal::Decimal;
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

/// Renders `report` in `format`.
pub fn render_track(report: &TrackReport, format: Format) -> Vec<u8> {
    match format {
        Format::Json => super::schema::to_json(report),
        Format::Csv => super::track_csv::csv(report),
        // Xlsx and Svg are written by the app (chart, workbook); the table stands in.
        Format::Table | Format::Markdown | Format::Xlsx | Format::Svg => {
            text(report, format == Format::Markdown)
        }
    }
}

/// A tracking table for a terminal: each RAG status in its colour (the last column of the
/// comparison tables).
pub fn paint_track(table: &[u8]) -> Vec<u8> {
    use crate::terminal::{Colour, colour_last_column};
    let text = String::from_utf8_lossy(table);
    colour_last_column(&text, |cell| match cell {
        "red" => Some(Colour::Red),
        "amber" => Some(Colour::Amber),
        "green" => Some(Colour::Green),
        _ => None,
    })
    .into_bytes()
}

/// A titled table of text cells.
struct Block {
    title: String,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

fn signed(value: Decimal) -> String {
    if value > Decimal::ZERO {
        format!("+{}", format_money(value))
    } else {
        format_money(value)
    }
}

fn pct(value: Option<Decimal>) -> String {
    value.map_or_else(String::new, |p| format!("{}%", signed(p)))
}

fn actual(value: Option<Decimal>) -> String {
    value.map_or_else(|| "not reported".into(), format_money)
}

fn rag(c: &Comparison) -> String {
    c.rag.map_or_else(String::new, |r| r.label().to_string())
}

fn strings<const N: usize>(cells: [&str; N]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

fn comparison_block(title: String, comparisons: &[Comparison]) -> Block {
    Block {
        title,
        header: strings(["Figure", "Plan", "Actual", "Variance", "%", "RAG"]),
        rows: comparisons
            .iter()
            .map(|c| {
                vec![
                    c.label.clone(),
                    format_money(c.plan),
                    actual(c.actual),
                    c.variance.map(signed).unwrap_or_default(),
                    pct(c.variance_pct),
                    rag(c),
                ]
            })
            .collect(),
    }
}

fn forecast_block(year: &TrackYear) -> Block {
    Block {
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
                    f.label.clone(),
                    format_money(f.plan),
                    actual(d.actual),
                    d.variance.map(signed).unwrap_or_default(),
                    match (f.reported, f.actual) {
                        (false, Some(v)) => format!("{} (re-run)", format_money(v)),
                        _ => actual(f.actual),
                    },
                    f.variance.map(signed).unwrap_or_default(),
                    pct(f.variance_pct),
                    rag(f),
                ]
            })
            .collect(),
    }
}

fn reforecast_block(report: &TrackReport) -> Block {
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
        let mut row = vec!["Basis".to_string()];
        row.extend(r.years.iter().map(|y| y.basis.clone()));
        row
    }];
    let figures = r.years.first().map_or(0, |y| y.figures.len());
    for f in 0..figures {
        let label = &r.years[0].figures[f].label;
        for (which, pick) in [
            (
                "approved",
                (|c: &Comparison| format_money(c.plan)) as fn(&Comparison) -> String,
            ),
            ("re-forecast", |c: &Comparison| actual(c.actual)),
        ] {
            let mut row = vec![format!("{label}: {which}")];
            row.extend(r.years.iter().map(|y| pick(&y.figures[f])));
            rows.push(row);
        }
    }
    Block {
        title,
        header,
        rows,
    }
}

fn kpi_block(title: String, rows: &[KpiRow]) -> Block {
    Block {
        title,
        header: strings(["KPI", "Unit", "Plan", "Actual", "Variance", "%", "RAG"]),
        rows: rows
            .iter()
            .map(|k| {
                vec![
                    k.label.clone(),
                    k.unit.clone(),
                    k.plan.map_or_else(|| "no plan".into(), format_money),
                    actual(k.actual),
                    k.variance.map(signed).unwrap_or_default(),
                    pct(k.variance_pct),
                    k.rag.map_or_else(String::new, |r| r.label().to_string()),
                ]
            })
            .collect(),
    }
}

pub fn ambition_line(a: &AmbitionReport) -> String {
    // An estimate is not a target: say so where the number is read.
    let heading = match a.kind.as_str() {
        "estimate" => "Estimate (not a target)",
        _ => "Ambition",
    };
    format!(
        "{heading}: {} TEC users by {} from {} in {} ({} months), at {}% a year attrition ({}% a month): {} installs a month; {} whole installs a month reach {}.",
        format_money(a.target_users),
        a.by,
        format_money(a.from_users),
        a.from,
        a.months,
        (a.annual_attrition * Decimal::ONE_HUNDRED).normalize(),
        (a.monthly_attrition * Decimal::ONE_HUNDRED).normalize(),
        format_money(a.installs_per_month),
        format_money(a.whole_installs_per_month),
        format_money(a.users_reached),
    )
}

/// The conventions under every form of the report: variance sign, RAG rule, phasing, the
/// MTFS view, the re-forecast's method, what was not reported and the units.
pub fn conventions(report: &TrackReport) -> Vec<String> {
    let baskets: Vec<&str> = report
        .budget_reducing
        .baskets
        .iter()
        .map(|b| b.key())
        .collect();
    let r = &report.reforecast;
    let mut notes = vec![
        format!("Variance: {}.", report.sign_convention),
        format!(
            "RAG: green within {}% of plan, amber within {}% ({}); {}.",
            (report.rag.green * Decimal::ONE_HUNDRED).normalize(),
            (report.rag.amber * Decimal::ONE_HUNDRED).normalize(),
            report.rag.source,
            report.rag.rule
        ),
        format!("Phasing within a year: {}.", report.phasing),
        format!(
            "MTFS view: counts only {}; source: {}.",
            baskets.join(", "),
            report.budget_reducing.source
        ),
        format!("Re-forecast: {}.", r.method),
    ];
    for split in &report.split_periods {
        notes.push(format!("Period across years: {split}."));
    }
    for k in &report.kpis {
        notes.push(format!(
            "KPI {}: {} ({}; {} is better; {}); plan {}.",
            k.name,
            k.label,
            k.unit,
            match k.better {
                crate::model::kpi::Better::Higher => "higher",
                crate::model::kpi::Better::Lower => "lower",
            },
            match k.aggregate {
                crate::model::kpi::Aggregate::Sum => "periods add up",
                crate::model::kpi::Aggregate::Latest => "the latest period stands for the year",
            },
            k.plan_source
        ));
    }
    if !report.not_reported.is_empty() {
        notes.push(format!(
            "Not in the actuals file: {}.",
            report.not_reported.join(", ")
        ));
    }
    if let Some(a) = &report.ambition {
        notes.push(format!(
            "Ambition: {}; attrition {}.",
            a.method, a.attrition_provenance
        ));
    }
    notes.push("Money in pounds; users in whole people.".into());
    notes
}

fn blocks(report: &TrackReport) -> Vec<Block> {
    let mut out = Vec::new();
    for year in &report.years {
        if year.comparisons.is_empty() {
            continue;
        }
        out.push(comparison_block(
            format!("{}: {}", year.year, year.basis),
            &year.comparisons,
        ));
        if !year.forecast.is_empty() {
            out.push(forecast_block(year));
        }
        if !year.kpis.is_empty() {
            out.push(kpi_block(
                format!("{}: KPIs, {}", year.year, year.basis),
                &year.kpis,
            ));
        }
    }
    // With one year of actuals, "to date" repeats that year's table.
    let years_with_actuals = report.years.iter().filter(|y| y.months > 0).count();
    if !report.to_date.is_empty() && years_with_actuals > 1 {
        out.push(comparison_block(
            format!(
                "To date: all actuals to {} against the plan for the same months",
                report.actuals_to
            ),
            &report.to_date,
        ));
        if !report.kpis_to_date.is_empty() {
            out.push(kpi_block(
                format!("To date: KPIs to {}", report.actuals_to),
                &report.kpis_to_date,
            ));
        }
    }
    out.push(reforecast_block(report));
    out
}

fn text(report: &TrackReport, markdown: bool) -> Vec<u8> {
    let heading = |text: &str| {
        if markdown {
            format!("### {}\n\n", crate::export::markdown_cell(text))
        } else {
            format!("{text}\n")
        }
    };
    let mut out = if markdown {
        format!(
            "## Tracking: {}\n\n",
            crate::export::markdown_cell(&report.scenario)
        )
    } else {
        format!("Tracking: {}\n", report.scenario)
    };
    let bullet = if markdown { "- " } else { "" };
    out.push_str(&format!("{bullet}Plan: {}\n", report.plan_file));
    out.push_str(&format!(
        "{bullet}Actuals: {}, as at {} (actuals to {})\n",
        report.actuals_file, report.as_at, report.actuals_to
    ));
    for note in &report.notes {
        out.push_str(&format!("{bullet}Note: {note}\n"));
    }
    out.push('\n');
    for block in blocks(report) {
        out.push_str(&heading(&block.title));
        let mut builder = Builder::default();
        builder.push_record(block.header);
        for row in block.rows {
            builder.push_record(row);
        }
        let mut table = builder.build();
        if markdown {
            crate::export::markdown_table(&mut table);
        } else {
            table.with(Style::sharp());
        }
        table.modify(Columns::new(1..), Alignment::right());
        out.push_str(&format!("{table}\n\n"));
    }
    let r = &report.reforecast;
    out.push_str(&format!(
        "{bullet}Cumulative net benefit at the end of the plan: approved {}, re-forecast {} (change {})\n",
        format_money(r.approved_cumulative_net),
        format_money(r.reforecast_cumulative_net),
        signed(r.change)
    ));
    for rate in &r.rates {
        out.push_str(&format!(
            "{bullet}Actual rate: {} {} instead of {} ({})\n",
            rate.input, rate.actual, rate.approved, rate.basis
        ));
    }
    if let Some(a) = &report.ambition {
        out.push_str(&format!("{bullet}{}\n", ambition_line(a)));
    }
    out.push_str(&format!("\n{}", heading("Conventions")));
    for note in conventions(report) {
        out.push_str(&format!("- {note}\n"));
    }
    out.into_bytes()
}
