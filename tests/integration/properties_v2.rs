//! The property tests of `properties.rs` on scenarios that use MODEL.md version 2 as well:
//! demand classes with priorities, rations and a storage capacity, a second sink, depot
//! loading limits, seizures, the convoy-size factor and staging points with escort units.
//! Every trial keeps the books `pipeline::check_trial` checks (litres per sink, served
//! shares, tankers through the staging queues, escort units), the resolved scenario reads
//! back the same, and the thread count changes nothing.

use proptest::prelude::*;
use proptest::sample::Index;

use corridor::Scenario;
use corridor::sim::model::Model;
use corridor::source::TomlSource;

use crate::pipeline::{check_resolved_round_trip, check_trial};
use crate::properties::{Spec, scenario_text, spec};

#[derive(Debug, Clone)]
struct Class {
    litres: f64,
    priority: u32,
    street: bool,
    ration: Vec<(f64, f64)>,
}

#[derive(Debug, Clone)]
struct Point {
    node: Index,
    escort: Index,
    units: u32,
    max: u32,
    min: Index,
    max_wait: Option<f64>,
    turnaround: f64,
    routing: u8,
    to_second: bool,
}

#[derive(Debug, Clone)]
struct V2 {
    classes: Option<Vec<Class>>,
    capacity: Option<f64>,
    second: Option<(Index, f64, f64)>,
    load: Vec<Option<u32>>,
    seize: (f64, f64, f64),
    seize_mult: Vec<f64>,
    points: Vec<Point>,
    /// Per stream: the point it stages at, if any (an index into the points).
    stage: Vec<Option<Index>>,
    /// Per stream without a stage: whether it delivers to the second sink.
    to_second: Vec<bool>,
}

fn class() -> impl Strategy<Value = Class> {
    (
        prop_oneof![Just(0.0), 1.0..2e6f64],
        1u32..4,
        any::<bool>(),
        prop::collection::vec((0.5..8.0f64, 0.0..1.0f64), 0..3),
    )
        .prop_map(|(litres, priority, street, ration)| Class {
            litres,
            priority,
            street,
            ration,
        })
}

fn point() -> impl Strategy<Value = Point> {
    (
        (any::<Index>(), any::<Index>(), 1u32..4, 1u32..80),
        (any::<Index>(), prop::option::of(0.0..10.0f64), 0.0..3.0f64),
        (0u8..3, any::<bool>()),
    )
        .prop_map(
            |((node, escort, units, max), (min, max_wait, turnaround), (routing, to_second))| {
                Point {
                    node,
                    escort,
                    units,
                    max,
                    min,
                    max_wait,
                    turnaround,
                    routing,
                    to_second,
                }
            },
        )
}

fn v2() -> impl Strategy<Value = V2> {
    (
        (
            prop::option::of(prop::collection::vec(class(), 1..4)),
            prop::option::of(0.0..3e7f64),
            prop::option::of((any::<Index>(), 0.0..1e7f64, 0.0..1e6f64)),
            prop::collection::vec(prop::option::of(1u32..60), 8),
        ),
        (
            (
                prop_oneof![Just(0.0), 0.0..1.0f64],
                prop_oneof![Just(0.0), 0.0..1.5f64],
                1.0..50.0f64,
            ),
            prop::collection::vec(0.0..2.0f64, 3),
            prop::collection::vec(point(), 0..3),
            prop::collection::vec(prop::option::of(any::<Index>()), 4),
            prop::collection::vec(any::<bool>(), 4),
        ),
    )
        .prop_map(
            |((classes, capacity, second, load), (seize, seize_mult, points, stage, to_second))| {
                V2 {
                    classes,
                    capacity,
                    second,
                    load,
                    seize,
                    seize_mult,
                    points,
                    stage,
                    to_second,
                }
            },
        )
}

/// Inserts `text` after the first line of `t` that starts with `after`, at or past `from`.
fn insert_after(t: &mut String, from: usize, after: &str, text: &str) {
    let at = t[from..]
        .find(&format!("\n{after}"))
        .map(|i| from + i + 1)
        .unwrap_or_else(|| panic!("no line {after:?} in\n{t}"));
    let end = t[at..].find('\n').map_or(t.len(), |i| at + i + 1);
    t.insert_str(end, text);
}

