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
    /// Redraw a run's charts and report.html from its output folder, without re-running it.
    Chart(ChartOpts),
    /// Export a scenario's road network as GeoJSON, Graphviz DOT or CSV.
    Network(NetworkOpts),
    /// Compare scenarios side by side, with paired differences against the first.
    Compare(CompareOpts),
    /// Rank the roads by what closing them costs and what securing them is worth.
    Criticality(CriticalityOpts),
    /// Sensitivity of a metric to numeric scenario inputs, one at a time or as a grid.
    Sweep(SweepOpts),
    /// Where escort units should go: every way to share them among the staging points,
    /// searched with a statistical guarantee (Kim and Nelson's procedure).
    Optimize(OptimizeOpts),
    /// Merge the shards of a run made with `run --shard I/K` into its output folder.
    Merge(MergeOpts),
    /// Measure this machine: trials and edges per second, speed-up, peak memory.
    Bench(BenchOpts),
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
    /// Instead of a fixed --trials, run blocks of 1,024 trials until the 95 % confidence
    /// half-width of mean delivered litres is at most this share of the mean (0.01 = 1 %).
    /// The check happens only between blocks, so the stopping point is reproducible.
    #[arg(long, value_parser = parse_precision, value_name = "SHARE", conflicts_with_all = ["trials", "shard"])]
    pub precision: Option<f64>,
    /// With --precision: stop here even if the precision is not reached [default: 1000000].
    #[arg(long, value_parser = parse_trials, value_name = "N", requires = "precision")]
    pub max_trials: Option<u64>,
    /// Run only shard I of K (0-based) of the trials and save a partial result for
    /// `corridor merge` [default output: output/<scenario name>/shard-I-of-K/]. `auto` reads
    /// I and K from the scheduler: SLURM_ARRAY_TASK_ID and the array's size,
    /// JOB_COMPLETION_INDEX (Kubernetes) or HQ_TASK_ID (HyperQueue) with CORRIDOR_SHARDS.
    #[arg(long, value_parser = crate::shard::ShardSpec::parse, value_name = "I/K|auto")]
    pub shard: Option<crate::shard::ShardSpec>,
    /// Write no charts/ and no report.html (for large batches of runs; `corridor chart` can
    /// draw them later).
    #[arg(long)]
    pub no_charts: bool,
    /// Also write one row per trial (its index, every trial metric, and each sink's,
    /// stream's and staging point's figures) to FILE: Parquet if it ends in .parquet, CSV if
    /// .csv. A shard writes its own trials; `merge --per-trial` joins them.
    #[arg(long, value_name = "FILE", conflicts_with = "precision")]
    pub per_trial: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MergeOpts {
    /// The shard folders of one run (written by `corridor run --shard I/K`).
    #[arg(required = true, value_name = "SHARD_DIR")]
    pub shards: Vec<PathBuf>,
    /// Output folder [default: output/<scenario name>/].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Join the shards' per-trial files (`run --shard I/K --per-trial PART`) into FILE, the
    /// file one run of every trial would have written (.parquet or .csv, as the parts).
    #[arg(long, value_name = "FILE", requires = "per_trial_parts")]
    pub per_trial: Option<PathBuf>,
    /// With --per-trial: the shards' per-trial files, in any order.
    #[arg(long, value_name = "PART", num_args = 1.., requires = "per_trial")]
    pub per_trial_parts: Vec<PathBuf>,
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

#[derive(Debug, Args)]
pub struct BenchOpts {
    /// Trials of the built-in scenario per case (the synthetic networks run as many as about
    /// 100 million edge traversals take).
    #[arg(long, short = 'n', default_value = "100000", value_parser = parse_trials, value_name = "N")]
    pub trials: u64,
    /// Nodes of the synthetic grid network (rounded up to a square grid).
    #[arg(long, default_value = "10000", value_parser = parse_synthetic_nodes, value_name = "N", allow_negative_numbers = true)]
    pub synthetic_nodes: usize,
    /// Also measure how the cost grows with network size (1,000 to 100,000 nodes) and
    /// horizon (30 to 3,650 days), on one thread. Takes a few minutes.
    #[arg(long)]
    pub scale: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NetworkFormat {
    /// GeoJSON FeatureCollection: nodes as points, edges as lines (for QGIS, geojson.io);
    /// it reads back, edited or not, as `[network] file = "x.geojson"`.
    Geojson,
    /// Graphviz DOT, nodes pinned at their coordinates (render with `neato -n2`).
    Dot,
    /// One row per edge: from, to, km, road, corridors, coordinates, source.
    Csv,
}

/// What the three decision-analysis commands share. Their variants run with common random
/// numbers: trial i of every variant uses the same seed and trial index.
#[derive(Debug, Args)]
pub struct AnalysisOpts {
    /// Seed of the run: the same inputs, seed and trial count give the same results, bit for
    /// bit, on any number of threads.
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,
    /// Worker threads [default: all cores].
    #[arg(long, short = 'j', value_parser = parse_threads, value_name = "T")]
    pub threads: Option<usize>,
    /// Print nothing but errors: no progress bar, no table.
    #[arg(long, short = 'q')]
    pub quiet: bool,
    /// Chart file format.
    #[arg(long, short = 'f', value_enum, default_value_t = ChartFormat::Svg)]
    pub format: ChartFormat,
    /// Write no charts (for large batches of analyses).
    #[arg(long)]
    pub no_charts: bool,
}

#[derive(Debug, Args)]
#[command(
    after_help = "Writes compare.csv, compare.json, each scenario as run (NN-name.toml) and the \
    charts delivered.svg (the delivered-fuel distributions overlaid) and stock.svg (the stock \
    fans on one axis) into the output folder. The difference of a scenario against the first is \
    paired: trial i of both uses the same random draws, stream by stream in file order, so keep the [[convoy]] \
    entries in the same order."
)]
pub struct CompareOpts {
    /// Scenario files; every other one is compared with the first.
    #[arg(required = true, num_args = 2.., value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// Trials per scenario.
    #[arg(long, short = 'n', default_value = "10000", value_parser = parse_trials, value_name = "N")]
    pub trials: u64,
    /// Output folder [default: output/compare-<first>-vs-<second>[-vs-...]/].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub analysis: AnalysisOpts,
}

