//! Stage one: the scenario file exactly as written, read by serde with unknown keys rejected.
//! Optional keys are `Option`s so that stage two knows what the user left out; the same
//! structs, filled in, serialize the resolved `scenario.toml` of a run.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::network::{RawEdge, RawNode};

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
    pub sink: RawSink,
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

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawSink {
    pub node: String,
    pub initial_stock_litres: f64,
    pub daily_demand_litres: f64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unload_days: Option<f64>,
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
