//! Decision analysis on top of the Monte Carlo core: compare scenarios (`compare`), rank
//! roads by what closing or securing them changes (`criticality`), and measure how a metric
//! responds to numeric inputs (`sweep`, addressed by `path`), plus runs that stop at a
//! requested precision (`precision`). `variant` builds the changed scenarios that sweeps run.
//!
//! Every comparison uses common random numbers: the variants of one analysis run inside one
//! loop over trial indices (`paired`), so trial i of every variant draws from the same
//! generators wherever the variants coincide, and each difference is the mean of per-trial
//! paired differences, kept in exact sums. Results therefore depend on (inputs, seed,
//! trials) only, never on the thread count. This module does no I/O; its results are plain
//! serde structs that `report::analysis` prints and writes and that charts can be drawn from.

pub mod compare;
pub mod criticality;
pub mod optimize;
pub mod paired;
pub mod path;
pub mod precision;
pub mod sweep;
pub mod variant;

use serde::{Deserialize, Serialize};

use crate::stats::ExactSum;

/// The mean of per-trial paired differences (variant minus reference) with its normal 95 %
/// confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Difference {
    pub mean: f64,
    /// Standard deviation of the per-trial differences.
    pub sd: f64,
    /// Half-width of the 95 % confidence interval of the mean.
    pub ci95: f64,
    pub low: f64,
    pub high: f64,
}

impl Difference {
    /// No difference at all: what two identical variants give.
    pub const ZERO: Difference = Difference {
        mean: 0.0,
        sd: 0.0,
        ci95: 0.0,
        low: 0.0,
        high: 0.0,
    };

    pub fn from_sum(sum: &ExactSum) -> Difference {
        let (mean, ci95) = (sum.mean(), sum.ci95());
        Difference {
            mean,
            sd: sum.sd(),
            ci95,
            low: mean - ci95,
            high: mean + ci95,
        }
    }
}

/// A metric's mean over the trials of one variant, with the 95 % confidence half-width of
/// that mean (not paired: the spread of the variant's own trials).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Mean {
    pub mean: f64,
    pub ci95: f64,
}

impl Mean {
    pub fn from_sum(sum: &ExactSum) -> Mean {
        Mean {
            mean: sum.mean(),
            ci95: sum.ci95(),
        }
    }
}
