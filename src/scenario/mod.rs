//! Scenarios: what a user writes (`raw`), checked and resolved into typed values with every
//! node, edge, corridor and escort name turned into an index (`validate`), and written back
//! out in full (`resolve`). Reading files happens here and in `builtin`; the simulation never
//! sees serde or file paths.

pub mod raw;
mod resolve;
mod validate;

use std::path::{Path, PathBuf};

use crate::builtin;
use crate::calendar::Date;
use crate::error::{Error, InputError};
use crate::network::{RoadNetwork, Ways};
use crate::price::PriceModel;
use crate::source::TomlSource;

pub use raw::RawScenario;

/// A validated scenario: everything resolved, every rule of MODEL.md and INTERFACE.md checked.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    pub horizon_days: u32,
    pub start_date: Option<Date>,
    pub network: RoadNetwork,
    pub network_origin: NetworkOrigin,
    /// At least one; the first is the headline sink (MODEL.md section 6).
    pub sinks: Vec<Sink>,
    pub price: PriceModel,
    pub defaults: Defaults,
    pub attack: AttackModel,
    /// Escort levels; index 0 is `none`.
    pub escorts: Vec<EscortLevel>,
    pub streams: Vec<Stream>,
    pub threats: Vec<Threat>,
    pub closures: Vec<Closure>,
    pub random_closures: Vec<RandomClosure>,
    /// Staging points with their escort units (MODEL.md section 13), in file order.
    pub staging: Vec<Staging>,
}

/// Where the network came from, so that the resolved scenario can say so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NetworkOrigin {
    Builtin(String),
    /// A TOML or GeoJSON network file, as the scenario names it.
    File(PathBuf),
    /// A pair of CSV files, as the scenario names them.
    CsvFiles {
        nodes: PathBuf,
        edges: PathBuf,
    },
    Inline,
}

/// A place where fuel is stored and released to its users (MODEL.md section 6).
#[derive(Debug, Clone)]
pub struct Sink {
    pub node: usize,
    pub initial_stock_litres: f64,
    /// Storage capacity; `None` is unlimited.
    pub capacity_litres: Option<f64>,
    /// Time the empty tankers of a fleet stream spend unloading before they turn back.
    pub unload_days: f64,
    pub demand: Demand,
}

/// A sink's demand as written: one total (`daily_demand_litres`, version 1) or classes.
#[derive(Debug, Clone)]
pub enum Demand {
    Total(f64),
    Classes(Vec<DemandClass>),
}

/// One `[[sink.demand]]` class: its normal daily demand, priority, whether it buys on the
/// street, and its ration tiers (sorted by `below_days`, increasing).
#[derive(Debug, Clone, PartialEq)]
pub struct DemandClass {
    pub name: String,
    pub litres_per_day: f64,
    pub priority: u32,
    pub street: bool,
    pub ration: Vec<RationTier>,
}

/// While the stock covers fewer than `below_days` days of normal demand, the class may draw
/// `share` of its own normal demand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RationTier {
    pub below_days: f64,
    pub share: f64,
}

impl Sink {
    /// The demand classes: those written, or the single class `all` of a total demand.
    pub fn classes(&self) -> Vec<DemandClass> {
        match &self.demand {
            Demand::Classes(classes) => classes.clone(),
            Demand::Total(litres) => vec![DemandClass {
                name: "all".to_string(),
                litres_per_day: *litres,
                priority: 1,
                street: true,
                ration: Vec::new(),
            }],
        }
    }

