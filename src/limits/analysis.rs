//! What a decision analysis would cost, estimated before its first trial: `compare`,
//! `criticality` and `sweep` run many models together, one trial index at a time, so they
//! hold every model at once and drive every model's legs. An analysis beyond what this
//! machine could finish is refused with its estimate, like a run. Pure arithmetic, like the
//! rest of `limits`; it must not build the variants it prices.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;

use super::waiting::usual_path;
use super::{MAX_LEGS, RunCost, bytes, sci};
use crate::error::InputError;
use crate::scenario::Scenario;

/// The most models one analysis runs besides its scenario: a grid of 100 × 100 values.
/// Every variant is built and validated before the first trial, held in memory throughout
/// and simulated in every trial, and its table row, chart mark and file lines are meant to
/// be read by a person.
pub const MAX_VARIANTS: usize = 10_000;

/// The most scenarios `compare` takes: more could not be told apart in its charts or table.
pub const MAX_COMPARED: usize = 100;

/// What a paired run of several models would cost.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairedCost {
    /// Models run, the scenario's own included.
    pub models: usize,
    pub memory_bytes: f64,
    /// Road legs, and their equivalent in days convoys wait, of one trial index.
    pub work_per_trial: f64,
}

impl PairedCost {
    /// Adds `count` models that each cost about `cost`, run on `threads` threads. Each
    /// thread holds every model's trial buffers; `tallies` when it also keeps a run tally
    /// per model, as `compare` does for each scenario's own distribution.
    pub fn add(&mut self, cost: &RunCost, count: usize, threads: usize, tallies: bool) {
        let per_thread = if tallies {
            cost.thread_bytes
        } else {
            cost.thread_bytes - cost.tally_bytes
        };
        let n = count as f64;
        self.models += count;
        self.memory_bytes += n * (cost.model_bytes + (threads as f64 + 1.0) * per_thread);
        self.work_per_trial += n * cost.work_per_trial();
    }
}

/// Refuses an analysis (`what`, for example "the sweep") of `cost` over `trials` trials:
/// more than [`MAX_VARIANTS`] variants, more than half of `memory` (the machine's memory in
/// bytes), or more work than a run may do. `flag` names what the user would change, and
/// `advice` says how.
pub fn check_paired(
    flag: &str,
    what: &str,
    cost: &PairedCost,
    trials: u64,
    memory: u64,
    advice: &str,
) -> Result<(), InputError> {
    let variants = cost.models.saturating_sub(1);
    let fail = |message: String| Err(InputError::flag(flag, format!("{message}; {advice}")));
    if variants > MAX_VARIANTS {
        return fail(format!(
            "{what} would run {variants} variants besides the scenario, more than the {MAX_VARIANTS} an analysis may run"
        ));
    }
    if cost.memory_bytes > memory as f64 / 2.0 {
        return fail(format!(
            "{what} would need about {} of memory for its {} models ({} each), more than half of the {} this machine has",
            bytes(cost.memory_bytes),
            cost.models,
            bytes(cost.memory_bytes / cost.models.max(1) as f64),
            bytes(memory as f64)
        ));
    }
    let work = trials as f64 * cost.work_per_trial;
    if work > MAX_LEGS {
        return fail(format!(
            "{what} would drive about {} road legs ({trials} trials of {} models), more than the {} (months of computing) a run may take",
            sci(work),
            cost.models,
            sci(MAX_LEGS)
        ));
    }
    Ok(())
}

/// The variants a criticality analysis would run, to price it before its first pass:
/// every edge and corridor with `all_edges`, else those on the convoys' usual routes (the
/// first pass finds at least these). Each is closed, and secured if a threat covers it.
pub fn criticality_variants(s: &Scenario, all_edges: bool) -> usize {
    let net = &s.network;
    let used: BTreeSet<usize> = if all_edges {
        (0..net.edge_count()).collect()
    } else {
        s.streams
            .iter()
            .flat_map(|st| {
                let path = usual_path(s, st);
                path.windows(2)
                    .filter_map(|w| {
                        net.graph()
                            .find_edge(NodeIndex::new(w[0]), NodeIndex::new(w[1]))
                            .map(|e| e.index())
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let mut targets: Vec<Vec<usize>> = used.iter().map(|&e| vec![e]).collect();
    for tag in net.corridor_tags() {
        let edges = net.corridor(tag).unwrap_or_default();
        if edges.iter().any(|e| used.contains(e)) {
            targets.push(edges.to_vec());
        }
    }
    let threatened = |edges: &[usize]| {
        s.threats.iter().any(|t| {
            t.attacks_per_100km > 0.0 && t.cover.edges.iter().any(|(e, _)| edges.contains(e))
        })
    };
    targets.len() + targets.iter().filter(|t| threatened(t)).count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn a_grid_of_a_million_cells_is_refused_and_a_criticality_of_the_default_is_not() {
        let cost = RunCost::of(&Scenario::builtin_default());
        let mut grid = PairedCost::default();
        grid.add(&cost, 1 + 1000 * 1000, 2, false);
        let e = check_paired(
            "--set",
            "the grid",
            &grid,
            2000,
            8 << 30,
            "give fewer values",
        )
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "--set: the grid would run 1000000 variants besides the scenario, more than the 10000 an analysis may run; give fewer values"
        );
        let mut criticality = PairedCost::default();
        criticality.add(&cost, 65, 2, false);
        // A small laptop's memory is enough for the README's worked example.
        check_paired("--trials", "criticality", &criticality, 2000, 4 << 30, "").unwrap();
        let mut big = PairedCost::default();
        big.add(&cost, 5000, 2, true);
        let e = check_paired("--set", "the sweep", &big, 10, 1 << 30, "x").unwrap_err();
        assert!(e.message.contains("of memory for its 5000 models"), "{e}");
    }

    #[test]
    fn criticality_is_priced_by_the_roads_convoys_use() {
        let s = Scenario::builtin_default();
        let used = criticality_variants(&s, false);
        let all = criticality_variants(&s, true);
        // The README's run of the default scenario has 64 distinct variants.
        assert!((30..=80).contains(&used), "{used}");
        assert!(all > used, "{all} {used}");
    }
}
