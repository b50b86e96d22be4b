//! Stage two: raw scenario -> [`Scenario`]. Every rule of MODEL.md and INTERFACE.md is
//! checked here, once, and every name resolved; each failure is one message that names the
//! key, the rule and the bad value, placed at its line and column.

use std::collections::{BTreeMap, HashSet};
use std::path::Path;

use petgraph::algo::{astar, has_path_connecting};
use petgraph::graph::NodeIndex;

mod convoy;
mod cover;
mod network;
mod sink;
mod staging;
mod text;

use super::raw::{RawConvoy, RawCover, RawScenario};
use super::*;
use crate::error::did_you_mean;
use crate::network::{MAX_DAYS, MAX_KM, RawNetworkFile, join};
use crate::source::Seg;

/// Bounds that keep every sum far from overflow (see `stats`); a scenario beyond them is
/// refused rather than run with absurd numbers.
const MAX_LITRES: f64 = 1.0e15;
const MAX_HORIZON: i64 = 3650;
const MAX_DAY_FIELD: i64 = 1_000_000;
const MAX_TANKERS: i64 = 100_000;
const MAX_FLEET: i64 = 10_000_000;
const MAX_RATE: f64 = 1.0e6;
const MAX_TANKERS_PER_TRIAL: f64 = 1.0e9;
/// Beyond this a convoy-size factor overflows for any real convoy.
const MAX_SIZE_EXPONENT: f64 = 10.0;

/// A rule a number must follow, and how to say it.
#[derive(Clone, Copy)]
enum Rule {
    Positive(f64),
    NonNegative(f64),
    AtLeastOne(f64),
    Negative,
}

impl Rule {
    fn holds(self, v: f64) -> bool {
        v.is_finite()
            && match self {
                Rule::Positive(max) => v > 0.0 && v <= max,
                Rule::NonNegative(max) => (0.0..=max).contains(&v),
                Rule::AtLeastOne(max) => (1.0..=max).contains(&v),
                Rule::Negative => v < 0.0,
            }
    }

    fn describe(self) -> String {
        match self {
            Rule::Positive(max) => format!("must be a number > 0 and <= {}", bound(max)),
            Rule::NonNegative(max) => format!("must be a number from 0 to {}", bound(max)),
            Rule::AtLeastOne(max) => format!("must be a number from 1 to {}", bound(max)),
            Rule::Negative => "must be a number < 0 (demand falls as the price rises)".to_string(),
        }
    }
}

/// A bound as a person reads it: `3650`, `1e15`, `2.74e11`.
fn bound(x: f64) -> String {
    if x < 1e7 {
        return format!("{x}");
    }
    let text = format!("{x:.3e}");
    let (mantissa, exponent) = text.split_once('e').unwrap_or((&text, "0"));
    let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
    format!("{mantissa}e{exponent}")
}

struct Checker<'a> {
    src: &'a TomlSource,
}

