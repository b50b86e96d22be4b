//! Property tests over random valid scenarios on random small networks: in every trial,
//! litres dispatched = delivered + lost + in transit, stock is never negative, the price
//! stays between the official price and `cap_multiple` times it, shortage days are between
//! 0 and the horizon (all checked by `pipeline::check_trial`); the resolved scenario reads
//! back the same; and the same seed gives the same results on one or two threads.

use proptest::prelude::*;
use proptest::sample::Index;

use corridor::Scenario;
use corridor::sim::model::Model;
use corridor::source::TomlSource;

use crate::pipeline::{check_resolved_round_trip, check_trial};

/// A connected network: node i > 0 joins an earlier node, plus a few extra roads.
#[derive(Debug, Clone)]
pub(crate) struct Net {
    pub(crate) nodes: usize,
    pub(crate) tree: Vec<(Index, f64, u8)>,
    pub(crate) extra: Vec<(Index, Index, f64, u8)>,
    pub(crate) dwell: Vec<f64>,
    pub(crate) sink: Index,
}

#[derive(Debug, Clone)]
pub(crate) struct StreamSpec {
    pub(crate) from: Index,
    tankers: u32,
    first: Index,
    every: u32,
    length: Option<u32>,
    escort: Index,
    routing: u8,
    fleet: Option<u32>,
    return_escort: Index,
    speed: Option<f64>,
}

