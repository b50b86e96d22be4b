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

/// Trials per block: the unit of work a worker takes, and of progress. A run of few trials
/// uses smaller blocks (see [`block_size`]); the result never depends on the size.
pub const BLOCK: u64 = 64;

/// The block size of a run: `BLOCK`, or less when there are too few trials to give every
/// thread eight blocks (slow trials of a large network), so that no thread sits idle at
/// the end.
pub fn block_size(trials: u64, threads: usize) -> u64 {
    (trials / (threads as u64 * 8)).clamp(1, BLOCK)
}

/// Trials a worker buffers before adding them to its tally (see [`TallyBuffer`]): 32 rows
/// of the default scenario (~160 KB) stay in a core's cache beside its tally; 16 re-touch
/// the summaries too often, 64 crowd the cache of the other worker (BENCHMARKS.md).
const TALLY_ROWS: usize = 32;

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

    /// Adds one trial (as [`TallyBuffer`] does for many; a test holds the two equal).
    pub fn add(&mut self, out: &TrialOutcome) {
        self.add_counts(out);
        for (summary, x) in self.metrics.iter_mut().zip(out.metrics()) {
            summary.add(x);
        }
        let daily = [&out.stock, &out.delivered, &out.price]
            .into_iter()
            .flatten();
        for (summary, &x) in self.daily.iter_mut().zip(daily) {
            summary.add(x);
        }
        for (summary, &alive) in self.fleet_alive.iter_mut().zip(&out.fleet_daily) {
            summary.add(f64::from(alive));
        }
    }

    /// What a trial adds besides its summary values: counts, stream sums, edge events.
    fn add_counts(&mut self, out: &TrialOutcome) {
        self.trials += 1;
        for (s, stream) in out.streams.iter().enumerate() {
            for (f, x) in stream.values().into_iter().enumerate() {
                self.streams[s * STREAM_FIELDS.len() + f].add(x);
            }
        }
        for &(edge, lost) in &out.attacks {
            self.edge_attacks[edge as usize] += 1;
            self.edge_tankers_lost[edge as usize] += u64::from(lost);
        }
        self.traversals += out.traversals;
    }

    /// Every summary a trial adds a value to, in the order of a [`TallyBuffer`] row.
    fn summaries_mut(&mut self) -> impl Iterator<Item = &mut Summary> {
        self.metrics
            .iter_mut()
            .chain(self.daily.iter_mut())
            .chain(self.fleet_alive.iter_mut())
    }

    /// The number of summaries a trial adds a value to.
    fn columns(&self) -> usize {
        self.metrics.len() + self.daily.len() + self.fleet_alive.len()
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

/// Trials on their way into a [`Tally`]. A trial adds a value to hundreds of summaries (one
/// per metric, per day of each daily series, per day of each fleet), each in its own memory;
/// buffering a block of trials and then feeding each summary its block of values at once
/// touches that memory once per block rather than once per trial. The tally is exact and
/// order-free, so this changes its speed, never its value.
pub struct TallyBuffer {
    width: usize,
    capacity: usize,
    rows: usize,
    /// Row-major: `values[row * width + column]`.
    values: Vec<f64>,
}

impl TallyBuffer {
    pub fn new(tally: &Tally, capacity: usize) -> TallyBuffer {
        let width = tally.columns();
        TallyBuffer {
            width,
            capacity,
            rows: 0,
            values: vec![0.0; width * capacity],
        }
    }

    /// Adds a trial's counts to `tally` and buffers its summary values, flushing when full.
    pub fn push(&mut self, tally: &mut Tally, out: &TrialOutcome) {
        tally.add_counts(out);
        // The metrics, then each daily series day by day, then each fleet day by day.
        let row = &mut self.values[self.rows * self.width..(self.rows + 1) * self.width];
        let (metrics, rest) = row.split_at_mut(METRICS.len());
        metrics.copy_from_slice(&out.metrics());
        let h = tally.horizon as usize;
        let (daily, fleets) = rest.split_at_mut(DAILY.len() * h);
        for (k, series) in [&out.stock, &out.delivered, &out.price]
            .into_iter()
            .enumerate()
        {
            daily[k * h..(k + 1) * h].copy_from_slice(series);
        }
        for (x, &alive) in fleets.iter_mut().zip(&out.fleet_daily) {
            *x = f64::from(alive);
        }
        self.rows += 1;
        if self.rows == self.capacity {
            self.flush(tally);
        }
    }

    /// Adds the buffered values to their summaries, one summary at a time.
    pub fn flush(&mut self, tally: &mut Tally) {
        for (column, summary) in tally.summaries_mut().enumerate() {
            for row in 0..self.rows {
                summary.add(self.values[row * self.width + column]);
            }
        }
        self.rows = 0;
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
    let block_len = block_size(config.trials, config.threads);
    let blocks = config.trials.div_ceil(block_len);
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let worker = || {
        let mut tally = Tally::new(model);
        let mut buffer = TallyBuffer::new(&tally, TALLY_ROWS);
        let mut scratch = Scratch::default();
        let mut out = TrialOutcome::new(model);
        loop {
            let block = next.fetch_add(1, Ordering::Relaxed);
            if block >= blocks || stop.load(Ordering::Relaxed) {
                break;
            }
            let start = block * block_len;
            let mut end = (start + block_len).min(config.trials);
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
                buffer.push(&mut tally, &out);
            }
            progress(done.fetch_add(end - start, Ordering::Relaxed) + end - start);
        }
        buffer.flush(&mut tally);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn buffered_and_direct_tallies_are_equal() {
        let model = Model::new(&Scenario::builtin_default());
        let (mut direct, mut buffered) = (Tally::new(&model), Tally::new(&model));
        let mut buffer = TallyBuffer::new(&buffered, 7);
        let (mut scratch, mut out) = (Scratch::default(), TrialOutcome::new(&model));
        for trial in 0..20 {
            simulate_trial(&model, 3, trial, &mut scratch, &mut out, &mut NoTrace);
            direct.add(&out);
            buffer.push(&mut buffered, &out);
        }
        buffer.flush(&mut buffered);
        assert_eq!(direct, buffered);
        assert!(
            direct.fleet_alive.iter().any(|s| s.sum.n == 20),
            "the default has fleets"
        );
    }
}
