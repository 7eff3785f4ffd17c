//! Profiling aid: evaluates scenario 4 in f64 many times (for callgrind or perf).
use std::path::Path;
use tec_model::model::{Outcome, evaluate_into};
fn main() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
    let scenario = tec_model::scenario::load(&path).unwrap();
    let mut params: Vec<f64> = scenario
        .params
        .values
        .iter()
        .map(|v| v.to_string().parse().unwrap())
        .collect();
    let mut out = Outcome::default();
    let mut acc = 0.0;
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    for i in 0..n {
        params[0] = 0.035 + (i % 7) as f64 * 1e-4;
        evaluate_into(&scenario.model, &params, &mut out);
        acc += out.totals[4].cumulative_net;
    }
    println!("{acc}");
}
