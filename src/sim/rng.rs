//! The only place random generators are made. A trial's generators are keyed by (seed,
//! trial) and by what they are for: a convoy departure, a random-closure process, an escorted
//! convoy formed at a staging point. Each is SplitMix64 (Steele, Lea and Flood, 2014), a
//! counter-based generator: its state is a 64-bit key and each draw is a bijective hash of
//! the key plus a counter. Making one costs two hashes, not a seeding routine, which matters
//! when a trial starts hundreds of them. A trial's draws depend on (seed, trial) alone: not on
//! the thread that runs it, nor on the trials before it, nor on the order its convoys are
//! processed in. Giving each departure and each closure process its own generator also keeps
//! the draws of one part of a scenario fixed when another part changes (common random
//! numbers).

use rand::{Rng, SeedableRng};
use rand_xoshiro::SplitMix64;

pub type SimRng = SplitMix64;

const DEPARTURE: u64 = 0x6465_7061_7274_7572; // "departur"
const CLOSURE: u64 = 0x636c_6f73_7572_6573; // "closures"
const ESCORTED: u64 = 0x6573_636f_7274_6564; // "escorted"

/// SplitMix64's finalizer: a bijective 64-bit mixer.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The key of trial `trial` of a run with seed `seed`, from which every generator of the
/// trial is derived. Computed once per trial.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TrialKey(u64);

impl TrialKey {
    #[inline]
    pub fn new(seed: u64, trial: u64) -> TrialKey {
        TrialKey(mix(mix(seed) ^ trial))
    }

    /// `what` packs two indices below 2^32 each, so distinct (domain, a, b) give distinct
    /// inputs to the inner mix for every index validation allows.
    #[inline]
    fn derive(self, domain: u64, a: usize, b: usize) -> SimRng {
        debug_assert!(a < 1 << 32 && b < 1 << 32);
        let what = domain ^ ((a as u64) << 32 | b as u64);
        SimRng::seed_from_u64(mix(self.0 ^ mix(what)))
    }

    /// The generator of departure `k` of stream `stream`: its attacks on the way to the
    /// sink (or the staging point) and, for a fleet, on the way back.
    #[inline]
    pub fn departure(self, stream: usize, k: usize) -> SimRng {
        self.derive(DEPARTURE, stream, k)
    }

    /// The generator of random-closure process `process` (one entry on one edge).
    #[inline]
    pub fn closure(self, process: usize) -> SimRng {
        self.derive(CLOSURE, process, 0)
    }

    /// The generator of the `k`-th escorted convoy formed at staging point `point`: its
    /// attacks, how their losses fall on its tankers, and its fleets' trips home.
    #[inline]
    pub fn escorted(self, point: usize, k: usize) -> SimRng {
        self.derive(ESCORTED, point, k)
    }
}

/// A uniform draw in [0, 1) with 53 random bits.
#[inline]
pub fn uniform(rng: &mut SimRng) -> f64 {
    (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// An exponential draw with the given rate (mean 1 / rate), by inversion.
#[inline]
pub fn exponential(rng: &mut SimRng, rate: f64) -> f64 {
    -(1.0 - uniform(rng)).ln() / rate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generators_are_pinned() {
        // Pinned values: if these change, every published result changes with them.
        let key = TrialKey::new(1, 0);
        assert_eq!(key.departure(0, 0).next_u64(), 7_487_658_848_773_329_136);
        assert_eq!(key.closure(0).next_u64(), 6_654_908_745_055_130_207);
        assert_eq!(key.escorted(0, 0).next_u64(), 3_386_081_847_415_902_034);
        assert_eq!(
            uniform(&mut TrialKey::new(7, 3).departure(2, 1)),
            0.415_433_624_059_686_4
        );
    }

    #[test]
    fn generators_differ_by_trial_purpose_and_index() {
        let first = |rng: SimRng| rng.clone().next_u64();
        let key = TrialKey::new(1, 0);
        let draws = [
            first(key.departure(0, 0)),
            first(TrialKey::new(1, 1).departure(0, 0)),
            first(TrialKey::new(2, 0).departure(0, 0)),
            first(key.departure(0, 1)),
            first(key.departure(1, 0)),
            first(key.closure(0)),
            first(key.closure(1)),
            first(key.escorted(0, 0)),
            first(key.escorted(0, 1)),
        ];
        for (i, a) in draws.iter().enumerate() {
            for b in &draws[i + 1..] {
                assert_ne!(a, b);
            }
        }
    }

    #[test]
    fn uniforms_and_exponentials_have_the_right_moments() {
        let mut r = TrialKey::new(9, 9).closure(9);
        let n = 200_000;
        let mean = (0..n).map(|_| exponential(&mut r, 0.25)).sum::<f64>() / n as f64;
        assert!((mean - 4.0).abs() < 0.05, "{mean}");
        let u: Vec<f64> = (0..n).map(|_| uniform(&mut r)).collect();
        let m = u.iter().sum::<f64>() / n as f64;
        let v = u.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        assert!(
            (m - 0.5).abs() < 0.005 && (v - 1.0 / 12.0).abs() < 0.002,
            "{m} {v}"
        );
    }
}
