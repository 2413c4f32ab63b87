//! The one place a fixed list of keys is looked up in turn, each timed and, with `--timeout`, abandoned when it takes too long.
//!
//! getaddrinfo and friends have no timeout argument and cannot be interrupted, so a lookup that
//! passes its deadline can only be left behind. Every lookup runs right on the calling thread;
//! with a timeout a watchdog thread, started once and never waited on, sleeps until the
//! deadline of the key in flight. A lookup that answers in time costs it nothing (no hand-over,
//! no wake-up). One that does not is abandoned with its thread: the watchdog writes its TIMEOUT
//! answer, takes over the remaining keys (watched by a watchdog of its own), finishes the output
//! and ends the run through `end`, since the thread that started it may be the one stuck.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

use crate::batch::Output;
use crate::model::{Answer, Outcome};

/// What ends the process with the outcome of a run finished by a thread other than the one
/// that started it: the binary's own ending (exit codes are its business), set once at start.
pub type Ending = fn(anyhow::Result<Outcome>) -> !;

static ENDING: OnceLock<Ending> = OnceLock::new();

/// Set how a run taken over from a stuck thread ends the process.
pub fn set_ending(ending: Ending) {
    let _ = ENDING.set(ending);
}

/// The ending set by the binary; without one (the library used alone), a plain exit that
/// tells success from failure.
pub fn ending() -> Ending {
    ENDING
        .get()
        .copied()
        .unwrap_or(|result| std::process::exit(i32::from(!matches!(result, Ok(Outcome::Success)))))
}

/// An answer for one key, made on whichever thread holds the run.
pub type Answering<K, R> = Box<dyn Fn(&K) -> Answer<R> + Send + Sync>;

/// How each key of a run is answered.
pub struct Keys<K, R> {
    pub keys: Vec<K>,
    /// The lookup of one key; its answer is timed here.
    pub lookup: Answering<K, R>,
    /// The answer for a key abandoned after `--timeout` (its elapsed time is set here).
    pub given_up: Answering<K, R>,
}

/// What a taken-over run calls with its result, once.
type End = Box<dyn FnOnce(anyhow::Result<Outcome>) + Send>;

/// Look up every key in turn on this thread and write each answer to `out` in order, then
/// finish it. A key still out after `limit` is answered with `given_up`, and the rest of the
/// run moves to another thread, which calls `end` with its result: this one stays in the
/// abandoned call and does not return.
pub fn in_turn<K, R, O>(
    limit: Duration,
    keys: Keys<K, R>,
    out: O,
    end: impl FnOnce(anyhow::Result<Outcome>) + Send + 'static,
) -> anyhow::Result<Outcome>
where
    K: Send + Sync + 'static,
    R: Send + 'static,
    O: Output<R> + Send + 'static,
{
    let run = Arc::new(Run {
        keys,
        limit,
        state: Mutex::new(State {
            out: Some(out),
            next: 0,
            started: None,
            runner: 0,
        }),
        tick: Condvar::new(),
        end: Mutex::new(Some(Box::new(end))),
    });
    if let Err(err) = watch(&run, 0) {
        return Err(anyhow::Error::new(err).context("starting the --timeout watchdog"));
    }
    match drive(&run, 0) {
        Some(result) => result,
        // Left behind in a lookup that came back after its deadline: the run belongs to
        // another thread now, which ends the process.
        None => loop {
            std::thread::park();
        },
    }
}

/// `lookup` of one key with the time it took.
fn timed<K, R>(keys: &Keys<K, R>, key: &K) -> Answer<R> {
    let start = Instant::now();
    let mut answer = (keys.lookup)(key);
    answer.elapsed = Some(start.elapsed());
    answer
}

/// Write one answer and flush it, so that it is seen at once.
fn put<R, O: Output<R>>(out: &mut O, answer: Answer<R>) -> anyhow::Result<()> {
    out.write(answer)?;
    out.flush()
}

