//! sockscope's entry point: parse the command line, run the subcommand, turn the outcome into an exit code.

mod exit_codes;

use std::io::{self, IsTerminal, Write};

use clap::CommandFactory;
use clap::error::ErrorKind;

use sockscope::cli::Cli;
use sockscope::model::{
    Outcome,
    outcome::{interrupted_by, outcome_of},
};
use sockscope::text::printable;

use crate::exit_codes::{exit_code, signal_exit_code};

fn main() {
    let cli = match Cli::parse_process() {
        Ok(cli) => cli,
        Err(err) => std::process::exit(exit_code(parse_error(&err))),
    };
    let outcome = match sockscope::app::run(&cli.command) {
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

/// What a command line clap did not turn into a `Cli` prints, and the outcome: `--help` and
/// `--version` print to stdout (made whole first, so a full disk or a closed stdout is an
/// error, exit 4, not a silent success); bare `sockscope` prints the help with the list of
/// subcommands on stderr (exit 2, a usage error, as clap does); any other mistake is one line.
fn parse_error(err: &clap::Error) -> Outcome {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            let text = styled(err, io::stdout().is_terminal());
            let mut out = io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => Outcome::Success,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Outcome::Success,
                Err(e) => {
                    let _ = writeln!(io::stderr().lock(), "sockscope: writing the help: {e}");
                    Outcome::System
                }
            }
        }
        // Only a bare `sockscope` gets the whole help: anything typed (`sockscope --`) is a
        // mistake, one line like every other.
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand if std::env::args_os().len() > 1 => {
            let _ = writeln!(
                io::stderr().lock(),
                "sockscope: a subcommand is required (try --help)"
            );
            Outcome::Usage
        }
        ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let text = styled(err, io::stderr().is_terminal());
            let _ = write!(io::stderr().lock(), "{text}");
            Outcome::Usage
        }
        _ => {
            let mut line = one_line(err);
            if err.kind() == ErrorKind::MissingRequiredArgument && keys_may_come_from_stdin() {
                line.push_str("; to read keys from standard input, give `-` as the key");
            }
            let _ = writeln!(io::stderr().lock(), "sockscope: {line} (try --help)");
            Outcome::Usage
        }
    }
}

/// clap's text, in colour only for a terminal and when NO_COLOR does not forbid it.
fn styled(err: &clap::Error, terminal: bool) -> String {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    if terminal && !no_color {
        err.render().ansi().to_string()
    } else {
        err.render().to_string()
    }
}

/// Whether keys are missing where standard input holds them (`echo ssh | sockscope
/// servbyname`): stdin is not a terminal and the subcommand reads keys from `-` (the batch
/// subcommands, which all take `--file`).
fn keys_may_come_from_stdin() -> bool {
    if io::stdin().is_terminal() {
        return false;
    }
    let Some(name) = std::env::args().nth(1) else {
        return false;
    };
    let command = Cli::command();
    command
        .find_subcommand(&name)
        .is_some_and(|sub| sub.get_arguments().any(|a| a.get_id() == "file"))
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
    printable(joined, 1000)
}

/// A reader that went away (`sockscope constants | head -1`) is a normal end, not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
