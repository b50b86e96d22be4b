//! Many variants of a scenario, trial by trial: for each trial index every variant's model
//! is simulated with the same seed and index (common random numbers), and the outcomes of
//! that trial go to a [`PairedTally`] together. Workers take fixed blocks of trial indices
//! as `sim::run` does and keep their own tally; tallies must be exact (integer counts,
//! `ExactSum`, `Sketch`) so that merging them in any order gives the same bits.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use crate::sim::model::Model;
use crate::sim::outcome::TrialOutcome;
use crate::sim::run::{RunConfig, block_size};
use crate::sim::trial::{CACHE_BUDGET, Observer, Scratch, simulate_trial};

/// What a paired run keeps. It also observes every trial it is given (every variant's, in
/// variant order); most tallies ignore the events.
pub trait PairedTally: Observer + Send {
    /// The outcomes of one trial index, one per model, in model order.
    fn add(&mut self, outcomes: &[TrialOutcome]);
    /// Adds another worker's tally. Must be exact: the result may not depend on the order.
    fn merge(&mut self, other: &Self);
}

/// Runs trials `config.first_trial ..` of every model, pairing them by trial index. `tally`
/// makes an empty tally (one per worker, and the total). `progress` gets the trial indices
/// done so far; `stop` ends the run after the trial index in hand (the tally then holds
/// only the trials that finished, and its trial count says so).
pub fn run_paired<T: PairedTally>(
    models: &[Model],
    config: &RunConfig,
    tally: &(dyn Fn() -> T + Sync),
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> (T, u64) {
    let block_len = block_size(config.trials, config.threads);
    let blocks = config.trials.div_ceil(block_len);
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let worker = || {
        let mut mine = tally();
        // The models share a worker's cache budget, so that many variants cost no more memory
        // than one run.
        let budget = CACHE_BUDGET / models.len().max(1);
        let mut scratch: Vec<Scratch> = models
            .iter()
            .map(|_| Scratch::with_budget(budget))
            .collect();
        let mut outs: Vec<TrialOutcome> = models.iter().map(TrialOutcome::new).collect();
        let mut trials = 0;
        loop {
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= blocks || stop.load(Ordering::Relaxed) {
                break;
            }
            let start = block * block_len;
            let mut end = (start + block_len).min(config.trials);
            for i in start..end {
                // A stop is seen within one trial index, not one block: a block of many
                // variants can take seconds.
                if i > start && stop.load(Ordering::Relaxed) {
                    end = i;
                    break;
                }
                for ((model, scratch), out) in models.iter().zip(&mut scratch).zip(&mut outs) {
                    let trial = config.first_trial + i;
                    simulate_trial(model, config.seed, trial, scratch, out, &mut mine);
                }
                mine.add(&outs);
            }
            trials += end - start;
            progress(done.fetch_add(end - start, Ordering::Relaxed) + end - start);
        }
        (mine, trials)
    };
    let parts: Vec<(T, u64)> = if config.threads <= 1 {
        vec![worker()]
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.threads)
            .build()
            .expect("a thread pool can be built");
        pool.broadcast(|_| worker())
    };
    let mut total = tally();
    let mut trials = 0;
    for (part, n) in &parts {
        total.merge(part);
        trials += n;
    }
    (total, trials)
}
