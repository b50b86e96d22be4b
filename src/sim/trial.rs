//! One Monte Carlo trial, exactly as MODEL.md defines it. This is the one place that decides
//! the order of a day (section 14): first the day's departures in stream order, each loading
//! what its depot and its fleet allow; then each staging point, in file order, forms its
//! escorted convoys. Every trip is a pure function of its inputs and its own generator
//! (`trip`), so what couples streams (a depot's loading limit, a fleet's tankers coming home,
//! tankers gathering at a staging point) is only state read at the start of a day. Once every
//! trip is done the sinks settle (`sink`). No I/O, no allocation once the worker's buffers
//! have grown.

use super::closures::ClosureState;
use super::itinerary::Itineraries;
use super::model::{Class, Model};
use super::outcome::TrialOutcome;
use super::plans::Plans;
use super::rng::{SimRng, TrialKey};
use super::staging::Staging;
use super::trip::{Attack, Driver, Trip, TripEnd, Who};

pub use super::trip::{NoTrace, Observer};

/// The default bytes a worker may keep in its caches of route trees and itineraries.
pub const CACHE_BUDGET: usize = 32 << 20;

/// A worker's reusable buffers and caches.
#[derive(Debug)]
pub struct Scratch {
    closures: ClosureState,
    plans: Plans,
    itins: Itineraries,
    budget: usize,
    attacks: Vec<Attack>,
    /// Per fleet stream: tankers at home, and tankers coming home on each day (the first
    /// day on which a departure can take them).
    home: Vec<u32>,
    absorbed: Vec<u32>,
    returns: Vec<u32>,
    /// Per node with a loading limit: (day, tankers loaded that day).
    loaded: Vec<(u32, u32)>,
    staging: Staging,
}

impl Default for Scratch {
    fn default() -> Self {
        Scratch::with_budget(CACHE_BUDGET)
    }
}

impl Scratch {
    /// Buffers whose caches keep at most about `budget` bytes.
    pub fn with_budget(budget: usize) -> Scratch {
        Scratch {
            closures: ClosureState::default(),
            plans: Plans::default(),
            itins: Itineraries::default(),
            budget,
            attacks: Vec::new(),
            home: Vec::new(),
            absorbed: Vec::new(),
            returns: Vec::new(),
            loaded: Vec::new(),
            staging: Staging::default(),
        }
    }

    /// Cache sizes, for probes.
    pub fn stats(&self) -> String {
        format!(
            "plans {} B, itineraries {} B",
            self.plans.bytes(),
            self.itins.bytes()
        )
    }

    fn begin(&mut self, model: &Model, key: TrialKey) {
        self.closures.begin(model, key);
        if self.plans.bytes() + self.itins.bytes() > self.budget {
            self.plans.clear();
            self.itins.clear();
        }
        self.itins.begin(model);
        let h = model.horizon as usize;
        self.home.clear();
        self.home.resize(model.fleets, 0);
        for st in &model.streams {
            if let Some(f) = st.fleet {
                self.home[f.index] = f.size;
            }
        }
        self.absorbed.clear();
        self.absorbed.resize(model.fleets, 0);
        self.returns.clear();
        self.returns.resize(model.fleets * h, 0);
        if self.loaded.len() != model.n_nodes {
            self.loaded = vec![(u32::MAX, 0); model.n_nodes];
        }
        self.loaded.fill((u32::MAX, 0));
        self.staging.begin(model);
    }
}

/// Runs trial `trial` of a run with seed `seed` into `out`.
pub fn simulate_trial<O: Observer>(
    model: &Model,
    seed: u64,
    trial: u64,
    scratch: &mut Scratch,
    out: &mut TrialOutcome,
    obs: &mut O,
) {
    let key = TrialKey::new(seed, trial);
    out.reset(model);
    scratch.begin(model, key);
    let mut t = Trial {
        model,
        key,
        scratch,
        out,
        obs,
    };
    for d in 0..model.horizon {
        let first = model.day_start[d as usize] as usize;
        for (i, &(s, k)) in model.departures_on(d).iter().enumerate() {
            t.depart(first + i, s as usize, k as usize, d);
        }
        for p in 0..model.staging.len() {
            t.form(p, d);
        }
    }
    t.finish_staging();
    super::sink::settle(model, out);
}

