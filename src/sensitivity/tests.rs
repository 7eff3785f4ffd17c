//! Tests of the sensitivity analyses on scenarios whose answers are known by construction,
//! and against `run` (the report of the scenario with the same values set).

use super::solve::{Problem, Solution};
use super::sweep::{CHUNK, Sweep};
use super::tornado::Tornado;
use crate::check::measure::Measured;
use crate::export::Format;
use crate::report::Report;
use crate::scenario::{Scenario, from_yaml};
use proptest::prelude::*;
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn scenario4() -> Scenario {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
    crate::scenario::load(&path).unwrap()
}

/// Three years; benefit `a` of 100 a year, costs `b` of 300 and offsets `c` of 10.
fn lines() -> Scenario {
    from_yaml(
        r#"
horizon: { first_year: 2021/22, years: 3 }
users:
  opening: { value: 0, source: t }
  installs: { each_year: 0, source: t }
  attrition: { value: 0.1, source: t }
benefits:
  a: { basket: cashable, kind: amounts, amounts: { each_year: 100, source: t } }
costs:
  b: { kind: amounts, amounts: { each_year: 300, source: t } }
offsets:
  c: { kind: amounts, amounts: { each_year: 10, source: t } }
"#,
    )
    .unwrap()
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn a_sweep_point_equals_the_report_of_the_same_values() {
    let s = scenario4();
    let vary = strings(&[
        "benefits.care_hours.hours_per_week=1..3:5",
        "users.installs[2023/24]=400,800",
    ]);
    let sweep = Sweep::parse(&s, &vary, Some("cumulative_net,npv,year.2024/25.net")).unwrap();
    assert_eq!(sweep.points(), 10);
    let rows = sweep.evaluate(&s, 0..sweep.points()).unwrap();
    for (index, row) in rows.iter().enumerate() {
        let values = sweep.values_at(index);
        let set = s
            .with_input("benefits.care_hours.hours_per_week", values[0])
            .unwrap()
            .with_input("users.installs[2023/24]", values[1])
            .unwrap();
        let report = Report::build(&set).unwrap();
        let expected = [
            report.summary.cumulative_net,
            report.summary.npv,
            report.years[3].net,
        ];
        let got: Vec<Decimal> = row
            .iter()
            .map(|m| match m {
                Measured::Amount(v) => *v,
                Measured::Year(_) => panic!("an amount"),
            })
            .collect();
        assert_eq!(got, expected, "point {index}: {values:?}");
    }
    // Grid order: the last --vary moves fastest.
    assert_eq!(sweep.values_at(1), [d("1"), d("800")]);
    assert_eq!(sweep.values_at(2), [d("1.5"), d("400")]);
}

#[test]
fn sweep_output_is_the_same_whatever_the_thread_count() {
    let s = lines();
    let vary = strings(&["benefits.a.amounts=0..1000:71", "costs.b.amounts=0..700:71"]);
    let sweep = Sweep::parse(&s, &vary, None).unwrap();
    assert!(sweep.points() > CHUNK, "crosses a chunk boundary");
    let with_threads = |threads| {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let mut out = Vec::new();
        pool.install(|| sweep.write(&s, Format::Csv, &mut out))
            .unwrap();
        out
    };
    let one = with_threads(1);
    assert_eq!(one, with_threads(3));
    let text = String::from_utf8(one).unwrap();
    assert_eq!(text.lines().count(), 71 * 71 + 1);
    // 3 x (a - b + 10): a = 1000, b = 690 at the point before last.
    assert!(
        text.lines()
            .nth(71 * 71 - 1)
            .unwrap()
            .starts_with("1000,690,960,")
    );
}

#[test]
fn tornado_ranks_inputs_by_a_swing_known_by_construction() {
    let s = lines();
    let ranges = strings(&[
        "offsets.c.amounts=0..20",
        "benefits.a.amounts=50..150",
        "costs.b.amounts=0..300",
    ]);
    let t = Tornado::build(&s, &ranges, "summary.cumulative_net").unwrap();
    let order: Vec<(&str, Decimal)> = t.bars.iter().map(|b| (b.input.as_str(), b.swing)).collect();
    assert_eq!(
        order,
        [
            ("costs.b.amounts", d("900")),
            ("benefits.a.amounts", d("300")),
            ("offsets.c.amounts", d("60")),
        ]
    );
    assert_eq!(t.base_output, d("-570"));
    assert_eq!(t.bars[0].output_at_low, d("330"));
    assert_eq!(t.bars[0].output_at_high, d("-570"));

    // Default ranges: ±20% of base, so swings of 0.4 x 3 years x the base amount.
    let t = Tornado::build(&s, &[], "cumulative_net").unwrap();
    let order: Vec<(&str, Decimal)> = t.bars.iter().map(|b| (b.input.as_str(), b.swing)).collect();
    assert_eq!(
        &order[..3],
        [
            ("costs.b.amounts", d("360")),
            ("benefits.a.amounts", d("120")),
            ("offsets.c.amounts", d("12")),
        ]
    );
    assert!(
        t.bars
            .iter()
            .any(|b| b.input == "users.attrition" && (b.low, b.high) == (d("0.08"), d("0.12")))
    );
    assert!(t.skipped.iter().any(|s| s.input == "users.opening"));
}

fn confirm(s: &Scenario, input: &str, output: &str, value: Decimal) -> Decimal {
    let report = Report::build(&s.with_input(input, value).unwrap()).unwrap();
    match crate::check::measure::measure(&report, output).unwrap() {
        Measured::Amount(v) => v,
        Measured::Year(_) => panic!("an amount"),
    }
}

#[test]
fn solve_finds_a_switching_value_that_run_confirms_to_the_penny() {
    let s = scenario4();
    let input = "benefits.care_hours.hours_per_week";
    let problem = Problem::parse(&s, input, "summary.cumulative_net=2000000").unwrap();
    let Solution::Found {
        value,
        output_at_value,
        neighbour,
        output_at_neighbour,
        step,
        ..
    } = problem.solve(&s).unwrap()
    else {
        panic!("a root exists")
    };
    assert_eq!(step, d("0.00001"));
    assert_eq!((value - neighbour).abs(), step);
    assert_eq!(
        confirm(&s, input, "summary.cumulative_net", value),
        output_at_value
    );
    assert_eq!(
        confirm(&s, input, "summary.cumulative_net", neighbour),
        output_at_neighbour
    );
    assert!(output_at_value >= d("2000000"));
    assert!(output_at_neighbour < d("2000000"));
    assert_eq!(value, d("1.78307"));
}

#[test]
fn solve_reports_no_root_when_no_allowed_value_meets_the_target() {
    let s = scenario4();
    // Even with no one leaving, £9m is out of reach; attrition is a share from 0 to 1.
    let problem = Problem::parse(&s, "users.attrition", "cumulative_net=9000000").unwrap();
    let Solution::NotFound {
        searched, greatest, ..
    } = problem.solve(&s).unwrap()
    else {
        panic!("no root exists")
    };
    assert_eq!(searched, (d("0"), d("1")));
    assert_eq!(greatest.0, d("0"));
    assert!(greatest.1 < d("9000000"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Cumulative net is 3 x (a - 300 + 10), a step function of `a` (money rounds to the
    /// pound per year): the switching value meets the target and its neighbour does not.
    #[test]
    fn solved_values_meet_the_target_and_their_neighbours_do_not(target in -800i64..3000) {
        let s = lines();
        let target = Decimal::from(target);
        let problem = Problem::parse(&s, "benefits.a.amounts", &format!("cumulative_net={target}")).unwrap();
        match problem.solve(&s).unwrap() {
            Solution::Found { value, output_at_value, neighbour, output_at_neighbour, .. } => {
                prop_assert!(output_at_value >= target);
                prop_assert!(output_at_neighbour < target);
                prop_assert!(neighbour < value);
                prop_assert_eq!(confirm(&s, "benefits.a.amounts", "summary.cumulative_net", value), output_at_value);
            }
            Solution::NotFound { .. } => prop_assert!(target <= Decimal::from(-870), "{}", target),
        }
    }
}

#[test]
fn sweep_json_is_versioned_rows_of_points_with_exact_strings() {
    let s = lines();
    let sweep = Sweep::parse(&s, &strings(&["benefits.a.amounts=100.5,200"]), None).unwrap();
    let mut out = Vec::new();
    sweep.write(&s, Format::Json, &mut out).unwrap();
    let versioned: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(versioned["schema_version"], 1);
    let json = &versioned["rows"];
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[0]["inputs"]["benefits.a.amounts"], "100.5");
    // 3 x (101 - 300 + 10): the amount is rounded to the pound each year.
    assert_eq!(json[0]["outputs"]["summary.cumulative_net"], "-567");
    assert_eq!(
        json[1]["outputs"]["summary.payback_year"],
        serde_json::Value::Null
    );
}

#[test]
fn several_outputs_of_one_sweep_equal_one_sweep_each() {
    use super::sweep_write::Sink;
    let s = lines();
    // Two inputs: tables are two-way; more points than a chunk, so CSV and JSON stream.
    let vary = strings(&["benefits.a.amounts=0..1000:71", "costs.b.amounts=0..700:71"]);
    let sweep = Sweep::parse(&s, &vary, None).unwrap();
    let alone = |format| {
        let mut out = Vec::new();
        sweep.write(&s, format, &mut out).unwrap();
        out
    };
    let formats = [Format::Csv, Format::Json, Format::Table, Format::Markdown];
    let mut outs: Vec<Vec<u8>> = vec![Vec::new(); formats.len()];
    let done = std::cell::Cell::new(0);
    {
        let mut sinks: Vec<Sink> = formats
            .iter()
            .zip(outs.iter_mut())
            .map(|(format, out)| Sink {
                format: *format,
                writer: out,
                is_stdout: false,
            })
            .collect();
        sweep
            .write_to(&s, &mut sinks, &|n| done.set(n), &|write| write())
            .unwrap();
    }
    assert_eq!(done.get(), 71 * 71, "progress hears every point");
    for (format, out) in formats.iter().zip(&outs) {
        assert_eq!(*out, alone(*format), "{format:?}");
    }
}
