//! `corridor validate`: check scenario files without running them.

use super::interrupt::{self, Promise};
use crate::cli::ValidateOpts;
use crate::error::{Error, InputError, Result};
use crate::scenario::Scenario;

pub(super) fn validate(opts: &ValidateOpts) -> Result<()> {
    interrupt::install(Promise::Nothing);
    // One file: its error is the whole message. Several: one line each, then a count.
    if let [path] = opts.scenarios.as_slice() {
        let s = Scenario::load(path)?;
        return super::print_out(format!("{}\n", ok_line(path, &s)));
    }
    let mut failed = 0;
    for (k, path) in opts.scenarios.iter().enumerate() {
        if interrupt::stopped() {
            let n = opts.scenarios.len();
            return Err(Error::Stopped(format!("checked {k} of {n} scenario files")));
        }
        match Scenario::load(path) {
            Ok(s) => super::print_out(format!("{}\n", ok_line(path, &s)))?,
            Err(e) => {
                failed += 1;
                super::print_err(format!("error: {e}"));
            }
        }
    }
    if failed > 0 {
        let msg = format!(
            "{failed} of {} scenario files have errors",
            opts.scenarios.len()
        );
        return Err(InputError::new("validate", msg).into());
    }
    Ok(())
}

fn ok_line(path: &std::path::Path, s: &Scenario) -> String {
    format!(
        "ok: {}: \"{}\", {} days, {} convoy streams, {} threats, {} closures, {} random closures",
        path.display(),
        s.name,
        s.horizon_days,
        s.streams.len(),
        s.threats.len(),
        s.closures.len(),
        s.random_closures.len()
    )
}
