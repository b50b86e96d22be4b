//! Bytes in, every stage out: a scenario file's bytes are decoded, parsed, validated, written
//! back resolved and re-read, compiled and run for one trial, and every invariant of the
//! trial is checked. The fuzz target (`fuzz/fuzz_targets/scenario.rs`) includes this file,
//! so the regression tests of its findings and the property tests run exactly the same
//! checks. It uses only the public API of `corridor` and panics on any broken invariant.

#![allow(dead_code)] // each includer uses a different part

use std::path::Path;

use corridor::Scenario;
use corridor::report::RunResults;
use corridor::sim::model::Class;
use corridor::sim::model::Model;
use corridor::sim::outcome::TrialOutcome;
use corridor::sim::run::Tally;
use corridor::sim::trial::{Observer, Scratch, simulate_trial};
use corridor::sim::trip::Who;
use corridor::source::TomlSource;

/// Above this much work (departures × nodes, roughly the road legs of one trial) the trial
/// is skipped, so that the fuzzer spends its time on many inputs rather than one big one.
const MAX_FUZZ_WORK: u64 = 2_000_000;

/// Runs the whole pipeline on `data` as the text of a scenario file. Returns the scenario if
/// it was valid, else the message it was refused with. Panics when any stage panics or
/// breaks an invariant.
pub fn check_bytes(data: &[u8]) -> Result<Scenario, String> {
    let src = match TomlSource::from_bytes("fuzz.toml", data.to_vec(), "scenario") {
        Ok(src) => src,
        Err(e) => {
            let message = e.to_string();
            check_message(&message, &String::from_utf8_lossy(data));
            return Err(message);
        }
    };
    // A `[network] file` is looked for in a folder that does not exist.
    let scenario = match Scenario::from_source(&src, Some(Path::new("/nonexistent-corridor"))) {
        Ok(s) => s,
        Err(e) => {
            let message = e.to_string();
            check_message(&message, &src.text);
            return Err(message);
        }
    };
    let cost = corridor::limits::RunCost::of(&scenario);
    assert!(
        cost.memory_bytes(2).is_finite() && cost.legs_per_trial >= 1.0,
        "{cost:?}"
    );
    check_resolved_round_trip(&scenario);
    let _ = corridor::commands::network_geojson(&scenario);
    let _ = corridor::commands::network_dot(&scenario);
    let _ = corridor::commands::network_csv(&scenario);
    if fuzz_work(&scenario) <= MAX_FUZZ_WORK {
        let model = Model::new(&scenario);
        let out = check_trial(&scenario, &model, 1, 0);
        let mut tally = Tally::new(&model);
        tally.add(&out);
        let results = RunResults::finish(&scenario, &tally, 1, 1);
        let _ = corridor::report::files::summary_json(&results);
        let _ = corridor::report::files::daily_csv(&results);
        let _ = corridor::report::files::streams_csv(&results);
        let _ = corridor::report::files::edges_csv(&results);
        let _ = corridor::report::table::summary_table(&results);
        serde_json::to_string(&results).expect("results serialize");
    }
    Ok(scenario)
}

/// An error message is one line, says something, and any line of `fuzz.toml` it names is
/// in the file.
pub fn check_message(message: &str, text: &str) {
    assert!(
        !message.chars().any(char::is_control),
        "a message with a line break or another control character: {message:?}"
    );
    assert!(message.len() > 12, "a message that says nothing: {message}");
    let line = message
        .strip_prefix("fuzz.toml:")
        .and_then(|rest| rest.split(':').next())
        .and_then(|l| l.parse::<usize>().ok());
    if let Some(line) = line {
        let lines = text.split('\n').count().max(1);
        assert!(
            (1..=lines).contains(&line),
            "line {line} of {lines}: {message}"
        );
    }
}

