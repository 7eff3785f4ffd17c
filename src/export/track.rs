//! The tracking report in the four formats of `run`: a terminal table and Markdown (a block
//! per year, to date and the re-forecast, then the conventions), CSV (one row per figure) and
//! JSON (the report struct as it is).

use super::track_tables::{Cell, blocks, closing_lines, signed};
use super::{Format, format_money};
use crate::track::report::{AmbitionReport, TrackReport};
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

/// A cell as the terminal table and Markdown show it.
fn shown(cell: &Cell) -> String {
    match cell {
        Cell::Text(text) => text.clone(),
        Cell::Amount { value, .. }
        | Cell::Number {
            value,
            signed: false,
        } => format_money(*value),
        Cell::Variance { value, .. }
        | Cell::Number {
            value,
            signed: true,
        } => signed(*value),
        Cell::Rerun { value, .. } => format!("{} (re-run)", format_money(*value)),
        Cell::Percent(p) => format!("{}%", signed(*p)),
        Cell::NotReported => "not reported".into(),
        Cell::NoPlan => "no plan".into(),
        Cell::Empty => String::new(),
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
        for row in &block.rows {
            builder.push_record(row.iter().map(shown));
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
    for line in closing_lines(report) {
        out.push_str(&format!("{bullet}{line}\n"));
    }
    out.push_str(&format!("\n{}", heading("Conventions")));
    for note in conventions(report) {
        out.push_str(&format!("- {note}\n"));
    }
    out.into_bytes()
}
