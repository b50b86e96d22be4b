//! `corridor compare`: scenarios side by side, each against the first, paired by trial.

use std::path::PathBuf;

use super::interrupt::{self, Promise, STOP};
use crate::analysis::compare::compare as run_compare;
use crate::cli::CompareOpts;
use crate::error::Result;
use crate::report::analysis::{compare_csv, compare_table, json};
use crate::report::chart::analysis::compare_figures;
use crate::report::table::grouped;
use crate::scenario::Scenario;
use crate::sim::run::RunConfig;

pub(super) fn compare(opts: &CompareOpts) -> Result<()> {
    interrupt::install(Promise::Partial);
    let scenarios = opts
        .scenarios
        .iter()
        .map(|path| Ok((Scenario::load(path)?, path.display().to_string())))
        .collect::<Result<Vec<_>>>()?;
    let names: Vec<&str> = scenarios.iter().map(|(s, _)| s.name.as_str()).collect();
    let a = &opts.analysis;
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("compare-{}", names.join("-vs-"))));
    let threads = super::threads(a.threads);
    let config = RunConfig {
        seed: a.seed,
        first_trial: 0,
        trials: opts.trials,
        threads,
    };
    let output = super::prepare_output(&out_dir, a.quiet)?;
    let (mut results, elapsed) = super::with_progress(opts.trials, a.quiet, |progress| {
        run_compare(&scenarios, &config, progress, &STOP)
    });
    super::require_some(results.trials, opts.trials)?;
    let charts = super::render_figures(&compare_figures(&results), a, results.interrupted)?;
    results.interrupted |= charts.is_none();
    let mut files = vec![
        (
            "compare.csv".to_string(),
            compare_csv(&results).into_bytes(),
        ),
        ("compare.json".to_string(), json(&results).into_bytes()),
    ];
    for (k, (s, _)) in scenarios.iter().enumerate() {
        let name = format!("{}-{}.toml", k + 1, s.name);
        files.push((name, s.to_resolved_toml().into_bytes()));
    }
    let undrawn = charts.is_none();
    files.extend(charts.unwrap_or_default());
    let earlier = super::put_in_place(output, &files)?;
    if !a.quiet {
        let what = format!(
            "\n{} scenarios × {} trials",
            scenarios.len(),
            grouped(opts.trials as f64, 0)
        );
        super::print_out(format!(
            "{}{}\n{}",
            compare_table(&results, &scenarios[0].0.price.currency),
            super::closing_line(&what, elapsed, threads, &out_dir),
            super::moved_aside(earlier.as_deref())
        ))?;
    }
    super::analysis_end(
        results.trials,
        opts.trials,
        undrawn,
        &out_dir,
        "compare.json",
    )
}
