//! `corridor sweep`: a metric at several values of numeric inputs, one at a time or as a
//! grid of two.

use std::path::PathBuf;

use super::interrupt::{self, STOP};
use crate::analysis::path::Setting;
use crate::analysis::sweep::{GridPlan, GridResults, SweepPlan, SweepResults};
use crate::analysis::variant::WrittenScenario;
use crate::cli::SweepOpts;
use crate::error::{InputError, Result};
use crate::report::analysis::{grid_csv, grid_table, json, sweep_csv, sweep_table, tornado_csv};
use crate::report::chart::analysis::{grid_figures, sweep_figures};
use crate::report::table::grouped;
use crate::sim::outcome::metric_index;
use crate::sim::run::RunConfig;

pub(super) fn sweep(opts: &SweepOpts) -> Result<()> {
    interrupt::install();
    let base = WrittenScenario::load(opts.scenario.as_deref())?;
    let scenario = &base.scenario;
    let settings = opts
        .sets
        .iter()
        .map(|arg| Setting::parse(arg, scenario))
        .collect::<Result<Vec<_>, InputError>>()?;
    if opts.grid && settings.len() != 2 {
        let msg = format!(
            "a grid needs exactly two inputs (two --set), not {}",
            settings.len()
        );
        return Err(InputError::flag("--grid", msg).into());
    }
    let a = &opts.analysis;
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name).join("sweep"));
    let threads = super::threads(a.threads);
    let config = RunConfig {
        seed: a.seed,
        first_trial: 0,
        trials: opts.trials,
        threads,
    };
    let metric = metric_index(&opts.metric).expect("clap accepts only MODEL.md metrics");
    let currency = &scenario.price.currency;
    // Every variant is built and checked before the output folder is made.
    let plan = if opts.grid {
        Plan::Grid(GridPlan::new(&base, &settings[0], &settings[1])?)
    } else {
        Plan::Sweep(SweepPlan::new(&base, &settings)?)
    };
    let output = super::prepare_output(&out_dir, a.quiet)?;
    let (results, elapsed) = super::with_progress(opts.trials, a.quiet, |progress| match plan {
        Plan::Grid(p) => Results::Grid(p.run(metric, &config, progress, &STOP)),
        Plan::Sweep(p) => Results::Sweep(p.run(metric, &config, progress, &STOP)),
    });
    let (trials, variants, table, mut files, figures) = match &results {
        Results::Grid(r) => {
            let files = vec![
                ("grid.csv".to_string(), grid_csv(r).into_bytes()),
                ("grid.json".to_string(), json(r).into_bytes()),
            ];
            let table = grid_table(r, currency);
            (r.trials, r.cells.len(), table, files, grid_figures(r))
        }
        Results::Sweep(r) => {
            let files = vec![
                ("sweep.csv".to_string(), sweep_csv(r).into_bytes()),
                ("tornado.csv".to_string(), tornado_csv(r).into_bytes()),
                ("sweep.json".to_string(), json(r).into_bytes()),
            ];
            let variants = r.inputs.iter().map(|i| i.points.len()).sum();
            let table = sweep_table(r, currency);
            (r.trials, variants, table, files, sweep_figures(r))
        }
    };
    super::require_all(trials, opts.trials)?;
    files.push((
        "scenario.toml".to_string(),
        scenario.to_resolved_toml().into_bytes(),
    ));
    files.extend(super::render_figures(&figures, a)?);
    let earlier = super::put_in_place(output, &files)?;
    if !a.quiet {
        let what = format!(
            "\n{} trials of the scenario and {variants} variants",
            grouped(opts.trials as f64, 0)
        );
        let closing = super::closing_line(&what, elapsed, threads, &out_dir);
        let moved = super::moved_aside(earlier.as_deref());
        super::print_out(format!("{table}{closing}\n{moved}"))?;
    }
    Ok(())
}

/// What a sweep runs: one input at a time, or a grid of two.
enum Plan<'a> {
    Sweep(SweepPlan<'a>),
    Grid(GridPlan<'a>),
}

/// What a sweep found: one input at a time, or a grid of two.
enum Results {
    Sweep(SweepResults),
    Grid(GridResults),
}
