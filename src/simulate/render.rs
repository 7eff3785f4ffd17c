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

/// A figure that may be undefined (a spread from one iteration): "n/a" in the text.
fn money_or_na(x: Option<f64>) -> String {
    x.map(money).unwrap_or_else(|| "n/a".into())
}

/// An amount of pounds as asked for or measured, not rounded away: whole pounds at £10 and
/// above, three significant figures below (a `--precision` of 0.000001 is not "0").
fn pounds(x: f64) -> String {
    if !x.is_finite() || x.abs() >= 10.0 {
        return format!("£{}", money(x));
    }
    if x == 0.0 {
        return "£0".into();
    }
    let decimals = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.')
    } else {
        &text
    };
    format!("£{text}")
}

/// The precision asked for, exactly as given (shortest form of the f64, thousands separated).
fn target(x: f64) -> String {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 1e15 {
        return format!("£{}", money(x));
    }
    format!("£{x}")
}

/// "1 iteration", "5,000 iterations".
fn iterations(n: u64) -> String {
    let count = format_money(n.into());
    if n == 1 {
        format!("{count} iteration")
    } else {
        format!("{count} iterations")
    }
}

/// The warning for standard error when `--precision` was asked for and not reached (the
/// report, perhaps in a file, says so too).
pub fn precision_warning(report: &SimulationReport) -> Option<String> {
    match report.precision_reached {
        Some(false) => precision_line(report),
        _ => None,
    }
}

/// What `--precision` came to, or `None` when none was asked for.
fn precision_line(report: &SimulationReport) -> Option<String> {
    let asked = target(report.precision?);
    let ran = iterations(report.iterations);
    let error = match report.precision_achieved {
        Some(se) => format!(
            "a standard error of mean cumulative net benefit of {}",
            pounds(se)
        ),
        None => "an undefined standard error (it needs at least two iterations)".into(),
    };
    Some(if report.precision_reached == Some(true) {
        format!("Precision reached: {error} after {ran}, below the target {asked}")
    } else {
        format!(
            "Precision not reached: stopped at the cap of {ran} with {error}, target {asked} \
             (raise --iterations or loosen --precision)"
        )
    })
}

/// The outputs table, each figure shown by `show`; an undefined one is `undefined` ("n/a" in
/// text, an empty cell in CSV).
fn rows(report: &SimulationReport, show: fn(f64) -> String, undefined: &str) -> Vec<Vec<String>> {
    report
        .outputs
        .iter()
        .map(|o| {
            let s = &o.summary;
            let mut row = vec![
                o.output.clone(),
                o.year.clone().unwrap_or_else(|| "total".into()),
                show(s.mean),
                s.sd.map(show).unwrap_or_else(|| undefined.into()),
            ];
            row.extend(s.percentiles.iter().map(|p| show(p.value)));
            row.extend([show(s.min), show(s.max)]);
            row
        })
        .collect()
}

pub fn render(report: &SimulationReport, format: Format) -> Vec<u8> {
    match format {
        Format::Json => crate::export::schema::to_json(report),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let mut header: Vec<String> = HEADER.iter().map(|h| h.to_lowercase()).collect();
            header.extend(
                ["se_mean", "se_p5", "se_p10", "se_p50", "se_p90", "se_p95"].map(String::from),
            );
            writer
                .write_record(crate::export::csv_record(&header))
                .expect("CSV to memory");
            // An empty cell: a figure not computed (per-year percentile errors) or undefined.
            for (o, mut row) in report.outputs.iter().zip(rows(report, csv_number, "")) {
                row.push(o.summary.se_mean.map(csv_number).unwrap_or_default());
                row.extend(
                    o.summary
                        .percentiles
                        .iter()
                        .map(|p| p.se.flatten().map(csv_number).unwrap_or_default()),
                );
                writer
                    .write_record(crate::export::csv_record(&row))
                    .expect("CSV to memory");
            }
            writer.into_inner().expect("CSV to memory")
        }
        // Xlsx and Svg are written by the app (chart, workbook); the text stands in.
        Format::Table | Format::Markdown | Format::Xlsx | Format::Svg => {
            text(report, format == Format::Markdown).into_bytes()
        }
    }
}

