//! The tracking report as CSV for analysts: one row per figure (kind, year, basis, figure,
//! label, plan, actual, variance, variance %, RAG), plain numbers; the actuals' notes first
//! (kind `note`, the text in `label`).

use crate::track::kpis::KpiRow;
use crate::track::report::TrackReport;
use crate::track::variance::Comparison;
use rust_decimal::Decimal;

pub(super) fn csv(report: &TrackReport) -> Vec<u8> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let header = [
        "kind",
        "year",
        "basis",
        "figure",
        "label",
        "plan",
        "actual",
        "variance",
        "variance_pct",
        "rag",
    ];
    writer
        .write_record(crate::export::csv_record(header))
        .expect("CSV to memory");
    // The actuals' `#! note:` lines ("ILLUSTRATIVE: ..."), first, as in every other form.
    for note in &report.notes {
        writer
            .write_record(crate::export::csv_record([
                "note", "", "", "", note, "", "", "", "", "",
            ]))
            .expect("CSV to memory");
    }
    let number = |v: Option<Decimal>| v.map(|v| v.to_string()).unwrap_or_default();
    let mut records: Vec<[String; 10]> = Vec::new();
    let mut put = |kind: &str, year: &str, basis: &str, c: &Comparison| {
        records.push([
            kind.to_string(),
            year.to_string(),
            basis.to_string(),
            c.figure.clone(),
            c.label.clone(),
            c.plan.to_string(),
            number(c.actual),
            number(c.variance),
            number(c.variance_pct),
            c.rag.map(|r| r.label().to_string()).unwrap_or_default(),
        ]);
    };
    for year in &report.years {
        for c in &year.comparisons {
            put("actual", &year.year, &year.basis, c);
        }
        for c in &year.forecast {
            put("forecast", &year.year, "full year", c);
        }
        for c in &year.to_date_against_full_year {
            put("to_date_against_full_year", &year.year, "full-year plan", c);
        }
    }
    let to_date = format!("to {}", report.actuals_to);
    for c in &report.to_date {
        put("to_date", "", &to_date, c);
    }
    for year in &report.reforecast.years {
        for c in &year.figures {
            put("reforecast", &year.year, &year.basis, c);
        }
    }
    // A KPI's label carries its unit; an empty plan is a KPI the plan sets no value for.
    let kpi = |kind: &str, year: &str, basis: &str, k: &KpiRow| {
        [
            kind.to_string(),
            year.to_string(),
            basis.to_string(),
            k.figure.clone(),
            format!("{} ({})", k.label, k.unit),
            number(k.plan),
            number(k.actual),
            number(k.variance),
            number(k.variance_pct),
            k.rag.map(|r| r.label().to_string()).unwrap_or_default(),
        ]
    };
    for year in &report.years {
        for k in &year.kpis {
            records.push(kpi("kpi", &year.year, &year.basis, k));
        }
    }
    for k in &report.kpis_to_date {
        records.push(kpi("kpi_to_date", "", &to_date, k));
    }
    for record in records {
        writer
            .write_record(crate::export::csv_record(record))
            .expect("CSV to memory");
    }
    if let Some(a) = &report.ambition {
        let label = format!(
            "Installs a month to reach {} TEC users by {} from {} in {}",
            a.target_users, a.by, a.from_users, a.from
        );
        for (figure, value) in [
            ("installs_per_month", a.installs_per_month),
            ("whole_installs_per_month", a.whole_installs_per_month),
            ("users_reached", a.users_reached),
        ] {
            writer
                .write_record([
                    "ambition",
                    "",
                    &a.by,
                    figure,
                    &label,
                    "",
                    &value.to_string(),
                    "",
                    "",
                    "",
                ])
                .expect("CSV to memory");
        }
    }
    writer.into_inner().expect("CSV to memory")
}
