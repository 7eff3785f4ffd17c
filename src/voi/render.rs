//! The value of information as a table, Markdown, CSV (a row per option, then per EVPI and
//! EVPPI) or JSON.

use super::VoiReport;
use crate::export::{Format, format_money};
use crate::sensitivity::render::{Cells, csv_text};

fn money(x: f64) -> String {
    match rust_decimal::Decimal::from_f64_retain(x.round()) {
        Some(v) if x.is_finite() => format_money(v.normalize()),
        _ => format!("{x:.3e}"),
    }
}

fn se(x: Option<f64>) -> String {
    x.map(money).unwrap_or_else(|| "n/a".into())
}

fn percent(x: Option<f64>) -> String {
    x.map(|v| format!("{:.1}%", v * 100.0))
        .unwrap_or_else(|| "n/a".into())
}

fn number(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

pub fn render(report: &VoiReport, format: Format) -> Vec<u8> {
    match format {
        Format::Json => crate::export::schema::to_json(report),
        Format::Csv => {
            let header = [
                "kind",
                "name",
                "value",
                "se",
                "probability_best",
                "share_of_evpi",
                "estimator",
            ]
            .map(String::from)
            .to_vec();
            let mut rows: Vec<Vec<String>> = report
                .options
                .iter()
                .map(|o| {
                    vec![
                        "option".into(),
                        o.option.clone(),
                        o.mean.to_string(),
                        number(o.se_mean),
                        o.probability_best.to_string(),
                        String::new(),
                        String::new(),
                    ]
                })
                .collect();
            rows.push(vec![
                "evpi".into(),
                "all inputs".into(),
                report.evpi.to_string(),
                number(report.evpi_se),
                String::new(),
                "1".into(),
                String::new(),
            ]);
            rows.extend(report.evppi.iter().map(|e| {
                vec![
                    "evppi".into(),
                    e.input.clone(),
                    e.evppi.to_string(),
                    number(e.se),
                    String::new(),
                    number(e.share_of_evpi),
                    e.estimator.into(),
                ]
            }));
            csv_text(&header, &rows).into_bytes()
        }
        // Xlsx and Svg: the CLI never offers them here; the table stands in.
        Format::Table | Format::Markdown | Format::Xlsx | Format::Svg => {
            let markdown = format == Format::Markdown;
            let heading = |t: &str| {
                if markdown {
                    format!("\n### {t}\n\n")
                } else {
                    format!("\n{t}\n")
                }
            };
            let mut out = format!(
                "Value of information: {}, {} draws shared by every option (seed {})\n",
                report.output,
                format_money(report.iterations.into()),
                report.seed
            );
            out.push_str(&heading("Options"));
            let options = Cells {
                header: [
                    "option",
                    "expected net benefit",
                    "standard error",
                    "probability best",
                ]
                .map(String::from)
                .to_vec(),
                rows: report
                    .options
                    .iter()
                    .map(|o| {
                        vec![
                            o.option.clone(),
                            money(o.mean),
                            se(o.se_mean),
                            percent(Some(o.probability_best)),
                        ]
                    })
                    .collect(),
                first_number: 1,
            };
            out.push_str(&options.render(format));
            out.push_str(&format!(
                "Best now, on expected net benefit: {}\n",
                report.best_now
            ));
            out.push_str(&format!(
                "EVPI (resolving every uncertainty before choosing): {} (standard error {})\n",
                money(report.evpi),
                se(report.evpi_se)
            ));
            out.push_str(&heading("EVPPI (resolving one input or group alone)"));
            let evppi = Cells {
                header: [
                    "input",
                    "EVPPI",
                    "standard error",
                    "share of EVPI",
                    "estimator",
                ]
                .map(String::from)
                .to_vec(),
                rows: report
                    .evppi
                    .iter()
                    .map(|e| {
                        vec![
                            e.input.clone(),
                            money(e.evppi),
                            se(e.se),
                            percent(e.share_of_evpi),
                            e.estimator.into(),
                        ]
                    })
                    .collect(),
                first_number: 1,
            };
            out.push_str(&evppi.render(format));
            out.into_bytes()
        }
    }
}
