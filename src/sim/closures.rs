//! Random closures within one trial (MODEL.md section 5). Each process (one
//! `[[random_closure]]` entry on one edge) is drawn from its own generator at the start of a
//! trial, as a bitset of closed days, and the processes that can close a (directed edge,
//! class) slot are merged into that slot's bitset. A trip then asks one bit per edge and day.
//! A trial's closures are a property of the trial, the same whichever convoy asks first.

use super::model::{Class, Model, NONE};
use super::rng::{TrialKey, exponential, uniform};

#[derive(Debug, Default)]
pub struct ClosureState {
    /// Words of 64 days per bitset.
    words: usize,
    /// Per process, its closed days.
    process_bits: Vec<u64>,
    /// Per slot, the days some process closes it.
    slot_bits: Vec<u64>,
}

impl ClosureState {
    /// Draws every process of trial `key` and merges them into their slots.
    pub fn begin(&mut self, model: &Model, key: TrialKey) {
        if !model.has_random_closures() {
            return;
        }
        self.words = (model.horizon as usize).div_ceil(64);
        let w = self.words;
        self.process_bits.clear();
        self.process_bits.resize(model.processes.len() * w, 0);
        for p in 0..model.processes.len() {
            draw(model, key, p, &mut self.process_bits[p * w..(p + 1) * w]);
        }
        self.slot_bits.clear();
        self.slot_bits.resize(model.slot_dedge.len() * w, 0);
        for slot in 0..model.slot_dedge.len() {
            let range = model.slot_start[slot] as usize..model.slot_start[slot + 1] as usize;
            for &p in &model.slot_processes[range] {
                for i in 0..w {
                    self.slot_bits[slot * w + i] |= self.process_bits[p as usize * w + i];
                }
            }
        }
    }

    /// Whether slot `slot` is closed on `day`.
    #[inline]
    pub fn slot_closed(&self, slot: u32, day: u32) -> bool {
        self.slot_bits[slot as usize * self.words + day as usize / 64] >> (day % 64) & 1 == 1
    }

    /// Whether a random closure that applies to `class` closes `dedge` on `day`.
    #[inline]
    pub fn closed(&self, model: &Model, dedge: u32, class: Class, day: u32) -> bool {
        let slot = model.closable(dedge, class);
        slot != NONE && self.slot_closed(slot, day)
    }

    /// The first day after `day` on which `dedge` is open again to `class`, if a random
    /// closure closes it on `day`; `u32::MAX` if none does. The day may be past the horizon.
    pub fn next_opening(&self, model: &Model, dedge: u32, class: Class, day: u32) -> u32 {
        match model.closable(dedge, class) {
            NONE => u32::MAX,
            slot => self.slot_opening(slot, day),
        }
    }

    /// The first day after `day` on which slot `slot` is open, if it is closed on `day`;
    /// `u32::MAX` if it is open.
    pub fn slot_opening(&self, slot: u32, day: u32) -> u32 {
        if !self.slot_closed(slot, day) {
            return u32::MAX;
        }
        let bits = &self.slot_bits[slot as usize * self.words..(slot as usize + 1) * self.words];
        let mut d = day + 1;
        loop {
            let (w, b) = (d as usize / 64, d % 64);
            if w >= bits.len() {
                return d;
            }
            let open = !bits[w] >> b;
            if open != 0 {
                return d + open.trailing_zeros();
            }
            d = (w as u32 + 1) * 64;
        }
    }
}

/// Draws process `p` into `bits`: on each free day a closure starts with probability
/// 1 - exp(-per_day), i.e. the gap to the next start is floor(Exponential(per_day)); it lasts
/// max(1, ceil(Exponential(mean_days))) days, cut at the entry's `to_day`.
fn draw(model: &Model, key: TrialKey, p: usize, bits: &mut [u64]) {
    let process = &model.processes[p];
    if process.per_day <= 0.0 {
        return;
    }
    let mut rng = key.closure(p);
    let (mut day, end) = (u64::from(process.from_day), u64::from(process.to_day));
    while day < end {
        let gap = exponential(&mut rng, process.per_day).floor();
        if gap >= (end - day) as f64 {
            break;
        }
        day += gap as u64;
        let x = -(1.0 - uniform(&mut rng)).ln() * process.mean_days;
        let length = x.ceil().clamp(1.0, (end - day) as f64) as u64;
        for d in day..day + length {
            bits[d as usize / 64] |= 1 << (d % 64);
        }
        day += length;
    }
}
