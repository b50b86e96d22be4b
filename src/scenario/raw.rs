//! Stage one: the scenario file exactly as written, read by serde with unknown keys rejected.
//! Optional keys are `Option`s so that stage two knows what the user left out; the same
//! structs, filled in, serialize the resolved `scenario.toml` of a run.

use std::collections::BTreeMap;

use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use crate::network::{RawEdge, RawNode};
use crate::source::Seg;

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawScenario {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    pub horizon_days: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start_date: Option<toml::Value>,
    pub network: RawNetworkRef,
    pub sink: RawSinks,
    #[serde(default)]
    pub price: RawPrice,
    #[serde(default)]
    pub defaults: RawDefaults,
    #[serde(default)]
    pub attack: RawAttack,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub escort: BTreeMap<String, RawEscort>,
    #[serde(default)]
    pub convoy: Vec<RawConvoy>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub threat: Vec<RawThreat>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub closure: Vec<RawClosure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub random_closure: Vec<RawRandomClosure>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub staging: Vec<RawStaging>,
}

/// `[network]`: exactly one of `builtin`, `file` (TOML or GeoJSON), the CSV pair `nodes`
/// and `edges`, or inline `node`/`edge` arrays.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawNetworkRef {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub builtin: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nodes: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edges: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub node: Option<Vec<RawNode>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub edge: Option<Vec<RawEdge>>,
}

/// One `[sink]` table or a list of `[[sink]]` tables (MODEL.md section 6).
#[derive(Debug, Clone, Serialize)]
#[serde(untagged)]
pub enum RawSinks {
    One(RawSink),
    Many(Vec<RawSink>),
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSink {
    pub node: String,
    pub initial_stock_litres: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_litres: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_demand_litres: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unload_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demand: Option<Vec<RawDemand>>,
}

/// `[[sink.demand]]`: one class of users of a sink.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDemand {
    pub name: String,
    pub litres_per_day: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub street: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ration: Option<Vec<RawRation>>,
}

/// One ration tier `{ below_days = b, share = σ }`.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawRation {
    pub below_days: f64,
    pub share: f64,
}

impl RawSinks {
    /// The sinks in file order (one for a `[sink]` table).
    pub fn list(&self) -> &[RawSink] {
        match self {
            RawSinks::One(sink) => std::slice::from_ref(sink),
            RawSinks::Many(list) => list,
        }
    }

    pub fn list_mut(&mut self) -> &mut [RawSink] {
        match self {
            RawSinks::One(sink) => std::slice::from_mut(sink),
            RawSinks::Many(list) => list,
        }
    }

    /// The path of sink `i` in the file: `sink` for a table, `sink[i]` in a list.
    pub fn path(&self, i: usize) -> Vec<Seg<'static>> {
        match self {
            RawSinks::One(_) => vec![Seg::Key("sink")],
            RawSinks::Many(_) => vec![Seg::Key("sink"), Seg::Index(i)],
        }
    }
}

impl<'de> Deserialize<'de> for RawSinks {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Sinks;
        impl<'de> Visitor<'de> for Sinks {
            type Value = RawSinks;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a [sink] table or a list of [[sink]] tables")
            }

            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<RawSinks, A::Error> {
                RawSink::deserialize(MapAccessDeserializer::new(map)).map(RawSinks::One)
            }

            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<RawSinks, A::Error> {
                Vec::deserialize(SeqAccessDeserializer::new(seq)).map(RawSinks::Many)
            }
        }
        deserializer.deserialize_any(Sinks)
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawPrice {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub base_price: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub elasticity: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cap_multiple: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_days: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawDefaults {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_km_per_day: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tanker_litres: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_km_per_attack: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAttack {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_alpha: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_beta: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seize_prob: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_exponent: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size_ref: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawEscort {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attack_mult: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub loss_mult: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_km_per_day: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seize_mult: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConvoy {
    pub name: String,
    pub from: String,
    pub tankers: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_day: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_day: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub every_days: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub escort: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speed_km_per_day: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tanker_litres: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_km_per_attack: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fleet: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub return_escort: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stage: Option<String>,
}

/// `[[staging]]`: a staging point and its escort units (MODEL.md section 13).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStaging {
    pub node: String,
    pub escort: String,
    pub units: i64,
    pub max_tankers: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_tankers: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_wait_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub turnaround_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk_km_per_attack: Option<f64>,
}

/// What a threat, closure or random closure covers, and when: the fields they share.
/// (Written out in each struct rather than `#[serde(flatten)]`, which would silently turn
/// `deny_unknown_fields` off.)
#[derive(Debug, Clone, Copy)]
pub struct RawCover<'a> {
    pub edges: &'a [String],
    pub corridors: &'a [String],
    pub direction: Option<&'a str>,
    pub from_day: Option<i64>,
    pub to_day: Option<i64>,
}

macro_rules! covered_entry {
    ($(#[$doc:meta])* $name:ident { $($(#[$fattr:meta])* $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Default, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub edges: Vec<String>,
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub corridors: Vec<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub direction: Option<String>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub from_day: Option<i64>,
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub to_day: Option<i64>,
            $($(#[$fattr])* pub $field: $ty,)*
        }

        impl $name {
            pub fn cover(&self) -> RawCover<'_> {
                RawCover {
                    edges: &self.edges,
                    corridors: &self.corridors,
                    direction: self.direction.as_deref(),
                    from_day: self.from_day,
                    to_day: self.to_day,
                }
            }
        }
    };
}

covered_entry!(
    /// `[[threat]]`: a hazard of attacks per 100 km on the covered edges.
    RawThreat { attacks_per_100km: f64 }
);
covered_entry!(
    /// `[[closure]]`: the covered edges are closed on the days given.
    RawClosure {}
);
covered_entry!(
    /// `[[random_closure]]`: closures that start at random on each covered edge.
    RawRandomClosure { per_day: f64, mean_days: f64 }
);