    /// The normal daily demand of every class together.
    pub fn daily_demand_litres(&self) -> f64 {
        match &self.demand {
            Demand::Total(litres) => *litres,
            Demand::Classes(classes) => classes.iter().map(|c| c.litres_per_day).sum(),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Defaults {
    pub speed_km_per_day: f64,
    pub tanker_litres: f64,
    pub routing: Routing,
    pub risk_km_per_attack: f64,
}

/// The loss fraction of an attack ~ Beta(loss_alpha, loss_beta).
#[derive(Debug, Clone)]
pub struct AttackModel {
    pub loss_alpha: f64,
    pub loss_beta: f64,
    /// The share of attacks that seize the whole convoy (MODEL.md section 12).
    pub seize_prob: f64,
    /// Larger convoys are found more easily: the hazard × (n / size_ref)^size_exponent.
    pub size_exponent: f64,
    pub size_ref: f64,
}

#[derive(Debug, Clone)]
pub struct EscortLevel {
    pub name: String,
    pub attack_mult: f64,
    pub loss_mult: f64,
    /// × the scenario's `seize_prob`.
    pub seize_mult: f64,
    /// The level's own speed, if it sets one.
    pub speed_km_per_day: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Routing {
    Shortest,
    Safest,
    Fixed,
}

impl Routing {
    pub const ALL: [(&'static str, Routing); 3] = [
        ("shortest", Routing::Shortest),
        ("safest", Routing::Safest),
        ("fixed", Routing::Fixed),
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Routing::Shortest => "shortest",
            Routing::Safest => "safest",
            Routing::Fixed => "fixed",
        }
    }
}

/// One `[[convoy]]` entry: a stream of convoys from `from` to the sink.
#[derive(Debug, Clone)]
pub struct Stream {
    pub name: String,
    pub from: usize,
    pub first_day: u32,
    /// Exclusive; as written (may exceed the horizon).
    pub last_day: u32,
    pub every_days: u32,
    pub tankers: u32,
    pub escort: usize,
    pub routing: Routing,
    pub via: Vec<usize>,
    /// The stream's own speed, if it sets one (see [`Scenario::speed`]).
    pub speed_km_per_day: Option<f64>,
    pub tanker_litres: f64,
    pub risk_km_per_attack: f64,
    /// For `fixed` routing: the nodes of the path from `from` to the sink.
    pub fixed_path: Vec<usize>,
    /// MODEL.md section 10: the stream owns this many tankers, which cycle.
    pub fleet: Option<u32>,
    pub return_escort: usize,
    /// For a `fixed` fleet stream: the nodes of its way home, from its sink to its source.
    pub return_path: Vec<usize>,
    /// The sink it delivers to (an index into `Scenario::sinks`).
    pub to: usize,
    /// The staging point it drives to and waits at for an escort (into `Scenario::staging`).
    pub stage: Option<usize>,
}

impl Stream {
    /// The departure days within a horizon of `horizon` days.
    pub fn departure_days(&self, horizon: u32) -> impl Iterator<Item = u32> + use<> {
        let end = self.last_day.min(horizon);
        (self.first_day..end).step_by(self.every_days as usize)
    }
}

/// A `[[staging]]` point: where tankers gather and wait for one of its escort units
/// (MODEL.md section 13).
#[derive(Debug, Clone)]
pub struct Staging {
    pub node: usize,
    pub escort: usize,
    pub units: u32,
    pub max_tankers: u32,
    pub min_tankers: u32,
    /// `None`: a convoy forms only once `min_tankers` wait.
    pub max_wait_days: Option<f64>,
    pub turnaround_days: f64,
    /// The sink the escorted convoys drive to (an index into `Scenario::sinks`).
    pub to: usize,
    pub routing: Routing,
    pub via: Vec<usize>,
    pub risk_km_per_attack: f64,
    /// For `fixed` routing: the nodes of the path from the staging node to its sink.
    pub fixed_path: Vec<usize>,
}

/// Which convoys an entry applies to (MODEL.md section 11).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Both,
    /// Loaded convoys on their way to the sink.
    Inbound,
    /// Empty tankers returning from the sink.
    Outbound,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Both => "both",
            Direction::Inbound => "inbound",
            Direction::Outbound => "outbound",
        }
    }
}

/// The edges an entry covers (with the ways along each), its direction and its days.
#[derive(Debug, Clone)]
pub struct Cover {
    /// As written, for the resolved file and for messages.
    pub edge_refs: Vec<String>,
    pub corridors: Vec<String>,
    pub direction: Direction,
    /// Each covered edge once, with the union of the ways named for it, in edge order.
    pub edges: Vec<(usize, Ways)>,
    pub from_day: u32,
    /// Exclusive; as written (may exceed the horizon).
    pub to_day: u32,
}

#[derive(Debug, Clone)]
pub struct Threat {
    pub cover: Cover,
    pub attacks_per_100km: f64,
}

#[derive(Debug, Clone)]
pub struct Closure {
    pub cover: Cover,
}

#[derive(Debug, Clone)]
pub struct RandomClosure {
    pub cover: Cover,
    pub per_day: f64,
    pub mean_days: f64,
}

impl Scenario {
    /// Loads a scenario file (and the network file it names), checking everything.
    pub fn load(path: &Path) -> Result<Scenario, Error> {
        let src = read_toml(path, "scenario")?;
        Ok(Scenario::from_source(&src, path.parent())?)
    }

