//! Cases whose answers follow from MODEL.md in closed form: exact deliveries without threats,
//! mean losses on a threatened edge, exact delays at closures, routing choices.

use crate::common::*;

/// |got - want| within `k` standard errors of a mean over `n` trials.
fn within_se(got: f64, want: f64, sd: f64, n: u64, k: f64) {
    let se = sd / (n as f64).sqrt();
    assert!(
        (got - want).abs() <= k * se,
        "got {got}, want {want} ± {k} × {se}"
    );
}

#[test]
fn without_threats_deliveries_are_exact() {
    // tau = d + 0.5 (dwell a) + 1 (a-b) + 0.25 (dwell b) + 2 (b-sink) = d + 3.75.
    let net = line_network(&["a", "b", "sink"], &[100.0, 200.0], &[0.5, 0.25, 0.0]);
    let s = scenario(&with_stream(
        &net,
        20,
        "tankers = 7\nfirst_day = 1\nevery_days = 2",
        "",
    ));
    let r = run(&s, 20);
    // Departures 1, 3, ..., 19; those of days <= 15 arrive by day 18 (< 20).
    assert_eq!(metric(&r, "delivered_litres"), 8.0 * 7000.0);
    assert_eq!(metric(&r, "in_transit_litres"), 2.0 * 7000.0);
    let delivered: Vec<f64> = r.daily[1].iter().map(|s| s.mean).collect();
    for (day, litres) in delivered.iter().enumerate() {
        let want = if (4..=18).contains(&day) && day % 2 == 0 {
            7000.0
        } else {
            0.0
        };
        assert_eq!(*litres, want, "day {day}");
    }
}

const ONE_EDGE_THREAT: &str = "tankers = 20\nlast_day = 30\nescort = \"{escort}\"\n\
    [attack]\nloss_alpha = 2.0\nloss_beta = 6.0\n\
    [escort.half]\nattack_mult = 0.5\nloss_mult = 1.0\n\
    [escort.total]\nattack_mult = 1.0\nloss_mult = 1000.0\n\
    [[threat]]\nedges = [\"a-sink\"]\nattacks_per_100km = 0.5";

fn one_edge(escort: &str) -> corridor::Scenario {
    let net = line_network(&["a", "sink"], &[100.0], &[0.0, 0.0]);
    scenario(&with_stream(
        &net,
        40,
        &ONE_EDGE_THREAT.replace("{escort}", escort),
        "",
    ))
}

#[test]
fn mean_losses_on_a_threatened_edge_match_the_formula() {
    // Per convoy: P = 1 - exp(-0.5 × 100 / 100); E[lost] = P × n × alpha / (alpha + beta).
    let n_trials = 4000;
    let r = run(&one_edge("none"), n_trials);
    let p = 1.0 - (-0.5f64).exp();
    let lost = r.metric("tankers_lost");
    within_se(lost.mean, 30.0 * p * 20.0 * 0.25, lost.sd, n_trials, 4.0);
    let attacks = r.metric("convoys_attacked");
    within_se(attacks.mean, 30.0 * p, attacks.sd, n_trials, 4.0);
    // Every litre sent is delivered, destroyed or still on the road.
    let accounted = metric(&r, "delivered_litres")
        + metric(&r, "lost_litres")
        + metric(&r, "in_transit_litres");
    assert!(
        (accounted - 30.0 * 20.0 * 1000.0).abs() < 1e-3,
        "{accounted}"
    );
    assert!((metric(&r, "lost_litres") - 1000.0 * lost.mean).abs() < 1e-3);
}

#[test]
fn an_escort_scales_the_attack_rate_and_the_losses() {
    let n_trials = 4000;
    let r = run(&one_edge("half"), n_trials);
    let attacks = r.metric("convoys_attacked");
    within_se(
        attacks.mean,
        30.0 * (1.0 - (-0.25f64).exp()),
        attacks.sd,
        n_trials,
        4.0,
    );
    // loss_mult = 1000: f' = min(1, 1000 f) is 1 in practice, so an attack destroys the convoy.
    let r = run(&one_edge("total"), 2000);
    let per_attack = metric(&r, "tankers_lost") / metric(&r, "convoys_attacked");
    assert!((per_attack - 20.0).abs() < 1e-3, "{per_attack}");
}

