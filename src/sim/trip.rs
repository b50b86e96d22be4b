//! One trip: a convoy driving one leg (to its sink, to a staging point, an escorted convoy to
//! its sink, or empties home), exactly as MODEL.md sections 3-5 and 11-12 say. A trip is a
//! pure function of its inputs (the leg, where and when it starts, its tankers), of the
//! trial's closures and of its own generator; it reports how it ended and its attacks, and
//! the caller books them.
//!
//! Most trips drive the same path at the same times in every trial, and only the closures
//! and the attacks differ. Such a trip follows its memoised itinerary: it checks only the
//! edges on which a random closure could stand and draws its attacks along the whole path at
//! once, by inverting the cumulative survival (one uniform number, plus two per attack). A
//! trip that leaves its itinerary (a closure in the way, or a start time other than the
//! memoised one) drives on edge by edge, re-planning where a closure blocks it. A convoy that
//! finds no route waits, not day by day, but until the first day on which a closure in its
//! way ends or the scheduled closures change: nothing can open a road before then.

use super::closures::ClosureState;
use super::itinerary::{Itineraries, PlanRef, Step, Stop};
use super::model::{Class, Model, Mover, RouteRule};
use super::plans::{Plans, TreeRef};
use super::rng::{SimRng, uniform};

/// Whose trip it is, for observers: a stream's convoy, or an escorted convoy of a staging
/// point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    Stream(usize),
    Escorted(usize),
}

/// Hooks into a trial's events, for tests and traces. Every method defaults to nothing, so
/// the plain run ([`NoTrace`]) compiles to no extra work.
pub trait Observer {
    /// A convoy of `tankers` leaves its stream's source on `day`.
    fn depart(&mut self, _stream: usize, _day: u32, _tankers: u32) {}
    /// A convoy of `tankers` enters directed edge `dedge` at time `tau`.
    fn enter(&mut self, _who: Who, _class: Class, _dedge: u32, _tau: f64, _tankers: u32) {}
    /// An attack destroys or seizes `lost` of the convoy's tankers (possibly none).
    fn attack(&mut self, _who: Who, _class: Class, _dedge: u32, _tau: f64, _lost: u32) {}
    /// A convoy reaches the end of its leg at `tau`.
    fn arrive(&mut self, _who: Who, _class: Class, _tau: f64, _tankers: u32) {}
    /// Staging point `point` forms an escorted convoy of `tankers` on `day`.
    fn form(&mut self, _point: usize, _day: u32, _tankers: u32) {}
}

/// The observer that observes nothing.
pub struct NoTrace;
impl Observer for NoTrace {}

/// One attack on a trip.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Attack {
    pub dedge: u32,
    pub tau: f64,
    /// Tankers destroyed, or taken when `seized`.
    pub lost: u32,
    pub seized: bool,
}

/// How a trip ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum TripEnd {
    Arrived(f64),
    /// Its last tanker lost at this time.
    Destroyed(f64),
    /// Still on the road when the horizon ends.
    Unfinished,
}

/// A trip's end and the km it drove (every edge driven, including parts given up at a
/// re-plan).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Trip {
    pub end: TripEnd,
    pub km: f64,
}

/// What a trip reads and writes: the model, the trial's closures, the worker's caches.
pub struct Driver<'a, 'm, O> {
    pub model: &'m Model,
    pub closures: &'a mut ClosureState,
    pub plans: &'a mut Plans,
    pub itins: &'a mut Itineraries,
    pub obs: &'a mut O,
    /// The trip's attacks, appended.
    pub attacks: &'a mut Vec<Attack>,
    pub traversals: &'a mut u64,
}

/// Where a convoy is, on its way.
#[derive(Debug, Clone, Copy)]
struct At {
    node: u32,
    /// For a fixed path: the position of its next edge.
    pos: u32,
    tau: f64,
    km: f64,
}

