//! `tec-model report`: one self-contained HTML file for a Cabinet pack — headline, year table,
//! users by cohort, benefit by line, basket and beneficiary, charts (inline SVG), every input
//! with its provenance and distribution, published-figure checks, and what reproduces it
//! (version, the scenario's SHA-256, the seed). No script, font, image or link is fetched;
//! print CSS lays it out on A4 with a page break before each section. No clock is read, so the
//! same inputs and seed give the same bytes.

use crate::chart::{self, Labels, Series, escape, money_tick};
use crate::check::CheckRow;
use crate::export::format_money;
use crate::report::Report;
use crate::scenario::Scenario;
use crate::sensitivity::tornado::Tornado;
use crate::simulate::report::SimulationReport;
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::fmt::Write;

/// What the report holds beyond the case itself.
pub struct Extras<'a> {
    pub simulation: Option<(&'a SimulationReport, Option<f64>)>,
    pub checks: Option<&'a [CheckRow]>,
    pub tornado: Option<&'a Tornado>,
    /// The scenario file's bytes, for its SHA-256.
    pub file_bytes: &'a [u8],
}

const CSS: &str = "body{font-family:sans-serif;max-width:60em;margin:1em auto;padding:0 1em;color:#111}\
table{border-collapse:collapse;margin:.5em 0 1em}th,td{border:1px solid #999;padding:.2em .5em}\
td.n{text-align:right;font-variant-numeric:tabular-nums}th{background:#e6e6e6}\
.headline td{font-size:1.2em}svg{max-width:100%;height:auto}figure{margin:1em 0}\
@media print{@page{size:A4;margin:15mm}body{max-width:none;font-size:10pt}\
#cohorts,#charts,#inputs,#checks,#conventions{break-before:page;page-break-before:always}\
h2{break-after:avoid;page-break-after:avoid}table,figure{break-inside:avoid;page-break-inside:avoid}}";

