//! Regenerates the tables of `docs/CALIBRATION.md` from the shipped scenarios, so that the
//! calibration note stays true when the model or a scenario changes.
//!
//! ```sh
//! cargo run --release --example calibration            # rewrite the generated sections
//! cargo run --release --example calibration -- --check # exit 1 if the doc is stale
//! ```
//!
//! Each generated section sits between `<!-- BEGIN GENERATED name -->` and
//! `<!-- END GENERATED name -->`; everything outside the markers is left as written. Every
//! figure comes from fixed seeds and trial counts, so the output is the same on any machine.
//! The runs are single-threaded and take about 15 seconds in a release build.
//!
//! It runs trials one by one through `corridor::sim::trial::simulate_trial` (the same trials,
//! bit for bit, as `corridor run` with the same seed) so that it can read what the run
//! summary does not keep: the day Bamako's stock first runs out in each trial, the street
//! price in a given week of each trial, and the tankers destroyed on a given road in a given
//! window (through an `Observer`).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use corridor::Scenario;
use corridor::sim::model::{Class, Model};
use corridor::sim::outcome::TrialOutcome;
use corridor::sim::trial::{NoTrace, Observer, Scratch, simulate_trial};

const SEED: u64 = 1;
/// Trials for the main table of bamako-2025, as `corridor run` does by default.
const MAIN_TRIALS: u64 = 10_000;
/// Trials for every other run (variants, fleet readings, the library).
const TRIALS: u64 = 4_000;

/// The late-October week of the AFP price report (29 October 2025): 25-31 October, days
/// 52-58 of bamako-2025.
const LATE_OCTOBER: std::ops::Range<usize> = 52..59;
/// The school closures for lack of fuel, 27 October - 9 November: days 54-67.
const SCHOOLS_CLOSED: std::ops::Range<usize> = 54..68;
/// "Late September to October": 20 September (day 17) to 31 October (day 58), inclusive.
const STOCK_OUT_WINDOW: (usize, usize) = (17, 58);

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(name: &str) -> Scenario {
    let path = repo().join("scenarios").join(format!("{name}.toml"));
    Scenario::load(&path).unwrap_or_else(|e| panic!("{e}"))
}

/// A reported incident: tankers destroyed on some roads within some days.
struct Incident {
    what: &'static str,
    reported: &'static str,
    edges: &'static [&'static str],
    days: std::ops::Range<u32>,
}

const INCIDENTS: [Incident; 5] = [
    Incident {
        what: "13-19 Sep: Kaniera-Lakamane (Sandare-Diema), Didieni-Kolokani, ~40 km from Kati (RN1/RN3)",
        reported: "~40 (truckers' union) to 80 (JNIM) on 13-14 Sep; 19 Sep not counted",
        edges: &["sandare-diema", "didieni-kolokani", "kolokani-kati"],
        days: 7..30,
    },
    Incident {
        what: "Sep-Oct: Sikasso-Zegoua and Loulouni-Sikasso (Pogo road)",
        reported: "3 in mid-September; \"tankers burned\" in October, not counted",
        edges: &["zegoua-loulouni", "loulouni-sikasso"],
        days: 0..90,
    },
    Incident {
        what: "13 and 17 Oct: Kadiana-Kolondieba (Tengrela road)",
        reported: "~50 on 17 Oct; 13 Oct not counted",
        edges: &["kadiana-kolondieba"],
        days: 38..46,
    },
    Incident {
        what: "28 Oct: RN24, 50 km from Kati (Kita-Kati)",
        reported: "~40 seized",
        edges: &["kita-kati"],
        days: 50..60,
    },
    Incident {
        what: "everything else (roads and days with no named incident)",
        reported: "none named",
        edges: &[],
        days: 0..0,
    },
];

/// Tallies the tankers destroyed per incident, within one trial.
struct IncidentTally {
    /// For each undirected edge, the incidents it belongs to (edge index -> incident list).
    edge_incidents: Vec<Vec<usize>>,
    days: Vec<std::ops::Range<u32>>,
    lost: Vec<u64>,
}

