//! The sections about fleets: how each fleet was sized, what attrition does to deliveries,
//! and the scenario library at a glance.

use super::*;

/// Per fleet stream: the days from a departure to the tankers' return home, with nothing in
/// the way (no threats, no closures), measured by following the first departure.
pub(crate) struct Cycle {
    start: Vec<Option<u32>>,
    back: Vec<Option<f64>>,
}

impl Observer for Cycle {
    fn depart(&mut self, stream: usize, day: u32, _tankers: u32) {
        self.start[stream].get_or_insert(day);
    }
    fn arrive(&mut self, who: Who, class: Class, tau: f64, _tankers: u32) {
        if let (Who::Stream(stream), Class::Empty) = (who, class) {
            self.back[stream].get_or_insert(tau);
        }
    }
}

pub(crate) fn fleet_sizing_section(names: &[&str]) -> String {
    let mut o = String::new();
    o += "Every fleet stream of the shipped scenarios. Cycle = days from a departure until its \
          tankers are home again, measured by the engine on the scenario with its closures removed \
          and attacks that destroy nothing (so routes are chosen as in the scenario). Needed = tankers per departure x the departures a tanker misses \
          while away (`ceil(cycle / every_days)`), the smallest fleet that never runs short \
          when nothing is lost.\n\n";
    o += "| scenario | stream | tankers x every | out, days | back, days | cycle, days | \
          needed | fleet in file |\n";
    o += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for name in names {
        let mut s = load(name);
        if s.streams.iter().all(|st| st.fleet.is_none()) {
            continue;
        }
        // Attacks that destroy nothing (MODEL.md section 4 with loss_mult 0) leave every
        // route choice as it is, `safest` included; closures only delay.
        s.escorts.iter_mut().for_each(|e| e.loss_mult = 0.0);
        s.closures.clear();
        s.random_closures.clear();
        // Follow each stream's first departure: its arrival at the sink, then home.
        let model = Model::new(&s);
        let mut scratch = Scratch::default();
        let mut out = TrialOutcome::new(&model);
        let mut cyc = Cycle {
            start: vec![None; s.streams.len()],
            back: vec![None; s.streams.len()],
        };
        let mut arrivals = SinkArrival {
            first: vec![None; s.streams.len()],
            inner: &mut cyc,
        };
        simulate_trial(&model, SEED, 0, &mut scratch, &mut out, &mut arrivals);
        let first = arrivals.first.clone();
        for (i, st) in s.streams.iter().enumerate() {
            let Some(fleet) = st.fleet else { continue };
            let (Some(start), Some(back), Some(there)) = (cyc.start[i], cyc.back[i], first[i])
            else {
                let _ = writeln!(
                    o,
                    "| {name} | {} | {} x {} | - | - | does not return within the horizon | - \
                     | {fleet} |",
                    st.name, st.tankers, st.every_days
                );
                continue;
            };
            let cycle = back - f64::from(start);
            let rotation = (cycle / f64::from(st.every_days)).ceil() as u32;
            let _ = writeln!(
                o,
                "| {name} | {} | {} x {} | {:.2} | {:.2} | {:.2} | {} | {fleet} |",
                st.name,
                st.tankers,
                st.every_days,
                there - f64::from(start),
                back - there,
                cycle,
                rotation * st.tankers,
            );
        }
    }
    o
}

/// Records each stream's first arrival at the sink, and passes every event on.
pub(crate) struct SinkArrival<'a> {
    first: Vec<Option<f64>>,
    inner: &'a mut Cycle,
}

impl Observer for SinkArrival<'_> {
    fn depart(&mut self, stream: usize, day: u32, tankers: u32) {
        self.inner.depart(stream, day, tankers);
    }
    fn arrive(&mut self, who: Who, class: Class, tau: f64, tankers: u32) {
        if let (Who::Stream(stream), Class::Loaded) = (who, class) {
            self.first[stream].get_or_insert(tau);
        }
        self.inner.arrive(who, class, tau, tankers);
    }
}

pub(crate) fn fleets_section(names: &[&str]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "The same scenarios read two ways, {} trials each: with their fleets (tankers \
         destroyed are gone for good, MODEL.md section 10) and with unlimited tankers (every \
         departure leaves full, as if each convoy were fresh tankers). Deliveries are in \
         million litres, by thirds of the horizon, so the growing gap shows.\n",
        num(TRIALS as f64, 0)
    );
    o += "| scenario | reading | days 1-30 | days 31-60 | days 61-90 | total (5-95 %) | \
          shortage days | tankers destroyed | tankers short | fleet left at the end |\n";
    o += "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for name in names {
        let s = load(name);
        if s.streams.iter().all(|st| st.fleet.is_none()) {
            continue;
        }
        let mut unlimited = s.clone();
        unlimited.streams.iter_mut().for_each(|st| st.fleet = None);
        for (reading, sc) in [("fleets", &s), ("unlimited tankers", &unlimited)] {
            let t = run(sc, TRIALS, false);
            let m = |v: &[f64]| num(dist(v).mean / 1e6, 1);
            let total = dist(&t.delivered);
            let fleet_left = if reading == "fleets" {
                format!(
                    "{} of {}",
                    num(dist(&t.fleet_end).mean, 0),
                    num(t.fleet_total as f64, 0)
                )
            } else {
                "-".to_string()
            };
            let short = if reading == "fleets" {
                num(dist(&t.tankers_short).mean, 0)
            } else {
                "-".to_string()
            };
            let _ = writeln!(
                o,
                "| {name} | {reading} | {} | {} | {} | {} ({} - {}) | {} | {} | {short} | \
                 {fleet_left} |",
                m(&t.thirds[0]),
                m(&t.thirds[1]),
                m(&t.thirds[2]),
                num(total.mean / 1e6, 1),
                num(total.p5 / 1e6, 1),
                num(total.p95 / 1e6, 1),
                num(dist(&t.shortage_days).mean, 1),
                num(dist(&t.lost).mean, 0),
            );
        }
    }
    o
}

pub(crate) fn library_section(names: &[&str]) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "Every shipped scenario, {} trials, seed {SEED}. Served = share of the scenario's own \
         demand released over its horizon.\n",
        num(TRIALS as f64, 0)
    );
    o += "| scenario | days | fuel delivered, M L, mean (5-95 %) | served | shortage days | \
          tankers destroyed, mean (5-95 %) | mean street price | fleet left at the end |\n";
    o += "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for name in names {
        let s = load(name);
        let t = run(&s, TRIALS, false);
        let demand = s.headline().daily_demand_litres() * f64::from(s.horizon_days);
        let d = dist(&t.delivered);
        let short = dist(&t.shortage_days);
        let unserved = dist(&t.unserved).mean;
        let fleet_left = if t.fleet_total > 0 {
            format!(
                "{} of {}",
                num(dist(&t.fleet_end).mean, 0),
                num(t.fleet_total as f64, 0)
            )
        } else {
            "no fleets".to_string()
        };
        let _ = writeln!(
            o,
            "| `{name}` | {} | {} ({} - {}) | {} | {} | {} ({}) | {} | {fleet_left} |",
            s.horizon_days,
            num(d.mean / 1e6, 1),
            num(d.p5 / 1e6, 1),
            num(d.p95 / 1e6, 1),
            pct(1.0 - unserved / demand),
            num(short.mean, 1),
            num(dist(&t.lost).mean, 0),
            range(dist(&t.lost), 0),
            num(dist(&t.mean_price).mean, 0),
        );
    }
    o
}
