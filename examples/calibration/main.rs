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
use corridor::scenario::Demand;
use corridor::sim::model::{Class, Model};
use corridor::sim::outcome::TrialOutcome;
use corridor::sim::trial::{NoTrace, Observer, Scratch, simulate_trial};
use corridor::sim::trip::Who;

mod blockade;
mod fleets;

use blockade::*;
use fleets::*;

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
/// Queues were reported on 5-7 September: the first day short should fall within 3-10
/// September (days 0-7), inclusive.
const FIRST_SHORT_WINDOW: (usize, usize) = (0, 7);
/// ONAP's stock was gone late September - early October: the depot should first run dry
/// within 25 September - 10 October (days 22-37), inclusive.
const DEPOT_DRY_WINDOW: (usize, usize) = (22, 37);

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
    fn attack(&mut self, _who: Who, _class: Class, dedge: u32, tau: f64, lost: u32) {
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
    /// First day short with the stock at 0 (the horizon if none).
    first_dry: Vec<f64>,
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
        t.delivered.push(out.sinks[0].delivered_litres);
        t.lost.push(out.tankers_lost as f64);
        t.attacks.push(out.convoys_attacked as f64);
        t.shortage_days.push(f64::from(out.sinks[0].shortage_days));
        t.unserved.push(out.sinks[0].unserved_litres);
        t.mean_price.push(out.sinks[0].mean_price);
        t.peak_price.push(out.sinks[0].peak_price);
        // The headline sink's days (MODEL.md section 6): short when any demand goes
        // unserved (a served share below 1), dry when it is short with nothing in stock.
        let served = out.series(0, 3);
        let stock = out.series(0, 0);
        let short: Vec<bool> = served.iter().map(|&r| r < 1.0).collect();
        let first = short.iter().position(|&x| x).unwrap_or(h);
        let dry = (0..h).find(|&d| short[d] && stock[d] == 0.0).unwrap_or(h);
        t.first_shortage.push(first as f64);
        t.first_dry.push(dry as f64);
        if h >= LATE_OCTOBER.end {
            let week = &out.series(0, 2)[LATE_OCTOBER];
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
            third.push(out.series(0, 1)[a..b].iter().sum());
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