impl IncidentTally {
    fn new(s: &Scenario) -> IncidentTally {
        let n_edges = s.network.edges().count();
        let mut edge_incidents = vec![Vec::new(); n_edges];
        for (i, inc) in INCIDENTS.iter().enumerate() {
            for id in inc.edges {
                let e = (0..n_edges)
                    .find(|&e| {
                        let edge = s.network.edge(e);
                        let (a, b) = (&s.network.node(edge.from).id, &s.network.node(edge.to).id);
                        *id == format!("{a}-{b}") || *id == format!("{b}-{a}")
                    })
                    .unwrap_or_else(|| panic!("no edge {id}"));
                edge_incidents[e].push(i);
            }
        }
        IncidentTally {
            edge_incidents,
            days: INCIDENTS.iter().map(|i| i.days.clone()).collect(),
            lost: vec![0; INCIDENTS.len()],
        }
    }
}

impl Observer for IncidentTally {
    fn attack(&mut self, _stream: usize, _class: Class, dedge: u32, tau: f64, lost: u32) {
        let day = tau as u32;
        let named = self.edge_incidents[dedge as usize / 2]
            .iter()
            .copied()
            .find(|&i| self.days[i].contains(&day));
        let i = named.unwrap_or(INCIDENTS.len() - 1);
        self.lost[i] += u64::from(lost);
    }
}

/// What one run keeps of each trial.
#[derive(Default)]
struct Trials {
    delivered: Vec<f64>,
    lost: Vec<f64>,
    attacks: Vec<f64>,
    shortage_days: Vec<f64>,
    unserved: Vec<f64>,
    mean_price: Vec<f64>,
    peak_price: Vec<f64>,
    /// First day with unserved demand (the horizon if none).
    first_shortage: Vec<f64>,
    late_october_price: Vec<f64>,
    schools_closed_shortage_share: Vec<f64>,
    /// Litres delivered in each third of the horizon.
    thirds: [Vec<f64>; 3],
    tankers_short: Vec<f64>,
    fleet_end: Vec<f64>,
    incidents: Vec<Vec<f64>>,
    fleet_total: u64,
}

fn run(s: &Scenario, trials: u64, incidents: bool) -> Trials {
    let model = Model::new(s);
    let mut scratch = Scratch::default();
    let mut out = TrialOutcome::new(&model);
    let h = s.horizon_days as usize;
    let demand = s.sink.daily_demand_litres;
    let mut t = Trials {
        incidents: vec![Vec::new(); INCIDENTS.len()],
        fleet_total: s
            .streams
            .iter()
            .filter_map(|st| st.fleet)
            .map(u64::from)
            .sum(),
        ..Trials::default()
    };
    for trial in 0..trials {
        if incidents {
            let mut tally = IncidentTally::new(s);
            simulate_trial(&model, SEED, trial, &mut scratch, &mut out, &mut tally);
            for (i, l) in tally.lost.iter().enumerate() {
                t.incidents[i].push(*l as f64);
            }
        } else {
            simulate_trial(&model, SEED, trial, &mut scratch, &mut out, &mut NoTrace);
        }
        t.delivered.push(out.delivered_litres);
        t.lost.push(out.tankers_lost as f64);
        t.attacks.push(out.convoys_attacked as f64);
        t.shortage_days.push(f64::from(out.shortage_days));
        t.unserved.push(out.unserved_litres);
        t.mean_price.push(out.mean_price);
        t.peak_price.push(out.peak_price);
        // The sink's day (MODEL.md section 6): stock before release = stock after the
        // previous day's release + the day's deliveries; a shortage when it is below demand.
        let mut before = s.sink.initial_stock_litres;
        let mut first = h;
        let mut short = vec![false; h];
        for (d, short) in short.iter_mut().enumerate() {
            before += out.delivered[d];
            if before < demand {
                *short = true;
                first = first.min(d);
            }
            before = out.stock[d];
        }
        t.first_shortage.push(first as f64);
        if h >= LATE_OCTOBER.end {
            let week = &out.price[LATE_OCTOBER];
            t.late_october_price
                .push(week.iter().sum::<f64>() / week.len() as f64);
        }
        if h >= SCHOOLS_CLOSED.end {
            let days = &short[SCHOOLS_CLOSED];
            t.schools_closed_shortage_share
                .push(days.iter().filter(|&&x| x).count() as f64 / days.len() as f64);
        }
        for (k, third) in t.thirds.iter_mut().enumerate() {
            let (a, b) = (k * h / 3, (k + 1) * h / 3);
            third.push(out.delivered[a..b].iter().sum());
        }
        t.tankers_short
            .push(out.streams.iter().map(|st| st.tankers_short as f64).sum());
        t.fleet_end.push(
            s.streams
                .iter()
                .zip(&out.streams)
                .filter(|(st, _)| st.fleet.is_some())
                .map(|(_, o)| o.fleet_end as f64)
                .sum(),
        );
    }
    t
}

