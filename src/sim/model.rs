//! A scenario compiled into flat tables for the trial loop: directed edges, day -> epoch,
//! per-epoch hazards and scheduled closures for each convoy class, attack probabilities per
//! mover, route profiles and lazily built route trees. Built once per run; read-only and
//! shared by all threads. No I/O, no serde.

use std::sync::OnceLock;

use rand_distr::Beta;

use super::routing::{Tree, build_tree};
use crate::network::Ways;
use crate::price::PriceModel;
use crate::scenario::{Cover, Direction, Routing, Scenario};

/// Loaded convoys on their way to the sink, or empty tankers on their way back.
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
    pub loss_mult: f64,
    /// km / speed per edge, in days.
    pub travel: Vec<f64>,
    /// P_attack per (epoch, directed edge): `p_attack[epoch * n_dedges + dedge]`.
    pub p_attack: Vec<f64>,
}

/// What a route plan minimises: km, or km plus `risk` km per expected attack.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RouteProfile {
    pub class: Class,
    /// `Some((risk_km_per_attack, attack_mult))` for `safest`.
    pub safest: Option<(f64, f64)>,
}

/// How a leg (to the sink, or back) chooses its path.
#[derive(Debug, Clone)]
pub enum RouteRule {
    /// Follow shortest-path trees toward `targets[target]` under `profiles[profile]`.
    Planned { target: usize, profile: usize },
    /// A fixed sequence of directed edges, never re-planned.
    Fixed(Vec<u32>),
}

#[derive(Debug, Clone)]
pub struct Leg {
    pub mover: usize,
    pub route: RouteRule,
    /// The node the leg ends at.
    pub target: u32,
}

#[derive(Debug, Clone)]
pub struct StreamPlan {
    pub source: u32,
    pub departures: Vec<u32>,
    pub tankers: u32,
    pub tanker_litres: f64,
    pub outbound: Leg,
    /// Fleet streams only: the tankers they own, and the way back.
    pub fleet: Option<(u32, Leg)>,
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
    pub sink: u32,
    pub initial_stock: f64,
    pub daily_demand: f64,
    pub unload_days: f64,
    pub price: PriceModel,
    pub loss: Beta<f64>,
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
    pub streams: Vec<StreamPlan>,
    pub processes: Vec<ClosureProcess>,
    /// For (directed edge, class): the processes that can close it,
    /// `process_ids[process_start[k]..process_start[k + 1]]` with `k = dedge * 2 + class`.
    pub process_start: Vec<u32>,
    pub process_ids: Vec<u32>,
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

        let km: Vec<f64> = net.edges().map(|e| e.km).collect();
        let mut model = Model {
            horizon,
            n_nodes: net.node_count(),
            dwell: net.nodes().map(|n| n.dwell_days).collect(),
            sink: s.sink.node as u32,
            initial_stock: s.sink.initial_stock_litres,
            daily_demand: s.sink.daily_demand_litres,
            unload_days: s.sink.unload_days,
            price: s.price.clone(),
            loss: Beta::new(s.attack.loss_alpha, s.attack.loss_beta)
                .expect("validated: alpha, beta > 0"),
            dedge_to,
            km,
            in_start,
            in_dedges,
            day_epoch,
            epoch_start,
            hazard,
            closed,
            movers: Vec::new(),
            profiles: Vec::new(),
            targets: vec![s.sink.node as u32],
            streams: Vec::new(),
            processes: Vec::new(),
            process_start: Vec::new(),
            process_ids: Vec::new(),
            trees: Vec::new(),
        };
        let mut mover_keys: Vec<(Class, usize, u64)> = Vec::new();
        for st in &s.streams {
            let out_mover = model.mover(
                &mut mover_keys,
                s,
                Class::Loaded,
                st.escort,
                s.speed(st, st.escort),
            );
            let outbound = model.leg(s, st, Class::Loaded, out_mover, model.sink);
            let fleet = st.fleet.map(|f| {
                let back_mover = model.mover(
                    &mut mover_keys,
                    s,
                    Class::Empty,
                    st.return_escort,
                    s.speed(st, st.return_escort),
                );
                (
                    f,
                    model.leg(s, st, Class::Empty, back_mover, st.from as u32),
                )
            });
            model.streams.push(StreamPlan {
                source: st.from as u32,
                departures: st.departure_days(horizon).collect(),
                tankers: st.tankers,
                tanker_litres: st.tanker_litres,
                outbound,
                fleet,
            });
        }
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

