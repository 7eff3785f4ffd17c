//! Criterion benches of the Monte Carlo on scenario4-uncertain: one block of draws, one
//! evaluation of the engine over lanes (the fallback), the simulation core (draws, the traced
//! program and outputs into reused buffers, on every core), and whole simulations with their
//! fresh memory (no statistics, no I/O).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;
use tec_model::model::{Outcome, evaluate_into};
use tec_model::scenario::{self, uncertain::Sampling};
use tec_model::simulate::kernel::Isa;
use tec_model::simulate::lanes::{LANES, Lanes};
use tec_model::simulate::run::{BlockView, RunSettings, Simulation, simulate};
use tec_model::simulate::sampler::{BLOCK, Sampler};
use tec_model::simulate::stats::summarize;

fn bench(c: &mut Criterion) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/leicestershire/scenario4-uncertain.yaml");
    let scenario = scenario::load(&path).unwrap();
    let uncertainty = &scenario.uncertainty;
    let sampler = Sampler::new(
        &uncertainty.variables,
        42,
        Sampling::Random,
        uncertainty.copula_factor(),
    );
    let mut draws = vec![0.0; BLOCK * uncertainty.variables.len()];

    let mut group = c.benchmark_group("simulate");
    // One evaluation of the engine over a lane of iterations (the inputs vary by lane).
    let base: Vec<f64> = scenario.params_as();
    let params: Vec<Lanes> = base
        .iter()
        .map(|v| Lanes(std::array::from_fn(|l| v * (1.0 + 0.001 * l as f64))))
        .collect();
    let mut outcome = Outcome::default();
    group.throughput(Throughput::Elements(LANES as u64));
    group.bench_function("evaluate_lanes", |b| {
        b.iter(|| {
            evaluate_into(&scenario.model, black_box(&params), &mut outcome);
            outcome.totals[4].cumulative_net.0[0]
        })
    });
    group.throughput(Throughput::Elements(BLOCK as u64));
    group.bench_function("draw_block", |b| {
        b.iter(|| sampler.fill_block_with(Isa::detect(), black_box(7), &mut draws))
    });
    // The simulation core: draws, evaluation and outputs of 16 blocks (65,536 iterations) on
    // every core, into buffers reused from run to run.
    let blocks = 16usize;
    for sampling in [Sampling::Random, Sampling::LatinHypercube] {
        let settings = RunSettings {
            iterations: (blocks * BLOCK) as u64,
            seed: 42,
            sampling,
            precision: None,
            keep_inputs: 0,
        };
        let simulation = Simulation::new(&scenario, &settings, Isa::detect());
        let m = simulation.layout.len();
        let mut outputs = vec![vec![0.0; BLOCK * m]; blocks];
        let mut payback = vec![vec![0u8; BLOCK]; blocks];
        group.throughput(Throughput::Elements((blocks * BLOCK) as u64));
        group.bench_function(format!("core_{sampling:?}"), |b| {
            b.iter(|| {
                outputs
                    .par_iter_mut()
                    .zip(payback.par_iter_mut())
                    .enumerate()
                    .for_each_init(
                        || simulation.scratch(),
                        |scratch, (index, (outputs, payback))| {
                            let view = BlockView {
                                index: index as u64,
                                outputs: outputs.chunks_mut(BLOCK).collect(),
                                payback,
                                inputs: Vec::new(),
                            };
                            simulation.run_block(scratch, view);
                        },
                    )
            })
        });
    }
    let iterations = 65_536u64;
    group.throughput(Throughput::Elements(iterations));
    for sampling in [Sampling::Random, Sampling::LatinHypercube] {
        let settings = RunSettings {
            iterations,
            seed: 42,
            sampling,
            precision: None,
            keep_inputs: 0,
        };
        group.bench_function(format!("scenario4_uncertain_{sampling:?}"), |b| {
            b.iter(|| simulate(&scenario, black_box(&settings), |_| {}))
        });
    }
    let settings = RunSettings {
        iterations,
        seed: 42,
        sampling: Sampling::Random,
        precision: None,
        keep_inputs: 0,
    };
    let samples = simulate(&scenario, &settings, |_| {});
    group.bench_function("summarize_one_output", |b| {
        b.iter(|| summarize(black_box(&samples.columns[0]), true))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
