//! A run split across machines: shard I of K runs a fixed, contiguous share of the trial
//! indices and saves its exact tally in a versioned, self-describing partial-result file;
//! merging the K files gives exactly the tally, and so the output folder, that one machine
//! running all N trials would have written.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::cli::MAX_TRIALS;
use crate::error::{Error, InputError, Result, one_line};
use crate::input_file::{MAX_RESULTS_BYTES, read_bounded};
use crate::report::meta::sha256_hex;
use crate::scenario::read_toml;
use crate::sim::model::Model;
use crate::sim::run::Tally;

pub const PARTIAL_FILE: &str = "partial.json";
pub const FORMAT: &str = "corridor-partial";
pub const VERSION: u32 = 2;

/// `--shard I/K`: shard `index` (0-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    pub index: u64,
    pub count: u64,
}

impl ShardSpec {
    /// Parses `I/K` with 0 <= I < K, or `auto`: the shard the batch scheduler gave this
    /// task, read from its variables (see [`crate::scheduler`]).
    pub fn parse(text: &str) -> Result<ShardSpec, String> {
        if text.trim() == "auto" {
            return crate::scheduler::shard_from_env(|name| std::env::var(name).ok());
        }
        let usage = "write it as I/K, 0-based: --shard 0/4 ... --shard 3/4, or --shard auto";
        let (i, k) = text
            .split_once('/')
            .ok_or_else(|| format!("\"{text}\" is not a shard; {usage}"))?;
        let (index, count): (u64, u64) = match (i.trim().parse(), k.trim().parse()) {
            (Ok(i), Ok(k)) => (i, k),
            _ => return Err(format!("\"{text}\" is not a shard; {usage}")),
        };
        if count == 0 || index >= count {
            return Err(format!(
                "shard {index}/{count} does not exist: the index counts from 0 to {}; {usage}",
                count.max(1) - 1
            ));
        }
        Ok(ShardSpec { index, count })
    }

    /// The trial indices of this shard among `trials`: [first, first + len).
    pub fn range(self, trials: u64) -> (u64, u64) {
        let at = |i: u64| (u128::from(i) * u128::from(trials) / u128::from(self.count)) as u64;
        let (first, end) = (at(self.index), at(self.index + 1));
        (first, end - first)
    }
}

/// The content of `partial.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PartialResult {
    pub format: String,
    pub version: u32,
    pub corridor: String,
    pub scenario: String,
    /// SHA-256 of the resolved `scenario.toml` saved beside it.
    pub scenario_sha256: String,
    pub seed: u64,
    /// Trials of the whole run.
    pub trials: u64,
    pub shard: ShardSpec,
    pub first_trial: u64,
    pub shard_trials: u64,
    pub tally: Tally,
}

/// One shard's folder, read and checked against its own scenario.
pub struct LoadedShard {
    pub dir: PathBuf,
    pub partial: PartialResult,
    pub resolved: String,
}

pub fn read_shard(dir: &Path) -> Result<LoadedShard> {
    let origin = dir.join(PARTIAL_FILE).display().to_string();
    let bad = |msg: String| Error::from(InputError::new(origin.clone(), msg));
    let bytes = read_bounded(&dir.join(PARTIAL_FILE), "partial-result", MAX_RESULTS_BYTES)
        .map_err(|e| {
            let why = e
                .message
                .trim_start_matches("cannot read the partial-result file: ");
            bad(format!("cannot read a shard's partial result: {why}"))
        })?;
    // The header first, so that another format or version gets its own message.
    #[derive(Deserialize)]
    struct Header {
        format: Option<String>,
        version: Option<u64>,
        corridor: Option<String>,
    }
    let head: Header =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("not a partial result: {e}")))?;
    if head.format.as_deref() != Some(FORMAT) {
        return Err(bad(format!(
            "not a corridor partial result (no \"format\": \"{FORMAT}\")"
        )));
    }
    if head.version != Some(u64::from(VERSION)) {
        let found = head.version.map_or("none".to_string(), |v| v.to_string());
        return Err(bad(format!(
            "partial-result version {found}; this corridor reads version {VERSION}"
        )));
    }
    // Another version of corridor may draw other random numbers or tally otherwise, so its
    // shards would merge into numbers no single run gives.
    let ours = env!("CARGO_PKG_VERSION");
    if head.corridor.as_deref() != Some(ours) {
        let theirs = head.corridor.as_deref().unwrap_or("an unknown version");
        return Err(bad(format!(
            "written by corridor {}, but this is corridor {ours}; run every shard with the version that merges them",
            one_line(theirs)
        )));
    }
    let partial: PartialResult =
        serde_json::from_slice(&bytes).map_err(|e| bad(format!("damaged partial result: {e}")))?;
    check_counts(&partial).map_err(|msg| bad(format!("damaged partial result: {msg}")))?;
    let resolved = read_toml(&dir.join("scenario.toml"), "scenario")?.text;
    if sha256_hex(resolved.as_bytes()) != partial.scenario_sha256 {
        return Err(bad(
            "scenario.toml beside it is not the scenario this shard ran (its hash differs)".into(),
        ));
    }
    Ok(LoadedShard {
        dir: dir.to_path_buf(),
        partial,
        resolved,
    })
}

