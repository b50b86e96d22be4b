//! Numeric scenario fields named by a path (`price.elasticity`, `convoy[dakar-north].tankers`,
//! `threat[2].attacks_per_100km`, `escort.light.attack_mult`, `edge[kayes-diema].km`),
//! resolved against a validated scenario, with a message naming what is valid when a path
//! is wrong; and `PATH=V1,V2,...` settings. `variant` builds the scenarios they describe.
//! Sinks and their demand classes (`sink[bamako].demand[power].litres_per_day`) are in
//! `sinks`.

mod sinks;

use serde::{Deserialize, Serialize};
use toml::Value;

use crate::error::{InputError, did_you_mean};
use crate::scenario::Scenario;

/// Whether a field takes whole numbers (days, counts) or any number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Whole,
    Number,
}

use Kind::{Number, Whole};

/// The numeric fields of each section, as INTERFACE.md names them.
const SECTIONS: [(&str, &[(&str, Kind)]); 12] = [
    (
        "sink",
        &[
            ("initial_stock_litres", Number),
            ("capacity_litres", Number),
            ("daily_demand_litres", Number),
            ("unload_days", Number),
        ],
    ),
    (
        "price",
        &[
            ("base_price", Number),
            ("elasticity", Number),
            ("cap_multiple", Number),
            ("memory_days", Number),
        ],
    ),
    (
        "defaults",
        &[
            ("speed_km_per_day", Number),
            ("tanker_litres", Number),
            ("risk_km_per_attack", Number),
        ],
    ),
    (
        "attack",
        &[
            ("loss_alpha", Number),
            ("loss_beta", Number),
            ("seize_prob", Number),
            ("size_exponent", Number),
            ("size_ref", Number),
        ],
    ),
    (
        "escort",
        &[
            ("attack_mult", Number),
            ("loss_mult", Number),
            ("seize_mult", Number),
            ("speed_km_per_day", Number),
        ],
    ),
    (
        "convoy",
        &[
            ("tankers", Whole),
            ("first_day", Whole),
            ("last_day", Whole),
            ("every_days", Whole),
            ("fleet", Whole),
            ("speed_km_per_day", Number),
            ("tanker_litres", Number),
            ("risk_km_per_attack", Number),
        ],
    ),
    (
        "threat",
        &[
            ("attacks_per_100km", Number),
            ("from_day", Whole),
            ("to_day", Whole),
        ],
    ),
    ("closure", &[("from_day", Whole), ("to_day", Whole)]),
    (
        "random_closure",
        &[
            ("per_day", Number),
            ("mean_days", Number),
            ("from_day", Whole),
            ("to_day", Whole),
        ],
    ),
    (
        "staging",
        &[
            ("units", Whole),
            ("max_tankers", Whole),
            ("min_tankers", Whole),
            ("max_wait_days", Number),
            ("turnaround_days", Number),
            ("risk_km_per_attack", Number),
        ],
    ),
    (
        "node",
        &[
            ("dwell_days", Number),
            ("load_per_day", Whole),
            ("lat", Number),
            ("lon", Number),
        ],
    ),
    ("edge", &[("km", Number)]),
];

/// The forms a path can take, for messages.
const FORMS: &str = "horizon_days, sink.<key>, sink[<node>].<key>, \
    sink[<node>].demand[<name>].<key>, price.<key>, defaults.<key>, attack.<key>, \
    escort.<level>.<key>, convoy[<name>].<key>, threat[<i>].<key>, closure[<i>].<key>, \
    random_closure[<i>].<key>, staging[<node>].<key>, node[<id>].<key>, edge[<a-b>].km";

/// Where a field lives in the resolved scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Place {
    Top,
    Table(&'static str),
    Escort(String),
    /// An array of tables (`convoy`, `threat`, ...) and an index into it.
    Entry(&'static str, usize),
    /// Sink `i`: the `[sink]` table, or entry `i` of `[[sink]]`.
    Sink(usize),
    /// Demand class `k` of sink `i`.
    Demand(usize, usize),
}

/// A numeric field of a scenario, resolved against that scenario.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    /// As the user wrote it.
    pub text: String,
    place: Place,
    pub field: &'static str,
    pub kind: Kind,
}

