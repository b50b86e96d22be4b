//! A scenario compiled into flat tables for the trial loop: directed edges, day -> epoch,
//! per-epoch hazards and scheduled closures for each convoy class, the attack hazard per
//! mover, route profiles and lazily built route trees, each stream's departures and legs,
//! the staging points and the sinks. Built once per run; read-only and shared by all
//! threads. No I/O, no serde. The compilation of streams, staging points and sinks is in
//! `compile`.

use std::sync::OnceLock;

use super::losses::LossLaw;
use super::routing::{Tree, build_tree};
use crate::network::Ways;
use crate::price::PriceModel;
use crate::scenario::{Cover, Direction, Scenario};

mod compile;

pub use compile::{ClassPlan, SinkPlan, StagingPlan, StreamPlan};

/// Loaded convoys on their way to a sink or a staging point, or empty tankers on their way
/// home.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Class {
    Loaded = 0,
    Empty = 1,
}

pub const NONE: u32 = u32::MAX;

/// How a group of vehicles moves and suffers: one per distinct (class, escort, speed).
#[derive(Debug)]
pub struct Mover {
    pub class: Class,
    /// Index into `Model::losses`: the loss law of its escort's `loss_mult`.
    pub loss: usize,
    /// The probability that an attack is a seizure: min(1, seize_prob × seize_mult).
    pub seize: f64,
    /// km / speed per edge, in days.
    pub travel: Vec<f64>,
    /// The attack hazard of entering an edge, h × km / 100 × attack_mult, per (epoch,
    /// directed edge): `lambda[epoch * n_dedges + dedge]`. P_attack = 1 - exp(-lambda ×
    /// size factor).
    pub lambda: Vec<f64>,
    /// exp(-lambda) per (epoch, directed edge): the chance that entering the edge brings no
    /// attack, for a size factor of 1.
    pub spared: Vec<f64>,
}

/// What a route plan minimises: km, or km plus `risk` km per expected attack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouteProfile {
    pub class: Class,
    /// `Some((risk_km_per_attack, attack_mult))` for `safest`.
    pub safest: Option<(f64, f64)>,
}

/// How a leg chooses its path.
#[derive(Debug, Clone)]
pub enum RouteRule {
    /// Follow shortest-path trees toward `targets[target]` under `profiles[profile]`.
    Planned { target: usize, profile: usize },
    /// A fixed sequence of directed edges, never re-planned.
    Fixed(Vec<u32>),
}

/// One way a convoy drives: to a sink, to a staging point, or home empty.
#[derive(Debug, Clone)]
pub struct Leg {
    pub mover: usize,
    pub route: RouteRule,
    /// The node the leg ends at.
    pub target: u32,
}

/// One random-closure process: one `[[random_closure]]` entry on one edge.
#[derive(Debug, Clone)]
pub struct ClosureProcess {
    pub per_day: f64,
    pub mean_days: f64,
    pub from_day: u32,
    /// Exclusive, at most the horizon.
    pub to_day: u32,
}

#[derive(Debug)]
pub struct Model {
    pub horizon: u32,
    pub n_nodes: usize,
    pub dwell: Vec<f64>,
    pub sinks: Vec<SinkPlan>,
    pub price: PriceModel,
    /// The hazard's convoy-size factor (n / size_ref)^size_exponent (MODEL.md section 12).
    pub size_exponent: f64,
    pub size_ref: f64,
    /// One loss law per distinct escort `loss_mult`.
    pub losses: Vec<LossLaw>,
    /// Directed edge `2e` runs from -> to as written, `2e + 1` back.
    pub dedge_to: Vec<u32>,
    pub km: Vec<f64>,
    /// For node v, the directed edges that end at v: `in_dedges[in_start[v]..in_start[v + 1]]`.
    pub in_start: Vec<u32>,
    pub in_dedges: Vec<u32>,
    pub day_epoch: Vec<u32>,
    pub epoch_start: Vec<u32>,
    /// Per (epoch, class, directed edge): `[(epoch * 2 + class) * n_dedges + dedge]`.
    pub hazard: Vec<f64>,
    pub closed: Vec<bool>,
    pub movers: Vec<Mover>,
    pub profiles: Vec<RouteProfile>,
    pub targets: Vec<u32>,
    pub legs: Vec<Leg>,
    pub streams: Vec<StreamPlan>,
    /// How many streams have a fleet; `StreamPlan::fleet_index` numbers them.
    pub fleets: usize,
    pub staging: Vec<StagingPlan>,
    /// Every departure as (stream, k), by day and then in stream order:
    /// `departures[day_start[d]..day_start[d + 1]]` leave on day d.
    pub day_start: Vec<u32>,
    pub departures: Vec<(u32, u32)>,
    pub processes: Vec<ClosureProcess>,
    /// The (directed edge, class) pairs some random-closure process can close, numbered:
    /// `closable[dedge * 2 + class]` is the pair's slot, or `NONE`.
    pub closable: Vec<u32>,
    /// Per slot: its directed edge, and the processes that can close it
    /// (`slot_processes[slot_start[k]..slot_start[k + 1]]`).
    pub slot_dedge: Vec<u32>,
    pub slot_start: Vec<u32>,
    pub slot_processes: Vec<u32>,
    /// Route trees, built on first use: [(((target * profiles) + profile) * epochs + epoch) * 2 + all_open].
    trees: Vec<OnceLock<Tree>>,
}