/// `scenario.toml` of a run must load, and describe the same scenario: writing it back out
/// again gives the same text (after the opening comment, which says where the network came
/// from).
pub fn check_resolved_round_trip(scenario: &Scenario) {
    let resolved = scenario.to_resolved_toml();
    let again = Scenario::from_source(&TomlSource::new("resolved.toml", resolved.clone()), None)
        .unwrap_or_else(|e| panic!("the resolved scenario does not load: {e}\n{resolved}"));
    let body = |text: &str| {
        text.lines()
            .skip_while(|l| l.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(
        body(&again.to_resolved_toml()),
        body(&resolved),
        "the resolved scenario changes when read back"
    );
}

fn fuzz_work(s: &Scenario) -> u64 {
    let departures: u64 = s
        .streams
        .iter()
        .map(|st| {
            st.departure_days(s.horizon_days).count() as u64 * (1 + u64::from(st.fleet.is_some()))
        })
        .sum();
    let closures: u64 = s
        .random_closures
        .iter()
        .map(|c| c.cover.edges.len() as u64)
        .sum();
    departures * s.network.node_count() as u64 + u64::from(s.horizon_days) * (1 + closures)
}

/// Litres loaded onto departing convoys, per stream.
struct Dispatched<'m> {
    model: &'m Model,
    litres: f64,
    /// Per staging point, each escorted convoy formed: (day, tankers, when its trip ended,
    /// infinite while on the road).
    formed: Vec<Vec<(u32, u32, f64)>>,
    /// The escorted convoy being driven (trips are driven whole as they form; one still on
    /// the road at the horizon ends with no event): its point and its surviving tankers.
    driving: Option<(usize, u32)>,
}

impl<'m> Dispatched<'m> {
    fn new(model: &'m Model) -> Self {
        Dispatched {
            model,
            litres: 0.0,
            formed: vec![Vec::new(); model.staging.len()],
            driving: None,
        }
    }

    fn end(&mut self, point: usize, tau: f64) {
        if let Some(last) = self.formed[point].last_mut() {
            last.2 = tau;
        }
        self.driving = None;
    }
}

impl Observer for Dispatched<'_> {
    fn depart(&mut self, stream: usize, _day: u32, tankers: u32) {
        self.litres += f64::from(tankers) * self.model.streams[stream].tanker_litres;
    }

    fn form(&mut self, point: usize, day: u32, tankers: u32) {
        self.formed[point].push((day, tankers, f64::INFINITY));
        self.driving = Some((point, tankers));
    }

    fn attack(&mut self, who: Who, _class: Class, _dedge: u32, tau: f64, lost: u32) {
        if let (Who::Escorted(p), Some((q, left))) = (who, self.driving) {
            assert_eq!(p, q);
            let left = left - lost;
            self.driving = Some((p, left));
            if left == 0 {
                self.end(p, tau);
            }
        }
    }

    fn arrive(&mut self, who: Who, _class: Class, tau: f64, _tankers: u32) {
        if let Who::Escorted(p) = who {
            self.end(p, tau);
        }
    }
}

/// MODEL.md section 13's books of each staging point: every tanker that joined its queue
/// left in an escorted convoy or is waiting at the end, and no convoy forms while all its
/// units are surely on the road (a unit is back no sooner than `turnaround_days` after its
/// trip ends).
fn check_staging(scenario: &Scenario, out: &TrialOutcome, seen: &Dispatched<'_>) {
    for (p, (point, o)) in scenario.staging.iter().zip(&out.staging).enumerate() {
        let formed = &seen.formed[p];
        let left: u64 = formed.iter().map(|&(_, n, _)| u64::from(n)).sum();
        assert_eq!(
            o.tankers_staged,
            left + o.waiting_end,
            "point {p}: staged {} but left {left} + waiting {}",
            o.tankers_staged,
            o.waiting_end
        );
        assert_eq!(o.escorted_convoys, formed.len() as u64);
        for (k, &(day, n, _)) in formed.iter().enumerate() {
            assert!(
                n >= 1 && n <= point.max_tankers,
                "point {p}: a convoy of {n}"
            );
            let away = formed[..k]
                .iter()
                .filter(|&&(_, _, end)| end + point.turnaround_days > f64::from(day))
                .count();
            assert!(
                away < point.units as usize,
                "point {p}: a convoy formed on day {day} with {away} of {} units away",
                point.units
            );
        }
    }
}

