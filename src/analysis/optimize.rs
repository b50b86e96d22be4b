//! `corridor optimize`: the best way to share escort units among staging points (crossed
//! with other inputs), chosen by Kim and Nelson's fully sequential procedure on common
//! random numbers (docs/DECISIONS.md, "corridor optimize").
//!
//! Kim, S.-H. and Nelson, B. L. (2001), "A fully sequential procedure for
//! indifference-zone selection in simulation", ACM TOMACS 11(3), 251-273. One observation
//! of a candidate is the mean of its metric over a batch of trials; batch b of every
//! candidate runs trials b·B .. (b+1)·B with the same generators, so the candidates'
//! differences are paired. After `first` batches each pair's variance of differences is
//! fixed; then every survivor gets one more batch at a time, and a candidate whose running
//! mean falls behind another's by more than the triangular continuation region is dropped.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use super::path::{FieldPath, Setting};
use super::variant::WrittenScenario;
use crate::error::InputError;
use crate::scenario::Scenario;
use crate::sim::model::Model;
use crate::sim::outcome::TrialOutcome;
use crate::sim::trial::{CACHE_BUDGET, Scratch, simulate_trial};
use crate::sim::trip::NoTrace;

/// The most candidates a search takes: each is built, validated and run before the first
/// is dropped.
pub const MAX_CANDIDATES: usize = 2_000;

/// One way to share the units, with the `--set` values it is crossed with.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    /// Units per searched staging point, in the order of `OptimizeResults::points`.
    pub units: Vec<u32>,
    /// `--set` values, in the order of `OptimizeResults::inputs`.
    pub values: Vec<f64>,
    /// Batches run.
    pub batches: u64,
    /// The metric's mean over its trials (in the metric's own unit, whatever the direction).
    pub mean: f64,
    /// Half-width of its 95 % confidence interval (over batch means).
    pub ci95: f64,
    /// Its mean minus the chosen candidate's over their common batches, and half-width.
    pub difference: f64,
    pub difference_ci95: f64,
    /// The batch after which it was dropped; `None` for a survivor.
    pub dropped_after: Option<u64>,
}

