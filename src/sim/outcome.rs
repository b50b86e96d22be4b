//! What one trial reports (MODEL.md section 7): the trial metrics, per stream, per day, per
//! edge. One buffer per worker, reset and refilled for every trial.

use super::model::Model;

/// The trial metrics, in MODEL.md order; `TrialOutcome::metrics` returns them in this order.
pub const METRICS: [&str; 10] = [
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
];

/// Index of a metric name in [`METRICS`].
pub fn metric_index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| *m == name)
}

/// The per-stream figures, in the order `StreamOutcome::values` returns them.
pub const STREAM_FIELDS: [&str; 6] = [
    "delivered_litres",
    "tankers_lost",
    "convoys_attacked",
    "tankers_short",
    "departures_skipped",
    "fleet_end",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct StreamOutcome {
    pub delivered_litres: f64,
    pub tankers_lost: u64,
    pub convoys_attacked: u64,
    /// Fleet streams only (MODEL.md section 10).
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

#[derive(Debug, Clone, Default)]
pub struct TrialOutcome {
    pub delivered_litres: f64,
    pub lost_litres: f64,
    pub tankers_lost: u64,
    pub convoys_attacked: u64,
    pub shortage_days: u32,
    pub unserved_litres: f64,
    pub peak_price: f64,
    pub mean_price: f64,
    pub final_stock_litres: f64,
    pub in_transit_litres: f64,
    pub streams: Vec<StreamOutcome>,
    /// Per day: litres delivered, stock after release, street price.
    pub delivered: Vec<f64>,
    pub stock: Vec<f64>,
    pub price: Vec<f64>,
    /// One entry per attack: (edge, tankers destroyed). Sparse, so that a trial costs
    /// what its convoys do, not the size of the network.
    pub attacks: Vec<(u32, u32)>,
    /// Per fleet stream and day (`[f * horizon + day]`): tankers destroyed that day, then,
    /// once the trial is settled, tankers alive at the end of that day.
    pub fleet_daily: Vec<u32>,
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
        let fleets = model.streams.iter().filter(|s| s.fleet.is_some()).count();
        *self = TrialOutcome {
            streams: std::mem::take(&mut self.streams),
            delivered: std::mem::take(&mut self.delivered),
            stock: std::mem::take(&mut self.stock),
            price: std::mem::take(&mut self.price),
            attacks: std::mem::take(&mut self.attacks),
            fleet_daily: std::mem::take(&mut self.fleet_daily),
            ..TrialOutcome::default()
        };
        reset_to(
            &mut self.streams,
            model.streams.len(),
            StreamOutcome::default(),
        );
        reset_to(&mut self.delivered, h, 0.0);
        reset_to(&mut self.stock, h, 0.0);
        reset_to(&mut self.price, h, 0.0);
        self.attacks.clear();
        reset_to(&mut self.fleet_daily, fleets * h, 0);
    }

    /// The trial metrics in [`METRICS`] order.
    pub fn metrics(&self) -> [f64; 10] {
        [
            self.delivered_litres,
            self.lost_litres,
            self.tankers_lost as f64,
            self.convoys_attacked as f64,
            f64::from(self.shortage_days),
            self.unserved_litres,
            self.peak_price,
            self.mean_price,
            self.final_stock_litres,
            self.in_transit_litres,
        ]
    }
}

fn reset_to<T: Clone>(v: &mut Vec<T>, len: usize, value: T) {
    v.clear();
    v.resize(len, value);
}
