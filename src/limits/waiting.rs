//! Days convoys would spend waiting behind closures, estimated from the scenario: the part
//! of a run's work its road legs do not show. A convoy on a fixed route waits at a closed
//! road until it opens, and one whose every route is cut waits where it is; the trial looks
//! at each waiting convoy again every day, so convoys stuck behind closures for years cost
//! days × convoys × trials, far beyond their legs. Pure arithmetic on the scenario, like
//! the rest of `limits`; it must not run a trial.

use std::collections::HashMap;

use petgraph::algo::astar;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef as _;

use crate::network::Ways;
use crate::scenario::{Direction, Routing, Scenario, Stream};

/// Roads followed at most (departures times the roads of their routes), over all streams;
/// beyond it departures are sampled evenly. Keeps the estimate to moments on any scenario.
const MAX_STEPS: usize = 1_000_000;

/// Nodes visited at most looking for a way round a closure; beyond it a way round is
/// assumed, so that an estimate cut short errs towards less waiting, never more.
const MAX_VISITS: usize = 10_000_000;

/// The days, summed over one trial's convoys, that they would wait behind scheduled closures
/// on their way to the sink, and behind random ones on fixed routes (on average). Convoys
/// follow their usual route (fixed, or the least-km one) at their speed; a convoy that is
/// not on a fixed route waits only where no route around the closure is open.
pub fn wait_days_per_trial(s: &Scenario) -> f64 {
    if s.closures.is_empty() && s.random_closures.is_empty() {
        return 0.0;
    }
    let mut follow = Follow::new(s);
    let mut by_source: HashMap<usize, Vec<usize>> = HashMap::new();
    let paths: Vec<Vec<usize>> = s
        .streams
        .iter()
        .map(|st| {
            if st.fixed_path.is_empty() {
                let path = by_source
                    .entry(st.from)
                    .or_insert_with(|| usual_path(s, st));
                path.clone()
            } else {
                st.fixed_path.clone()
            }
        })
        .collect();
    let steps: usize = s
        .streams
        .iter()
        .zip(&paths)
        .map(|(st, path)| st.departure_days(s.horizon_days).count() * path.len())
        .sum();
    let every = steps.div_ceil(MAX_STEPS).max(1);
    let mut total = 0.0;
    for (st, path) in s.streams.iter().zip(&paths) {
        // A fleet that gets stuck runs out of tankers: later departures find none to send.
        let stuck_at_most = st
            .fleet
            .map_or(usize::MAX, |f| f.div_ceil(st.tankers.max(1)) as usize);
        let mut stuck = 0;
        for day in st.departure_days(s.horizon_days).step_by(every) {
            if stuck >= stuck_at_most.div_ceil(every) {
                break;
            }
            let waited = follow.wait(st, path, f64::from(day));
            if waited > 0.0 {
                stuck += 1;
            }
            total += waited * every as f64;
        }
    }
    total
}

/// A stream's usual path, as nodes from its source to the sink: its fixed route, or the
/// least-km one with every road open.
pub(super) fn usual_path(s: &Scenario, st: &Stream) -> Vec<usize> {
    if !st.fixed_path.is_empty() {
        return st.fixed_path.clone();
    }
    let sink = s.sinks[st.to].node;
    astar(
        s.network.graph(),
        NodeIndex::new(st.from),
        |n| n.index() == sink,
        |e| e.weight().km,
        |_| 0.0,
    )
    .map_or_else(Vec::new, |(_, nodes)| {
        nodes.iter().map(|n| n.index()).collect()
    })
}

/// What following convoys needs: the closures by edge, and which nodes can still reach the
/// sink on each day some closure starts or ends.
struct Follow<'a> {
    s: &'a Scenario,
    /// Per edge: (from day, to day, ways) of each scheduled closure of loaded convoys.
    closed: HashMap<usize, Vec<(u32, u32, Ways)>>,
    /// Per edge on a fixed route: the average days a random closure holds a convoy there.
    random_wait: HashMap<usize, f64>,
    reach: HashMap<(usize, usize, (usize, usize)), bool>,
    /// The days scheduled closures start, and end, sorted.
    starts: Vec<u32>,
    ends: Vec<u32>,
    /// Nodes visited so far looking for ways round (see [`MAX_VISITS`]).
    visits: usize,
}