impl Candidate {
    /// "zegoua=2 diboli=0" and the `--set` values: how a person reads the candidate.
    pub fn label(&self, points: &[String], inputs: &[String]) -> String {
        let mut parts: Vec<String> = points
            .iter()
            .zip(&self.units)
            .map(|(p, u)| format!("{p}={u}"))
            .collect();
        parts.extend(
            inputs
                .iter()
                .zip(&self.values)
                .map(|(i, v)| format!("{i}={}", crate::names::compact(*v))),
        );
        parts.join(" ")
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct OptimizeResults {
    pub scenario: String,
    pub procedure: &'static str,
    pub metric: String,
    pub maximize: bool,
    pub currency: String,
    pub units: u32,
    /// The staging points searched, by node id.
    pub points: Vec<String>,
    /// The `--set` paths.
    pub inputs: Vec<String>,
    pub delta: f64,
    pub confidence: f64,
    pub batch_trials: u64,
    pub first_batches: u64,
    pub seed: u64,
    /// The index of the chosen candidate, and whether it alone survived.
    pub chosen: usize,
    pub separated: bool,
    pub candidates: Vec<Candidate>,
    /// Trials run, over every candidate, and what running every candidate to the chosen
    /// one's trial count would have cost.
    pub trials_spent: u64,
    pub trials_if_all: u64,
    pub interrupted: bool,
}

impl OptimizeResults {
    /// Candidates ranked: those that ran longest first (survivors ahead of the dropped),
    /// then by mean in the chosen direction.
    pub fn ranked(&self) -> Vec<usize> {
        let sign = if self.maximize { -1.0 } else { 1.0 };
        let mut order: Vec<usize> = (0..self.candidates.len()).collect();
        order.sort_by(|&a, &b| {
            let (ca, cb) = (&self.candidates[a], &self.candidates[b]);
            (ca.dropped_after.is_some(), std::cmp::Reverse(ca.batches))
                .cmp(&(cb.dropped_after.is_some(), std::cmp::Reverse(cb.batches)))
                .then((sign * ca.mean).total_cmp(&(sign * cb.mean)))
        });
        order
    }
}

/// A candidate to build: its units per point and its `--set` values.
pub struct Plan {
    pub units: Vec<u32>,
    pub values: Vec<f64>,
}

/// Every way to share `units` among `points` staging points (a point may get none),
/// crossed with every combination of the settings' values; refused beyond
/// [`MAX_CANDIDATES`], with the count.
pub fn plans(units: u32, points: usize, settings: &[Setting]) -> Result<Vec<Plan>, InputError> {
    let shares = binomial(u64::from(units) + points as u64 - 1, points as u64 - 1);
    let crossed = settings
        .iter()
        .fold(shares, |n, s| n.saturating_mul(s.values.len() as u128));
    if crossed > MAX_CANDIDATES as u128 {
        return Err(InputError::flag(
            "--units",
            format!(
                "{crossed} candidates ({shares} ways to share {units} units among {points} staging points{}) are more than the {MAX_CANDIDATES} a search takes; give fewer units, fewer points with --at, or fewer --set values",
                if settings.is_empty() {
                    ""
                } else {
                    ", crossed with the --set values"
                }
            ),
        ));
    }
    let mut allocations = Vec::new();
    share(units, points, &mut Vec::new(), &mut allocations);
    let mut plans: Vec<Plan> = allocations
        .into_iter()
        .map(|units| Plan {
            units,
            values: Vec::new(),
        })
        .collect();
    for s in settings {
        plans = plans
            .into_iter()
            .flat_map(|p| {
                s.values.iter().map(move |v| {
                    let mut values = p.values.clone();
                    values.push(*v);
                    Plan {
                        units: p.units.clone(),
                        values,
                    }
                })
            })
            .collect();
    }
    Ok(plans)
}

fn binomial(n: u64, k: u64) -> u128 {
    (0..k).fold(1u128, |acc, i| {
        acc.saturating_mul(u128::from(n - i)) / u128::from(i + 1)
    })
}

/// Every composition of `left` into `parts` whole parts, the first part largest first.
fn share(left: u32, parts: usize, prefix: &mut Vec<u32>, out: &mut Vec<Vec<u32>>) {
    if parts == 1 {
        let mut units = prefix.clone();
        units.push(left);
        out.push(units);
        return;
    }
    for k in (0..=left).rev() {
        prefix.push(k);
        share(left - k, parts - 1, prefix, out);
        prefix.pop();
    }
}

/// The scenario of a candidate: the searched points' units set, a point given none dropped
/// (its streams drive straight to their sink under their own escort), the `--set` values.
pub fn build(
    base: &WrittenScenario,
    points: &[String],
    settings: &[Setting],
    plan: &Plan,
) -> Result<Scenario, InputError> {
    let unit_paths: Vec<FieldPath> = points
        .iter()
        .map(|p| FieldPath::parse(&format!("staging[{p}].units"), &base.scenario))
        .collect::<Result<_, _>>()
        .map_err(|e| InputError::flag("--at", e))?;
    let mut changes: Vec<(&FieldPath, f64)> = Vec::new();
    let mut dropped = Vec::new();
    for ((path, units), point) in unit_paths.iter().zip(&plan.units).zip(points) {
        if *units == 0 {
            dropped.push(point.as_str());
        } else {
            changes.push((path, f64::from(*units)));
        }
    }
    for (s, v) in settings.iter().zip(&plan.values) {
        changes.push((&s.path, *v));
    }
    base.variant_without(&changes, &dropped)
}

/// What a search runs on.
pub struct Search<'a> {
    pub models: Vec<Model>,
    pub metric: usize,
    pub maximize: bool,
    pub batch_trials: u64,
    pub first_batches: u64,
    pub max_batches: u64,
    pub confidence: f64,
    /// `None`: 1 % of the best first-stage mean.
    pub delta: Option<f64>,
    pub seed: u64,
    pub threads: usize,
    pub stop: &'a AtomicBool,
}

/// The outcome of a search: per candidate its batch means, when it was dropped, the
/// delta used and whether the search was stopped.
pub struct Searched {
    pub batches: Vec<Vec<f64>>,
    pub dropped_after: Vec<Option<u64>>,
    pub delta: f64,
    pub interrupted: bool,
}

impl Search<'_> {
    pub fn run(&self, progress: &(dyn Fn(u64) + Sync)) -> Searched {
        let k = self.models.len();
        let mut batches: Vec<Vec<f64>> = vec![Vec::new(); k];
        let mut dropped: Vec<Option<u64>> = vec![None; k];
        let mut alive: Vec<usize> = (0..k).collect();
        let mut delta = self.delta.unwrap_or(0.0);
        let mut variance = vec![vec![0.0; k]; k];
        let sign = if self.maximize { 1.0 } else { -1.0 };
        let alpha = 1.0 - self.confidence;
        let n0 = self.first_batches as f64;
        let eta = if k > 1 {
            0.5 * ((2.0 * alpha / (k as f64 - 1.0)).powf(-2.0 / (n0 - 1.0)) - 1.0)
        } else {
            0.0
        };
        let h2 = 2.0 * eta * (n0 - 1.0);
        let mut done_trials = 0;
        for b in 0..self.max_batches {
            if alive.len() <= 1 && b >= self.first_batches {
                break;
            }
            let means = self.batch(&alive, b);
            if self.stop.load(Ordering::Relaxed) {
                return Searched {
                    batches,
                    dropped_after: dropped,
                    delta,
                    interrupted: true,
                };
            }
            for (&i, m) in alive.iter().zip(means) {
                batches[i].push(m);
            }
            done_trials += self.batch_trials * alive.len() as u64;
            progress(done_trials);
            let r = b + 1;
            if r < self.first_batches {
                continue;
            }
            if r == self.first_batches {
                for i in 0..k {
                    for l in 0..k {
                        variance[i][l] = pair_variance(&batches[i], &batches[l]);
                    }
                }
                if self.delta.is_none() {
                    let best = (0..k)
                        .map(|i| mean(&batches[i]))
                        .fold(f64::NEG_INFINITY, |a, m| a.max(sign * m));
                    delta = (0.01 * best.abs()).max(1e-9);
                }
            }
            let rf = r as f64;
            let sums: Vec<f64> = (0..k)
                .map(|i| sign * batches[i].iter().sum::<f64>() / rf)
                .collect();
            let before = alive.clone();
            alive.retain(|&i| {
                !before.iter().any(|&l| {
                    let w = (delta / (2.0 * rf) * (h2 * variance[i][l] / (delta * delta) - rf))
                        .max(0.0);
                    l != i && sums[i] < sums[l] - w
                })
            });
            for &i in &before {
                if !alive.contains(&i) {
                    dropped[i] = Some(r);
                }
            }
        }
        Searched {
            batches,
            dropped_after: dropped,
            delta,
            interrupted: false,
        }
    }

