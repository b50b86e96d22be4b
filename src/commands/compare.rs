//! `corridor compare`: scenarios side by side, each against the first, paired by trial.

use std::path::PathBuf;

use super::interrupt::{self, Promise, STOP};
use crate::analysis::compare::compare as run_compare;
use crate::cli::CompareOpts;
use crate::error::{InputError, Result};
use crate::limits::{self, PairedCost, RunCost};
use crate::report::analysis::{compare_csv, compare_table, json};
use crate::report::chart::analysis::compare_figures;
use crate::report::meta::sha256_hex;
use crate::report::table::grouped;
use crate::scenario::Scenario;
use crate::sim::run::RunConfig;

pub(super) fn compare(opts: &CompareOpts) -> Result<()> {
    interrupt::install(Promise::Partial);
    let a = &opts.analysis;
    let threads = super::threads(a.threads);
    let (scenarios, resolved) = load_priced(opts, threads)?;
    let names: Vec<&str> = scenarios.iter().map(|(s, _)| s.name.as_str()).collect();
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(default_folder(&names)));
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
    for (k, ((s, _), text)) in scenarios.iter().zip(resolved).enumerate() {
        let name = format!("{}-{}.toml", k + 1, s.name);
        files.push((name, text.into_bytes()));
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

/// The scenarios with their file names, and their texts as run.
type Loaded = (Vec<(Scenario, String)>, Vec<String>);

/// The scenario files (each with its file name and its text as run), loaded one by one and
/// priced as they come, so that a comparison this
/// machine could not finish is refused before the first trial, and before more files are
/// read than it could hold. Warns of a long one.
fn load_priced(opts: &CompareOpts, threads: usize) -> Result<Loaded> {
    let paths = &opts.scenarios;
    if paths.len() > limits::MAX_COMPARED {
        let msg = format!(
            "{} scenarios are more than the {} a comparison can show; compare fewer at a time",
            paths.len(),
            limits::MAX_COMPARED
        );
        return Err(InputError::new("compare", msg).into());
    }
    // Each file is limited in size; so are they all together.
    let total: u64 = paths
        .iter()
        .filter_map(|p| std::fs::metadata(p).ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum();
    if total > MAX_TOTAL_BYTES {
        let msg = format!(
            "the scenario files hold {} MB together, more than the {} MB a comparison reads; compare fewer at a time",
            total >> 20,
            MAX_TOTAL_BYTES >> 20
        );
        return Err(InputError::new("compare", msg).into());
    }
    let memory = limits::machine_memory();
    let advice = "compare fewer scenarios, or use fewer --trials or --threads";
    let mut cost = PairedCost::default();
    let mut scenarios = Vec::with_capacity(paths.len());
    let mut resolved = Vec::with_capacity(paths.len());
    for path in paths {
        let scenario = Scenario::load(path)?;
        cost.add(&RunCost::of(&scenario), 1, threads, true);
        limits::check_paired(
            "compare",
            "the comparison",
            &cost,
            opts.trials,
            memory,
            advice,
        )?;
        resolved.push(super::resolved_toml(&scenario)?);
        scenarios.push((scenario, path.display().to_string()));
    }
    let work = opts.trials as f64 * cost.work_per_trial;
    if let Some(warning) = limits::long_work_warning(work, threads, "")
        && !opts.analysis.quiet
    {
        super::print_err(warning);
    }
    Ok((scenarios, resolved))
}

/// `compare-a-vs-b[-vs-c...]`; or, where that would make too long a folder name, the first
/// scenario's name, how many others there are, and a hash of all their names.
fn default_folder(names: &[&str]) -> String {
    let full = format!("compare-{}", names.join("-vs-"));
    if full.len() <= 120 {
        return full;
    }
    let hash = sha256_hex(names.join("\n").as_bytes());
    format!(
        "compare-{}-vs-{}-others-{}",
        names[0],
        names.len() - 1,
        &hash[..8]
    )
}

/// The most bytes of scenario files one comparison reads, together.
const MAX_TOTAL_BYTES: u64 = 4 * crate::scenario::MAX_FILE_BYTES;