fn csv_number(x: f64) -> String {
    x.to_string()
}

fn text(report: &SimulationReport, markdown: bool) -> String {
    let mut out = format!(
        "{}\nMonte Carlo: {}, seed {}, {} sampling{}\n",
        report.scenario,
        iterations(report.iterations),
        report.seed,
        match report.sampling {
            crate::scenario::uncertain::Sampling::Random => "random",
            crate::scenario::uncertain::Sampling::LatinHypercube => "Latin hypercube",
        },
        if report.precision_reached == Some(true) {
            ", stopped at the precision asked for"
        } else {
            ""
        }
    );
    if let Some(line) = precision_line(report) {
        out.push_str(&line);
        out.push('\n');
    }
    if report.iterations < 2 {
        out.push_str(
            "n/a: a standard deviation, standard error or rank correlation needs at least two \
             iterations\n",
        );
    }
    out.push('\n');
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
            match c.achieved {
                Some(a) => format!(", achieved {a:.3}"),
                None => ", achieved n/a (undefined: needs two or more iterations whose draws vary)"
                    .into(),
            }
        ));
    }
    let mut table = Builder::default();
    table.push_record(HEADER);
    for row in rows(report, money, "n/a") {
        table.push_record(row);
    }
    out.push_str(&style(table, 2));
    out.push_str("\n\nStandard errors (Monte Carlo) of the horizon figures:\n");
    for o in report.outputs.iter().filter(|o| o.year.is_none()) {
        let s = &o.summary;
        let ses: Vec<String> = s
            .percentiles
            .iter()
            .map(|p| format!("P{} {}", p.p, money_or_na(p.se.flatten())))
            .collect();
        out.push_str(&format!(
            "  {}: mean {}, {}\n",
            o.output,
            money_or_na(s.se_mean),
            ses.join(", ")
        ));
    }
    out.push_str("\nProbabilities:\n");
    for p in &report.probabilities {
        out.push_str(&format!(
            "  P(cumulative net benefit >= {}) = {:.2}% (standard error {})\n",
            money(p.threshold),
            p.probability * 100.0,
            p.se.map(|se| format!("{:.2}%", se * 100.0))
                .unwrap_or_else(|| "n/a".into())
        ));
    }
    if let Some(influence) = &report.sensitivity {
        out.push_str(&format!(
            "\nSensitivity of cumulative net benefit over the horizon (mean {}), from the draws of the first {} together:\n",
            money(influence.mean),
            iterations(influence.iterations as u64)
        ));
        let mut table = Builder::default();
        table.push_record([
            "uncertain input",
            "rank correlation",
            "contribution to variance",
            "mean, input in bottom 10%",
            "mean, input in top 10%",
            "swing",
        ]);
        for i in &influence.inputs {
            table.push_record([
                i.input.clone(),
                i.rank_correlation
                    .map(|r| format!("{r:.3}"))
                    .unwrap_or_else(|| "n/a".into()),
                i.contribution_to_variance
                    .map(|c| format!("{:.1}%", c * 100.0))
                    .unwrap_or_else(|| "n/a".into()),
                money(i.mean_when_low),
                money(i.mean_when_high),
                money(i.swing),
            ]);
        }
        out.push_str(&style(table, 1));
        out.push('\n');
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
    use super::{money, pounds, target};

    #[test]
    fn precisions_are_shown_as_asked_not_rounded_away() {
        assert_eq!(target(0.000001), "£0.000001");
        assert_eq!(target(20000.0), "£20,000");
        assert_eq!(target(2.5), "£2.5");
        assert_eq!(pounds(16023.4), "£16,023");
        assert_eq!(pounds(0.123456), "£0.123");
        assert_eq!(pounds(2.0), "£2");
        assert_eq!(pounds(0.0), "£0");
    }

    #[test]
    fn money_beyond_the_decimal_range_is_shown_not_zeroed() {
        assert_eq!(money(1234.4), "1,234");
        assert_eq!(money(-2.5), "-3");
        assert_eq!(money(1.4654e250), "1.465e250");
        assert_eq!(money(f64::INFINITY), "n/a");
    }
}
