//! Run lookups on a fixed set of worker threads that write their answers in input order (or as
//! they finish), with a bounded number in flight so memory and threads stay flat however long
//! the input, and however many lookups are given up on.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// How a batch runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads, each making one lookup at a time: the threads that exist, lookups given
    /// up on included.
    pub jobs: usize,
    /// Write each answer as soon as it is ready rather than in input order.
    pub unordered: bool,
    /// Give up waiting for a lookup after this long and write `Work::given_up` in its place.
    /// The lookup itself cannot be stopped: its worker takes no new key until it returns.
    pub timeout: Option<Duration>,
    /// Workers left with nothing to do stay parked instead of returning, for a process that
    /// ends with the batch: it then pays for one exit of them all rather than each thread's
    /// own (a stack beyond glibc's cache unmapped, each unmapping flushing the other CPUs'
    /// TLBs while the rest of the workers fault their stacks in). Their threads, and what
    /// they share (`work` among it), are never given back: not for a batch run in a
    /// process that goes on.
    pub linger: bool,
}

/// What a batch does with each key.
pub trait Work: Send + Sync + 'static {
    type Key: Send + 'static;
    type Answer: Send + 'static;
    /// What names a key in the answer written when its lookup is given up on.
    type Label: Send + 'static;

    fn label(&self, key: &Self::Key) -> Self::Label;
    fn lookup(&self, key: Self::Key) -> Self::Answer;
    /// The answer for a key whose lookup was given up on after `waited`.
    fn given_up(&self, label: Self::Label, waited: Duration) -> Self::Answer;
}

/// How a batch ended, when nothing failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// Every key was answered and written.
    Done,
    /// `interrupted` said so (a signal number): the answers in hand were written, the rest
    /// are left to their threads, which end with the process.
    Interrupted(i32),
}

/// Why a batch stopped early.
#[derive(Debug)]
pub enum Error {
    /// Reading keys (or starting the workers) failed; what came before was written.
    Input(anyhow::Error),
    /// Writing an answer failed.
    Output(anyhow::Error),
}

/// How often the watching thread looks at `interrupted` and flushes answers left held: the
/// longest an answer waits in the buffer while other lookups are under way.
const TICK: Duration = Duration::from_millis(50);

/// A worker's stack. A lookup needs little (the CLI and lab suites pass with 64 KiB in a
/// debug build; glibc's resolver keeps its buffers small on the stack, and Java runs
/// getaddrinfo on 512 KiB threads), and with Rust's 2 MiB default a 1,000-name batch at 64 or
/// 256 jobs took about a tenth more CPU (measured in bench/batch.sh's lab, not explained).
const WORKER_STACK: usize = 512 * 1024;

/// Keys read but not yet written, at most: enough to keep every worker busy behind one slow key.
fn window(jobs: usize) -> usize {
    jobs.saturating_mul(4).max(64)
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Lookups under way by key index: when each started, and its label.
type InFlight<L> = Mutex<BTreeMap<usize, (Instant, L)>>;

/// The output, held by one thread at a time.
type OutGuard<'a, A, D> = MutexGuard<'a, Writer<A, D>>;

/// What the workers share.
struct Shared<W: Work, I, D> {
    work: W,
    /// The input and how many keys were taken; None once it ended or failed.
    keys: Mutex<Option<(I, usize)>>,
    progress: Progress,
    window: usize,
    /// With a timeout: the keys being looked up, when each started and its label. Entered
    /// under the `keys` lock, so the first entry by index is the one that started first; a
    /// key no longer here when its lookup returns was given up on, its answer written.
    in_flight: Option<InFlight<W::Label>>,
    timeout: Option<Duration>,
    read_error: Mutex<Option<anyhow::Error>>,
    /// The output and the answers waiting their turn, written by whichever worker brings an
    /// answer (as a C program's threads print under a lock): no thread wakes to write for
    /// another. Closed once the batch has ended.
    out: Mutex<Writer<W::Answer, D>>,
    /// Told when the batch may have ended: the last answer written, writing failed, or the
    /// last worker gone. The supervising thread waits on it between its rounds.
    ended: Condvar,
    /// Workers in a lookup now: when none is, an answer just written is flushed at once,
    /// since no other is about to join it.
    looking_up: AtomicUsize,
    /// Workers still running; the last one to leave tells `ended`.
    alive: AtomicUsize,
    linger: bool,
}

impl<W: Work, I, D> Shared<W, I, D> {
    fn out(&self) -> OutGuard<'_, W::Answer, D> {
        lock(&self.out)
    }
}

/// Counts a worker out when it returns, however it returns.
struct Leaving<'a, W: Work, I, D: Deliver<W::Answer>>(&'a Shared<W, I, D>);

impl<W: Work, I, D: Deliver<W::Answer>> Drop for Leaving<'_, W, I, D> {
    fn drop(&mut self) {
        if self.0.alive.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.out().gone = true;
            self.0.ended.notify_all();
        }
    }
}

