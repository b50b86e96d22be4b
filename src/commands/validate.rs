//! `corridor validate`: check scenario files without running them.

use crate::cli::ValidateOpts;
use crate::error::{InputError, Result};
use crate::scenario::Scenario;

pub(super) fn validate(opts: &ValidateOpts) -> Result<()> {
    let mut failed = 0;
    for path in &opts.scenarios {
        match Scenario::load(path) {
            Ok(s) => println!(
                "ok: {}: \"{}\", {} days, {} convoy streams, {} threats, {} closures, {} random closures",
                path.display(),
                s.name,
                s.horizon_days,
                s.streams.len(),
                s.threats.len(),
                s.closures.len(),
                s.random_closures.len()
            ),
            Err(e) => {
                failed += 1;
                eprintln!("error: {e}");
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