/// A leg as one trip drives it.
struct LegRef<'m> {
    leg: usize,
    who: Who,
    mover: &'m Mover,
    target: u32,
}

impl<O: Observer> Driver<'_, '_, O> {
    /// Drives `leg` for `n` tankers from `start`: planned at `tau_plan`, it first waits
    /// `first_wait` days there. `memo` is the slot of its itinerary (see `itinerary`).
    #[allow(clippy::too_many_arguments)]
    pub fn drive(
        &mut self,
        rng: &mut SimRng,
        who: Who,
        leg: usize,
        start: u32,
        tau_plan: f64,
        first_wait: f64,
        n: &mut u32,
        memo: Option<usize>,
    ) -> Trip {
        let m = self.model;
        if tau_plan >= f64::from(m.horizon) {
            return Trip {
                end: TripEnd::Unfinished,
                km: 0.0,
            };
        }
        let l = LegRef {
            leg,
            who,
            mover: &m.movers[m.legs[leg].mover],
            target: m.legs[leg].target,
        };
        let day = tau_plan as u32;
        let tau = tau_plan + first_wait;
        let at = At {
            node: start,
            pos: 0,
            tau,
            km: 0.0,
        };
        let (nominal, checked) = self.nominal_plan(leg, start, day);
        let plan = if checked {
            self.first_plan(leg, day, start)
        } else {
            nominal
        };
        if let Some(slot) = memo
            && plan == nominal
            && let Some(id) = self
                .itins
                .memo(m, self.plans, slot, leg, plan, (start, 0), tau)
        {
            return self.follow(rng, &l, plan, id, n);
        }
        self.walk(rng, &l, plan, at, n, Exposure::FRESH)
    }

    /// MODEL.md section 3, "Routing": the plan a leg makes on `day` if no random closure is
    /// in its way: its fixed path, the epoch's shared tree, or, with no path over the edges
    /// open under the scheduled closures, the tree over every edge. And whether random
    /// closures could change it.
    fn nominal_plan(&self, leg: usize, start: u32, day: u32) -> (PlanRef, bool) {
        let m = self.model;
        let RouteRule::Planned { target, profile } = m.legs[leg].route else {
            return (PlanRef::Fixed { leg: leg as u32 }, false);
        };
        let epoch = m.day_epoch[day as usize];
        let slot = m.tree_slot(target, profile, epoch, false);
        if m.tree_at(slot).reaches(start) {
            (
                PlanRef::Tree(TreeRef::Shared(slot as u32)),
                m.has_random_closures(),
            )
        } else {
            let all_open = m.tree_slot(target, profile, epoch, true);
            (PlanRef::Tree(TreeRef::Shared(all_open as u32)), false)
        }
    }

    /// The plan a planned leg makes at `node` on `day` over that day's open edges, or, with
    /// no such route, the path it would take with every edge open.
    fn first_plan(&mut self, leg: usize, day: u32, node: u32) -> PlanRef {
        let m = self.model;
        let RouteRule::Planned { target, profile } = m.legs[leg].route else {
            unreachable!("only planned legs have plans that closures change")
        };
        match self
            .plans
            .plan(m, self.closures, target, profile, day, node)
        {
            Ok(tree) => PlanRef::Tree(tree),
            Err(_) => {
                let all_open = m.tree_slot(target, profile, m.day_epoch[day as usize], true);
                PlanRef::Tree(TreeRef::Shared(all_open as u32))
            }
        }
    }

