//! What one trial reports (MODEL.md section 7): the trial metrics, and the figures per sink,
//! demand class, stream, staging point, day and edge. One buffer per worker, reset and
//! refilled for every trial.

use super::model::Model;

/// The trial metrics; `TrialOutcome::metrics` returns them in this order. Those of version 1
/// of MODEL.md come first, in their order, and version 2's two new ones after them, so that
/// the files of a version 1 scenario keep their layout.
pub const METRICS: [&str; 12] = [
    "delivered_litres",
    "lost_litres",
    "tankers_lost",
    "convoys_attacked",
    "shortage_days",
    "unserved_litres",
    "peak_price",
    "mean_price",
    "final_stock_litres",
    "in_transit_litres",
    "tankers_seized",
    "stockout_days",
];

/// Index of a metric name in [`METRICS`].
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| *m == name)
}

/// The daily series of each sink, in the order of `TrialOutcome::daily`.
pub const DAILY: [&str; 4] = ["stock_litres", "delivered_litres", "price", "served_share"];

/// The per-stream figures, in the order `StreamOutcome::values` returns them.
pub const STREAM_FIELDS: [&str; 6] = [
    "delivered_litres",
    "tankers_lost",
    "convoys_attacked",
    "tankers_short",
    "departures_skipped",
    "fleet_end",
];

/// The per-sink figures, in the order `SinkOutcome::values` returns them.
pub const SINK_FIELDS: [&str; 8] = [
    "delivered_litres",
    "unserved_litres",
    "shortage_days",
    "stockout_days",
    "peak_price",
    "mean_price",
    "final_stock_litres",
    "backlog_litres",
];

/// The per-class figures, in the order `ClassOutcome::values` returns them.
pub const CLASS_FIELDS: [&str; 3] = ["released_litres", "unserved_litres", "shortage_days"];

