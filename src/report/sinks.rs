//! What a run reports per sink, demand class and staging point (MODEL.md sections 6, 8
//! and 13), finished from the tally: the means of their figures, each sink's daily series,
//! each class's served share by day and each staging point's queue.

use serde::{Deserialize, Serialize};

use super::place_name;
use crate::scenario::Scenario;
use crate::sim::outcome::{CLASS_FIELDS, DAILY, SINK_FIELDS, STAGING_FIELDS, daily_classes};
use crate::sim::run::Tally;
use crate::stats::{DayStat, ExactMean};

/// One sink of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SinkResult {
    /// The node's id, as the scenario names it.
    pub node: String,
    /// Its place name, for titles.
    pub name: String,
    /// Σ D_k, litres a day.
    pub daily_demand_litres: f64,
    /// Means of `SINK_FIELDS`, in that order.
    pub means: Vec<f64>,
    /// `daily[series][day]` for the series of `DAILY`.
    pub daily: Vec<Vec<DayStat>>,
    pub classes: Vec<ClassResult>,
}

/// One demand class of a sink.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassResult {
    pub name: String,
    pub litres_per_day: f64,
    pub priority: u32,
    pub street: bool,
    /// Whether it has ration tiers (draws less while the stock is low).
    pub rationed: bool,
    /// Means of `CLASS_FIELDS`, in that order.
    pub means: Vec<f64>,
    /// The mean served share by day; empty for the one class of a sink (the sink's
    /// `served_share` is that class's).
    pub served: Vec<f64>,
}

/// One staging point of a run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StagingResult {
    /// The node's id, as the scenario names it.
    pub node: String,
    pub name: String,
    pub units: u32,
    pub max_tankers: u32,
    /// The node id of the sink its escorted convoys drive to.
    pub to: String,
    /// Means of `STAGING_FIELDS`, in that order.
    pub means: Vec<f64>,
    /// Tankers waiting at the end of each day.
    pub queue: Vec<DayStat>,
    /// The mean number of escorted convoys leaving each day.
    pub formed: Vec<f64>,
}

impl SinkResult {
    /// A figure of `SINK_FIELDS` by name.
    pub fn mean(&self, field: &str) -> f64 {
        field_mean(&SINK_FIELDS, &self.means, field)
    }

    /// Whether the sink has a served-share series per class (several classes).
    pub fn has_class_series(&self) -> bool {
        self.classes.len() > 1
    }
}

impl ClassResult {
    /// A figure of `CLASS_FIELDS` by name.
    pub fn mean(&self, field: &str) -> f64 {
        field_mean(&CLASS_FIELDS, &self.means, field)
    }
}

impl StagingResult {
    /// A figure of `STAGING_FIELDS` by name.
    pub fn mean(&self, field: &str) -> f64 {
        field_mean(&STAGING_FIELDS, &self.means, field)
    }
}

fn field_mean(fields: &[&str], means: &[f64], field: &str) -> f64 {
    fields
        .iter()
        .position(|f| *f == field)
        .and_then(|i| means.get(i))
        .copied()
        .unwrap_or(f64::NAN)
}

fn means(sums: &[ExactMean]) -> Vec<f64> {
    sums.iter().map(ExactMean::mean).collect()
}

/// Every sink of the scenario, finished from its tally.
pub fn sink_results(scenario: &Scenario, tally: &Tally) -> Vec<SinkResult> {
    let net = &scenario.network;
    let h = scenario.horizon_days as usize;
    let (mut class, mut tracked) = (0, 0);
    scenario
        .sinks
        .iter()
        .enumerate()
        .map(|(j, sink)| {
            let node = net.node(sink.node);
            let written = sink.classes();
            let series = daily_classes(written.len());
            let classes = written
                .into_iter()
                .enumerate()
                .map(|(k, c)| {
                    let at = (class + k) * CLASS_FIELDS.len();
                    let served = if series > 0 {
                        means(&tally.class_served[(tracked + k) * h..(tracked + k + 1) * h])
                    } else {
                        Vec::new()
                    };
                    ClassResult {
                        name: c.name,
                        litres_per_day: c.litres_per_day,
                        priority: c.priority,
                        street: c.street,
                        rationed: !c.ration.is_empty(),
                        means: means(&tally.classes[at..at + CLASS_FIELDS.len()]),
                        served,
                    }
                })
                .collect::<Vec<_>>();
            class += classes.len();
            tracked += series;
            let fields = SINK_FIELDS.len();
            SinkResult {
                node: node.id.clone(),
                name: place_name(&node.name),
                daily_demand_litres: sink.daily_demand_litres(),
                means: means(&tally.sinks[j * fields..(j + 1) * fields]),
                daily: (0..DAILY.len())
                    .map(|k| {
                        let row = (j * DAILY.len() + k) * h;
                        tally.daily[row..row + h].iter().map(|s| s.stat()).collect()
                    })
                    .collect(),
                classes,
            }
        })
        .collect()
}

/// Every staging point of the scenario, finished from its tally.
pub fn staging_results(scenario: &Scenario, tally: &Tally) -> Vec<StagingResult> {
    let net = &scenario.network;
    let h = scenario.horizon_days as usize;
    let fields = STAGING_FIELDS.len();
    scenario
        .staging
        .iter()
        .enumerate()
        .map(|(p, point)| StagingResult {
            node: net.node(point.node).id.clone(),
            name: place_name(&net.node(point.node).name),
            units: point.units,
            max_tankers: point.max_tankers,
            to: net.node(scenario.sinks[point.to].node).id.clone(),
            means: means(&tally.staging[p * fields..(p + 1) * fields]),
            queue: tally.queue[p * h..(p + 1) * h]
                .iter()
                .map(|s| s.stat())
                .collect(),
            formed: means(&tally.formed[p * h..(p + 1) * h]),
        })
        .collect()
}
