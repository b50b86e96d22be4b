//! `[network]`: a built-in network, a network file beside the scenario, or inline tables.

use super::*;

pub(super) fn load_network(
    raw: &RawScenario,
    src: &TomlSource,
    dir: Option<&Path>,
) -> Result<(RoadNetwork, NetworkOrigin), InputError> {
    let n = &raw.network;
    let inline = n.node.is_some() || n.edge.is_some();
    let chosen =
        usize::from(n.builtin.is_some()) + usize::from(n.file.is_some()) + usize::from(inline);
    if chosen != 1 {
        return Err(src.error(
            &["network".into()],
            "[network] needs exactly one of: builtin = \"mali\", file = \"path.toml\", or inline [[network.node]] and [[network.edge]] tables",
        ));
    }
    if n.name.is_some() && !inline {
        return Err(src.error(
            &["network".into(), "name".into()],
            "[network] name is only for an inline network",
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
        let path = dir.map_or_else(|| Path::new(file).to_path_buf(), |d| d.join(file));
        let net_src = read_toml(&path, "network").map_err(|e| {
            if e.position.is_some() {
                e
            } else {
                src.error(
                    &["network".into(), "file".into()],
                    format!("[network] file = \"{file}\": {}: {}", e.origin, e.message),
                )
            }
        })?;
        let raw: RawNetworkFile = net_src.parse()?;
        super::text::check_network(&raw, &net_src, &[])?;
        return Ok((
            RoadNetwork::from_raw(&raw, &net_src, &[])?,
            NetworkOrigin::File(file.into()),
        ));
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
