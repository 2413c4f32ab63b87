//! The shell completion scripts and the man page, both made from the clap definitions of `--help`.

mod complete;
mod man;

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::model::Outcome;

pub use man::Page;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write the page as sockscope.1 into DIR (created if missing) instead of to stdout
    #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
    pub dir: Option<PathBuf>,
}

/// Print the completion script for `command` (the whole command line's definition).
pub fn completions(args: &CompletionsArgs, command: clap::Command) -> anyhow::Result<Outcome> {
    let script = complete::script(args.shell, command);
    write_stdout(&script).context("writing the completion script")?;
    Ok(Outcome::Success)
}

/// Print the man page of `command`, or write it into `--dir`.
pub fn man(args: &ManArgs, command: clap::Command, page: &Page) -> anyhow::Result<Outcome> {
    let text = man::render(command, page);
    match &args.dir {
        Some(dir) => man::write_into(dir, text.as_bytes())
            .with_context(|| format!("writing the man page into {}", dir.display()))?,
        None => write_stdout(text.as_bytes()).context("writing the man page")?,
    }
    Ok(Outcome::Success)
}

/// Write everything, made beforehand, to stdout and make sure it arrived: a full disk or a
/// closed pipe is an error to report rather than a panic or a silent success.
pub fn write_stdout(bytes: &[u8]) -> io::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)?;
    out.flush()
}