/// The version 1 scenario of `s`, with the version 2 keys of `v` written in; valid by
/// construction.
fn scenario_text_v2(s: &Spec, v: &V2) -> String {
    let mut t = scenario_text(s);
    let n = s.net.nodes;
    let sink = s.net.sink.index(n);
    let node = |i: usize| format!("n{i}");
    let sources: Vec<usize> = s
        .streams
        .iter()
        .map(|st| (sink + 1 + st.from.index(n - 1)) % n)
        .collect();
    // A second sink on a node no stream starts from.
    let second = v.second.and_then(|(at, stock, demand)| {
        let free: Vec<usize> = (0..n)
            .filter(|i| *i != sink && !sources.contains(i))
            .collect();
        (!free.is_empty()).then(|| (*at.get(&free), stock, demand))
    });
    let sinks: Vec<usize> = std::iter::once(sink).chain(second.map(|x| x.0)).collect();
    for (i, load) in v.load.iter().enumerate().take(n) {
        if let Some(l) = load {
            let at = t.find(&format!("id = \"{}\"\n", node(i))).unwrap();
            insert_after(
                &mut t,
                at,
                "dwell_days = ",
                &format!("load_per_day = {l}\n"),
            );
        }
    }
    // The sinks: the first one's capacity and classes go after its last key.
    t = t.replace("\n[sink]\n", "\n[[sink]]\n");
    let mut extra = String::new();
    if let Some(more) = v.capacity {
        extra += &format!("capacity_litres = {}\n", s.sink.0 + more);
    }
    if let Some(classes) = &v.classes {
        t = t.replacen(&format!("daily_demand_litres = {}\n", s.sink.1), "", 1);
        for (k, c) in classes.iter().enumerate() {
            extra += &format!(
                "[[sink.demand]]\nname = \"c{k}\"\nlitres_per_day = {}\npriority = {}\nstreet = {}\n",
                c.litres, c.priority, c.street
            );
            let mut below: Vec<f64> = Vec::new();
            let mut tiers: Vec<String> = Vec::new();
            for &(b, share) in &c.ration {
                if !below.contains(&b) {
                    below.push(b);
                    tiers.push(format!("{{ below_days = {b}, share = {share} }}"));
                }
            }
            if !tiers.is_empty() {
                extra += &format!("ration = [{}]\n", tiers.join(", "));
            }
        }
    }
    let at = t.find("\n[[sink]]\n").unwrap();
    insert_after(&mut t, at, "unload_days = ", &extra);
    if let Some((at_node, stock, demand)) = second {
        let text = format!(
            "\n[[sink]]\nnode = \"{}\"\ninitial_stock_litres = {stock}\ndaily_demand_litres = {demand}\n",
            node(at_node)
        );
        let at = t.find("\n[price]\n").unwrap();
        t.insert_str(at, &text);
    }
    // Attacks and escorts.
    let (seize, exponent, size_ref) = v.seize;
    let at = t.find("\n[attack]\n").unwrap();
    insert_after(
        &mut t,
        at,
        "loss_beta = ",
        &format!("seize_prob = {seize}\nsize_exponent = {exponent}\nsize_ref = {size_ref}\n"),
    );
    for (i, m) in v.seize_mult.iter().enumerate().take(s.escorts.len()) {
        let at = t.find(&format!("\n[escort.e{i}]\n")).unwrap();
        insert_after(&mut t, at, "loss_mult = ", &format!("seize_mult = {m}\n"));
    }
    // Staging points, on nodes that are not sinks, one per node.
    let mut points: Vec<(usize, &Point)> = Vec::new();
    let candidates: Vec<usize> = (0..n).filter(|i| !sinks.contains(i)).collect();
    if !candidates.is_empty() {
        for p in &v.points {
            let at = *p.node.get(&candidates);
            if points.iter().all(|(q, _)| *q != at) {
                points.push((at, p));
            }
        }
    }
    let escorts = s.escorts.len() + 1;
    let mut text = String::new();
    let to = |second_sink: bool| {
        if second_sink && sinks.len() > 1 {
            sinks[1]
        } else {
            sinks[0]
        }
    };
    for (at, p) in &points {
        let escort = p.escort.index(escorts);
        let escort = if escort == 0 {
            "none".to_string()
        } else {
            format!("e{}", escort - 1)
        };
        text += &format!(
            "\n[[staging]]\nnode = \"{}\"\nescort = \"{escort}\"\nunits = {}\nmax_tankers = {}\nmin_tankers = {}\nturnaround_days = {}\nto = \"{}\"\nrouting = \"{}\"\n",
            node(*at),
            p.units,
            p.max,
            1 + p.min.index(p.max as usize),
            p.turnaround,
            node(to(p.to_second)),
            ["shortest", "safest", "fixed"][p.routing as usize]
        );
        if let Some(w) = p.max_wait {
            text += &format!("max_wait_days = {w}\n");
        }
    }
    t += &text;
    // Each stream stages at a point, or delivers to a sink.
    for k in 0..s.streams.len() {
        let at = t.find(&format!("name = \"s{k}\"\n")).unwrap();
        let line = match v.stage[k] {
            Some(i) if !points.is_empty() => {
                let (node_at, p) = points[i.index(points.len())];
                format!(
                    "stage = \"{}\"\nto = \"{}\"\n",
                    node(node_at),
                    node(to(p.to_second))
                )
            }
            _ => format!("to = \"{}\"\n", node(to(v.to_second[k]))),
        };
        let end = t[at..].find('\n').unwrap() + at + 1;
        t.insert_str(end, &line);
    }
    t
}

fn load(text: &str) -> Scenario {
    Scenario::from_source(&TomlSource::new("prop.toml", text.to_string()), None)
        .unwrap_or_else(|e| panic!("{e}\n{text}"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_trial_of_a_random_v2_scenario_keeps_the_books(
        spec in spec(), v in v2(), seed in any::<u64>()
    ) {
        let scenario = load(&scenario_text_v2(&spec, &v));
        check_resolved_round_trip(&scenario);
        let model = Model::new(&scenario);
        for trial in 0..4 {
            check_trial(&scenario, &model, seed, trial);
        }
    }

    #[test]
    fn a_random_v2_scenario_gives_the_same_results_on_any_thread_count(
        spec in spec(), v in v2(), seed in any::<u64>()
    ) {
        let scenario = load(&scenario_text_v2(&spec, &v));
        let one = corridor::simulate(&scenario, seed, 70, 1);
        let two = corridor::simulate(&scenario, seed, 70, 2);
        prop_assert_eq!(one, two);
    }
}
