//! Each command's chart from its own figures: tornado bars, the Monte Carlo's fan, histogram
//! and S-curve, a sweep's lines and track's plan against actual.

use super::draw::TornadoBar;
use super::{Band, Fan, Labels, Series, bars, cdf, fan, histogram, lines, money_tick};
use crate::check::measure::Measured;
use crate::sensitivity::SensitivityError;
use crate::sensitivity::sweep::Sweep;
use crate::sensitivity::tornado::Tornado;
use crate::simulate::report::SimulationReport;
use crate::track::report::TrackReport;
use rust_decimal::prelude::ToPrimitive;

fn f(x: rust_decimal::Decimal) -> f64 {
    x.to_f64().unwrap_or(f64::NAN)
}

/// Which picture of a simulation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SimulationChart {
    #[default]
    Fan,
    Histogram,
    Cdf,
}

pub fn tornado(t: &Tornado, id: &str) -> String {
    let rows: Vec<TornadoBar> = t
        .bars
        .iter()
        .map(|b| TornadoBar {
            input: b.input.clone(),
            at_low: f(b.output_at_low),
            at_high: f(b.output_at_high),
            low: format!("{}: {}", b.low.normalize(), money_tick(f(b.output_at_low))),
            high: format!(
                "{}: {}",
                b.high.normalize(),
                money_tick(f(b.output_at_high))
            ),
        })
        .collect();
    let widest = t
        .bars
        .first()
        .map(|b| {
            format!(
                " The widest swing is {} ({} to {}).",
                b.input,
                money_tick(f(b.output_at_low)),
                money_tick(f(b.output_at_high))
            )
        })
        .unwrap_or_default();
    let labels = Labels {
        title: format!("Tornado: what moves {}", t.output),
        desc: format!(
            "Bars for {} inputs ranked by the swing in {} when each moves alone from its low to its high end; the base is {}.{widest}",
            rows.len(),
            t.output,
            money_tick(f(t.base_output))
        ),
        x: format!("{} (£)", t.output),
        y: "Input (low and high values labelled)".into(),
    };
    bars(&labels, id, f(t.base_output), &rows)
}

/// The cumulative net benefit percentiles by year, or the horizon's histogram or S-curve.
pub fn simulation(
    r: &SimulationReport,
    kind: SimulationChart,
    target: Option<f64>,
    id: &str,
) -> String {
    let at_least = |threshold: f64| {
        r.probabilities
            .iter()
            .find(|p| p.threshold == threshold)
            .map(|p| p.probability)
    };
    let target_note = target
        .map(|t| match at_least(t) {
            Some(p) => format!(" P(at least {}) = {:.1}%.", money_tick(t), p * 100.0),
            None => String::new(),
        })
        .unwrap_or_default();
    let n = r.iterations;
    match kind {
        SimulationChart::Fan => {
            let yearly: Vec<_> = r
                .outputs
                .iter()
                .filter(|o| o.output == "cumulative_net" && o.year.is_some())
                .collect();
            let p = |o: &crate::simulate::report::OutputReport, k: u32| {
                o.summary
                    .percentiles
                    .iter()
                    .find(|q| q.p == k)
                    .map_or(f64::NAN, |q| q.value)
            };
            let series = |k| yearly.iter().map(|o| p(o, k)).collect::<Vec<f64>>();
            let data = Fan {
                years: yearly
                    .iter()
                    .map(|o| o.year.clone().unwrap_or_default())
                    .collect(),
                bands: vec![
                    Band {
                        name: "P5 to P95".into(),
                        low: series(5),
                        high: series(95),
                    },
                    Band {
                        name: "P10 to P90".into(),
                        low: series(10),
                        high: series(90),
                    },
                ],
                median: series(50),
                target,
            };
            let last = data.median.last().copied().unwrap_or(f64::NAN);
            let labels = Labels {
                title: format!("{}: cumulative net benefit, {n} iterations", r.scenario),
                desc: format!(
                    "Fan chart of cumulative net benefit by financial year from {n} Monte Carlo iterations (seed {}): P5 to P95 and P10 to P90 bands and the median, which ends at {}.{target_note}",
                    r.seed,
                    money_tick(last)
                ),
                x: "Financial year".into(),
                y: "Cumulative net benefit (£)".into(),
            };
            fan(&labels, id, &data)
        }
        SimulationChart::Histogram => {
            let bins: Vec<(f64, f64, u64)> = r
                .histogram
                .iter()
                .map(|b| (b.from, b.to, b.count))
                .collect();
            let labels = Labels {
                title: format!("{}: cumulative net benefit over the horizon", r.scenario),
                desc: format!(
                    "Histogram of the horizon's cumulative net benefit in {} bands from {n} iterations (seed {}).{target_note}",
                    bins.len(),
                    r.seed
                ),
                x: "Cumulative net benefit over the horizon (£)".into(),
                y: "Iterations".into(),
            };
            histogram(
                &labels,
                id,
                &bins,
                target.map(|t| (t, mark(t, &target_note))),
            )
        }
        SimulationChart::Cdf => {
            let total: u64 = r.histogram.iter().map(|b| b.count).sum::<u64>().max(1);
            let mut points = Vec::new();
            let mut seen = 0u64;
            if let Some(first) = r.histogram.first() {
                points.push((first.from, 0.0));
            }
            for b in &r.histogram {
                seen += b.count;
                points.push((b.to, seen as f64 / total as f64));
            }
            let labels = Labels {
                title: format!("{}: S-curve of cumulative net benefit", r.scenario),
                desc: format!(
                    "Cumulative distribution (S-curve) of the horizon's cumulative net benefit from {n} iterations (seed {}): the share of iterations at or below each amount.{target_note}",
                    r.seed
                ),
                x: "Cumulative net benefit over the horizon (£)".into(),
                y: "Share of iterations at or below".into(),
            };
            cdf(
                &labels,
                id,
                &points,
                target.map(|t| (t, mark(t, &target_note))),
            )
        }
    }
}

