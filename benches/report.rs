//! Criterion benches of `tec-model report` on scenario4-uncertain with 100,000 iterations:
//! the rendering of the HTML from an already-simulated report, the SVG charts alone, and, to
//! see where a whole run's time goes, the run's other parts (the Monte Carlo, the ±20%
//! tornado, the exact report).

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use tec_model::chart::of::{SimulationChart, simulation, tornado};
use tec_model::report::Report;
use tec_model::scenario;
use tec_model::sensitivity::tornado::Tornado;
use tec_model::simulate::collect::{Collecting, collect};
use tec_model::simulate::report::SimulationReport;
use tec_model::simulate::run::RunSettings;

const ITERATIONS: u64 = 100_000;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/leicestershire/scenario4-uncertain.yaml");
    let scenario = scenario::load(&path).unwrap();
    let settings = RunSettings {
        iterations: ITERATIONS,
        seed: 42,
        sampling: scenario.uncertainty.sampling.unwrap_or_default(),
        precision: None,
        keep_inputs: 0,
    };
    let target = scenario
        .uncertainty
        .target
        .map(|t| rust_decimal::prelude::ToPrimitive::to_f64(&t).unwrap());
    let mut thresholds = vec![0.0];
    thresholds.extend(target);
    let collecting = Collecting::new(thresholds);
    let simulate = || {
        let collected = collect(&scenario, &settings, &collecting, |_| {}).unwrap();
        SimulationReport::build(&scenario, &settings, &collected)
    };
    let report = Report::build(&scenario).unwrap();
    let sim = simulate();
    let swing = Tornado::build(&scenario, &[], "summary.cumulative_net").unwrap();
    let bytes = std::fs::read(&path).unwrap();

    let mut group = c.benchmark_group("report");
    group.sample_size(20);
    group.bench_function("html_render_100k", |b| {
        b.iter(|| {
            let extras = tec_model::html::Extras {
                simulation: Some((&sim, target)),
                checks: None,
                tornado: Some(&swing),
                file_bytes: &bytes,
            };
            tec_model::html::render(black_box(&scenario), &report, &extras).len()
        })
    });
    group.bench_function("svg_charts", |b| {
        b.iter(|| {
            let mut length = 0;
            for kind in [
                SimulationChart::Fan,
                SimulationChart::Histogram,
                SimulationChart::Cdf,
            ] {
                length += simulation(black_box(&sim), kind, target, "c").len();
            }
            length + tornado(black_box(&swing), "t").len()
        })
    });
    group.bench_function("tornado_build", |b| {
        b.iter(|| Tornado::build(black_box(&scenario), &[], "summary.cumulative_net").unwrap())
    });
    group.bench_function("exact_report", |b| {
        b.iter(|| Report::build(black_box(&scenario)).unwrap())
    });
    group.sample_size(10);
    group.bench_function("simulate_100k", |b| b.iter(simulate));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
