//! A network as a GeoJSON FeatureCollection: Point features are nodes, with the node keys
//! as properties and the position as the geometry; LineString features are edges, with the
//! edge keys as properties (the line's shape is not used: roads are drawn straight). The
//! schema `corridor network --format geojson` writes, so a network exported, edited in QGIS
//! and saved comes back as it was. Errors name the feature (counting from 0, like QGIS's
//! feature ids) and the property.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{self, IntoDeserializer, Visitor};
use serde_json::{Map, Value};

use super::{Problem, record_error};
use crate::error::InputError;
use crate::network::{RawNetworkFile, RoadNetwork};
use crate::source::{Locate, Seg, TomlSource};

/// Properties that are not the network's own, read and dropped: the export writes whether
/// a node is the scenario's sink and an edge's `from-to` id, and QGIS may write its feature
/// id, `fid`, when it saves a layer that came from a GeoPackage.
const NOT_NODE_KEYS: [&str; 2] = ["sink", "fid"];
const NOT_EDGE_KEYS: [&str; 2] = ["id", "fid"];

/// Reads and validates a GeoJSON network; `stem` names it when the file does not.
pub fn read(src: &TomlSource, stem: &str) -> Result<RoadNetwork, InputError> {
    let origin = src.origin.as_str();
    let doc: Value = serde_json::from_str(&src.text).map_err(|e| {
        let text = e.to_string();
        let message = text.split(" at line ").next().unwrap_or(&text);
        InputError {
            origin: origin.to_string(),
            position: Some((e.line().max(1), e.column().max(1))),
            message: format!("not valid JSON: {message}"),
        }
    })?;
    let fail = |message: String| InputError::new(origin, message);
    let kind = doc.get("type").and_then(Value::as_str);
    if kind != Some("FeatureCollection") {
        let found = kind.map_or("no \"type\"".to_string(), |k| format!("\"type\": \"{k}\""));
        return Err(fail(format!(
            "not a GeoJSON FeatureCollection ({found}); a network file in GeoJSON holds the nodes as Point features and the edges as LineString features"
        )));
    }
    let Some(features) = doc.get("features").and_then(Value::as_array) else {
        return Err(fail(
            "the FeatureCollection has no \"features\" list".into(),
        ));
    };
    let name = doc.get("name").and_then(Value::as_str).unwrap_or(stem);
    let mut raw = RawNetworkFile {
        name: name.to_string(),
        node: Vec::new(),
        edge: Vec::new(),
    };
    let mut places = Features {
        origin: origin.to_string(),
        nodes: Vec::new(),
        edges: Vec::new(),
    };
    for (i, feature) in features.iter().enumerate() {
        let at = |message: String| fail(format!("feature {i}: {message}"));
        let in_record =
            |(place, message): (String, String)| fail(format!("feature {i}{place}: {message}"));
        let geometry = feature
            .get("geometry")
            .filter(|g| g.is_object())
            .ok_or_else(|| {
                at("has no geometry; a node is a Point and an edge a LineString".into())
            })?;
        let mut props = match feature.get("properties") {
            Some(Value::Object(props)) => props.clone(),
            None | Some(Value::Null) => Map::new(),
            Some(_) => return Err(at("\"properties\" must be an object".into())),
        };
        // An empty attribute is null in GeoJSON (QGIS writes the other layer's fields as
        // null on every feature): it is a key left out, so that its default applies.
        props.retain(|_, v| !v.is_null());
        match geometry.get("type").and_then(Value::as_str) {
            Some("Point") => {
                let (lon, lat) = position(geometry).ok_or_else(|| {
                    at("a Point's coordinates must be [longitude, latitude]".into())
                })?;
                for key in ["lon", "lat"] {
                    if props.contains_key(key) {
                        return Err(in_record((
                            format!(", property \"{key}\""),
                            "a node's position is its Point geometry; remove the property".into(),
                        )));
                    }
                }
                props.retain(|k, _| !NOT_NODE_KEYS.contains(&k.as_str()));
                props.insert("lon".into(), lon.into());
                props.insert("lat".into(), lat.into());
                raw.node.push(record(props, "a node").map_err(in_record)?);
                places.nodes.push(i);
            }
            Some("LineString" | "MultiLineString") => {
                props.retain(|k, _| !NOT_EDGE_KEYS.contains(&k.as_str()));
                raw.edge.push(record(props, "an edge").map_err(in_record)?);
                places.edges.push(i);
            }
            other => {
                let found = other.map_or("no type".to_string(), |t| format!("a {t}"));
                return Err(at(format!(
                    "its geometry is {found}; a node is a Point and an edge a LineString"
                )));
            }
        }
    }
    if raw.node.is_empty() {
        return Err(fail(
            "no Point features: a network needs its nodes as Points and its edges as LineStrings"
                .into(),
        ));
    }
    RoadNetwork::from_raw(&raw, &places, &[])
}

/// A Point's longitude and latitude (a third number, the altitude, is ignored).
fn position(geometry: &Value) -> Option<(f64, f64)> {
    let coordinates = geometry.get("coordinates")?.as_array()?;
    match coordinates.as_slice() {
        [lon, lat, ..] => Some((lon.as_f64()?, lat.as_f64()?)),
        _ => None,
    }
}

/// One feature's properties as a node or an edge; an error says where in the feature it is
/// (`, property "km"`) and what is wrong.
fn record<T: serde::de::DeserializeOwned>(
    props: Map<String, Value>,
    what: &str,
) -> Result<T, (String, String)> {
    let props = MapDeserializer::new(props.into_iter().map(|(k, v)| (k, Property(v))));
    serde_path_to_error::deserialize(props).map_err(|e| {
        let e = record_error(&e, "property", what, &["lon", "lat"]);
        match e.key.filter(|_| e.problem == Problem::Value) {
            Some(key) => (format!(", property \"{key}\""), e.message),
            None => (String::new(), e.message),
        }
    })
}

/// One property's value, read as serde_json reads it, except that text where a list is
/// wanted is split into its items (see [`super::list_items`]): GDAL writes a list as
/// `(2:a,b)` when it passes through a format without lists, and people type `a;b`.
struct Property(Value);

impl<'de> IntoDeserializer<'de, serde_json::Error> for Property {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de> de::Deserializer<'de> for Property {
    type Error = serde_json::Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        self.0.deserialize_any(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Self::Error> {
        match self.0 {
            Value::String(text) => {
                let items = super::list_items(&text)
                    .into_iter()
                    .map(|item| Value::String(item.to_string()));
                visitor.visit_seq(SeqDeserializer::new(items))
            }
            other => other.deserialize_seq(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        unit unit_struct newtype_struct tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

/// Which feature each node and edge came from, to place validation errors.
struct Features {
    origin: String,
    nodes: Vec<usize>,
    edges: Vec<usize>,
}

impl Locate for Features {
    fn error(&self, path: &[Seg<'_>], message: impl Into<String>) -> InputError {
        let message = message.into();
        let place = match path {
            [Seg::Key(list), Seg::Index(i), rest @ ..] => {
                let features = if *list == "node" {
                    &self.nodes
                } else {
                    &self.edges
                };
                let feature = features.get(*i).copied().unwrap_or(*i);
                match rest.first() {
                    Some(Seg::Key("lat" | "lon")) => format!("feature {feature}, geometry"),
                    Some(Seg::Key(key)) => format!("feature {feature}, property \"{key}\""),
                    _ => format!("feature {feature}"),
                }
            }
            _ => return InputError::new(self.origin.clone(), message),
        };
        InputError::new(self.origin.clone(), format!("{place}: {message}"))
    }
}