fn sha256(bytes: &[u8]) -> String {
    use sha2::Digest;
    let digest = sha2::Sha256::digest(bytes);
    digest.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// `£2,498,933`, `-£184,176`.
fn pounds(x: Decimal) -> String {
    let text = format_money(x);
    match text.strip_prefix('-') {
        Some(rest) => format!("-£{rest}"),
        None => format!("£{text}"),
    }
}

fn f(x: Decimal) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

fn table(out: &mut String, header: &[String], rows: &[Vec<String>], numeric_from: usize) {
    out.push_str("<table><thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead><tbody>");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if i >= numeric_from {
                " class=\"n\""
            } else {
                ""
            };
            let _ = write!(out, "<td{class}>{}</td>", escape(cell));
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>\n");
}

fn figure(out: &mut String, svg: &str) {
    let _ = writeln!(out, "<figure>{svg}</figure>");
}

/// The whole report as HTML.
pub fn render(scenario: &Scenario, report: &Report, extras: &Extras) -> String {
    let s = &report.summary;
    let years: Vec<String> = report.years.iter().map(|y| y.year.clone()).collect();
    let mut out = String::new();
    let title = match &report.council {
        Some(c) => format!("{} ({c})", report.scenario),
        None => report.scenario.clone(),
    };
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\"/><title>{}</title><style>{CSS}</style></head><body>\n<h1>{}</h1>\n",
        escape(&title),
        escape(&title)
    );
    // Headline.
    out.push_str("<section id=\"headline\"><h2>Headline</h2>");
    let mut rows = vec![
        vec!["Cumulative net benefit".into(), pounds(s.cumulative_net)],
        vec!["Net present value".into(), pounds(s.npv)],
        vec!["Payback year".into(), s.payback_shown()],
        vec![
            "Return per £1 of cost".into(),
            s.return_per_pound
                .map_or("n/a (no cost)".into(), |r| format!("£{r}")),
        ],
        vec!["People supported".into(), format_money(s.people_supported)],
    ];
    if let Some((sim, target)) = extras.simulation {
        for p in &sim.probabilities {
            let name = if p.threshold == 0.0 {
                "P(cumulative net benefit at least £0)".to_string()
            } else {
                format!(
                    "P(cumulative net benefit at least {})",
                    money_tick(p.threshold)
                )
            };
            let se =
                p.se.map_or("undefined".into(), |se| format!("{:.2}%", se * 100.0));
            rows.push(vec![
                name,
                format!(
                    "{:.1}% (Monte Carlo standard error {se})",
                    p.probability * 100.0
                ),
            ]);
        }
        let _ = target;
    }
    out.push_str("<table class=\"headline\"><tbody>");
    for row in &rows {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td class=\"n\">{}</td></tr>",
            escape(&row[0]),
            escape(&row[1])
        );
    }
    out.push_str("</tbody></table></section>\n");
    // The year table.
    out.push_str("<section id=\"years\"><h2>Year by year</h2>");
    let mut header = vec!["Figure".to_string()];
    header.extend(years.iter().cloned());
    let money_row = |name: &str, get: &dyn Fn(&crate::report::YearReport) -> Decimal| {
        let mut row = vec![name.to_string()];
        row.extend(report.years.iter().map(|y| format_money(get(y))));
        row
    };
    let year_rows = vec![
        money_row("Opening users", &|y| y.opening_users),
        money_row("Installs", &|y| y.installs),
        money_row("Leavers", &|y| y.leavers),
        money_row("Closing users", &|y| y.closing_users),
        money_row("Total benefit", &|y| y.total_benefit),
        money_row("Total cost", &|y| y.total_cost),
        money_row("Offsets", &|y| y.offsets),
        money_row("Net benefit", &|y| y.net),
        money_row("Cumulative net benefit", &|y| y.cumulative_net),
        money_row("Discounted net benefit", &|y| y.discounted_net),
    ];
    table(&mut out, &header, &year_rows, 1);
    out.push_str("<p>Users are whole people; money is in pounds.</p></section>\n");
    // Users by cohort.
    out.push_str("<section id=\"cohorts\"><h2>Users by cohort</h2>");
    if report.years.iter().all(|y| y.cohorts.is_empty()) {
        out.push_str("<p>One cohort: the year table's users.</p>");
    } else {
        let mut rows = Vec::new();
        for (k, cohort) in report.years[0].cohorts.iter().enumerate() {
            let mut row = vec![format!("{} (closing users)", cohort.cohort)];
            row.extend(
                report
                    .years
                    .iter()
                    .map(|y| format_money(y.cohorts[k].closing_users)),
            );
            rows.push(row);
        }
        table(&mut out, &header, &rows, 1);
    }
    out.push_str("</section>\n");
    // Benefit by line, basket, beneficiary.
    out.push_str("<section id=\"benefit\"><h2>Benefit by line, basket and beneficiary</h2>");
    let mut rows = Vec::new();
    for (k, line) in report.years[0].benefit_lines.iter().enumerate() {
        let mut row = vec![format!(
            "{} ({})",
            line.label,
            line.accrues_to.map_or("council", |p| p.key())
        )];
        row.extend(
            report
                .years
                .iter()
                .map(|y| format_money(y.benefit_lines[k].amount)),
        );
        rows.push(row);
    }
    for (k, basket) in report.years[0].benefit_by_basket.iter().enumerate() {
        let mut row = vec![format!("Basket: {}", basket.basket.key())];
        row.extend(
            report
                .years
                .iter()
                .map(|y| format_money(y.benefit_by_basket[k].amount)),
        );
        rows.push(row);
    }
    for (k, party) in report.years[0].benefit_by_beneficiary.iter().enumerate() {
        let mut row = vec![format!("Beneficiary: {}", party.party.key())];
        row.extend(
            report
                .years
                .iter()
                .map(|y| format_money(y.benefit_by_beneficiary[k].amount)),
        );
        rows.push(row);
    }
    table(&mut out, &header, &rows, 1);
    out.push_str("</section>\n");
    charts(&mut out, report, &years, extras);
    inputs(&mut out, scenario);
    if let Some(checks) = extras.checks {
        out.push_str("<section id=\"checks\"><h2>Published-figure checks</h2>");
        let header: Vec<String> = [
            "Fixture",
            "Figure",
            "Evidence",
            "Published",
            "Modelled",
            "Verdict",
        ]
        .map(String::from)
        .to_vec();
        let rows: Vec<Vec<String>> = checks
            .iter()
            .map(|c| {
                vec![
                    c.fixture.clone(),
                    c.figure.clone(),
                    c.source.clone(),
                    c.published_text.clone(),
                    c.modelled_text.clone(),
                    format!("{:?}", c.verdict).to_lowercase(),
                ]
            })
            .collect();
        table(&mut out, &header, &rows, 3);
        out.push_str("</section>\n");
    }
    out.push_str("<section id=\"conventions\"><h2>Conventions and reproduction</h2><ul>");
    let seed = extras
        .simulation
        .map_or("no simulation".to_string(), |(sim, _)| {
            format!("{} ({} iterations)", sim.seed, sim.iterations)
        });
    for item in [
        format!(
            "Money is rounded to the {} half away from zero, per line and year; totals are sums of rounded lines.",
            report.rounding.key()
        ),
        format!(
            "Net present value discounts each year's net benefit at {} a year.",
            report.discount_rate
        ),
        "Users at the start and every install count as people supported; users are shown as whole people.".into(),
        format!("tec-model version {}", env!("CARGO_PKG_VERSION")),
        format!("Scenario file {} (SHA-256 {})", report.file, sha256(extras.file_bytes)),
        format!("Monte Carlo seed: {seed}"),
    ] {
        let _ = write!(out, "<li>{}</li>", escape(&item));
    }
    out.push_str("</ul></section>\n</body></html>\n");
    out
}

