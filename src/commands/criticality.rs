//! `corridor criticality`: the roads ranked by what closing them costs and what securing
//! them is worth.

use std::path::PathBuf;

use super::interrupt::{self, Promise, STOP};
use crate::analysis::criticality::{CriticalityConfig, Ranking, criticality_within};
use crate::cli::{CriticalityOpts, RankBy};
use crate::error::Result;
use crate::limits::{self, PairedCost};
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
    // The first pass is a run of the scenario; the second runs every variant with it.
    let memory = limits::machine_memory();
    let cost = limits::check_run(&scenario, opts.trials, threads, memory)?;
    let resolved = super::resolved_toml(&scenario)?;
    let (flag, advice) = if opts.all_edges {
        (
            "--all-edges",
            "leave out --all-edges to test only the roads convoys use",
        )
    } else {
        ("--trials", "use fewer --trials, or a smaller network")
    };
    let priced = |variants: usize| {
        let mut paired = PairedCost::default();
        paired.add(&cost, variants + 1, threads, false);
        paired
    };
    let check = |variants: usize| {
        let what = "the criticality analysis";
        limits::check_paired(flag, what, &priced(variants), opts.trials, memory, advice)
    };
    let expected = limits::criticality_variants(&scenario, opts.all_edges);
    check(expected)?;
    let work = opts.trials as f64 * priced(expected).work_per_trial;
    if let Some(warning) = limits::long_work_warning(work, threads, "")
        && !a.quiet
    {
        super::print_err(warning);
    }
    let output = super::prepare_output(&out_dir, a.quiet)?;
    let (results, elapsed) = super::with_progress(opts.trials, a.quiet, |progress| {
        criticality_within(&scenario, &cc, &config, progress, &STOP, &check)
    });
    let mut results = results?;
    super::require_some(results.trials, opts.trials)?;
    let charts = super::render_figures(&criticality_figures(&results), a, results.interrupted)?;
    results.interrupted |= charts.is_none();
    let mut files = vec![
        (
            "criticality.csv".to_string(),
            criticality_csv(&results).into_bytes(),
        ),
        ("criticality.json".to_string(), json(&results).into_bytes()),
        ("scenario.toml".to_string(), resolved.into_bytes()),
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
