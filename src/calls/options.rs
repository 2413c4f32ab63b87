//! The option groups many subcommands share: batch input, and the resolver's timeout.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

/// How many lookups `--jobs` runs at once unless told: network lookups spend their time waiting.
pub const DEFAULT_JOBS: u32 = 64;

/// Options of every subcommand that takes many keys.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Read more keys from PATH, one per line (blank lines and # comments skipped; a line over
    /// 64 KiB is bad input); PATH `-` or a key `-` reads them from standard input
    #[arg(help_heading = "Batch", long, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// Lookups in flight at once, 1-4096: the threads that make them, lookups given up on by
    /// --timeout included (calls that are not thread-safe stay serialized)
    #[arg(help_heading = "Batch", short, long, value_name = "N", default_value_t = DEFAULT_JOBS,
          value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub jobs: u32,

    /// Print each answer as soon as it is ready instead of in input order
    #[arg(long, help_heading = "Batch")]
    pub unordered: bool,

    /// At the end, print counts per outcome and latency p50/p95/max on stderr
    #[arg(long, help_heading = "Batch")]
    pub stats: bool,
}

impl BatchArgs {
    /// Whether these arguments ask for keys from elsewhere than the command line.
    pub fn reads_keys(&self, args: &[OsString]) -> bool {
        self.file.is_some() || args.iter().any(|a| a == "-")
    }
}

/// Options of every subcommand that asks the resolver: how long to wait, whether to show it.
#[derive(Debug, Clone, Default, Args)]
pub struct ResolverArgs {
    /// Give up on each lookup after SECONDS (0.001-86400, e.g. 2 or 0.5) and report TIMEOUT
    /// (exit 3)
    #[arg(help_heading = "Resolver", long, value_name = "SECONDS", value_parser = crate::parse::seconds)]
    pub timeout: Option<Duration>,

    /// Add an elapsed_ms column to the table (JSON always has elapsed_ms)
    #[arg(long, help_heading = "Resolver")]
    pub elapsed: bool,
}
