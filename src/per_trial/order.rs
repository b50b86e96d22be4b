//! Blocks of rows, finished by the workers in any order, written in trial order. A block
//! that arrives before its turn waits in a small map; a worker may not start a block more
//! than `window` blocks past the oldest unwritten one, so the map never holds more than
//! `window` blocks however long one trial takes. Rows are gathered into groups of
//! `group_rows` trials aligned on the run's trial indices (group g holds trials
//! g × group_rows ..), so the groups, and the bytes written, are the same whatever the
//! thread count, the block size or the shard a trial ran in.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::Duration;

use super::formats::RowWriter;
use crate::sim::rows::BlockSink;

/// Trials per group (a Parquet row group): about two million numbers, 16 MB held while
/// the group fills, at most 65,536 trials. Larger groups mean fewer of them, and a Parquet
/// writer keeps about a kilobyte per column of every group until it writes the footer
/// (BENCHMARKS.md). It depends on the row width alone, never on the run.
pub fn group_rows(width: usize) -> u64 {
    ((1u64 << 21) / (width as u64 + 1)).clamp(64, 1 << 16)
}

/// Rows in trial order, gathered into groups aligned on the trial index and written.
pub struct Groups {
    width: usize,
    group_rows: u64,
    /// The rows of the group being gathered, and the trial index of the next row.
    group: Vec<f64>,
    next_trial: u64,
    writer: Box<dyn RowWriter>,
}

impl Groups {
    /// Groups of `width`-number rows, the first of trial `first_trial`, for `writer`.
    pub fn new(writer: Box<dyn RowWriter>, width: usize, first_trial: u64) -> Groups {
        Groups {
            width,
            group_rows: group_rows(width),
            group: Vec::new(),
            next_trial: first_trial,
            writer,
        }
    }

    /// The trial index the next row will have.
    pub fn next_trial(&self) -> u64 {
        self.next_trial
    }

    /// Adds the rows of the next trials, writing each group as it fills.
    pub fn push(&mut self, rows: &[f64]) -> std::io::Result<()> {
        for row in rows.chunks_exact(self.width) {
            self.group.extend_from_slice(row);
            self.next_trial += 1;
            if self.next_trial.is_multiple_of(self.group_rows) {
                self.write()?;
            }
        }
        Ok(())
    }

    fn write(&mut self) -> std::io::Result<()> {
        let first = self.next_trial - (self.group.len() / self.width) as u64;
        self.writer.write_group(first, &self.group)?;
        self.group.clear();
        Ok(())
    }

    /// Writes the last group and ends the file.
    pub fn finish(mut self) -> std::io::Result<()> {
        if !self.group.is_empty() {
            self.write()?;
        }
        self.writer.finish()
    }
}

struct State {
    next_block: u64,
    pending: BTreeMap<u64, Vec<f64>>,
    groups: Groups,
    /// A block came short (a stop): the rows are incomplete and nothing more is written.
    short: bool,
    error: Option<std::io::Error>,
}

pub struct OrderedRows {
    width: usize,
    /// The run's first trial index, its trials, and trials per block.
    first_trial: u64,
    trials: u64,
    block_len: u64,
    window: u64,
    state: Mutex<State>,
    turn: Condvar,
    failed: AtomicBool,
}

