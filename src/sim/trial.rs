//! One Monte Carlo trial, exactly as MODEL.md defines it: convoys depart, dwell, meet
//! closures (wait or re-plan), are attacked, deliver; fleet tankers return; then the sink
//! releases stock day by day and the street price follows. No I/O, no allocation once the
//! worker's buffers have grown.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use rand_distr::{Binomial, Distribution};

use super::closures::ClosureState;
use super::model::{Class, Leg, Model, Mover, RouteRule};
use super::outcome::TrialOutcome;
use super::rng::{SimRng, departure_rng, uniform};
use super::routing::{Tree, build_tree_into};
use crate::price::supply_ratio;

/// Hooks into a trial's events, for tests and traces. Every method defaults to nothing, so
/// the plain run ([`NoTrace`]) compiles to no extra work.
pub trait Observer {
    /// A convoy of `tankers` leaves its stream's source on `day`.
    fn depart(&mut self, _stream: usize, _day: u32, _tankers: u32) {}
    /// A convoy of `tankers` enters directed edge `dedge` at time `tau`.
    fn enter(&mut self, _stream: usize, _class: Class, _dedge: u32, _tau: f64, _tankers: u32) {}
    /// An attack destroys `lost` of the convoy's tankers (possibly none).
    fn attack(&mut self, _stream: usize, _class: Class, _dedge: u32, _tau: f64, _lost: u32) {}
    /// A convoy reaches the end of its leg (the sink, or home for empties) at `tau`.
    fn arrive(&mut self, _stream: usize, _class: Class, _tau: f64, _tankers: u32) {}
}

/// The observer that observes nothing.
pub struct NoTrace;
impl Observer for NoTrace {}

/// A worker's reusable buffers.
#[derive(Debug, Default)]
pub struct Scratch {
    closures: ClosureState,
    local: LocalTrees,
    /// Fleet tankers on their way home: (arrival time bits, sequence, count).
    returns: BinaryHeap<Reverse<(u64, u32, u32)>>,
}

/// Route trees built inside a trial, when random closures block a shared tree's path.
#[derive(Debug, Default)]
struct LocalTrees {
    index: HashMap<(usize, usize, u32), usize>,
    trees: Vec<Tree>,
    used: usize,
    dist: Vec<f64>,
}

/// How a leg ends.
enum TripEnd {
    Arrived(f64),
    Destroyed,
    /// Still on the road when the horizon ends.
    Unfinished,
}

#[derive(Clone, Copy)]
enum Plan<'m> {
    Shared(&'m Tree),
    Local(usize),
    Fixed(usize),
}

struct Trial<'a, 'm, O> {
    model: &'m Model,
    seed: u64,
    trial: u64,
    scratch: &'a mut Scratch,
    out: &'a mut TrialOutcome,
    obs: &'a mut O,
    stream: usize,
    litres: f64,
    fleet: Option<usize>,
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
    out.reset(model);
    scratch.closures.begin(model, seed, trial);
    scratch.local.index.clear();
    scratch.local.used = 0;
    let mut t = Trial {
        model,
        seed,
        trial,
        scratch,
        out,
        obs,
        stream: 0,
        litres: 0.0,
        fleet: None,
    };
    let mut fleet_index = 0;
    for (s, plan) in model.streams.iter().enumerate() {
        t.stream = s;
        t.litres = plan.tanker_litres;
        match &plan.fleet {
            None => {
                t.fleet = None;
                for (k, &day) in plan.departures.iter().enumerate() {
                    t.obs.depart(s, day, plan.tankers);
                    let mut rng = departure_rng(seed, trial, s, k);
                    let mut n = plan.tankers;
                    let end = t.drive(
                        &mut rng,
                        &plan.outbound,
                        plan.source,
                        f64::from(day),
                        model.dwell[plan.source as usize],
                        &mut n,
                    );
                    t.settle_loaded(end, n);
                }
            }
            Some((fleet, back)) => {
                t.fleet = Some(fleet_index);
                t.run_fleet(*fleet, back);
                fleet_index += 1;
            }
        }
    }
    settle_sink(model, out);
}

