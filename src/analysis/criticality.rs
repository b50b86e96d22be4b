//! `corridor criticality`: for every edge that some convoy uses, and every corridor tag with
//! such an edge, what a metric becomes if it is closed both ways for the whole horizon, and
//! if its threats are removed (the value of securing it). A first pass over the trials finds
//! the edges convoys enter; a second runs the scenario and every variant in one loop over
//! the trials, pairing them by trial index.

use std::collections::HashMap;
use std::sync::atomic::AtomicBool;

use serde::{Deserialize, Serialize};

use super::paired::{PairedTally, run_paired};
use super::{Difference, Mean};
use crate::error::InputError;
use crate::network::Ways;
use crate::report::NetworkMap;
use crate::scenario::{Closure, Cover, Direction, Scenario};
use crate::sim::model::{Class, Model};
use crate::sim::outcome::TrialOutcome;
use crate::sim::run::RunConfig;
use crate::sim::trial::Observer;
use crate::sim::trip::Who;
use crate::stats::ExactSum;

/// What a variant takes away: one edge, or every edge of a corridor tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TargetKind {
    Edge,
    Corridor,
}

/// One edge or corridor: what closing it and securing it change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalityEntry {
    pub kind: TargetKind,
    /// 1-based, among the entries of the same kind, by the ranking change.
    pub rank: usize,
    /// The edge (`from-to` as the data writes it) or the corridor tag.
    pub id: String,
    /// The edges it covers.
    pub edges: Vec<String>,
    pub km: f64,
    /// For an edge: its ends as [lon, lat], for maps. Empty for a corridor.
    pub line: Vec<[f64; 2]>,
    /// Share of the scenario's trials in which some convoy entered it.
    pub used_share: f64,
    /// Whether any threat covers it. If none does, securing it changes nothing, exactly.
    pub threatened: bool,
    /// The metric with it closed for the whole horizon, minus the scenario's, paired.
    pub closed: Difference,
    /// The metric with its threats removed, minus the scenario's, paired.
    pub secured: Difference,
}

/// Everything `corridor criticality` reports. `entries` holds the edges in rank order, then
/// the corridors in rank order: the ranked bar chart and the map coloured by the value of
/// securing each edge are drawn from it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CriticalityResults {
    pub scenario: String,
    pub metric: String,
    pub trials: u64,
    /// Fewer trials than asked for: the analysis was interrupted. Written only when true.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub interrupted: bool,
    pub seed: u64,
    /// `closed` or `secured`: which change orders the entries (by size, largest first).
    pub rank_by: String,
    /// The scenario's own mean of the metric.
    pub baseline: Mean,
    pub entries: Vec<CriticalityEntry>,
    /// Variants simulated (distinct ones; an identical variant is run once).
    pub variants: usize,
    /// The scenario's currency, the unit of a price metric.
    pub currency: String,
    /// The scenario's network, for the map coloured by the value of securing each edge.
    pub network: NetworkMap,
}

impl CriticalityResults {
    pub fn entry(&self, kind: TargetKind, id: &str) -> Option<&CriticalityEntry> {
        self.entries.iter().find(|e| e.kind == kind && e.id == id)
    }
}

/// Which of the two changes orders the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranking {
    Closed,
    Secured,
}

/// What to measure, and over which edges.
#[derive(Debug, Clone, Copy)]
pub struct CriticalityConfig {
    /// Index into `sim::outcome::METRICS`.
    pub metric: usize,
    pub rank_by: Ranking,
    /// Every edge of the network, not only those some convoy uses.
    pub all_edges: bool,
}

/// The first pass: in how many trials some convoy entered each edge, and each corridor.
struct Usage {
    corridors: Vec<Vec<usize>>,
    entered: Vec<bool>,
    edge_trials: Vec<u64>,
    corridor_trials: Vec<u64>,
}

impl Observer for Usage {
    fn enter(&mut self, _who: Who, _class: Class, dedge: u32, _tau: f64, _tankers: u32) {
        self.entered[dedge as usize / 2] = true;
    }
}

impl PairedTally for Usage {
    fn add(&mut self, _outcomes: &[TrialOutcome]) {
        for (e, n) in self.edge_trials.iter_mut().enumerate() {
            *n += u64::from(self.entered[e]);
        }
        for (c, edges) in self.corridors.iter().enumerate() {
            self.corridor_trials[c] += u64::from(edges.iter().any(|&e| self.entered[e]));
        }
        self.entered.fill(false);
    }

    fn merge(&mut self, other: &Self) {
        for (mine, theirs) in [
            (&mut self.edge_trials, &other.edge_trials),
            (&mut self.corridor_trials, &other.corridor_trials),
        ] {
            mine.iter_mut().zip(theirs).for_each(|(a, b)| *a += b);
        }
    }
}

/// The second pass: per variant, the paired difference of the metric from the scenario's.
struct Changes {
    metric: usize,
    baseline: ExactSum,
    diffs: Vec<ExactSum>,
}

