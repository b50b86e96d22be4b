//! How long work would take, roughly, and the warning a run or an analysis gets before it
//! starts if that is more than an hour: estimated from its road legs (and the days its
//! convoys wait, counted as legs) at what one core drives in a second. Pure arithmetic; it
//! must not refuse anything, only warn.

use super::{LEGS_PER_WAIT_DAY, RunCost, sci};

/// Road legs one core drives in a second, about (BENCHMARKS.md).
const LEGS_PER_SECOND: f64 = 5.0e7;

/// Work expected to take longer than this on its threads gets a warning before it starts.
const LONG_RUN_SECONDS: f64 = 3600.0;

/// A warning for a run of `trials` trials that would take longer than an hour on `threads`
/// threads, or `None`; it says so when convoys waiting behind closures make most of it.
pub fn duration_warning(cost: &RunCost, trials: u64, threads: usize) -> Option<String> {
    let legs = trials as f64 * cost.work_per_trial();
    let why = if LEGS_PER_WAIT_DAY * cost.wait_days_per_trial > cost.legs_per_trial {
        format!(
            ": its convoys would wait about {} days per trial behind closures, and each waiting day costs the trial",
            sci(cost.wait_days_per_trial)
        )
    } else {
        String::new()
    };
    long_work_warning(legs, threads, &why)
}

/// A warning for `legs` road legs of work that would take longer than an hour.
pub fn long_work_warning(legs: f64, threads: usize, why: &str) -> Option<String> {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.clamp(1, cores);
    let seconds = legs / (LEGS_PER_SECOND * threads as f64);
    (seconds >= LONG_RUN_SECONDS).then(|| {
        format!(
            "warning: this may take about {} on {threads} thread{}{why}; Ctrl-C stops it and keeps the trials done so far",
            duration(seconds),
            if threads == 1 { "" } else { "s" }
        )
    })
}

/// `3 hours`, `2 days`, `5 months`, `40 years`: roughly, as an estimate deserves.
fn duration(seconds: f64) -> String {
    let (value, unit) = [
        (seconds / 3600.0, "hour"),
        (seconds / 86_400.0, "day"),
        (seconds / (30.0 * 86_400.0), "month"),
        (seconds / (365.0 * 86_400.0), "year"),
    ]
    .into_iter()
    .rev()
    .find(|(v, _)| *v >= 2.0)
    .unwrap_or((seconds / 3600.0, "hour"));
    let value = value.round();
    format!("{value} {unit}{}", if value == 1.0 { "" } else { "s" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Scenario;

    #[test]
    fn convoys_stuck_for_years_make_a_long_run_that_is_warned_of() {
        let stuck =
            Scenario::from_source(&crate::source::TomlSource::new("stuck.toml", STUCK), None)
                .unwrap();
        let cost = RunCost::of(&stuck);
        // 3,650 daily departures, each waiting from its arrival until the horizon.
        let expected = 3650.0 * 3649.0 / 2.0;
        assert!(
            (cost.wait_days_per_trial / expected - 1.0).abs() < 0.01,
            "{cost:?}"
        );
        let warning = duration_warning(&cost, 100_000, 1).unwrap();
        assert!(
            warning.starts_with("warning: this may take about ")
                && warning.contains("its convoys would wait about 6.7e6 days per trial"),
            "{warning}"
        );
        assert_eq!(duration_warning(&cost, 10, 1), None);
        let fine = RunCost::of(&Scenario::builtin_default());
        assert!(fine.wait_days_per_trial < 100.0, "{fine:?}");
        assert_eq!(duration_warning(&fine, 10_000, 2), None);
    }

    /// One fixed stream a day for ten years into a road closed for all of them.
    const STUCK: &str = r#"name = "stuck"
horizon_days = 3650
[network]
[[network.node]]
id = "a"
name = "A"
country = "ML"
kind = "port"
lat = 13.0
lon = -10.0
[[network.node]]
id = "b"
name = "B"
country = "ML"
kind = "town"
lat = 13.0
lon = -9.0
[[network.node]]
id = "sink"
name = "S"
country = "ML"
kind = "depot"
lat = 13.0
lon = -8.0
[[network.edge]]
from = "a"
to = "b"
km = 100.0
[[network.edge]]
from = "b"
to = "sink"
km = 100.0
[sink]
node = "sink"
initial_stock_litres = 0
daily_demand_litres = 100000
[[convoy]]
name = "s"
from = "a"
tankers = 1
routing = "fixed"
via = ["b"]
[[closure]]
edges = ["b-sink"]
"#;

    #[test]
    fn durations_read_roughly() {
        assert_eq!(duration(5400.0), "2 hours");
        assert_eq!(duration(3.0 * 86_400.0), "3 days");
        assert_eq!(duration(400.0 * 86_400.0), "13 months");
        assert_eq!(duration(3.0 * 365.0 * 86_400.0), "3 years");
    }
}
