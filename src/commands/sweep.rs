//! `corridor sweep`: a metric at several values of numeric inputs, one at a time or as a
//! grid of two.

use std::path::PathBuf;

use super::interrupt::{self, Promise, STOP};
use crate::analysis::path::Setting;
use crate::analysis::sweep::{GridPlan, GridResults, SweepPlan, SweepResults};
use crate::analysis::variant::WrittenScenario;
use crate::cli::SweepOpts;
use crate::error::{InputError, Result};
use crate::limits::{self, PairedCost, RunCost};
use crate::report::analysis::{grid_csv, grid_table, json, sweep_csv, sweep_table, tornado_csv};
use crate::report::chart::analysis::{Figure, grid_figures, sweep_figures};
use crate::report::table::grouped;
use crate::sim::outcome::metric_index;
use crate::sim::run::RunConfig;

pub(super) fn sweep(opts: &SweepOpts) -> Result<()> {
    interrupt::install(Promise::Partial);
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
    check_cost(&base, &settings, opts, threads)?;
    let resolved = super::resolved_toml(scenario)?;
    // Every variant is built and checked before the output folder is made.
    let plan = if opts.grid {
        Plan::Grid(GridPlan::new(&base, &settings[0], &settings[1])?)
    } else {
        Plan::Sweep(SweepPlan::new(&base, &settings)?)
    };
    let output = super::prepare_output(&out_dir, a.quiet)?;
    let (mut results, elapsed) =
        super::with_progress(opts.trials, a.quiet, |progress| match plan {
            Plan::Grid(p) => Results::Grid(p.run(metric, &config, progress, &STOP)),
            Plan::Sweep(p) => Results::Sweep(p.run(metric, &config, progress, &STOP)),
        });
    let trials = results.trials();
    super::require_some(trials, opts.trials)?;
    let charts = super::render_figures(&results.figures(), a, trials < opts.trials)?;
    let undrawn = charts.is_none();
    if undrawn {
        results.mark_interrupted();
    }
    let mut files = results.files();
    files.push(("scenario.toml".to_string(), resolved.into_bytes()));
    files.extend(charts.unwrap_or_default());
    let earlier = super::put_in_place(output, &files)?;
    if !a.quiet {
        let (table, variants) = match &results {
            Results::Grid(r) => (grid_table(r, currency), r.cells.len()),
            Results::Sweep(r) => {
                let variants = r.inputs.iter().map(|i| i.points.len()).sum::<usize>();
                (sweep_table(r, currency), variants)
            }
        };
        let what = format!(
            "\n{} trials of the scenario and {variants} variants",
            grouped(opts.trials as f64, 0)
        );
        let closing = super::closing_line(&what, elapsed, threads, &out_dir);
        let moved = super::moved_aside(earlier.as_deref());
        super::print_out(format!("{table}{closing}\n{moved}"))?;
    }
    let json = match &results {
        Results::Grid(_) => "grid.json",
        Results::Sweep(_) => "sweep.json",
    };
    super::analysis_end(trials, opts.trials, undrawn, &out_dir, json)
}

/// Refuses a sweep that this machine could not finish, before any variant is built but the
/// dearest: the variants are priced at each input's lowest and highest values (the grid's
/// corners), where a larger horizon or network costs most. Warns of a long one.
fn check_cost(
    base: &WrittenScenario,
    settings: &[Setting],
    opts: &SweepOpts,
    threads: usize,
) -> Result<()> {
    let lens = settings.iter().map(|s| s.values.len());
    let variants = if opts.grid {
        lens.product()
    } else {
        lens.sum()
    };
    let what = if opts.grid { "the grid" } else { "the sweep" };
    let advice = "give fewer values";
    let memory = limits::machine_memory();
    let counted = PairedCost {
        models: variants + 1,
        ..PairedCost::default()
    };
    limits::check_paired("--set", what, &counted, opts.trials, memory, advice)?;
    let extremes = |s: &Setting| {
        let low = s.values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = s.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        [low, high]
    };
    let base_cost = RunCost::of(&base.scenario);
    let mut dearest = base_cost;
    if opts.grid {
        for x in extremes(&settings[0]) {
            for y in extremes(&settings[1]) {
                let v = base.variant(&[(&settings[0].path, x), (&settings[1].path, y)])?;
                dearest = dearest.max(RunCost::of(&v));
            }
        }
    } else {
        for s in settings {
            for value in extremes(s) {
                dearest = dearest.max(RunCost::of(&base.variant(&[(&s.path, value)])?));
            }
        }
    }
    let mut cost = PairedCost::default();
    cost.add(&base_cost, 1, threads, false);
    cost.add(&dearest, variants, threads, false);
    limits::check_paired("--set", what, &cost, opts.trials, memory, advice)?;
    let work = opts.trials as f64 * cost.work_per_trial;
    if let Some(warning) = limits::long_work_warning(work, threads, "")
        && !opts.analysis.quiet
    {
        super::print_err(warning);
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

impl Results {
    fn trials(&self) -> u64 {
        match self {
            Results::Sweep(r) => r.trials,
            Results::Grid(r) => r.trials,
        }
    }

    fn mark_interrupted(&mut self) {
        match self {
            Results::Sweep(r) => r.interrupted = true,
            Results::Grid(r) => r.interrupted = true,
        }
    }

    fn figures(&self) -> Vec<Figure<'_>> {
        match self {
            Results::Sweep(r) => sweep_figures(r),
            Results::Grid(r) => grid_figures(r),
        }
    }

    /// The CSV and JSON files.
    fn files(&self) -> Vec<(String, Vec<u8>)> {
        let files = match self {
            Results::Grid(r) => vec![("grid.csv", grid_csv(r)), ("grid.json", json(r))],
            Results::Sweep(r) => vec![
                ("sweep.csv", sweep_csv(r)),
                ("tornado.csv", tornado_csv(r)),
                ("sweep.json", json(r)),
            ],
        };
        files
            .into_iter()
            .map(|(name, text)| (name.to_string(), text.into_bytes()))
            .collect()
    }
}
