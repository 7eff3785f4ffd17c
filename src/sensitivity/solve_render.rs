//! `solve`'s answer in the four formats: the sentences of [`super::commands::explain`] as the
//! table form; CSV (one row, so that runs can be stacked), JSON (exact decimal text) and
//! Markdown (a field per row) from the same fields.

use super::commands::explain;
use super::solve::{Problem, Solution};
use crate::export::{Format, csv_record, markdown_cell};
use rust_decimal::Decimal;

/// `solve`'s JSON: the same fields as the CSV, in the same order; amounts as exact decimal
/// text, `null` where a field does not apply.
#[derive(Debug, serde::Serialize, schemars::JsonSchema)]
pub struct Answer {
    /// The input varied.
    pub input: String,
    /// The output aimed at.
    pub output: String,
    /// The output's target value.
    pub target: Decimal,
    /// The input's value in the scenario.
    pub base: Decimal,
    /// The output at the base value.
    pub base_output: Decimal,
    /// Whether a switching value was found within the input's range.
    pub found: bool,
    /// The input's value at which the output reaches the target.
    pub switching_value: Option<Decimal>,
    pub output_at_value: Option<Decimal>,
    /// The value one step short of it, and the output there.
    pub neighbour: Option<Decimal>,
    pub output_at_neighbour: Option<Decimal>,
    /// The input's step (its resolution).
    pub step: Option<Decimal>,
    /// Not found: the range searched, and the least and greatest output seen with where.
    pub searched_from: Option<Decimal>,
    pub searched_to: Option<Decimal>,
    pub least_output: Option<Decimal>,
    pub least_at: Option<Decimal>,
    pub greatest_output: Option<Decimal>,
    pub greatest_at: Option<Decimal>,
    /// Model runs made.
    pub runs: u64,
}

impl Answer {
    pub fn of(problem: &Problem, solution: &Solution) -> Answer {
        let d = |v: Decimal| v.normalize();
        let mut answer = Answer {
            input: problem.input.name.clone(),
            output: problem.target.output.clone(),
            target: d(problem.target.value),
            base: d(problem.base),
            base_output: d(problem.base_output),
            found: false,
            switching_value: None,
            output_at_value: None,
            neighbour: None,
            output_at_neighbour: None,
            step: None,
            searched_from: None,
            searched_to: None,
            least_output: None,
            least_at: None,
            greatest_output: None,
            greatest_at: None,
            runs: 0,
        };
        match solution {
            Solution::Found {
                value,
                output_at_value,
                neighbour,
                output_at_neighbour,
                step,
                runs,
            } => {
                answer.found = true;
                answer.switching_value = Some(d(*value));
                answer.output_at_value = Some(d(*output_at_value));
                answer.neighbour = Some(d(*neighbour));
                answer.output_at_neighbour = Some(d(*output_at_neighbour));
                answer.step = Some(d(*step));
                answer.runs = *runs as u64;
            }
            Solution::NotFound {
                searched,
                least,
                greatest,
                runs,
            } => {
                answer.searched_from = Some(d(searched.0));
                answer.searched_to = Some(d(searched.1));
                answer.least_output = Some(d(least.1));
                answer.least_at = Some(d(least.0));
                answer.greatest_output = Some(d(greatest.1));
                answer.greatest_at = Some(d(greatest.0));
                answer.runs = *runs as u64;
            }
        }
        answer
    }
}

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
        Format::Json => crate::export::schema::to_json(&Answer::of(problem, solution)),
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
