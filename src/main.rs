//! sockscope's entry point: parse the command line, run the subcommand, turn the outcome into an exit code.
// The test harness brings its own `main` for the unit tests of the exit codes.
#![cfg_attr(not(test), no_main)]

mod exit_codes;

use std::io::{self, IsTerminal, Write};

use clap::CommandFactory;
use clap::error::ErrorKind;

use sockscope::cli::Cli;
use sockscope::model::{
    Outcome,
    outcome::{interrupted_by, outcome_of},
};
use sockscope::runner::emit::OutputFailed;
use sockscope::text::printable;

use crate::exit_codes::{exit_code, signal_exit_code};

// A C `main` rather than Rust's `fn main`: see `sockscope::sys::start` for what it saves.
#[cfg(not(test))]
sockscope::c_main!(run);
// Under the test harness nothing calls `run`; this keeps it, and all it calls, in use.
#[cfg(test)]
const _: fn() -> i32 = run;

fn run() -> i32 {
    let cli = match Cli::parse_process() {
        Ok(cli) => cli,
        Err(err) => std::process::exit(exit_code(parse_error(&err))),
    };
    if let Err(err) = stdout_is_open() {
        std::process::exit(fail(&format!("standard output: {}", errno_text(&err))));
    }
    // A run whose lookup was abandoned after --timeout is finished by another thread, which
    // ends the process the same way.
    sockscope::runner::limit::set_ending(end);
    end(sockscope::app::run(&cli.command))
}

/// End the process with the exit code of a run's result, its error written on stderr.
fn end(result: anyhow::Result<Outcome>) -> ! {
    let code = match result {
        Ok(outcome) => exit_code(outcome),
        Err(err) => code_of_error(&err),
    };
    // Through Rust's exit, which flushes standard output, unlike returning to the C library.
    std::process::exit(code);
}

/// What a command line clap did not turn into a `Cli` prints, and the outcome: `--help` and
/// `--version` print to stdout (made whole first, so a full disk or a closed stdout is an
/// error, exit 4, not a silent success); bare `sockscope` prints the help with the list of
/// subcommands on stderr (exit 2, a usage error, as clap does); any other mistake is one line.
fn parse_error(err: &clap::Error) -> Outcome {
    match err.kind() {
        ErrorKind::DisplayHelp | ErrorKind::DisplayVersion => {
            if let Err(e) = stdout_is_open() {
                fail(&format!("standard output: {}", errno_text(&e)));
                return Outcome::System;
            }
            let text = styled(err, io::stdout().is_terminal());
            let mut out = io::stdout().lock();
            match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
                Ok(()) => Outcome::Success,
                Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Outcome::Success,
                Err(e) => {
                    fail(&format!("writing output: {}", errno_text(&e)));
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
    // Subcommands get their arguments only when built.
    command.find_subcommand(&name).is_some_and(|sub| {
        let mut sub = sub.clone();
        sub.build();
        sub.get_arguments().any(|a| a.get_id() == "file")
    })
}

/// The exit code of a run that ended in `err`, its one line written on stderr unless the
/// reader of stdout went away (`sockscope ... | head -1`): that is a normal end, whose code is
/// the worst among the answers seen before.
fn code_of_error(err: &anyhow::Error) -> i32 {
    let output = err.chain().find_map(|c| c.downcast_ref::<OutputFailed>());
    if let Some(failed) = output
        && failed.error.kind() == io::ErrorKind::BrokenPipe
    {
        return exit_code(failed.worst);
    }
    if output.is_none() && is_broken_pipe(err) {
        return exit_code(Outcome::Success);
    }
    let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
    // Each layer that only repeats the one below it adds nothing to the line.
    let mut parts: Vec<String> = Vec::new();
    for part in chain {
        if !parts.last().is_some_and(|last| last.ends_with(&part)) {
            parts.push(part);
        }
    }
    let code = match interrupted_by(err) {
        Some(signal) => signal_exit_code(signal),
        None => exit_code(outcome_of(err).max(output.map_or(Outcome::Success, |o| o.worst))),
    };
    let text = printable(&parts.join(": "), 1000);
    let _ = writeln!(io::stderr().lock(), "sockscope: {text}");
    code
}

/// Write `sockscope: {message}` on stderr; the exit code of a system failure.
fn fail(message: &str) -> i32 {
    let _ = writeln!(
        io::stderr().lock(),
        "sockscope: {}",
        printable(message, 1000)
    );
    exit_code(Outcome::System)
}

/// Whether file descriptor 1 is open: a closed one (`>&-`) was replaced by /dev/null at start
/// so that no socket takes its number, and output written there would vanish, making a run
/// that printed nothing look like a success.
fn stdout_is_open() -> io::Result<()> {
    if sockscope::sys::start::stdout_was_closed() {
        Err(io::Error::from_raw_os_error(libc::EBADF))
    } else {
        Ok(())
    }
}

/// An I/O error in the C library's words, without Rust's `(os error N)`.
fn errno_text(err: &io::Error) -> String {
    err.raw_os_error()
        .map_or_else(|| err.to_string(), sockscope::sys::error::errno_message)
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
