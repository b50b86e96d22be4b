//! What each subcommand does: load, run, print, write. The binary calls [`execute`]; this
//! is the only module that prints to the terminal.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use petgraph::dot::{Config, Dot};
use serde_json::json;

use crate::cli::{Cli, Command, NetworkFormat, NetworkOpts, RunOpts, ValidateOpts};
use crate::error::{Error, InputError, Result};
use crate::report::{RunResults, files, table};
use crate::scenario::Scenario;
use crate::sim::model::Model;
use crate::sim::run::{RunConfig, run_trials};

/// Set by a signal handler to stop a run after the blocks in progress.
pub static STOP: AtomicBool = AtomicBool::new(false);

pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(opts) => run(opts),
        Command::Validate(opts) => validate(&opts),
        Command::Network(opts) => network(&opts),
    }
}

fn load(path: Option<&Path>) -> Result<Scenario> {
    match path {
        Some(p) => Scenario::load(p),
        None => Ok(Scenario::builtin_default()),
    }
}

fn run(opts: RunOpts) -> Result<()> {
    let scenario = load(opts.scenario.as_deref())?;
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name));
    if out_dir.exists() && !out_dir.is_dir() {
        return Err(InputError::flag(
            "--out",
            format!("{} is a file, not a folder", out_dir.display()),
        )
        .into());
    }
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let config = RunConfig {
        seed: opts.seed,
        first_trial: 0,
        trials: opts.trials,
        threads,
    };
    let bar = (!opts.quiet && std::io::stderr().is_terminal()).then(|| progress_bar(opts.trials));
    let started = Instant::now();
    let model = Model::new(&scenario);
    let tally = run_trials(
        &model,
        &config,
        &|done| {
            if let Some(bar) = &bar {
                bar.set_position(done);
            }
        },
        &STOP,
    );
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let results = RunResults::finish(&scenario, &tally, opts.seed, opts.trials);
    files::write_run(&out_dir, &scenario, &results)?;
    if !opts.quiet {
        print!("{}", table::summary_table(&results));
        println!(
            "\n{} trials in {elapsed:.2} s on {threads} thread{} ({} trials/s); results in {}",
            table::grouped(tally.trials as f64, 0),
            if threads == 1 { "" } else { "s" },
            table::grouped(tally.trials as f64 / elapsed.max(1e-9), 0),
            out_dir.display()
        );
    }
    if results.interrupted {
        return Err(Error::Interrupted {
            done: tally.trials,
            requested: opts.trials,
        });
    }
    Ok(())
}

fn progress_bar(trials: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(trials);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {bar:40} {pos}/{len} trials  {per_sec}  eta {eta}",
    )
    .expect("a valid progress template");
    bar.set_style(style);
    bar
}

fn validate(opts: &ValidateOpts) -> Result<()> {
    let mut failed = 0;
    for path in &opts.scenarios {
        match Scenario::load(path) {
            Ok(s) => println!(
                "ok: {}: \"{}\", {} days, {} convoy streams, {} threats, {} closures, {} random closures",
                path.display(),
                s.name,
                s.horizon_days,
                s.streams.len(),
                s.threats.len(),
                s.closures.len(),
                s.random_closures.len()
            ),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
            }
        }
    }
    if failed > 0 {
        let msg = format!(
            "{failed} of {} scenario files have errors",
            opts.scenarios.len()
        );
        return Err(InputError::new("validate", msg).into());
    }
    Ok(())
}

fn network(opts: &NetworkOpts) -> Result<()> {
    let scenario = load(opts.scenario.as_deref())?;
    let text = match opts.format {
        NetworkFormat::Geojson => network_geojson(&scenario),
        NetworkFormat::Dot => network_dot(&scenario),
        NetworkFormat::Csv => network_csv(&scenario),
    };
    print!("{text}");
    Ok(())
}

/// The network as a GeoJSON FeatureCollection (RFC 7946: coordinates are [lon, lat]).
pub fn network_geojson(s: &Scenario) -> String {
    let net = &s.network;
    let mut features = Vec::new();
    for n in net.nodes() {
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [n.lon, n.lat]},
            "properties": {"id": n.id, "name": n.name, "country": n.country, "kind": n.kind.as_str(),
                           "dwell_days": n.dwell_days, "sink": net.node_index(&n.id) == Some(s.sink.node)},
        }));
    }
    for (i, e) in net.edges().enumerate() {
        let (a, b) = (net.node(e.from), net.node(e.to));
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "LineString", "coordinates": [[a.lon, a.lat], [b.lon, b.lat]]},
            "properties": {"id": net.edge_id(i), "from": a.id, "to": b.id, "km": e.km, "road": e.road,
                           "corridors": e.corridors, "source": e.source},
        }));
    }
    let mut text = serde_json::to_string_pretty(
        &json!({"type": "FeatureCollection", "name": net.name, "features": features}),
    )
    .expect("json");
    text.push('\n');
    text
}

/// The network in Graphviz DOT, nodes pinned at their coordinates (72 points per degree).
pub fn network_dot(s: &Scenario) -> String {
    let g = s.network.graph();
    let node_attrs = |_, (i, n): (petgraph::graph::NodeIndex, &crate::network::Node)| {
        let shape = if i.index() == s.sink.node {
            "doublecircle"
        } else {
            "circle"
        };
        format!(
            "label=\"{}\" pos=\"{:.1},{:.1}!\" shape={shape} country=\"{}\"",
            n.id,
            n.lon * 72.0,
            n.lat * 72.0,
            n.country
        )
    };
    let edge_attrs = |_, e: petgraph::graph::EdgeReference<'_, crate::network::Edge>| {
        let w = e.weight();
        format!(
            "label=\"{} km\" road=\"{}\" corridors=\"{}\"",
            w.km,
            w.road.replace('"', "'"),
            w.corridors.join(";")
        )
    };
    format!(
        "{:?}",
        Dot::with_attr_getters(
            g,
            &[Config::NodeNoLabel, Config::EdgeNoLabel],
            &edge_attrs,
            &node_attrs
        )
    )
}

/// One row per edge.
pub fn network_csv(s: &Scenario) -> String {
    let net = &s.network;
    let mut out =
        String::from("from,to,km,road,corridors,from_lat,from_lon,to_lat,to_lon,source\n");
    for e in net.edges() {
        let (a, b) = (net.node(e.from), net.node(e.to));
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{}\n",
            a.id,
            b.id,
            e.km,
            files::csv_field(&e.road),
            files::csv_field(&e.corridors.join(";")),
            a.lat,
            a.lon,
            b.lat,
            b.lon,
            files::csv_field(e.source.as_deref().unwrap_or(""))
        ));
    }
    out
}
