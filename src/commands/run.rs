//! `corridor run`: the Monte Carlo of one scenario, its table and its output folder.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Instant;

use super::interrupt::{self, STOP};
use crate::cli::RunOpts;
use crate::error::{Error, Result};
use crate::limits;
use crate::report::{RunResults, files, table};
use crate::sim::model::Model;
use crate::sim::run::{RunConfig, run_trials};

pub(super) fn run(opts: RunOpts) -> Result<()> {
    let scenario = super::load(opts.scenario.as_deref())?;
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name));
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    limits::check_run(&scenario, opts.trials, threads, limits::machine_memory())?;
    interrupt::install();
    // Made before the run, so that an unusable output folder is reported at once; it
    // becomes the output folder only when complete.
    let output = files::OutputDir::prepare(&out_dir)?;
    interrupt::set_unfinished(Some(output.path().to_path_buf()));
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
    let interrupted = Error::Interrupted {
        done: tally.trials,
        requested: opts.trials,
    };
    if tally.trials == 0 {
        // Nothing to show: no folder is written and an earlier one stays as it is.
        super::print_err("no trial had finished, so nothing was written");
        return Err(interrupted);
    }
    let results = RunResults::finish(&scenario, &tally, opts.seed, opts.trials);
    // A second signal waits while the folder is written and moved into place.
    let earlier = interrupt::uninterrupted(|| {
        output.write_run(&scenario, &results)?;
        output.commit()
    })?;
    if !opts.quiet {
        super::print_out(table::summary_table(&results))?;
        super::print_out(format!(
            "\n{} trials in {elapsed:.2} s on {threads} thread{} ({} trials/s); results in {}\n",
            table::grouped(tally.trials as f64, 0),
            if threads == 1 { "" } else { "s" },
            table::grouped(tally.trials as f64 / elapsed.max(1e-9), 0),
            out_dir.display()
        ))?;
        if let Some(earlier) = &earlier {
            super::print_out(format!(
                "the earlier run in that folder was moved to {}\n",
                earlier.display()
            ))?;
        }
    }
    if results.interrupted {
        super::print_err(format!(
            "the partial result of {} trials is in {} (its summary.json says \"interrupted\": true)",
            tally.trials,
            out_dir.display()
        ));
        return Err(interrupted);
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
