//! Random closures within one trial (MODEL.md section 5). Each process (one
//! `[[random_closure]]` entry on one edge) is drawn from its own generator the first time a
//! convoy or a route plan asks about it, as a bitset of closed days. Drawing on demand keeps
//! the cost proportional to the edges convoys actually meet, and the result does not depend
//! on which convoy asked first.

use super::model::{Class, Model};
use super::rng::{closure_rng, exponential, uniform};

#[derive(Debug, Default)]
pub struct ClosureState {
    seed: u64,
    trial: u64,
    /// Words of 64 days per process.
    words: usize,
    /// `generation` when the process was drawn for the current trial.
    drawn: Vec<u64>,
    generation: u64,
    bits: Vec<u64>,
}

impl ClosureState {
    /// Forgets the previous trial's draws (in O(1): by generation count).
    pub fn begin(&mut self, model: &Model, seed: u64, trial: u64) {
        self.seed = seed;
        self.trial = trial;
        self.generation += 1;
        self.words = (model.horizon as usize).div_ceil(64);
        let n = model.processes.len();
        if self.drawn.len() != n {
            self.drawn = vec![0; n];
            self.bits = vec![0; n * self.words];
        }
    }

    /// Whether a random closure that applies to `class` closes `dedge` on `day`.
    #[inline]
    pub fn closed(&mut self, model: &Model, dedge: u32, class: Class, day: u32) -> bool {
        let (word, bit) = (day as usize / 64, day % 64);
        for &p in model.processes_for(dedge, class) {
            let p = p as usize;
            if self.drawn[p] != self.generation {
                self.draw(model, p);
            }
            if self.bits[p * self.words + word] >> bit & 1 == 1 {
                return true;
            }
        }
        false
    }

    /// Draws process `p`: on each free day a closure starts with probability
    /// 1 - exp(-per_day), i.e. the gap to the next start is floor(Exponential(per_day));
    /// it lasts max(1, ceil(Exponential(mean_days))) days, cut at the entry's `to_day`.
    fn draw(&mut self, model: &Model, p: usize) {
        let process = &model.processes[p];
        let bits = &mut self.bits[p * self.words..(p + 1) * self.words];
        bits.fill(0);
        self.drawn[p] = self.generation;
        if process.per_day <= 0.0 {
            return;
        }
        let mut rng = closure_rng(self.seed, self.trial, p);
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
}