/// The counts of a partial result that the merge computes with, checked so that a damaged
/// or tampered file is refused rather than divided by, indexed with or allocated for.
pub fn check_counts(p: &PartialResult) -> Result<(), String> {
    if !(1..=MAX_TRIALS).contains(&p.trials) {
        return Err(format!(
            "a run of {} trials (a run has 1 to {MAX_TRIALS})",
            p.trials
        ));
    }
    let ShardSpec { index, count } = p.shard;
    if count == 0 || index >= count || count > p.trials {
        return Err(format!(
            "shard {index}/{count} of {} trials does not exist",
            p.trials
        ));
    }
    let (first_trial, len) = p.shard.range(p.trials);
    if (p.first_trial, p.shard_trials) != (first_trial, len) {
        return Err(format!(
            "shard {index}/{count} should hold {len} trials from {first_trial}, not {} from {}",
            p.shard_trials, p.first_trial
        ));
    }
    Ok(())
}

/// Checks that the shards are all the shards of one run, once each, and merges their
/// tallies. Returns the merged tally and the first shard (for its scenario and seed).
pub fn merge_shards(shards: &[LoadedShard], model: &Model) -> Result<Tally> {
    let first = shards
        .first()
        .ok_or_else(|| InputError::new("merge", "no shard folders given"))?;
    let p0 = &first.partial;
    let count = p0.shard.count;
    // Shard indices are below `count` (checked on reading), so a map of the ones given never
    // holds more than the shards given, however large a count a file claims.
    let mut seen: std::collections::BTreeMap<u64, &Path> = std::collections::BTreeMap::new();
    for s in shards {
        let p = &s.partial;
        let dir = s.dir.display();
        let differs = |what: &str, a: String, b: String| {
            Error::from(InputError::new(
                "merge",
                format!(
                    "{dir} is from another run: its {what} is {b}, but {} has {a}",
                    first.dir.display()
                ),
            ))
        };
        if p.scenario_sha256 != p0.scenario_sha256 {
            return Err(differs(
                "scenario",
                format!(
                    "\"{}\" ({:.12})",
                    one_line(&p0.scenario),
                    p0.scenario_sha256
                ),
                format!("\"{}\" ({:.12})", one_line(&p.scenario), p.scenario_sha256),
            ));
        }
        if p.seed != p0.seed {
            return Err(differs("seed", p0.seed.to_string(), p.seed.to_string()));
        }
        if p.trials != p0.trials {
            return Err(differs(
                "trial count",
                p0.trials.to_string(),
                p.trials.to_string(),
            ));
        }
        if p.shard.count != count {
            return Err(differs(
                "shard count",
                count.to_string(),
                p.shard.count.to_string(),
            ));
        }
        if let Some(other) = seen.get(&p.shard.index) {
            return Err(InputError::new(
                "merge",
                format!(
                    "shard {}/{count} is given twice: {} and {dir}",
                    p.shard.index,
                    other.display()
                ),
            )
            .into());
        }
        let len = p.shard_trials;
        if p.tally.trials != len {
            return Err(InputError::new(
                "merge",
                format!(
                    "{dir}: shard {}/{count} holds {} trials from {}; it should hold {len} from {} (was it interrupted?)",
                    p.shard.index, p.tally.trials, p.first_trial, p.first_trial
                ),
            )
            .into());
        }
        seen.insert(p.shard.index, &s.dir);
    }
    if (seen.len() as u64) < count {
        // At most a few named: a damaged count could make the list endless.
        let missing = count - seen.len() as u64;
        let named: Vec<String> = (0..count)
            .filter(|i| !seen.contains_key(i))
            .take(10)
            .map(|i| format!("{i}/{count}"))
            .collect();
        let more = if missing > named.len() as u64 {
            format!(" and {} more", missing - named.len() as u64)
        } else {
            String::new()
        };
        return Err(InputError::new(
            "merge",
            format!(
                "missing shard{}: {}{more}",
                if missing == 1 { "" } else { "s" },
                named.join(", ")
            ),
        )
        .into());
    }
    // Each tally, field by field, once the shards are known to be one run's, all there.
    for s in shards {
        let origin = s.dir.join(PARTIAL_FILE);
        crate::readback::check_tally(&s.partial.tally, model, s.partial.shard_trials)
            .map_err(|d| d.refusal(&origin, "partial result", "run this shard again"))?;
    }
    // Beyond the field-by-field checks: every table as the scenario lays it out (sinks,
    // classes, staging points), or the merge would cut them short.
    let empty = Tally::new(model);
    for s in shards {
        if let Some(table) = s.partial.tally.layout_differs(&empty) {
            return Err(InputError::new(
                s.dir.join(PARTIAL_FILE).display().to_string(),
                format!(
                    "damaged partial result: its tally's table `{table}` does not fit its scenario"
                ),
            )
            .into());
        }
    }
    crate::readback::check_sums_fit(shards.iter().map(|s| &s.partial.tally))
        .map_err(|d| InputError::new("merge", format!("the shards' {}: {}", d.field, d.message)))?;
    let mut ordered: Vec<&LoadedShard> = shards.iter().collect();
    ordered.sort_by_key(|s| s.partial.shard.index);
    let mut tally = ordered[0].partial.tally.clone();
    for s in &ordered[1..] {
        tally.merge(&s.partial.tally);
    }
    Ok(tally)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_trials_contiguously_and_completely() {
        for (n, k) in [(10u64, 3u64), (7, 7), (1_000_003, 16), (5, 1)] {
            let mut next = 0;
            for i in 0..k {
                let (first, len) = ShardSpec { index: i, count: k }.range(n);
                assert_eq!(first, next);
                next += len;
            }
            assert_eq!(next, n);
        }
        assert!(
            ShardSpec::parse("3/2")
                .unwrap_err()
                .contains("counts from 0 to 1")
        );
        assert!(ShardSpec::parse("2/2").is_err());
        assert!(ShardSpec::parse("x").unwrap_err().contains("I/K"));
        assert_eq!(
            ShardSpec::parse("1/4"),
            Ok(ShardSpec { index: 1, count: 4 })
        );
    }
}