    /// Follows itinerary `id` of `plan` as far as no random closure stands in its way, then
    /// walks on.
    fn follow(
        &mut self,
        rng: &mut SimRng,
        l: &LegRef<'_>,
        plan: PlanRef,
        id: u32,
        n: &mut u32,
    ) -> Trip {
        let m = self.model;
        let it = *self.itins.get(id);
        let mut upto = None;
        if m.has_random_closures() {
            for c in self.itins.checks(&it) {
                if self.closures.slot_closed(c.slot, c.day) {
                    upto = Some(c.at as usize);
                    break;
                }
            }
        }
        let all = self.itins.steps(&it);
        let steps = &all[..upto.unwrap_or(all.len())];
        let mut log = Log {
            obs: &mut *self.obs,
            attacks: &mut *self.attacks,
            traversals: &mut *self.traversals,
        };
        let mut exposure = Exposure::FRESH;
        let destroyed = log.drive_steps(m, rng, l, steps, n, &mut exposure);
        let driven = |k: usize| {
            steps[..k]
                .iter()
                .map(|s| m.km[s.dedge as usize / 2])
                .sum::<f64>()
        };
        if let Some((i, tau)) = destroyed {
            return Trip {
                end: TripEnd::Destroyed(tau),
                km: driven(i),
            };
        }
        let km = driven(steps.len());
        let at = match upto {
            Some(j) => At {
                node: m.dedge_to[(all[j].dedge ^ 1) as usize],
                pos: it.end_pos - (all.len() - j) as u32,
                tau: all[j].tau,
                km,
            },
            None => match it.stop {
                Stop::Arrive => {
                    self.obs.arrive(l.who, l.mover.class, it.end_tau, *n);
                    return Trip {
                        end: TripEnd::Arrived(it.end_tau),
                        km,
                    };
                }
                Stop::Unfinished => {
                    return Trip {
                        end: TripEnd::Unfinished,
                        km,
                    };
                }
                Stop::Blocked => At {
                    node: it.end_node,
                    pos: it.end_pos,
                    tau: it.end_tau,
                    km,
                },
            },
        };
        self.walk(rng, l, plan, at, n, exposure)
    }

    /// Drives edge by edge from `at`, following `plan` (MODEL.md section 3, "Movement").
    fn walk(
        &mut self,
        rng: &mut SimRng,
        l: &LegRef<'_>,
        mut plan: PlanRef,
        mut at: At,
        n: &mut u32,
        mut exposure: Exposure,
    ) -> Trip {
        let m = self.model;
        let horizon = f64::from(m.horizon);
        let (class, n_dedges) = (l.mover.class, m.n_dedges());
        let mut factor = SizeFactor::default();
        // The epoch's rows of the closure and attack tables, looked up again only when the
        // epoch changes (a few times a trip at most).
        let (mut row_epoch, mut closed_row) = (u32::MAX, &[][..]);
        loop {
            if at.tau >= horizon {
                return Trip {
                    end: TripEnd::Unfinished,
                    km: at.km,
                };
            }
            let dedge = self.next_edge(plan, &at) as usize;
            let day = at.tau as u32;
            let epoch = m.day_epoch[day as usize];
            if epoch != row_epoch {
                row_epoch = epoch;
                closed_row = m.closed_row(epoch, class);
            }
            if closed_row[dedge]
                || (m.has_random_closures() && self.closures.closed(m, dedge as u32, class, day))
            {
                match self.reroute(l, &at, dedge as u32) {
                    Next::Plan(p) => plan = p,
                    Next::Wait(d) if d < m.horizon => at.tau = f64::from(d),
                    Next::Wait(_) => {
                        return Trip {
                            end: TripEnd::Unfinished,
                            km: at.km,
                        };
                    }
                }
                continue;
            }
            *self.traversals += 1;
            self.obs.enter(l.who, class, dedge as u32, at.tau, *n);
            let q = factor.spared(m, l.mover, epoch as usize * n_dedges + dedge, *n);
            if q < 1.0 && exposure.attacked(q, rng) {
                let mut log = Log {
                    obs: &mut *self.obs,
                    attacks: &mut *self.attacks,
                    traversals: &mut *self.traversals,
                };
                log.attack(m, rng, l, dedge as u32, at.tau, n);
                if *n == 0 {
                    return Trip {
                        end: TripEnd::Destroyed(at.tau),
                        km: at.km,
                    };
                }
            }
            at.tau += l.mover.travel[dedge / 2];
            at.km += m.km[dedge / 2];
            at.node = m.dedge_to[dedge];
            at.pos += 1;
            if at.node == l.target {
                self.obs.arrive(l.who, class, at.tau, *n);
                return Trip {
                    end: TripEnd::Arrived(at.tau),
                    km: at.km,
                };
            }
            at.tau += m.dwell[at.node as usize];
        }
    }

