//! Every string a scenario file and its network hold, bounded in length and in the
//! characters they may hold (`names`), before any other rule looks at them.

use super::*;
use crate::names::{self, MAX_CURRENCY, MAX_LABEL, MAX_NAME, MAX_PATH, MAX_TEXT, Text};
use crate::network::join;

/// An edge reference: two node ids and the sign between them.
const MAX_EDGE_REF: usize = 2 * MAX_NAME + 1;

pub(super) fn check_texts(raw: &RawScenario, src: &TomlSource) -> Result<(), InputError> {
    let check = |path: &[Seg<'_>], label: &str, value: &str, text: Text| {
        names::check(src, path, label, value, text)
    };
    let name = Text::Line(MAX_NAME);
    check(&["name".into()], "name", &raw.name, name)?;
    if let Some(d) = &raw.description {
        check(
            &["description".into()],
            "description",
            d,
            Text::Prose(MAX_TEXT),
        )?;
    }
    let n = &raw.network;
    let at = |key: &'static str| [Seg::Key("network"), Seg::Key(key)];
    let optional = [
        (&n.builtin, "builtin", name),
        (&n.file, "file", Text::Line(MAX_PATH)),
        (&n.name, "name", Text::Line(MAX_LABEL)),
    ];
    for (value, key, text) in optional {
        if let Some(v) = value {
            check(&at(key), &format!("[network] {key}"), v, text)?;
        }
    }
    for (i, sink) in raw.sink.list().iter().enumerate() {
        let base = raw.sink.path(i);
        let label = if base.len() == 1 {
            "[sink]".to_string()
        } else {
            format!("sink[{i}]")
        };
        let node_path = join(&base, &["node".into()]);
        check(&node_path, &format!("{label} node"), &sink.node, name)?;
        for (k, class) in sink.demand.iter().flatten().enumerate() {
            let path = join(&base, &["demand".into(), k.into(), "name".into()]);
            check(
                &path,
                &format!("{label} demand[{k}] name"),
                &class.name,
                name,
            )?;
        }
    }
    for (i, point) in raw.staging.iter().enumerate() {
        let at = |key: &'static str| [Seg::Key("staging"), Seg::Index(i), Seg::Key(key)];
        let label = |key: &str| format!("staging[{i}] {key}");
        check(&at("node"), &label("node"), &point.node, name)?;
        check(&at("escort"), &label("escort"), &point.escort, name)?;
        for (value, key) in [(&point.to, "to"), (&point.routing, "routing")] {
            if let Some(v) = value {
                check(&at(key), &label(key), v, name)?;
            }
        }
        for (j, v) in point.via.iter().flatten().enumerate() {
            let path = [
                Seg::Key("staging"),
                Seg::Index(i),
                Seg::Key("via"),
                Seg::Index(j),
            ];
            check(&path, &label("via"), v, name)?;
        }
    }
    if let Some(c) = &raw.price.currency {
        let path = ["price".into(), "currency".into()];
        check(&path, "[price] currency", c, Text::Line(MAX_CURRENCY))?;
    }
    if let Some(r) = &raw.defaults.routing {
        let path = ["defaults".into(), "routing".into()];
        check(&path, "[defaults] routing", r, name)?;
    }
    for level in raw.escort.keys() {
        check(
            &["escort".into(), Seg::Key(level)],
            "escort level",
            level,
            name,
        )?;
    }
    for (i, c) in raw.convoy.iter().enumerate() {
        let at = |key: &'static str| [Seg::Key("convoy"), Seg::Index(i), Seg::Key(key)];
        let label = |key: &str| format!("convoy[{i}] {key}");
        check(&at("name"), &label("name"), &c.name, name)?;
        check(&at("from"), &label("from"), &c.from, name)?;
        for (value, key) in [
            (&c.escort, "escort"),
            (&c.routing, "routing"),
            (&c.return_escort, "return_escort"),
            (&c.to, "to"),
            (&c.stage, "stage"),
        ] {
            if let Some(v) = value {
                check(&at(key), &label(key), v, name)?;
            }
        }
        for (j, v) in c.via.iter().flatten().enumerate() {
            let path = [
                Seg::Key("convoy"),
                Seg::Index(i),
                Seg::Key("via"),
                Seg::Index(j),
            ];
            check(&path, &label("via"), v, name)?;
        }
    }
    let covers = raw
        .threat
        .iter()
        .map(|t| ("threat", t.cover()))
        .chain(raw.closure.iter().map(|c| ("closure", c.cover())))
        .chain(
            raw.random_closure
                .iter()
                .map(|r| ("random_closure", r.cover())),
        );
    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (table, cover) in covers {
        let i = *index.entry(table).and_modify(|i| *i += 1).or_insert(0);
        let lists = [
            ("edges", cover.edges, MAX_EDGE_REF),
            ("corridors", cover.corridors, MAX_NAME),
        ];
        for (key, list, max) in lists {
            for (j, v) in list.iter().enumerate() {
                let path = [Seg::Key(table), Seg::Index(i), Seg::Key(key), Seg::Index(j)];
                check(&path, &format!("{table}[{i}] {key}"), v, Text::Line(max))?;
            }
        }
        if let Some(d) = cover.direction {
            let path = [Seg::Key(table), Seg::Index(i), Seg::Key("direction")];
            check(&path, &format!("{table}[{i}] direction"), d, name)?;
        }
    }
    Ok(())
}

/// Every string of a network (a file's, `base` empty, or inline), bounded in length and
/// characters before `RoadNetwork::from_raw` quotes or looks one up.
pub(super) fn check_network(
    raw: &RawNetworkFile,
    src: &TomlSource,
    base: &[Seg<'_>],
) -> Result<(), InputError> {
    use crate::names::check;
    let (name, label, prose) = (
        Text::Line(MAX_NAME),
        Text::Line(MAX_LABEL),
        Text::Prose(MAX_TEXT),
    );
    // The network's name: inline, the scenario checks `[network] name`.
    if base.is_empty() {
        check(src, &["name".into()], "name", &raw.name, label)?;
    }
    for (i, n) in raw.node.iter().enumerate() {
        let at = |key: &'static str| join(base, &["node".into(), i.into(), key.into()]);
        let fields = [
            ("id", &n.id, name),
            ("name", &n.name, label),
            ("country", &n.country, name),
            ("kind", &n.kind, name),
        ];
        for (key, value, text) in fields {
            check(src, &at(key), &format!("node[{i}] {key}"), value, text)?;
        }
        if let Some(source) = &n.source {
            check(
                src,
                &at("source"),
                &format!("node[{i}] source"),
                source,
                prose,
            )?;
        }
    }
    for (e, edge) in raw.edge.iter().enumerate() {
        let at = |key: &'static str| join(base, &["edge".into(), e.into(), key.into()]);
        let fields = [
            ("from", &edge.from, name),
            ("to", &edge.to, name),
            ("road", &edge.road, label),
        ];
        for (key, value, text) in fields {
            check(src, &at(key), &format!("edge[{e}] {key}"), value, text)?;
        }
        for (k, tag) in edge.corridors.iter().enumerate() {
            let path = join(
                base,
                &["edge".into(), e.into(), "corridors".into(), k.into()],
            );
            check(src, &path, &format!("edge[{e}] corridors"), tag, name)?;
        }
        if let Some(source) = &edge.source {
            check(
                src,
                &at("source"),
                &format!("edge[{e}] source"),
                source,
                prose,
            )?;
        }
    }
    Ok(())
}
