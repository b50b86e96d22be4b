//! Many trials, all cores: workers take fixed blocks of trial indices, simulate each trial
//! into a reused buffer, and add it to their own [`Tally`]; the tallies are merged at the
//! end. Tallies are exact (see `stats`), so the result is the same bit for bit whatever the
//! thread count or the order blocks finish in. Memory does not grow with the trial count.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use serde::{Deserialize, Serialize};

use super::model::Model;
use super::outcome::{
    CLASS_FIELDS, DAILY, METRICS, SINK_FIELDS, STAGING_FIELDS, STREAM_FIELDS, TrialOutcome,
    tracked_classes,
};
use super::rows::{BlockSink, push_row};
use super::trial::{NoTrace, Scratch, simulate_trial};
use crate::stats::{DaySummary, ExactMean, Summary};

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
/// of the default scenario stay in a core's cache beside its tally (BENCHMARKS.md).
const TALLY_ROWS: usize = 32;

/// Everything a run keeps of its trials.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tally {
    pub trials: u64,
    pub horizon: u32,
    /// One per trial metric, in `METRICS` order.
    pub metrics: Vec<Summary>,
    /// Per sink, one per `SINK_FIELDS` entry: `[sink * 8 + field]`.
    pub sinks: Vec<ExactMean>,
    /// Per demand class (every sink's, sink after sink), one per `CLASS_FIELDS` entry.
    pub classes: Vec<ExactMean>,
    /// Per stream, one per `STREAM_FIELDS` entry: `[stream * 6 + field]`.
    pub streams: Vec<ExactMean>,
    /// Per staging point, one per `STAGING_FIELDS` entry: `[point * 5 + field]`.
    pub staging: Vec<ExactMean>,
    /// Per sink, daily series and day: `[(sink * 4 + series) * horizon + day]`.
    pub daily: Vec<DaySummary>,
    /// Per fleet stream and day, tankers alive: `[fleet * horizon + day]`.
    pub fleet_alive: Vec<DaySummary>,
    /// Per staging point and day, tankers waiting: `[point * horizon + day]`.
    pub queue: Vec<DaySummary>,
    /// Per staging point and day, escorted convoys that left: `[point * horizon + day]`.
    pub formed: Vec<ExactMean>,
    /// Per demand class of a sink with several classes (`outcome::daily_classes`) and day,
    /// its served share: `[class * horizon + day]`.
    pub class_served: Vec<ExactMean>,
    /// Per edge: total attacks and tankers destroyed over all trials.
    pub edge_attacks: Vec<u64>,
    pub edge_tankers_lost: Vec<u64>,
    /// Directed edges entered, over all trials.
    pub traversals: u64,
}

impl Tally {
    pub fn new(model: &Model) -> Tally {
        let h = model.horizon as usize;
        let classes: usize = model.sinks.iter().map(|s| s.classes.len()).sum();
        let edges = model.n_dedges() / 2;
        Tally {
            trials: 0,
            horizon: model.horizon,
            metrics: vec![Summary::default(); METRICS.len()],
            sinks: vec![ExactMean::default(); model.sinks.len() * SINK_FIELDS.len()],
            classes: vec![ExactMean::default(); classes * CLASS_FIELDS.len()],
            streams: vec![ExactMean::default(); model.streams.len() * STREAM_FIELDS.len()],
            staging: vec![ExactMean::default(); model.staging.len() * STAGING_FIELDS.len()],
            daily: vec![DaySummary::default(); model.sinks.len() * DAILY.len() * h],
            fleet_alive: vec![DaySummary::default(); model.fleets * h],
            queue: vec![DaySummary::default(); model.staging.len() * h],
            formed: vec![ExactMean::default(); model.staging.len() * h],
            class_served: vec![ExactMean::default(); tracked_classes(model) * h],
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
        for (summary, x) in self.day_summaries_mut().zip(day_values(out)) {
            summary.add(x);
        }
    }

    /// What a trial adds besides its summary values: counts, means, edge events.
    fn add_counts(&mut self, out: &TrialOutcome) {
        self.trials += 1;
        add_all(&mut self.sinks, out.sinks.iter().flat_map(|s| s.values()));
        add_all(
            &mut self.classes,
            out.classes.iter().flat_map(|c| c.values()),
        );
        add_all(
            &mut self.streams,
            out.streams.iter().flat_map(|s| s.values()),
        );
        add_all(
            &mut self.staging,
            out.staging.iter().flat_map(|s| s.values()),
        );
        add_all(
            &mut self.formed,
            out.formed_daily.iter().map(|&n| f64::from(n)),
        );
        add_all(&mut self.class_served, out.class_daily.iter().copied());
        for &(edge, lost) in &out.attacks {
            self.edge_attacks[edge as usize] += 1;
            self.edge_tankers_lost[edge as usize] += u64::from(lost);
        }
        self.traversals += out.traversals;
    }

    /// Every day summary a trial adds a value to, in the order of [`day_values`].
    fn day_summaries_mut(&mut self) -> impl Iterator<Item = &mut DaySummary> {
        self.daily
            .iter_mut()
            .chain(self.fleet_alive.iter_mut())
            .chain(self.queue.iter_mut())
    }

    /// Where `self` is not laid out as `empty`, a new tally of the same model, is: the name
    /// of the first table whose length differs. A damaged or swapped partial result is
    /// refused with it rather than merged or indexed past its end.
    pub fn layout_differs(&self, empty: &Tally) -> Option<&'static str> {
        let lengths = |t: &Tally| {
            [
                ("metrics", t.metrics.len()),
                ("sinks", t.sinks.len()),
                ("classes", t.classes.len()),
                ("streams", t.streams.len()),
                ("staging", t.staging.len()),
                ("daily", t.daily.len()),
                ("fleet_alive", t.fleet_alive.len()),
                ("queue", t.queue.len()),
                ("formed", t.formed.len()),
                ("class_served", t.class_served.len()),
                ("edge_attacks", t.edge_attacks.len()),
                ("edge_tankers_lost", t.edge_tankers_lost.len()),
            ]
        };
        if self.horizon != empty.horizon {
            return Some("horizon");
        }
        lengths(self)
            .into_iter()
            .zip(lengths(empty))
            .find(|(a, b)| a.1 != b.1)
            .map(|(a, _)| a.0)
    }

