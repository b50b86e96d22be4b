//! Runs that stop at a requested precision: blocks of [`STEP`] trials are added until the
//! 95 % confidence half-width of mean delivered litres is at most a given share of the mean.
//! The check happens only between steps and reads only the exact tally, so where a run
//! stops depends on (scenario, seed, precision) alone, not on the thread count.

use std::sync::atomic::AtomicBool;

use crate::sim::model::Model;
use crate::sim::outcome::metric_index;
use crate::sim::run::{BLOCK, RunConfig, Tally, run_trials};

/// Trials between two checks: 16 blocks, so that every thread stays busy up to the check.
pub const STEP: u64 = 16 * BLOCK;

/// The most trials a precision run does unless told otherwise.
pub const DEFAULT_MAX_TRIALS: u64 = 1_000_000;

/// How a precision run ended.
#[derive(Debug, Clone)]
pub struct PrecisionRun {
    pub tally: Tally,
    /// The 95 % half-width of mean delivered litres, as a share of that mean (0 when the
    /// half-width is 0, infinite when only the mean is).
    pub achieved: f64,
    /// The precision was reached (rather than the cap, or a stop).
    pub reached: bool,
}

/// Adds steps of trials from trial 0 until `precision` is reached or `max_trials` are done.
/// `progress` gets the trials done so far.
pub fn run_to_precision(
    model: &Model,
    seed: u64,
    precision: f64,
    max_trials: u64,
    threads: usize,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> PrecisionRun {
    let delivered = metric_index("delivered_litres").expect("a MODEL.md metric");
    let mut tally = Tally::new(model);
    loop {
        let done = tally.trials;
        let config = RunConfig {
            seed,
            first_trial: done,
            trials: STEP.min(max_trials - done),
            threads,
        };
        let part = run_trials(model, &config, &|n| progress(done + n), stop);
        let finished = part.trials == config.trials;
        tally.merge(&part);
        let sum = &tally.metrics[delivered].sum;
        let (half, mean) = (sum.ci95(), sum.mean().abs());
        let achieved = if half == 0.0 { 0.0 } else { half / mean };
        // One trial says nothing about the spread.
        let reached = finished && tally.trials >= 2 && achieved <= precision;
        if reached || !finished || tally.trials >= max_trials {
            return PrecisionRun {
                tally,
                achieved,
                reached,
            };
        }
    }
}