fn charts(out: &mut String, report: &Report, years: &[String], extras: &Extras) {
    out.push_str("<section id=\"charts\"><h2>Charts</h2>");
    let by_year = |get: &dyn Fn(&crate::report::YearReport) -> Decimal| {
        report
            .years
            .iter()
            .enumerate()
            .map(|(t, y)| (t as f64, f(get(y))))
            .collect::<Vec<_>>()
    };
    let cumulative = Series {
        name: "Cumulative net benefit".into(),
        points: by_year(&|y| y.cumulative_net),
    };
    let labels = Labels {
        title: "Cumulative net benefit by year".into(),
        desc: format!(
            "Cumulative net benefit to the council by financial year, ending at {}.",
            money_tick(f(report.summary.cumulative_net))
        ),
        x: "Financial year".into(),
        y: "Cumulative net benefit (£)".into(),
    };
    figure(
        out,
        &chart::lines(&labels, "cumulative", Some(years), &[cumulative], &[]),
    );
    // Each line's amount by year, in the scenario's order (a cost as the amount paid).
    let stacks = |lines: &dyn Fn(&crate::report::YearReport) -> &[crate::report::LineAmount]| {
        let first = report.years.first().map_or(&[][..], |y| lines(y));
        first
            .iter()
            .enumerate()
            .map(|(k, line)| chart::Stack {
                name: line.label.clone(),
                amounts: report.years.iter().map(|y| f(lines(y)[k].amount)).collect(),
            })
            .collect::<Vec<_>>()
    };
    let benefits = stacks(&|y| &y.benefit_lines);
    let costs = stacks(&|y| &y.cost_lines);
    let horizon = |s: &chart::Stack| format!("{} {}", s.name, money_tick(s.amounts.iter().sum()));
    let labels = Labels {
        title: "Benefit and cost by year, by line".into(),
        desc: format!(
            "A bar for each financial year: each benefit line stacked above zero and each cost line below it, with the net benefit marked. Over the horizon, benefit lines: {}; cost lines: {}. The council's total benefit is {} and total cost {}.",
            benefits.iter().map(horizon).collect::<Vec<_>>().join(", "),
            costs.iter().map(horizon).collect::<Vec<_>>().join(", "),
            money_tick(f(report.summary.total_benefit)),
            money_tick(f(report.summary.total_cost))
        ),
        x: "Financial year".into(),
        y: "Pounds a year (£; costs below zero)".into(),
    };
    let net: Vec<f64> = report.years.iter().map(|y| f(y.net)).collect();
    figure(
        out,
        &chart::stacked(&labels, "benefit-cost", years, &benefits, &costs, &net),
    );
    if let Some((sim, target)) = extras.simulation {
        use crate::chart::of::{SimulationChart, simulation};
        for (kind, id) in [
            (SimulationChart::Fan, "fan"),
            (SimulationChart::Histogram, "histogram"),
            (SimulationChart::Cdf, "cdf"),
        ] {
            figure(out, &simulation(sim, kind, target, id));
        }
    }
    if let Some(t) = extras.tornado {
        figure(out, &chart::of::tornado(t, "tornado"));
    }
    out.push_str("</section>\n");
}

fn inputs(out: &mut String, scenario: &Scenario) {
    out.push_str("<section id=\"inputs\"><h2>Inputs: the audit trail</h2>");
    let params = &scenario.params;
    let header: Vec<String> = ["Input", "Value(s)", "Provenance", "Distribution"]
        .map(String::from)
        .to_vec();
    let rows: Vec<Vec<String>> = params
        .grouped()
        .iter()
        .map(|(path, slots)| {
            let values: Vec<String> = slots
                .iter()
                .map(|s| params.values[*s].normalize().to_string())
                .collect();
            vec![
                path.to_string(),
                values.join(", "),
                crate::workbook::provenance(scenario, slots),
                crate::workbook::distribution(scenario, slots).unwrap_or_default(),
            ]
        })
        .collect();
    table(out, &header, &rows, 9);
    let settings: Vec<Vec<String>> = params
        .settings
        .iter()
        .map(|s| {
            vec![
                s.path.clone(),
                s.value.clone(),
                s.default
                    .clone()
                    .map_or("given".into(), |d| format!("default: {d}")),
            ]
        })
        .collect();
    table(
        out,
        &["Setting".into(), "Value".into(), "Provenance".into()],
        &settings,
        9,
    );
    out.push_str("</section>\n");
}