pub(super) struct Trial<'a, 'm, O> {
    pub model: &'m Model,
    pub key: TrialKey,
    pub scratch: &'a mut Scratch,
    pub out: &'a mut TrialOutcome,
    pub obs: &'a mut O,
}

impl<O: Observer> Trial<'_, '_, O> {
    /// MODEL.md sections 3, 10 and 12: departure `k` of stream `s` on day `d`, the `i`-th of
    /// the model's departures.
    fn depart(&mut self, i: usize, s: usize, k: usize, day: u32) {
        let m = self.model;
        let plan = &m.streams[s];
        let mut take = plan.tankers;
        if let Some(fleet) = plan.fleet {
            let f = fleet.index;
            let h = m.horizon as usize;
            for d in self.scratch.absorbed[f]..=day {
                self.scratch.home[f] += self.scratch.returns[f * h + d as usize];
            }
            self.scratch.absorbed[f] = day + 1;
            take = take.min(self.scratch.home[f]);
        }
        if let Some(limit) = plan.load_limit {
            let slot = &mut self.scratch.loaded[plan.source as usize];
            if slot.0 != day {
                *slot = (day, 0);
            }
            take = take.min(limit - slot.1);
            slot.1 += take;
        }
        let stream = &mut self.out.streams[s];
        stream.tankers_short += u64::from(plan.tankers - take);
        if take == 0 {
            stream.departures_skipped += 1;
            return;
        }
        if let Some(fleet) = plan.fleet {
            self.scratch.home[fleet.index] -= take;
        }
        self.obs.depart(s, day, take);
        let mut rng = self.key.departure(s, k);
        let mut n = take;
        let source_dwell = m.dwell[plan.source as usize];
        let Some(leg) = plan.outbound else {
            // A stream that starts at its own staging point joins it once loaded.
            let point = plan
                .stage
                .expect("only a staged stream has no outbound leg");
            self.join(point, f64::from(day) + source_dwell, s, k, n);
            return;
        };
        let trip = self.drive(
            &mut rng,
            Who::Stream(s),
            leg,
            plan.source,
            f64::from(day),
            source_dwell,
            &mut n,
            Some(2 * i),
        );
        self.book_stream_attacks(s, Class::Loaded);
        match (plan.stage, trip.end) {
            (Some(point), TripEnd::Arrived(tau)) => {
                let joined = tau + m.dwell[m.staging[point].node as usize];
                if joined < f64::from(m.horizon) {
                    self.join(point, joined, s, k, n);
                } else {
                    self.out.in_transit_litres += f64::from(n) * plan.tanker_litres;
                }
            }
            (_, TripEnd::Arrived(tau)) => {
                self.deliver(s, plan.sink, tau, n);
                if plan.fleet.is_some() {
                    self.go_home(&mut rng, s, tau, n, Some(2 * i + 1));
                }
            }
            (_, TripEnd::Unfinished) => {
                self.out.in_transit_litres += f64::from(n) * plan.tanker_litres
            }
            (_, TripEnd::Destroyed(_)) => {}
        }
    }