impl<'a> Follow<'a> {
    fn new(s: &'a Scenario) -> Self {
        let mut closed: HashMap<usize, Vec<(u32, u32, Ways)>> = HashMap::new();
        for c in &s.closures {
            if c.cover.direction == Direction::Outbound {
                continue;
            }
            for &(e, ways) in &c.cover.edges {
                let days = (c.cover.from_day, c.cover.to_day.min(s.horizon_days), ways);
                closed.entry(e).or_default().push(days);
            }
        }
        let mut random_wait: HashMap<usize, f64> = HashMap::new();
        for rc in &s.random_closures {
            if rc.cover.direction == Direction::Outbound {
                continue;
            }
            // Closed on a share r·m / (1 + r·m) of days; a convoy that finds it closed
            // waits out the rest of the closure, about m days.
            let rm = rc.per_day * rc.mean_days;
            let span = f64::from(rc.cover.to_day.min(s.horizon_days) - rc.cover.from_day)
                / f64::from(s.horizon_days);
            for &(e, _) in &rc.cover.edges {
                *random_wait.entry(e).or_default() += span * rm / (1.0 + rm) * rc.mean_days;
            }
        }
        let mut starts: Vec<u32> = s.closures.iter().map(|c| c.cover.from_day).collect();
        let mut ends: Vec<u32> = s.closures.iter().map(|c| c.cover.to_day).collect();
        starts.sort_unstable();
        ends.sort_unstable();
        Follow {
            s,
            closed,
            random_wait,
            reach: HashMap::new(),
            starts,
            ends,
            visits: 0,
        }
    }

    /// The days one convoy leaving on `day` would wait on its way along `path`.
    fn wait(&mut self, st: &Stream, path: &[usize], day: f64) -> f64 {
        let s = self.s;
        let net = &s.network;
        let horizon = f64::from(s.horizon_days);
        let speed = s.speed(st, st.escort);
        let fixed = st.routing == Routing::Fixed;
        let mut tau = day + net.node(st.from).dwell_days;
        let mut waited = 0.0;
        for leg in path.windows(2) {
            let (u, v) = (leg[0], leg[1]);
            let Some(e) = net
                .graph()
                .find_edge(NodeIndex::new(u), NodeIndex::new(v))
                .map(|e| e.index())
            else {
                break;
            };
            let way = if net.edge(e).from == u {
                Ways::FORWARD
            } else {
                Ways::BACKWARD
            };
            // Wait while a closure of this way holds the road, unless a way round is open.
            while tau < horizon {
                let until = self.closed.get(&e).and_then(|list| {
                    list.iter()
                        .filter(|&&(from, to, ways)| {
                            ways.contains(way) && f64::from(from) <= tau && tau < f64::from(to)
                        })
                        .map(|&(_, to, _)| to)
                        .max()
                });
                let Some(until) = until else { break };
                if !fixed && self.reaches_sink(u, s.sinks[st.to].node, tau as u32) {
                    break;
                }
                waited += f64::from(until) - tau;
                tau = f64::from(until);
            }
            if fixed && let Some(w) = self.random_wait.get(&e) {
                waited += w;
                tau += w;
            }
            if tau >= horizon {
                break;
            }
            tau += net.edge(e).km / speed + net.node(v).dwell_days;
        }
        waited
    }

    /// Whether `sink` can be reached from `node` over the roads open on `day`.
    fn reaches_sink(&mut self, node: usize, sink: usize, day: u32) -> bool {
        // Days with the same closures in force give the same answer: key by how many
        // closures have started and how many have ended, which says which are in force.
        let passed = (
            self.starts.partition_point(|&d| d <= day),
            self.ends.partition_point(|&d| d <= day),
        );
        if let Some(&known) = self.reach.get(&(node, sink, passed)) {
            return known;
        }
        if self.visits > MAX_VISITS {
            return true;
        }
        let g = self.s.network.graph();
        let open = |e: usize, way: Ways| {
            self.closed.get(&e).is_none_or(|list| {
                !list
                    .iter()
                    .any(|&(from, to, ways)| ways.contains(way) && from <= day && day < to)
            })
        };
        let mut seen = vec![false; g.node_count()];
        let mut stack = vec![node];
        seen[node] = true;
        let mut found = false;
        while let Some(n) = stack.pop() {
            self.visits += 1;
            if n == sink {
                found = true;
                break;
            }
            for edge in g.edges(NodeIndex::new(n)) {
                let e = edge.id().index();
                let other = if edge.source().index() == n {
                    edge.target().index()
                } else {
                    edge.source().index()
                };
                let way = if self.s.network.edge(e).from == n {
                    Ways::FORWARD
                } else {
                    Ways::BACKWARD
                };
                if !seen[other] && open(e, way) {
                    seen[other] = true;
                    stack.push(other);
                }
            }
        }
        self.reach.insert((node, sink, passed), found);
        found
    }
}
