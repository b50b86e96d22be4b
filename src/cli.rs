//! The command line, as clap derive structs only: no logic here (see `commands`).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "corridor",
    version,
    about = "Monte Carlo simulator of fuel supply by road convoy under attack and road closures",
    long_about = "Monte Carlo simulator of fuel supply by road convoy under attack and road closures.\n\n\
        corridor loads a road network and a scenario (convoy streams, threats, closures, the \
        sink's stock and demand), runs many randomised trials on all cores, and reports how much \
        fuel reaches the sink, how long it goes short, how many tankers are lost and what fuel \
        costs on the street.\n\nExit codes: 0 success, 1 failure, 2 bad input (scenario, network \
        or flags), 130 interrupted.",
    after_help = "Run `corridor run` to simulate the built-in Bamako 2025 blockade scenario."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Monte Carlo trials of a scenario and write its results.
    Run(RunOpts),
    /// Check scenario files without running them.
    Validate(ValidateOpts),
    /// Export a scenario's road network as GeoJSON, Graphviz DOT or CSV.
    Network(NetworkOpts),
}

#[derive(Debug, Args)]
pub struct RunOpts {
    /// Scenario file (TOML). Without one, runs the built-in default scenario
    /// (scenarios/bamako-2025.toml).
    pub scenario: Option<PathBuf>,
    /// Number of Monte Carlo trials.
    #[arg(long, short = 'n', default_value = "10000", value_parser = parse_trials, value_name = "N", allow_negative_numbers = true)]
    pub trials: u64,
    /// Seed of the run: the same scenario, seed and trial count give the same results, bit for
    /// bit, on any number of threads.
    #[arg(long, default_value = "1", value_parser = parse_seed, value_name = "S", allow_negative_numbers = true)]
    pub seed: u64,
    /// Worker threads [default: all cores].
    #[arg(long, short = 'j', value_parser = parse_threads, value_name = "T", allow_negative_numbers = true)]
    pub threads: Option<usize>,
    /// Output folder [default: output/<scenario name>/].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing but errors: no progress bar, no table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct ValidateOpts {
    /// Scenario files to check.
    #[arg(required = true, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct NetworkOpts {
    /// Scenario whose network to export [default: the built-in default scenario's].
    pub scenario: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = NetworkFormat::Geojson)]
    pub format: NetworkFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkFormat {
    /// GeoJSON FeatureCollection: nodes as points, edges as lines (for QGIS, geojson.io).
    Geojson,
    /// Graphviz DOT, nodes pinned at their coordinates (render with `neato -n2`).
    Dot,
    /// One row per edge: from, to, km, road, corridors, coordinates, source.
    Csv,
}

/// The most trials one run accepts: the exact sums of `stats` are sized for it.
pub const MAX_TRIALS: u64 = 1_000_000_000_000;

fn parse_trials(s: &str) -> Result<u64, String> {
    match s.replace('_', "").parse::<u64>() {
        Ok(n) if (1..=MAX_TRIALS).contains(&n) => Ok(n),
        _ => Err(format!("must be a whole number from 1 to {MAX_TRIALS}")),
    }
}

fn parse_seed(s: &str) -> Result<u64, String> {
    s.replace('_', "")
        .parse::<u64>()
        .map_err(|_| format!("must be a whole number from 0 to {}", u64::MAX))
}

fn parse_threads(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(n) if (1..=1024).contains(&n) => Ok(n),
        _ => Err("must be a whole number from 1 to 1024".to_string()),
    }
}
