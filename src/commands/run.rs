//! `corridor run`: the Monte Carlo of one scenario (or one shard of it), its table and its
//! output folder, written whole beside the target and swapped in when complete.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::{Instant, SystemTime};

use super::interrupt::{self, Promise, STOP};
use crate::analysis::precision::{self, run_to_precision};
use crate::cli::RunOpts;
use crate::error::{Error, InputError, Result};
use crate::limits;
use crate::per_trial::{self, PerTrialFile};
use crate::report::chart::Format;
use crate::report::meta::{RunMeta, sha256_hex};
use crate::report::{RunResults, files, table};
use crate::shard::{self, PartialResult};
use crate::sim::model::Model;
use crate::sim::run::{RunConfig, run_trials};

pub(super) fn run(opts: RunOpts) -> Result<()> {
    // A shard cut short could not be merged, so it writes nothing.
    interrupt::install(match opts.shard {
        Some(_) => Promise::Nothing,
        None => Promise::Partial,
    });
    let scenario = super::load(opts.scenario.as_deref())?;
    let (first_trial, trials) = match opts.shard {
        None => (0, opts.trials),
        Some(shard) => match shard.range(opts.trials) {
            (_, 0) => {
                let msg = format!(
                    "shard {}/{} of {} trials holds no trial; use at most {} shards",
                    shard.index, shard.count, opts.trials, opts.trials
                );
                return Err(InputError::flag("--shard", msg).into());
            }
            range => range,
        },
    };
    let out_dir = opts.out.clone().unwrap_or_else(|| {
        let dir = PathBuf::from("output").join(&scenario.name);
        match opts.shard {
            Some(s) => dir.join(format!("shard-{}-of-{}", s.index, s.count)),
            None => dir,
        }
    });
    let threads = opts
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let most_trials = match opts.precision {
        Some(_) => opts.max_trials.unwrap_or(precision::DEFAULT_MAX_TRIALS),
        None => trials,
    };
    let cost = limits::check_run(&scenario, most_trials, threads, limits::machine_memory())?;
    let resolved = super::resolved_toml(&scenario)?;
    // With --precision the run usually stops long before --max-trials: no warning then.
    if opts.precision.is_none()
        && !opts.quiet
        && let Some(warning) = limits::duration_warning(&cost, trials, threads)
    {
        super::print_err(warning);
    }
    // Made before the run, so that an unusable output folder is reported at once; it
    // becomes the output folder only when complete.
    let per_trial = match &opts.per_trial {
        Some(path) => Some(PerTrialFile::prepare(path, &out_dir)?),
        None => None,
    };
    let output = super::prepare_output(&out_dir, opts.quiet)?;
    if let Some(file) = &per_trial {
        let mut leftovers = output.leftovers();
        leftovers.push(file.leftover().to_path_buf());
        interrupt::set_unfinished(leftovers);
    }
    let config = RunConfig {
        seed: opts.seed,
        first_trial,
        trials,
        threads,
    };
    let bar = (!opts.quiet && std::io::stderr().is_terminal()).then(|| progress_bar(trials));
    let progress = |done: u64| {
        if let Some(bar) = &bar {
            if opts.precision.is_some() {
                bar.set_length((done / precision::STEP + 1) * precision::STEP);
            }
            bar.set_position(done);
        }
    };
    let started = Instant::now();
    let started_at = SystemTime::now();
    let model = Model::new(&scenario);
    // With --precision (never with --shard): the trials run and the trials asked for.
    let mut rows_complete = false;
    let (tally, requested, precision_run) = match opts.precision {
        None => match &per_trial {
            None => (
                run_trials(&model, &config, &progress, &STOP),
                opts.trials,
                None,
            ),
            Some(file) => {
                let meta = per_trial::metadata(
                    &scenario.name,
                    &sha256_hex(resolved.as_bytes()),
                    opts.seed,
                    opts.trials,
                );
                let columns = per_trial::columns(&scenario);
                let (tally, complete) = per_trial::run_writing(
                    &model, &config, &progress, &STOP, file, &columns, &meta,
                )?;
                rows_complete = complete;
                (tally, opts.trials, None)
            }
        },
        Some(p) => {
            let run =
                run_to_precision(&model, opts.seed, p, most_trials, threads, &progress, &STOP);
            let done = run.tally.trials;
            let stopped = !run.reached && done < most_trials;
            let note = (p, run.achieved, run.reached);
            (
                run.tally,
                if stopped { most_trials } else { done },
                Some(note),
            )
        }
    };
    let elapsed = started.elapsed().as_secs_f64();
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    let interrupted = Error::Interrupted {
        done: tally.trials,
        requested,
    };
    if let Some(shard) = opts.shard {
        if tally.trials < trials {
            // A partial shard cannot be merged: write nothing, keep any earlier shard.
            super::print_err("the shard was interrupted, so nothing was written");
            return Err(interrupted);
        }
        let partial = PartialResult {
            format: shard::FORMAT.into(),
            version: shard::VERSION,
            corridor: env!("CARGO_PKG_VERSION").into(),
            scenario: scenario.name.clone(),
            scenario_sha256: sha256_hex(resolved.as_bytes()),
            seed: opts.seed,
            trials: opts.trials,
            shard,
            first_trial,
            shard_trials: trials,
            tally,
        };
        commit_per_trial(per_trial, rows_complete, opts.quiet)?;
        return write_shard(&opts, partial, resolved, output, elapsed);
    }
    if tally.trials == 0 {
        // Nothing to show: no folder is written and an earlier one stays as it is.
        super::print_err("no trial had finished, so nothing was written");
        return Err(interrupted);
    }
    let mut results = RunResults::finish(&scenario, &tally, opts.seed, requested);
    // What varies from run to run (time, threads) goes to run.json, never to the results.
    let meta = RunMeta::new(&resolved, started_at, elapsed, threads);
    // The charts of a partial result are drawn whole (they take moments); a signal while
    // those of a complete run are drawn stops the drawing, and the results are written
    // without them, marked as interrupted.
    let mut charts = Vec::new();
    let mut undrawn = false;
    if !opts.no_charts {
        let stop = (!results.interrupted).then_some(&STOP);
        match super::chart::render(&scenario, &results, Some(&meta), &[Format::Svg], stop)? {
            Some(drawn) => charts = drawn,
            None => {
                undrawn = true;
                results.interrupted = true;
            }
        }
    }
    commit_per_trial(per_trial, rows_complete, opts.quiet)?;
    let mut written = files::run_files(&resolved, &results);
    written.push((RunMeta::FILE.to_string(), meta.to_json().into_bytes()));
    written.extend(charts);
    let earlier = super::put_in_place(output, &written)?;
    if !opts.quiet {
        let mut text = table::summary_table(&results);
        text += &format!(
            "\n{} trials in {elapsed:.2} s on {threads} thread{} ({} trials/s); results in {}\n",
            table::grouped(tally.trials as f64, 0),
            if threads == 1 { "" } else { "s" },
            table::grouped(tally.trials as f64 / elapsed.max(1e-9), 0),
            out_dir.display()
        );
        if let Some((asked, achieved, reached)) = precision_run {
            text += &format!(
                "precision {}: the 95 % half-width of mean delivered litres is {:.3} % of the \
                 mean after {} trials (asked for {} %)\n",
                if reached { "reached" } else { "NOT reached" },
                achieved * 100.0,
                table::grouped(tally.trials as f64, 0),
                asked * 100.0
            );
        }
        if !opts.no_charts && !undrawn {
            let report = out_dir.join("report.html");
            text += &format!("Charts and a one-page report: {}\n", report.display());
        }
        text += &super::moved_aside(earlier.as_deref());
        super::print_out(text)?;
    }
    if undrawn {
        return Err(Error::Stopped(format!(
            "the results of all {} trials are in {}, marked \"interrupted\" as their charts and report were not drawn; `corridor chart {}` draws them",
            tally.trials,
            out_dir.display(),
            out_dir.display()
        )));
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

/// Puts a per-trial file whose every row was written in place; one cut short by a signal
/// is removed (its hidden file goes when it is dropped).
fn commit_per_trial(file: Option<PerTrialFile>, complete: bool, quiet: bool) -> Result<()> {
    let Some(file) = file else { return Ok(()) };
    if !complete {
        super::print_err(format!(
            "the run was interrupted, so {} was not written",
            file.target().display()
        ));
        return Ok(());
    }
    let target = file.target().to_path_buf();
    interrupt::uninterrupted_keeping(|| file.commit())?;
    if !quiet {
        super::print_err(format!("one row per trial in {}", target.display()));
    }
    Ok(())
}

/// Writes a finished shard's partial result and the scenario it ran, for `corridor merge`.
fn write_shard(
    opts: &RunOpts,
    partial: PartialResult,
    resolved: String,
    output: crate::output::OutputDir,
    elapsed: f64,
) -> Result<()> {
    let (shard, first_trial, trials) = (partial.shard, partial.first_trial, partial.shard_trials);
    let target = output.target().to_path_buf();
    let json = serde_json::to_string(&partial).expect("a tally serializes");
    super::put_in_place(
        output,
        &[
            ("scenario.toml".to_string(), resolved.into_bytes()),
            (shard::PARTIAL_FILE.to_string(), json.into_bytes()),
        ],
    )?;
    if !opts.quiet {
        super::print_out(format!(
            "shard {}/{}: trials {} to {} of {} in {elapsed:.2} s; partial result in {}\n",
            shard.index,
            shard.count,
            table::grouped(first_trial as f64, 0),
            table::grouped((first_trial + trials - 1) as f64, 0),
            table::grouped(opts.trials as f64, 0),
            target.join(shard::PARTIAL_FILE).display()
        ))?;
    }
    Ok(())
}

pub(super) fn progress_bar(trials: u64) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(trials);
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {bar:40} {pos}/{len} trials  {per_sec}  eta {eta}",
    )
    .expect("a valid progress template");
    bar.set_style(style);
    bar
}
