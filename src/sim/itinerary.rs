//! Itineraries: a planned path driven from a node at a time, worked out once. For each edge
//! it holds the time and day the convoy enters it and the chance that no attack comes on it
//! or before it (MODEL.md sections 3 and 4), so a trip that meets no closure is driven
//! without looking at a route tree, and its attacks are drawn along the whole path at once. It stops where a scheduled
//! closure blocks the next edge, where the horizon ends, or at the leg's end, and lists the
//! edges on which a random closure could stand in the way: only those are checked in a
//! trial. An itinerary is a pure function of (plan, start, time, mover), so a worker keeps
//! them across trials, one per memo slot: the first leg of each departure, each
//! departure's way home, each staging point's escorted convoys of each day. Trips that
//! leave their itinerary (a closure in the way) drive the rest edge by edge.

use rustc_hash::FxHashMap;

use super::model::{Model, NONE, RouteRule};
use super::plans::{Plans, TreeRef};

/// What a convoy follows: a route tree, or a leg's fixed path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlanRef {
    Tree(TreeRef),
    Fixed { leg: u32 },
}

/// One edge of an itinerary.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    pub dedge: u32,
    /// The day it is entered, floor(tau).
    pub day: u32,
    pub tau: f64,
    /// exp(-lambda) of this edge (1 where there is no hazard), and the product of it and
    /// every earlier one of the itinerary, multiplied in order: the chance that none of them
    /// is attacked (size factor 1), the same number a trip walking them computes.
    pub spared: f64,
    pub survival: f64,
}

/// An edge a random closure could close when the itinerary enters it.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// Its index among the itinerary's steps.
    pub at: u32,
    pub day: u32,
    /// Its closable slot (see `Model::closable`).
    pub slot: u32,
}

/// Why an itinerary ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// At the leg's target, at `end_tau`.
    Arrive,
    /// The next edge, entered at `end_tau`, is closed by a scheduled closure.
    Blocked,
    /// The horizon ends before the next edge, due at `end_tau`, is entered.
    Unfinished,
}

#[derive(Debug, Clone, Copy)]
pub struct Itinerary {
    steps: (u32, u32),
    checks: (u32, u32),
    pub stop: Stop,
    /// Where and when the next edge would be entered, or the arrival.
    pub end_node: u32,
    pub end_tau: f64,
    /// For a fixed path: the position of the next edge in it.
    pub end_pos: u32,
}

/// A worker's itineraries.
#[derive(Debug, Default)]
pub struct Itineraries {
    items: Vec<Itinerary>,
    steps: Vec<Step>,
    checks: Vec<Check>,
    /// Per memo slot: (cache stamp, the start time's bits, the itinerary).
    slots: Vec<(u32, u64, u32)>,
    /// The itineraries of memo slots whose trips start on another plan, because a random
    /// closure stood on the usual plan's path: by (slot, tree).
    alternatives: FxHashMap<(u32, u64), u32>,
    stamp: u32,
}

/// Memo slots: the first leg of departure `i` is slot `2i` and its way home `2i + 1`; the
/// escorted convoys of staging point `p` on day `d` follow them.
pub fn slot_count(model: &Model) -> usize {
    2 * model.departures.len() + model.staging.len() * model.horizon as usize
}

pub fn escort_slot(model: &Model, point: usize, day: u32) -> usize {
    2 * model.departures.len() + point * model.horizon as usize + day as usize
}

impl Itineraries {
    pub fn begin(&mut self, model: &Model) {
        let n = slot_count(model);
        if self.slots.len() != n {
            self.slots = vec![(0, 0, NONE); n];
            self.stamp = self.stamp.max(1);
        }
    }

    pub fn bytes(&self) -> usize {
        self.items.capacity() * std::mem::size_of::<Itinerary>()
            + self.steps.capacity() * std::mem::size_of::<Step>()
            + self.checks.capacity() * std::mem::size_of::<Check>()
            + self.alternatives.capacity() * 24
    }

    /// Forgets every itinerary.
    pub fn clear(&mut self) {
        self.items.clear();
        self.steps.clear();
        self.checks.clear();
        self.alternatives.clear();
        self.stamp = self.stamp.wrapping_add(1).max(1);
    }

    #[inline]
    pub fn get(&self, id: u32) -> &Itinerary {
        &self.items[id as usize]
    }