impl Observer for Changes {}

impl PairedTally for Changes {
    fn add(&mut self, outcomes: &[TrialOutcome]) {
        let base = outcomes[0].metrics()[self.metric];
        self.baseline.add(base);
        for (sum, out) in self.diffs.iter_mut().zip(&outcomes[1..]) {
            sum.add(out.metrics()[self.metric] - base);
        }
    }

    fn merge(&mut self, other: &Self) {
        self.baseline.merge(&other.baseline);
        self.diffs
            .iter_mut()
            .zip(&other.diffs)
            .for_each(|(a, b)| a.merge(b));
    }
}

/// An edge or corridor under test.
struct Target {
    kind: TargetKind,
    id: String,
    edges: Vec<usize>,
    used_trials: u64,
}

/// The scenario with `edges` closed both ways, loaded and empty, for the whole horizon.
pub fn with_closed(s: &Scenario, edges: &[usize]) -> Scenario {
    let mut v = s.clone();
    v.closures.push(Closure {
        cover: Cover {
            edge_refs: edges.iter().map(|&e| s.network.edge_id(e)).collect(),
            corridors: Vec::new(),
            direction: Direction::Both,
            edges: edges.iter().map(|&e| (e, Ways::BOTH)).collect(),
            from_day: 0,
            to_day: s.horizon_days,
        },
    });
    v
}

/// The scenario with no threat on `edges`, or None if no threat covers any of them.
pub fn with_secured(s: &Scenario, edges: &[usize]) -> Option<Scenario> {
    let covered = |cover: &Cover| cover.edges.iter().any(|(e, _)| edges.contains(e));
    if !s
        .threats
        .iter()
        .any(|t| t.attacks_per_100km > 0.0 && covered(&t.cover))
    {
        return None;
    }
    let mut v = s.clone();
    for t in &mut v.threats {
        t.cover.edges.retain(|(e, _)| !edges.contains(e));
    }
    Some(v)
}

/// Runs both passes on the trials of `config`. The results hold fewer trials than asked
/// for when `stop` was set. `progress` follows the second pass, which is most of the work.
pub fn criticality(
    scenario: &Scenario,
    cc: &CriticalityConfig,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
) -> CriticalityResults {
    criticality_within(scenario, cc, config, progress, stop, &|_| Ok(()))
        .expect("every variant count is admitted")
}

