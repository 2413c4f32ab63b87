//! sockscope's entry point: parse the command line, run the subcommand, turn the outcome into an exit code.

mod batch;
mod cli;
mod cmd;
mod exit;
mod lookup;
mod model;
mod net;
mod pyrepr;
mod render;
mod sys;
mod tour;
mod validate;

use std::io::{self, Write};

use clap::Parser;

use crate::exit::{ExitCode, exit_code_of};

fn main() {
    let cli = cli::Cli::parse();
    let code = match cmd::run(&cli.command, &cli.output) {
        Ok(code) => code,
        Err(err) if is_broken_pipe(&err) => ExitCode::Success,
        Err(err) => {
            let chain: Vec<String> = err.chain().map(ToString::to_string).collect();
            let _ = writeln!(io::stderr().lock(), "sockscope: {}", chain.join(": "));
            exit_code_of(&err)
        }
    };
    std::process::exit(code.code());
}

/// A reader that went away (`sockscope constants | head -1`) is a normal end, not an error.
fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