impl FieldPath {
    /// Resolves `text` against `scenario`; the error says what is wrong and what is valid.
    pub fn parse(text: &str, scenario: &Scenario) -> Result<FieldPath, String> {
        resolve(text, scenario).map_err(|msg| format!("{text}: {msg}"))
    }

    /// The field's value in a scenario's TOML, or None where it is not written there.
    pub(super) fn read(&self, root: &Value) -> Option<f64> {
        let table = match &self.place {
            Place::Top => root,
            Place::Table(t) => root.get(t)?,
            Place::Escort(level) => root.get("escort")?.get(level)?,
            Place::Entry(section @ ("node" | "edge"), i) => {
                root.get("network")?.get(section)?.get(*i)?
            }
            Place::Entry(section, i) => root.get(section)?.get(*i)?,
            Place::Sink(i) => sinks::sink(root, *i)?,
            Place::Demand(i, k) => sinks::sink(root, *i)?.get("demand")?.get(*k)?,
        };
        let v = table.get(self.field)?;
        v.as_float().or_else(|| v.as_integer().map(|i| i as f64))
    }

    /// Sets the field in a scenario's TOML to `value` (which suits its kind), adding the
    /// tables it needs. A node or edge field first writes `inline_network` (the network as
    /// the resolved scenario holds it) in place of a `builtin` or `file` reference.
    pub(super) fn write(&self, root: &mut Value, value: f64, inline_network: &Value) {
        let v = match self.kind {
            Whole => Value::Integer(value as i64),
            Number => Value::Float(value),
        };
        let root = root.as_table_mut().expect("a scenario is a table");
        let table = match &self.place {
            Place::Top => root,
            Place::Table(t) => table_in(root, t),
            Place::Escort(level) => table_in(table_in(root, "escort"), level),
            Place::Entry(section, i) => {
                let array = if matches!(*section, "node" | "edge") {
                    let network = root
                        .entry("network")
                        .or_insert_with(|| inline_network.clone());
                    if network.get(section).is_none() {
                        *network = inline_network.clone();
                    }
                    network.get_mut(section)
                } else {
                    root.get_mut(*section)
                };
                array
                    .and_then(|a| a.get_mut(*i))
                    .and_then(Value::as_table_mut)
                    .expect("a resolved path names an entry that exists")
            }
            Place::Sink(i) => sinks::sink_mut(root, *i),
            Place::Demand(i, k) => sinks::sink_mut(root, *i)
                .get_mut("demand")
                .and_then(|d| d.get_mut(*k))
                .and_then(Value::as_table_mut)
                .expect("a resolved path names a demand class that exists"),
        };
        table.insert(self.field.to_string(), v);
    }
}

/// The table under `key`, made empty if it is missing.
fn table_in<'t>(parent: &'t mut toml::Table, key: &str) -> &'t mut toml::Table {
    parent
        .entry(key)
        .or_insert_with(|| Value::Table(toml::Table::new()))
        .as_table_mut()
        .expect("a scenario section is a table")
}

