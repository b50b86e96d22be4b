//! Staging points and their escort units (MODEL.md section 13). Loaded convoys of the
//! streams that stage somewhere join its queue as groups; at the start of each day the point
//! forms escorted convoys while a unit is back and the queue is long enough (or someone has
//! waited too long), taking whole groups in the order they joined and splitting the last.
//! An escorted convoy is one trip; each attack's losses fall on tankers drawn without
//! replacement from the whole convoy, and each group delivers its own stream's fuel.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

use rand_distr::{Distribution, Hypergeometric};

use super::model::Model;
use super::rng::SimRng;
use super::trial::{Observer, Trial, ceil_day};
use super::trip::{Attack, TripEnd, Who};

/// Every staging point's queue and units, for one trial.
#[derive(Debug, Default)]
pub struct Staging {
    points: Vec<Point>,
    /// The groups of the escorted convoy being booked: (stream, tankers left).
    parts: Vec<(u32, u32)>,
    attacks: Vec<Attack>,
}

#[derive(Debug, Default)]
struct Point {
    /// Groups on their way in: (joining time's bits, stream, departure, tankers). Times are
    /// >= 0, so their bits order like the times; ties go to stream, then departure order.
    pending: BinaryHeap<Reverse<(u64, u32, u32, u32)>>,
    /// Groups that have joined, in order: (joining time, stream, tankers).
    ready: VecDeque<(f64, u32, u32)>,
    queued: u32,
    /// Units back by the start of each day, and units available now.
    units_back: Vec<u32>,
    available: u32,
    formed: usize,
    /// Σ tankers × days waited, of tankers that have left.
    wait: f64,
}

impl Staging {
    pub fn begin(&mut self, model: &Model) {
        let h = model.horizon as usize;
        self.points.resize_with(model.staging.len(), Point::default);
        for (point, plan) in self.points.iter_mut().zip(&model.staging) {
            point.pending.clear();
            point.ready.clear();
            point.queued = 0;
            point.units_back.clear();
            point.units_back.resize(h, 0);
            point.available = plan.units;
            point.formed = 0;
            point.wait = 0.0;
        }
    }

    /// Stream `s`'s departure `k` brings `n` tankers to staging point `p`, joining at `tau`.
    pub fn join(&mut self, p: usize, tau: f64, s: usize, k: usize, n: u32) {
        self.points[p]
            .pending
            .push(Reverse((tau.to_bits(), s as u32, k as u32, n)));
    }
}

/// Staging point `p` at the start of day `day`: units come back, groups that have arrived
/// join, and escorted convoys leave while they may.
pub(super) fn form<O: Observer>(t: &mut Trial<'_, '_, O>, p: usize, day: u32) {
    let m = t.model;
    let plan = &m.staging[p];
    let h = m.horizon as usize;
    let point = &mut t.staging_state().points[p];
    point.available += point.units_back[day as usize];
    while let Some(&Reverse((bits, s, _, n))) = point.pending.peek() {
        if f64::from_bits(bits) > f64::from(day) {
            break;
        }
        point.pending.pop();
        point.ready.push_back((f64::from_bits(bits), s, n));
        point.queued += n;
    }
    loop {
        let state = t.staging_state();
        let point = &mut state.points[p];
        let Some(&(oldest, _, _)) = point.ready.front() else {
            break;
        };
        let waited_enough = f64::from(day) - oldest >= plan.max_wait_days;
        if point.available == 0 || !(point.queued >= plan.min_tankers || waited_enough) {
            break;
        }
        let size = point.queued.min(plan.max_tankers);
        let mut parts = std::mem::take(&mut state.parts);
        parts.clear();
        let mut left = size;
        while left > 0 {
            let group = point
                .ready
                .front_mut()
                .expect("the queue holds `queued` tankers");
            let taken = group.2.min(left);
            parts.push((group.1, taken));
            point.wait += f64::from(taken) * (f64::from(day) - group.0);
            group.2 -= taken;
            left -= taken;
            if group.2 == 0 {
                point.ready.pop_front();
            }
        }
        point.queued -= size;
        point.available -= 1;
        let k = point.formed;
        point.formed += 1;
        t.out.staging[p].escorted_convoys += 1;
        t.out.formed_daily[p * h + day as usize] += 1;
        t.obs.form(p, day, size);
        let mut rng = t.key.escorted(p, k);
        escort(t, &mut rng, p, day, size, &mut parts);
        t.staging_state().parts = parts;
    }
    let queued = t.staging_state().points[p].queued;
    t.out.queue_daily[p * h + day as usize] = queued;
}

