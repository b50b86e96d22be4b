//! Route plans made on a day when random closures are in force (MODEL.md section 3: a plan
//! uses the edges open on the day it is made).
//!
//! A convoy's plan from node v is the path from v in the shortest-path tree over the open
//! edges. Removing edges that are not on v's path leaves that path as it is (its nodes keep
//! their distances, and Dijkstra breaks their ties in the same order), so the plan depends
//! only on the closed edges that some candidate path from v would use. A plan is found by
//! iteration: start from the epoch's shared tree; while v's path in the tree over "every edge
//! but C" uses an edge closed that day, add those edges to C and take the tree that avoids C.
//!
//! Each (target, route profile, epoch, node) keeps that iteration as a decision trie: a node
//! holds a tree and the edges on v's path in it that a random closure could close, in path
//! order, and has one child for each of them: the tree that also avoids it, when it is the
//! first of them found closed. Planning is then a walk down the trie testing closure bits
//! until the path is clear; a child is built (with Dijkstra, or a tree avoiding the same set
//! from another node) only the first time it is needed. Trees and tries are pure functions of
//! their keys, so what the cache holds never changes a result; it is emptied whenever it
//! outgrows its budget.

use rustc_hash::FxHashMap;

use super::closures::ClosureState;
use super::model::{Model, NONE};
use super::routing::{Tree, build_tree_into};

/// A route tree: one of the model's shared trees (by slot) or one of this worker's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TreeRef {
    Shared(u32),
    Local(u32),
}

impl TreeRef {
    /// A number that identifies the tree, for cache keys.
    pub fn code(self) -> u64 {
        match self {
            TreeRef::Shared(slot) => u64::from(slot),
            TreeRef::Local(i) => 1 << 32 | u64::from(i),
        }
    }
}

/// A plan: a tree whose path from the convoy's node is the plan, or, when no route is open,
/// the first later day on which one could open (a closure that blocked a candidate path
/// ends, or the scheduled closures change; `u32::MAX` if none ever does).
pub type Plan = Result<TreeRef, u32>;

/// One step of a planning iteration from one node.
#[derive(Debug)]
struct TrieNode {
    tree: TreeRef,
    /// Whether the tree reaches the node.
    reaches: bool,
    /// The closable slots of the edges of the node's path in the tree, in path order.
    covered: Box<[u32]>,
    /// Per entry of `covered`: the child taken when it is the first found closed, or `NONE`
    /// until built.
    children: Box<[u32]>,
}

/// A worker's route trees that avoid sets of closed edges, and its planning tries.
#[derive(Debug, Default)]
pub struct Plans {
    trees: Vec<Tree>,
    /// Trees by key: [target, profile, epoch, then the closed directed edges they avoid,
    /// sorted]. A slice key, so that a lookup needs no allocation.
    index: FxHashMap<Box<[u32]>, u32>,
    key: Vec<u32>,
    dist: Vec<f64>,
    /// Trie roots per shared tree slot (target, profile, epoch) and node.
    roots: Vec<Vec<u32>>,
    nodes: Vec<TrieNode>,
    closed: Vec<u32>,
    bytes: usize,
}

impl Plans {
    /// The bytes the cache holds, to keep it within its budget.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// Empties the cache; every `TreeRef::Local` becomes invalid.
    pub fn clear(&mut self) {
        self.trees.clear();
        self.index.clear();
        self.roots.clear();
        self.nodes.clear();
        self.bytes = 0;
    }

    pub fn tree<'m>(&'m self, model: &'m Model, tree: TreeRef) -> &'m Tree {
        match tree {
            TreeRef::Shared(slot) => model.tree_at(slot as usize),
            TreeRef::Local(i) => &self.trees[i as usize],
        }
    }