/// One worker: its keys, then (with `linger`) parked until the process ends.
fn worker<W, I, E, D>(shared: &Shared<W, I, D>)
where
    W: Work,
    I: Iterator<Item = Result<W::Key, E>>,
    E: Into<anyhow::Error>,
    D: Deliver<W::Answer>,
{
    let leaving = Leaving(shared);
    answer_keys(shared);
    drop(leaving);
    if shared.linger {
        loop {
            // Nothing unparks it: a spurious return only parks it again.
            std::thread::park();
        }
    }
}

/// Take the next key, look it up, write the answer (and those it lets out in order), until
/// the input ends or the batch stops.
fn answer_keys<W, I, E, D>(shared: &Shared<W, I, D>)
where
    W: Work,
    I: Iterator<Item = Result<W::Key, E>>,
    E: Into<anyhow::Error>,
    D: Deliver<W::Answer>,
{
    loop {
        if shared.progress.stop.load(Ordering::SeqCst) {
            return;
        }
        // Workers take keys straight from the input, one at a time under this lock: a reader
        // thread handing keys over a channel cost a wake-up per key. Only the worker holding
        // the lock waits for room in the window, so one write wakes one worker.
        let (index, key) = {
            let mut guard = lock(&shared.keys);
            let Some((input, taken)) = guard.as_mut() else {
                return;
            };
            let index = *taken;
            if !shared.progress.wait_for_room(index, shared.window) {
                return;
            }
            match input.next() {
                Some(Ok(key)) => {
                    *taken += 1;
                    if let Some(in_flight) = &shared.in_flight {
                        let label = shared.work.label(&key);
                        lock(in_flight).insert(index, (Instant::now(), label));
                    }
                    shared.looking_up.fetch_add(1, Ordering::AcqRel);
                    (index, key)
                }
                end => {
                    if let Some(Err(err)) = end {
                        *lock(&shared.read_error) = Some(err.into());
                    }
                    // Never ask again: a terminal on stdin would wait for a second end-of-file.
                    *guard = None;
                    drop(guard);
                    let mut writer = shared.out();
                    writer.total = Some(index);
                    if writer.finished() {
                        shared.ended.notify_all();
                    }
                    return;
                }
            }
        };
        let answer = shared.work.lookup(key);
        let others = shared.looking_up.fetch_sub(1, Ordering::AcqRel) - 1;
        let mut writer = shared.out();
        if writer.closed || writer.failed.is_some() {
            return;
        }
        if let Some(in_flight) = &shared.in_flight
            && lock(in_flight).remove(&index).is_none()
        {
            // Given up on: its timeout answer was written in its place.
            continue;
        }
        let wrote = writer
            .deliver(index, answer)
            .and_then(|()| if others == 0 { writer.flush() } else { Ok(()) });
        shared.progress.wrote(writer.announce());
        if let Err(err) = wrote {
            writer.failed = Some(err);
            shared.progress.stop.store(true, Ordering::SeqCst);
            shared.ended.notify_all();
            return;
        }
        if writer.finished() {
            shared.ended.notify_all();
        }
    }
}

/// Apply `work` to every key with `opts.jobs` worker threads and pass each answer to `out`,
/// in input order unless `opts.unordered`. The workers write the answers themselves, under
/// one lock; `out` is flushed when no other lookup is under way, at least every `TICK`, and
/// at the end. The calling thread only watches: for the end, for lookups past the timeout,
/// and for `interrupted` to return a signal number. Stops at the first error from `out` or
/// from reading keys. Then `finish` is given `out` and how the batch ended, under the lock
/// that closes `out` to the workers still in a lookup (they end with the process).
pub fn run<W, I, E, D, T>(
    keys: I,
    opts: Options,
    work: W,
    interrupted: impl Fn() -> Option<i32>,
    out: D,
    finish: impl FnOnce(&mut D, Result<Ended, Error>) -> T,
) -> T
where
    W: Work,
    I: Iterator<Item = Result<W::Key, E>> + Send + 'static,
    E: Into<anyhow::Error> + Send + 'static,
    D: Deliver<W::Answer> + Send + 'static,
{
    // Known now where the input says how many keys it has: the batch then ends with its last
    // answer even when every worker is stuck in a lookup given up on and none reads on.
    let exact = match keys.size_hint() {
        (low, Some(high)) if low == high => Some(low),
        _ => None,
    };
    let jobs = opts.jobs.max(1);
    let shared = Arc::new(Shared {
        work,
        keys: Mutex::new(Some((keys, 0usize))),
        progress: Progress::new(),
        window: window(jobs),
        in_flight: opts.timeout.map(|_| Mutex::new(BTreeMap::new())),
        timeout: opts.timeout,
        read_error: Mutex::new(None),
        out: Mutex::new(Writer::new(out, opts.unordered, exact)),
        ended: Condvar::new(),
        looking_up: AtomicUsize::new(0),
        alive: AtomicUsize::new(jobs),
        linger: opts.linger,
    });
    let started = start_workers(&shared, jobs);
    let (mut writer, mut result) = match started {
        Ok(()) => watch(&shared, interrupted),
        Err(err) => (shared.out(), Err(err)),
    };
    writer.closed = true;
    // Unblock waiting workers; those still in a lookup find the output closed.
    shared.progress.halt();
    if let Ok(Ended::Done) = result
        && let Some(err) = lock(&shared.read_error).take()
    {
        result = Err(Error::Input(err));
    }
    finish(&mut writer.out, result)
}

