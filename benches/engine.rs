//! Criterion benches of the deterministic engine: load + evaluate, and evaluate alone, in
//! exact decimals and in f64 (the Monte Carlo's number type).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use tec_model::model::{Outcome, evaluate, evaluate_into};
use tec_model::number::Exact;
use tec_model::report::Report;
use tec_model::scenario;

fn bench(c: &mut Criterion) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
    let scenario = scenario::load(&path).unwrap();
    let exact: Vec<Exact> = scenario
        .params
        .values
        .iter()
        .map(|v| Exact::new(*v))
        .collect();
    let float: Vec<f64> = scenario
        .params
        .values
        .iter()
        .map(|v| v.to_string().parse().unwrap())
        .collect();

    c.bench_function("scenario4/load", |b| {
        b.iter(|| scenario::load(black_box(&path)).unwrap())
    });
    c.bench_function("scenario4/evaluate_exact", |b| {
        b.iter(|| evaluate(&scenario.model, black_box(&exact)))
    });
    c.bench_function("scenario4/evaluate_f64", |b| {
        b.iter(|| evaluate(&scenario.model, black_box(&float)))
    });
    let mut reused = Outcome::default();
    c.bench_function("scenario4/evaluate_into_f64", |b| {
        b.iter(|| {
            evaluate_into(&scenario.model, black_box(&float), &mut reused);
            reused.totals[4].cumulative_net
        })
    });
    c.bench_function("scenario4/report", |b| {
        b.iter(|| Report::build(black_box(&scenario)).unwrap())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
