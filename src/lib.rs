//! `corridor`: a Monte Carlo simulator of fuel supply by road convoy under attack and road
//! closures. See ARCHITECTURE.md for the map of this crate and its invariants, and
//! MODEL.md (docs/MODEL.md) for the exact rules of one trial.

pub mod analysis;
pub mod builtin;
pub mod calendar;
pub mod cli;
pub mod commands;
pub mod error;
pub mod import;
pub mod input_file;
pub mod limits;
pub mod names;
pub mod network;
pub mod output;
pub mod per_trial;
pub mod price;
pub mod readback;
pub mod report;
pub mod scenario;
pub mod scheduler;
pub mod shard;
pub mod sim;
pub mod source;
pub mod stats;
pub mod synthetic;

pub use error::{Error, InputError, Result};
pub use scenario::Scenario;

use std::sync::atomic::AtomicBool;

/// Runs `trials` trials of a scenario (trial indices 0..trials) and finishes the results:
/// the library's one-call entry point, used by the tests and the benchmarks.
pub fn simulate(scenario: &Scenario, seed: u64, trials: u64, threads: usize) -> report::RunResults {
    let model = sim::model::Model::new(scenario);
    let config = sim::run::RunConfig {
        seed,
        first_trial: 0,
        trials,
        threads,
    };
    let tally = sim::run::run_trials(&model, &config, &|_| {}, &AtomicBool::new(false));
    report::RunResults::finish(scenario, &tally, seed, trials)
}
