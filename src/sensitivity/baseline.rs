//! `tec-model compare --baseline`: each option's figures beside their difference from the
//! business-as-usual option, the options ranked by incremental NPV, as the Green Book's
//! economic case compares them (Leicestershire's Option 1 is the baseline of paras 39-40).

use super::compare::{Cell, Column, FIGURES};
use super::render::Cells;
use crate::export::{Format, format_money};
use rust_decimal::Decimal;
use serde::Serialize;

/// One option against the baseline.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Ranked<'a> {
    /// 1 for the greatest incremental NPV.
    pub rank: usize,
    /// The option's NPV less the baseline's.
    pub incremental_npv: Decimal,
    pub option: &'a Column,
    /// Each amount figure less the baseline's (text figures such as payback have none).
    pub difference: Vec<Difference>,
}

#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct Difference {
    /// The figure's label, as in the table.
    pub figure: &'static str,
    /// The option's figure less the baseline's; `null` for a figure that is text.
    pub value: Option<Decimal>,
}

/// `compare --baseline`'s JSON: the baseline, then the options ranked.
#[derive(Debug, Serialize, schemars::JsonSchema)]
pub struct BaselineJson<'a> {
    pub baseline: &'a Column,
    pub options: Vec<Ranked<'a>>,
}

fn amount(cell: Cell) -> Option<Decimal> {
    match cell {
        Cell::Amount(v) => Some(v),
        Cell::Text(_) => None,
    }
}

/// `columns[0]` is the baseline; the others are ranked by NPV less the baseline's, highest
/// first (ties keep the order given).
pub(crate) fn ranked(columns: &[Column]) -> (&Column, Vec<Ranked<'_>>) {
    let (base, options) = columns.split_first().expect("a baseline column");
    let mut ranked: Vec<Ranked> = options
        .iter()
        .map(|option| Ranked {
            rank: 0,
            incremental_npv: option.summary.npv - base.summary.npv,
            option,
            difference: FIGURES
                .iter()
                .map(|(label, figure)| Difference {
                    figure: label,
                    value: amount(figure(&option.summary))
                        .zip(amount(figure(&base.summary)))
                        .map(|(a, b)| a - b),
                })
                .collect(),
        })
        .collect();
    ranked.sort_by_key(|r| std::cmp::Reverse(r.incremental_npv));
    for (i, r) in ranked.iter_mut().enumerate() {
        r.rank = i + 1;
    }
    (base, ranked)
}

pub fn render(columns: &[Column], format: Format) -> Vec<u8> {
    let (base, options) = ranked(columns);
    if format == Format::Json {
        return crate::export::schema::to_json(&BaselineJson {
            baseline: base,
            options,
        });
    }
    let money = |v: Decimal| match format {
        Format::Csv => v.normalize().to_string(),
        _ => format_money(v),
    };
    let signed = |v: Decimal| match format {
        Format::Csv => v.normalize().to_string(),
        _ if v > Decimal::ZERO => format!("+{}", format_money(v)),
        _ => format_money(v),
    };
    let show = |cell: Cell| match cell {
        Cell::Amount(v) => money(v),
        Cell::Text(t) => t,
    };
    let mut header = vec!["figure".to_string(), format!("{} (baseline)", base.heading)];
    for r in &options {
        header.push(r.option.heading.clone());
        header.push(format!("{} vs baseline", r.option.heading));
    }
    let mut rows: Vec<Vec<String>> = FIGURES
        .iter()
        .enumerate()
        .map(|(i, (label, figure))| {
            let mut row = vec![label.to_string(), show(figure(&base.summary))];
            for r in &options {
                row.push(show(figure(&r.option.summary)));
                row.push(
                    r.difference[i]
                        .value
                        .map(signed)
                        .unwrap_or_else(|| "n/a".into()),
                );
            }
            row
        })
        .collect();
    let mut rank_row = vec!["Rank by incremental NPV".to_string(), String::new()];
    for r in &options {
        rank_row.push(r.rank.to_string());
        rank_row.push(String::new());
    }
    rows.push(rank_row);
    let cells = Cells {
        header,
        rows,
        first_number: 1,
    };
    if format == Format::Csv {
        return cells.render(format).into_bytes();
    }
    let mut out = String::new();
    if format == Format::Markdown {
        out.push_str("## Options against the baseline\n\n");
    }
    out.push_str(&cells.render(format));
    if format == Format::Markdown {
        out.push('\n');
    }
    let item = if format == Format::Markdown { "- " } else { "" };
    out.push_str(&format!(
        "{item}baseline {}: {} ({}), horizon to {}\n",
        base.heading, base.scenario, base.file, base.last_year
    ));
    for r in &options {
        out.push_str(&format!(
            "{item}{}. {}: {} ({}), incremental NPV {}\n",
            r.rank,
            r.option.heading,
            r.option.scenario,
            r.option.file,
            signed(r.incremental_npv)
        ));
    }
    out.push_str("Money in pounds over each scenario's horizon; \"vs baseline\" is the option less the baseline; options ranked by NPV less the baseline's.\n");
    out.into_bytes()
}
