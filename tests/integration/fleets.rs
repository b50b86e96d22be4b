//! Fleets that cycle and burn (MODEL.md section 10) and one-way rules (section 11): a
//! hand-worked shuttle, direction, conservation of tankers, thread invariance.

use corridor::sim::model::{Class, Model};
use corridor::sim::outcome::TrialOutcome;
use corridor::sim::trial::{Observer, Scratch, simulate_trial};
use corridor::sim::trip::Who;

use crate::common::*;

/// Every event of a trial, in the order the engine reports them.
#[derive(Default)]
struct Log {
    departures: Vec<(u32, u32)>,
    /// (time, class, tankers lost)
    attacks: Vec<(f64, Class, u32)>,
    /// (time, class, tankers)
    arrivals: Vec<(f64, Class, u32)>,
    /// (class, directed edge)
    entered: Vec<(Class, u32)>,
}

impl Observer for Log {
    fn depart(&mut self, _stream: usize, day: u32, tankers: u32) {
        self.departures.push((day, tankers));
    }
    fn enter(&mut self, _who: Who, class: Class, dedge: u32, _tau: f64, _tankers: u32) {
        self.entered.push((class, dedge));
    }
    fn attack(&mut self, _who: Who, class: Class, _dedge: u32, tau: f64, lost: u32) {
        self.attacks.push((tau, class, lost));
    }
    fn arrive(&mut self, _who: Who, class: Class, tau: f64, tankers: u32) {
        self.arrivals.push((tau, class, tankers));
    }
}

fn trace(s: &corridor::Scenario, trial: u64) -> (Log, TrialOutcome) {
    let model = Model::new(s);
    let mut out = TrialOutcome::new(&model);
    let mut log = Log::default();
    simulate_trial(
        &model,
        1,
        trial,
        &mut Scratch::default(),
        &mut out,
        &mut log,
    );
    (log, out)
}

/// a - sink, 100 km at 100 km/day: a day each way.
fn shuttle(horizon: u32, stream: &str, extra: &str) -> corridor::Scenario {
    let net = line_network(&["a", "sink"], &[100.0], &[0.0, 0.0]);
    scenario(&with_stream(&net, horizon, stream, extra))
}

#[test]
fn a_hand_worked_fleet_cycle_departs_two_one_none() {
    // Fleet 3, 2 tankers a day, unload 0.5: the tankers of day d are home at d + 2.5. Day 0
    // takes 2, day 1 the last 1 (1 short), day 2 finds none (skipped, 2 short), day 3 takes
    // the 2 back since 2.5, day 4 the 1 back since 3.5, day 5 none ... a cycle of 3 days.
    let s = shuttle(12, "tankers = 2\nfleet = 3", "");
    let (log, out) = trace(&s, 0);
    let want: Vec<(u32, u32)> = (0..12)
        .filter(|d| d % 3 != 2)
        .map(|d| (d, if d % 3 == 0 { 2 } else { 1 }))
        .collect();
    assert_eq!(log.departures, want);
    let stream = &out.streams[0];
    assert_eq!(
        (
            stream.tankers_short,
            stream.departures_skipped,
            stream.fleet_end
        ),
        (12, 4, 3)
    );
    // Each departure delivers the next day: 12 tanker loads, none left on the road.
    assert_eq!(out.sinks[0].delivered_litres, 12.0 * 1000.0);
    assert_eq!(out.in_transit_litres, 0.0);
    let homes: Vec<f64> = log
        .arrivals
        .iter()
        .filter(|a| a.1 == Class::Empty)
        .map(|a| a.0)
        .collect();
    assert_eq!(&homes[..4], &[2.5, 3.5, 5.5, 6.5]);
    // The summary reports the fleet columns for this stream.
    let r = run(&s, 10);
    assert_eq!(r.streams[0].means[3..], [12.0, 4.0, 3.0]);
    let json = corridor::report::files::summary_json(&r);
    assert!(
        json.contains("\"tankers_short_mean\": 12.0") && json.contains("\"fleet_end_mean\": 3.0"),
        "{json}"
    );
    assert!(corridor::report::files::streams_csv(&r).starts_with(
        "stream,delivered_litres_mean,tankers_lost_mean,convoys_attacked_mean,tankers_short_mean,departures_skipped_mean,fleet_end_mean\ns,12000,0,0,12,4,3\n"
    ));
}