#[derive(Debug, Args)]
#[command(
    after_help = "For every edge that some convoy enters in the scenario (and every corridor tag \
    with such an edge), two variants: the edge closed both ways for the whole horizon, and its \
    threats removed (the value of securing it). Each change is the paired mean of variant minus \
    scenario with its 95 % confidence interval. Writes criticality.csv, criticality.json, \
    scenario.toml and the charts criticality.svg (the ranked bars) and map.svg (the roads \
    coloured by the value of securing them) into the output folder."
)]
pub struct CriticalityOpts {
    /// Scenario file (TOML) [default: the built-in default scenario].
    pub scenario: Option<PathBuf>,
    /// The trial metric whose change is measured.
    #[arg(long, short = 'm', default_value = "delivered_litres", value_parser = metric_names())]
    pub metric: String,
    /// Which change orders the table: closing the edge, or securing it.
    #[arg(long, value_enum, default_value_t = RankBy::Closed)]
    pub rank_by: RankBy,
    /// Also test every edge of the network, not only those some convoy uses.
    #[arg(long)]
    pub all_edges: bool,
    /// Trials (each runs the scenario and every variant).
    #[arg(long, short = 'n', default_value = "2000", value_parser = parse_trials, value_name = "N")]
    pub trials: u64,
    /// Output folder [default: output/<scenario name>/criticality/].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub analysis: AnalysisOpts,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RankBy {
    /// The change when the edge is closed for the whole horizon.
    Closed,
    /// The change when the edge's threats are removed.
    Secured,
}

#[derive(Debug, Args)]
#[command(
    after_help = "PATH names a numeric scenario field: horizon_days, sink.<key>, price.<key>, \
    defaults.<key>, attack.<key>, escort.<level>.<key>, convoy[<name>].<key>, threat[<i>].<key>, \
    closure[<i>].<key>, random_closure[<i>].<key>, node[<id>].<key>, edge[<a-b>].km \
    (indices count from 0, as in error messages). For example: --set price.elasticity=-0.3,-0.5,-0.7 \
    --set convoy[dakar-escorted].tankers=40,60,80. Writes sweep.csv, tornado.csv, sweep.json and \
    the chart tornado.svg (grid.csv, grid.json and the heat map grid.svg with --grid) and \
    scenario.toml into the output folder."
)]
pub struct SweepOpts {
    /// Scenario file (TOML) [default: the built-in default scenario].
    pub scenario: Option<PathBuf>,
    /// An input and the values to try: PATH=V1,V2,... (repeat for more inputs).
    #[arg(long = "set", required = true, value_name = "PATH=V1,V2,...")]
    pub sets: Vec<String>,
    /// The trial metric to report.
    #[arg(long, short = 'm', default_value = "delivered_litres", value_parser = metric_names())]
    pub metric: String,
    /// Run the full product of exactly two inputs instead of one input at a time.
    #[arg(long)]
    pub grid: bool,
    /// Trials (each runs the scenario and every variant).
    #[arg(long, short = 'n', default_value = "2000", value_parser = parse_trials, value_name = "N")]
    pub trials: u64,
    /// Output folder [default: output/<scenario name>/sweep/].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub analysis: AnalysisOpts,
}

fn metric_names() -> clap::builder::PossibleValuesParser {
    clap::builder::PossibleValuesParser::new(crate::sim::outcome::METRICS)
}