fn mark(target: f64, note: &str) -> String {
    let note = note.trim().trim_end_matches('.');
    if note.is_empty() {
        format!("target {}", money_tick(target))
    } else {
        format!("target {}; {note}", money_tick(target))
    }
}

/// A sweep of one input: a line per money output against the input's values.
pub fn sweep(
    s: &Sweep,
    scenario: &crate::scenario::Scenario,
    id: &str,
) -> Result<String, SensitivityError> {
    let [axis] = s.axes.as_slice() else {
        return Err(SensitivityError::Chart(
            "an SVG chart of a sweep needs exactly one --vary (a two-way grid has no line chart; write it as a table or CSV)".into(),
        ));
    };
    let rows = s.evaluate(scenario, 0..s.points())?;
    let mut series = Vec::new();
    for (k, name) in s.outputs.iter().enumerate() {
        let points: Vec<(f64, f64)> = axis
            .values
            .iter()
            .zip(&rows)
            .filter_map(|(x, row)| match &row[k] {
                Measured::Amount(v) => Some((f(*x), f(*v))),
                Measured::Year(_) => None,
            })
            .collect();
        if !points.is_empty() {
            series.push(Series {
                name: name.clone(),
                points,
            });
        }
    }
    let labels = Labels {
        title: format!("Sweep of {}", axis.input.name),
        desc: format!(
            "{} as {} moves over {} values from {} to {}.",
            series
                .iter()
                .map(|s| s.name.as_str())
                .collect::<Vec<_>>()
                .join(", "),
            axis.input.name,
            axis.values.len(),
            axis.values
                .first()
                .map(|v| v.normalize().to_string())
                .unwrap_or_default(),
            axis.values
                .last()
                .map(|v| v.normalize().to_string())
                .unwrap_or_default()
        ),
        x: format!("{} (input value)", axis.input.name),
        y: "Output (£)".into(),
    };
    Ok(lines(&labels, id, None, &series, &[]))
}

/// Plan against actual and re-forecast: cumulative net benefit by financial year.
pub fn track(r: &TrackReport, id: &str) -> String {
    let years: Vec<String> = r.reforecast.years.iter().map(|y| y.year.clone()).collect();
    let pick = |actual: bool| {
        r.reforecast
            .years
            .iter()
            .enumerate()
            .filter_map(|(t, y)| {
                let c = y.figures.iter().find(|c| c.figure == "cumulative_net")?;
                let v = if actual { c.actual? } else { c.plan };
                Some((t as f64, f(v)))
            })
            .collect::<Vec<_>>()
    };
    let series = vec![
        Series {
            name: "Approved plan".into(),
            points: pick(false),
        },
        Series {
            name: "Actuals to date, then re-forecast".into(),
            points: pick(true),
        },
    ];
    let labels = Labels {
        title: format!("{}: plan against actual", r.scenario),
        desc: format!(
            "Cumulative net benefit by financial year: the approved plan ends at {} and the actuals to {} with the re-forecast end at {}.",
            money_tick(f(r.reforecast.approved_cumulative_net)),
            r.actuals_to,
            money_tick(f(r.reforecast.reforecast_cumulative_net))
        ),
        x: "Financial year".into(),
        y: "Cumulative net benefit (£)".into(),
    };
    lines(&labels, id, Some(&years), &series, &[])
}
