//! The workbooks of `compare`, `simulate`, `sweep` and `tornado`: a sheet per table each
//! command prints, from the same result structs its JSON serializes.

use super::WorkbookError;
use super::tables::{Table, Value, output_f64, output_value, rounding_note, sheet_name, workbook};
use crate::check::measure::Measured;
use crate::model::vocabulary::Rounding;
use crate::sensitivity::baseline::ranked;
use crate::sensitivity::compare::{Cell, Column, FIGURES};
use crate::sensitivity::sweep::Sweep;
use crate::sensitivity::tornado::Tornado;
use crate::simulate::report::SimulationReport;
use rust_decimal::Decimal;

fn strings(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

/// A compared figure: users a count, the return per £1 a ratio, the rest money.
fn compared(index: usize, cell: Cell) -> Value {
    match cell {
        Cell::Text(t) => Value::Text(t),
        Cell::Amount(v) if index == 0 => Value::count(v),
        Cell::Amount(v) if FIGURES[index].0.contains("per £1") => Value::ratio(v),
        Cell::Amount(v) => Value::money(v),
    }
}

fn compare_notes(columns: &[Column]) -> Vec<String> {
    let mut notes: Vec<String> = columns
        .iter()
        .map(|c| {
            format!(
                "{}: {} ({}), horizon to {}",
                c.heading, c.scenario, c.file, c.last_year
            )
        })
        .collect();
    notes.push(
        "Money in pounds over each scenario's horizon, as `run` reports it (each line and year rounded half away from zero as its scenario's `rounding` says); NPV at each scenario's discount rate."
            .into(),
    );
    notes
}

/// `compare`: a figure per row, a scenario per column; with `--baseline`, each option beside
/// its difference from the baseline and its rank by incremental NPV.
pub fn compare(columns: &[Column], baseline: bool) -> Result<Vec<u8>, WorkbookError> {
    let mut notes = compare_notes(columns);
    let table = if baseline {
        let (base, options) = ranked(columns);
        let mut header = vec!["figure".to_string(), format!("{} (baseline)", base.heading)];
        for r in &options {
            header.push(r.option.heading.clone());
            header.push(format!("{} vs baseline", r.option.heading));
        }
        let mut rows: Vec<Vec<Value>> = FIGURES
            .iter()
            .enumerate()
            .map(|(i, (label, figure))| {
                let mut row = vec![Value::text(*label), compared(i, figure(&base.summary))];
                for r in &options {
                    row.push(compared(i, figure(&r.option.summary)));
                    row.push(match (r.difference[i].value, i) {
                        (None, _) => Value::text("n/a"),
                        (Some(v), 0) => Value::count(v),
                        (Some(v), _) if FIGURES[i].0.contains("per £1") => Value::ratio(v),
                        (Some(v), _) => Value::signed(v),
                    });
                }
                row
            })
            .collect();
        let mut rank = vec![Value::text("Rank by incremental NPV"), Value::Empty];
        for r in &options {
            rank.push(Value::Count(r.rank as f64));
            rank.push(Value::Empty);
        }
        rows.push(rank);
        notes.push("\"vs baseline\" is the option less the baseline; options ranked by NPV less the baseline's.".into());
        Table {
            sheet: "Against baseline".into(),
            title: "Options against the baseline".into(),
            header,
            rows,
            notes,
            rag_columns: vec![],
        }
    } else {
        let mut header = vec!["figure".to_string()];
        header.extend(columns.iter().map(|c| c.heading.clone()));
        let rows = FIGURES
            .iter()
            .enumerate()
            .map(|(i, (label, figure))| {
                let mut row = vec![Value::text(*label)];
                row.extend(columns.iter().map(|c| compared(i, figure(&c.summary))));
                row
            })
            .collect();
        Table {
            sheet: "Compare".into(),
            title: "Scenarios compared".into(),
            header,
            rows,
            notes,
            rag_columns: vec![],
        }
    };
    workbook(&[table])
}

/// `tornado`: a bar per row, largest swing first.
pub fn tornado(t: &Tornado, rounding: Rounding) -> Result<Vec<u8>, WorkbookError> {
    let money = |v: Decimal| output_value(&t.output, v);
    let rows = t
        .bars
        .iter()
        .map(|b| {
            vec![
                Value::text(&b.input),
                Value::text(b.source.label()),
                b.base
                    .map_or_else(|| Value::text("by year"), Value::general),
                Value::general(b.low),
                Value::general(b.high),
                money(b.output_at_low),
                money(b.output_at_high),
                money(b.swing),
            ]
        })
        .collect();
    let mut notes = vec![format!(
        "Each input moved alone from low to high, the rest at base; largest swing first. Base {}: {}.",
        t.output,
        crate::export::format_money(t.base_output)
    )];
    notes.extend(
        t.skipped
            .iter()
            .map(|s| format!("Left out {}: {}.", s.input, s.reason)),
    );
    notes.push(rounding_note(rounding));
    workbook(&[Table {
        sheet: "Tornado".into(),
        title: format!("Tornado of {}", t.output),
        header: strings(&[
            "input", "range", "base", "low", "high", "at low", "at high", "swing",
        ]),
        rows,
        notes,
        rag_columns: vec![],
    }])
}

fn measured(name: &str, value: &Measured) -> Value {
    match value {
        Measured::Amount(v) => output_value(name, *v),
        Measured::Year(y) => Value::text(y.clone().unwrap_or_else(|| "none".into())),
    }
}

/// `sweep`: a sheet of one row per point; with two varied inputs (not `--points`), a two-way
/// sheet per output as the table shows them.
pub fn sweep(
    sweep: &Sweep,
    rows: &[crate::sensitivity::sweep::Row],
    rounding: Rounding,
) -> Result<Vec<u8>, WorkbookError> {
    let inputs = sweep.inputs();
    let notes = vec![
        format!(
            "Each point is the scenario with {} set as in its row, the rest at base.",
            inputs
                .iter()
                .map(|i| i.name.as_str())
                .collect::<Vec<_>>()
                .join(" and ")
        ),
        rounding_note(rounding),
    ];
    let mut header: Vec<String> = inputs.iter().map(|i| i.name.clone()).collect();
    header.extend(sweep.outputs.iter().cloned());
    let body = rows
        .iter()
        .enumerate()
        .map(|(i, row)| {
            let mut cells: Vec<Value> =
                sweep.values_at(i).into_iter().map(Value::general).collect();
            cells.extend(
                sweep
                    .outputs
                    .iter()
                    .zip(row)
                    .map(|(name, v)| measured(name, v)),
            );
            cells
        })
        .collect();
    let mut tables = vec![Table {
        sheet: "Sweep".into(),
        title: format!("Sweep of {}", header[..inputs.len()].join(" and ")),
        header,
        rows: body,
        notes: notes.clone(),
        rag_columns: vec![],
    }];
    if let ([across, down], None) = (sweep.axes.as_slice(), &sweep.design) {
        for (k, name) in sweep.outputs.iter().enumerate() {
            let mut header = vec![across.input.name.clone()];
            header.extend(down.values.iter().map(|v| v.to_string()));
            let width = down.values.len();
            let body = across
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let mut cells = vec![Value::general(*v)];
                    let row = &rows[i * width..(i + 1) * width];
                    cells.extend(row.iter().map(|r| measured(name, &r[k])));
                    cells
                })
                .collect();
            tables.push(Table {
                sheet: sheet_name(&format!("{} {}", k + 1, name)),
                title: format!(
                    "{name} by {} (rows) and {} (columns)",
                    across.input.name, down.input.name
                ),
                header,
                rows: body,
                notes: notes.clone(),
                rag_columns: vec![],
            });
        }
    }
    workbook(&tables)
}