fn fork(routing: &str, extra: &str) -> corridor::Scenario {
    let mut net = fork_network(100.0, 150.0);
    net = net.replacen("lon = -10.0\n", "lon = -10.0\ndwell_days = 0.8\n", 1); // dwell at a
    let stream = format!(
        "tankers = 1\nfirst_day = 2\nlast_day = 3\nrouting = \"{routing}\"\n{}",
        if routing == "fixed" {
            "via = [\"s\"]"
        } else {
            ""
        }
    );
    scenario(&with_stream(&net, 20, &stream, extra))
}

fn delivery_day(r: &corridor::report::RunResults) -> Option<usize> {
    r.daily[1].iter().position(|s| s.mean > 0.0)
}

const CLOSE_S_SINK: &str = "[[closure]]\nedges = [\"s-sink\"]\nfrom_day = 3\nto_day = 6";

#[test]
fn a_closure_makes_a_fixed_convoy_wait_to_the_next_open_day() {
    // Leaves day 2: a at 2.8, s at 3.8 (day 3, closed): waits to 6, arrives 7.
    assert_eq!(delivery_day(&run(&fork("fixed", CLOSE_S_SINK), 5)), Some(7));
    assert_eq!(delivery_day(&run(&fork("fixed", ""), 5)), Some(4));
}

#[test]
fn a_closure_makes_a_routed_convoy_replan_back_through_its_source() {
    // Plans via s on day 2; at s on day 3 the edge is closed; re-plans s-a-l-sink, waiting
    // a's dwell again: a at 4.8 + 0.8, then 3 days: arrives 8.6.
    assert_eq!(
        delivery_day(&run(&fork("shortest", CLOSE_S_SINK), 5)),
        Some(8)
    );
    // Closed already on the departure day: plans the long branch at once (2.8 + 3 = 5.8).
    let early = CLOSE_S_SINK.replace("from_day = 3", "from_day = 2");
    assert_eq!(delivery_day(&run(&fork("shortest", &early), 5)), Some(5));
}

#[test]
fn safest_routing_trades_km_for_expected_attacks() {
    let threat = "[[threat]]\ncorridors = [\"short\"]\nattacks_per_100km = 1.0\n";
    assert!(
        metric(&run(&fork("shortest", threat), 400), "convoys_attacked") > 0.5,
        "the short branch is threatened"
    );
    // risk 1000 km per attack: 200 + 1000 × 2 × 0.63 > 300, so the long branch wins.
    assert_eq!(
        metric(
            &run(&fork_with_risk(1000.0, threat), 400),
            "convoys_attacked"
        ),
        0.0
    );
    // risk 10 km per attack: 200 + 12.6 < 300, so the short branch is still taken.
    assert!(metric(&run(&fork_with_risk(10.0, threat), 400), "convoys_attacked") > 0.5);
}

fn fork_with_risk(risk: f64, extra: &str) -> corridor::Scenario {
    let stream = format!(
        "tankers = 1\nfirst_day = 2\nlast_day = 3\nrouting = \"safest\"\nrisk_km_per_attack = {risk}"
    );
    scenario(&with_stream(
        &fork_network(100.0, 150.0),
        20,
        &stream,
        extra,
    ))
}

#[test]
fn random_closures_that_never_fire_change_nothing_and_ones_that_always_fire_block() {
    let net = line_network(&["a", "b", "sink"], &[100.0, 100.0], &[0.0, 0.0, 0.0]);
    let stream = "tankers = 2\nrouting = \"fixed\"";
    let plain = run(&scenario(&with_stream(&net, 15, stream, "")), 50);
    let never = "[[random_closure]]\nedges = [\"b-sink\"]\nper_day = 0.0\nmean_days = 3.0";
    let with_never = run(&scenario(&with_stream(&net, 15, stream, never)), 50);
    assert_eq!(plain.metrics, with_never.metrics);
    let always = "[[random_closure]]\nedges = [\"b-sink\"]\nper_day = 60.0\nmean_days = 100000.0";
    let blocked = run(&scenario(&with_stream(&net, 15, stream, always)), 50);
    assert_eq!(metric(&blocked, "delivered_litres"), 0.0);
    assert_eq!(metric(&blocked, "shortage_days"), 15.0);
}

#[test]
fn a_random_closure_on_the_short_branch_sends_routed_convoys_the_long_way() {
    let always =
        "[[random_closure]]\ncorridors = [\"short\"]\nper_day = 60.0\nmean_days = 100000.0";
    let r = run(&fork("shortest", always), 20);
    // Long branch: 2.8 + 3 = 5.8.
    assert_eq!(delivery_day(&r), Some(5));
}
