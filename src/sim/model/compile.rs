//! The scenario's streams, staging points and sinks compiled into plans the trial reads:
//! movers (one per distinct class, escort and speed), legs (how each kind of trip plans its
//! path), the departures of every day in stream order, and each sink's demand classes by
//! priority level.

use super::*;
use crate::scenario::{RationTier, Routing, Stream};

/// A convoy stream as the trial runs it.
#[derive(Debug, Clone)]
pub struct StreamPlan {
    pub source: u32,
    pub departures: Vec<u32>,
    pub tankers: u32,
    pub tanker_litres: f64,
    /// The leg to its sink or staging point; `None` when it starts at its staging point.
    pub outbound: Option<usize>,
    /// Fleet streams only (MODEL.md section 10).
    pub fleet: Option<Fleet>,
    /// The sink it delivers to.
    pub sink: usize,
    /// The staging point it waits at, if any.
    pub stage: Option<usize>,
    /// Its source depot's loading limit, if any (MODEL.md section 12).
    pub load_limit: Option<u32>,
}

/// A stream's own tankers: how many, the leg home, and its number among the fleet streams.
#[derive(Debug, Clone, Copy)]
pub struct Fleet {
    pub size: u32,
    pub back: usize,
    pub index: usize,
}

/// A staging point as the trial runs it (MODEL.md section 13).
#[derive(Debug, Clone)]
pub struct StagingPlan {
    pub node: u32,
    pub units: u32,
    pub max_tankers: u32,
    pub min_tankers: u32,
    /// `f64::INFINITY` when convoys wait for `min_tankers` however long it takes.
    pub max_wait_days: f64,
    pub turnaround_days: f64,
    /// The escorted leg to the sink.
    pub leg: usize,
    pub sink: usize,
    /// km per day of the escorted convoys, for the units' way back.
    pub speed: f64,
}

/// A sink's release policy (MODEL.md section 6).
#[derive(Debug, Clone)]
pub struct SinkPlan {
    pub node: u32,
    pub initial_stock: f64,
    /// `f64::INFINITY` when unlimited.
    pub capacity: f64,
    pub unload_days: f64,
    pub classes: Vec<ClassPlan>,
    /// The classes' indices, by priority level: level `i` is `order[levels[i].0..levels[i].1]`,
    /// levels in increasing priority number, classes in file order within a level.
    pub order: Vec<usize>,
    pub levels: Vec<(usize, usize)>,
    /// Σ D_k, and Σ D_k over the classes that buy on the street.
    pub demand: f64,
    pub street_demand: f64,
}

#[derive(Debug, Clone)]
pub struct ClassPlan {
    pub demand: f64,
    pub street: bool,
    /// Tiers sorted by `below_days`, increasing.
    pub ration: Vec<RationTier>,
}

impl ClassPlan {
    /// share_k(c): 1 with no ration or a cover at or above every tier; otherwise the share
    /// of the tier with the smallest `below_days` above the cover.
    #[inline]
    pub fn share(&self, cover: f64) -> f64 {
        self.ration
            .iter()
            .find(|t| t.below_days > cover)
            .map_or(1.0, |t| t.share)
    }
}

