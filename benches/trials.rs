//! Throughput of the Monte Carlo core on the built-in scenario: one trial at a time (the
//! inner loop), and whole runs of 2,048 trials on 1 and 2 threads (the speed-up); one trial
//! of each benchmark scenario of `benches/scenarios/` (the peers' scenarios); fleets with and
//! without their returns; a large synthetic grid.
//! `cargo bench --bench trials`; figures are recorded in BENCHMARKS.md.

use std::hint::black_box;
use std::sync::atomic::AtomicBool;

use corridor::Scenario;
use corridor::sim::model::Model;
use corridor::sim::outcome::TrialOutcome;
use corridor::sim::run::{RunConfig, run_trials};
use corridor::sim::trial::{NoTrace, Scratch, simulate_trial};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn trials(c: &mut Criterion) {
    let scenario = Scenario::builtin_default();
    let model = Model::new(&scenario);
    let mut group = c.benchmark_group("bamako-2025");

    let mut scratch = Scratch::default();
    let mut out = TrialOutcome::new(&model);
    let mut i = 0u64;
    group.throughput(Throughput::Elements(1));
    group.bench_function("one trial", |b| {
        b.iter(|| {
            i += 1;
            simulate_trial(&model, 1, i, &mut scratch, &mut out, &mut NoTrace);
            black_box(out.sinks[0].delivered_litres)
        })
    });

    let n = 2048;
    group.throughput(Throughput::Elements(n));
    group.sample_size(20);
    for threads in [1, 2] {
        group.bench_function(format!("{n} trials, {threads} thread(s)"), |b| {
            let config = RunConfig {
                seed: 1,
                first_trial: 0,
                trials: n,
                threads,
            };
            b.iter(|| {
                black_box(run_trials(&model, &config, &|_| {}, &AtomicBool::new(false)).trials)
            })
        });
    }
    group.finish();
}

/// One trial of each benchmark scenario, after the worker's caches have warmed up (as they
/// are for all but the first few of a run's trials).
fn peers(c: &mut Criterion) {
    let mut group = c.benchmark_group("benchmark scenarios");
    group.throughput(Throughput::Elements(1));
    for name in ["closures", "fleets"] {
        let path = format!(
            "{}/benches/scenarios/{name}.toml",
            env!("CARGO_MANIFEST_DIR")
        );
        let scenario = Scenario::load(std::path::Path::new(&path)).expect("valid");
        let model = Model::new(&scenario);
        let mut scratch = Scratch::default();
        let mut out = TrialOutcome::new(&model);
        for trial in 0..2_000 {
            simulate_trial(&model, 1, trial, &mut scratch, &mut out, &mut NoTrace);
        }
        let mut i = 2_000u64;
        group.bench_function(format!("{name}: one trial"), |b| {
            b.iter(|| {
                i += 1;
                simulate_trial(&model, 1, i, &mut scratch, &mut out, &mut NoTrace);
                black_box(out.traversals)
            })
        });
    }
    group.finish();
}

/// Issue 8: the same loaded trips with and without empty return trips. A fleet too large to
/// run short keeps the outbound trips identical; the returns are the extra work.
fn fleets(c: &mut Criterion) {
    let mut raw = Scenario::builtin_default().to_raw();
    let with_fleet = |fleet: Option<i64>, raw: &mut corridor::scenario::RawScenario| {
        for convoy in &mut raw.convoy {
            convoy.fleet = fleet;
            convoy.return_escort = None;
        }
        Scenario::from_raw(raw, "fleets").expect("valid")
    };
    let plain = with_fleet(None, &mut raw);
    let with_returns = with_fleet(Some(1_000_000), &mut raw);
    let mut group = c.benchmark_group("fleets");
    group.throughput(Throughput::Elements(1));
    for (name, scenario) in [("without returns", &plain), ("with returns", &with_returns)] {
        let model = Model::new(scenario);
        let mut scratch = Scratch::default();
        let mut out = TrialOutcome::new(&model);
        let mut i = 0u64;
        group.bench_function(name, |b| {
            b.iter(|| {
                i += 1;
                simulate_trial(&model, 1, i, &mut scratch, &mut out, &mut NoTrace);
                black_box(out.traversals)
            })
        });
    }
    group.finish();
}

/// A large synthetic grid (10,000 nodes, 365 days): cost per trial on a big network.
fn synthetic(c: &mut Criterion) {
    use corridor::synthetic::{SyntheticSpec, synthetic_scenario};
    let scenario = synthetic_scenario(&SyntheticSpec::new(10_000, 365));
    let model = Model::new(&scenario);
    let mut scratch = Scratch::default();
    let mut out = TrialOutcome::new(&model);
    let mut group = c.benchmark_group("synthetic grid 10,000 nodes, 365 days");
    group.sample_size(20);
    let mut i = 0u64;
    group.bench_function("one trial", |b| {
        b.iter(|| {
            i += 1;
            simulate_trial(&model, 1, i, &mut scratch, &mut out, &mut NoTrace);
            black_box(out.traversals)
        })
    });
    group.finish();
}

criterion_group!(benches, trials, peers, fleets, synthetic);
criterion_main!(benches);
