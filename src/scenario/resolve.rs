//! A validated scenario written back out with every default filled in and the network
//! inline: the `scenario.toml` of a run, which repeats the run exactly when run again.

use super::raw::*;
use super::*;
use crate::network::RawNetworkFile;

pub(super) fn to_raw(s: &Scenario) -> RawScenario {
    let net: RawNetworkFile = s.network.to_raw();
    let id = |n: usize| s.network.node(n).id.clone();
    let escort_name = |e: usize| s.escorts[e].name.clone();
    let cover_days = |c: &Cover| (Some(i64::from(c.from_day)), Some(i64::from(c.to_day)));
    let direction = |c: &Cover| Some(c.direction.as_str().to_string());
    RawScenario {
        name: s.name.clone(),
        description: Some(s.description.clone()).filter(|d| !d.is_empty()),
        horizon_days: i64::from(s.horizon_days),
        start_date: s.start_date.map(|d| toml::Value::String(d.to_string())),
        network: RawNetworkRef {
            builtin: None,
            file: None,
            nodes: None,
            edges: None,
            name: Some(net.name),
            node: Some(net.node),
            edge: Some(net.edge),
        },
        sink: {
            let list: Vec<RawSink> = s.sinks.iter().map(|k| sink(s, k)).collect();
            match <[RawSink; 1]>::try_from(list) {
                Ok([one]) => RawSinks::One(one),
                Err(list) => RawSinks::Many(list),
            }
        },
        price: RawPrice {
            base_price: Some(s.price.base_price),
            currency: Some(s.price.currency.clone()),
            elasticity: Some(s.price.elasticity),
            cap_multiple: Some(s.price.cap_multiple),
            memory_days: Some(s.price.memory_days),
        },
        defaults: RawDefaults {
            speed_km_per_day: Some(s.defaults.speed_km_per_day),
            tanker_litres: Some(s.defaults.tanker_litres),
            routing: Some(s.defaults.routing.as_str().to_string()),
            risk_km_per_attack: Some(s.defaults.risk_km_per_attack),
        },
        attack: RawAttack {
            loss_alpha: Some(s.attack.loss_alpha),
            loss_beta: Some(s.attack.loss_beta),
            // Version 2 keys are written only when they differ from their defaults, so that a
            // version 1 scenario resolves to the same text as before.
            seize_prob: Some(s.attack.seize_prob).filter(|&v| v != 0.0),
            size_exponent: Some(s.attack.size_exponent).filter(|&v| v != 0.0),
            size_ref: Some(s.attack.size_ref).filter(|&v| v != 1.0),
        },
        escort: s
            .escorts
            .iter()
            .map(|e| {
                let raw = RawEscort {
                    attack_mult: Some(e.attack_mult),
                    loss_mult: Some(e.loss_mult),
                    speed_km_per_day: e.speed_km_per_day,
                    seize_mult: Some(e.seize_mult).filter(|&v| v != 1.0),
                };
                (e.name.clone(), raw)
            })
            .collect(),
        convoy: s
            .streams
            .iter()
            .map(|c| RawConvoy {
                name: c.name.clone(),
                from: id(c.from),
                tankers: i64::from(c.tankers),
                first_day: Some(i64::from(c.first_day)),
                last_day: Some(i64::from(c.last_day)),
                every_days: Some(i64::from(c.every_days)),
                escort: Some(escort_name(c.escort)),
                routing: Some(c.routing.as_str().to_string()),
                via: (c.routing == Routing::Fixed).then(|| c.via.iter().map(|&n| id(n)).collect()),
                speed_km_per_day: c.speed_km_per_day,
                tanker_litres: Some(c.tanker_litres),
                risk_km_per_attack: Some(c.risk_km_per_attack),
                fleet: c.fleet.map(i64::from),
                return_escort: c.fleet.map(|_| escort_name(c.return_escort)),
                to: (s.sinks.len() > 1).then(|| id(s.sinks[c.to].node)),
                stage: c.stage.map(|p| id(s.staging[p].node)),
            })
            .collect(),
        threat: s
            .threats
            .iter()
            .map(|t| {
                let (from_day, to_day) = cover_days(&t.cover);
                RawThreat {
                    edges: t.cover.edge_refs.clone(),
                    corridors: t.cover.corridors.clone(),
                    direction: direction(&t.cover),
                    from_day,
                    to_day,
                    attacks_per_100km: t.attacks_per_100km,
                }
            })
            .collect(),
        closure: s
            .closures
            .iter()
            .map(|c| {
                let (from_day, to_day) = cover_days(&c.cover);
                RawClosure {
                    edges: c.cover.edge_refs.clone(),
                    corridors: c.cover.corridors.clone(),
                    direction: direction(&c.cover),
                    from_day,
                    to_day,
                }
            })
            .collect(),
        random_closure: s
            .random_closures
            .iter()
            .map(|r| {
                let (from_day, to_day) = cover_days(&r.cover);
                RawRandomClosure {
                    edges: r.cover.edge_refs.clone(),
                    corridors: r.cover.corridors.clone(),
                    direction: direction(&r.cover),
                    from_day,
                    to_day,
                    per_day: r.per_day,
                    mean_days: r.mean_days,
                }
            })
            .collect(),
        staging: s
            .staging
            .iter()
            .map(|p| RawStaging {
                node: id(p.node),
                escort: escort_name(p.escort),
                units: i64::from(p.units),
                max_tankers: i64::from(p.max_tankers),
                min_tankers: Some(i64::from(p.min_tankers)),
                max_wait_days: p.max_wait_days,
                turnaround_days: Some(p.turnaround_days),
                to: Some(id(s.sinks[p.to].node)),
                routing: Some(p.routing.as_str().to_string()),
                via: (p.routing == Routing::Fixed).then(|| p.via.iter().map(|&n| id(n)).collect()),
                risk_km_per_attack: Some(p.risk_km_per_attack),
            })
            .collect(),
    }
}

