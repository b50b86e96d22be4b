//! The `corridor` binary: parse the command line, call the library, print any error and
//! exit with its code (0 ok, 1 failure, 2 bad input, 130 interrupted).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = corridor::cli::Cli::parse();
    match corridor::commands::execute(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Written, not `eprintln!`ed: a closed stderr must not turn an error into a panic.
            let mut stderr = std::io::stderr().lock();
            let _ = writeln!(stderr, "error: {err}");
            let mut source = std::error::Error::source(&err);
            while let Some(cause) = source {
                let _ = writeln!(stderr, "  caused by: {cause}");
                source = cause.source();
            }
            ExitCode::from(err.exit_code() as u8)
        }
    }
}