impl<'m, O: Observer> Trial<'_, 'm, O> {
    /// MODEL.md section 10: a stream that owns `fleet` tankers, which go out loaded, unload,
    /// and come back empty to be loaded again.
    fn run_fleet(&mut self, fleet: u32, back: &'m Leg) {
        let (m, s) = (self.model, self.stream);
        let plan = &m.streams[s];
        let mut home = fleet;
        self.scratch.returns.clear();
        for (k, &day) in plan.departures.iter().enumerate() {
            while let Some(&Reverse((bits, _, n))) = self.scratch.returns.peek() {
                if f64::from_bits(bits) > f64::from(day) {
                    break;
                }
                home += n;
                self.scratch.returns.pop();
            }
            let take = plan.tankers.min(home);
            self.out.streams[s].tankers_short += u64::from(plan.tankers - take);
            if take == 0 {
                self.out.streams[s].departures_skipped += 1;
                continue;
            }
            home -= take;
            self.obs.depart(s, day, take);
            let mut rng = departure_rng(self.seed, self.trial, s, k);
            let mut n = take;
            let end = self.drive(
                &mut rng,
                &plan.outbound,
                plan.source,
                f64::from(day),
                m.dwell[plan.source as usize],
                &mut n,
            );
            let arrived = if let TripEnd::Arrived(tau) = end {
                Some(tau)
            } else {
                None
            };
            self.settle_loaded(end, n);
            if let Some(tau) = arrived {
                // Unloading replaces the sink's dwell; the way back is planned when it ends.
                if let TripEnd::Arrived(home_tau) =
                    self.drive(&mut rng, back, m.sink, tau + m.unload_days, 0.0, &mut n)
                {
                    let seq = self.scratch.returns.len() as u32;
                    self.scratch
                        .returns
                        .push(Reverse((home_tau.to_bits(), seq, n)));
                }
            }
        }
        let out = &mut self.out.streams[s];
        out.fleet_end = u64::from(fleet) - out.tankers_lost;
    }

    fn settle_loaded(&mut self, end: TripEnd, n: u32) {
        let litres = f64::from(n) * self.litres;
        match end {
            TripEnd::Arrived(tau) if tau < f64::from(self.model.horizon) => {
                self.out.delivered[tau as usize] += litres;
                self.out.streams[self.stream].delivered_litres += litres;
            }
            TripEnd::Arrived(_) | TripEnd::Unfinished => self.out.in_transit_litres += litres,
            TripEnd::Destroyed => {}
        }
    }

    /// Drives one leg (MODEL.md section 3, "Movement"): planned on day floor(tau_plan),
    /// then `first_wait` days at the start node, then edge after edge.
    fn drive(
        &mut self,
        rng: &mut SimRng,
        leg: &'m Leg,
        start: u32,
        tau_plan: f64,
        first_wait: f64,
        n: &mut u32,
    ) -> TripEnd {
        let m = self.model;
        let horizon = f64::from(m.horizon);
        if tau_plan >= horizon {
            return TripEnd::Unfinished;
        }
        let mover = &m.movers[leg.mover];
        let class = mover.class;
        let n_dedges = m.n_dedges();
        let mut plan = self.initial_plan(leg, class, start, tau_plan as u32);
        let mut node = start;
        let mut tau = tau_plan + first_wait;
        // The epoch's rows of the closure and attack tables, looked up again only when the
        // epoch changes (a few times a trip at most).
        let (mut row_epoch, mut closed_row, mut p_row): (u32, &[bool], &[f64]) =
            (u32::MAX, &[], &[]);
        loop {
            if tau >= horizon {
                return TripEnd::Unfinished;
            }
            let day = tau as u32;
            let epoch = m.day_epoch[day as usize];
            if epoch != row_epoch {
                row_epoch = epoch;
                closed_row = m.closed_row(epoch, class);
                p_row = &mover.p_attack[epoch as usize * n_dedges..(epoch as usize + 1) * n_dedges];
            }
            let mut dedge = self.next_dedge(plan, leg, node);
            let closed = closed_row[dedge as usize]
                || (m.has_random_closures() && self.scratch.closures.closed(m, dedge, class, day));
            if closed {
                let replanned = match leg.route {
                    RouteRule::Fixed(_) => None,
                    RouteRule::Planned { target, profile } => {
                        self.plan_tree(target, profile, class, node, day)
                    }
                };
                match replanned {
                    Some(p) => {
                        plan = p;
                        dedge = self.next_dedge(plan, leg, node);
                    }
                    None => {
                        tau = f64::from(day + 1);
                        continue;
                    }
                }
            }
            self.out.traversals += 1;
            self.obs.enter(self.stream, class, dedge, tau, *n);
            let p = p_row[dedge as usize];
            if p > 0.0 && uniform(rng) < p {
                self.attack(rng, mover, dedge, tau, n);
                if *n == 0 {
                    return TripEnd::Destroyed;
                }
            }
            tau += mover.travel[dedge as usize / 2];
            node = m.dedge_to[dedge as usize];
            if let Plan::Fixed(pos) = &mut plan {
                *pos += 1;
            }
            if node == leg.target {
                self.obs.arrive(self.stream, class, tau, *n);
                return TripEnd::Arrived(tau);
            }
            tau += m.dwell[node as usize];
        }
    }

    /// MODEL.md section 4: an attack destroys k ~ Binomial(n, min(1, f × loss_mult)) tankers,
    /// f ~ Beta(alpha, beta).
    fn attack(&mut self, rng: &mut SimRng, mover: &Mover, dedge: u32, tau: f64, n: &mut u32) {
        let f = (self.model.loss.sample(rng) * mover.loss_mult).min(1.0);
        let lost = if f <= 0.0 {
            0
        } else if f >= 1.0 {
            *n
        } else {
            Binomial::new(u64::from(*n), f)
                .expect("0 < f < 1")
                .sample(rng) as u32
        };
        *n -= lost;
        let edge = dedge as usize / 2;
        let out = &mut *self.out;
        out.convoys_attacked += 1;
        out.tankers_lost += u64::from(lost);
        out.attacks.push((edge as u32, lost));
        let stream = &mut out.streams[self.stream];
        stream.convoys_attacked += 1;
        stream.tankers_lost += u64::from(lost);
        if mover.class == Class::Loaded {
            out.lost_litres += f64::from(lost) * self.litres;
        }
        if let Some(f) = self.fleet {
            out.fleet_daily[f * self.model.horizon as usize + tau as usize] += lost;
        }
        self.obs.attack(self.stream, mover.class, dedge, tau, lost);
    }

    #[inline]
    fn next_dedge(&self, plan: Plan<'m>, leg: &Leg, node: u32) -> u32 {
        match (plan, &leg.route) {
            (Plan::Shared(tree), _) => tree.next[node as usize],
            (Plan::Local(i), _) => self.scratch.local.trees[i].next[node as usize],
            (Plan::Fixed(pos), RouteRule::Fixed(path)) => path[pos],
            (Plan::Fixed(_), RouteRule::Planned { .. }) => {
                unreachable!("a fixed plan belongs to a fixed route")
            }
        }
    }

    /// MODEL.md section 3, "Routing": the plan made at departure. With no path over the
    /// edges open that day, the path it would take with every edge open.
    fn initial_plan(&mut self, leg: &'m Leg, class: Class, start: u32, day: u32) -> Plan<'m> {
        match leg.route {
            RouteRule::Fixed(_) => Plan::Fixed(0),
            RouteRule::Planned { target, profile } => self
                .plan_tree(target, profile, class, start, day)
                .unwrap_or_else(|| {
                    Plan::Shared(self.model.tree(
                        target,
                        profile,
                        self.model.day_epoch[day as usize],
                        true,
                    ))
                }),
        }
    }

    /// A plan from `node` over the edges open on `day`, or `None` if there is no path. The
    /// shared tree of the day's epoch serves unless a random closure blocks its path from
    /// `node`; then a tree over that day's open edges is built once for this trial.
    fn plan_tree(
        &mut self,
        target: usize,
        profile: usize,
        class: Class,
        node: u32,
        day: u32,
    ) -> Option<Plan<'m>> {
        let m = self.model;
        let epoch = m.day_epoch[day as usize];
        let tree = m.tree(target, profile, epoch, false);
        if !tree.reaches(node) {
            return None;
        }
        if !m.has_random_closures() || self.path_clear(tree, node, class, day, m.targets[target]) {
            return Some(Plan::Shared(tree));
        }
        let i = self.local_tree(target, profile, class, day);
        self.scratch.local.trees[i]
            .reaches(node)
            .then_some(Plan::Local(i))
    }

    fn path_clear(
        &mut self,
        tree: &Tree,
        mut node: u32,
        class: Class,
        day: u32,
        target: u32,
    ) -> bool {
        while node != target {
            let d = tree.next[node as usize];
            if self.scratch.closures.closed(self.model, d, class, day) {
                return false;
            }
            node = self.model.dedge_to[d as usize];
        }
        true
    }

    fn local_tree(&mut self, target: usize, profile: usize, class: Class, day: u32) -> usize {
        let m = self.model;
        let key = (target, profile, day);
        if let Some(&i) = self.scratch.local.index.get(&key) {
            return i;
        }
        let local = &mut self.scratch.local;
        let i = local.used;
        local.used += 1;
        if local.trees.len() < local.used {
            local.trees.push(Tree::default());
        }
        let epoch = m.day_epoch[day as usize];
        let p = m.profiles[profile];
        let closures = &mut self.scratch.closures;
        build_tree_into(
            m,
            m.targets[target],
            |d| m.route_cost(&p, epoch, d),
            |d| m.sched_closed(epoch, class, d) || closures.closed(m, d, class, day),
            &mut local.trees[i],
            &mut local.dist,
        );
        local.index.insert(key, i);
        i
    }
}