#[derive(Debug, Clone)]
struct CoverSpec {
    edge: Index,
    way: u8,
    corridor: Option<u8>,
    direction: u8,
    from: Index,
    length: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct Spec {
    pub(crate) net: Net,
    horizon: u32,
    pub(crate) sink: (f64, f64, f64),
    price: (f64, f64, f64, f64),
    defaults: (f64, f64, u8, f64),
    attack: (f64, f64),
    pub(crate) escorts: Vec<(f64, f64, Option<f64>)>,
    pub(crate) streams: Vec<StreamSpec>,
    threats: Vec<(CoverSpec, f64)>,
    closures: Vec<CoverSpec>,
    random_closures: Vec<(CoverSpec, f64, f64)>,
}

fn net() -> impl Strategy<Value = Net> {
    (2usize..8).prop_flat_map(|nodes| {
        (
            prop::collection::vec((any::<Index>(), 1.0..900.0f64, 0u8..3), nodes - 1),
            prop::collection::vec(
                (any::<Index>(), any::<Index>(), 1.0..900.0f64, 0u8..3),
                0..nodes,
            ),
            prop::collection::vec(prop_oneof![Just(0.0), 0.0..2.0f64], nodes),
            any::<Index>(),
        )
            .prop_map(move |(tree, extra, dwell, sink)| Net {
                nodes,
                tree,
                extra,
                dwell,
                sink,
            })
    })
}

fn stream() -> impl Strategy<Value = StreamSpec> {
    (
        any::<Index>(),
        1u32..60,
        any::<Index>(),
        1u32..6,
        prop::option::of(1u32..40),
        any::<Index>(),
        0u8..3,
        prop::option::of(1u32..200),
        any::<Index>(),
        prop::option::of(20.0..900.0f64),
    )
        .prop_map(
            |(
                from,
                tankers,
                first,
                every,
                length,
                escort,
                routing,
                fleet,
                return_escort,
                speed,
            )| {
                StreamSpec {
                    from,
                    tankers,
                    first,
                    every,
                    length,
                    escort,
                    routing,
                    fleet,
                    return_escort,
                    speed,
                }
            },
        )
}

fn cover() -> impl Strategy<Value = CoverSpec> {
    (
        any::<Index>(),
        0u8..3,
        prop::option::of(0u8..3),
        0u8..3,
        any::<Index>(),
        1u32..40,
    )
        .prop_map(|(edge, way, corridor, direction, from, length)| CoverSpec {
            edge,
            way,
            corridor,
            direction,
            from,
            length,
        })
}

pub(crate) fn spec() -> impl Strategy<Value = Spec> {
    (
        net(),
        1u32..60,
        (
            prop_oneof![Just(0.0), 0.0..2e7f64],
            prop_oneof![Just(0.0), 1.0..3e6f64],
            0.0..3.0f64,
        ),
        (1.0..2000.0f64, -3.0..-0.05f64, 1.0..12.0f64, 1.0..6.0f64),
        (10.0..900.0f64, 100.0..60_000.0f64, 0u8..3, 0.0..2000.0f64),
        (0.2..6.0f64, 0.2..6.0f64),
        prop::collection::vec(
            (0.0..2.0f64, 0.0..3.0f64, prop::option::of(10.0..600.0f64)),
            0..3,
        ),
        prop::collection::vec(stream(), 1..4),
        prop::collection::vec((cover(), 0.0..3.0f64), 0..4),
        prop::collection::vec(cover(), 0..3),
        prop::collection::vec((cover(), 0.0..0.6f64, 0.2..8.0f64), 0..3),
    )
        .prop_map(
            |(
                net,
                horizon,
                sink,
                price,
                defaults,
                attack,
                escorts,
                streams,
                threats,
                closures,
                random_closures,
            )| Spec {
                net,
                horizon,
                sink,
                price,
                defaults,
                attack,
                escorts,
                streams,
                threats,
                closures,
                random_closures,
            },
        )
}

const ROUTING: [&str; 3] = ["shortest", "safest", "fixed"];
const DIRECTION: [&str; 3] = ["both", "inbound", "outbound"];

/// The scenario file a spec describes; valid by construction.
pub(crate) fn scenario_text(s: &Spec) -> String {
    let n = s.net.nodes;
    let sink = s.net.sink.index(n);
    let node = |i: usize| format!("n{i}");
    let mut edges: Vec<(usize, usize, f64, u8)> = Vec::new();
    for (i, (parent, km, tag)) in s.net.tree.iter().enumerate() {
        edges.push((parent.index(i + 1), i + 1, *km, *tag));
    }
    for (a, b, km, tag) in &s.net.extra {
        let (a, b) = (a.index(n), b.index(n));
        let joined = edges
            .iter()
            .any(|&(x, y, _, _)| (x, y) == (a, b) || (x, y) == (b, a));
        if a != b && !joined {
            edges.push((a, b, *km, *tag));
        }
    }
    let h = s.horizon;
    let mut t =
        format!("name = \"prop\"\nhorizon_days = {h}\nstart_date = \"2025-01-30\"\n\n[network]\n");
    for i in 0..n {
        t += &format!(
            "[[network.node]]\nid = \"{}\"\nname = \"N{i}\"\ncountry = \"ML\"\nkind = \"town\"\nlat = {}\nlon = {}\ndwell_days = {}\n",
            node(i),
            10.0 + i as f64 * 0.3,
            -8.0 - i as f64 * 0.2,
            s.net.dwell[i]
        );
    }
    for (a, b, km, tag) in &edges {
        t += &format!(
            "[[network.edge]]\nfrom = \"{}\"\nto = \"{}\"\nkm = {km}\ncorridors = [\"c{tag}\"]\n",
            node(*a),
            node(*b)
        );
    }
    let (stock, demand, unload) = s.sink;
    t += &format!(
        "\n[sink]\nnode = \"{}\"\ninitial_stock_litres = {stock}\ndaily_demand_litres = {demand}\nunload_days = {unload}\n",
        node(sink)
    );
    let (base, elasticity, cap, memory) = s.price;
    t += &format!(
        "\n[price]\nbase_price = {base}\nelasticity = {elasticity}\ncap_multiple = {cap}\nmemory_days = {memory}\n"
    );
    let (speed, litres, routing, risk) = s.defaults;
    t += &format!(
        "\n[defaults]\nspeed_km_per_day = {speed}\ntanker_litres = {litres}\nrouting = \"{}\"\nrisk_km_per_attack = {risk}\n",
        ROUTING[routing as usize % 2]
    );
    t += &format!(
        "\n[attack]\nloss_alpha = {}\nloss_beta = {}\n",
        s.attack.0, s.attack.1
    );
    let mut escorts = vec!["none".to_string()];
    for (i, (attack, loss, speed)) in s.escorts.iter().enumerate() {
        escorts.push(format!("e{i}"));
        t += &format!("\n[escort.e{i}]\nattack_mult = {attack}\nloss_mult = {loss}\n");
        if let Some(v) = speed {
            t += &format!("speed_km_per_day = {v}\n");
        }
    }
    for (k, st) in s.streams.iter().enumerate() {
        let from = (sink + 1 + st.from.index(n - 1)) % n;
        let first = st.first.index(h as usize);
        t += &format!(
            "\n[[convoy]]\nname = \"s{k}\"\nfrom = \"{}\"\ntankers = {}\nfirst_day = {first}\nevery_days = {}\nescort = \"{}\"\nrouting = \"{}\"\n",
            node(from),
            st.tankers,
            st.every,
            st.escort.get(&escorts),
            ROUTING[st.routing as usize]
        );
        if let Some(len) = st.length {
            t += &format!("last_day = {}\n", first as u32 + len);
        }
        if let Some(v) = st.speed {
            t += &format!("speed_km_per_day = {v}\n");
        }
        if let Some(f) = st.fleet {
            t += &format!(
                "fleet = {f}\nreturn_escort = \"{}\"\n",
                st.return_escort.get(&escorts)
            );
        }
    }
    let cover = |c: &CoverSpec| {
        let (a, b, _, tag) = c.edge.get(&edges);
        let mut text = match c.corridor {
            Some(_) => format!("corridors = [\"c{tag}\"]\n"),
            None => {
                let sep = ["-", ">", ">"][c.way as usize];
                let (x, y) = if c.way == 2 { (b, a) } else { (a, b) };
                format!("edges = [\"{}{sep}{}\"]\n", node(*x), node(*y))
            }
        };
        let from = c.from.index(h as usize);
        text += &format!(
            "direction = \"{}\"\nfrom_day = {from}\nto_day = {}\n",
            DIRECTION[c.direction as usize],
            from as u32 + c.length
        );
        text
    };
    for (c, hazard) in &s.threats {
        t += &format!("\n[[threat]]\n{}attacks_per_100km = {hazard}\n", cover(c));
    }
    for c in &s.closures {
        t += &format!("\n[[closure]]\n{}", cover(c));
    }
    for (c, per_day, mean) in &s.random_closures {
        t += &format!(
            "\n[[random_closure]]\n{}per_day = {per_day}\nmean_days = {mean}\n",
            cover(c)
        );
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn every_trial_of_a_random_scenario_keeps_the_books(spec in spec(), seed in any::<u64>()) {
        let text = scenario_text(&spec);
        let scenario = Scenario::from_source(&TomlSource::new("prop.toml", text.clone()), None)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        check_resolved_round_trip(&scenario);
        let model = Model::new(&scenario);
        for trial in 0..4 {
            check_trial(&scenario, &model, seed, trial);
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_results_on_any_thread_count(spec in spec(), seed in any::<u64>()) {
        let text = scenario_text(&spec);
        let scenario = Scenario::from_source(&TomlSource::new("prop.toml", text.clone()), None)
            .unwrap_or_else(|e| panic!("{e}\n{text}"));
        let one = corridor::simulate(&scenario, seed, 70, 1);
        let two = corridor::simulate(&scenario, seed, 70, 2);
        prop_assert_eq!(&one, &two);
        prop_assert_eq!(one, corridor::simulate(&scenario, seed, 70, 1));
    }
}