    /// Drives a leg with this trial's closures and this worker's caches.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn drive(
        &mut self,
        rng: &mut SimRng,
        who: Who,
        leg: usize,
        start: u32,
        tau_plan: f64,
        first_wait: f64,
        n: &mut u32,
        memo: Option<usize>,
    ) -> Trip {
        let scratch = &mut *self.scratch;
        scratch.attacks.clear();
        let mut driver = Driver {
            model: self.model,
            closures: &mut scratch.closures,
            plans: &mut scratch.plans,
            itins: &mut scratch.itins,
            obs: &mut *self.obs,
            attacks: &mut scratch.attacks,
            traversals: &mut self.out.traversals,
        };
        driver.drive(rng, who, leg, start, tau_plan, first_wait, n, memo)
    }

    /// Books the attacks of the trip just driven on stream `s`'s own convoy.
    fn book_stream_attacks(&mut self, s: usize, class: Class) {
        let plan = &self.model.streams[s];
        let litres = if class == Class::Loaded {
            plan.tanker_litres
        } else {
            0.0
        };
        for i in 0..self.scratch.attacks.len() {
            let a = self.scratch.attacks[i];
            let out = &mut *self.out;
            out.convoys_attacked += 1;
            out.streams[s].convoys_attacked += 1;
            out.attacks.push((a.dedge / 2, a.lost));
            self.book_loss(s, litres, &a, a.lost);
        }
    }

    /// `lost` tankers of stream `s` (carrying `litres` each) lost in attack `a`.
    pub(super) fn book_loss(&mut self, s: usize, litres: f64, a: &Attack, lost: u32) {
        let out = &mut *self.out;
        out.tankers_lost += u64::from(lost);
        out.streams[s].tankers_lost += u64::from(lost);
        out.lost_litres += f64::from(lost) * litres;
        if a.seized {
            out.tankers_seized += u64::from(lost);
        }
        if let Some(fleet) = self.model.streams[s].fleet {
            out.fleet_daily[fleet.index * self.model.horizon as usize + a.tau as usize] += lost;
        }
    }

    /// `n` tankers of stream `s` reach `sink` at `tau`: delivered on day floor(tau) within
    /// the horizon, else still in transit.
    pub(super) fn deliver(&mut self, s: usize, sink: usize, tau: f64, n: u32) {
        let m = self.model;
        let litres = f64::from(n) * m.streams[s].tanker_litres;
        if tau < f64::from(m.horizon) {
            let h = m.horizon as usize;
            self.out.daily[(sink * super::outcome::DAILY.len() + 1) * h + tau as usize] += litres;
            self.out.streams[s].delivered_litres += litres;
        } else {
            self.out.in_transit_litres += litres;
        }
    }

    /// MODEL.md section 10: `n` empty tankers of fleet stream `s`, having reached their sink
    /// at `arrived`, unload and drive home; home, they can leave again from the next day
    /// they are back by. `memo` is the memo slot of the trip home, if it has one.
    pub(super) fn go_home(
        &mut self,
        rng: &mut SimRng,
        s: usize,
        arrived: f64,
        mut n: u32,
        memo: Option<usize>,
    ) {
        let m = self.model;
        let plan = &m.streams[s];
        let fleet = plan.fleet.expect("only fleets go home");
        let sink = &m.sinks[plan.sink];
        let trip = self.drive(
            rng,
            Who::Stream(s),
            fleet.back,
            sink.node,
            arrived + sink.unload_days,
            0.0,
            &mut n,
            memo,
        );
        self.book_stream_attacks(s, Class::Empty);
        if let TripEnd::Arrived(home) = trip.end {
            let day = ceil_day(home);
            if day < m.horizon {
                self.scratch.returns[fleet.index * m.horizon as usize + day as usize] += n;
            }
        }
    }

    fn join(&mut self, point: usize, tau: f64, s: usize, k: usize, n: u32) {
        self.out.staging[point].tankers_staged += u64::from(n);
        self.scratch.staging.join(point, tau, s, k, n);
    }

    fn form(&mut self, point: usize, day: u32) {
        super::staging::form(self, point, day);
    }

    fn finish_staging(&mut self) {
        super::staging::finish(self);
    }

    pub(super) fn staging_state(&mut self) -> &mut Staging {
        &mut self.scratch.staging
    }

    pub(super) fn last_attacks(&self) -> &[Attack] {
        &self.scratch.attacks
    }
}

/// The first whole day at or after `tau` (tau >= 0), without the library call `ceil` is on
/// baseline x86-64.
#[inline]
pub(super) fn ceil_day(tau: f64) -> u32 {
    if tau >= f64::from(u32::MAX) {
        return u32::MAX;
    }
    let t = tau as u32;
    if f64::from(t) < tau { t + 1 } else { t }
}