fn parse_precision(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.0 && p <= 1.0 => Ok(p),
        _ => Err("must be a number > 0 and <= 1 (0.01 means 1 % of the mean)".to_string()),
    }
}

#[derive(Debug, Args)]
pub struct ChartOpts {
    /// The output folder of a run (it holds results.json, run.json and scenario.toml).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Chart file format; report.html always inlines SVG.
    #[arg(long, short = 'f', value_enum, default_value_t = ChartFormat::Svg)]
    pub format: ChartFormat,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ChartFormat {
    /// Vector images, for the web and for print.
    Svg,
    /// Bitmaps, for slides and documents.
    Png,
    /// Both.
    Both,
}

/// The most trials one run accepts: the exact sums of `stats` are sized for it.
pub const MAX_TRIALS: u64 = 1_000_000_000_000;

#[derive(Debug, Args)]
#[command(
    after_help = "Every way to share --units escort units among the scenario's staging points \
    (or those named by --at; a point given none is dropped and its streams drive straight to \
    their sink), crossed with the values of any --set inputs, is a candidate. Batches of paired \
    trials are run for every candidate, then the clearly worse are dropped and the survivors \
    get more, until one is better than the rest by --delta with the stated confidence \
    (Kim and Nelson's fully sequential procedure, 2001), or --max-trials runs out. Writes \
    optimize.csv, optimize.json, the chart optimize.svg and the chosen scenario chosen.toml."
)]
pub struct OptimizeOpts {
    /// Scenario file (TOML) [default: the built-in default scenario].
    pub scenario: Option<PathBuf>,
    /// Escort units to share among the staging points.
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=1000), value_name = "N")]
    pub units: u32,
    /// The staging points to share them among, by node id [default: all of them].
    #[arg(long, value_delimiter = ',', value_name = "NODE,...")]
    pub at: Vec<String>,
    /// An input crossed with the allocations: PATH=V1,V2,... (repeat for more inputs).
    #[arg(long = "set", value_name = "PATH=V1,V2,...")]
    pub sets: Vec<String>,
    /// The trial metric to optimise.
    #[arg(long, short = 'm', default_value = "delivered_litres", value_parser = metric_names())]
    pub metric: String,
    /// Choose the largest mean [default for delivered_litres, final_stock_litres].
    #[arg(long, conflicts_with = "minimize")]
    pub maximize: bool,
    /// Choose the smallest mean [default for every other metric].
    #[arg(long)]
    pub minimize: bool,
    /// The indifference zone, in the metric's unit (litres, days, ...) [default: 1 % of the
    /// best first-stage mean].
    #[arg(long, value_parser = parse_positive, value_name = "D")]
    pub delta: Option<f64>,
    /// Probability of choosing the best when it is better than the rest by --delta.
    #[arg(long, default_value_t = 0.95, value_parser = parse_confidence, value_name = "P")]
    pub confidence: f64,
    /// Trials per batch (one observation of a candidate).
    #[arg(long, default_value_t = 100, value_parser = parse_trials, value_name = "B")]
    pub batch: u64,
    /// Batches of the first stage, at least 2.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(2..=10_000), value_name = "N0")]
    pub first_batches: u64,
    /// Most trials per candidate.
    #[arg(long, default_value = "100000", value_parser = parse_trials, value_name = "T")]
    pub max_trials: u64,
    /// Output folder [default: output/<scenario name>/optimize/].
    #[arg(long, short = 'o', value_name = "DIR")]
    pub out: Option<PathBuf>,
    #[command(flatten)]
    pub analysis: AnalysisOpts,
}

fn parse_positive(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x > 0.0 && x.is_finite() => Ok(x),
        _ => Err("must be a number > 0".to_string()),
    }
}

fn parse_confidence(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(p) if p > 0.5 && p < 1.0 => Ok(p),
        _ => Err("must be a number > 0.5 and < 1 (0.95 means 95 %)".to_string()),
    }
}

fn parse_trials(s: &str) -> Result<u64, String> {
    match s.replace('_', "").parse::<u64>() {
        Ok(n) if (1..=MAX_TRIALS).contains(&n) => Ok(n),
        _ => Err(format!("must be a whole number from 1 to {MAX_TRIALS}")),
    }
}

/// The synthetic grid's bounds: 3 × 3 at least, so that its sink, at the centre, is not on
/// the rim its convoys start from; and a million nodes at most (about 2 GB to build).
pub const SYNTHETIC_NODES: std::ops::RangeInclusive<usize> = 9..=1_000_000;

fn parse_synthetic_nodes(s: &str) -> Result<usize, String> {
    match s.replace('_', "").parse::<usize>() {
        Ok(n) if SYNTHETIC_NODES.contains(&n) => Ok(n),
        _ => Err(format!(
            "must be a whole number from {} to {} (a 3 × 3 grid at least)",
            SYNTHETIC_NODES.start(),
            SYNTHETIC_NODES.end()
        )),
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
