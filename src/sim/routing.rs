//! Route planning: a shortest-path tree toward a target (the sink, or a fleet's home), built
//! by Dijkstra from the target over the reversed directed edges. A convoy's plan is then
//! "follow the tree": its next edge at node v is `tree.next[v]`, so one tree serves every
//! convoy that plans toward the same target in the same situation.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::model::{Model, NONE};

/// Next-hop pointers toward one target: `next[v]` is the directed edge to take at `v`, or
/// `NONE` at the target and where the target cannot be reached.
#[derive(Debug, Clone, Default)]
pub struct Tree {
    pub next: Vec<u32>,
}

impl Tree {
    #[inline]
    pub fn reaches(&self, node: u32) -> bool {
        self.next[node as usize] != NONE
    }
}

/// Dijkstra from `target` backwards: `cost(d)` is the cost of driving directed edge `d`
/// (>= 0), `closed(d)` excludes it. Ties go to the first relaxation in node order, so the
/// tree is always the same for the same inputs.
pub fn build_tree(
    model: &Model,
    target: u32,
    cost: impl Fn(u32) -> f64,
    closed: impl Fn(u32) -> bool,
) -> Tree {
    let mut tree = Tree::default();
    let mut dist = Vec::new();
    build_tree_into(model, target, cost, closed, &mut tree, &mut dist);
    tree
}

/// [`build_tree`] into reused buffers.
pub fn build_tree_into(
    model: &Model,
    target: u32,
    cost: impl Fn(u32) -> f64,
    mut closed: impl FnMut(u32) -> bool,
    tree: &mut Tree,
    dist: &mut Vec<f64>,
) {
    let n = model.n_nodes;
    tree.next.clear();
    tree.next.resize(n, NONE);
    dist.clear();
    dist.resize(n, f64::INFINITY);
    dist[target as usize] = 0.0;
    // Costs are finite and >= 0, so their bit patterns sort like the numbers.
    let mut heap = BinaryHeap::new();
    heap.push(Reverse((0.0f64.to_bits(), target)));
    while let Some(Reverse((bits, v))) = heap.pop() {
        let dv = f64::from_bits(bits);
        if dv > dist[v as usize] {
            continue;
        }
        let range = model.in_start[v as usize] as usize..model.in_start[v as usize + 1] as usize;
        for &d in &model.in_dedges[range] {
            if closed(d) {
                continue;
            }
            let u = model.dedge_to[(d ^ 1) as usize];
            let candidate = dv + cost(d);
            if candidate < dist[u as usize] {
                dist[u as usize] = candidate;
                tree.next[u as usize] = d;
                heap.push(Reverse((candidate.to_bits(), u)));
            }
        }
    }
}
