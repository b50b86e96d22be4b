//! `corridor sweep`: how a metric responds to numeric inputs. One at a time, each input takes
//! each of its values with every other input at the scenario's value, and the swing from its
//! lowest to its highest value is what a tornado chart draws; or, as a grid, two inputs take
//! every pair of values. Every variant runs in one loop over the trials with the scenario
//! itself, so each change is a paired difference.

use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::paired::{PairedTally, run_paired};
use super::path::Setting;
use super::variant::WrittenScenario;
use super::{Difference, Mean};
use crate::error::InputError;
use crate::sim::model::Model;
use crate::sim::outcome::{METRICS, TrialOutcome};
use crate::sim::run::RunConfig;
use crate::sim::trial::Observer;
use crate::stats::ExactSum;

/// The metric with one input (or, in a grid, two) at one value.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SweepPoint {
    pub value: f64,
    /// The variant's mean of the metric.
    pub metric: Mean,
    /// The variant minus the scenario, paired by trial.
    pub change: Difference,
}

/// One input of a one-at-a-time sweep.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepInput {
    pub path: String,
    /// The scenario's own value (None where the field is unset and inherited).
    pub base_value: Option<f64>,
    /// In the order the values were given.
    pub points: Vec<SweepPoint>,
    pub low_value: f64,
    pub high_value: f64,
    /// The metric at the highest value minus at the lowest, paired by trial.
    pub swing: Difference,
    /// 1 for the input with the largest swing (the top bar of a tornado chart).
    pub rank: usize,
}

/// Everything a one-at-a-time `corridor sweep` reports; the tornado chart draws `inputs`
/// (sorted by `rank`, bars from `swing` or from the metric at `low_value` and `high_value`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SweepResults {
    pub scenario: String,
    pub metric: String,
    pub trials: u64,
    /// Fewer trials than asked for: the analysis was interrupted. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    pub seed: u64,
    /// The scenario's own mean of the metric.
    pub base: Mean,
    /// In the order the inputs were given.
    pub inputs: Vec<SweepInput>,
    /// The scenario's currency, the unit of a price metric.
    pub currency: String,
}

/// One input of a grid.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridAxis {
    pub path: String,
    pub base_value: Option<f64>,
    pub values: Vec<f64>,
}

/// A grid cell: the metric with `x` and `y` at their values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GridCell {
    pub x: f64,
    pub y: f64,
    pub metric: Mean,
    pub change: Difference,
}

/// Everything `corridor sweep --grid` reports; the heat map draws `cells` (x outer, y inner).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GridResults {
    pub scenario: String,
    pub metric: String,
    pub trials: u64,
    /// Fewer trials than asked for: the analysis was interrupted. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    pub seed: u64,
    pub base: Mean,
    pub x: GridAxis,
    pub y: GridAxis,
    pub cells: Vec<GridCell>,
    /// The scenario's currency, the unit of a price metric.
    pub currency: String,
}

/// Per variant its mean and its paired change from the scenario (model 0); per input of a
/// one-at-a-time sweep the paired swing between two of the variants.
struct Points {
    metric: usize,
    base: ExactSum,
    values: Vec<ExactSum>,
    changes: Vec<ExactSum>,
    /// (model at the lowest value, model at the highest, their paired difference).
    swings: Vec<(usize, usize, ExactSum)>,
}

impl Observer for Points {}

impl PairedTally for Points {
    fn add(&mut self, outcomes: &[TrialOutcome]) {
        let at = |k: usize| outcomes[k].metrics()[self.metric];
        let base = at(0);
        self.base.add(base);
        for k in 1..outcomes.len() {
            let x = at(k);
            self.values[k - 1].add(x);
            self.changes[k - 1].add(x - base);
        }
        for (low, high, sum) in &mut self.swings {
            sum.add(at(*high) - at(*low));
        }
    }