impl Checker<'_> {
    fn err(&self, path: &[Seg<'_>], message: impl Into<String>) -> InputError {
        self.src.error(path, message)
    }

    fn number(&self, path: &[Seg<'_>], label: &str, v: f64, rule: Rule) -> Result<f64, InputError> {
        if rule.holds(v) {
            Ok(v)
        } else {
            // As written: `1e308`, not its 309 digits.
            let shown = crate::names::number(self.src.written(path), v);
            Err(self.err(path, format!("{label} = {shown} {}", rule.describe())))
        }
    }

    fn whole(
        &self,
        path: &[Seg<'_>],
        label: &str,
        v: i64,
        lo: i64,
        hi: i64,
        why: &str,
    ) -> Result<u32, InputError> {
        if (lo..=hi).contains(&v) {
            Ok(v as u32)
        } else {
            Err(self.err(
                path,
                format!("{label} = {v} must be a whole number from {lo} to {hi}{why}"),
            ))
        }
    }

    fn node(
        &self,
        net: &RoadNetwork,
        path: &[Seg<'_>],
        label: &str,
        id: &str,
    ) -> Result<usize, InputError> {
        net.node_index(id).ok_or_else(|| {
            self.err(
                path,
                format!(
                    "{label} = \"{id}\" is not a node{}",
                    did_you_mean(id, net.node_ids())
                ),
            )
        })
    }
}

pub(super) fn validate(
    raw: &RawScenario,
    src: &TomlSource,
    dir: Option<&Path>,
) -> Result<Scenario, InputError> {
    let c = Checker { src };
    text::check_texts(raw, src)?;
    let name_ok = !raw.name.is_empty()
        && !raw.name.starts_with('.')
        && raw
            .name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b));
    if !name_ok {
        return Err(c.err(
            &["name".into()],
            format!("name = \"{}\" must use only letters, digits, '-', '_' and '.' (it names the output folder)", raw.name),
        ));
    }
    let horizon = c.whole(
        &["horizon_days".into()],
        "horizon_days",
        raw.horizon_days,
        1,
        MAX_HORIZON,
        " (ten years)",
    )?;
    let start_date = match &raw.start_date {
        None => None,
        Some(toml::Value::String(s)) => Some(Date::parse(s).ok_or_else(|| {
            c.err(
                &["start_date".into()],
                format!("start_date = \"{s}\" is not a date; write it as \"YYYY-MM-DD\""),
            )
        })?),
        Some(toml::Value::Datetime(d)) => Some(Date::parse(&d.to_string()).ok_or_else(|| {
            c.err(
                &["start_date".into()],
                format!("start_date = {d} is not a date; write it as \"YYYY-MM-DD\""),
            )
        })?),
        Some(other) => {
            return Err(c.err(
                &["start_date".into()],
                format!(
                    "start_date must be a date written \"YYYY-MM-DD\", not {}",
                    match other.type_str() {
                        t @ ("integer" | "array") => format!("an {t}"),
                        t => format!("a {t}"),
                    }
                ),
            ));
        }
    };
    let (network, network_origin) = network::load_network(raw, src, dir)?;
    let net = &network;

    let sinks = sink::sinks(&c, net, &raw.sink)?;

    let p = &raw.price;
    let at = |table: &'static str, key: &'static str| [Seg::Key(table), Seg::Key(key)];
    let price = PriceModel {
        base_price: c.number(
            &at("price", "base_price"),
            "[price] base_price",
            p.base_price.unwrap_or(775.0),
            Rule::Positive(1e9),
        )?,
        currency: match p.currency.as_deref().unwrap_or("XOF") {
            "" => {
                return Err(c.err(
                    &at("price", "currency"),
                    "[price] currency must not be empty",
                ));
            }
            cur => cur.to_string(),
        },
        elasticity: c.number(
            &at("price", "elasticity"),
            "[price] elasticity",
            p.elasticity.unwrap_or(-0.4),
            Rule::Negative,
        )?,
        cap_multiple: c.number(
            &at("price", "cap_multiple"),
            "[price] cap_multiple",
            p.cap_multiple.unwrap_or(8.0),
            Rule::AtLeastOne(1e6),
        )?,
        memory_days: c.number(
            &at("price", "memory_days"),
            "[price] memory_days",
            p.memory_days.unwrap_or(1.0),
            Rule::AtLeastOne(MAX_DAYS),
        )?,
    };

    let d = &raw.defaults;
    let defaults = Defaults {
        speed_km_per_day: c.number(
            &at("defaults", "speed_km_per_day"),
            "[defaults] speed_km_per_day",
            d.speed_km_per_day.unwrap_or(300.0),
            Rule::Positive(MAX_KM),
        )?,
        tanker_litres: c.number(
            &at("defaults", "tanker_litres"),
            "[defaults] tanker_litres",
            d.tanker_litres.unwrap_or(46_000.0),
            Rule::Positive(1e6),
        )?,
        routing: routing(
            &c,
            &at("defaults", "routing"),
            "[defaults] routing",
            d.routing.as_deref().unwrap_or("shortest"),
        )?,
        risk_km_per_attack: c.number(
            &at("defaults", "risk_km_per_attack"),
            "[defaults] risk_km_per_attack",
            d.risk_km_per_attack.unwrap_or(0.0),
            Rule::NonNegative(1e9),
        )?,
    };

    let attack = AttackModel {
        loss_alpha: c.number(
            &at("attack", "loss_alpha"),
            "[attack] loss_alpha",
            raw.attack.loss_alpha.unwrap_or(2.0),
            Rule::Positive(1e6),
        )?,
        loss_beta: c.number(
            &at("attack", "loss_beta"),
            "[attack] loss_beta",
            raw.attack.loss_beta.unwrap_or(6.0),
            Rule::Positive(1e6),
        )?,
        seize_prob: c.number(
            &at("attack", "seize_prob"),
            "[attack] seize_prob",
            raw.attack.seize_prob.unwrap_or(0.0),
            Rule::NonNegative(1.0),
        )?,
        size_exponent: c.number(
            &at("attack", "size_exponent"),
            "[attack] size_exponent",
            raw.attack.size_exponent.unwrap_or(0.0),
            Rule::NonNegative(MAX_SIZE_EXPONENT),
        )?,
        size_ref: c.number(
            &at("attack", "size_ref"),
            "[attack] size_ref",
            raw.attack.size_ref.unwrap_or(1.0),
            Rule::Positive(MAX_TANKERS as f64),
        )?,
    };

    let mut escorts = vec![EscortLevel {
        name: "none".into(),
        attack_mult: 1.0,
        loss_mult: 1.0,
        seize_mult: 1.0,
        speed_km_per_day: None,
    }];
    for (name, e) in &raw.escort {
        let path = |key: &'static str| [Seg::Key("escort"), Seg::Key(name), Seg::Key(key)];
        let label = |key: &str| format!("[escort.{name}] {key}");
        let level = EscortLevel {
            name: name.clone(),
            attack_mult: c.number(
                &path("attack_mult"),
                &label("attack_mult"),
                e.attack_mult.unwrap_or(1.0),
                Rule::NonNegative(1e6),
            )?,
            loss_mult: c.number(
                &path("loss_mult"),
                &label("loss_mult"),
                e.loss_mult.unwrap_or(1.0),
                Rule::NonNegative(1e6),
            )?,
            seize_mult: c.number(
                &path("seize_mult"),
                &label("seize_mult"),
                e.seize_mult.unwrap_or(1.0),
                Rule::NonNegative(1e6),
            )?,
            speed_km_per_day: e
                .speed_km_per_day
                .map(|v| {
                    c.number(
                        &path("speed_km_per_day"),
                        &label("speed_km_per_day"),
                        v,
                        Rule::Positive(MAX_KM),
                    )
                })
                .transpose()?,
        };
        if name == "none" {
            escorts[0] = level;
        } else {
            escorts.push(level);
        }
    }

    let staging = staging::staging(&c, net, &raw.staging, &sinks, &escorts, &defaults)?;

    if raw.convoy.is_empty() {
        return Err(c.err(
            &["convoy".into()],
            "the scenario has no [[convoy]]; at least one convoy stream is needed",
        ));
    }
    let mut streams = Vec::with_capacity(raw.convoy.len());
    let mut seen = HashSet::new();
    for (i, rc) in raw.convoy.iter().enumerate() {
        let stream = convoy::convoy(
            &c, net, rc, i, horizon, &sinks, &staging, &escorts, &defaults,
        )?;
        if !seen.insert(stream.name.clone()) {
            return Err(c.err(
                &["convoy".into(), i.into(), "name".into()],
                format!(
                    "convoy name \"{}\" is used twice; stream names must be unique",
                    stream.name
                ),
            ));
        }
        streams.push(stream);
    }

    per_trial_totals(&c, &streams, horizon)?;

    let mut threats = Vec::new();
    for (i, t) in raw.threat.iter().enumerate() {
        let cover = cover::cover(&c, net, "threat", i, t.cover(), horizon)?;
        let path = ["threat".into(), i.into(), "attacks_per_100km".into()];
        let h = c.number(
            &path,
            &format!("threat[{i}] attacks_per_100km"),
            t.attacks_per_100km,
            Rule::NonNegative(MAX_RATE),
        )?;
        threats.push(Threat {
            cover,
            attacks_per_100km: h,
        });
    }
    let mut closures = Vec::new();
    for (i, cl) in raw.closure.iter().enumerate() {
        closures.push(Closure {
            cover: cover::cover(&c, net, "closure", i, cl.cover(), horizon)?,
        });
    }
    let mut random_closures = Vec::new();
    for (i, rc) in raw.random_closure.iter().enumerate() {
        let cover = cover::cover(&c, net, "random_closure", i, rc.cover(), horizon)?;
        let path = |key: &'static str| [Seg::Key("random_closure"), Seg::Index(i), Seg::Key(key)];
        random_closures.push(RandomClosure {
            cover,
            per_day: c.number(
                &path("per_day"),
                &format!("random_closure[{i}] per_day"),
                rc.per_day,
                Rule::NonNegative(1e3),
            )?,
            mean_days: c.number(
                &path("mean_days"),
                &format!("random_closure[{i}] mean_days"),
                rc.mean_days,
                Rule::Positive(1e5),
            )?,
        });
    }

    Ok(Scenario {
        name: raw.name.clone(),
        description: raw.description.clone().unwrap_or_default(),
        horizon_days: horizon,
        start_date,
        network,
        network_origin,
        sinks,
        price,
        defaults,
        attack,
        escorts,
        streams,
        threats,
        closures,
        random_closures,
        staging,
    })
}

/// One trial's totals stay where every count is exact: per-edge counts of tankers are
/// 32-bit, and every litre figure must stay within `MAX_LITRES` for the exact sums.
fn per_trial_totals(c: &Checker<'_>, streams: &[Stream], horizon: u32) -> Result<(), InputError> {
    let tankers = |st: &Stream| st.departure_days(horizon).count() as f64 * f64::from(st.tankers);
    let litres = |st: &Stream| tankers(st) * st.tanker_litres;
    let total_tankers: f64 = streams.iter().map(tankers).sum();
    let total_litres: f64 = streams.iter().map(litres).sum();
    if total_tankers <= MAX_TANKERS_PER_TRIAL && total_litres <= MAX_LITRES {
        return Ok(());
    }
    let (i, biggest) = streams
        .iter()
        .enumerate()
        .max_by(|a, b| litres(a.1).total_cmp(&litres(b.1)))
        .expect("at least one stream");
    Err(c.err(
        &["convoy".into(), i.into(), "tankers".into()],
        format!(
            "convoy \"{}\": the convoy streams together send {total_tankers:.2e} tankers carrying {total_litres:.2e} L in one trial (tankers per convoy times departures), beyond the {MAX_TANKERS_PER_TRIAL:e} tankers and {MAX_LITRES:e} L that keep every count exact; this stream sends the most",
            biggest.name
        ),
    ))
}

fn routing(
    c: &Checker<'_>,
    path: &[Seg<'_>],
    label: &str,
    value: &str,
) -> Result<Routing, InputError> {
    Routing::ALL
        .iter()
        .find(|(s, _)| *s == value)
        .map(|(_, r)| *r)
        .ok_or_else(|| {
            let names = Routing::ALL.map(|(s, _)| s);
            c.err(
                path,
                format!(
                    "{label} = \"{value}\" is not a routing rule; valid: {}{}",
                    names.join(", "),
                    did_you_mean(value, names)
                ),
            )
        })
}

fn escort(
    c: &Checker<'_>,
    path: &[Seg<'_>],
    label: &str,
    name: &str,
    escorts: &[EscortLevel],
) -> Result<usize, InputError> {
    escorts.iter().position(|e| e.name == name).ok_or_else(|| {
        let names: Vec<&str> = escorts.iter().map(|e| e.name.as_str()).collect();
        c.err(
            path,
            format!(
                "{label} = \"{name}\" is not an escort level; defined: {}{}",
                names.join(", "),
                did_you_mean(name, names.iter().copied())
            ),
        )
    })
}
