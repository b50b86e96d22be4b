//! Every string a scenario file holds, bounded in length and in the characters it may hold
//! (`names`), before any other rule looks at it. The network's own strings are checked
//! where the network is built (`network`), for files and inline tables alike.

use super::*;
use crate::names::{self, MAX_CURRENCY, MAX_LABEL, MAX_NAME, MAX_PATH, MAX_TEXT, Text};

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
    check(
        &["sink".into(), "node".into()],
        "[sink] node",
        &raw.sink.node,
        name,
    )?;
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