    fn merge(&mut self, other: &Self) {
        self.base.merge(&other.base);
        for (mine, theirs) in [
            (&mut self.values, &other.values),
            (&mut self.changes, &other.changes),
        ] {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| a.merge(b));
        }
        for (a, b) in self.swings.iter_mut().zip(&other.swings) {
            a.2.merge(&b.2);
        }
    }
}

/// Rejects an input given twice: its values belong in one `--set`.
pub fn check_distinct(settings: &[Setting]) -> Result<(), InputError> {
    for (i, s) in settings.iter().enumerate() {
        if settings[..i].iter().any(|t| t.path == s.path) {
            return Err(InputError::flag(
                "--set",
                format!(
                    "{} is set twice; give all its values in one --set PATH=V1,V2,...",
                    s.path.text
                ),
            ));
        }
    }
    Ok(())
}

/// Runs the paired trials of the scenario (model 0) and `models`.
fn run(
    scenario: &crate::scenario::Scenario,
    mut models: Vec<Model>,
    swings: Vec<(usize, usize)>,
    metric: usize,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> (Points, u64) {
    models.insert(0, Model::new(scenario));
    let n = models.len() - 1;
    let empty = || Points {
        metric,
        base: ExactSum::default(),
        values: vec![ExactSum::default(); n],
        changes: vec![ExactSum::default(); n],
        swings: swings
            .iter()
            .map(|&(lo, hi)| (lo, hi, ExactSum::default()))
            .collect(),
    };
    run_paired(&models, config, &empty, progress, stop)
}

impl Points {
    fn point(&self, variant: usize, value: f64) -> SweepPoint {
        SweepPoint {
            value,
            metric: Mean::from_sum(&self.values[variant]),
            change: Difference::from_sum(&self.changes[variant]),
        }
    }
}

/// One input at a time. Every variant is built and validated before any trial runs, so a
/// value that makes the scenario invalid is reported at once.
pub fn sweep(
    base: &WrittenScenario,
    settings: &[Setting],
    metric: usize,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> Result<SweepResults, InputError> {
    Ok(SweepPlan::new(base, settings)?.run(metric, config, progress, stop))
}

/// The variants of a one-at-a-time sweep, built and validated, ready to run.
pub struct SweepPlan<'a> {
    base: &'a WrittenScenario,
    settings: &'a [Setting],
    models: Vec<Model>,
    /// Per input: its first variant, and the positions of its lowest and highest values.
    spans: Vec<(usize, usize, usize)>,
}

impl<'a> SweepPlan<'a> {
    /// Builds every variant; a value that breaks a rule is an error about `--set`.
    pub fn new(base: &'a WrittenScenario, settings: &'a [Setting]) -> Result<Self, InputError> {
        check_distinct(settings)?;
        let mut models = Vec::new();
        let mut spans = Vec::new();
        for s in settings {
            spans.push((
                models.len(),
                extreme(&s.values, f64::lt),
                extreme(&s.values, f64::gt),
            ));
            for &v in &s.values {
                models.push(Model::new(&base.variant(&[(&s.path, v)])?));
            }
        }
        Ok(SweepPlan {
            base,
            settings,
            models,
            spans,
        })
    }

    /// Runs the scenario and every variant, paired by trial. The results hold fewer trials
    /// than asked for when `stop` was set.
    pub fn run(
        self,
        metric: usize,
        config: &RunConfig,
        progress: &(dyn Fn(u64) + Sync),
        stop: &AtomicBool,
    ) -> SweepResults {
        let SweepPlan {
            base,
            settings,
            models,
            spans,
        } = self;
        // Model 0 is the scenario, so variant k is model k + 1.
        let swings = spans
            .iter()
            .map(|&(first, lo, hi)| (first + lo + 1, first + hi + 1))
            .collect();
        let scenario = &base.scenario;
        let (points, trials) = run(scenario, models, swings, metric, config, progress, stop);
        let mut inputs: Vec<SweepInput> = settings
            .iter()
            .zip(&spans)
            .zip(&points.swings)
            .map(|((s, &(first, lo, hi)), swing)| SweepInput {
                path: s.path.text.clone(),
                base_value: base.value(&s.path),
                points: (s.values.iter().enumerate())
                    .map(|(j, &v)| points.point(first + j, v))
                    .collect(),
                low_value: s.values[lo],
                high_value: s.values[hi],
                swing: Difference::from_sum(&swing.2),
                rank: 0,
            })
            .collect();
        let mut order: Vec<usize> = (0..inputs.len()).collect();
        order.sort_by(|&a, &b| {
            let size = |i: usize| inputs[i].swing.mean.abs();
            size(b).total_cmp(&size(a)).then(a.cmp(&b))
        });
        for (r, &i) in order.iter().enumerate() {
            inputs[i].rank = r + 1;
        }
        SweepResults {
            scenario: scenario.name.clone(),
            metric: METRICS[metric].to_string(),
            trials,
            interrupted: trials < config.trials,
            seed: config.seed,
            base: Mean::from_sum(&points.base),
            inputs,
            currency: scenario.price.currency.clone(),
        }
    }
}

/// The position of the value that beats every other by `better`.
fn extreme(values: &[f64], better: fn(&f64, &f64) -> bool) -> usize {
    let mut best = 0;
    for (k, v) in values.iter().enumerate() {
        if better(v, &values[best]) {
            best = k;
        }
    }
    best
}

/// Every pair of values of two inputs.
pub fn grid(
    base: &WrittenScenario,
    x: &Setting,
    y: &Setting,
    metric: usize,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> Result<GridResults, InputError> {
    Ok(GridPlan::new(base, x, y)?.run(metric, config, progress, stop))
}

/// The variants of a grid, built and validated, ready to run.
pub struct GridPlan<'a> {
    base: &'a WrittenScenario,
    x: &'a Setting,
    y: &'a Setting,
    models: Vec<Model>,
    pairs: Vec<(f64, f64)>,
}

impl<'a> GridPlan<'a> {
    /// Builds every variant; a pair that breaks a rule is an error about `--set`.
    pub fn new(
        base: &'a WrittenScenario,
        x: &'a Setting,
        y: &'a Setting,
    ) -> Result<Self, InputError> {
        check_distinct(&[x.clone(), y.clone()])?;
        let mut models = Vec::new();
        let mut pairs = Vec::new();
        for &vx in &x.values {
            for &vy in &y.values {
                models.push(Model::new(&base.variant(&[(&x.path, vx), (&y.path, vy)])?));
                pairs.push((vx, vy));
            }
        }
        Ok(GridPlan {
            base,
            x,
            y,
            models,
            pairs,
        })
    }

    /// Runs the scenario and every cell, paired by trial. The results hold fewer trials
    /// than asked for when `stop` was set.
    pub fn run(
        self,
        metric: usize,
        config: &RunConfig,
        progress: &(dyn Fn(u64) + Sync),
        stop: &AtomicBool,
    ) -> GridResults {
        let GridPlan {
            base,
            x,
            y,
            models,
            pairs,
        } = self;
        let scenario = &base.scenario;
        let (points, trials) = run(scenario, models, Vec::new(), metric, config, progress, stop);
        let axis = |s: &Setting| GridAxis {
            path: s.path.text.clone(),
            base_value: base.value(&s.path),
            values: s.values.clone(),
        };
        GridResults {
            scenario: scenario.name.clone(),
            metric: METRICS[metric].to_string(),
            trials,
            interrupted: trials < config.trials,
            seed: config.seed,
            base: Mean::from_sum(&points.base),
            x: axis(x),
            y: axis(y),
            cells: pairs
                .iter()
                .enumerate()
                .map(|(k, &(vx, vy))| {
                    let p = points.point(k, vx);
                    GridCell {
                        x: vx,
                        y: vy,
                        metric: p.metric,
                        change: p.change,
                    }
                })
                .collect(),
            currency: scenario.price.currency.clone(),
        }
    }
}
