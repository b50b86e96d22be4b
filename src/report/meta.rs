//! What a run's results do not say about it: when it ran, how long it took, on how many
//! threads, with which version, and a hash of the scenario it ran. These vary between runs
//! of the same scenario, seed and trials, so they live in `run.json` and the report, never
//! in `summary.json`, `daily.csv` or `results.json`.

use std::io::ErrorKind;
use std::path::Path;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::calendar::Date;
use crate::error::{InputError, Result};
use crate::input_file::{MAX_META_BYTES, read_bounded};

/// `run.json`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMeta {
    /// The version of corridor that ran the trials.
    pub corridor_version: String,
    /// SHA-256 of the resolved scenario text (the run's `scenario.toml`), in hex.
    pub scenario_sha256: String,
    /// When the run started, in UTC: `2025-11-21 06:07:08 UTC`.
    pub started_utc: String,
    /// Wall time of the trials, in seconds.
    pub wall_seconds: f64,
    pub threads: usize,
}

impl RunMeta {
    pub const FILE: &'static str = "run.json";

    pub fn new(
        resolved_scenario: &str,
        started: SystemTime,
        wall_seconds: f64,
        threads: usize,
    ) -> RunMeta {
        RunMeta {
            corridor_version: env!("CARGO_PKG_VERSION").to_string(),
            scenario_sha256: sha256_hex(resolved_scenario.as_bytes()),
            started_utc: utc_timestamp(started),
            wall_seconds,
            threads,
        }
    }

    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).expect("run metadata serializes");
        text.push('\n');
        text
    }

    /// Reads `run.json` from a run's folder; `None` if the run did not write one.
    pub fn read(dir: &Path) -> Result<Option<RunMeta>> {
        let path = dir.join(Self::FILE);
        if std::fs::symlink_metadata(&path).is_err_and(|e| e.kind() == ErrorKind::NotFound) {
            return Ok(None);
        }
        let bytes = read_bounded(&path, "run.json", MAX_META_BYTES)?;
        let meta: RunMeta = serde_json::from_slice(&bytes).map_err(|e| InputError {
            origin: path.display().to_string(),
            position: Some((e.line(), e.column())),
            message: format!("not the run.json of a corridor run: {e}"),
        })?;
        crate::readback::check_meta(&meta)
            .map_err(|d| d.refusal(&path, "run.json", "run the scenario again"))?;
        Ok(Some(meta))
    }
}

/// The SHA-256 of `bytes` in lower-case hex, as `sha256sum` prints it.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// `2025-11-21 06:07:08 UTC`.
pub fn utc_timestamp(t: SystemTime) -> String {
    let secs = t
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let (days, rest) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    format!(
        "{} {:02}:{:02}:{:02} UTC",
        Date(days),
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn hashes_and_timestamps_are_standard() {
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        let t = SystemTime::UNIX_EPOCH + Duration::from_secs(1_763_705_228);
        assert_eq!(utc_timestamp(t), "2025-11-21 06:07:08 UTC");
    }

    #[test]
    fn run_json_round_trips() {
        let meta = RunMeta::new("name = \"x\"\n", SystemTime::UNIX_EPOCH, 1.5, 2);
        let back: RunMeta = serde_json::from_str(&meta.to_json()).unwrap();
        assert_eq!(back, meta);
        assert_eq!(back.started_utc, "1970-01-01 00:00:00 UTC");
    }
}
