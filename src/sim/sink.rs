//! The sinks' days (MODEL.md section 6): arrivals join the discharge backlog, the backlog
//! enters storage as far as it has room, each demand class asks for its normal demand or its
//! ration of it, priority levels are served in turn, and the street price follows the
//! smoothed share of street demand served. Sinks never feed back into the convoys, so they
//! are settled once every trip of the trial is done. No random numbers.

use super::model::{Model, SinkPlan};
use super::outcome::{ClassOutcome, DAILY, SinkOutcome, TrialOutcome, daily_classes};

/// The series of `TrialOutcome::daily`, by index.
const STOCK: usize = 0;
const DELIVERED: usize = 1;
const PRICE: usize = 2;
const SERVED: usize = 3;

/// Settles every sink of a trial whose deliveries are in `out.daily`, and then the fleets:
/// their daily losses into tankers alive, and the tankers left at the end.
pub fn settle(model: &Model, out: &mut TrialOutcome) {
    let h = model.horizon as usize;
    for (j, sink) in model.sinks.iter().enumerate() {
        let row = |series: usize| (j * DAILY.len() + series) * h;
        let classes = &mut out.classes[out.class_start[j]..out.class_start[j] + sink.classes.len()];
        // Each class's served share by day, for a sink of several classes; none otherwise.
        let tracked = out.class_daily_start[j] * h;
        let shares = &mut out.class_daily[tracked..tracked + daily_classes(sink.classes.len()) * h];
        let (daily, sink_out) = (&mut out.daily, &mut out.sinks[j]);
        let mut day = SinkDay::new(model, sink);
        for d in 0..h {
            let arrived = daily[row(DELIVERED) + d];
            let today = day.next(sink, arrived, classes);
            daily[row(STOCK) + d] = today.stock;
            daily[row(PRICE) + d] = today.price;
            daily[row(SERVED) + d] = today.served_share;
            sink_out.delivered_litres += arrived;
            for ((row, &r), class) in shares
                .chunks_exact_mut(h)
                .zip(&day.released)
                .zip(&sink.classes)
            {
                row[d] = served_share(r, class.demand);
            }
        }
        day.finish(sink_out, model.horizon);
    }
    for (s, plan) in model.streams.iter().enumerate() {
        let Some(fleet) = plan.fleet else { continue };
        let lost = out.streams[s].tankers_lost;
        out.streams[s].fleet_end = u64::from(fleet.size) - lost;
        let mut alive = fleet.size;
        for lost in &mut out.fleet_daily[fleet.index * h..(fleet.index + 1) * h] {
            alive -= *lost;
            *lost = alive;
        }
    }
}

/// The share of a normal demand served: 1 when there is no demand (MODEL.md section 6).
fn served_share(released: f64, demand: f64) -> f64 {
    if demand > 0.0 { released / demand } else { 1.0 }
}

/// What a sink's day leaves: the stock after release, the price and the share served.
struct Today {
    stock: f64,
    price: f64,
    served_share: f64,
}

/// A sink's state from day to day.
struct SinkDay<'m> {
    model: &'m Model,
    stock: f64,
    backlog: f64,
    smoothed: f64,
    /// The price depends on the smoothed ratio alone: recomputed only when that changes.
    priced: f64,
    price: f64,
    peak: f64,
    price_sum: f64,
    unserved: f64,
    shortage_days: u32,
    stockout_days: u32,
    requests: Vec<f64>,
    /// What each class received today.
    released: Vec<f64>,
}

impl<'m> SinkDay<'m> {
    fn new(model: &'m Model, sink: &SinkPlan) -> Self {
        SinkDay {
            model,
            stock: sink.initial_stock,
            backlog: 0.0,
            smoothed: 1.0,
            priced: 1.0,
            price: model.price.price(1.0),
            peak: f64::NEG_INFINITY,
            price_sum: 0.0,
            unserved: 0.0,
            shortage_days: 0,
            stockout_days: 0,
            requests: vec![0.0; sink.classes.len()],
            released: vec![0.0; sink.classes.len()],
        }
    }

    /// One day, steps 1-7 of MODEL.md section 6.
    fn next(&mut self, sink: &SinkPlan, arrived: f64, classes: &mut [ClassOutcome]) -> Today {
        // 1-2. Arrivals join the backlog, which enters storage as far as there is room.
        self.backlog += arrived;
        let room = sink.capacity - self.stock;
        let x = if self.backlog <= room {
            self.backlog
        } else {
            room
        };
        self.stock += x;
        self.backlog -= x;
        // 3-4. Cover and requests.
        let cover = if sink.demand > 0.0 {
            self.stock / sink.demand
        } else {
            f64::INFINITY
        };
        for (q, class) in self.requests.iter_mut().zip(&sink.classes) {
            *q = class.demand * class.share(cover);
        }
        // 5-6. Release by priority, and what goes unserved against normal demand.
        let (mut released, mut street_released, mut unserved) = (0.0, 0.0, 0.0);
        for &(lo, hi) in &sink.levels {
            let level = &sink.order[lo..hi];
            let wanted: f64 = level.iter().map(|&k| self.requests[k]).sum();
            let available = self.stock;
            let full = wanted <= available;
            for &k in level {
                let class = &sink.classes[k];
                let r = if full {
                    self.requests[k]
                } else {
                    available * (self.requests[k] / wanted)
                };
                let u = class.demand - r;
                self.released[k] = r;
                let out = &mut classes[k];
                out.released_litres += r;
                out.unserved_litres += u;
                if u > 0.0 {
                    out.shortage_days += 1;
                }
                released += r;
                unserved += u;
                if class.street {
                    street_released += r;
                }
            }
            self.stock = if full { self.stock - wanted } else { 0.0 };
        }
        if unserved > 0.0 {
            self.shortage_days += 1;
            self.unserved += unserved;
            if self.stock == 0.0 {
                self.stockout_days += 1;
            }
        }
        // 7. The street price, from the smoothed share of street demand served.
        let ratio = if sink.street_demand > 0.0 {
            street_released / sink.street_demand
        } else {
            1.0
        };
        self.smoothed = self.model.price.smooth(self.smoothed, ratio);
        if self.smoothed.to_bits() != self.priced.to_bits() {
            (self.priced, self.price) = (self.smoothed, self.model.price.price(self.smoothed));
        }
        self.peak = self.peak.max(self.price);
        self.price_sum += self.price;
        Today {
            stock: self.stock,
            price: self.price,
            served_share: served_share(released, sink.demand),
        }
    }

    fn finish(self, out: &mut SinkOutcome, horizon: u32) {
        out.unserved_litres = self.unserved;
        out.shortage_days = self.shortage_days;
        out.stockout_days = self.stockout_days;
        out.peak_price = self.peak;
        out.mean_price = self.price_sum / f64::from(horizon);
        out.final_stock_litres = self.stock;
        out.backlog_litres = self.backlog;
    }
}