    #[inline]
    fn next_edge(&self, plan: PlanRef, at: &At) -> u32 {
        match plan {
            PlanRef::Tree(tree) => self.plans.tree(self.model, tree).next[at.node as usize],
            PlanRef::Fixed { leg } => match &self.model.legs[leg as usize].route {
                RouteRule::Fixed(path) => path[at.pos as usize],
                RouteRule::Planned { .. } => unreachable!("a fixed plan belongs to a fixed route"),
            },
        }
    }

    /// MODEL.md section 3, "Movement", step 1, at a closed edge: a `fixed` convoy waits and
    /// tries again; any other plans a new route over the edges open that day, or, finding
    /// none, keeps its plan and waits (docs/DECISIONS.md item 1). A wait lasts until the
    /// first day on which the blocked edge or a route could open.
    fn reroute(&mut self, l: &LegRef<'_>, at: &At, blocked: u32) -> Next {
        let m = self.model;
        let day = at.tau as u32;
        let opening = match m.legs[l.leg].route {
            RouteRule::Fixed(_) => m.next_epoch_day(day),
            RouteRule::Planned { target, profile } => {
                match self
                    .plans
                    .plan(m, self.closures, target, profile, day, at.node)
                {
                    Ok(tree) => return Next::Plan(PlanRef::Tree(tree)),
                    Err(opening) => opening,
                }
            }
        };
        let reopens = self.closures.next_opening(m, blocked, l.mover.class, day);
        Next::Wait(opening.min(reopens))
    }
}

/// What a convoy at a closed edge does next.
enum Next {
    Plan(PlanRef),
    /// Wait for the start of this day and try again.
    Wait(u32),
}

/// Where the steps of a trip are recorded: the observer, the trip's attacks, the count of
/// edges entered.
struct Log<'a, O> {
    obs: &'a mut O,
    attacks: &'a mut Vec<Attack>,
    traversals: &'a mut u64,
}