impl OrderedRows {
    pub fn new(
        writer: Box<dyn RowWriter>,
        width: usize,
        (first_trial, trials): (u64, u64),
        block_len: u64,
        threads: usize,
    ) -> OrderedRows {
        OrderedRows {
            width,
            first_trial,
            trials,
            block_len,
            window: 4 * threads as u64 + 4,
            state: Mutex::new(State {
                next_block: 0,
                pending: BTreeMap::new(),
                groups: Groups::new(writer, width, first_trial),
                short: false,
                error: None,
            }),
            turn: Condvar::new(),
            failed: AtomicBool::new(false),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Writes the last group and ends the file. `Ok(false)`: some trials were missing (a
    /// stop), and the file must be thrown away.
    pub fn finish(self) -> std::io::Result<bool> {
        let mut state = self.state.into_inner().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = state.error.take() {
            return Err(e);
        }
        if state.short
            || !state.pending.is_empty()
            || state.groups.next_trial() != self.first_trial + self.trials
        {
            return Ok(false);
        }
        state.groups.finish()?;
        Ok(true)
    }

    /// Takes the rows of blocks that are next in turn into groups, writing each group as
    /// it fills.
    fn drain(&self, state: &mut State) {
        while let Some(rows) = state.pending.remove(&state.next_block) {
            state.next_block += 1;
            if state.short || state.error.is_some() {
                continue;
            }
            let b = state.next_block - 1;
            let expected = self.block_len.min(self.trials - b * self.block_len);
            if (rows.len() / self.width) as u64 != expected {
                // Cut short by a stop: whatever came after would sit at the wrong indices.
                state.short = true;
                continue;
            }
            if let Err(e) = state.groups.push(&rows) {
                state.error = Some(e);
                self.failed.store(true, Ordering::Relaxed);
            }
        }
    }
}

impl BlockSink for OrderedRows {
    fn wait_turn(&self, block: u64, stop: &AtomicBool) {
        let mut state = self.lock();
        while block >= state.next_block + self.window
            && !stop.load(Ordering::Relaxed)
            && !self.failed()
        {
            state = self
                .turn
                .wait_timeout(state, Duration::from_millis(50))
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    fn deliver(&self, block: u64, rows: Vec<f64>) {
        let mut state = self.lock();
        state.pending.insert(block, rows);
        self.drain(&mut state);
        drop(state);
        self.turn.notify_all();
    }

    fn failed(&self) -> bool {
        self.failed.load(Ordering::Relaxed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The groups written: (first trial, rows).
    type Written = Vec<(u64, Vec<f64>)>;

    struct Kept(Arc<Mutex<Written>>);

    impl RowWriter for Kept {
        fn write_group(&mut self, first: u64, rows: &[f64]) -> std::io::Result<()> {
            self.0.lock().unwrap().push((first, rows.to_vec()));
            Ok(())
        }
        fn finish(self: Box<Self>) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// Blocks of 3 trials of width 1 (each row its trial index), run from trial `first`.
    fn deliver_in(order: &[u64], first: u64, trials: u64) -> (bool, Written) {
        let kept = Arc::new(Mutex::new(Vec::new()));
        let rows = OrderedRows::new(Box::new(Kept(kept.clone())), 1, (first, trials), 3, 2);
        for &b in order {
            let start = first + b * 3;
            let end = (start + 3).min(first + trials);
            rows.deliver(b, (start..end).map(|t| t as f64).collect());
        }
        let complete = rows.finish().unwrap();
        let groups = kept.lock().unwrap().clone();
        (complete, groups)
    }

    #[test]
    fn blocks_in_any_order_are_written_in_trial_order_in_aligned_groups() {
        let g = group_rows(1);
        let trials = g + 10;
        let blocks = trials.div_ceil(3);
        let forward: Vec<u64> = (0..blocks).collect();
        let backward: Vec<u64> = (0..blocks).rev().collect();
        let (complete, a) = deliver_in(&forward, 0, trials);
        assert!(complete);
        assert_eq!(a, deliver_in(&backward, 0, trials).1);
        assert_eq!(a.iter().map(|x| x.0).collect::<Vec<_>>(), [0, g]);
        let all: Vec<f64> = a.iter().flat_map(|x| x.1.clone()).collect();
        assert_eq!(all, (0..trials).map(|t| t as f64).collect::<Vec<_>>());
        // A shard starting mid-group fills the rest of that group first.
        let (_, b) = deliver_in(&(0..4).collect::<Vec<_>>(), g - 5, 12);
        assert_eq!(
            b.iter().map(|x| (x.0, x.1.len())).collect::<Vec<_>>(),
            [(g - 5, 5), (g, 7)]
        );
        // A block missing (a stop) leaves the file incomplete.
        let (complete, _) = deliver_in(&forward[1..], 0, trials);
        assert!(!complete);
    }
}
