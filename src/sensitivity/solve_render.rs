//! `solve`'s answer in the four formats: the sentences of [`super::commands::explain`] as the
//! table form; CSV (one row, so that runs can be stacked), JSON (exact decimal text) and
//! Markdown (a field per row) from the same fields.

use super::commands::explain;
use super::solve::{Problem, Solution};
use crate::export::{Format, csv_record, markdown_cell};
use rust_decimal::Decimal;

/// The answer's fields in order: name and value (empty where it does not apply).
fn fields(problem: &Problem, solution: &Solution) -> Vec<(&'static str, String)> {
    let d = |v: Decimal| v.normalize().to_string();
    let mut out = vec![
        ("input", problem.input.name.clone()),
        ("output", problem.target.output.clone()),
        ("target", d(problem.target.value)),
        ("base", d(problem.base)),
        ("base_output", d(problem.base_output)),
    ];
    let none = String::new;
    match solution {
        Solution::Found {
            value,
            output_at_value,
            neighbour,
            output_at_neighbour,
            step,
            runs,
        } => out.extend([
            ("found", "true".into()),
            ("switching_value", d(*value)),
            ("output_at_value", d(*output_at_value)),
            ("neighbour", d(*neighbour)),
            ("output_at_neighbour", d(*output_at_neighbour)),
            ("step", d(*step)),
            ("searched_from", none()),
            ("searched_to", none()),
            ("least_output", none()),
            ("least_at", none()),
            ("greatest_output", none()),
            ("greatest_at", none()),
            ("runs", runs.to_string()),
        ]),
        Solution::NotFound {
            searched,
            least,
            greatest,
            runs,
        } => out.extend([
            ("found", "false".into()),
            ("switching_value", none()),
            ("output_at_value", none()),
            ("neighbour", none()),
            ("output_at_neighbour", none()),
            ("step", none()),
            ("searched_from", d(searched.0)),
            ("searched_to", d(searched.1)),
            ("least_output", d(least.1)),
            ("least_at", d(least.0)),
            ("greatest_output", d(greatest.1)),
            ("greatest_at", d(greatest.0)),
            ("runs", runs.to_string()),
        ]),
    }
    out
}

/// The answer in `format`.
pub fn render(problem: &Problem, solution: &Solution, format: Format) -> Vec<u8> {
    let fields = fields(problem, solution);
    match format {
        // Xlsx and Svg: the CLI never offers them here; the explanation stands in.
        Format::Table | Format::Xlsx | Format::Svg => explain(problem, solution).into_bytes(),
        Format::Csv => {
            let mut writer = csv::Writer::from_writer(Vec::new());
            for record in [
                fields
                    .iter()
                    .map(|(k, _)| k.to_string())
                    .collect::<Vec<_>>(),
                fields.iter().map(|(_, v)| v.clone()).collect(),
            ] {
                writer
                    .write_record(csv_record(&record))
                    .expect("CSV to memory");
            }
            writer.into_inner().expect("CSV to memory")
        }
        Format::Json => {
            // In the order of the fields; absent values null, `found` a boolean, `runs` a count.
            let mut out = b"{\n".to_vec();
            for (i, (key, value)) in fields.iter().enumerate() {
                let json = match *key {
                    "found" => serde_json::Value::Bool(value == "true"),
                    "runs" => serde_json::Value::from(value.parse::<u64>().unwrap_or(0)),
                    _ if value.is_empty() => serde_json::Value::Null,
                    _ => serde_json::Value::String(value.clone()),
                };
                let comma = if i + 1 < fields.len() { "," } else { "" };
                out.extend(format!("  \"{key}\": {json}{comma}\n").into_bytes());
            }
            out.extend(b"}\n");
            out
        }
        Format::Markdown => {
            let mut out = format!(
                "### Switching value of `{}` for `{}`\n\n| field | value |\n| --- | --- |\n",
                markdown_cell(&problem.input.name),
                markdown_cell(&problem.target.output)
            );
            for (key, value) in fields.iter().filter(|(_, v)| !v.is_empty()) {
                out.push_str(&format!("| {key} | {} |\n", markdown_cell(value)));
            }
            out.into_bytes()
        }
    }
}
