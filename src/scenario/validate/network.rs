//! `[network]`: a built-in network, a network file beside the scenario (TOML or GeoJSON),
//! a pair of CSV files (nodes and edges), or inline tables.

use super::*;
use crate::import;
use crate::source::TomlSource;

const CHOICES: &str = "[network] needs exactly one of: builtin = \"mali\", file = \"path.toml\" or \"path.geojson\", the CSV pair nodes = \"nodes.csv\" and edges = \"edges.csv\", or inline [[network.node]] and [[network.edge]] tables";

pub(super) fn load_network(
    raw: &RawScenario,
    src: &TomlSource,
    dir: Option<&Path>,
) -> Result<(RoadNetwork, NetworkOrigin), InputError> {
    let n = &raw.network;
    let inline = n.node.is_some() || n.edge.is_some();
    let csv = n.nodes.is_some() || n.edges.is_some();
    let chosen = usize::from(n.builtin.is_some())
        + usize::from(n.file.is_some())
        + usize::from(csv)
        + usize::from(inline);
    if chosen != 1 {
        return Err(src.error(&["network".into()], CHOICES));
    }
    if n.name.is_some() && !inline && !csv {
        return Err(src.error(
            &["network".into(), "name".into()],
            "[network] name is only for an inline network or a CSV pair; a network file names itself",
        ));
    }
    if let Some(name) = &n.builtin {
        let Some((origin, text)) = builtin::network(name) else {
            return Err(src.error(
                &["network".into(), "builtin".into()],
                format!(
                    "[network] builtin = \"{name}\" is not a built-in network; built in: {}{}",
                    builtin::NETWORK_NAMES.join(", "),
                    did_you_mean(name, builtin::NETWORK_NAMES)
                ),
            ));
        };
        let net = RoadNetwork::from_source(&TomlSource::new(origin, text))?;
        return Ok((net, NetworkOrigin::Builtin(name.clone())));
    }
    if let Some(file) = &n.file {
        let net = match Format::of(file) {
            Format::Toml => {
                let net_src = read_beside(src, dir, "file", file)?;
                let raw: RawNetworkFile = net_src.parse()?;
                super::text::check_network(&raw, &net_src, &[])?;
                RoadNetwork::from_raw(&raw, &net_src, &[])?
            }
            Format::GeoJson => {
                let net =
                    import::geojson::read(&read_beside(src, dir, "file", file)?, &stem(file))?;
                super::text::check_network(&net.to_raw(), src, &["network".into(), "file".into()])?;
                net
            }
            Format::Csv => {
                return Err(src.error(
                    &["network".into(), "file".into()],
                    format!(
                        "[network] file = \"{file}\": a CSV network is two files; write nodes = \"{file}\" and edges = \"...csv\" instead of file"
                    ),
                ));
            }
            Format::Gis(ext) => {
                return Err(src.error(
                    &["network".into(), "file".into()],
                    format!(
                        "[network] file = \"{file}\": corridor does not read .{ext} files; export the layer as GeoJSON (in QGIS: Export > Save Features As..., format GeoJSON) or write the network in TOML"
                    ),
                ));
            }
        };
        return Ok((net, NetworkOrigin::File(file.into())));
    }
    if csv {
        let (Some(nodes), Some(edges)) = (&n.nodes, &n.edges) else {
            let (given, other) = if n.nodes.is_some() {
                ("nodes", "edges")
            } else {
                ("edges", "nodes")
            };
            return Err(src.error(
                &["network".into(), given.into()],
                format!(
                    "[network] {given} needs {other} = \"...csv\" too: a CSV network is a nodes file and an edges file"
                ),
            ));
        };
        let name = n.name.clone().unwrap_or_else(|| csv_name(nodes));
        let net = import::csv::read(
            &read_beside(src, dir, "nodes", nodes)?,
            &read_beside(src, dir, "edges", edges)?,
            &name,
        )?;
        super::text::check_network(&net.to_raw(), src, &["network".into(), "nodes".into()])?;
        let origin = NetworkOrigin::CsvFiles {
            nodes: nodes.into(),
            edges: edges.into(),
        };
        return Ok((net, origin));
    }
    let inline = RawNetworkFile {
        name: n
            .name
            .clone()
            .unwrap_or_else(|| format!("{}-network", raw.name)),
        node: n.node.clone().unwrap_or_default(),
        edge: n.edge.clone().unwrap_or_default(),
    };
    super::text::check_network(&inline, src, &["network".into()])?;
    Ok((
        RoadNetwork::from_raw(&inline, src, &["network".into()])?,
        NetworkOrigin::Inline,
    ))
}

/// What a network file is, by its extension. Anything unknown is read as TOML, as before
/// other formats were read.
enum Format {
    Toml,
    GeoJson,
    Csv,
    /// A GIS format that must be exported to GeoJSON first.
    Gis(String),
}

impl Format {
    fn of(file: &str) -> Format {
        let ext = Path::new(file)
            .extension()
            .map(|e| e.to_string_lossy().to_ascii_lowercase())
            .unwrap_or_default();
        match ext.as_str() {
            "geojson" | "json" => Format::GeoJson,
            "csv" => Format::Csv,
            "shp" | "dbf" | "gpkg" | "kml" | "kmz" | "gpx" | "gml" | "osm" | "pbf" | "fgb"
            | "sqlite" | "tab" | "mif" => Format::Gis(ext),
            _ => Format::Toml,
        }
    }
}

/// A file named by `[network] key = "file"`, read relative to the scenario's folder. An
/// error without a place in the file (it is missing, say) is placed at the key instead.
fn read_beside(
    src: &TomlSource,
    dir: Option<&Path>,
    key: &str,
    file: &str,
) -> Result<TomlSource, InputError> {
    let path = dir.map_or_else(|| Path::new(file).to_path_buf(), |d| d.join(file));
    read_toml(&path, "network").map_err(|e| {
        if e.position.is_some() {
            e
        } else {
            src.error(
                &["network".into(), key.into()],
                format!("[network] {key} = \"{file}\": {}: {}", e.origin, e.message),
            )
        }
    })
}

fn stem(file: &str) -> String {
    Path::new(file).file_stem().map_or_else(
        || "network".to_string(),
        |s| s.to_string_lossy().into_owned(),
    )
}

/// A CSV network's name, from its nodes file: `mali-nodes.csv` is "mali".
fn csv_name(nodes: &str) -> String {
    let stem = stem(nodes);
    let name = ["-nodes", "_nodes", " nodes"]
        .iter()
        .find_map(|suffix| stem.strip_suffix(suffix))
        .unwrap_or(&stem);
    if name.is_empty() {
        "network".to_string()
    } else {
        name.to_string()
    }
}