impl Model {
    pub fn new(s: &Scenario) -> Model {
        let net = &s.network;
        let horizon = s.horizon_days;
        let n_dedges = 2 * net.edge_count();
        let mut dedge_to = Vec::with_capacity(n_dedges);
        for e in net.edges() {
            dedge_to.extend([e.to as u32, e.from as u32]);
        }
        let mut incoming: Vec<Vec<u32>> = vec![Vec::new(); net.node_count()];
        for (d, &to) in dedge_to.iter().enumerate() {
            incoming[to as usize].push(d as u32);
        }
        let mut in_start = vec![0u32];
        let mut in_dedges = Vec::with_capacity(n_dedges);
        for list in &incoming {
            in_dedges.extend_from_slice(list);
            in_start.push(in_dedges.len() as u32);
        }

        // Epochs: maximal runs of days on which no scheduled threat or closure starts or ends.
        let mut bounds = vec![0, horizon];
        for c in s
            .threats
            .iter()
            .map(|t| &t.cover)
            .chain(s.closures.iter().map(|c| &c.cover))
        {
            bounds.extend([c.from_day.min(horizon), c.to_day.min(horizon)]);
        }
        bounds.sort_unstable();
        bounds.dedup();
        let epoch_start: Vec<u32> = bounds[..bounds.len() - 1].to_vec();
        let n_epochs = epoch_start.len();
        let mut day_epoch = vec![0u32; horizon as usize];
        for (k, w) in bounds.windows(2).enumerate() {
            day_epoch[w[0] as usize..w[1] as usize].fill(k as u32);
        }
        let mut hazard = vec![0.0; n_epochs * 2 * n_dedges];
        let mut closed = vec![false; n_epochs * 2 * n_dedges];
        for (k, &start) in epoch_start.iter().enumerate() {
            let active = |c: &Cover| c.from_day <= start && start < c.to_day;
            for t in s.threats.iter().filter(|t| active(&t.cover)) {
                for_each_covered(&t.cover, n_dedges, |class, d| {
                    hazard[(k * 2 + class) * n_dedges + d] += t.attacks_per_100km
                });
            }
            for c in s.closures.iter().filter(|c| active(&c.cover)) {
                for_each_covered(&c.cover, n_dedges, |class, d| {
                    closed[(k * 2 + class) * n_dedges + d] = true
                });
            }
        }

        let mut model = Model {
            horizon,
            n_nodes: net.node_count(),
            dwell: net.nodes().map(|n| n.dwell_days).collect(),
            sinks: Vec::new(),
            price: s.price.clone(),
            size_exponent: s.attack.size_exponent,
            size_ref: s.attack.size_ref,
            losses: Vec::new(),
            dedge_to,
            km: net.edges().map(|e| e.km).collect(),
            in_start,
            in_dedges,
            day_epoch,
            epoch_start,
            hazard,
            closed,
            movers: Vec::new(),
            profiles: Vec::new(),
            targets: Vec::new(),
            legs: Vec::new(),
            streams: Vec::new(),
            fleets: 0,
            staging: Vec::new(),
            day_start: Vec::new(),
            departures: Vec::new(),
            processes: Vec::new(),
            closable: Vec::new(),
            slot_dedge: Vec::new(),
            slot_start: vec![0],
            slot_processes: Vec::new(),
            trees: Vec::new(),
        };
        compile::compile(&mut model, s);
        model.compile_random_closures(s);
        let slots = model.targets.len() * model.profiles.len() * n_epochs * 2;
        model.trees = (0..slots).map(|_| OnceLock::new()).collect();
        model
    }

    pub fn n_dedges(&self) -> usize {
        self.dedge_to.len()
    }

    pub fn n_epochs(&self) -> usize {
        self.epoch_start.len()
    }

    #[inline]
    pub fn sched_closed(&self, epoch: u32, class: Class, dedge: u32) -> bool {
        self.closed[(epoch as usize * 2 + class as usize) * self.n_dedges() + dedge as usize]
    }

    /// Which directed edges the scheduled closures of `epoch` close to `class`.
    #[inline]
    pub fn closed_row(&self, epoch: u32, class: Class) -> &[bool] {
        let n = self.n_dedges();
        let start = (epoch as usize * 2 + class as usize) * n;
        &self.closed[start..start + n]
    }

    /// The first day after `day` on which the scheduled threats and closures change, or
    /// `u32::MAX` if they never do again.
    pub fn next_epoch_day(&self, day: u32) -> u32 {
        let next = self.day_epoch[day as usize] as usize + 1;
        self.epoch_start.get(next).copied().unwrap_or(u32::MAX)
    }