/// The per-staging-point figures, in the order `StagingOutcome::values` returns them.
pub const STAGING_FIELDS: [&str; 5] = [
    "tankers_staged",
    "escorted_convoys",
    "convoys_attacked",
    "wait_days",
    "waiting_end",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamOutcome {
    pub delivered_litres: f64,
    pub tankers_lost: u64,
    pub convoys_attacked: u64,
    /// Fleet streams and streams at a depot with a loading limit (MODEL.md sections 10, 12).
    pub tankers_short: u64,
    pub departures_skipped: u64,
    pub fleet_end: u64,
}

impl StreamOutcome {
    pub fn values(&self) -> [f64; 6] {
        [
            self.delivered_litres,
            self.tankers_lost as f64,
            self.convoys_attacked as f64,
            self.tankers_short as f64,
            self.departures_skipped as f64,
            self.fleet_end as f64,
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SinkOutcome {
    pub delivered_litres: f64,
    pub unserved_litres: f64,
    pub shortage_days: u32,
    pub stockout_days: u32,
    pub peak_price: f64,
    pub mean_price: f64,
    pub final_stock_litres: f64,
    pub backlog_litres: f64,
}

impl SinkOutcome {
    pub fn values(&self) -> [f64; 8] {
        [
            self.delivered_litres,
            self.unserved_litres,
            f64::from(self.shortage_days),
            f64::from(self.stockout_days),
            self.peak_price,
            self.mean_price,
            self.final_stock_litres,
            self.backlog_litres,
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct ClassOutcome {
    pub released_litres: f64,
    pub unserved_litres: f64,
    pub shortage_days: u32,
}

impl ClassOutcome {
    pub fn values(&self) -> [f64; 3] {
        [
            self.released_litres,
            self.unserved_litres,
            f64::from(self.shortage_days),
        ]
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StagingOutcome {
    pub tankers_staged: u64,
    pub escorted_convoys: u64,
    pub convoys_attacked: u64,
    /// The mean wait of the tankers that joined (0 when none did).
    pub wait_days: f64,
    pub waiting_end: u64,
}

impl StagingOutcome {
    pub fn values(&self) -> [f64; 5] {
        [
            self.tankers_staged as f64,
            self.escorted_convoys as f64,
            self.convoys_attacked as f64,
            self.wait_days,
            self.waiting_end as f64,
        ]
    }
}

#[derive(Debug, Clone, Default)]
pub struct TrialOutcome {
    pub lost_litres: f64,
    pub tankers_lost: u64,
    pub tankers_seized: u64,
    pub convoys_attacked: u64,
    pub in_transit_litres: f64,
    pub sinks: Vec<SinkOutcome>,
    /// Every sink's demand classes, sink after sink: `classes[class_start[s] + k]`.
    pub classes: Vec<ClassOutcome>,
    pub class_start: Vec<usize>,
    pub streams: Vec<StreamOutcome>,
    pub staging: Vec<StagingOutcome>,
    /// Per sink, series of [`DAILY`] and day: `daily[(sink * 4 + series) * horizon + day]`.
    /// The trips add their deliveries to the `delivered_litres` rows; settling the sinks
    /// fills in the rest.
    pub daily: Vec<f64>,
    /// One entry per attack: (edge, tankers destroyed or seized). Sparse, so that a trial
    /// costs what its convoys do, not the size of the network.
    pub attacks: Vec<(u32, u32)>,
    /// Per fleet stream and day (`[f * horizon + day]`): tankers lost that day, then, once
    /// the trial is settled, tankers alive at the end of that day.
    pub fleet_daily: Vec<u32>,
    /// Per staging point and day (`[p * horizon + day]`): tankers waiting after the day's
    /// escorted convoys have left.
    pub queue_daily: Vec<u32>,
    /// Per staging point and day (`[p * horizon + day]`): escorted convoys that left.
    pub formed_daily: Vec<u32>,
    /// Per demand class of a sink with more than one class, and day: its served share
    /// R_k / D_k (1 when D_k = 0), `[(class_daily_start[sink] + k) * horizon + day]`. A sink
    /// of one class has none (its share is the sink's `served_share`), so a version 1 trial
    /// costs nothing more.
    pub class_daily: Vec<f64>,
    pub class_daily_start: Vec<usize>,
    /// Directed edges entered by convoys (the unit of work, for benchmarks).
    pub traversals: u64,
}

impl TrialOutcome {
    pub fn new(model: &Model) -> Self {
        let mut out = TrialOutcome::default();
        out.reset(model);
        out
    }

    pub fn reset(&mut self, model: &Model) {
        let h = model.horizon as usize;
        self.lost_litres = 0.0;
        self.tankers_lost = 0;
        self.tankers_seized = 0;
        self.convoys_attacked = 0;
        self.in_transit_litres = 0.0;
        self.traversals = 0;
        reset_to(&mut self.sinks, model.sinks.len(), SinkOutcome::default());
        let classes: usize = model.sinks.iter().map(|s| s.classes.len()).sum();
        reset_to(&mut self.classes, classes, ClassOutcome::default());
        self.class_start.clear();
        let mut start = 0;
        for s in &model.sinks {
            self.class_start.push(start);
            start += s.classes.len();
        }
        reset_to(
            &mut self.streams,
            model.streams.len(),
            StreamOutcome::default(),
        );
        reset_to(
            &mut self.staging,
            model.staging.len(),
            StagingOutcome::default(),
        );
        reset_to(&mut self.daily, model.sinks.len() * DAILY.len() * h, 0.0);
        self.attacks.clear();
        reset_to(&mut self.fleet_daily, model.fleets * h, 0);
        reset_to(&mut self.queue_daily, model.staging.len() * h, 0);
        reset_to(&mut self.formed_daily, model.staging.len() * h, 0);
        self.class_daily_start.clear();
        let mut start = 0;
        for s in &model.sinks {
            self.class_daily_start.push(start);
            start += daily_classes(s.classes.len());
        }
        reset_to(&mut self.class_daily, start * h, 0.0);
    }

    /// The served share of each class of sink `sink` by day, class after class: empty for a
    /// sink of one class.
    pub fn class_series_mut(&mut self, sink: usize, classes: usize) -> &mut [f64] {
        let h = self.daily.len() / (self.sinks.len() * DAILY.len()).max(1);
        let start = self.class_daily_start[sink] * h;
        &mut self.class_daily[start..start + daily_classes(classes) * h]
    }

    /// The daily series `series` of sink `sink`.
    pub fn series(&self, sink: usize, series: usize) -> &[f64] {
        let h = self.daily.len() / (self.sinks.len() * DAILY.len()).max(1);
        let start = (sink * DAILY.len() + series) * h;
        &self.daily[start..start + h]
    }

    /// The trial metrics in [`METRICS`] order: the headline sink's, and the whole trial's.
    pub fn metrics(&self) -> [f64; 12] {
        let head = &self.sinks[0];
        [
            head.delivered_litres,
            self.lost_litres,
            self.tankers_lost as f64,
            self.convoys_attacked as f64,
            f64::from(head.shortage_days),
            head.unserved_litres,
            head.peak_price,
            head.mean_price,
            head.final_stock_litres,
            self.in_transit_litres,
            self.tankers_seized as f64,
            f64::from(head.stockout_days),
        ]
    }
}

/// How many of a sink's `classes` have a daily served-share series: all of them when there
/// are several, none when there is one.
pub fn daily_classes(classes: usize) -> usize {
    if classes > 1 { classes } else { 0 }
}

/// Demand classes with a daily served-share series, over every sink of `model`.
pub fn tracked_classes(model: &Model) -> usize {
    model
        .sinks
        .iter()
        .map(|s| daily_classes(s.classes.len()))
        .sum()
}

fn reset_to<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    v.clear();
    v.resize(len, value);
}