/// [`FieldPath::parse`] without the path in front of its messages.
fn resolve(text: &str, scenario: &Scenario) -> Result<FieldPath, String> {
    let mut segs = segments(text)?;
    if segs.len() > 1 && segs[0] == ("network", None) && matches!(segs[1].0, "node" | "edge") {
        segs.remove(0);
    }
    let path = |place: Place, field: &'static str, kind: Kind| FieldPath {
        text: text.to_string(),
        place,
        field,
        kind,
    };
    let (head, key) = segs[0];
    if head == "horizon_days" {
        if key.is_some() || segs.len() > 1 {
            return Err("horizon_days is a number, with nothing inside it".into());
        }
        return Ok(path(Place::Top, "horizon_days", Whole));
    }
    let Some(&(section, fields)) = SECTIONS.iter().find(|(s, _)| *s == head) else {
        let names = SECTIONS.iter().map(|(s, _)| *s).chain(["horizon_days"]);
        return Err(format!(
            "\"{head}\" is not a scenario section{}; a path is one of: {FORMS}",
            did_you_mean(head, names)
        ));
    };
    // escort.<level>.<key> is escort[<level>].<key> written the other way.
    if section == "escort" && key.is_none() && segs.len() == 3 && segs[1].1.is_none() {
        let level = segs.remove(1).0;
        segs[0].1 = Some(level);
    }
    if section == "sink" {
        let (place, field, kind) = sinks::resolve(scenario, &segs, fields)?;
        return Ok(path(place, field, kind));
    }
    let place = match (section, segs[0].1) {
        ("price" | "defaults" | "attack", None) => Place::Table(section),
        ("price" | "defaults" | "attack", Some(_)) => {
            return Err(format!(
                "[{section}] is a single table; write {section}.<key> without [...]"
            ));
        }
        (_, None) => {
            let how = match section {
                "escort" => "escort.<level>.<key>".to_string(),
                "node" => "node[<id>].<key>".to_string(),
                "edge" => "edge[<a-b>].km".to_string(),
                "convoy" => "convoy[<name>].<key>".to_string(),
                "staging" => "staging[<node>].<key>".to_string(),
                _ => format!("{section}[<i>].<key>, counting from 0"),
            };
            return Err(format!("say which {section}: {how}"));
        }
        ("escort", Some(level)) => escort(scenario, level)?,
        (_, Some(key)) => Place::Entry(section, entry(scenario, section, key)?),
    };
    let names: Vec<&str> = fields.iter().map(|(f, _)| *f).collect();
    let Some(&(field, kind)) = segs
        .get(1)
        .and_then(|(f, _)| fields.iter().find(|(name, _)| name == f))
    else {
        let list = names.join(", ");
        return Err(match segs.get(1) {
            None => format!("say which field; numeric fields: {list}"),
            Some((f, _)) => format!(
                "\"{f}\" is not a numeric field of {section}{}; numeric fields: {list}",
                did_you_mean(f, names.iter().copied())
            ),
        });
    };
    if segs[1].1.is_some() || segs.len() > 2 {
        return Err(format!("{field} is a number, with nothing inside it"));
    }
    Ok(path(place, field, kind))
}

/// `a.b[c].d` -> [("a", None), ("b", Some("c")), ("d", None)].
fn segments(text: &str) -> Result<Vec<(&str, Option<&str>)>, String> {
    let mut out = Vec::new();
    let mut rest = text;
    loop {
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let name = &rest[..end];
        if name.is_empty() {
            return Err(format!("a path is one of: {FORMS}"));
        }
        rest = &rest[end..];
        let mut key = None;
        if let Some(inner) = rest.strip_prefix('[') {
            let Some(close) = inner.find(']') else {
                return Err(format!("\"[\" after \"{name}\" is never closed with \"]\""));
            };
            key = Some(inner[..close].trim());
            rest = &inner[close + 1..];
        }
        out.push((name, key));
        match rest.strip_prefix('.') {
            Some(r) => rest = r,
            None if rest.is_empty() => return Ok(out),
            None => return Err(format!("expected \".\" before \"{rest}\"")),
        }
    }
}

fn escort(s: &Scenario, level: &str) -> Result<Place, String> {
    let names: Vec<&str> = s.escorts.iter().map(|e| e.name.as_str()).collect();
    if names.contains(&level) {
        return Ok(Place::Escort(level.to_string()));
    }
    Err(format!(
        "no escort level \"{level}\"{}; levels: {}",
        did_you_mean(level, names.iter().copied()),
        names.join(", ")
    ))
}

