//! Batch lookups: keys from the command line, stdin or a file, resolved concurrently and
//! written in order (or as they finish), with a progress bar and `--stats`.

mod keys;
pub mod pool;
mod stats;

use std::ffi::{OsStr, OsString};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::calls::BatchArgs;
use crate::model::{Answer, Fatal, Outcome};

/// How a batch of keys is read and run, as the command line asked.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// A file of more keys, one per line.
    pub file: Option<PathBuf>,
    /// Lookups in flight at once.
    pub jobs: usize,
    /// Write answers as they finish instead of in input order.
    pub unordered: bool,
    /// Print a summary on stderr at the end.
    pub stats: bool,
}

impl Options {
    /// The batch options given on the command line. Keys all on the command line are few and
    /// counted: no more workers than keys.
    pub fn from_args(args: &BatchArgs, keys: &[OsString]) -> Self {
        let jobs = usize::try_from(args.jobs).unwrap_or(1);
        let jobs = if args.reads_keys(keys) {
            jobs
        } else {
            jobs.min(keys.len())
        };
        Options {
            file: args.file.clone(),
            jobs: jobs.max(1),
            unordered: args.unordered,
            stats: args.stats,
        }
    }
}

/// Answers written before a progress bar is worth showing.
const PROGRESS_AFTER: u64 = 200;

/// A spinner on stderr once a batch is long, and only where stderr is a terminal.
struct Progress {
    bar: Option<ProgressBar>,
    enabled: bool,
    done: u64,
}

impl Progress {
    fn new() -> Self {
        Progress {
            bar: None,
            enabled: io::stderr().is_terminal(),
            done: 0,
        }
    }

    /// Run `f` (which may print to stderr) without tearing the bar, then count one answer.
    fn around<T>(&mut self, f: impl FnOnce() -> T) -> T {
        self.done += 1;
        if self.enabled && self.bar.is_none() && self.done >= PROGRESS_AFTER {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
            if let Ok(style) =
                ProgressStyle::with_template("{spinner} {pos} keys, {per_sec}, {elapsed}")
            {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            self.bar = Some(bar);
        }
        match &self.bar {
            Some(bar) => {
                bar.set_position(self.done);
                bar.suspend(f)
            }
            None => f(),
        }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// Where a batch's answers go, in the order they are to be written.
pub trait Output<R> {
    fn write(&mut self, answer: Answer<R>) -> anyhow::Result<()>;
    /// Flush what is held back and say how the run went.
    fn finish(self) -> anyhow::Result<Outcome>;
}

/// Resolve every key with `lookup`, write each answer to `out`, then finish it; returns what
/// `out` says of the run.
pub fn run<R: Send>(
    batch: &Options,
    args: &[OsString],
    lookup: impl Fn(&OsStr) -> Answer<R> + Sync,
    mut out: impl Output<R>,
) -> anyhow::Result<Outcome> {
    let keys = keys::keys(args, batch.file.as_deref()).map_err(|err| {
        let path = batch.file.as_deref().unwrap_or(std::path::Path::new("-"));
        let reason = err
            .raw_os_error()
            .map_or_else(|| err.to_string(), crate::sys::error::errno_message);
        Fatal::new(
            Outcome::Usage,
            format!("--file {}: {reason}", path.display()),
        )
    })?;
    let started = Instant::now();
    let mut stats = stats::Stats::new(batch.stats);
    let mut progress = Progress::new();
    let opts = pool::Options {
        jobs: batch.jobs.max(1),
        unordered: batch.unordered,
    };
    let timed = |key: OsString| {
        let start = Instant::now();
        let answer = lookup(&key);
        (answer, start.elapsed())
    };
    let outcome = pool::run(
        keys,
        opts,
        timed,
        |(answer, took): (Answer<R>, Duration)| {
            let timed_out = answer.result.as_ref().err().is_some_and(|f| f.is_timeout());
            stats.add(
                answer.outcome(),
                timed_out,
                Some(answer.elapsed.unwrap_or(took)),
            );
            progress.around(|| out.write(answer))
        },
    )
    .context("reading keys");
    progress.finish();
    let worst = outcome.and_then(|()| out.finish());
    if batch.stats {
        // Written even after an error, so a partial batch still tells what it did.
        let _ = io::Write::write_all(
            &mut io::stderr().lock(),
            stats.summary(started.elapsed()).as_bytes(),
        );
    }
    worst
}