pub(super) fn compile(model: &mut Model, s: &Scenario) {
    let mut mover_keys: Vec<(Class, usize, u64)> = Vec::new();
    let mut loss_mults: Vec<u64> = Vec::new();
    let mut mover = |model: &mut Model, class: Class, escort: usize, speed: f64| {
        let key = (class, escort, speed.to_bits());
        if let Some(i) = mover_keys.iter().position(|k| *k == key) {
            return i;
        }
        let level = &s.escorts[escort];
        let loss = match loss_mults
            .iter()
            .position(|&m| m == level.loss_mult.to_bits())
        {
            Some(i) => i,
            None => {
                loss_mults.push(level.loss_mult.to_bits());
                let (a, b) = (s.attack.loss_alpha, s.attack.loss_beta);
                model.losses.push(LossLaw::new(a, b, level.loss_mult));
                model.losses.len() - 1
            }
        };
        let n_dedges = model.n_dedges();
        let mut lambda = vec![0.0; model.n_epochs() * n_dedges];
        for k in 0..model.n_epochs() {
            for d in 0..n_dedges {
                let h = model.hazard[(k * 2 + class as usize) * n_dedges + d];
                lambda[k * n_dedges + d] = attack_hazard(h, model.km[d / 2], level.attack_mult);
            }
        }
        model.movers.push(Mover {
            class,
            loss,
            seize: (s.attack.seize_prob * level.seize_mult).min(1.0),
            travel: model.km.iter().map(|km| km / speed).collect(),
            spared: lambda.iter().map(|l| (-l).exp()).collect(),
            lambda,
        });
        mover_keys.push(key);
        model.movers.len() - 1
    };

    let node_target =
        |model: &mut Model, node: usize| match model.targets.iter().position(|&t| t == node as u32)
        {
            Some(i) => i,
            None => {
                model.targets.push(node as u32);
                model.targets.len() - 1
            }
        };

    for point in &s.staging {
        let escort = point.escort;
        let m = mover(model, Class::Loaded, escort, s.staging_speed(point));
        let sink_node = s.sinks[point.to].node;
        let route = match point.routing {
            Routing::Fixed => RouteRule::Fixed(path_dedges(s, &point.fixed_path)),
            routing => {
                let safest = (routing == Routing::Safest)
                    .then_some((point.risk_km_per_attack, s.escorts[escort].attack_mult));
                let target = node_target(model, sink_node);
                RouteRule::Planned {
                    target,
                    profile: profile(model, Class::Loaded, safest),
                }
            }
        };
        model.legs.push(Leg {
            mover: m,
            route,
            target: sink_node as u32,
        });
        model.staging.push(StagingPlan {
            node: point.node as u32,
            units: point.units,
            max_tankers: point.max_tankers,
            min_tankers: point.min_tankers,
            max_wait_days: point.max_wait_days.unwrap_or(f64::INFINITY),
            turnaround_days: point.turnaround_days,
            leg: model.legs.len() - 1,
            sink: point.to,
            speed: s.staging_speed(point),
        });
    }

    for st in &s.streams {
        let target = match st.stage {
            Some(p) => s.staging[p].node,
            None => s.sinks[st.to].node,
        };
        let outbound = (st.from != target).then(|| {
            let m = mover(model, Class::Loaded, st.escort, s.speed(st, st.escort));
            let route = stream_route(model, s, st, Class::Loaded, &st.fixed_path, target);
            model.legs.push(Leg {
                mover: m,
                route,
                target: target as u32,
            });
            model.legs.len() - 1
        });
        let fleet = st.fleet.map(|size| {
            let m = mover(
                model,
                Class::Empty,
                st.return_escort,
                s.speed(st, st.return_escort),
            );
            let route = stream_route(model, s, st, Class::Empty, &st.return_path, st.from);
            model.legs.push(Leg {
                mover: m,
                route,
                target: st.from as u32,
            });
            model.fleets += 1;
            Fleet {
                size,
                back: model.legs.len() - 1,
                index: model.fleets - 1,
            }
        });
        model.streams.push(StreamPlan {
            source: st.from as u32,
            departures: st.departure_days(s.horizon_days).collect(),
            tankers: st.tankers,
            tanker_litres: st.tanker_litres,
            outbound,
            fleet,
            sink: st.to,
            stage: st.stage,
            load_limit: s.network.node(st.from).load_per_day,
        });
    }

    let mut by_day: Vec<(u32, u32, u32)> = Vec::new();
    for (i, st) in model.streams.iter().enumerate() {
        by_day.extend(
            st.departures
                .iter()
                .enumerate()
                .map(|(k, &d)| (d, i as u32, k as u32)),
        );
    }
    by_day.sort_unstable();
    model.day_start = vec![0; model.horizon as usize + 1];
    for &(d, _, _) in &by_day {
        model.day_start[d as usize + 1] += 1;
    }
    for d in 0..model.horizon as usize {
        model.day_start[d + 1] += model.day_start[d];
    }
    model.departures = by_day.iter().map(|&(_, s, k)| (s, k)).collect();

    model.sinks = s.sinks.iter().map(sink_plan).collect();
}

/// A stream's route rule for one class: its fixed path, or plans toward `target`.
fn stream_route(
    model: &mut Model,
    s: &Scenario,
    st: &Stream,
    class: Class,
    fixed_path: &[usize],
    target: usize,
) -> RouteRule {
    if st.routing == Routing::Fixed {
        return RouteRule::Fixed(path_dedges(s, fixed_path));
    }
    let escort = if class == Class::Loaded {
        st.escort
    } else {
        st.return_escort
    };
    let safest = (st.routing == Routing::Safest)
        .then_some((st.risk_km_per_attack, s.escorts[escort].attack_mult));
    let profile = profile(model, class, safest);
    let target = match model.targets.iter().position(|&t| t == target as u32) {
        Some(i) => i,
        None => {
            model.targets.push(target as u32);
            model.targets.len() - 1
        }
    };
    RouteRule::Planned { target, profile }
}

fn profile(model: &mut Model, class: Class, safest: Option<(f64, f64)>) -> usize {
    let profile = RouteProfile { class, safest };
    match model.profiles.iter().position(|p| *p == profile) {
        Some(i) => i,
        None => {
            model.profiles.push(profile);
            model.profiles.len() - 1
        }
    }
}

/// A path of nodes as directed edges.
fn path_dedges(s: &Scenario, nodes: &[usize]) -> Vec<u32> {
    nodes
        .windows(2)
        .map(|w| {
            let e = s
                .network
                .edge_between(w[0], w[1])
                .expect("consecutive path nodes share an edge");
            (2 * e + usize::from(s.network.edge(e).from != w[0])) as u32
        })
        .collect()
}

fn sink_plan(sink: &crate::scenario::Sink) -> SinkPlan {
    let classes: Vec<ClassPlan> = sink
        .classes()
        .into_iter()
        .map(|c| {
            let mut ration = c.ration.clone();
            ration.sort_by(|a, b| a.below_days.total_cmp(&b.below_days));
            ClassPlan {
                demand: c.litres_per_day,
                street: c.street,
                ration,
            }
        })
        .collect();
    let priorities: Vec<u32> = sink.classes().iter().map(|c| c.priority).collect();
    let mut order: Vec<usize> = (0..classes.len()).collect();
    order.sort_by_key(|&k| priorities[k]);
    let mut levels = Vec::new();
    let mut start = 0;
    for i in 1..=order.len() {
        if i == order.len() || priorities[order[i]] != priorities[order[start]] {
            levels.push((start, i));
            start = i;
        }
    }
    SinkPlan {
        node: sink.node as u32,
        initial_stock: sink.initial_stock_litres,
        capacity: sink.capacity_litres.unwrap_or(f64::INFINITY),
        unload_days: sink.unload_days,
        demand: classes.iter().map(|c| c.demand).sum(),
        street_demand: classes.iter().filter(|c| c.street).map(|c| c.demand).sum(),
        classes,
        order,
        levels,
    }
}