    /// Validates scenario text; `dir` is where a `[network] file` is looked for.
    pub fn from_source(src: &TomlSource, dir: Option<&Path>) -> Result<Scenario, InputError> {
        let raw: RawScenario = src.parse()?;
        validate::validate(&raw, src, dir)
    }

    /// Validates a scenario built in memory, as `from_source` does a file (its errors carry
    /// no line and column).
    pub fn from_raw(raw: &RawScenario, origin: &str) -> Result<Scenario, InputError> {
        validate::validate(raw, &TomlSource::new(origin, ""), None)
    }

    /// The built-in default scenario (`scenarios/bamako-2025.toml`, compiled in).
    pub fn builtin_default() -> Scenario {
        let src = TomlSource::new(builtin::DEFAULT_SCENARIO_ORIGIN, builtin::DEFAULT_SCENARIO);
        Scenario::from_source(&src, None).expect("the built-in default scenario is valid (tested)")
    }

    /// The scenario with every default written out and the network inline: a file that
    /// repeats this run exactly.
    pub fn to_resolved_toml(&self) -> String {
        resolve::to_toml(self)
    }

    /// The resolved raw form (what `to_resolved_toml` serializes).
    pub fn to_raw(&self) -> RawScenario {
        resolve::to_raw(self)
    }

    /// MODEL.md section 3: a convoy's speed is its stream's own, else its escort level's,
    /// else the scenario default.
    pub fn speed(&self, stream: &Stream, escort: usize) -> f64 {
        stream
            .speed_km_per_day
            .or(self.escorts[escort].speed_km_per_day)
            .unwrap_or(self.defaults.speed_km_per_day)
    }

    /// The headline sink (MODEL.md section 6): the first.
    pub fn headline(&self) -> &Sink {
        &self.sinks[0]
    }

    /// The speed of the escorted convoys of a staging point: its escort level's, else the
    /// default (MODEL.md section 13).
    pub fn staging_speed(&self, point: &Staging) -> f64 {
        self.escorts[point.escort]
            .speed_km_per_day
            .unwrap_or(self.defaults.speed_km_per_day)
    }

    /// The index of the stream with this name.
    pub fn stream_index(&self, name: &str) -> Option<usize> {
        self.streams.iter().position(|s| s.name == name)
    }
}

/// The largest scenario or network file read. Real ones are kilobytes; this keeps a wrong
/// path (a disk image, a log) from being read into memory whole.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Reads a TOML file as UTF-8. A missing, unreadable, oversized or non-UTF-8 file, or a path
/// that is not a regular file (a folder, a device, a pipe), is bad input.
pub fn read_toml(path: &Path, what: &str) -> Result<TomlSource, InputError> {
    let bytes = crate::input_file::read_bounded(path, what, MAX_FILE_BYTES)?;
    TomlSource::from_bytes(&path.display().to_string(), bytes, what)
}

pub use crate::input_file::io_reason;
