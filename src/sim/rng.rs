//! The only place random generators are made. Every generator is a Xoshiro256++ seeded from
//! a hash of (seed, trial, what it is for), so a trial's draws depend on (seed, trial) alone:
//! not on the thread that runs it, nor on the trials before it. Giving each convoy
//! departure and each random-closure process its own generator also keeps the draws of one
//! part of a scenario fixed when another part changes (common random numbers).

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

pub type SimRng = Xoshiro256PlusPlus;

const DEPARTURE: u64 = 0x6465_7061_7274_7572; // "departur"
const CLOSURE: u64 = 0x636c_6f73_7572_6573; // "closures"

/// SplitMix64's finalizer: a bijective 64-bit mixer.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[inline]
fn derive(seed: u64, trial: u64, domain: u64, a: u64, b: u64) -> SimRng {
    let h = mix(mix(mix(mix(mix(seed) ^ trial) ^ domain) ^ a) ^ b);
    SimRng::seed_from_u64(h)
}

/// The generator of departure `k` of stream `stream` in trial `trial`: its attacks on the
/// way to the sink and, for a fleet, on the way back.
#[inline]
pub fn departure_rng(seed: u64, trial: u64, stream: usize, k: usize) -> SimRng {
    derive(seed, trial, DEPARTURE, stream as u64, k as u64)
}

/// The generator of random-closure process `process` (one entry on one edge) in a trial.
#[inline]
pub fn closure_rng(seed: u64, trial: u64, process: usize) -> SimRng {
    derive(seed, trial, CLOSURE, process as u64, 0)
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
        assert_eq!(
            departure_rng(1, 0, 0, 0).next_u64(),
            4_878_526_740_414_450_977
        );
        assert_eq!(closure_rng(1, 0, 0).next_u64(), 771_466_160_419_113_926);
        assert_eq!(
            uniform(&mut departure_rng(7, 3, 2, 1)),
            0.758_459_532_746_078_5
        );
        assert_ne!(
            departure_rng(1, 0, 0, 0).next_u64(),
            departure_rng(1, 1, 0, 0).next_u64()
        );
        assert_ne!(
            departure_rng(1, 0, 0, 1).next_u64(),
            departure_rng(1, 0, 1, 0).next_u64()
        );
        assert_ne!(
            departure_rng(1, 0, 0, 0).next_u64(),
            closure_rng(1, 0, 0).next_u64()
        );
    }

    #[test]
    fn exponential_has_the_right_mean() {
        let mut r = closure_rng(9, 9, 9);
        let n = 200_000;
        let mean = (0..n).map(|_| exponential(&mut r, 0.25)).sum::<f64>() / n as f64;
        assert!((mean - 4.0).abs() < 0.05, "{mean}");
    }
}