/// MODEL.md section 6: day by day, stock in, release, shortage, smoothed ratio, price.
fn settle_sink(model: &Model, out: &mut TrialOutcome) {
    let demand = model.daily_demand;
    let mut stock = model.initial_stock;
    let mut smoothed = 1.0;
    let (mut peak, mut price_sum) = (f64::NEG_INFINITY, 0.0);
    // The price depends on the smoothed ratio alone: recompute it only when that changes.
    let (mut priced, mut price) = (smoothed, model.price.price(smoothed));
    for d in 0..model.horizon as usize {
        stock += out.delivered[d];
        out.delivered_litres += out.delivered[d];
        let released = stock.min(demand);
        stock -= released;
        let unserved = demand - released;
        if unserved > 0.0 {
            out.shortage_days += 1;
            out.unserved_litres += unserved;
        }
        smoothed = model.price.smooth(smoothed, supply_ratio(released, demand));
        if smoothed.to_bits() != priced.to_bits() {
            (priced, price) = (smoothed, model.price.price(smoothed));
        }
        peak = peak.max(price);
        price_sum += price;
        out.stock[d] = stock;
        out.price[d] = price;
    }
    out.peak_price = peak;
    out.mean_price = price_sum / f64::from(model.horizon);
    out.final_stock_litres = stock;
    let h = model.horizon as usize;
    for (f, (fleet, _)) in model
        .streams
        .iter()
        .filter_map(|s| s.fleet.as_ref())
        .enumerate()
    {
        let mut alive = *fleet;
        for lost in &mut out.fleet_daily[f * h..(f + 1) * h] {
            alive -= *lost;
            *lost = alive;
        }
    }
}
