//! Renders a Monte Carlo report as a table, Markdown, CSV or JSON.

use super::report::SimulationReport;
use crate::export::{Format, format_money};
use tabled::builder::Builder;
use tabled::settings::object::Columns;
use tabled::settings::{Alignment, Style};

const HEADER: [&str; 11] = [
    "output", "year", "mean", "sd", "P5", "P10", "P50", "P90", "P95", "min", "max",
];

fn money(x: f64) -> String {
    if !x.is_finite() {
        return "n/a".into();
    }
    match rust_decimal::Decimal::from_f64_retain(x.round()) {
        Some(rounded) => format_money(rounded.normalize()),
        // Beyond the money type (about 7.9e28): a figure no business case has, shown as it
        // is rather than as a misleading pound amount.
        None => format!("{x:.3e}"),
    }
}

fn rows(report: &SimulationReport, show: fn(f64) -> String) -> Vec<Vec<String>> {
    report
        .outputs
        .iter()
        .map(|o| {
            let s = &o.summary;
            let mut row = vec![
                o.output.clone(),
                o.year.clone().unwrap_or_else(|| "total".into()),
                show(s.mean),
                show(s.sd),
            ];
            row.extend(s.percentiles.iter().map(|p| show(p.value)));
            row.extend([show(s.min), show(s.max)]);
            row
        })
        .collect()
}

pub fn render(report: &SimulationReport, format: Format) -> Vec<u8> {
    match format {
        Format::Json => {
            let mut out = serde_json::to_vec_pretty(report).expect("report serializes");
            out.push(b'\n');
            out
        }
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let mut header: Vec<String> = HEADER.iter().map(|h| h.to_lowercase()).collect();
            header.extend(
                ["se_mean", "se_p5", "se_p10", "se_p50", "se_p90", "se_p95"].map(String::from),
            );
            writer
                .write_record(crate::export::csv_record(&header))
                .expect("CSV to memory");
            for (o, mut row) in report.outputs.iter().zip(rows(report, |x| x.to_string())) {
                row.push(o.summary.se_mean.to_string());
                row.extend(
                    o.summary
                        .percentiles
                        .iter()
                        .map(|p| p.se.map(|x| x.to_string()).unwrap_or_default()),
                );
                writer
                    .write_record(crate::export::csv_record(&row))
                    .expect("CSV to memory");
            }
            writer.into_inner().expect("CSV to memory")
        }
        Format::Table | Format::Markdown => text(report, format == Format::Markdown).into_bytes(),
    }
}

fn text(report: &SimulationReport, markdown: bool) -> String {
    let mut out = format!(
        "{}\nMonte Carlo: {} iterations, seed {}, {} sampling{}\n\n",
        report.scenario,
        format_money(report.iterations.into()),
        report.seed,
        match report.sampling {
            crate::scenario::uncertain::Sampling::Random => "random",
            crate::scenario::uncertain::Sampling::LatinHypercube => "Latin hypercube",
        },
        report
            .precision
            .map(|p| format!(
                ", stopped at standard error of mean cumulative net below {}",
                money(p)
            ))
            .unwrap_or_default()
    );
    let style = |b: Builder, numeric_from: usize| {
        let mut table = b.build();
        if markdown {
            crate::export::markdown_table(&mut table);
        } else {
            table.with(Style::sharp());
        }
        table.modify(Columns::new(numeric_from..), Alignment::right());
        table.to_string()
    };
    let mut inputs = Builder::default();
    inputs.push_record(["uncertain input", "distribution", "why"]);
    for input in &report.inputs {
        inputs.push_record([
            input.name.clone(),
            input.distribution.clone(),
            input.reason.clone().unwrap_or_default(),
        ]);
    }
    out.push_str(&style(inputs, 3));
    out.push_str("\n\n");
    for c in &report.correlations {
        out.push_str(&format!(
            "Rank correlation {} ~ {}: target {:.2}{}\n",
            c.inputs[0],
            c.inputs[1],
            c.target,
            c.achieved
                .map(|a| format!(", achieved {a:.3}"))
                .unwrap_or_default()
        ));
    }
    let mut table = Builder::default();
    table.push_record(HEADER);
    for row in rows(report, money) {
        table.push_record(row);
    }
    out.push_str(&style(table, 2));
    out.push_str("\n\nStandard errors (Monte Carlo) of the horizon figures:\n");
    for o in report.outputs.iter().filter(|o| o.year.is_none()) {
        let s = &o.summary;
        let ses: Vec<String> = s
            .percentiles
            .iter()
            .map(|p| format!("P{} {}", p.p, p.se.map(money).unwrap_or_default()))
            .collect();
        out.push_str(&format!(
            "  {}: mean {}, {}\n",
            o.output,
            money(s.se_mean),
            ses.join(", ")
        ));
    }
    out.push_str("\nProbabilities:\n");
    for p in &report.probabilities {
        out.push_str(&format!(
            "  P(cumulative net benefit >= {}) = {:.2}% (standard error {:.2}%)\n",
            money(p.threshold),
            p.probability * 100.0,
            p.se * 100.0
        ));
    }
    out.push_str("\nPayback year:\n");
    for p in &report.payback {
        out.push_str(&format!(
            "  {:<24} {:>6.2}%\n",
            p.year
                .clone()
                .unwrap_or_else(|| "not within the horizon".into()),
            p.share * 100.0
        ));
    }
    out.push_str("\nCumulative net benefit over the horizon (histogram):\n");
    let most = report
        .histogram
        .iter()
        .map(|b| b.count)
        .max()
        .unwrap_or(1)
        .max(1);
    for bin in &report.histogram {
        let bar = "#".repeat(((bin.count as f64 / most as f64) * 40.0).round() as usize);
        out.push_str(&format!(
            "  {:>12} to {:>12} {:>9} {bar}\n",
            money(bin.from),
            money(bin.to),
            bin.count
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::money;

    #[test]
    fn money_beyond_the_decimal_range_is_shown_not_zeroed() {
        assert_eq!(money(1234.4), "1,234");
        assert_eq!(money(-2.5), "-3");
        assert_eq!(money(1.4654e250), "1.465e250");
        assert_eq!(money(f64::INFINITY), "n/a");
    }
}