/// Start `jobs` workers, or as many as the system allows (fewer still answer every key, only
/// more slowly); an error only when none started.
fn start_workers<W, I, E, D>(shared: &Arc<Shared<W, I, D>>, jobs: usize) -> Result<(), Error>
where
    W: Work,
    I: Iterator<Item = Result<W::Key, E>> + Send + 'static,
    E: Into<anyhow::Error> + Send + 'static,
    D: Deliver<W::Answer> + Send + 'static,
{
    for started in 0..jobs {
        let worker_shared = Arc::clone(shared);
        // Detached threads, not scoped ones: a worker stuck in a lookup that was given up
        // on, or in a read of a terminal, must not keep the batch from ending.
        let spawned = std::thread::Builder::new()
            .name("lookup".to_string())
            .stack_size(WORKER_STACK)
            .spawn(move || worker(&worker_shared));
        if let Err(err) = spawned {
            let missing = jobs - started;
            if shared.alive.fetch_sub(missing, Ordering::AcqRel) == missing {
                shared.out().gone = true;
            }
            if started == 0 {
                return Err(Error::Input(
                    anyhow::Error::new(err).context("starting lookup threads"),
                ));
            }
            break;
        }
    }
    Ok(())
}

/// The calling thread's part: wait for the end, a write error or a signal, writing the
/// timeout answers of lookups past their deadline and flushing what the workers left held.
fn watch<'a, W, I, D>(
    shared: &'a Shared<W, I, D>,
    interrupted: impl Fn() -> Option<i32>,
) -> (OutGuard<'a, W::Answer, D>, Result<Ended, Error>)
where
    W: Work,
    D: Deliver<W::Answer>,
{
    let mut writer = shared.out();
    loop {
        if let Some(err) = writer.failed.take() {
            return (writer, Err(Error::Output(err)));
        }
        if writer.finished() || writer.gone {
            let flushed = writer.flush().map(|()| Ended::Done);
            return (writer, flushed.map_err(Error::Output));
        }
        if let Some(signal) = interrupted() {
            let flushed = writer.flush_pending().map(|()| Ended::Interrupted(signal));
            return (writer, flushed.map_err(Error::Output));
        }
        let deadline = match give_up_late(shared, &mut writer) {
            Ok(deadline) => deadline,
            Err(err) => return (writer, Err(err)),
        };
        if writer.finished() {
            continue;
        }
        // Answers a worker left in the buffer because others were still being looked up:
        // out now, so none waits longer than a tick for the ones after it.
        if let Err(err) = writer.flush() {
            return (writer, Err(Error::Output(err)));
        }
        let wait = deadline.map_or(TICK, |d| {
            d.saturating_duration_since(Instant::now()).min(TICK)
        });
        writer = match shared.ended.wait_timeout(writer, wait) {
            Ok((writer, _)) => writer,
            Err(poisoned) => poisoned.into_inner().0,
        };
    }
}

/// Write the timeout answer of every lookup past its deadline; returns the next deadline.
fn give_up_late<W, I, D>(
    shared: &Shared<W, I, D>,
    writer: &mut Writer<W::Answer, D>,
) -> Result<Option<Instant>, Error>
where
    W: Work,
    D: Deliver<W::Answer>,
{
    let (Some(in_flight), Some(limit)) = (&shared.in_flight, shared.timeout) else {
        return Ok(None);
    };
    let now = Instant::now();
    // Under the output's lock, held by the caller: a worker whose lookup returns now finds
    // its key gone from `in_flight` and leaves the answer written here in its place.
    let mut in_flight = lock(in_flight);
    while let Some(entry) = in_flight.first_entry() {
        if now.saturating_duration_since(entry.get().0) < limit {
            break;
        }
        let (index, (start, label)) = entry.remove_entry();
        let answer = shared
            .work
            .given_up(label, now.saturating_duration_since(start));
        let wrote = writer.deliver(index, answer);
        shared.progress.wrote(writer.announce());
        wrote.map_err(Error::Output)?;
    }
    Ok(in_flight
        .first_key_value()
        .map(|(_, (start, _))| *start + limit))
}

mod progress;
mod writer;

use progress::Progress;

pub use writer::Deliver;
use writer::Writer;

#[cfg(test)]
mod tests;