    #[inline]
    pub fn steps(&self, it: &Itinerary) -> &[Step] {
        &self.steps[it.steps.0 as usize..it.steps.1 as usize]
    }

    #[inline]
    pub fn checks(&self, it: &Itinerary) -> &[Check] {
        &self.checks[it.checks.0 as usize..it.checks.1 as usize]
    }

    /// The itinerary of memo slot `slot`, from `node` (or, for a fixed path, its position
    /// `pos`) at `tau`, built on first use. A slot keeps
    /// the first start time it saw; a trip starting at another time gets `None` and drives
    /// edge by edge.
    #[allow(clippy::too_many_arguments)]
    pub fn memo(
        &mut self,
        model: &Model,
        plans: &Plans,
        slot: usize,
        leg: usize,
        plan: PlanRef,
        (node, pos): (u32, u32),
        tau: f64,
    ) -> Option<u32> {
        let (stamp, bits, id) = self.slots[slot];
        if stamp == self.stamp {
            return (bits == tau.to_bits()).then_some(id);
        }
        let id = self.build(model, plans, leg, plan, (node, pos), tau);
        self.slots[slot] = (self.stamp, tau.to_bits(), id);
        Some(id)
    }

    /// The itinerary of memo slot `slot` when its trip starts on tree plan `plan` rather
    /// than its usual one; `None` if the slot's start time is another (see [`Self::memo`]).
    #[allow(clippy::too_many_arguments)]
    pub fn alternative(
        &mut self,
        model: &Model,
        plans: &Plans,
        slot: usize,
        leg: usize,
        plan: PlanRef,
        start: (u32, u32),
        tau: f64,
    ) -> Option<u32> {
        let (stamp, bits, _) = self.slots[slot];
        let PlanRef::Tree(tree) = plan else {
            return None;
        };
        if stamp != self.stamp || bits != tau.to_bits() {
            return None;
        }
        let key = (slot as u32, tree.code());
        if let Some(&id) = self.alternatives.get(&key) {
            return Some(id);
        }
        let id = self.build(model, plans, leg, plan, start, tau);
        self.alternatives.insert(key, id);
        Some(id)
    }

    fn build(
        &mut self,
        model: &Model,
        plans: &Plans,
        leg: usize,
        plan: PlanRef,
        (start, start_pos): (u32, u32),
        mut tau: f64,
    ) -> u32 {
        let l = &model.legs[leg];
        let mover = &model.movers[l.mover];
        let class = mover.class;
        let n_dedges = model.n_dedges();
        let horizon = f64::from(model.horizon);
        let (tree, path): (Option<&[u32]>, &[u32]) = match (plan, &l.route) {
            (PlanRef::Tree(t), _) => (Some(&plans.tree(model, t).next), &[]),
            (PlanRef::Fixed { .. }, RouteRule::Fixed(path)) => (None, path),
            (PlanRef::Fixed { .. }, RouteRule::Planned { .. }) => {
                unreachable!("a fixed plan belongs to a fixed route")
            }
        };
        let (mut node, mut pos) = (start, start_pos);
        let first = (self.steps.len() as u32, self.checks.len() as u32);
        let mut survival = 1.0;
        let stop = loop {
            if tau >= horizon {
                break Stop::Unfinished;
            }
            let dedge = match tree {
                Some(next) => next[node as usize],
                None => path[pos as usize],
            };
            let day = tau as u32;
            let epoch = model.day_epoch[day as usize];
            if model.sched_closed(epoch, class, dedge) {
                break Stop::Blocked;
            }
            let at = self.steps.len() as u32 - first.0;
            let slot = model.closable(dedge, class);
            if slot != NONE {
                self.checks.push(Check { at, day, slot });
            }
            let spared = mover.spared[epoch as usize * n_dedges + dedge as usize];
            if spared < 1.0 {
                survival *= spared;
            }
            self.steps.push(Step {
                dedge,
                day,
                tau,
                spared,
                survival,
            });
            tau += mover.travel[dedge as usize / 2];
            node = model.dedge_to[dedge as usize];
            pos += 1;
            if node == l.target {
                break Stop::Arrive;
            }
            tau += model.dwell[node as usize];
        };
        self.items.push(Itinerary {
            steps: (first.0, self.steps.len() as u32),
            checks: (first.1, self.checks.len() as u32),
            stop,
            end_node: node,
            end_tau: tau,
            end_pos: pos,
        });
        self.items.len() as u32 - 1
    }
}