    #[inline]
    pub fn processes_for(&self, dedge: u32, class: Class) -> &[u32] {
        if self.process_ids.is_empty() {
            return &[];
        }
        let k = dedge as usize * 2 + class as usize;
        &self.process_ids[self.process_start[k] as usize..self.process_start[k + 1] as usize]
    }

    pub fn has_random_closures(&self) -> bool {
        !self.processes.is_empty()
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

    /// The tree toward `targets[target]` under `profiles[profile]` in `epoch`, over the
    /// edges open under the scheduled closures, or over every edge when `all_open`.
    pub fn tree(&self, target: usize, profile: usize, epoch: u32, all_open: bool) -> &Tree {
        let slot = (((target * self.profiles.len()) + profile) * self.n_epochs() + epoch as usize)
            * 2
            + usize::from(all_open);
        self.trees[slot].get_or_init(|| {
            let p = self.profiles[profile];
            build_tree(
                self,
                self.targets[target],
                |d| self.route_cost(&p, epoch, d),
                |d| !all_open && self.sched_closed(epoch, p.class, d),
            )
        })
    }

    fn mover(
        &mut self,
        keys: &mut Vec<(Class, usize, u64)>,
        s: &Scenario,
        class: Class,
        escort: usize,
        speed: f64,
    ) -> usize {
        let key = (class, escort, speed.to_bits());
        if let Some(i) = keys.iter().position(|k| *k == key) {
            return i;
        }
        let level = &s.escorts[escort];
        let n_dedges = self.n_dedges();
        let mut p_attack = vec![0.0; self.n_epochs() * n_dedges];
        for k in 0..self.n_epochs() {
            for d in 0..n_dedges {
                let h = self.hazard[(k * 2 + class as usize) * n_dedges + d];
                p_attack[k * n_dedges + d] =
                    attack_probability(h, self.km[d / 2], level.attack_mult);
            }
        }
        self.movers.push(Mover {
            class,
            loss_mult: level.loss_mult,
            travel: self.km.iter().map(|km| km / speed).collect(),
            p_attack,
        });
        keys.push(key);
        self.movers.len() - 1
    }

    fn leg(
        &mut self,
        s: &Scenario,
        st: &crate::scenario::Stream,
        class: Class,
        mover: usize,
        to: u32,
    ) -> Leg {
        let route = if st.routing == Routing::Fixed {
            let mut path: Vec<u32> = st
                .fixed_path
                .windows(2)
                .map(|w| {
                    let e = s
                        .network
                        .edge_between(w[0], w[1])
                        .expect("consecutive path nodes share an edge");
                    (2 * e + usize::from(s.network.edge(e).from != w[0])) as u32
                })
                .collect();
            if class == Class::Empty {
                // MODEL.md section 10: a fixed stream returns along its outbound path reversed.
                path.reverse();
                path.iter_mut().for_each(|d| *d ^= 1);
            }
            RouteRule::Fixed(path)
        } else {
            let attack_mult = s.escorts[if class == Class::Loaded {
                st.escort
            } else {
                st.return_escort
            }]
            .attack_mult;
            let profile = RouteProfile {
                class,
                safest: (st.routing == Routing::Safest)
                    .then_some((st.risk_km_per_attack, attack_mult)),
            };
            let profile = match self.profiles.iter().position(|p| *p == profile) {
                Some(i) => i,
                None => {
                    self.profiles.push(profile);
                    self.profiles.len() - 1
                }
            };
            let target = match self.targets.iter().position(|&t| t == to) {
                Some(i) => i,
                None => {
                    self.targets.push(to);
                    self.targets.len() - 1
                }
            };
            RouteRule::Planned { target, profile }
        };
        Leg {
            mover,
            route,
            target: to,
        }
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
        self.process_start = vec![0];
        for list in &lists {
            self.process_ids.extend_from_slice(list);
            self.process_start.push(self.process_ids.len() as u32);
        }
    }
}

/// P_attack = 1 - exp(-h × km / 100 × attack_mult) (MODEL.md section 4).
#[inline]
pub fn attack_probability(hazard: f64, km: f64, attack_mult: f64) -> f64 {
    if hazard == 0.0 || attack_mult == 0.0 {
        0.0
    } else {
        1.0 - (-(hazard * km / 100.0 * attack_mult)).exp()
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
