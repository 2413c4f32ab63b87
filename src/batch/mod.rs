//! Batch lookups: keys from the command line, stdin or a file, resolved concurrently and
//! written in order (or as they finish), with a progress bar and `--stats`.

pub mod keys;
pub mod pool;
mod signals;
mod stats;

use std::ffi::{OsStr, OsString};
use std::io::{self, IsTerminal};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::calls::BatchArgs;
use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};

use crate::model::outcome::Interrupted;
use crate::model::{Answer, Failure, Fatal, Outcome};
use crate::validate;

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
    /// Give up on a lookup after this long (`--timeout`).
    pub timeout: Option<Duration>,
    /// Each answer carries how long its lookup took (the resolver's calls do).
    pub timed: bool,
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
            timeout: None,
            timed: false,
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
    /// Write one answer; it may be held in a buffer until `flush`.
    fn write(&mut self, answer: Answer<R>) -> anyhow::Result<()>;
    /// Write out what is held: the batch has no other answer ready.
    fn flush(&mut self) -> anyhow::Result<()>;
    /// Flush what is held back and say how the run went.
    fn finish(&mut self) -> anyhow::Result<Outcome>;
}

/// A signal's name for the line that says a batch was interrupted.
pub fn signal_name(signal: i32) -> &'static str {
    match signal {
        SIGINT => "SIGINT",
        SIGTERM => "SIGTERM",
        SIGHUP => "SIGHUP",
        _ => "a signal",
    }
}

/// The answer for a line of input longer than `keys::MAX_LINE`: bad input, named by its start.
fn too_long<R>(start: &OsStr) -> Answer<R> {
    let query = format!("{}...", validate::display(start));
    let message = format!(
        "line longer than {} bytes (skipped up to its newline)",
        keys::MAX_LINE
    );
    Answer::new(Some(query), Err(Failure::invalid(message)))
}

/// A batch's keys through `lookup`, timed (once: the clock is read twice a key).
struct Lookups<F> {
    lookup: F,
    timeout: Option<Duration>,
    timed: bool,
}

impl<R, F> pool::Work for Lookups<F>
where
    R: Send + 'static,
    F: Fn(&OsStr) -> Answer<R> + Send + Sync + 'static,
{
    type Key = keys::Key;
    type Answer = (Answer<R>, Duration);
    type Label = String;

    fn label(&self, key: &keys::Key) -> String {
        match key {
            keys::Key::Text(key) => validate::display(key),
            keys::Key::TooLong(start) => validate::display(start),
        }
    }

    fn lookup(&self, key: keys::Key) -> (Answer<R>, Duration) {
        let start = Instant::now();
        match key {
            keys::Key::Text(key) => {
                let mut answer = (self.lookup)(&key);
                let took = start.elapsed();
                if self.timed {
                    answer.elapsed = Some(took);
                }
                (answer, took)
            }
            // Refused before any call: nothing was looked up to be timed.
            keys::Key::TooLong(line) => (too_long(&line), start.elapsed()),
        }
    }

    fn given_up(&self, label: String, waited: Duration) -> (Answer<R>, Duration) {
        let limit = self.timeout.unwrap_or(waited);
        let mut answer = Answer::new(Some(label), Err(Failure::timeout(limit)));
        answer.elapsed = Some(waited);
        (answer, waited)
    }
}

/// Each answer counted in the stats and written to the output, the progress bar kept whole:
/// owned, since the workers that write the answers outlive any borrow.
struct Delivery<O> {
    /// Only with `--stats`: nothing else reads the counts.
    stats: Option<stats::Stats>,
    progress: Progress,
    out: O,
}

impl<R, O: Output<R>> pool::Deliver<(Answer<R>, Duration)> for Delivery<O> {
    fn write(&mut self, (answer, took): (Answer<R>, Duration)) -> anyhow::Result<()> {
        if let Some(stats) = &mut self.stats {
            let timed_out = answer.result.as_ref().err().is_some_and(|f| f.is_timeout());
            stats.add(
                answer.outcome(),
                timed_out,
                Some(answer.elapsed.unwrap_or(took)),
            );
        }
        self.progress.around(|| self.out.write(answer))
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        self.out.flush()
    }
}

/// Resolve every key with `lookup`, write each answer to `out`, then finish it; returns what
/// `out` says of the run. With a timeout in `batch`, a lookup still running after it is
/// written as TIMEOUT and its worker takes no new key until it returns. On SIGINT, SIGTERM or
/// SIGHUP the answers in hand are written and `out` finished (a JSON array closed, a table's
/// rows printed) before the error `Interrupted` is returned. Call it as the last thing the
/// process does: its worker threads stay parked once the keys run out (`pool::Options::linger`).
pub fn run<R: Send + 'static>(
    batch: &Options,
    args: &[OsString],
    lookup: impl Fn(&OsStr) -> Answer<R> + Send + Sync + 'static,
    out: impl Output<R> + Send + 'static,
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
    let signals = signals::Caught::install();
    let started = Instant::now();
    let opts = pool::Options {
        jobs: batch.jobs.max(1),
        unordered: batch.unordered,
        timeout: batch.timeout,
        // The process ends with the batch (`run` is the last thing a command does).
        linger: true,
    };
    let work = Lookups {
        lookup,
        timeout: batch.timeout,
        timed: batch.timed,
    };
    let delivery = Delivery {
        stats: batch.stats.then(stats::Stats::default),
        progress: Progress::new(),
        out,
    };
    let (result, summary) = pool::run(
        keys,
        opts,
        work,
        || signals.caught(),
        delivery,
        |delivery, ended| {
            delivery.progress.finish();
            // What was written is finished (a JSON array closed) unless writing itself failed.
            let out = &mut delivery.out;
            let result = match ended {
                Ok(pool::Ended::Done) => out.finish(),
                Ok(pool::Ended::Interrupted(signal)) => out.finish().and_then(|_| {
                    let message = format!("interrupted by {}", signal_name(signal));
                    Err(anyhow::Error::new(Interrupted::new(signal, message)))
                }),
                Err(pool::Error::Input(err)) => {
                    out.finish().and_then(|_| Err(err.context("reading keys")))
                }
                Err(pool::Error::Output(err)) => Err(err),
            };
            let summary = delivery
                .stats
                .as_ref()
                .map(|stats| stats.summary(started.elapsed()));
            (result, summary)
        },
    );
    drop(signals);
    if let Some(summary) = summary {
        // Written even after an error, so a partial batch still tells what it did.
        let _ = io::Write::write_all(&mut io::stderr().lock(), summary.as_bytes());
    }
    result
}
