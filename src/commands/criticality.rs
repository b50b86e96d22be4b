//! `corridor criticality`: the roads ranked by what closing them costs and what securing
//! them is worth.

use std::path::PathBuf;

use super::interrupt::{self, Promise, STOP};
use crate::analysis::criticality::{CriticalityConfig, Ranking, criticality as run_criticality};
use crate::cli::{CriticalityOpts, RankBy};
use crate::error::Result;
use crate::report::analysis::{criticality_csv, criticality_table, json};
use crate::report::chart::analysis::criticality_figures;
use crate::report::table::grouped;
use crate::sim::outcome::metric_index;
use crate::sim::run::RunConfig;

pub(super) fn criticality(opts: &CriticalityOpts) -> Result<()> {
    interrupt::install(Promise::Partial);
    let scenario = super::load(opts.scenario.as_deref())?;
    let a = &opts.analysis;
    let out_dir = opts.out.clone().unwrap_or_else(|| {
        PathBuf::from("output")
            .join(&scenario.name)
            .join("criticality")
    });
    let threads = super::threads(a.threads);
    let config = RunConfig {
        seed: a.seed,
        first_trial: 0,
        trials: opts.trials,
        threads,
    };
    let cc = CriticalityConfig {
        metric: metric_index(&opts.metric).expect("clap accepts only MODEL.md metrics"),
        rank_by: match opts.rank_by {
            RankBy::Closed => Ranking::Closed,
            RankBy::Secured => Ranking::Secured,
        },
        all_edges: opts.all_edges,
    };
    let output = super::prepare_output(&out_dir, a.quiet)?;
    let (mut results, elapsed) = super::with_progress(opts.trials, a.quiet, |progress| {
        run_criticality(&scenario, &cc, &config, progress, &STOP)
    });
    super::require_some(results.trials, opts.trials)?;
    let charts = super::render_figures(&criticality_figures(&results), a, results.interrupted)?;
    results.interrupted |= charts.is_none();
    let mut files = vec![
        (
            "criticality.csv".to_string(),
            criticality_csv(&results).into_bytes(),
        ),
        ("criticality.json".to_string(), json(&results).into_bytes()),
        (
            "scenario.toml".to_string(),
            scenario.to_resolved_toml().into_bytes(),
        ),
    ];
    let undrawn = charts.is_none();
    files.extend(charts.unwrap_or_default());
    let earlier = super::put_in_place(output, &files)?;
    if !a.quiet {
        let what = format!(
            "\n{} trials of the scenario and {} variants",
            grouped(opts.trials as f64, 0),
            results.variants
        );
        super::print_out(format!(
            "{}{}\n{}",
            criticality_table(&results, &scenario.price.currency),
            super::closing_line(&what, elapsed, threads, &out_dir),
            super::moved_aside(earlier.as_deref())
        ))?;
    }
    let json = "criticality.json";
    super::analysis_end(results.trials, opts.trials, undrawn, &out_dir, json)
}
