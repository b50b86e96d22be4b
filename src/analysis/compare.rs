//! `corridor compare`: scenarios side by side, and each one against the first by the paired
//! difference of every trial metric (MODEL.md section 7), with the share of trials in which
//! it is higher, equal or lower.

use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::Difference;
use super::paired::{PairedTally, run_paired};
use crate::report::RunResults;
use crate::scenario::Scenario;
use crate::sim::model::Model;
use crate::sim::outcome::{METRICS, TrialOutcome};
use crate::sim::run::{RunConfig, Tally};
use crate::sim::trial::Observer;
use crate::stats::{ExactSum, Stat};

/// One scenario's value of one metric, and how it differs from the first scenario's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareRow {
    pub scenario: String,
    pub metric: String,
    /// Over this scenario's own trials: mean, sd and percentiles.
    pub stat: Stat,
    /// Against the first scenario (None for the first itself).
    pub vs_first: Option<Versus>,
}

/// A metric of one scenario against the first, trial by trial.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Versus {
    /// This scenario minus the first, paired by trial.
    pub difference: Difference,
    /// Shares of trials in which this scenario's value is greater than, equal to, and less
    /// than the first's. A tie is neither greater nor less.
    pub share_greater: f64,
    pub share_equal: f64,
    pub share_less: f64,
}

/// Everything `corridor compare` reports: the table (`rows`, scenario by scenario, each with
/// every metric in MODEL.md order) and each scenario's full run results (`runs`, for the
/// overlaid delivered-fuel distributions and stock fan charts).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompareResults {
    pub scenarios: Vec<String>,
    pub files: Vec<String>,
    pub trials: u64,
    /// Fewer trials than asked for: the analysis was interrupted. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    pub seed: u64,
    pub rows: Vec<CompareRow>,
    pub runs: Vec<RunResults>,
}

impl CompareResults {
    /// The row of a scenario (by position) and metric.
    pub fn row(&self, scenario: usize, metric: &str) -> &CompareRow {
        let m = METRICS
            .iter()
            .position(|x| *x == metric)
            .expect("a MODEL.md metric");
        &self.rows[scenario * METRICS.len() + m]
    }
}

/// Per scenario a run tally; per later scenario and metric the paired differences and the
/// counts of trials above and at the first scenario's value.
struct CompareTally {
    runs: Vec<Tally>,
    diffs: Vec<ExactSum>,
    greater: Vec<u64>,
    equal: Vec<u64>,
}

impl Observer for CompareTally {}

impl PairedTally for CompareTally {
    fn add(&mut self, outcomes: &[TrialOutcome]) {
        let first = outcomes[0].metrics();
        for (v, out) in outcomes.iter().enumerate() {
            self.runs[v].add(out);
            if v == 0 {
                continue;
            }
            for (m, x) in out.metrics().into_iter().enumerate() {
                let k = (v - 1) * METRICS.len() + m;
                self.diffs[k].add(x - first[m]);
                self.greater[k] += u64::from(x > first[m]);
                self.equal[k] += u64::from(x == first[m]);
            }
        }
    }

    fn merge(&mut self, other: &Self) {
        self.runs
            .iter_mut()
            .zip(&other.runs)
            .for_each(|(a, b)| a.merge(b));
        self.diffs
            .iter_mut()
            .zip(&other.diffs)
            .for_each(|(a, b)| a.merge(b));
        for (mine, theirs) in [
            (&mut self.greater, &other.greater),
            (&mut self.equal, &other.equal),
        ] {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
    }
}

/// Runs every scenario on the trials of `config` and compares each with the first. The
/// results hold fewer trials than asked for when `stop` was set.
pub fn compare(
    scenarios: &[(Scenario, String)],
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> CompareResults {
    let models: Vec<Model> = scenarios.iter().map(|(s, _)| Model::new(s)).collect();
    let later = (scenarios.len() - 1) * METRICS.len();
    let empty = || CompareTally {
        runs: models.iter().map(Tally::new).collect(),
        diffs: vec![ExactSum::default(); later],
        greater: vec![0; later],
        equal: vec![0; later],
    };
    let (tally, trials) = run_paired(&models, config, &empty, progress, stop);
    let n = trials.max(1) as f64;
    let mut rows = Vec::new();
    for (v, (scenario, _)) in scenarios.iter().enumerate() {
        for (m, metric) in METRICS.iter().enumerate() {
            let vs_first = (v > 0).then(|| {
                let k = (v - 1) * METRICS.len() + m;
                let (greater, equal) = (tally.greater[k], tally.equal[k]);
                Versus {
                    difference: Difference::from_sum(&tally.diffs[k]),
                    share_greater: greater as f64 / n,
                    share_equal: equal as f64 / n,
                    share_less: (trials - greater - equal) as f64 / n,
                }
            });
            rows.push(CompareRow {
                scenario: scenario.name.clone(),
                metric: metric.to_string(),
                stat: tally.runs[v].metrics[m].stat(),
                vs_first,
            });
        }
    }
    let runs = scenarios
        .iter()
        .zip(&tally.runs)
        .map(|((s, _), t)| RunResults::finish(s, t, config.seed, config.trials))
        .collect();
    CompareResults {
        scenarios: scenarios.iter().map(|(s, _)| s.name.clone()).collect(),
        files: scenarios.iter().map(|(_, f)| f.clone()).collect(),
        trials,
        interrupted: trials < config.trials,
        seed: config.seed,
        rows,
        runs,
    }
}
