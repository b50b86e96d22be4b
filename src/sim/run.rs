//! Many trials, all cores: workers take fixed blocks of trial indices, simulate each trial
//! into a reused buffer, and add it to their own [`Tally`]; the tallies are merged at the
//! end. Tallies are exact (see `stats`), so the result is the same bit for bit whatever the
//! thread count or the order blocks finish in. Memory does not grow with the trial count.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::model::Model;
use super::outcome::{METRICS, STREAM_FIELDS, TrialOutcome};
use super::trial::{NoTrace, Scratch, simulate_trial};
use crate::stats::{ExactSum, Summary};

/// Trials per block: the unit of work a worker takes, and of progress and cancellation.
pub const BLOCK: u64 = 64;

/// The daily series of MODEL.md section 7, in `Tally::daily` order.
pub const DAILY: [&str; 3] = ["stock_litres", "delivered_litres", "price"];

/// Everything a run keeps of its trials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub trials: u64,
    pub horizon: u32,
    /// One per trial metric, in `METRICS` order.
    pub metrics: Vec<Summary>,
    /// Per stream, one per `STREAM_FIELDS` entry: `[stream * 6 + field]`.
    pub streams: Vec<ExactSum>,
    /// Per daily series and day: `[series * horizon + day]`.
    pub daily: Vec<Summary>,
    /// Per fleet stream and day, tankers alive: `[fleet * horizon + day]`.
    pub fleet_alive: Vec<Summary>,
    /// Per edge: total attacks and tankers destroyed over all trials.
    pub edge_attacks: Vec<u64>,
    pub edge_tankers_lost: Vec<u64>,
    /// Directed edges entered, over all trials.
    pub traversals: u64,
}

impl Tally {
    pub fn new(model: &Model) -> Tally {
        let h = model.horizon as usize;
        let fleets = model.streams.iter().filter(|s| s.fleet.is_some()).count();
        let edges = model.n_dedges() / 2;
        Tally {
            trials: 0,
            horizon: model.horizon,
            metrics: vec![Summary::default(); METRICS.len()],
            streams: vec![ExactSum::default(); model.streams.len() * STREAM_FIELDS.len()],
            daily: vec![Summary::default(); DAILY.len() * h],
            fleet_alive: vec![Summary::default(); fleets * h],
            edge_attacks: vec![0; edges],
            edge_tankers_lost: vec![0; edges],
            traversals: 0,
        }
    }

    pub fn add(&mut self, out: &TrialOutcome) {
        self.trials += 1;
        for (summary, x) in self.metrics.iter_mut().zip(out.metrics()) {
            summary.add(x);
        }
        for (s, stream) in out.streams.iter().enumerate() {
            for (f, x) in stream.values().into_iter().enumerate() {
                self.streams[s * STREAM_FIELDS.len() + f].add(x);
            }
        }
        let h = self.horizon as usize;
        for (series, values) in [&out.stock, &out.delivered, &out.price]
            .into_iter()
            .enumerate()
        {
            for (summary, &x) in self.daily[series * h..(series + 1) * h]
                .iter_mut()
                .zip(values)
            {
                summary.add(x);
            }
        }
        for (summary, &alive) in self.fleet_alive.iter_mut().zip(&out.fleet_daily) {
            summary.add(f64::from(alive));
        }
        for &(edge, lost) in &out.attacks {
            self.edge_attacks[edge as usize] += 1;
            self.edge_tankers_lost[edge as usize] += u64::from(lost);
        }
        self.traversals += out.traversals;
    }

    pub fn merge(&mut self, other: &Tally) {
        self.trials += other.trials;
        let pairs = [
            (&mut self.metrics, &other.metrics),
            (&mut self.daily, &other.daily),
            (&mut self.fleet_alive, &other.fleet_alive),
        ];
        for (mine, theirs) in pairs {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| a.merge(b));
        }
        self.streams
            .iter_mut()
            .zip(&other.streams)
            .for_each(|(a, b)| a.merge(b));
        self.edge_attacks
            .iter_mut()
            .zip(&other.edge_attacks)
            .for_each(|(a, b)| *a += b);
        self.edge_tankers_lost
            .iter_mut()
            .zip(&other.edge_tankers_lost)
            .for_each(|(a, b)| *a += b);
        self.traversals += other.traversals;
    }
}

/// Which trials to run, and how.
#[derive(Debug, Clone, Copy)]
pub struct RunConfig {
    pub seed: u64,
    /// Trials `first_trial .. first_trial + trials` are run.
    pub first_trial: u64,
    pub trials: u64,
    pub threads: usize,
}

/// Runs the trials of `config` on `config.threads` threads. `progress` is called with the
/// number of trials finished so far; setting `stop` makes the workers stop after the trial
/// in hand, and the tally then holds only the trials that finished.
pub fn run_trials(
    model: &Model,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> Tally {
    let blocks = config.trials.div_ceil(BLOCK);
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let worker = || {
        let mut tally = Tally::new(model);
        let mut scratch = Scratch::default();
        let mut out = TrialOutcome::new(model);
        loop {
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= blocks || stop.load(Ordering::Relaxed) {
                break;
            }
            let start = block * BLOCK;
            let mut end = (start + BLOCK).min(config.trials);
            for i in start..end {
                // A stop is seen within one trial, not one block: a block of a long
                // scenario can take seconds.
                if i > start && stop.load(Ordering::Relaxed) {
                    end = i;
                    break;
                }
                simulate_trial(
                    model,
                    config.seed,
                    config.first_trial + i,
                    &mut scratch,
                    &mut out,
                    &mut NoTrace,
                );
                tally.add(&out);
            }
            progress(done.fetch_add(end - start, Ordering::Relaxed) + end - start);
        }
        tally
    };
    let tallies: Vec<Tally> = if config.threads <= 1 {
        vec![worker()]
    } else {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(config.threads)
            .build()
            .expect("a thread pool can be built");
        pool.broadcast(|_| worker())
    };
    let mut total = Tally::new(model);
    for t in &tallies {
        total.merge(t);
    }
    total
}
