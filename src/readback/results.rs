//! A run's `results.json` (read by `chart`), checked against the scenario beside it
//! (`scenario.toml`), section by section: the header, the metrics, the streams, the daily
//! series, the fleets, the edges, the nodes and the distribution. Every array has the
//! length the scenario gives it, so the charts can index them; every number is finite and
//! within what a run reports, so none reaches the plotting code as an axis of 10³⁰⁰.

use super::{Check, damaged, day_stat, length, non_negative, stat};
use crate::cli::MAX_TRIALS;
use crate::report::RunResults;
use crate::scenario::Scenario;
use crate::sim::outcome::{DAILY, METRICS, STREAM_FIELDS};

pub fn check_results(r: &RunResults, scenario: &Scenario) -> Check {
    header(r, scenario)?;
    metrics(r)?;
    streams(r, scenario)?;
    daily(r)?;
    fleets(r, scenario)?;
    network(r, scenario)?;
    let n = r.trials;
    r.delivered_distribution
        .check(n)
        .map_err(|m| damaged("delivered_distribution", m))
}

fn header(r: &RunResults, scenario: &Scenario) -> Check {
    if !(1..=MAX_TRIALS).contains(&r.trials) {
        return Err(damaged(
            "trials",
            format!("{} trials (a run has 1 to {MAX_TRIALS})", r.trials),
        ));
    }
    if r.horizon_days != scenario.horizon_days {
        return Err(damaged(
            "horizon_days",
            format!(
                "{} days where scenario.toml has {}",
                r.horizon_days, scenario.horizon_days
            ),
        ));
    }
    if let Some(date) = &r.start_date
        && crate::calendar::Date::parse(date).is_none()
    {
        return Err(damaged("start_date", "is not a date (YYYY-MM-DD)"));
    }
    non_negative(|| "base_price".into(), r.base_price)?;
    non_negative(|| "cap_multiple".into(), r.cap_multiple)?;
    non_negative(|| "daily_demand_litres".into(), r.daily_demand_litres)
}

fn metrics(r: &RunResults) -> Check {
    length(|| "metrics".into(), r.metrics.len(), METRICS.len())?;
    for (k, (m, name)) in r.metrics.iter().zip(METRICS).enumerate() {
        if m.name != name {
            return Err(damaged(
                format!("metrics[{k}].name"),
                format!("is not \"{name}\""),
            ));
        }
        stat(&format!("metrics[{k}]"), &m.stat)?;
    }
    Ok(())
}

fn streams(r: &RunResults, scenario: &Scenario) -> Check {
    length(|| "streams".into(), r.streams.len(), scenario.streams.len())?;
    for (k, s) in r.streams.iter().enumerate() {
        let field = |part: &str| format!("streams[{k}].{part}");
        length(|| field("means"), s.means.len(), STREAM_FIELDS.len())?;
        for (j, &x) in s.means.iter().enumerate() {
            non_negative(|| format!("streams[{k}].means[{j}]"), x)?;
        }
        non_negative(|| field("dispatched_litres"), s.dispatched_litres)?;
    }
    Ok(())
}

fn daily(r: &RunResults) -> Check {
    let h = r.horizon_days as usize;
    length(|| "daily".into(), r.daily.len(), DAILY.len())?;
    for (k, series) in r.daily.iter().enumerate() {
        length(|| format!("daily[{k}]"), series.len(), h)?;
        for (d, s) in series.iter().enumerate() {
            day_stat(&format!("daily[{k}][{d}]"), s)?;
        }
    }
    Ok(())
}

fn fleets(r: &RunResults, scenario: &Scenario) -> Check {
    let h = r.horizon_days as usize;
    let expected = scenario
        .streams
        .iter()
        .filter(|s| s.fleet.is_some())
        .count();
    length(|| "fleets".into(), r.fleets.len(), expected)?;
    for (k, f) in r.fleets.iter().enumerate() {
        length(|| format!("fleets[{k}].alive"), f.alive.len(), h)?;
        for (d, s) in f.alive.iter().enumerate() {
            day_stat(&format!("fleets[{k}].alive[{d}]"), s)?;
        }
    }
    Ok(())
}

fn network(r: &RunResults, scenario: &Scenario) -> Check {
    let net = &scenario.network;
    length(|| "nodes".into(), r.nodes.len(), net.nodes().count())?;
    for (k, n) in r.nodes.iter().enumerate() {
        let inside = |x: f64, bound: f64| x.is_finite() && x.abs() <= bound;
        if !inside(n.lat, 90.0) || !inside(n.lon, 180.0) {
            return Err(damaged(
                format!("nodes[{k}]"),
                format!("lat {} lon {} is not a place on Earth", n.lat, n.lon),
            ));
        }
    }
    length(|| "edges".into(), r.edges.len(), net.edges().count())?;
    for (k, e) in r.edges.iter().enumerate() {
        let field = |part: &str| format!("edges[{k}].{part}");
        if e.from >= r.nodes.len() || e.to >= r.nodes.len() {
            return Err(damaged(
                field("from"),
                format!("joins nodes {} and {} of {}", e.from, e.to, r.nodes.len()),
            ));
        }
        non_negative(|| field("km"), e.km)?;
        non_negative(|| field("attacks_mean"), e.attacks_mean)?;
        non_negative(|| field("tankers_lost_mean"), e.tankers_lost_mean)?;
    }
    Ok(())
}