impl<O: Observer> Log<'_, O> {
    /// Drives `steps` from the start of an itinerary, drawing their attacks (MODEL.md
    /// section 4) as a walk would, edge by edge (see [`Exposure`]), but without visiting the
    /// edges: the first attack is where the itinerary's running survival first falls below
    /// the drawn threshold. Returns the step and time of an attack that leaves no tanker.
    fn drive_steps(
        &mut self,
        m: &Model,
        rng: &mut SimRng,
        l: &LegRef<'_>,
        steps: &[Step],
        n: &mut u32,
        exposure: &mut Exposure,
    ) -> Option<(usize, f64)> {
        let mut from = 0;
        if m.size_exponent == 0.0 && exposure.threshold == 0.0 {
            let Some(first) = steps.iter().position(|s| s.spared < 1.0) else {
                self.enter_steps(l, steps, *n);
                return None;
            };
            exposure.threshold = 1.0 - uniform(rng);
            let last = steps[steps.len() - 1].survival;
            if last >= exposure.threshold {
                exposure.spared = last;
                self.enter_steps(l, steps, *n);
                return None;
            }
            let i = first
                + steps[first..]
                    .iter()
                    .position(|s| s.survival < exposure.threshold)
                    .expect("the last step's survival is below the threshold");
            *exposure = Exposure::FRESH;
            self.enter_steps(l, &steps[..=i], *n);
            self.attack(m, rng, l, steps[i].dedge, steps[i].tau, n);
            if *n == 0 {
                return Some((i, steps[i].tau));
            }
            from = i + 1;
        }
        // After an attack, or with a size factor, edge by edge as a walk.
        let mut factor = SizeFactor::default();
        for (i, step) in steps.iter().enumerate().skip(from) {
            self.enter_steps(l, std::slice::from_ref(step), *n);
            let epoch = m.day_epoch[step.day as usize] as usize;
            let q = factor.spared(m, l.mover, epoch * m.n_dedges() + step.dedge as usize, *n);
            if q < 1.0 && exposure.attacked(q, rng) {
                self.attack(m, rng, l, step.dedge, step.tau, n);
                if *n == 0 {
                    return Some((i, step.tau));
                }
            }
        }
        None
    }

    /// MODEL.md sections 4 and 12: the attack is a seizure of every tanker with probability
    /// min(1, seize_prob × seize_mult), else it destroys a Beta-Binomial share.
    fn attack(
        &mut self,
        m: &Model,
        rng: &mut SimRng,
        l: &LegRef<'_>,
        dedge: u32,
        tau: f64,
        n: &mut u32,
    ) {
        let seize = l.mover.seize;
        let seized = seize > 0.0 && (seize >= 1.0 || uniform(rng) < seize);
        let lost = if seized {
            *n
        } else {
            m.losses[l.mover.loss].draw(*n, rng)
        };
        *n -= lost;
        self.attacks.push(Attack {
            dedge,
            tau,
            lost,
            seized,
        });
        self.obs.attack(l.who, l.mover.class, dedge, tau, lost);
    }

    #[inline]
    fn enter_steps(&mut self, l: &LegRef<'_>, steps: &[Step], n: u32) {
        *self.traversals += steps.len() as u64;
        for s in steps {
            self.obs.enter(l.who, l.mover.class, s.dedge, s.tau, n);
        }
    }
}

/// A leg's exposure to attack since its last attack (docs/DECISIONS.md item 27): the uniform
/// threshold drawn at the first edge with a hazard since then (0 until it is drawn), and the
/// chance that none of those edges brought an attack, multiplied in order. An attack comes on
/// the first edge at which that chance falls below the threshold: one Bernoulli draw per edge
/// in law. Following an itinerary and walking compute the same numbers in the same order, so
/// a trip's draws do not depend on which it did.
#[derive(Debug, Clone, Copy)]
pub struct Exposure {
    threshold: f64,
    spared: f64,
}

impl Exposure {
    pub const FRESH: Exposure = Exposure {
        threshold: 0.0,
        spared: 1.0,
    };

    /// Enters an edge that spares the convoy with probability `q` < 1: whether it attacks.
    #[inline]
    fn attacked(&mut self, q: f64, rng: &mut SimRng) -> bool {
        if self.threshold == 0.0 {
            self.threshold = 1.0 - uniform(rng);
            self.spared = 1.0;
        }
        self.spared *= q;
        if self.spared < self.threshold {
            *self = Exposure::FRESH;
            true
        } else {
            false
        }
    }
}

/// The chance of no attack on entering an edge: exp(-lambda) from the mover's table, or with
/// `size_exponent` > 0, exp(-lambda × (n / size_ref)^size_exponent), the factor kept while
/// the convoy's size does not change.
#[derive(Debug, Default)]
struct SizeFactor {
    n: u32,
    factor: f64,
}

impl SizeFactor {
    #[inline]
    fn spared(&mut self, m: &Model, mover: &Mover, k: usize, n: u32) -> f64 {
        if m.size_exponent == 0.0 {
            return mover.spared[k];
        }
        let lambda = mover.lambda[k];
        if lambda == 0.0 {
            return 1.0;
        }
        if self.n != n {
            (self.n, self.factor) = (n, (f64::from(n) / m.size_ref).powf(m.size_exponent));
        }
        (-lambda * self.factor).exp()
    }
}
