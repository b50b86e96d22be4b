//! Version 2 rules worked by hand from MODEL.md on tiny inline networks, run through the
//! whole pipeline (`pipeline::check_bytes`: parse, validate, resolve and read back, compile,
//! one trial with its invariants). Nothing is random: no threats, or attacks that are certain
//! (a hazard so high that 1 − exp(−h km / 100) is exactly 1 in f64).

use corridor::Scenario;
use corridor::sim::model::Model;
use corridor::sim::outcome::TrialOutcome;

use crate::pipeline::{check_bytes, check_trial};

/// An inline network: nodes (id, dwell_days, extra keys) and edges (from, to, km).
fn network(nodes: &[(&str, f64, &str)], edges: &[(&str, &str, f64)]) -> String {
    let mut t = String::from("[network]\n");
    for (i, (id, dwell, extra)) in nodes.iter().enumerate() {
        t += &format!(
            "[[network.node]]\nid = \"{id}\"\nname = \"{id}\"\ncountry = \"ML\"\nkind = \"town\"\nlat = {}\nlon = -8.0\ndwell_days = {dwell}\n{extra}\n",
            10.0 + i as f64 * 0.1
        );
    }
    for (a, b, km) in edges {
        t += &format!("[[network.edge]]\nfrom = \"{a}\"\nto = \"{b}\"\nkm = {km}\n");
    }
    t
}