fn optional(value: Option<f64>, make: fn(f64) -> Value) -> Value {
    value.map_or_else(|| Value::text("n/a"), |v| Value::finite(v, make))
}

fn share(value: f64) -> Value {
    Value::Share { value, decimals: 2 }
}

/// `simulate`: the outputs' summaries, the uncertain inputs, the probabilities, the
/// sensitivity, the payback years and the histogram, each a sheet carrying the run's seed
/// and iterations.
pub fn simulation(report: &SimulationReport) -> Result<Vec<u8>, WorkbookError> {
    let run = format!(
        "Monte Carlo: {} iterations, seed {}, {} sampling; the same seed and iterations give the same figures.",
        report.iterations,
        report.seed,
        match report.sampling {
            crate::scenario::uncertain::Sampling::Random => "random",
            crate::scenario::uncertain::Sampling::LatinHypercube => "Latin hypercube",
        }
    );
    let unrounded = "Each iteration's figures are the engine's in f64, not rounded to the pound; n/a where a figure is undefined (fewer than two iterations).".to_string();
    let notes = vec![run.clone(), unrounded];
    let percentiles: Vec<u32> = report
        .outputs
        .first()
        .map(|o| o.summary.percentiles.iter().map(|p| p.p).collect())
        .unwrap_or_default();
    let mut header = strings(&["output", "year", "mean", "sd"]);
    header.extend(percentiles.iter().map(|p| format!("P{p}")));
    header.extend(strings(&["min", "max", "se of mean"]));
    header.extend(percentiles.iter().map(|p| format!("se of P{p}")));
    let outputs = report
        .outputs
        .iter()
        .map(|o| {
            let s = &o.summary;
            let money = |x: f64| output_f64(&o.output, x);
            let mut row = vec![
                Value::text(&o.output),
                Value::text(o.year.clone().unwrap_or_else(|| "total".into())),
                money(s.mean),
                s.sd.map_or_else(|| Value::text("n/a"), money),
            ];
            row.extend(s.percentiles.iter().map(|p| money(p.value)));
            row.extend([money(s.min), money(s.max)]);
            row.push(s.se_mean.map_or_else(|| Value::text("n/a"), money));
            row.extend(s.percentiles.iter().map(|p| match p.se {
                None => Value::Empty,
                Some(se) => se.map_or_else(|| Value::text("n/a"), money),
            }));
            row
        })
        .collect();
    let mut tables = vec![Table {
        sheet: "Outputs".into(),
        title: report.scenario.clone(),
        header,
        rows: outputs,
        notes: notes.clone(),
        rag_columns: vec![],
    }];
    let mut input_notes: Vec<String> = report
        .correlations
        .iter()
        .map(|c| {
            format!(
                "Rank correlation {} ~ {}: target {:.2}, achieved {}",
                c.inputs[0],
                c.inputs[1],
                c.target,
                c.achieved
                    .map_or_else(|| "n/a".into(), |a| format!("{a:.3}"))
            )
        })
        .collect();
    input_notes.extend(notes.iter().take(1).cloned());
    tables.push(Table {
        sheet: "Uncertain inputs".into(),
        title: "Uncertain inputs".into(),
        header: strings(&["uncertain input", "distribution", "why"]),
        rows: report
            .inputs
            .iter()
            .map(|i| {
                vec![
                    Value::text(&i.name),
                    Value::text(&i.distribution),
                    Value::text(i.reason.clone().unwrap_or_default()),
                ]
            })
            .collect(),
        notes: input_notes,
        rag_columns: vec![],
    });
    tables.push(Table {
        sheet: "Probabilities".into(),
        title: "Probabilities of cumulative net benefit over the horizon".into(),
        header: strings(&["event", "threshold", "probability", "standard error"]),
        rows: report
            .probabilities
            .iter()
            .map(|p| {
                vec![
                    Value::text(&p.event),
                    Value::finite(p.threshold, Value::Money),
                    share(p.probability),
                    optional(p.se, share),
                ]
            })
            .collect(),
        notes: notes.clone(),
        rag_columns: vec![],
    });
    if let Some(influence) = &report.sensitivity {
        let mut notes = vec![format!(
            "Sensitivity of {} over the horizon (mean {}), from the draws of the first {} iterations together.",
            influence.output,
            crate::export::format_money(
                Decimal::from_f64_retain(influence.mean.round()).unwrap_or_default()
            ),
            influence.iterations
        )];
        notes.extend(notes_of(&run));
        tables.push(Table {
            sheet: "Sensitivity".into(),
            title: "Sensitivity of cumulative net benefit".into(),
            header: strings(&[
                "uncertain input",
                "rank correlation",
                "contribution to variance",
                "mean, input in bottom 10%",
                "mean, input in top 10%",
                "swing",
            ]),
            rows: influence
                .inputs
                .iter()
                .map(|i| {
                    vec![
                        Value::text(&i.input),
                        optional(i.rank_correlation, |value| Value::Number {
                            value,
                            decimals: 3,
                        }),
                        optional(i.contribution_to_variance, |value| Value::Share {
                            value,
                            decimals: 1,
                        }),
                        Value::finite(i.mean_when_low, Value::Money),
                        Value::finite(i.mean_when_high, Value::Money),
                        Value::finite(i.swing, Value::Money),
                    ]
                })
                .collect(),
            notes,
            rag_columns: vec![],
        });
    }
    tables.push(Table {
        sheet: "Payback".into(),
        title: "Payback year".into(),
        header: strings(&["payback year", "share of iterations"]),
        rows: report
            .payback
            .iter()
            .map(|p| {
                vec![
                    Value::text(
                        p.year
                            .clone()
                            .unwrap_or_else(|| "not within the horizon".into()),
                    ),
                    share(p.share),
                ]
            })
            .collect(),
        notes: notes_of(&run),
        rag_columns: vec![],
    });
    tables.push(Table {
        sheet: "Histogram".into(),
        title: "Cumulative net benefit over the horizon (histogram)".into(),
        header: strings(&["from", "to", "iterations"]),
        rows: report
            .histogram
            .iter()
            .map(|b| {
                vec![
                    Value::finite(b.from, Value::Money),
                    Value::finite(b.to, Value::Money),
                    Value::Count(b.count as f64),
                ]
            })
            .collect(),
        notes: notes_of(&run),
        rag_columns: vec![],
    });
    workbook(&tables)
}

fn notes_of(run: &str) -> Vec<String> {
    vec![run.to_string()]
}
