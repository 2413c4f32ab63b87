//! sockscope's entry point: parse the command line, run the subcommand, turn the outcome into an exit code.

mod exit_codes;

use std::io::{self, Write};

use clap::Parser;

use sockscope::cli::Cli;
use sockscope::model::{
    Outcome,
    outcome::{interrupted_by, outcome_of},
};
use sockscope::text::printable;

use crate::exit_codes::{exit_code, signal_exit_code};

fn main() {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) if !err.use_stderr() => err.exit(), // --help and --version print and exit 0
        Err(err) => {
            let _ = writeln!(io::stderr().lock(), "sockscope: {}", one_line(&err));
            std::process::exit(exit_code(Outcome::Usage));
        }
    };
    let outcome = match sockscope::app::run(&cli.command, &cli.output) {
        Ok(outcome) => outcome,
        Err(err) if interrupted_by(&err).is_some() => {
            // Its output is complete; the line and the code say which signal ended it.
            let _ = writeln!(io::stderr().lock(), "sockscope: {err}");
            let signal = interrupted_by(&err).unwrap_or_default();
            std::process::exit(signal_exit_code(signal));
        }
        Err(err) if is_broken_pipe(&err) => Outcome::Success,
        Err(err) => {
            let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
            let text = printable(&chain.join(": "), 1000);
            let _ = writeln!(io::stderr().lock(), "sockscope: {text}");
            outcome_of(&err)
        }
    };
    std::process::exit(exit_code(outcome));
}

/// clap's usage error as one line, like every other sockscope error, so scripts reading stderr
/// line by line see one error per line: the message without the usage block and `error:`.
fn one_line(err: &clap::Error) -> String {
    let text = err.render().to_string();
    let message = text
        .split("\n\nUsage:")
        .next()
        .unwrap_or_default()
        .split("\n\nFor more information")
        .next()
        .unwrap_or_default();
    let words: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect();
    let joined = words.join(" ");
    let joined = joined.strip_prefix("error: ").unwrap_or(&joined);
    format!("{} (try --help)", printable(joined, 1000))
}

/// A reader that went away (`sockscope constants | head -1`) is a normal end, not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