/// Runs one trial of scenario text through the whole pipeline.
fn trial(text: &str) -> (Scenario, TrialOutcome) {
    let s = check_bytes(text.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let out = check_trial(&s, &Model::new(&s), 7, 0);
    (s, out)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

/// Section 12, loading limits. Depot `a` loads 5 tankers a day; three streams leave it every
/// day of 3, in file order wanting 3, 4 and 1. Each day: s1 takes min(3, 5) = 3; s2 takes
/// min(4, 5 − 3) = 2, 2 short; s3 takes min(1, 0) = 0, skipped, 1 short. 100 km at
/// 100 km/day: departures on days 0 and 1 deliver on days 1 and 2; day 2's is in transit.
#[test]
fn a_loading_limit_is_shared_in_stream_order() {
    let net = network(
        &[("a", 0.0, "load_per_day = 5"), ("sink", 0.0, "")],
        &[("a", "sink", 100.0)],
    );
    let text = format!(
        "name = \"load\"\nhorizon_days = 3\n{net}\n[sink]\nnode = \"sink\"\ninitial_stock_litres = 0\ndaily_demand_litres = 0\n\n[defaults]\nspeed_km_per_day = 100\ntanker_litres = 1000\n\n[[convoy]]\nname = \"s1\"\nfrom = \"a\"\ntankers = 3\n[[convoy]]\nname = \"s2\"\nfrom = \"a\"\ntankers = 4\n[[convoy]]\nname = \"s3\"\nfrom = \"a\"\ntankers = 1\n"
    );
    let (_, out) = trial(&text);
    let got: Vec<(f64, u64, u64)> = out
        .streams
        .iter()
        .map(|s| (s.delivered_litres, s.tankers_short, s.departures_skipped))
        .collect();
    assert_eq!(got, [(6000.0, 0, 0), (4000.0, 6, 0), (0.0, 3, 3)]);
    assert_eq!(out.in_transit_litres, 5000.0);
    assert_eq!(out.sinks[0].delivered_litres, 10_000.0);
}

/// Section 12, seizures. Every attack is certain and, with seize_prob = 1, a seizure for
/// escort `none` (seize_mult 1); level `guard` has seize_mult = 0 and loss_mult = 0, so its
/// convoy is attacked and loses nothing. `taken` (4 tankers) is seized on entering the only
/// edge; `kept` (3 tankers) delivers 3,000 L on day 1.
#[test]
fn a_certain_seizure_takes_the_whole_convoy_and_destroys_nothing() {
    let net = network(
        &[("a", 0.0, ""), ("sink", 0.0, "")],
        &[("a", "sink", 100.0)],
    );
    let text = format!(
        "name = \"seize\"\nhorizon_days = 3\n{net}\n[sink]\nnode = \"sink\"\ninitial_stock_litres = 0\ndaily_demand_litres = 0\n\n[defaults]\nspeed_km_per_day = 100\ntanker_litres = 1000\n\n[attack]\nseize_prob = 1\n\n[escort.guard]\nseize_mult = 0\nloss_mult = 0\n\n[[convoy]]\nname = \"taken\"\nfrom = \"a\"\ntankers = 4\nlast_day = 1\n[[convoy]]\nname = \"kept\"\nfrom = \"a\"\ntankers = 3\nlast_day = 1\nescort = \"guard\"\n\n[[threat]]\nedges = [\"a-sink\"]\nattacks_per_100km = 1e6\n"
    );
    let (_, out) = trial(&text);
    assert_eq!(out.convoys_attacked, 2);
    assert_eq!(out.tankers_seized, 4);
    assert_eq!(out.tankers_lost, 4, "a seizure destroys nothing more");
    assert_eq!(out.lost_litres, 4000.0);
    assert_eq!(out.streams[0].tankers_lost, 4);
    assert_eq!(out.streams[0].delivered_litres, 0.0);
    assert_eq!(out.streams[1].tankers_lost, 0);
    assert_eq!(out.streams[1].delivered_litres, 3000.0);
    assert_eq!(out.streams[1].convoys_attacked, 1);
    assert_eq!(out.series(0, 1)[1], 3000.0);
}

/// Section 13. Streams sA (2 tankers a day on days 0-3, 100 km) and sB (3 tankers on day 0,
/// 200 km) drive at 100 km/day to staging point z: sA's groups join at τ_j = d + 1, sB's at
/// 2. One `army` unit (150 km/day, 300 km to the sink) escorts 4 to 5 tankers, or a group
/// that has waited 2 days.
///
/// - day 1: sA 2 < 4 and waited 0: nothing.
/// - day 2: Q = 7: a convoy of 5, sA(d0) 2, then at τ_j = 2 in stream order sA(d1) 2 and
///   1 of sB's 3. It reaches the sink at τ = 4; the unit is back at 4 + 1 + 300/150 = 7.
/// - day 7: Q = sB 2 + sA(d2) 2 + sA(d3) 2 = 6: a convoy of 5 (sA(d3) split, 1 stays with
///   τ_j = 4); sink at 9; the unit back at 12.
/// - day 12: Q = 1 < 4, but it has waited 8 ≥ 2: a convoy of 1, sink at 14 < H = 15.
///
/// Waits: 2×1 + 0 + 0 + 2×5 + 2×4 + 1×3 + 1×8 = 31 over 11 tankers.
#[test]
fn a_staging_point_forms_convoys_with_its_one_unit() {
    let net = network(
        &[
            ("a", 0.0, ""),
            ("b", 0.0, ""),
            ("z", 0.0, ""),
            ("sink", 0.0, ""),
        ],
        &[("a", "z", 100.0), ("b", "z", 200.0), ("z", "sink", 300.0)],
    );
    let text = format!(
        "name = \"stage\"\nhorizon_days = 15\n{net}\n[sink]\nnode = \"sink\"\ninitial_stock_litres = 0\ndaily_demand_litres = 0\n\n[defaults]\nspeed_km_per_day = 100\ntanker_litres = 1000\n\n[escort.army]\nspeed_km_per_day = 150\n\n[[staging]]\nnode = \"z\"\nescort = \"army\"\nunits = 1\nmax_tankers = 5\nmin_tankers = 4\nmax_wait_days = 2\nturnaround_days = 1\n\n[[convoy]]\nname = \"sA\"\nfrom = \"a\"\nstage = \"z\"\ntankers = 2\nlast_day = 4\n[[convoy]]\nname = \"sB\"\nfrom = \"b\"\nstage = \"z\"\ntankers = 3\nlast_day = 1\n"
    );
    let (_, out) = trial(&text);
    let z = &out.staging[0];
    assert_eq!(z.tankers_staged, 11);
    assert_eq!(z.escorted_convoys, 3);
    assert_eq!(z.convoys_attacked, 0);
    assert_eq!(z.waiting_end, 0);
    assert!(close(z.wait_days, 31.0 / 11.0), "{}", z.wait_days);
    assert_eq!(out.streams[0].delivered_litres, 8000.0);
    assert_eq!(out.streams[1].delivered_litres, 3000.0);
    let delivered = out.series(0, 1);
    let days: Vec<(usize, f64)> = delivered
        .iter()
        .enumerate()
        .filter(|(_, l)| **l > 0.0)
        .map(|(d, &l)| (d, l))
        .collect();
    assert_eq!(days, [(4, 5000.0), (9, 5000.0), (14, 1000.0)]);
    assert_eq!(out.in_transit_litres, 0.0);

    // Without max_wait_days the last tanker never leaves: it waits at H, in transit.
    let (_, out) = trial(&text.replace("max_wait_days = 2\n", ""));
    let z = &out.staging[0];
    assert_eq!((z.escorted_convoys, z.waiting_end), (2, 1));
    assert_eq!(out.in_transit_litres, 1000.0);
    // (31 − 8 + (15 − 4)) / 11: the last tanker waits from τ_j = 4 to H.
    assert!(close(z.wait_days, 34.0 / 11.0), "{}", z.wait_days);
}

/// Section 6. Stock 1,000 L, capacity 1,500; `power` 100 L/day, priority 1, off the street;
/// `retail` 200 L/day, priority 2, rationed to half below 3 days of cover. One tanker of
/// 1,000 L arrives on day 1. D = 300, price 100 × m^(1/−0.5), cap 8.
///
/// | day | in | discharge | cover | released p + r | S | U | price |
/// | 0 | 0 | 0 | 3.33 | 100 + 200 | 700 | 0 | 100 |
/// | 1 | 1000 | 800 (cap), B 200 | 5 | 100 + 200 | 1200 | 0 | 100 |
/// | 2 | 0 | 200 | 4.67 | 100 + 200 | 1100 | 0 | 100 |
/// | 3 | 0 | 0 | 3.67 | 100 + 200 | 800 | 0 | 100 |
/// | 4-6 | 0 | 0 | 2.67, 2, 1.33 | 100 + 100 | 600, 400, 200 | 100 | 100 × 0.5^−2 = 400 |
/// | 7 | 0 | 0 | 0.67 | 100 + 100 | 0 | 100 (stock-out) | 400 |
/// | 8 | 0 | 0 | 0 | 0 + 0 | 0 | 300 (stock-out) | cap 800 |
#[test]
fn demand_classes_are_served_by_priority_with_a_ration_and_a_capacity() {
    let net = network(
        &[("a", 0.0, ""), ("sink", 0.0, "")],
        &[("a", "sink", 100.0)],
    );
    let text = format!(
        "name = \"classes\"\nhorizon_days = 9\n{net}\n[sink]\nnode = \"sink\"\ninitial_stock_litres = 1000\ncapacity_litres = 1500\n[[sink.demand]]\nname = \"power\"\nlitres_per_day = 100\npriority = 1\nstreet = false\n[[sink.demand]]\nname = \"retail\"\nlitres_per_day = 200\npriority = 2\nration = [{{ below_days = 3, share = 0.5 }}]\n\n[price]\nbase_price = 100\nelasticity = -0.5\ncap_multiple = 8\nmemory_days = 1\n\n[defaults]\nspeed_km_per_day = 100\ntanker_litres = 1000\n\n[[convoy]]\nname = \"s\"\nfrom = \"a\"\ntankers = 1\nlast_day = 1\n"
    );
    let (_, out) = trial(&text);
    let sink = &out.sinks[0];
    assert_eq!(sink.delivered_litres, 1000.0);
    assert_eq!(sink.unserved_litres, 700.0);
    assert_eq!(sink.shortage_days, 5);
    assert_eq!(sink.stockout_days, 2);
    assert_eq!(sink.final_stock_litres, 0.0);
    assert_eq!(sink.backlog_litres, 0.0);
    assert!(close(sink.peak_price, 800.0), "{}", sink.peak_price);
    assert!(close(sink.mean_price, 2800.0 / 9.0), "{}", sink.mean_price);
    let classes: Vec<(f64, f64, u32)> = out.classes[out.class_start[0]..]
        .iter()
        .map(|c| (c.released_litres, c.unserved_litres, c.shortage_days))
        .collect();
    assert_eq!(classes, [(800.0, 100.0, 1), (1200.0, 600.0, 5)]);
    let stock = out.series(0, 0);
    assert_eq!(
        stock,
        [700.0, 1200.0, 1100.0, 800.0, 600.0, 400.0, 200.0, 0.0, 0.0]
    );
    let served = out.series(0, 3);
    let expected = [
        1.0,
        1.0,
        1.0,
        1.0,
        2.0 / 3.0,
        2.0 / 3.0,
        2.0 / 3.0,
        2.0 / 3.0,
        0.0,
    ];
    for (d, (&got, want)) in served.iter().zip(expected).enumerate() {
        assert!(close(got, want), "day {d}: served share {got}, not {want}");
    }
    let price = out.series(0, 2);
    let expected = [
        100.0, 100.0, 100.0, 100.0, 400.0, 400.0, 400.0, 400.0, 800.0,
    ];
    for (d, (&got, want)) in price.iter().zip(expected).enumerate() {
        assert!(close(got, want), "day {d}: price {got}, not {want}");
    }
}

/// Sections 10 and 12: a fleet of 3 at depot `a`, which loads 2 a day; 3 wanted a day, 100 km
/// each way at 100 km/day, 0.5 days unloading, so a group is home 2.5 days after leaving.
///
/// | day | home | loaded | short | back home at |
/// | 0 | 3 | 2 (limit) | 1 | 2.5 |
/// | 1 | 1 | 1 | 2 | 3.5 |
/// | 2 | 0 | skipped | 3 | |
/// | 3 | 2 | 2 | 1 | 5.5 |
/// | 4 | 1 | 1 | 2 | (arrives at 5 = H: in transit) |
#[test]
fn a_fleet_shares_its_depot_limit_and_keeps_unloaded_tankers_home() {
    let net = network(
        &[("a", 0.0, "load_per_day = 2"), ("sink", 0.0, "")],
        &[("a", "sink", 100.0)],
    );
    let text = format!(
        "name = \"fleet\"\nhorizon_days = 5\n{net}\n[sink]\nnode = \"sink\"\ninitial_stock_litres = 0\ndaily_demand_litres = 0\nunload_days = 0.5\n\n[defaults]\nspeed_km_per_day = 100\ntanker_litres = 1000\n\n[[convoy]]\nname = \"f\"\nfrom = \"a\"\ntankers = 3\nfleet = 3\n"
    );
    let (_, out) = trial(&text);
    let f = &out.streams[0];
    assert_eq!((f.tankers_short, f.departures_skipped), (9, 1));
    assert_eq!(f.delivered_litres, 5000.0);
    assert_eq!(f.fleet_end, 3);
    assert_eq!(out.in_transit_litres, 1000.0);
}

/// Sections 12 and 13: every escorted convoy is seized as it enters z-sink, at the τ it
/// leaves z, so its unit's trip ends there having driven 0 km and it is back 1 day later
/// (turnaround 1 + 0 / 150). sA's 2 tankers a day join at τ_j = d + 1 (days 0-3) and leave
/// the same day: 4 convoys, 4 attacks counted at the staging point, none in the stream.
#[test]
fn a_seized_escorted_convoy_frees_its_unit_at_once() {
    let net = network(
        &[("a", 0.0, ""), ("z", 0.0, ""), ("sink", 0.0, "")],
        &[("a", "z", 100.0), ("z", "sink", 300.0)],
    );
    let text = format!(
        "name = \"seized\"\nhorizon_days = 6\n{net}\n[sink]\nnode = \"sink\"\ninitial_stock_litres = 0\ndaily_demand_litres = 0\n\n[defaults]\nspeed_km_per_day = 100\ntanker_litres = 1000\n\n[attack]\nseize_prob = 1\n\n[escort.army]\nspeed_km_per_day = 150\n\n[[staging]]\nnode = \"z\"\nescort = \"army\"\nunits = 1\nmax_tankers = 5\n\n[[convoy]]\nname = \"sA\"\nfrom = \"a\"\nstage = \"z\"\ntankers = 2\nlast_day = 4\n\n[[threat]]\nedges = [\"z-sink\"]\nattacks_per_100km = 1e6\n"
    );
    let (_, out) = trial(&text);
    let z = &out.staging[0];
    assert_eq!(
        (z.tankers_staged, z.escorted_convoys, z.convoys_attacked),
        (8, 4, 4)
    );
    assert_eq!(z.wait_days, 0.0);
    assert_eq!(out.streams[0].convoys_attacked, 0);
    assert_eq!(out.streams[0].tankers_lost, 8);
    assert_eq!((out.tankers_seized, out.tankers_lost), (8, 8));
    assert_eq!(out.lost_litres, 8000.0);
    assert_eq!(out.sinks[0].delivered_litres, 0.0);
}
