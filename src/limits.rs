//! What a run would cost, estimated before it starts: the memory its tables and per-thread
//! buffers take, and the road legs its trials drive (with the days its convoys would wait
//! behind closures, `waiting`). A run beyond what this machine could finish is refused up
//! front with the reason, rather than left to exhaust the memory or run for months, and one
//! that would take hours gets a warning. The estimates are typical, not worst cases, so
//! that no sensible run is refused. The analyses' costs are in `analysis`. Pure arithmetic
//! on the scenario; the only I/O is reading the machine's memory size.

mod analysis;
mod duration;
mod waiting;

use std::collections::HashSet;

use petgraph::algo::astar;
use petgraph::graph::NodeIndex;

use crate::error::InputError;
use crate::scenario::{Routing, Scenario};
use crate::sim::outcome::{DAILY, METRICS};
use crate::sim::trial::CACHE_BUDGET;
use crate::stats::Summary;

pub use analysis::{MAX_COMPARED, MAX_VARIANTS, PairedCost, check_paired, criticality_variants};
pub use duration::{duration_warning, long_work_warning};
pub use waiting::wait_days_per_trial;

/// The most road legs (a convoy entering an edge) one run may drive: at the ~60 million a
/// second one core manages, about six months of one core's work.
pub const MAX_LEGS: f64 = 1.0e15;

/// What a day a convoy waits behind a closure costs, in road legs: the trial looks at it
/// again each day, which takes about a third of a leg's time (measured on a stream stuck
/// for ten years behind a closed road).
const LEGS_PER_WAIT_DAY: f64 = 0.3;

/// The memory assumed when the machine's cannot be read.
const DEFAULT_MEMORY: u64 = 64 << 30;

/// A summary's typical size: the struct and its exact values (the sketch switches to
/// buckets beyond 64 distinct values).
const SUMMARY_BYTES: f64 = std::mem::size_of::<Summary>() as f64 + 64.0 * 16.0;

/// What a run would cost.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RunCost {
    /// Bytes of the compiled model, shared by all threads.
    pub model_bytes: f64,
    /// Bytes each worker thread holds: its trial buffers and its tally.
    pub thread_bytes: f64,
    /// The tally's share of `thread_bytes`, which a paired analysis does not keep per
    /// variant.
    pub tally_bytes: f64,
    /// Road legs one trial drives, for convoys on their usual routes.
    pub legs_per_trial: f64,
    /// Days one trial's convoys would wait behind closures (`waiting`).
    pub wait_days_per_trial: f64,
}