/// One sink as a file writes it: `daily_demand_litres` for a total, else its classes with
/// every default written out.
fn sink(s: &Scenario, k: &Sink) -> RawSink {
    let (daily_demand_litres, demand) = match &k.demand {
        Demand::Total(litres) => (Some(*litres), None),
        Demand::Classes(classes) => {
            let list = classes
                .iter()
                .map(|d| RawDemand {
                    name: d.name.clone(),
                    litres_per_day: d.litres_per_day,
                    priority: Some(i64::from(d.priority)),
                    street: Some(d.street),
                    ration: (!d.ration.is_empty()).then(|| {
                        d.ration
                            .iter()
                            .map(|t| RawRation {
                                below_days: t.below_days,
                                share: t.share,
                            })
                            .collect()
                    }),
                })
                .collect();
            (None, Some(list))
        }
    };
    RawSink {
        node: s.network.node(k.node).id.clone(),
        initial_stock_litres: k.initial_stock_litres,
        capacity_litres: k.capacity_litres,
        daily_demand_litres,
        unload_days: Some(k.unload_days),
        demand,
    }
}

pub(super) fn to_toml(s: &Scenario) -> String {
    let origin = match &s.network_origin {
        NetworkOrigin::Builtin(name) => format!("the built-in network \"{name}\""),
        NetworkOrigin::File(path) => format!("the network file {}", path.display()),
        NetworkOrigin::CsvFiles { nodes, edges } => format!(
            "the network files {} and {}",
            nodes.display(),
            edges.display()
        ),
        NetworkOrigin::Inline => "the scenario's inline network".to_string(),
    };
    let body = toml::to_string(&to_raw(s)).expect("a resolved scenario always serializes");
    format!(
        "# Scenario \"{}\" as corridor {} ran it: every default written out, and {origin}\n\
         # written inline, so that `corridor run` on this file repeats the run exactly.\n\n{body}",
        s.name,
        env!("CARGO_PKG_VERSION"),
    )
}
