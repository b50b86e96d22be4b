//! `corridor bench`: a fixed benchmark set users run to size their jobs. The built-in
//! scenario on one thread and on all, and a large synthetic network. It prints trials and
//! traversals per second, the speed-up over one thread, and peak memory.

use std::time::Instant;

use super::interrupt::{self, Promise, STOP};
use crate::Scenario;
use crate::cli::BenchOpts;
use crate::error::{Error, InputError, Result};
use crate::report::table::grouped;
use crate::sim::model::Model;
use crate::sim::run::{RunConfig, run_trials};
use crate::synthetic::{SyntheticSpec, side, synthetic_scenario};

/// A benchmark case: its name, how to build its scenario, and its trial count (None: as
/// many as about half a second of work needs, estimated from a warm-up).
struct Case {
    name: String,
    build: Box<dyn Fn() -> Scenario>,
    trials: Option<u64>,
    threads: Vec<usize>,
}

/// One measured case.
struct Measure {
    threads: usize,
    trials: u64,
    seconds: f64,
    traversals: u64,
    peak_mb: Option<f64>,
}

pub(super) fn bench(opts: &BenchOpts) -> Result<()> {
    interrupt::install(Promise::Nothing);
    let stopped = || Error::Stopped("the cases measured so far are above".into());
    let all = std::thread::available_parallelism().map_or(1, |n| n.get());
    check_cost(opts, all)?;
    let both = if all > 1 { vec![1, all] } else { vec![1] };
    let grid = |nodes: usize, horizon: u32| {
        let name = format!(
            "grid {} nodes, {horizon} days",
            grouped(side(nodes).pow(2) as f64, 0)
        );
        (name, move || {
            synthetic_scenario(&SyntheticSpec::new(nodes, horizon))
        })
    };
    let mut cases = vec![Case {
        name: "bamako-2025 (built in)".into(),
        build: Box::new(Scenario::builtin_default),
        trials: Some(opts.trials),
        threads: both.clone(),
    }];
    for (origin, text) in crate::builtin::BENCH_SCENARIOS {
        let build = move || {
            Scenario::from_source(&crate::source::TomlSource::new(origin, text), None)
                .expect("the benchmark scenarios are valid (tested)")
        };
        cases.push(Case {
            name: format!("{} (../shared/bench)", build().name),
            build: Box::new(build),
            trials: Some(opts.trials),
            threads: both.clone(),
        });
    }
    let (name, build) = grid(opts.synthetic_nodes, 365);
    cases.push(Case {
        name,
        build: Box::new(build),
        trials: None,
        threads: both,
    });
    if opts.scale {
        for nodes in [1_000, 10_000, 100_000] {
            for horizon in [30, 365, 3650] {
                let (name, build) = grid(nodes, horizon);
                cases.push(Case {
                    name,
                    build: Box::new(build),
                    trials: None,
                    threads: vec![1],
                });
            }
        }
    }
    super::print_out(format!(
        "corridor {} bench on {all} core{}\n\n",
        env!("CARGO_PKG_VERSION"),
        if all == 1 { "" } else { "s" }
    ))?;
    super::print_out(format!(
        "{:<32} {:>7} {:>8} {:>9} {:>11} {:>13} {:>10} {:>9} {:>8}\n",
        "case",
        "threads",
        "trials",
        "seconds",
        "trials/s",
        "µs per trial",
        "M edges/s",
        "speed-up",
        "peak MB"
    ))?;
    for case in &cases {
        if interrupt::stopped() {
            return Err(stopped());
        }
        reset_peak_memory();
        let scenario = (case.build)();
        let model = Model::new(&scenario);
        // Warm up (route trees are built on first use) and size the run from it.
        let warm = run_trials(
            &model,
            &RunConfig {
                seed: 1,
                first_trial: 0,
                trials: 1,
                threads: 1,
            },
            &|_| {},
            &STOP,
        );
        let trials = case
            .trials
            .unwrap_or_else(|| (1.0e8 / warm.traversals.max(1) as f64).clamp(3.0, 1e6) as u64);
        let mut single = None;
        for &t in &case.threads {
            let m = measure(&model, trials, t);
            if interrupt::stopped() {
                // A measure cut short is not one: it is not printed.
                return Err(stopped());
            }
            let rate = m.trials as f64 / m.seconds;
            let base = *single.get_or_insert(rate);
            super::print_out(format!(
                "{:<32} {:>7} {:>8} {:>9.3} {:>11} {:>13.1} {:>10.1} {:>9.2} {:>8}\n",
                case.name,
                m.threads,
                grouped(m.trials as f64, 0),
                m.seconds,
                grouped(rate, 0),
                1e6 * m.seconds / m.trials as f64 * m.threads as f64,
                m.traversals as f64 / m.seconds / 1e6,
                rate / base,
                m.peak_mb.map_or("n/a".into(), |mb| format!("{mb:.0}")),
            ))?;
        }
    }
    super::print_out(
        "\nµs per trial is per thread (CPU time); M edges/s counts every edge a convoy enters;\n\
         peak MB is the resident memory of this process while the case's model was built and run.\n",
    )?;
    Ok(())
}

/// Memory one node of the synthetic grid takes while its case is built and run, about
/// (measured: 458 MB at 250,000 nodes).
const SYNTHETIC_NODE_BYTES: f64 = 2_000.0;

/// Refuses a benchmark this machine could not finish: the built-in scenario's trials as a
/// run would be, and the synthetic grids' memory (their trial counts size themselves).
fn check_cost(opts: &BenchOpts, threads: usize) -> Result<()> {
    let memory = crate::limits::machine_memory();
    crate::limits::check_run(&Scenario::builtin_default(), opts.trials, threads, memory)?;
    let largest = if opts.scale {
        opts.synthetic_nodes.max(100_000)
    } else {
        opts.synthetic_nodes
    };
    let needed = side(largest).pow(2) as f64 * SYNTHETIC_NODE_BYTES;
    if needed > memory as f64 / 2.0 {
        let msg = format!(
            "a grid of {} nodes would need about {:.1} GB of memory, more than half of the {:.1} GB this machine has; use fewer nodes",
            grouped(side(largest).pow(2) as f64, 0),
            needed / 1e9,
            memory as f64 / 1e9
        );
        return Err(InputError::flag("--synthetic-nodes", msg).into());
    }
    Ok(())
}

fn measure(model: &Model, trials: u64, threads: usize) -> Measure {
    let config = RunConfig {
        seed: 1,
        first_trial: 0,
        trials,
        threads,
    };
    let start = Instant::now();
    let tally = run_trials(model, &config, &|_| {}, &STOP);
    Measure {
        threads,
        trials,
        seconds: start.elapsed().as_secs_f64(),
        traversals: tally.traversals,
        peak_mb: peak_memory_mb(),
    }
}

/// Resets the kernel's record of this process's peak resident memory (Linux only).
fn reset_peak_memory() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// This process's peak resident memory since the last reset, from /proc (Linux only).
fn peak_memory_mb() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb / 1024.0)
}