/// The index of the entry `key` names in an array section.
fn entry(s: &Scenario, section: &str, key: &str) -> Result<usize, String> {
    let counted = |what: &str, n: usize| -> Result<usize, String> {
        match key.parse::<usize>() {
            Ok(i) if i < n => Ok(i),
            _ if n == 0 => Err(format!("the scenario has no {what}")),
            _ => Err(format!(
                "the scenario has {n} {what}, {section}[0] to {section}[{}]",
                n - 1
            )),
        }
    };
    match section {
        "threat" => counted("threats", s.threats.len()),
        "closure" => counted("closures", s.closures.len()),
        "random_closure" => counted("random closures", s.random_closures.len()),
        "convoy" => {
            let names = s.streams.iter().map(|c| c.name.as_str());
            if let Some(i) = s.stream_index(key) {
                return Ok(i);
            }
            if let Ok(i) = key.parse::<usize>()
                && i < s.streams.len()
            {
                return Ok(i);
            }
            Err(format!(
                "no convoy \"{key}\"{}; convoys: {}",
                did_you_mean(key, names.clone()),
                names.collect::<Vec<_>>().join(", ")
            ))
        }
        "staging" => {
            let ids: Vec<&str> = s
                .staging
                .iter()
                .map(|p| s.network.node(p.node).id.as_str())
                .collect();
            if let Some(i) = ids.iter().position(|&id| id == key) {
                return Ok(i);
            }
            if ids.is_empty() {
                return Err("the scenario has no [[staging]] points".to_string());
            }
            Err(format!(
                "no staging point \"{key}\"{}; staging points: {}",
                did_you_mean(key, ids.iter().copied()),
                ids.join(", ")
            ))
        }
        "node" => s.network.node_index(key).ok_or_else(|| {
            format!(
                "no node \"{key}\"{}",
                did_you_mean(key, s.network.node_ids())
            )
        }),
        "edge" => {
            if key.contains('>') {
                return Err(format!(
                    "edge[{key}]: an edge's km is the same both ways; write edge[a-b]"
                ));
            }
            s.network.resolve_edge_ref(key).map(|(e, _)| e)
        }
        _ => unreachable!("every array section is listed"),
    }
}

/// `PATH=V1,V2,...`: a field and the values to try, in the order given.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub path: FieldPath,
    pub values: Vec<f64>,
}

impl Setting {
    /// Parses one `--set` argument against `scenario`.
    pub fn parse(arg: &str, scenario: &Scenario) -> Result<Setting, InputError> {
        let fail = |msg: String| InputError::flag("--set", msg);
        let Some((path, list)) = arg.split_once('=') else {
            return Err(fail(format!(
                "\"{arg}\" has no \"=\"; write PATH=V1,V2,..., for example price.elasticity=-0.3,-0.5"
            )));
        };
        let path = FieldPath::parse(path.trim(), scenario).map_err(fail)?;
        let mut values = Vec::new();
        for word in list.split(',').map(str::trim) {
            let v = match word.replace('_', "").parse::<f64>() {
                Ok(v) if v.is_finite() => v,
                _ => {
                    return Err(fail(format!(
                        "{}: \"{word}\" is not a number; write PATH=V1,V2,...",
                        path.text
                    )));
                }
            };
            if path.kind == Whole && (v.fract() != 0.0 || v.abs() > 1e15) {
                return Err(fail(format!(
                    "{}: {word} is not a whole number, and {} takes whole numbers",
                    path.text, path.field
                )));
            }
            if values.contains(&v) {
                return Err(fail(format!("{}: {word} is given twice", path.text)));
            }
            values.push(v);
        }
        Ok(Setting { path, values })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_names_and_keys() {
        assert_eq!(
            segments("convoy[dakar.north].tankers").unwrap(),
            [("convoy", Some("dakar.north")), ("tankers", None)]
        );
        assert_eq!(
            segments("escort.light.attack_mult").unwrap(),
            [("escort", None), ("light", None), ("attack_mult", None)]
        );
        assert!(segments("price..elasticity").is_err());
        assert!(segments("threat[1]x").is_err());
    }
}