/// Mean, 5th and 95th percentiles (rank floor(p (n - 1)) of the sorted values, as
/// docs/DECISIONS.md item 15 defines them).
#[derive(Clone, Copy)]
struct Dist {
    mean: f64,
    p5: f64,
    p50: f64,
    p95: f64,
}

fn dist(values: &[f64]) -> Dist {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let at = |p: f64| v[(p * (v.len() - 1) as f64).floor() as usize];
    Dist {
        mean: v.iter().sum::<f64>() / v.len() as f64,
        p5: at(0.05),
        p50: at(0.5),
        p95: at(0.95),
    }
}

/// Thousands separators, `digits` decimals.
fn num(x: f64, digits: usize) -> String {
    let s = format!("{:.*}", digits, x.abs());
    let (int, frac) = s.split_once('.').map_or((s.as_str(), ""), |(a, b)| (a, b));
    let mut grouped = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if x < 0.0 && s.chars().any(|c| c != '0' && c != '.') {
        "-"
    } else {
        ""
    };
    if frac.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped}.{frac}")
    }
}

fn range(d: Dist, digits: usize) -> String {
    format!("{} - {}", num(d.p5, digits), num(d.p95, digits))
}

fn pct(x: f64) -> String {
    format!("{:.0} %", 100.0 * x)
}

fn date(s: &Scenario, day: f64) -> String {
    let day = day as i64;
    match s.start_date {
        Some(start) if day < i64::from(s.horizon_days) => {
            let (_, m, d) = start.plus_days(day).ymd();
            const MONTHS: [&str; 12] = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!("{d} {}", MONTHS[m as usize - 1])
        }
        _ if day >= i64::from(s.horizon_days) => "never".to_string(),
        _ => format!("day {day}"),
    }
}

/// Where a simulated 5-95 % range sits against an observed range.
fn fit(sim: Dist, lo: f64, hi: f64) -> &'static str {
    if sim.mean >= lo && sim.mean <= hi {
        "fits: the mean is in the observed range"
    } else if sim.p95 < lo {
        "misfit: too low"
    } else if sim.p5 > hi {
        "misfit: too high"
    } else if sim.mean < lo {
        "low: the 5-95 % range overlaps, the mean is below"
    } else {
        "high: the 5-95 % range overlaps, the mean is above"
    }
}

fn baseline_delivered() -> f64 {
    dist(&run(&load("baseline"), 1, false).delivered).mean
}

