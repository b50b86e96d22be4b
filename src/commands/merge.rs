//! `corridor merge`: the shards of a run, checked and merged into the output folder one
//! machine running every trial would have written, byte for byte.

use std::path::PathBuf;

use crate::Scenario;
use crate::cli::MergeOpts;
use crate::error::Result;
use crate::report::chart::Format;
use crate::report::{RunResults, files, table};
use crate::shard::{merge_shards, read_shard};
use crate::source::TomlSource;

pub(super) fn merge(opts: &MergeOpts) -> Result<()> {
    let shards = opts
        .shards
        .iter()
        .map(|dir| read_shard(dir))
        .collect::<Result<Vec<_>>>()?;
    let tally = merge_shards(&shards)?;
    let first = &shards[0];
    let origin = first.dir.join("scenario.toml").display().to_string();
    let scenario = Scenario::from_source(&TomlSource::new(origin, first.resolved.clone()), None)?;
    let (seed, trials) = (first.partial.seed, first.partial.trials);
    let results = RunResults::finish(&scenario, &tally, seed, trials);
    let out_dir = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&scenario.name));
    let output = super::prepare_output(&out_dir, opts.quiet)?;
    output.write(|dir| {
        files::write_run(dir, &first.resolved, &results)?;
        super::chart::publish(dir, &scenario, &results, None, &[Format::Svg]).map(|_| ())
    })?;
    let earlier = output.commit()?;
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
