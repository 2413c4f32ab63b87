//! The shell completion scripts and the man page, both made from the clap definitions of `--help`.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::model::Outcome;

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write sockscope.1 and one sockscope-SUBCOMMAND.1 per subcommand into DIR instead
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// Print the completion script for `command` (the whole command line's definition).
pub fn completions(args: &CompletionsArgs, mut command: clap::Command) -> anyhow::Result<Outcome> {
    let mut out = io::stdout().lock();
    clap_complete::generate(args.shell, &mut command, "sockscope", &mut out);
    out.flush().context("writing the completion script")?;
    Ok(Outcome::Success)
}

/// Print the man page of `command`, or write one page per subcommand into `--dir`.
pub fn man(args: &ManArgs, command: clap::Command) -> anyhow::Result<Outcome> {
    match &args.dir {
        Some(dir) => clap_mangen::generate_to(command, dir)
            .with_context(|| format!("writing man pages into {}", dir.display()))?,
        None => {
            let mut out = io::stdout().lock();
            clap_mangen::Man::new(command)
                .render(&mut out)
                .context("writing the man page")?;
            out.flush().context("writing the man page")?;
        }
    }
    Ok(Outcome::Success)
}