    /// The slot of (`dedge`, `class`) if a random closure can close it, else `NONE`.
    #[inline]
    pub fn closable(&self, dedge: u32, class: Class) -> u32 {
        if self.closable.is_empty() {
            return NONE;
        }
        self.closable[dedge as usize * 2 + class as usize]
    }

    pub fn has_random_closures(&self) -> bool {
        !self.processes.is_empty()
    }

    /// The departures of day `d`, in stream order.
    #[inline]
    pub fn departures_on(&self, d: u32) -> &[(u32, u32)] {
        &self.departures
            [self.day_start[d as usize] as usize..self.day_start[d as usize + 1] as usize]
    }

    /// The cost of entering `dedge` in `epoch` under a route profile.
    #[inline]
    pub fn route_cost(&self, profile: &RouteProfile, epoch: u32, dedge: u32) -> f64 {
        let km = self.km[dedge as usize / 2];
        match profile.safest {
            None => km,
            Some((risk, mult)) => {
                let h = self.hazard[(epoch as usize * 2 + profile.class as usize)
                    * self.n_dedges()
                    + dedge as usize];
                km + risk * attack_probability(h, km, mult)
            }
        }
    }

    /// The index of the tree slot of (target, profile, epoch, all_open): a tree's identity.
    pub fn tree_slot(&self, target: usize, profile: usize, epoch: u32, all_open: bool) -> usize {
        (((target * self.profiles.len()) + profile) * self.n_epochs() + epoch as usize) * 2
            + usize::from(all_open)
    }

    /// The tree of a slot: toward `targets[target]` under `profiles[profile]` in `epoch`,
    /// over the edges open under the scheduled closures, or over every edge when `all_open`.
    pub fn tree_at(&self, slot: usize) -> &Tree {
        self.trees[slot].get_or_init(|| {
            let all_open = slot % 2 == 1;
            let epoch = (slot / 2 % self.n_epochs()) as u32;
            let profile = slot / 2 / self.n_epochs() % self.profiles.len();
            let target = slot / 2 / self.n_epochs() / self.profiles.len();
            let p = self.profiles[profile];
            build_tree(
                self,
                self.targets[target],
                |d| self.route_cost(&p, epoch, d),
                |d| !all_open && self.sched_closed(epoch, p.class, d),
            )
        })
    }

    fn compile_random_closures(&mut self, s: &Scenario) {
        let n_dedges = self.n_dedges();
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n_dedges * 2];
        for rc in &s.random_closures {
            for &(e, ways) in &rc.cover.edges {
                let id = self.processes.len() as u32;
                self.processes.push(ClosureProcess {
                    per_day: rc.per_day,
                    mean_days: rc.mean_days,
                    from_day: rc.cover.from_day,
                    to_day: rc.cover.to_day.min(self.horizon),
                });
                for &class in classes(rc.cover.direction) {
                    for d in dedges(e, ways) {
                        lists[d * 2 + class as usize].push(id);
                    }
                }
            }
        }
        if self.processes.is_empty() {
            return;
        }
        self.closable = vec![NONE; n_dedges * 2];
        for (k, list) in lists.iter().enumerate().filter(|(_, l)| !l.is_empty()) {
            self.closable[k] = self.slot_dedge.len() as u32;
            self.slot_dedge.push((k / 2) as u32);
            self.slot_processes.extend_from_slice(list);
            self.slot_start.push(self.slot_processes.len() as u32);
        }
    }
}

/// P_attack = 1 - exp(-h × km / 100 × attack_mult) (MODEL.md section 4), without the size
/// factor, as `safest` planning weighs it.
#[inline]
pub fn attack_probability(hazard: f64, km: f64, attack_mult: f64) -> f64 {
    1.0 - (-attack_hazard(hazard, km, attack_mult)).exp()
}

/// h × km / 100 × attack_mult: the exponent of P_attack.
#[inline]
pub fn attack_hazard(hazard: f64, km: f64, attack_mult: f64) -> f64 {
    if hazard == 0.0 || attack_mult == 0.0 {
        0.0
    } else {
        hazard * km / 100.0 * attack_mult
    }
}

fn classes(direction: Direction) -> &'static [Class] {
    match direction {
        Direction::Both => &[Class::Loaded, Class::Empty],
        Direction::Inbound => &[Class::Loaded],
        Direction::Outbound => &[Class::Empty],
    }
}

fn dedges(e: usize, ways: Ways) -> impl Iterator<Item = usize> {
    [(Ways::FORWARD, 2 * e), (Ways::BACKWARD, 2 * e + 1)]
        .into_iter()
        .filter(move |(w, _)| ways.contains(*w))
        .map(|(_, d)| d)
}

fn for_each_covered(cover: &Cover, n_dedges: usize, mut f: impl FnMut(usize, usize)) {
    debug_assert!(cover.edges.iter().all(|&(e, _)| 2 * e < n_dedges));
    for &class in classes(cover.direction) {
        for &(e, ways) in &cover.edges {
            for d in dedges(e, ways) {
                f(class as usize, d);
            }
        }
    }
}