/// One escorted convoy of `size` tankers, made of `parts`, leaving point `p` on `day`.
fn escort<O: Observer>(
    t: &mut Trial<'_, '_, O>,
    rng: &mut SimRng,
    p: usize,
    day: u32,
    size: u32,
    parts: &mut [(u32, u32)],
) {
    let m = t.model;
    let plan = &m.staging[p];
    let mut n = size;
    let trip = t.drive(
        rng,
        Who::Escorted(p),
        plan.leg,
        plan.node,
        f64::from(day),
        0.0,
        &mut n,
        None,
    );
    let mut attacks = std::mem::take(&mut t.staging_state().attacks);
    attacks.clear();
    attacks.extend_from_slice(t.last_attacks());
    for a in &attacks {
        t.out.convoys_attacked += 1;
        t.out.staging[p].convoys_attacked += 1;
        t.out.attacks.push((a.dedge / 2, a.lost));
        let mut left = if a.seized { u32::MAX } else { a.lost };
        let mut total: u32 = parts.iter().map(|q| q.1).sum();
        for (stream, alive) in parts.iter_mut() {
            let lost = take_from_group(rng, total, *alive, &mut left);
            total -= *alive;
            *alive -= lost;
            if lost > 0 {
                let litres = m.streams[*stream as usize].tanker_litres;
                t.book_loss(*stream as usize, litres, a, lost);
            }
        }
    }
    t.staging_state().attacks = attacks;
    let back = match trip.end {
        TripEnd::Arrived(tau) => {
            for &(s, n) in parts.iter() {
                t.deliver(s as usize, plan.sink, tau, n);
            }
            // Each fleet stream sends its survivors home as one convoy, in the order the
            // streams first appear in the convoy.
            for i in 0..parts.len() {
                let s = parts[i].0;
                if m.streams[s as usize].fleet.is_none() || parts[..i].iter().any(|q| q.0 == s) {
                    continue;
                }
                let n: u32 = parts[i..].iter().filter(|q| q.0 == s).map(|q| q.1).sum();
                if n > 0 {
                    t.go_home(rng, s as usize, tau, n, None);
                }
            }
            Some(tau)
        }
        TripEnd::Destroyed(tau) => Some(tau),
        TripEnd::Unfinished => {
            for &(s, n) in parts.iter() {
                t.out.in_transit_litres += f64::from(n) * m.streams[s as usize].tanker_litres;
            }
            None
        }
    };
    // MODEL.md section 13, "Units": back after its rest and the drive back.
    if let Some(end) = back {
        let ready = ceil_day(end + plan.turnaround_days + trip.km / plan.speed);
        if ready < m.horizon {
            t.staging_state().points[p].units_back[ready as usize] += 1;
        }
    }
}

/// How many of a group's `alive` tankers an attack takes, when `left` of the convoy's
/// `total` remaining tankers are still to be lost (`u32::MAX`: a seizure takes them all):
/// tankers are drawn without replacement, each equally likely, so a group's share is
/// hypergeometric, group after group.
fn take_from_group(rng: &mut SimRng, total: u32, alive: u32, left: &mut u32) -> u32 {
    let lost = if *left == u32::MAX {
        return alive;
    } else if *left == 0 || alive == 0 {
        0
    } else if alive == total {
        *left
    } else {
        Hypergeometric::new(u64::from(total), u64::from(alive), u64::from(*left))
            .expect("the draws fit the convoy")
            .sample(rng) as u32
    };
    *left -= lost;
    lost
}

/// The end of the horizon: tankers still queued, or due to join within the last day, have
/// waited since they joined, and their fuel is in transit.
pub(super) fn finish<O: Observer>(t: &mut Trial<'_, '_, O>) {
    let m = t.model;
    let horizon = f64::from(m.horizon);
    for p in 0..m.staging.len() {
        let (mut waiting, mut wait, mut litres) = (0u64, t.staging_state().points[p].wait, 0.0);
        let point = &t.staging_state().points[p];
        let still = point.ready.iter().map(|&(tau, s, n)| (tau, s, n)).chain(
            point
                .pending
                .iter()
                .map(|Reverse((bits, s, _, n))| (f64::from_bits(*bits), *s, *n)),
        );
        for (tau, s, n) in still {
            waiting += u64::from(n);
            wait += f64::from(n) * (horizon - tau);
            litres += f64::from(n) * m.streams[s as usize].tanker_litres;
        }
        let out = &mut t.out.staging[p];
        out.waiting_end = waiting;
        out.wait_days = if out.tankers_staged > 0 {
            wait / out.tankers_staged as f64
        } else {
            0.0
        };
        t.out.in_transit_litres += litres;
    }
}
