//! Criterion benches of the Monte Carlo on scenario4-uncertain: one block of draws, one
//! evaluation of the engine over lanes (the fallback), blocks of draws and the traced program
//! into reused buffers, the statistics of one block of one output, one block of `--samples`
//! rows formatted, and the simulation core: whole runs of a million iterations on every core,
//! draws, program and every statistic (no I/O, no report).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;
use tec_model::model::{Outcome, evaluate_into};
use tec_model::scenario::{self, uncertain::Sampling};
use tec_model::simulate::collect::{Collecting, collect, collect_with};
use tec_model::simulate::kernel::Isa;
use tec_model::simulate::lanes::{LANES, Lanes};
use tec_model::simulate::run::{BlockView, RunSettings, Simulation};
use tec_model::simulate::sampler::{BLOCK, Sampler};
use tec_model::simulate::samples::{BlockSamples, SampleSink, Samples, SamplesCsv};
use tec_model::simulate::stats::Moments;
use tec_model::simulate::windows::{REACH, Windows};

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
    // Draws and evaluation of 16 blocks (65,536 iterations) on every core, into buffers
    // reused from run to run.
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
        group.bench_function(format!("blocks_{sampling:?}"), |b| {
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
    // The statistics of one block of one output (cumulative net benefit): its moments, and
    // its counts against percentile windows narrowed as they are after 64 blocks.
    let settings = RunSettings {
        iterations: 64 * BLOCK as u64,
        seed: 42,
        sampling: Sampling::Random,
        precision: None,
        keep_inputs: 0,
    };
    let mut samples = Samples::default();
    collect_with(
        &scenario,
        &settings,
        &Collecting::new(vec![0.0]),
        Isa::detect(),
        &mut samples,
        |_| {},
    )
    .expect("finite outputs");
    let column = &samples.columns[samples.columns.len() - 3];
    let mut windows = Windows::around(&column[..BLOCK], true, REACH);
    for block in column[BLOCK..].chunks(BLOCK) {
        windows.add(&windows.additions(Isa::detect(), block), block.len() as u64);
    }
    windows.narrow(true, REACH);
    let block = &column[..BLOCK];
    group.throughput(Throughput::Elements(BLOCK as u64));
    group.bench_function("moments_one_block", |b| {
        b.iter(|| Moments::of_with(Isa::detect(), black_box(block)))
    });
    group.bench_function("windows_one_block", |b| {
        b.iter(|| windows.additions(Isa::detect(), black_box(block)))
    });
    // One block's `--samples` rows, formatted (what each worker does for its block).
    sampler.fill_block_with(Isa::detect(), 0, &mut draws);
    let rows = BlockSamples {
        first: 0,
        outputs: &samples.outputs,
        columns: samples.columns.iter().map(|c| &c[..BLOCK]).collect(),
        payback: &samples.payback[..BLOCK],
        inputs: draws.chunks(BLOCK).collect(),
    };
    let csv = SamplesCsv::new(std::io::sink(), &scenario).expect("a sink takes the header");
    group.bench_function("samples_csv_one_block", |b| {
        b.iter(|| csv.prepare(black_box(&rows)))
    });
    // The simulation core: a whole run of 2^20 iterations on every core, with every statistic.
    let iterations = 1u64 << 20;
    group.throughput(Throughput::Elements(iterations));
    group.sample_size(10);
    for sampling in [Sampling::Random, Sampling::LatinHypercube] {
        let settings = RunSettings {
            iterations,
            seed: 42,
            sampling,
            precision: None,
            keep_inputs: 0,
        };
        let collecting = Collecting::new(vec![0.0, 2_000_000.0]);
        group.bench_function(format!("core_{sampling:?}"), |b| {
            b.iter(|| collect(&scenario, black_box(&settings), &collecting, |_| {}))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
