//! What each subcommand does: load, run, print, write. The binary calls [`execute`]; this
//! module and its children are the only code that prints to the terminal.

mod interrupt;
mod network;
mod run;
mod validate;

use std::path::Path;

pub use interrupt::STOP;
pub use network::{network_csv, network_dot, network_geojson};

use crate::cli::{Cli, Command};
use crate::error::Result;
use crate::scenario::Scenario;

pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(opts) => run::run(opts),
        Command::Validate(opts) => validate::validate(&opts),
        Command::Network(opts) => network::network(&opts),
    }
}

/// A scenario file, or the built-in default when there is none.
pub(crate) fn load(path: Option<&Path>) -> Result<Scenario> {
    match path {
        Some(p) => Scenario::load(p),
        None => Ok(Scenario::builtin_default()),
    }
}