impl RunCost {
    /// Estimates the cost of running `scenario`.
    pub fn of(s: &Scenario) -> RunCost {
        let net = &s.network;
        let h = f64::from(s.horizon_days);
        let (nodes, dedges) = (net.node_count() as f64, 2.0 * net.edge_count() as f64);

        // As `sim::model::Model::new` builds them: epochs, movers, route profiles, targets.
        let mut bounds: HashSet<u32> = [0, s.horizon_days].into();
        for c in s
            .threats
            .iter()
            .map(|t| &t.cover)
            .chain(s.closures.iter().map(|c| &c.cover))
        {
            bounds.insert(c.from_day.min(s.horizon_days));
            bounds.insert(c.to_day.min(s.horizon_days));
        }
        let epochs = (bounds.len() - 1) as f64;
        let mut movers = HashSet::new();
        let mut profiles = HashSet::new();
        let mut targets: HashSet<usize> = [s.headline().node].into();
        for st in &s.streams {
            let mut legs = vec![(0u8, st.escort)];
            if st.fleet.is_some() {
                legs.push((1, st.return_escort));
                targets.insert(st.from);
            }
            for (class, escort) in legs {
                movers.insert((class, escort, s.speed(st, escort).to_bits()));
                if st.routing == Routing::Fixed {
                    continue;
                }
                let safest = (st.routing == Routing::Safest).then(|| {
                    let mult = s.escorts[escort].attack_mult;
                    (st.risk_km_per_attack.to_bits(), mult.to_bits())
                });
                profiles.insert((class, safest));
            }
        }
        let (movers, profiles, targets) = (
            movers.len() as f64,
            profiles.len() as f64,
            targets.len() as f64,
        );
        let departures: f64 = s
            .streams
            .iter()
            .map(|st| st.departure_days(s.horizon_days).count() as f64)
            .sum();
        let model_bytes = epochs * 2.0 * dedges * 9.0
            + movers * (epochs * dedges + dedges / 2.0) * 8.0
            + targets * profiles * epochs * 2.0 * nodes * 4.0
            + departures * 4.0;

        let fleets = s.streams.iter().filter(|st| st.fleet.is_some()).count() as f64;
        let streams = s.streams.len() as f64;
        let processes: f64 = s
            .random_closures
            .iter()
            .map(|rc| rc.cover.edges.len() as f64)
            .sum();
        let sinks = s.sinks.len() as f64;
        let points = s.staging.len() as f64;
        let days = (sinks * DAILY.len() as f64 + fleets + points) * h;
        let outcome = days * 8.0 + dedges * 4.0 + streams * 48.0;
        let tally =
            (METRICS.len() as f64 + days) * SUMMARY_BYTES + streams * 6.0 * 32.0 + dedges * 8.0;
        let scratch = processes * (h / 64.0 + 2.0) * 16.0 + nodes * 12.0;

        let mut routes = std::collections::HashMap::new();
        let legs_per_trial = s
            .streams
            .iter()
            .map(|st| {
                let trips = st.departure_days(s.horizon_days).count() as f64;
                let route = if st.fixed_path.is_empty() {
                    *routes
                        .entry(st.from)
                        .or_insert_with(|| least_km_edges(s, st.from))
                } else {
                    st.fixed_path.len() - 1
                };
                trips * route as f64 * if st.fleet.is_some() { 2.0 } else { 1.0 }
            })
            .sum::<f64>()
            + h;
        // The memo of itineraries (every first leg and way home) and the route caches, which
        // a worker keeps within its budget.
        let caches = ((2.0 * departures + points * h) * 16.0 + legs_per_trial * 32.0)
            .min(CACHE_BUDGET as f64);
        let thread_bytes = outcome + tally + scratch + caches;
        RunCost {
            model_bytes,
            thread_bytes,
            tally_bytes: tally,
            legs_per_trial,
            wait_days_per_trial: waiting::wait_days_per_trial(s),
        }
    }

    /// Each part of the cost at the larger of two: what the dearest of several scenarios
    /// (the extremes of a sweep) would cost.
    pub fn max(self, other: RunCost) -> RunCost {
        RunCost {
            model_bytes: self.model_bytes.max(other.model_bytes),
            thread_bytes: self.thread_bytes.max(other.thread_bytes),
            tally_bytes: self.tally_bytes.max(other.tally_bytes),
            legs_per_trial: self.legs_per_trial.max(other.legs_per_trial),
            wait_days_per_trial: self.wait_days_per_trial.max(other.wait_days_per_trial),
        }
    }

    /// One trial's work in road legs: its legs, and its convoys' days waiting behind
    /// closures counted as the legs they take as long as.
    pub fn work_per_trial(&self) -> f64 {
        self.legs_per_trial + LEGS_PER_WAIT_DAY * self.wait_days_per_trial
    }

    /// The memory a run on `threads` threads needs: the model, and a tally per thread plus
    /// the one they are merged into.
    pub fn memory_bytes(&self, threads: usize) -> f64 {
        self.model_bytes + (threads as f64 + 1.0) * self.thread_bytes
    }
}

/// Edges on the least-km path from `from` to the sink with every road open.
fn least_km_edges(s: &Scenario, from: usize) -> usize {
    astar(
        s.network.graph(),
        NodeIndex::new(from),
        |n| n.index() == s.headline().node,
        |e| e.weight().km,
        |_| 0.0,
    )
    .map_or(1, |(_, path)| path.len().saturating_sub(1).max(1))
}