fn observed_section(b: &Scenario, t: &Trials, base: f64) -> String {
    let mut o = String::new();
    let lost = dist(&t.lost);
    let attacks = dist(&t.attacks);
    let first = dist(&t.first_shortage);
    let share: Vec<f64> = t.delivered.iter().map(|d| d / base).collect();
    let share = dist(&share);
    let price = dist(&t.late_october_price);
    let schools = dist(&t.schools_closed_shortage_share);
    let in_window = t
        .first_shortage
        .iter()
        .filter(|&&d| d >= STOCK_OUT_WINDOW.0 as f64 && d <= STOCK_OUT_WINDOW.1 as f64)
        .count() as f64
        / t.first_shortage.len() as f64;
    let in_october = t
        .first_shortage
        .iter()
        .filter(|&&d| (28.0..=58.0).contains(&d))
        .count() as f64
        / t.first_shortage.len() as f64;
    let before_window = t
        .first_shortage
        .iter()
        .filter(|&&d| d < STOCK_OUT_WINDOW.0 as f64)
        .count() as f64
        / t.first_shortage.len() as f64;
    let _ = writeln!(
        o,
        "`bamako-2025`, {} trials, seed {SEED}. Reported figures and their sources are in \
         `../shared/data/FACTS.md`.\n",
        num(MAIN_TRIALS as f64, 0)
    );
    o += "| observation | observed | simulated mean | simulated 5-95 % | fit |\n";
    o += "| --- | --- | --- | --- | --- |\n";
    let _ = writeln!(
        o,
        "| Tankers destroyed, 3 Sep - 1 Dec | about 200-300 (FACTS section 4: named incidents \
         ~200-250; Wikipedia >= 300 by Dec 2025, of which > 20 on 6 Dec) | {} | {} | {} |",
        num(lost.mean, 0),
        range(lost, 0),
        fit(lost, 200.0, 300.0)
    );
    let _ = writeln!(
        o,
        "| Attacks on convoys | at least 8 named (FACTS section 4); smaller ones go unreported \
         | {} | {} | {} |",
        num(attacks.mean, 1),
        range(attacks, 0),
        if attacks.p5 >= 8.0 {
            "fits: at least the named ones"
        } else {
            "low: fewer than the named ones in some trials"
        }
    );
    let _ = writeln!(
        o,
        "| Bamako's stock first runs out | late September - October (FACTS row 27, AFP 29 Oct: \
         \"exhausted\"; section 4: \"late Sep - early Oct\") | median {} | {} - {} | {} of \
         trials in 20 Sep - 31 Oct ({} in October), {} before: {} |",
        date(b, first.p50),
        date(b, first.p5),
        date(b, first.p95),
        pct(in_window),
        pct(in_october),
        pct(before_window),
        if in_window < 0.5 {
            "misfit: mostly outside"
        } else if in_october < 0.5 {
            "early edge: late September, not October"
        } else {
            "fits"
        }
    );
    let _ = writeln!(
        o,
        "| Share of normal supply delivered (against `baseline`) | 40-60 % (inferred, not \
         counted: FACTS section 5; see below) | {} | {} - {} | {} |",
        pct(share.mean),
        pct(share.p5),
        pct(share.p95),
        fit(share, 0.4, 0.6)
    );
    let _ = writeln!(
        o,
        "| Street price in Bamako, mean of 25-31 Oct, FCFA/L | 2,000 (AFP, 29 Oct, row 31); up \
         to ~3,700 in jerrycans (Al Jazeera, row 34, unit inferred) | {} | {} | {}; {} AFP's \
         2,000 |",
        num(price.mean, 0),
        range(price, 0),
        fit(price, 2000.0, 3700.0),
        if price.mean >= 2000.0 {
            format!("{:.0} % above", 100.0 * (price.mean / 2000.0 - 1.0))
        } else {
            format!("{:.0} % below", 100.0 * (1.0 - price.mean / 2000.0))
        }
    );
    let _ = writeln!(
        o,
        "| Days short of fuel while schools were shut for it, 27 Oct - 9 Nov | all of them \
         (FACTS section 4) | {} | {} - {} | {} |",
        pct(schools.mean),
        pct(schools.p5),
        pct(schools.p95),
        if schools.mean >= 0.75 {
            "fits"
        } else {
            "low: the model has fuel on some of those days"
        }
    );
    o
}