#[test]
fn a_fleet_large_enough_never_to_be_short_reproduces_the_unlimited_stream() {
    // Returns draw after the outbound leg from the same departure generator, and inbound
    // threats never touch empties: the loaded trips are bit for bit those of the plain stream.
    let threat =
        "[[threat]]\nedges = [\"a-sink\"]\ndirection = \"inbound\"\nattacks_per_100km = 0.4";
    let plain = run(&shuttle(40, "tankers = 10", threat), 300);
    let fleet = run(&shuttle(40, "tankers = 10\nfleet = 1000", threat), 300);
    assert_eq!(plain.metrics, fleet.metrics);
    assert_eq!(plain.daily, fleet.daily);
    assert_eq!(fleet.streams[0].means[3], 0.0, "never short");
}

#[test]
fn a_threat_on_the_other_direction_never_fires() {
    let back_only = "[[threat]]\nedges = [\"sink>a\"]\nattacks_per_100km = 5.0";
    let r = run(&shuttle(30, "tankers = 10", back_only), 100);
    assert_eq!(metric(&r, "convoys_attacked"), 0.0);
    // With a fleet the empties drive sink -> a and are hit; they carry no fuel.
    let r = run(&shuttle(30, "tankers = 10\nfleet = 40", back_only), 100);
    assert!(metric(&r, "convoys_attacked") > 1.0 && metric(&r, "tankers_lost") > 1.0);
    assert_eq!(metric(&r, "lost_litres"), 0.0);
    // An outbound-only entry behaves the same way.
    let outbound =
        "[[threat]]\nedges = [\"a-sink\"]\ndirection = \"outbound\"\nattacks_per_100km = 5.0";
    assert_eq!(
        metric(
            &run(&shuttle(30, "tankers = 10", outbound), 100),
            "convoys_attacked"
        ),
        0.0
    );
}

#[test]
fn an_inbound_closure_stops_loaded_convoys_but_not_empty_ones() {
    // Closed to loaded traffic from day 3: departures from day 2 on wait at a (in transit);
    // the empties of days 0 and 1 (home at 2.5 and 3.5) drive through the closure.
    let closure = "[[closure]]\nedges = [\"a-sink\"]\ndirection = \"inbound\"\nfrom_day = 3";
    let (log, out) = trace(&shuttle(10, "tankers = 1\nfleet = 5", closure), 0);
    let homes: Vec<f64> = log
        .arrivals
        .iter()
        .filter(|a| a.1 == Class::Empty)
        .map(|a| a.0)
        .collect();
    assert_eq!(homes, [2.5, 3.5, 4.5]);
    assert_eq!(
        out.sinks[0].delivered_litres, 3000.0,
        "days 0, 1, 2 deliver on 1, 2, 3"
    );
    // Days 3-7 depart and wait at a for the whole horizon; days 8 and 9 find nobody home.
    assert_eq!(
        (out.in_transit_litres, out.streams[0].departures_skipped),
        (5000.0, 2)
    );
    // An outbound closure for the whole horizon keeps every tanker away once it has delivered.
    let closure = "[[closure]]\nedges = [\"sink>a\"]";
    let (log, out) = trace(&shuttle(10, "tankers = 1\nfleet = 4", closure), 0);
    assert_eq!(log.departures.len(), 4);
    assert_eq!(
        (
            out.streams[0].departures_skipped,
            out.sinks[0].delivered_litres
        ),
        (6, 4000.0)
    );
}

#[test]
fn safest_routing_weighs_only_its_own_direction() {
    // The short branch is dangerous only toward the source: loaded convoys ignore it.
    let threat = "[[threat]]\nedges = [\"sink>s\", \"s>a\"]\nattacks_per_100km = 3.0";
    let stream = "tankers = 1\nfirst_day = 2\nlast_day = 3\nrouting = \"safest\"\nrisk_km_per_attack = 1000.0";
    let s = scenario(&with_stream(
        &fork_network(100.0, 150.0),
        20,
        stream,
        threat,
    ));
    let (log, _) = trace(&s, 0);
    let short_edges = [0u32, 2]; // a>s and s>sink as written
    assert_eq!(
        log.entered.iter().map(|e| e.1).collect::<Vec<_>>(),
        short_edges
    );
    // The same threat both ways sends them the long way.
    let both = threat.replace("\"sink>s\", \"s>a\"", "\"sink-s\", \"s-a\"");
    let (log, _) = trace(
        &scenario(&with_stream(&fork_network(100.0, 150.0), 20, stream, &both)),
        0,
    );
    assert_eq!(log.entered.iter().map(|e| e.1).collect::<Vec<_>>(), [4, 6]);
}

