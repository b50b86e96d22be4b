//! A shard's tally (`partial.json`), checked against the model of the scenario it ran,
//! section by section: every summary counts the shard's trials and could be their sum,
//! every array has its scenario's length (metrics, sinks, demand classes, streams, staging
//! points, days, fleets, edges). And the counts the shards' merge adds up must fit.

use super::{Check, damaged, length};
use crate::sim::model::Model;
use crate::sim::run::Tally;
use crate::stats::{DaySummary, ExactMean, Summary};

/// Checks `t`, the tally of `trials` trials of `model`. The shape a tally of `model` has
/// comes from `Tally::new`, so a section added there is checked for length here at once.
pub fn check_tally(t: &Tally, model: &Model, trials: u64) -> Check {
    let shape = Tally::new(model);
    if t.trials != trials {
        return Err(damaged(
            "tally.trials",
            format!("{} trials where the shard ran {trials}", t.trials),
        ));
    }
    if t.horizon != shape.horizon {
        return Err(damaged(
            "tally.horizon",
            format!(
                "{} days where the scenario has {}",
                t.horizon, shape.horizon
            ),
        ));
    }
    summaries("tally.metrics", &t.metrics, shape.metrics.len(), trials)?;
    for (name, found, expected) in [
        ("tally.sinks", &t.sinks, shape.sinks.len()),
        ("tally.classes", &t.classes, shape.classes.len()),
        ("tally.streams", &t.streams, shape.streams.len()),
        ("tally.staging", &t.staging, shape.staging.len()),
    ] {
        means(name, found, expected, trials)?;
    }
    for (name, found, expected) in [
        ("tally.daily", &t.daily, shape.daily.len()),
        ("tally.fleet_alive", &t.fleet_alive, shape.fleet_alive.len()),
        ("tally.queue", &t.queue, shape.queue.len()),
    ] {
        days(name, found, expected, trials)?;
    }
    let edges = shape.edge_attacks.len();
    length(|| "tally.edge_attacks".into(), t.edge_attacks.len(), edges)?;
    length(
        || "tally.edge_tankers_lost".into(),
        t.edge_tankers_lost.len(),
        edges,
    )?;
    Ok(())
}

fn summaries(name: &str, found: &[Summary], expected: usize, n: u64) -> Check {
    length(|| name.into(), found.len(), expected)?;
    for (k, s) in found.iter().enumerate() {
        let at = |part: &str, m: String| damaged(format!("{name}[{k}].{part}"), m);
        s.sum.check(n).map_err(|m| at("sum", m))?;
        s.sketch.check(n).map_err(|m| at("sketch", m))?;
    }
    Ok(())
}

fn means(name: &str, found: &[ExactMean], expected: usize, n: u64) -> Check {
    length(|| name.into(), found.len(), expected)?;
    for (k, s) in found.iter().enumerate() {
        s.check(n).map_err(|m| damaged(format!("{name}[{k}]"), m))?;
    }
    Ok(())
}

fn days(name: &str, found: &[DaySummary], expected: usize, n: u64) -> Check {
    length(|| name.into(), found.len(), expected)?;
    for (k, s) in found.iter().enumerate() {
        let at = |part: &str, m: String| damaged(format!("{name}[{k}].{part}"), m);
        s.sum.check(n).map_err(|m| at("sum", m))?;
        s.sketch.check(n).map_err(|m| at("sketch", m))?;
    }
    Ok(())
}

/// Whether the shards' edge counts and traversals add up without overflowing (each is a
/// plain integer that merging adds).
pub fn check_sums_fit<'a>(tallies: impl Iterator<Item = &'a Tally> + Clone) -> Check {
    let too_large = |field: &str| damaged(field, "counts too large to add up over the shards");
    let total = tallies
        .clone()
        .try_fold(0u64, |a, t| a.checked_add(t.traversals));
    total.ok_or_else(|| too_large("tally.traversals"))?;
    let edges = tallies.clone().next().map_or(0, |t| t.edge_attacks.len());
    type Counts = fn(&Tally) -> &[u64];
    let pick: [(&str, Counts); 2] = [
        ("tally.edge_attacks", |t| &t.edge_attacks),
        ("tally.edge_tankers_lost", |t| &t.edge_tankers_lost),
    ];
    for (field, counts) in pick {
        for e in 0..edges {
            let total = tallies
                .clone()
                .try_fold(0u64, |a, t| a.checked_add(*counts(t).get(e)?));
            total.ok_or_else(|| too_large(&format!("{field}[{e}]")))?;
        }
    }
    Ok(())
}
