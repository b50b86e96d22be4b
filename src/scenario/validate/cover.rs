//! What a threat, closure or random closure covers: edges (`a-b`, `a>b`) and corridor tags
//! resolved, the direction, and the days.

use super::*;

pub(super) fn cover(
    c: &Checker<'_>,
    net: &RoadNetwork,
    table: &'static str,
    i: usize,
    raw: RawCover<'_>,
    horizon: u32,
) -> Result<Cover, InputError> {
    let path = |key: &'static str| [Seg::Key(table), Seg::Index(i), Seg::Key(key)];
    let ctx = format!("{table}[{i}]");
    let mut ways: BTreeMap<usize, Ways> = BTreeMap::new();
    for (j, reference) in raw.edges.iter().enumerate() {
        let (e, w) = net.resolve_edge_ref(reference).map_err(|msg| {
            c.err(
                &[
                    Seg::Key(table),
                    Seg::Index(i),
                    Seg::Key("edges"),
                    Seg::Index(j),
                ],
                format!("{ctx}: {msg}"),
            )
        })?;
        ways.entry(e).or_insert(Ways(0)).0 |= w.0;
    }
    for (j, tag) in raw.corridors.iter().enumerate() {
        let Some(edges) = net.corridor(tag) else {
            let known: Vec<&str> = net.corridor_tags().collect();
            return Err(c.err(
                &[
                    Seg::Key(table),
                    Seg::Index(i),
                    Seg::Key("corridors"),
                    Seg::Index(j),
                ],
                format!(
                    "{ctx}: corridor \"{tag}\" is not a tag of any edge{}; tags: {}",
                    did_you_mean(tag, known.iter().copied()),
                    known.join(", ")
                ),
            ));
        };
        for &e in edges {
            ways.insert(e, Ways::BOTH);
        }
    }
    if ways.is_empty() {
        return Err(c.err(
            &[Seg::Key(table), Seg::Index(i)],
            format!("{ctx} covers no edge; give edges = [...] and/or corridors = [...]"),
        ));
    }
    let direction = match raw.direction.unwrap_or("both") {
        "both" => Direction::Both,
        "inbound" => Direction::Inbound,
        "outbound" => Direction::Outbound,
        other => {
            return Err(c.err(
                &path("direction"),
                format!(
                    "{ctx}: direction = \"{other}\" is not valid; use \"inbound\" (loaded, to the sink), \"outbound\" (empty returns) or \"both\"{}",
                    did_you_mean(other, ["inbound", "outbound", "both"])
                ),
            ));
        }
    };
    let from_day = c.whole(
        &path("from_day"),
        &format!("{ctx} from_day"),
        raw.from_day.unwrap_or(0),
        0,
        i64::from(horizon) - 1,
        &format!(" (the horizon is {horizon} days, so a later day never comes)"),
    )?;
    let to_day = c.whole(
        &path("to_day"),
        &format!("{ctx} to_day"),
        raw.to_day.unwrap_or(i64::from(horizon)),
        i64::from(from_day) + 1,
        MAX_DAY_FIELD,
        " (exclusive, after from_day)",
    )?;
    Ok(Cover {
        edge_refs: raw.edges.to_vec(),
        corridors: raw.corridors.to_vec(),
        direction,
        edges: ways.into_iter().collect(),
        from_day,
        to_day,
    })
}
