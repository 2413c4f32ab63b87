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

use crate::cmd::{Ctx, Emitter};
use crate::exit::{ExitCode, Fatal};
use crate::model::{Answer, Record};

/// How a batch of keys is read and run, as the command line asked.
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// A file of more keys, one per line.
    pub file: Option<PathBuf>,
    /// Lookups in flight at once.
    pub jobs: usize,
    /// Write answers as they finish instead of in input order.
    pub unordered: bool,
    /// Print a summary on stderr at the end.
    pub stats: bool,
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

/// Whether these arguments ask for keys from elsewhere than the command line.
pub fn reads_keys(batch: &Batch, args: &[OsString]) -> bool {
    batch.file.is_some() || args.iter().any(|a| a == "-")
}

/// Split a `HOST [SERVICE]` line; the service is `None` when the line has only a host.
pub fn host_and_service(line: &OsStr) -> (OsString, Option<OsString>) {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    let bytes = line.as_bytes();
    let mut parts = bytes
        .split(|b| b.is_ascii_whitespace())
        .filter(|part| !part.is_empty());
    let host = OsString::from_vec(parts.next().unwrap_or_default().to_vec());
    let service = parts.next().map(|s| OsString::from_vec(s.to_vec()));
    (host, service)
}

/// Resolve every key with `lookup` and write the answers; returns the highest exit code.
pub fn run<R>(
    ctx: &Ctx,
    batch: &Batch,
    args: &[OsString],
    lookup: impl Fn(&OsStr) -> Answer<R> + Sync,
) -> anyhow::Result<ExitCode>
where
    R: Record + Send + 'static,
{
    let keys = keys::keys(args, batch.file.as_deref()).map_err(|err| {
        let path = batch.file.as_deref().unwrap_or(std::path::Path::new("-"));
        let reason = err
            .raw_os_error()
            .map_or_else(|| err.to_string(), crate::sys::error::errno_message);
        Fatal::new(
            ExitCode::Usage,
            format!("--file {}: {reason}", path.display()),
        )
    })?;
    let started = Instant::now();
    let mut emitter = Emitter::<R>::new(ctx);
    let mut stats = stats::Stats::default();
    let mut progress = Progress::new();
    // Keys all on the command line are few and counted: no more workers than keys.
    let counted = batch.file.is_none() && !args.iter().any(|a| a == "-");
    let jobs = if counted {
        batch.jobs.min(args.len())
    } else {
        batch.jobs
    };
    let opts = pool::Options {
        jobs: jobs.max(1),
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
            let code = answer.result.as_ref().err().map(|f| f.code.as_str());
            stats.add(answer.exit(), code, Some(answer.elapsed.unwrap_or(took)));
            progress.around(|| emitter.write(answer))
        },
    )
    .context("reading keys");
    progress.finish();
    let worst = outcome.and_then(|()| emitter.finish());
    if batch.stats {
        // Written even after an error, so a partial batch still tells what it did.
        let _ = io::Write::write_all(
            &mut io::stderr().lock(),
            stats.summary(started.elapsed()).as_bytes(),
        );
    }
    worst
}