#[test]
fn fleet_tankers_are_conserved_every_day() {
    // Threats both ways and a closure: at the end of every day, fleet = at home + on the road
    // + destroyed, nothing is negative, and each departure takes min(tankers, at home).
    let extra = "[[threat]]\nedges = [\"a-sink\"]\nattacks_per_100km = 0.8\n\
        [[closure]]\nedges = [\"a-sink\"]\nfrom_day = 10\nto_day = 14";
    let (fleet, tankers) = (12u32, 5u32);
    let s = shuttle(40, &format!("tankers = {tankers}\nfleet = {fleet}"), extra);
    for trial in 0..40 {
        let (log, out) = trace(&s, trial);
        // (time, order, change at home, change on the road, destroyed); returns home at a
        // time are counted before a departure at the same time (MODEL.md section 10.4).
        let mut events: Vec<(f64, u8, i64, i64, i64)> = Vec::new();
        for day in 0..40u32 {
            // A departure slot that is not in the log was skipped: it took 0 tankers.
            let k = log
                .departures
                .iter()
                .find(|d| d.0 == day)
                .map_or(0, |d| d.1);
            events.push((f64::from(day), 1, -i64::from(k), i64::from(k), 0));
        }
        for &(tau, _, lost) in &log.attacks {
            events.push((tau, 2, 0, -i64::from(lost), i64::from(lost)));
        }
        for &(tau, class, n) in &log.arrivals {
            if class == Class::Empty {
                events.push((tau, 0, i64::from(n), -i64::from(n), 0));
            }
        }
        events.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let (mut home, mut road, mut destroyed) = (i64::from(fleet), 0i64, 0i64);
        let mut next = 0;
        for day in 0..40u32 {
            while next < events.len() && events[next].0 < f64::from(day + 1) {
                let (tau, kind, dh, dr, dd) = events[next];
                if kind == 1 {
                    assert_eq!(
                        -dh,
                        home.min(i64::from(tankers)),
                        "trial {trial}: departure at {tau}"
                    );
                }
                (home, road, destroyed) = (home + dh, road + dr, destroyed + dd);
                assert!(home >= 0 && road >= 0, "trial {trial} at {tau}");
                next += 1;
            }
            assert_eq!(
                home + road + destroyed,
                i64::from(fleet),
                "trial {trial} day {day}"
            );
            assert_eq!(
                i64::from(out.fleet_daily[day as usize]),
                i64::from(fleet) - destroyed,
                "alive, day {day}"
            );
        }
        assert_eq!(
            out.streams[0].fleet_end,
            u64::from(fleet) - destroyed as u64
        );
    }
}

#[test]
fn fleet_results_do_not_depend_on_the_thread_count() {
    let extra = "[[threat]]\nedges = [\"a-sink\"]\nattacks_per_100km = 0.5\n\
        [[random_closure]]\nedges = [\"sink>a\"]\nper_day = 0.1\nmean_days = 2.0";
    let s = shuttle(60, "tankers = 6\nfleet = 20", extra);
    let one = corridor::simulate(&s, 4, 500, 1);
    assert_eq!(one, corridor::simulate(&s, 4, 500, 2));
    assert!(one.fleets[0].alive[59].mean < 20.0, "tankers burn");
}

#[test]
fn fleet_and_direction_keys_are_validated() {
    let net = line_network(&["a", "sink"], &[100.0], &[0.0, 0.0]);
    let reject = |stream: &str, extra: &str| rejection(&with_stream(&net, 10, stream, extra));
    assert_eq!(
        reject("tankers = 1\nfleet = 0", ""),
        "test.toml:39:9: convoy \"s\": fleet = 0 must be a whole number from 1 to 10000000"
    );
    assert_eq!(
        reject("tankers = 1\nreturn_escort = \"none\"", ""),
        "test.toml:39:17: convoy \"s\": return_escort needs fleet = N (only fleet streams return)"
    );
    assert_eq!(
        reject("tankers = 1\nfleet = 2\nreturn_escort = \"armed\"", ""),
        "test.toml:40:17: convoy \"s\": return_escort = \"armed\" is not an escort level; defined: none"
    );
    assert_eq!(
        reject(
            "tankers = 1",
            "[[closure]]\nedges = [\"a-sink\"]\ndirection = \"inbund\""
        ),
        "test.toml:41:13: closure[0]: direction = \"inbund\" is not valid; use \"inbound\" (loaded, to the sink), \
         \"outbound\" (empty returns) or \"both\"; did you mean \"inbound\"?"
    );
    assert_eq!(
        reject(
            "tankers = 1",
            "[[threat]]\nedges = [\"a>b\"]\nattacks_per_100km = 1.0"
        ),
        "test.toml:40:10: threat[0]: edge \"a>b\": no node \"b\""
    );
    assert_eq!(
        reject(
            "tankers = 1",
            "[[threat]]\nedges = [\"a=>sink\"]\nattacks_per_100km = 1.0"
        ),
        "test.toml:40:10: threat[0]: edge \"a=>sink\": no node \"a=\"; did you mean \"a\"?"
    );
}
