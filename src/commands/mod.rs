//! What each subcommand does: load, run, print, write. The binary calls [`execute`]; this
//! module and its children are the only code that prints to the terminal.

mod interrupt;
mod network;
mod run;
mod validate;

use std::fmt::Display;
use std::io::Write as _;
use std::path::Path;

pub use interrupt::STOP;
pub use network::{network_csv, network_dot, network_geojson};

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};
use crate::scenario::Scenario;

pub fn execute(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Run(opts) => run::run(opts),
        Command::Validate(opts) => validate::validate(&opts),
        Command::Network(opts) => network::network(&opts),
    }
}

/// Prints to standard output. A reader that stops reading (`corridor network | head`) ends
/// the output quietly; any other failure, such as a full disk, is an error (`print!` would
/// panic on either).
pub(crate) fn print_out(text: impl Display) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match write!(out, "{text}").and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("cannot write", "the standard output", e))
        }
        _ => Ok(()),
    }
}

/// Prints a line to standard error if it can: if not, there is nowhere to report it.
pub(crate) fn print_err(line: impl Display) {
    let _ = writeln!(std::io::stderr(), "{line}");
}

/// A scenario file, or the built-in default when there is none.
pub(crate) fn load(path: Option<&Path>) -> Result<Scenario> {
    match path {
        Some(p) => Scenario::load(p),
        None => Ok(Scenario::builtin_default()),
    }
}