    /// The plan of a convoy at `node` on `day` toward `targets[target]` under
    /// `profiles[profile]`, over the edges open that day (scheduled and random closures): a
    /// tree whose path from `node` is that plan, or the day a route could open.
    pub fn plan(
        &mut self,
        model: &Model,
        closures: &ClosureState,
        target: usize,
        profile: usize,
        day: u32,
        node: u32,
    ) -> Plan {
        let epoch = model.day_epoch[day as usize];
        let class = model.profiles[profile].class;
        let slot = model.tree_slot(target, profile, epoch, false);
        if self.roots.len() <= slot {
            self.roots.resize(slot + 1, Vec::new());
        }
        if self.roots[slot].is_empty() {
            self.roots[slot] = vec![NONE; model.n_nodes];
            self.bytes += model.n_nodes * 4;
        }
        let mut at = match self.roots[slot][node as usize] {
            NONE => {
                let i = self.trie_node(model, TreeRef::Shared(slot as u32), target, profile, node);
                self.roots[slot][node as usize] = i;
                i
            }
            i => i,
        };
        self.closed.clear();
        loop {
            let trie = &self.nodes[at as usize];
            if !trie.reaches {
                // Only the closed edges found on the way, or the epoch's end, can open one.
                let mut opening = model.next_epoch_day(day);
                for &d in &self.closed {
                    opening = opening.min(closures.next_opening(model, d, class, day));
                }
                return Err(opening);
            }
            let Some(i) = trie
                .covered
                .iter()
                .position(|&k| closures.slot_closed(k, day))
            else {
                return Ok(trie.tree);
            };
            self.closed.push(model.slot_dedge[trie.covered[i] as usize]);
            at = match trie.children[i] {
                NONE => {
                    let mut sorted = std::mem::take(&mut self.closed);
                    sorted.sort_unstable();
                    let tree = self.avoiding(model, target, profile, epoch, &sorted);
                    self.closed = sorted;
                    let child = self.trie_node(model, tree, target, profile, node);
                    self.nodes[at as usize].children[i] = child;
                    child
                }
                child => child,
            };
        }
    }

    fn trie_node(
        &mut self,
        model: &Model,
        tree: TreeRef,
        target: usize,
        profile: usize,
        node: u32,
    ) -> u32 {
        let class = model.profiles[profile].class;
        let goal = model.targets[target];
        let next = &self.tree(model, tree).next;
        let reaches = next[node as usize] != NONE;
        let mut covered = Vec::new();
        let mut v = node;
        while reaches && v != goal {
            let d = next[v as usize];
            let slot = model.closable(d, class);
            if slot != NONE {
                covered.push(slot);
            }
            v = model.dedge_to[d as usize];
        }
        self.bytes += covered.len() * 4 + 64;
        let children = vec![NONE; covered.len()].into();
        self.bytes += covered.len() * 4;
        self.nodes.push(TrieNode {
            tree,
            reaches,
            covered: covered.into(),
            children,
        });
        self.nodes.len() as u32 - 1
    }

    /// The tree of the epoch over every edge open under its scheduled closures except
    /// `closed` (sorted), from the cache or built.
    fn avoiding(
        &mut self,
        model: &Model,
        target: usize,
        profile: usize,
        epoch: u32,
        closed: &[u32],
    ) -> TreeRef {
        self.key.clear();
        self.key.extend([target as u32, profile as u32, epoch]);
        self.key.extend_from_slice(closed);
        if let Some(&i) = self.index.get(self.key.as_slice()) {
            return TreeRef::Local(i);
        }
        let p = model.profiles[profile];
        let closed = &self.key[3..];
        let mut tree = Tree::default();
        build_tree_into(
            model,
            model.targets[target],
            |d| model.route_cost(&p, epoch, d),
            |d| model.sched_closed(epoch, p.class, d) || closed.binary_search(&d).is_ok(),
            &mut tree,
            &mut self.dist,
        );
        let id = self.trees.len() as u32;
        self.bytes += tree.next.len() * 4 + self.key.len() * 4 + 96;
        self.trees.push(tree);
        self.index.insert(self.key.as_slice().into(), id);
        TreeRef::Local(id)
    }
}