/// A run with a timeout, shared by the thread looking up and the watchdog.
struct Run<K, R, O> {
    keys: Keys<K, R>,
    limit: Duration,
    state: Mutex<State<O>>,
    /// Only ever waited on with a deadline: nobody signals it, so an answer in time wakes no
    /// one.
    tick: Condvar,
    end: Mutex<Option<End>>,
}

struct State<O> {
    /// None once the run's output is finished (or failed).
    out: Option<O>,
    /// The key in flight, or the next one.
    next: usize,
    /// When the key in flight started; None between keys.
    started: Option<Instant>,
    /// Which thread holds the run: each take-over counts one up, and the thread it replaced
    /// finds out when its lookup comes back.
    runner: usize,
}

/// No thread holds the run any more: its output is finished.
const FINISHED: usize = usize::MAX;

impl<K, R, O> Run<K, R, O> {
    fn lock(&self) -> MutexGuard<'_, State<O>> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Look up the keys left while this thread (`me`) holds the run; the run's result once
/// finished, None if it was taken over.
fn drive<K, R, O: Output<R>>(run: &Run<K, R, O>, me: usize) -> Option<anyhow::Result<Outcome>> {
    loop {
        let index = {
            let mut state = run.lock();
            if state.runner != me {
                return None;
            }
            if state.next == run.keys.keys.len() {
                state.runner = FINISHED;
                let mut out = state.out.take()?;
                drop(state);
                return Some(out.finish());
            }
            state.started = Some(Instant::now());
            state.next
        };
        let answer = timed(&run.keys, &run.keys.keys[index]);
        let mut state = run.lock();
        if state.runner != me {
            return None;
        }
        state.started = None;
        state.next += 1;
        if let Err(err) = put(state.out.as_mut()?, answer) {
            state.runner = FINISHED;
            state.out = None;
            return Some(Err(err));
        }
    }
}

/// Start the watchdog of runner `runner`.
fn watch<K, R, O>(run: &Arc<Run<K, R, O>>, runner: usize) -> std::io::Result<()>
where
    K: Send + Sync + 'static,
    R: Send + 'static,
    O: Output<R> + Send + 'static,
{
    let run = Arc::clone(run);
    std::thread::Builder::new()
        .name("watchdog".to_string())
        .spawn(move || watchdog(&run, runner))
        .map(drop)
}

/// Sleep until the deadline of runner `runner`'s key in flight; if it passes, answer the key
/// with TIMEOUT and take the run over.
fn watchdog<K, R, O>(run: &Arc<Run<K, R, O>>, runner: usize)
where
    K: Send + Sync + 'static,
    R: Send + 'static,
    O: Output<R> + Send + 'static,
{
    let mut state = run.lock();
    let started = loop {
        if state.runner != runner {
            return;
        }
        let now = Instant::now();
        // Between keys the next deadline is at least a whole limit away.
        let deadline = state.started.map_or(now + run.limit, |s| s + run.limit);
        if let (Some(started), true) = (state.started, now >= deadline) {
            break started;
        }
        state = run
            .tick
            .wait_timeout(state, deadline - now)
            .map_or_else(|p| p.into_inner().0, |(s, _)| s);
    };
    let me = runner + 1;
    state.runner = me;
    state.started = None;
    let key = &run.keys.keys[state.next];
    state.next += 1;
    let mut answer = (run.keys.given_up)(key);
    answer.elapsed = Some(started.elapsed());
    let written = match state.out.as_mut() {
        Some(out) => put(out, answer),
        None => Ok(()),
    };
    let result = match written {
        Err(err) => {
            state.runner = FINISHED;
            state.out = None;
            Some(Err(err))
        }
        Ok(()) => {
            let more = state.next < run.keys.keys.len();
            drop(state);
            // Unwatched, the rest still runs: only another stuck key could then hang it.
            if more {
                let _ = watch(run, me);
            }
            drive(run, me)
        }
    };
    let end = run.end.lock().unwrap_or_else(|p| p.into_inner()).take();
    if let (Some(result), Some(end)) = (result, end) {
        end(result);
    }
}

#[cfg(test)]
mod tests;