/// Runs one trial and checks MODEL.md's accounting on it: litres dispatched = delivered (to
/// every sink) + lost + in transit; per sink, delivered = released + final stock + backlog -
/// initial stock, stock never negative nor above capacity, the served share in [0, 1]; the
/// price between the official price and `cap_multiple` times it; shortage days between 0 and
/// the horizon; every metric finite; the staging points' books (`check_staging`); and the
/// same trial run again, in fresh buffers, gives
/// the same outcome.
pub fn check_trial(scenario: &Scenario, model: &Model, seed: u64, trial: u64) -> TrialOutcome {
    let mut out = TrialOutcome::new(model);
    let mut dispatched = Dispatched::new(model);
    simulate_trial(
        model,
        seed,
        trial,
        &mut Scratch::default(),
        &mut out,
        &mut dispatched,
    );
    let delivered: f64 = out.sinks.iter().map(|s| s.delivered_litres).sum();
    let accounted = delivered + out.lost_litres + out.in_transit_litres;
    let tolerance = 1e-9 * dispatched.litres.max(1.0);
    assert!(
        (dispatched.litres - accounted).abs() <= tolerance,
        "dispatched {} L but delivered {delivered} + lost {} + in transit {} = {accounted} L",
        dispatched.litres,
        out.lost_litres,
        out.in_transit_litres
    );
    let h = scenario.horizon_days;
    for (name, x) in corridor::sim::outcome::METRICS.iter().zip(out.metrics()) {
        assert!(x.is_finite() && x >= 0.0, "{name} = {x}");
    }
    let p = &scenario.price;
    let (low, high) = (p.base_price, p.base_price * p.cap_multiple);
    for (j, (sink, sunk)) in scenario.sinks.iter().zip(&out.sinks).enumerate() {
        assert!(sunk.shortage_days <= h && sunk.stockout_days <= sunk.shortage_days);
        let classes = &out.classes[out.class_start[j]..out.class_start[j] + sink.classes().len()];
        let released: f64 = classes.iter().map(|c| c.released_litres).sum();
        let balance =
            released + sunk.final_stock_litres + sunk.backlog_litres - sink.initial_stock_litres;
        let scale = (sunk.delivered_litres + sink.initial_stock_litres).max(1.0);
        assert!(
            (balance - sunk.delivered_litres).abs() <= 1e-9 * scale,
            "sink {j}: delivered {} but released + final + backlog - initial = {balance}",
            sunk.delivered_litres
        );
        let capacity = sink.capacity_litres.unwrap_or(f64::INFINITY);
        for d in 0..h as usize {
            let stock = out.series(j, 0)[d];
            assert!(
                stock >= 0.0 && stock <= capacity * (1.0 + 1e-12),
                "stock {stock} on day {d}"
            );
            let price = out.series(j, 2)[d];
            assert!(
                price >= low * (1.0 - 1e-12) && price <= high * (1.0 + 1e-12),
                "price {price} on day {d} outside [{low}, {high}]"
            );
            let served = out.series(j, 3)[d];
            assert!(
                (0.0..=1.0 + 1e-12).contains(&served),
                "served share {served} on day {d}"
            );
        }
        assert!(sunk.peak_price <= high * (1.0 + 1e-12) && sunk.mean_price >= low * (1.0 - 1e-12));
    }
    check_staging(scenario, &out, &dispatched);
    let mut again = TrialOutcome::new(model);
    let mut scratch = Scratch::default();
    simulate_trial(
        model,
        seed,
        trial,
        &mut scratch,
        &mut again,
        &mut Dispatched::new(model),
    );
    assert_eq!(
        out.metrics().map(f64::to_bits),
        again.metrics().map(f64::to_bits),
        "the same seed and trial gave another outcome"
    );
    assert_eq!(out.streams, again.streams);
    assert_eq!(out.daily, again.daily);
    out
}