    pub fn merge(&mut self, other: &Tally) {
        self.trials += other.trials;
        self.metrics
            .iter_mut()
            .zip(&other.metrics)
            .for_each(|(a, b)| a.merge(b));
        let means = [
            (&mut self.sinks, &other.sinks),
            (&mut self.classes, &other.classes),
            (&mut self.streams, &other.streams),
            (&mut self.staging, &other.staging),
            (&mut self.formed, &other.formed),
            (&mut self.class_served, &other.class_served),
        ];
        for (mine, theirs) in means {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| a.merge(b));
        }
        let days = [
            (&mut self.daily, &other.daily),
            (&mut self.fleet_alive, &other.fleet_alive),
            (&mut self.queue, &other.queue),
        ];
        for (mine, theirs) in days {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| a.merge(b));
        }
        for (a, b) in [
            (&mut self.edge_attacks, &other.edge_attacks),
            (&mut self.edge_tankers_lost, &other.edge_tankers_lost),
        ] {
            a.iter_mut().zip(b).for_each(|(a, b)| *a += b);
        }
        self.traversals += other.traversals;
    }
}

fn add_all(sums: &mut [ExactMean], values: impl Iterator<Item = f64>) {
    for (sum, x) in sums.iter_mut().zip(values) {
        sum.add(x);
    }
}

/// A trial's daily values in the order of `Tally::day_summaries_mut`: every sink's series,
/// then the fleets' tankers alive, then the staging queues.
fn day_values(out: &TrialOutcome) -> impl Iterator<Item = f64> + '_ {
    out.daily
        .iter()
        .copied()
        .chain(out.fleet_daily.iter().map(|&a| f64::from(a)))
        .chain(out.queue_daily.iter().map(|&q| f64::from(q)))
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
        let width =
            tally.metrics.len() + tally.daily.len() + tally.fleet_alive.len() + tally.queue.len();
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
        let row = &mut self.values[self.rows * self.width..(self.rows + 1) * self.width];
        let (metrics, days) = row.split_at_mut(METRICS.len());
        metrics.copy_from_slice(&out.metrics());
        let (daily, rest) = days.split_at_mut(out.daily.len());
        daily.copy_from_slice(&out.daily);
        for (x, v) in rest.iter_mut().zip(
            out.fleet_daily
                .iter()
                .chain(&out.queue_daily)
                .map(|&a| f64::from(a)),
        ) {
            *x = v;
        }
        self.rows += 1;
        if self.rows == self.capacity {
            self.flush(tally);
        }
    }

    /// Adds the buffered values to their summaries, one summary at a time.
    pub fn flush(&mut self, tally: &mut Tally) {
        let m = tally.metrics.len();
        for (column, summary) in tally.metrics.iter_mut().enumerate() {
            for row in 0..self.rows {
                summary.add(self.values[row * self.width + column]);
            }
        }
        for (column, summary) in tally.day_summaries_mut().enumerate() {
            for row in 0..self.rows {
                summary.add(self.values[row * self.width + m + column]);
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
    run_trials_with_rows(model, config, progress, stop, None)
}

/// [`run_trials`], also handing every block's per-trial rows to `rows` (see `sim::rows`).
pub fn run_trials_with_rows(
    model: &Model,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
    rows: Option<&dyn BlockSink>,
) -> Tally {
    let stopped = || stop.load(Ordering::Relaxed) || rows.is_some_and(|r| r.failed());
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
            if block >= blocks || stopped() {
                break;
            }
            if let Some(r) = rows {
                r.wait_turn(block, stop);
            }
            let mut block_rows = Vec::new();
            let start = block * block_len;
            let mut end = (start + block_len).min(config.trials);
            for i in start..end {
                // A stop is seen within one trial, not one block: a block of a long
                // scenario can take seconds.
                if i > start && stopped() {
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
                if rows.is_some() {
                    push_row(&out, &mut block_rows);
                }
            }
            if let Some(r) = rows {
                r.deliver(block, block_rows);
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
