//! `corridor merge`: the shards of a run, checked and merged into the output folder one
//! machine running every trial would have written, byte for byte. Interrupted, it writes
//! nothing: a merged folder is whole or absent.

use std::path::PathBuf;

use super::interrupt::{self, Promise, STOP};
use crate::Scenario;
use crate::cli::MergeOpts;
use crate::error::{Error, InputError, Result};
use crate::per_trial::{self, PerTrialFile};
use crate::report::chart::Format;
use crate::report::{RunResults, files, table};
use crate::shard::{merge_shards, read_shard};
use crate::sim::model::Model;
use crate::source::TomlSource;

pub(super) fn merge(opts: &MergeOpts) -> Result<()> {
    interrupt::install(Promise::Nothing);
    let stopped = || Error::Stopped("nothing was written; the shards are as they were".into());
    // With --out, an unusable folder is found before the shards are read.
    let mut output = match &opts.out {
        Some(out) => Some(super::prepare_output(out, opts.quiet)?),
        None => None,
    };
    let mut shards = Vec::with_capacity(opts.shards.len());
    for dir in &opts.shards {
        if interrupt::stopped() {
            return Err(stopped());
        }
        shards.push(read_shard(dir)?);
    }
    let first = shards
        .first()
        .ok_or_else(|| InputError::new("merge", "no shard folders given"))?;
    let origin = first.dir.join("scenario.toml").display().to_string();
    let scenario = Scenario::from_source(&TomlSource::new(origin, first.resolved.clone()), None)?;
    let tally = merge_shards(&shards, &Model::new(&scenario))?;
    let (seed, trials) = (first.partial.seed, first.partial.trials);
    let results = RunResults::finish(&scenario, &tally, seed, trials);
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name));
    let per_trial = match &opts.per_trial {
        Some(path) => Some(PerTrialFile::prepare(path, &out_dir)?),
        None => None,
    };
    let output = match output.take() {
        Some(output) => output,
        None => super::prepare_output(&out_dir, opts.quiet)?,
    };
    if let Some(file) = per_trial {
        let mut leftovers = output.leftovers();
        leftovers.push(file.leftover().to_path_buf());
        interrupt::set_unfinished(leftovers);
        let p = &first.partial;
        let meta = per_trial::metadata(&p.scenario, &p.scenario_sha256, seed, trials);
        let columns = per_trial::columns(&scenario);
        per_trial::merge_parts(&opts.per_trial_parts, file, &columns, &meta, trials, &STOP)?;
    }
    let mut written = files::run_files(&first.resolved, &results);
    match super::chart::render(&scenario, &results, None, &[Format::Svg], Some(&STOP))? {
        Some(charts) => written.extend(charts),
        None => return Err(stopped()),
    }
    let earlier = super::put_in_place(output, &written)?;
    if !opts.quiet {
        super::print_out(format!(
            "{}\nmerged {} shards of {} trials; results in {}\n{}",
            table::summary_table(&results),
            shards.len(),
            table::grouped(trials as f64, 0),
            out_dir.display(),
            super::moved_aside(earlier.as_deref())
        ))?;
    }
    Ok(())
}
