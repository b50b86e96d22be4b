//! Scenario variants with some numeric fields changed. A variant edits the scenario as its
//! author wrote it, not the resolved form, so that what is inherited stays inherited: a new
//! `defaults.tanker_litres` still reaches every convoy that does not set its own. The edited
//! text is validated like any file, so a value that breaks a rule gets that rule's message.

use std::path::{Path, PathBuf};

use toml::Value;

use super::path::FieldPath;
use crate::builtin;
use crate::error::{Error, InputError};
use crate::scenario::{Scenario, read_toml};
use crate::source::TomlSource;

/// A validated scenario together with the TOML it was written as.
#[derive(Debug, Clone)]
pub struct WrittenScenario {
    pub scenario: Scenario,
    /// The file as written.
    written: Value,
    /// `Scenario::to_raw`: every default filled in, the network inline.
    resolved: Value,
    /// Where a `[network] file` is looked for.
    dir: Option<PathBuf>,
}

impl WrittenScenario {
    /// Validates scenario text; `dir` is where a `[network] file` is looked for.
    pub fn from_source(src: &TomlSource, dir: Option<&Path>) -> Result<Self, InputError> {
        let scenario = Scenario::from_source(src, dir)?;
        let written = src.parse::<Value>()?;
        let resolved = Value::try_from(scenario.to_raw()).expect("a resolved scenario serializes");
        Ok(WrittenScenario {
            scenario,
            written,
            resolved,
            dir: dir.map(Path::to_path_buf),
        })
    }

    /// Loads a scenario file, or the built-in default scenario without one.
    pub fn load(path: Option<&Path>) -> Result<Self, Error> {
        let Some(path) = path else {
            let src = TomlSource::new(builtin::DEFAULT_SCENARIO_ORIGIN, builtin::DEFAULT_SCENARIO);
            return Ok(WrittenScenario::from_source(&src, None)?);
        };
        let src = read_toml(path, "scenario")?;
        Ok(WrittenScenario::from_source(&src, path.parent())?)
    }

    /// A field's value: as written, or else as inherited (None if it is unset either way,
    /// like a convoy's own speed or a fleet).
    pub fn value(&self, path: &FieldPath) -> Option<f64> {
        path.read(&self.written)
            .or_else(|| path.read(&self.resolved))
    }

    /// The scenario with each field set to its value, validated. An invalid result is an
    /// error about `--set` that quotes the rule it breaks.
    pub fn variant(&self, changes: &[(&FieldPath, f64)]) -> Result<Scenario, InputError> {
        self.variant_without(changes, &[])
    }

    /// [`Self::variant`] with the `[[staging]]` points at the nodes `dropped` removed, and
    /// their streams driving straight to their sink (`corridor optimize`, a point given no
    /// escort unit).
    pub fn variant_without(
        &self,
        changes: &[(&FieldPath, f64)],
        dropped: &[&str],
    ) -> Result<Scenario, InputError> {
        let mut edited = self.written.clone();
        let network = &self.resolved["network"];
        for (path, value) in changes {
            path.write(&mut edited, *value, network);
        }
        // Dropped last: a path may name a staging point by its place in the list.
        let gone = |v: &Value, key: &str| {
            v.get(key)
                .and_then(Value::as_str)
                .is_some_and(|n| dropped.contains(&n))
        };
        if let Some(points) = edited.get_mut("staging").and_then(Value::as_array_mut) {
            points.retain(|p| !gone(p, "node"));
        }
        if let Some(convoys) = edited.get_mut("convoy").and_then(Value::as_array_mut) {
            for c in convoys.iter_mut() {
                if gone(c, "stage")
                    && let Some(t) = c.as_table_mut()
                {
                    t.remove("stage");
                }
            }
        }
        let text = toml::to_string(&edited).expect("a scenario value serializes");
        Scenario::from_source(&TomlSource::new("--set", text), self.dir.as_deref()).map_err(|e| {
            let assigned: Vec<String> = changes
                .iter()
                .map(|(p, v)| format!("{} = {}", p.text, crate::names::compact(*v)))
                .collect();
            let message = format!(
                "{} makes the scenario invalid: {}",
                assigned.join(" with "),
                e.message
            );
            InputError::flag("--set", message)
        })
    }
}
