//! Criterion benches of the sensitivity commands on scenario 4: a 100 x 100 two-way sweep
//! (CSV to a sink, every point an exact run), a default tornado and a switching value; and
//! of issue 14's analyses on scenario4-uncertain: Sobol' indices at 2^14 base samples and the
//! value of information over 100,000 draws of three options.

use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::Path;
use tec_model::export::Format;
use tec_model::scenario;
use tec_model::sensitivity::solve::Problem;
use tec_model::sensitivity::sweep::Sweep;
use tec_model::sensitivity::tornado::Tornado;

fn bench(c: &mut Criterion) {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/leicestershire/scenario4.yaml");
    let scenario = scenario::load(&path).unwrap();
    let vary = [
        "benefits.care_hours.hours_per_week=1..3:100".to_string(),
        "users.installs=500..900:100".to_string(),
    ];
    let sweep = Sweep::parse(&scenario, &vary, None).unwrap();

    let mut group = c.benchmark_group("sensitivity");
    group.sample_size(20);
    group.bench_function("scenario4/sweep_100x100_csv", |b| {
        b.iter(|| {
            sweep
                .write(black_box(&scenario), Format::Csv, &mut std::io::sink())
                .unwrap()
        })
    });
    group.bench_function("scenario4/tornado_default", |b| {
        b.iter(|| Tornado::build(black_box(&scenario), &[], "summary.cumulative_net").unwrap())
    });
    let problem = Problem::parse(
        &scenario,
        "benefits.care_hours.hours_per_week",
        "summary.cumulative_net=2000000",
    )
    .unwrap();
    group.bench_function("scenario4/solve_hours_for_2m", |b| {
        b.iter(|| problem.solve(black_box(&scenario)).unwrap())
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let uncertain =
        scenario::load(&root.join("scenarios/leicestershire/scenario4-uncertain.yaml")).unwrap();
    let settings = tec_model::sobol::Settings {
        base: 1 << 14,
        seed: 42,
        design: tec_model::sobol::design::Design::Random,
        resamples: tec_model::sobol::RESAMPLES,
    };
    group.bench_function("scenario4_uncertain/sobol_2e14", |b| {
        b.iter(|| {
            let figures = tec_model::sobol::figures(&uncertain, &[]).unwrap();
            tec_model::sobol::analyse(black_box(&uncertain), figures, &settings).unwrap()
        })
    });
    let options: Vec<_> = [
        "scenarios/leicestershire/scenario4-uncertain.yaml",
        "examples/voi/smaller.yaml",
        "examples/voi/larger.yaml",
    ]
    .iter()
    .map(|p| scenario::load(&root.join(p)).unwrap())
    .collect();
    let voi = tec_model::voi::Settings {
        iterations: 100_000,
        seed: 42,
    };
    group.bench_function("voi/three_options_1e5", |b| {
        b.iter(|| {
            let figures = tec_model::voi::figure(&options, None).unwrap();
            tec_model::voi::analyse(black_box(&options), figures, &voi).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