/// [`criticality`], asking `admit` whether the variants the first pass calls for (closed
/// and secured, counted before identical ones are merged) may be built and run: a refusal
/// comes before any variant is built.
pub fn criticality_within(
    scenario: &Scenario,
    cc: &CriticalityConfig,
    config: &RunConfig,
    progress: &(dyn Fn(u64) + Sync),
    stop: &AtomicBool,
    admit: &dyn Fn(usize) -> Result<(), InputError>,
) -> Result<CriticalityResults, InputError> {
    let net = &scenario.network;
    let tags: Vec<&str> = net.corridor_tags().collect();
    let base = Model::new(scenario);
    let usage = || Usage {
        corridors: tags
            .iter()
            .map(|t| net.corridor(t).unwrap_or_default().to_vec())
            .collect(),
        entered: vec![false; net.edge_count()],
        edge_trials: vec![0; net.edge_count()],
        corridor_trials: vec![0; tags.len()],
    };
    let (usage, first_pass) =
        run_paired(std::slice::from_ref(&base), config, &usage, &|_| {}, stop);

    let mut targets: Vec<Target> = (0..net.edge_count())
        .filter(|&e| cc.all_edges || usage.edge_trials[e] > 0)
        .map(|e| Target {
            kind: TargetKind::Edge,
            id: net.edge_id(e),
            edges: vec![e],
            used_trials: usage.edge_trials[e],
        })
        .collect();
    for (c, tag) in tags.iter().enumerate() {
        if cc.all_edges || usage.corridor_trials[c] > 0 {
            targets.push(Target {
                kind: TargetKind::Corridor,
                id: tag.to_string(),
                edges: net.corridor(tag).unwrap_or_default().to_vec(),
                used_trials: usage.corridor_trials[c],
            });
        }
    }

    let threatened = |edges: &[usize]| {
        scenario.threats.iter().any(|t| {
            t.attacks_per_100km > 0.0 && t.cover.edges.iter().any(|(e, _)| edges.contains(e))
        })
    };
    if first_pass < config.trials {
        // Stopped in the first pass: no variant is built, and none has run a trial.
        targets.clear();
    }
    admit(targets.len() + targets.iter().filter(|t| threatened(&t.edges)).count())?;

    // Distinct variants only: a corridor of one edge is that edge's variant, and a target
    // no threat covers has no secured variant at all (it would be the scenario itself).
    let mut models = vec![base];
    let mut index: HashMap<(bool, Vec<usize>), usize> = HashMap::new();
    let mut variant = |secured: bool, edges: &[usize], models: &mut Vec<Model>| {
        let key = (secured, edges.to_vec());
        if let Some(&k) = index.get(&key) {
            return Some(k);
        }
        let s = if secured {
            with_secured(scenario, edges)?
        } else {
            with_closed(scenario, edges)
        };
        models.push(Model::new(&s));
        index.insert(key, models.len() - 1);
        Some(models.len() - 1)
    };
    let plan: Vec<(usize, Option<usize>)> = targets
        .iter()
        .map(|t| {
            let closed = variant(false, &t.edges, &mut models).expect("closing always applies");
            (closed, variant(true, &t.edges, &mut models))
        })
        .collect();

    let changes = || Changes {
        metric: cc.metric,
        baseline: ExactSum::default(),
        diffs: vec![ExactSum::default(); models.len() - 1],
    };
    let (changes, trials) = if first_pass < config.trials {
        (changes(), 0)
    } else {
        run_paired(&models, config, &changes, progress, stop)
    };
    let diff = |k: usize| Difference::from_sum(&changes.diffs[k - 1]);
    let mut entries: Vec<CriticalityEntry> = targets
        .iter()
        .zip(&plan)
        .map(|(t, &(closed, secured))| {
            let line = match t.kind {
                TargetKind::Edge => {
                    let e = net.edge(t.edges[0]);
                    let (a, b) = (net.node(e.from), net.node(e.to));
                    vec![[a.lon, a.lat], [b.lon, b.lat]]
                }
                TargetKind::Corridor => Vec::new(),
            };
            CriticalityEntry {
                kind: t.kind,
                rank: 0,
                id: t.id.clone(),
                edges: t.edges.iter().map(|&e| net.edge_id(e)).collect(),
                km: t.edges.iter().map(|&e| net.edge(e).km).sum(),
                line,
                used_share: t.used_trials as f64 / first_pass.max(1) as f64,
                threatened: secured.is_some(),
                closed: diff(closed),
                secured: secured.map_or(Difference::ZERO, diff),
            }
        })
        .collect();
    rank(&mut entries, cc.rank_by);
    Ok(CriticalityResults {
        scenario: scenario.name.clone(),
        metric: crate::sim::outcome::METRICS[cc.metric].to_string(),
        trials,
        interrupted: trials < config.trials,
        seed: config.seed,
        rank_by: match cc.rank_by {
            Ranking::Closed => "closed",
            Ranking::Secured => "secured",
        }
        .to_string(),
        baseline: Mean::from_sum(&changes.baseline),
        entries,
        variants: models.len() - 1,
        currency: scenario.price.currency.clone(),
        network: NetworkMap::of(scenario),
    })
}

/// Orders edges then corridors, each by the size of the ranking change (largest first), then
/// of the other change, then by name; and numbers them.
fn rank(entries: &mut [CriticalityEntry], by: Ranking) {
    let key = |e: &CriticalityEntry| match by {
        Ranking::Closed => (e.closed.mean.abs(), e.secured.mean.abs()),
        Ranking::Secured => (e.secured.mean.abs(), e.closed.mean.abs()),
    };
    entries.sort_by(|a, b| {
        let (ka, kb) = (key(a), key(b));
        (a.kind as u8)
            .cmp(&(b.kind as u8))
            .then(kb.0.total_cmp(&ka.0))
            .then(kb.1.total_cmp(&ka.1))
            .then(a.id.cmp(&b.id))
    });
    let mut last = None;
    let mut rank = 0;
    for e in entries.iter_mut() {
        rank = if last == Some(e.kind) { rank + 1 } else { 1 };
        last = Some(e.kind);
        e.rank = rank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: TargetKind, id: &str, closed: f64, secured: f64) -> CriticalityEntry {
        let d = |mean| Difference {
            mean,
            ..Difference::ZERO
        };
        CriticalityEntry {
            kind,
            rank: 0,
            id: id.to_string(),
            edges: Vec::new(),
            km: 1.0,
            line: Vec::new(),
            used_share: 1.0,
            threatened: secured != 0.0,
            closed: d(closed),
            secured: d(secured),
        }
    }

    #[test]
    fn entries_rank_by_the_size_of_the_change_edges_first() {
        let mut entries = vec![
            entry(TargetKind::Corridor, "c", -50.0, 0.0),
            entry(TargetKind::Edge, "b", -10.0, 2.0),
            entry(TargetKind::Edge, "a", 30.0, 0.0),
            entry(TargetKind::Edge, "d", -10.0, 3.0),
        ];
        rank(&mut entries, Ranking::Closed);
        let order: Vec<(&str, usize)> = entries.iter().map(|e| (e.id.as_str(), e.rank)).collect();
        assert_eq!(order, [("a", 1), ("d", 2), ("b", 3), ("c", 1)]);
        rank(&mut entries, Ranking::Secured);
        let order: Vec<&str> = entries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(order, ["d", "b", "a", "c"]);
    }
}