fn incidents_section(t: &Trials) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "`bamako-2025`, {} trials: tankers destroyed where and when the reports place them \
         (an attack counts where it happens, on the day it happens).\n",
        num(MAIN_TRIALS as f64, 0)
    );
    o += "| incident (roads, days) | reported destroyed | simulated mean | simulated 5-95 % |\n";
    o += "| --- | --- | --- | --- |\n";
    for (i, inc) in INCIDENTS.iter().enumerate() {
        let d = dist(&t.incidents[i]);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            inc.what,
            inc.reported,
            num(d.mean, 1),
            range(d, 0)
        );
    }
    let lost = dist(&t.lost);
    let _ = writeln!(
        o,
        "| all | about 200-300 | {} | {} |",
        num(lost.mean, 1),
        range(lost, 0)
    );
    o
}

/// One variant of bamako-2025 for the sensitivity table.
struct Variant {
    label: String,
    scenario: Scenario,
}

fn variants(b: &Scenario) -> Vec<Variant> {
    let mut v = Vec::new();
    let mut add = |label: &str, f: &dyn Fn(&mut Scenario)| {
        let mut s = b.clone();
        f(&mut s);
        v.push(Variant {
            label: label.to_string(),
            scenario: s,
        });
    };
    add("as shipped", &|_| {});
    let demand = b.sink.daily_demand_litres;
    add("demand 3.0 M L/day (FACTS section 3: 2.5-3.5)", &|s| {
        s.sink.daily_demand_litres = 3_000_000.0
    });
    add("demand 3.5 M L/day", &|s| {
        s.sink.daily_demand_litres = 3_500_000.0
    });
    add("initial stock 3 days (section 3: 3-7 days)", &|s| {
        s.sink.initial_stock_litres = 3.0 * demand
    });
    add("initial stock 7 days", &|s| {
        s.sink.initial_stock_litres = 7.0 * demand
    });
    add("elasticity -0.4 (section 5: -0.4 to -0.6)", &|s| {
        s.price.elasticity = -0.4
    });
    add("elasticity -0.6", &|s| s.price.elasticity = -0.6);
    add(
        "loss per attack Beta(2, 6), mean 25 % (section 4: 20-50 %)",
        &|s| {
            s.attack.loss_alpha = 2.0;
            s.attack.loss_beta = 6.0;
        },
    );
    add("loss per attack Beta(4, 5), mean 44 %", &|s| {
        s.attack.loss_alpha = 4.0;
        s.attack.loss_beta = 5.0;
    });
    add("every hazard x 0.5 (the hazards are tuned)", &|s| {
        s.threats
            .iter_mut()
            .for_each(|t| t.attacks_per_100km *= 0.5)
    });
    add("every hazard x 1.5", &|s| {
        s.threats
            .iter_mut()
            .for_each(|t| t.attacks_per_100km *= 1.5)
    });
    add("escorts do not deter (army attack_mult 1)", &|s| {
        s.escorts
            .iter_mut()
            .filter(|e| e.name == "army")
            .for_each(|e| e.attack_mult = 1.0)
    });
    add(
        "fleets + 50 % (slack: \"up to 6,000 a month\", row 24)",
        &|s| {
            s.streams
                .iter_mut()
                .filter_map(|st| st.fleet.as_mut())
                .for_each(|f| *f = (f64::from(*f) * 1.5).round() as u32)
        },
    );
    add("unlimited tankers (no fleets)", &|s| {
        s.streams.iter_mut().for_each(|st| st.fleet = None)
    });
    v
}

fn sensitivity_section(b: &Scenario, base: f64) -> String {
    let mut o = String::new();
    let _ = writeln!(
        o,
        "`bamako-2025` with one input changed at a time, {} trials each. Share = fuel \
         delivered against `baseline`'s. Price = the mean street price of 25-31 October.\n",
        num(TRIALS as f64, 0)
    );
    o += "| variant | tankers destroyed, mean (5-95 %) | stock first out, median (5-95 %) | \
          share of normal supply | shortage days | price 25-31 Oct, mean (5-95 %) |\n";
    o += "| --- | --- | --- | --- | --- | --- |\n";
    for v in variants(b) {
        let t = run(&v.scenario, TRIALS, false);
        let lost = dist(&t.lost);
        let first = dist(&t.first_shortage);
        let share: Vec<f64> = t.delivered.iter().map(|d| d / base).collect();
        let price = dist(&t.late_october_price);
        let _ = writeln!(
            o,
            "| {} | {} ({}) | {} ({} - {}) | {} | {} | {} ({}) |",
            v.label,
            num(lost.mean, 0),
            range(lost, 0),
            date(b, first.p50),
            date(b, first.p5),
            date(b, first.p95),
            pct(dist(&share).mean),
            num(dist(&t.shortage_days).mean, 1),
            num(price.mean, 0),
            range(price, 0)
        );
    }
    o
}

