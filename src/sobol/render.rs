//! A Sobol' analysis as a table, Markdown, CSV (a row per output and input) or JSON.

use super::design::Design;
use super::{OutputReport, SobolReport};
use crate::export::{Format, format_money};
use crate::sensitivity::render::{Cells, csv_text};

/// An index to three places: a share of the variance.
fn share(x: f64) -> String {
    format!("{x:.3}")
}

fn money(x: f64) -> String {
    match rust_decimal::Decimal::from_f64_retain(x.round()) {
        Some(v) if x.is_finite() => format_money(v.normalize()),
        _ => format!("{x:.3e}"),
    }
}

fn count(n: u64) -> String {
    format_money(n.into())
}

/// The lines above the tables.
fn heading(report: &SobolReport) -> String {
    let mut out = format!(
        "{}\nVariance-based sensitivity (Sobol' indices, Saltelli's design, Jansen's estimators): {} base samples, {} model evaluations, seed {}, {} sampling; 95% intervals from {} bootstrap resamples\n",
        report.scenario,
        count(report.base_samples),
        count(report.evaluations),
        report.seed,
        match report.sampling {
            Design::Random => "random",
            Design::Sobol => "Sobol' sequence",
        },
        report.resamples
    );
    for group in &report.correlated_groups {
        out.push_str(&format!(
            "Correlated inputs are indexed together, as one group: {} (moving one alone would break their correlation)\n",
            group.join(" + ")
        ));
    }
    out
}

fn cells(output: &OutputReport) -> Cells {
    Cells {
        header: [
            "input",
            "first order",
            "95% interval",
            "total order",
            "95% interval",
        ]
        .map(String::from)
        .to_vec(),
        rows: output
            .indices
            .iter()
            .map(|i| {
                vec![
                    if i.correlated {
                        format!("{} (group)", i.input)
                    } else {
                        i.input.clone()
                    },
                    share(i.first_order),
                    format!(
                        "{} to {}",
                        share(i.first_order_low),
                        share(i.first_order_high)
                    ),
                    share(i.total_order),
                    format!(
                        "{} to {}",
                        share(i.total_order_low),
                        share(i.total_order_high)
                    ),
                ]
            })
            .collect(),
        first_number: 1,
    }
}

fn summary_line(output: &OutputReport) -> String {
    match (output.sum_first_order, output.interactions) {
        (Some(sum), Some(interactions)) => format!(
            "Sum of first-order indices {}, total order {}; left to interactions: {}\n",
            share(sum),
            share(output.sum_total_order.unwrap_or(f64::NAN)),
            share(interactions)
        ),
        _ => "The output does not vary: it has no indices.\n".into(),
    }
}

pub fn render(report: &SobolReport, format: Format) -> Vec<u8> {
    match format {
        Format::Json => crate::export::schema::to_json(report),
        Format::Csv => {
            let header: Vec<String> = [
                "output",
                "input",
                "correlated_group",
                "first_order",
                "first_order_low",
                "first_order_high",
                "total_order",
                "total_order_low",
                "total_order_high",
            ]
            .map(String::from)
            .to_vec();
            let rows = report
                .outputs
                .iter()
                .flat_map(|o| {
                    o.indices.iter().map(|i| {
                        vec![
                            o.output.clone(),
                            i.input.clone(),
                            i.correlated.to_string(),
                            i.first_order.to_string(),
                            i.first_order_low.to_string(),
                            i.first_order_high.to_string(),
                            i.total_order.to_string(),
                            i.total_order_low.to_string(),
                            i.total_order_high.to_string(),
                        ]
                    })
                })
                .collect::<Vec<_>>();
            csv_text(&header, &rows).into_bytes()
        }
        // Xlsx and Svg: the CLI never offers them here; the table stands in.
        Format::Table | Format::Markdown | Format::Xlsx | Format::Svg => {
            let mut out = heading(report);
            for output in &report.outputs {
                let title = format!(
                    "{}: mean {}, sd {}",
                    output.output,
                    money(output.mean),
                    money(output.sd)
                );
                out.push('\n');
                out.push_str(&if format == Format::Markdown {
                    format!("### {title}\n\n")
                } else {
                    format!("{title}\n")
                });
                if !output.indices.is_empty() {
                    out.push_str(&cells(output).render(format));
                }
                out.push_str(&summary_line(output));
            }
            out.into_bytes()
        }
    }
}