    /// Batch `b`'s mean of the metric for each candidate in `alive`: the same trials, the
    /// same generators; candidates shared among threads, each summed in trial order.
    fn batch(&self, alive: &[usize], b: u64) -> Vec<f64> {
        let first = b * self.batch_trials;
        let trials = first..first + self.batch_trials;
        let chunk = alive.len().div_ceil(self.threads.max(1)).max(1);
        let budget = CACHE_BUDGET / alive.len().max(1);
        let mut means = vec![0.0; alive.len()];
        std::thread::scope(|scope| {
            for (ids, out) in alive.chunks(chunk).zip(means.chunks_mut(chunk)) {
                let trials = trials.clone();
                scope.spawn(move || {
                    for (&i, m) in ids.iter().zip(out.iter_mut()) {
                        let model = &self.models[i];
                        let mut scratch = Scratch::with_budget(budget);
                        let mut o = TrialOutcome::new(model);
                        let mut sum = 0.0;
                        for t in trials.clone() {
                            if self.stop.load(Ordering::Relaxed) {
                                return;
                            }
                            simulate_trial(model, self.seed, t, &mut scratch, &mut o, &mut NoTrace);
                            sum += o.metrics()[self.metric];
                        }
                        *m = sum / self.batch_trials as f64;
                    }
                });
            }
        });
        means
    }
}

pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len().max(1) as f64
}

/// The sample variance of the differences of two candidates' batch means (divisor n - 1).
pub fn pair_variance(a: &[f64], b: &[f64]) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let m = mean(&d);
    d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (d.len().max(2) - 1) as f64
}

/// Half-width of a 95 % normal interval of the mean of `x`.
pub fn ci95(x: &[f64]) -> f64 {
    if x.len() < 2 {
        return 0.0;
    }
    let m = mean(x);
    let var = x.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (x.len() - 1) as f64;
    1.96 * (var / x.len() as f64).sqrt()
}