/// Per fleet stream: the days from a departure to the tankers' return home, with nothing in
/// the way (no threats, no closures), measured by following the first departure.
struct Cycle {
    start: Vec<Option<u32>>,
    back: Vec<Option<f64>>,
}

impl Observer for Cycle {
    fn depart(&mut self, stream: usize, day: u32, _tankers: u32) {
        self.start[stream].get_or_insert(day);
    }
    fn arrive(&mut self, stream: usize, class: Class, tau: f64, _tankers: u32) {
        if class == Class::Empty {
            self.back[stream].get_or_insert(tau);
        }
    }
}

fn fleet_sizing_section(names: &[&str]) -> String {
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
struct SinkArrival<'a> {
    first: Vec<Option<f64>>,
    inner: &'a mut Cycle,
}

impl Observer for SinkArrival<'_> {
    fn depart(&mut self, stream: usize, day: u32, tankers: u32) {
        self.inner.depart(stream, day, tankers);
    }
    fn arrive(&mut self, stream: usize, class: Class, tau: f64, tankers: u32) {
        if class == Class::Loaded {
            self.first[stream].get_or_insert(tau);
        }
        self.inner.arrive(stream, class, tau, tankers);
    }
}

fn fleets_section(names: &[&str]) -> String {
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

fn library_section(names: &[&str]) -> String {
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
        let demand = s.sink.daily_demand_litres * f64::from(s.horizon_days);
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

/// Replaces the text between the markers of section `name`.
fn splice(doc: &str, name: &str, body: &str) -> String {
    let begin = format!("<!-- BEGIN GENERATED {name} -->");
    let end = format!("<!-- END GENERATED {name} -->");
    let (Some(a), Some(b)) = (doc.find(&begin), doc.find(&end)) else {
        panic!("docs/CALIBRATION.md has no markers for section {name}");
    };
    let a = a + begin.len();
    format!("{}\n{}{}", &doc[..a], body, &doc[b..])
}

fn shipped() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(repo().join("scenarios"))
        .expect("scenarios/")
        .filter_map(|e| {
            let p = e.ok()?.path();
            let stem = p.file_stem()?.to_string_lossy().into_owned();
            (p.extension()? == "toml").then_some(stem)
        })
        .collect();
    names.sort();
    names
}

fn main() {
    let check = std::env::args().any(|a| a == "--check");
    let doc_path: &Path = &repo().join("docs/CALIBRATION.md");
    let doc = std::fs::read_to_string(doc_path).expect("docs/CALIBRATION.md");
    let names = shipped();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();

    let b = load("bamako-2025");
    let base = baseline_delivered();
    let main = run(&b, MAIN_TRIALS, true);
    let mut new = doc.clone();
    new = splice(&new, "observed", &observed_section(&b, &main, base));
    new = splice(&new, "incidents", &incidents_section(&main));
    new = splice(&new, "sensitivity", &sensitivity_section(&b, base));
    new = splice(&new, "fleet-sizing", &fleet_sizing_section(&names));
    new = splice(&new, "fleets", &fleets_section(&names));
    new = splice(&new, "library", &library_section(&names));

    if check {
        if new != doc {
            eprintln!(
                "docs/CALIBRATION.md is stale: run `cargo run --release --example calibration`"
            );
            std::process::exit(1);
        }
        println!("docs/CALIBRATION.md is up to date");
    } else if new != doc {
        std::fs::write(doc_path, new).expect("write docs/CALIBRATION.md");
        println!("docs/CALIBRATION.md: generated sections rewritten");
    } else {
        println!("docs/CALIBRATION.md: already up to date");
    }
}