/// The machine's memory in bytes, where it can be read (Linux), else 64 GiB.
pub fn machine_memory() -> u64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            let line = text.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib * 1024)
        })
        .unwrap_or(DEFAULT_MEMORY)
}

/// Refuses a run of `trials` trials on `threads` threads that would need more than half of
/// `memory`, the machine's memory in bytes (the rest is the system's and other programs'),
/// or drive more than [`MAX_LEGS`] road legs. The error says which, by how much, and what
/// to change.
pub fn check_run(
    s: &Scenario,
    trials: u64,
    threads: usize,
    memory: u64,
) -> Result<RunCost, InputError> {
    let cost = RunCost::of(s);
    let needed = cost.memory_bytes(threads);
    if needed > memory as f64 / 2.0 {
        let per_thread = cost.thread_bytes;
        let advice = if per_thread * threads as f64 > cost.model_bytes && threads > 1 {
            format!(
                "each of the {threads} threads needs {}; run with fewer --threads",
                bytes(per_thread)
            )
        } else {
            "shorten horizon_days, or use fewer convoy streams, threats, closures or roads"
                .to_string()
        };
        return Err(InputError::new(
            format!("scenario \"{}\"", s.name),
            format!(
                "a run would need about {} of memory, more than half of the {} this machine has; {advice}",
                bytes(needed),
                bytes(memory as f64)
            ),
        ));
    }
    let legs = trials as f64 * cost.work_per_trial();
    if legs > MAX_LEGS {
        return Err(InputError::flag(
            "--trials",
            format!(
                "{trials} trials would drive about {} road legs ({} per trial{}), more than the {} (months of computing) a run may take; 10,000 to 1,000,000 trials give precise results",
                sci(legs),
                sci(cost.work_per_trial()),
                waits(&cost),
                sci(MAX_LEGS)
            ),
        ));
    }
    Ok(cost)
}

/// `, counting the 6.7e6 days its convoys would wait behind closures`, or nothing.
fn waits(cost: &RunCost) -> String {
    if cost.wait_days_per_trial < 1.0 {
        return String::new();
    }
    format!(
        ", counting the {} days its convoys would wait behind closures",
        sci(cost.wait_days_per_trial)
    )
}

/// `2.4e15`, or the number itself below a million.
fn sci(x: f64) -> String {
    if x < 1e6 {
        format!("{}", x.round())
    } else {
        format!("{x:.1e}")
    }
}

/// `12.3 GB`.
fn bytes(x: f64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KB", "MB", "GB", "TB"];
    let mut value = x;
    let mut unit = 0;
    while value >= 1000.0 && unit + 1 < UNITS.len() {
        value /= 1000.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{value:.0} {}", UNITS[0])
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scenario_is_cheap() {
        let s = Scenario::builtin_default();
        let cost = check_run(&s, 10_000, 2, 8 << 30).unwrap();
        assert!(cost.memory_bytes(2) < 50e6, "{cost:?}");
        // About 2,400 legs per trial are measured; the estimate is of the same order.
        assert!(
            (1_000.0..10_000.0).contains(&cost.legs_per_trial),
            "{cost:?}"
        );
    }

    #[test]
    fn absurd_runs_are_refused_with_the_reason() {
        let s = Scenario::builtin_default();
        let e = check_run(&s, crate::cli::MAX_TRIALS, 2, 8 << 30).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("--trials: 1000000000000 trials would drive about"),
            "{e}"
        );
        let e = check_run(&s, 10, 2, 1 << 20).unwrap_err();
        assert!(
            e.to_string()
                .contains("more than half of the 1.0 MB this machine has"),
            "{e}"
        );
    }

    #[test]
    fn sizes_read_well() {
        assert_eq!(bytes(999.0), "999 bytes");
        assert_eq!(bytes(23.4e9), "23.4 GB");
        assert_eq!(sci(2418.3), "2418");
        assert_eq!(sci(2.4e15), "2.4e15");
    }
}
