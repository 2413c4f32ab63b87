//! Run lookups on a fixed set of worker threads while writing answers in input order (or as
//! they finish), with a bounded number in flight so memory and threads stay flat however long
//! the input, and however many lookups are given up on.

use std::collections::{BTreeMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
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

/// How often the writer looks at `interrupted` while it waits.
const TICK: Duration = Duration::from_millis(50);

/// Keys read but not yet written, at most: enough to keep every worker busy behind one slow key.
fn window(jobs: usize) -> usize {
    jobs.saturating_mul(4).max(64)
}

/// Counts how far the writer has come, so the reader can wait instead of running ahead.
struct Progress {
    written: Mutex<usize>,
    advanced: Condvar,
    stop: AtomicBool,
}

impl Progress {
    fn lock(&self) -> MutexGuard<'_, usize> {
        self.written.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wait until key `index` may be issued; false once the batch is stopping.
    fn wait_for_room(&self, index: usize, window: usize) -> bool {
        let mut written = self.lock();
        while index >= *written + window && !self.stop.load(Ordering::Relaxed) {
            written = self
                .advanced
                .wait(written)
                .unwrap_or_else(|p| p.into_inner());
        }
        !self.stop.load(Ordering::Relaxed)
    }

    fn wrote_one(&self) {
        *self.lock() += 1;
        self.advanced.notify_all();
    }

    fn halt(&self) {
        self.stop.store(true, Ordering::Relaxed);
        self.advanced.notify_all();
    }
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|p| p.into_inner())
}

/// Lookups under way by key index: when each started, and its label.
type InFlight<L> = Mutex<BTreeMap<usize, (Instant, L)>>;

/// What the workers share.
struct Shared<W: Work, I> {
    work: W,
    /// The input and how many keys were taken; None once it ended or failed.
    keys: Mutex<Option<(I, usize)>>,
    progress: Progress,
    window: usize,
    /// With a timeout: the keys being looked up, when each started and its label. Entered
    /// under the `keys` lock, so the first entry by index is the one that started first.
    in_flight: Option<InFlight<W::Label>>,
    timeout: Option<Duration>,
    read_error: Mutex<Option<anyhow::Error>>,
}

enum Message<A> {
    Answer(usize, A),
    /// The input ended (or failed) after this many keys.
    End(usize),
}

/// One worker: take the next key, look it up, hand the answer over, until the input ends.
fn worker<W, I, E>(shared: &Shared<W, I>, done: &mpsc::Sender<Message<W::Answer>>)
where
    W: Work,
    I: Iterator<Item = Result<W::Key, E>>,
    E: Into<anyhow::Error>,
{
    loop {
        if shared.progress.stop.load(Ordering::Relaxed) {
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
                    (index, key)
                }
                end => {
                    if let Some(Err(err)) = end {
                        *lock(&shared.read_error) = Some(err.into());
                    }
                    // Never ask again: a terminal on stdin would wait for a second end-of-file.
                    *guard = None;
                    let _ = done.send(Message::End(index));
                    return;
                }
            }
        };
        let answer = shared.work.lookup(key);
        if done.send(Message::Answer(index, answer)).is_err() {
            return;
        }
    }
}

/// The writer's side: answers put in order and written, lookups given up on.
struct Writer<'a, W: Work, F> {
    work: &'a W,
    write: F,
    unordered: bool,
    progress: &'a Progress,
    pending: BTreeMap<usize, W::Answer>,
    next: usize,
    written: usize,
}

impl<W: Work, F: FnMut(W::Answer) -> anyhow::Result<()>> Writer<'_, W, F> {
    fn one(&mut self, answer: W::Answer) -> anyhow::Result<()> {
        self.written += 1;
        self.progress.wrote_one();
        (self.write)(answer)
    }

    fn deliver(&mut self, index: usize, answer: W::Answer) -> anyhow::Result<()> {
        if self.unordered {
            return self.one(answer);
        }
        self.pending.insert(index, answer);
        while let Some(answer) = self.pending.remove(&self.next) {
            self.next += 1;
            self.one(answer)?;
        }
        Ok(())
    }

    /// Write what was answered but waits behind a key still out, in input order.
    fn flush_pending(&mut self) -> anyhow::Result<()> {
        while let Some((_, answer)) = self.pending.pop_first() {
            self.one(answer)?;
        }
        Ok(())
    }
}

/// Apply `work` to every key with `opts.jobs` worker threads and pass each answer to `write`,
/// in input order unless `opts.unordered`. Stops at the first error from `write` or from
/// reading keys, or when `interrupted` returns a signal number.
pub fn run<W, I, E>(
    keys: I,
    opts: Options,
    work: W,
    interrupted: impl Fn() -> Option<i32>,
    write: impl FnMut(W::Answer) -> anyhow::Result<()>,
) -> Result<Ended, Error>
where
    W: Work,
    I: Iterator<Item = Result<W::Key, E>> + Send + 'static,
    E: Into<anyhow::Error> + Send + 'static,
{
    // Known now where the input says how many keys it has: the batch then ends with its last
    // answer even when every worker is stuck in a lookup given up on and none reads on.
    let exact = match keys.size_hint() {
        (low, Some(high)) if low == high => Some(low),
        _ => None,
    };
    let shared = Arc::new(Shared {
        work,
        keys: Mutex::new(Some((keys, 0usize))),
        progress: Progress {
            written: Mutex::new(0),
            advanced: Condvar::new(),
            stop: AtomicBool::new(false),
        },
        window: window(opts.jobs),
        in_flight: opts.timeout.map(|_| Mutex::new(BTreeMap::new())),
        timeout: opts.timeout,
        read_error: Mutex::new(None),
    });
    let (done_tx, done_rx) = mpsc::channel::<Message<W::Answer>>();
    // Detached threads, not scoped ones: a worker stuck in a lookup that was given up on, or
    // in a read of a terminal, must not keep the batch from ending.
    let mut started = 0;
    for _ in 0..opts.jobs.max(1) {
        let (shared, done_tx) = (Arc::clone(&shared), done_tx.clone());
        let spawned = std::thread::Builder::new()
            .name("lookup".to_string())
            .spawn(move || worker(&shared, &done_tx));
        match spawned {
            Ok(_) => started += 1,
            // Fewer workers still answer every key, only more slowly.
            Err(err) if started == 0 => {
                return Err(Error::Input(
                    anyhow::Error::new(err).context("starting lookup threads"),
                ));
            }
            Err(_) => break,
        }
    }
    drop(done_tx);
    let mut writer = Writer {
        work: &shared.work,
        write,
        unordered: opts.unordered,
        progress: &shared.progress,
        pending: BTreeMap::new(),
        next: 0,
        written: 0,
    };
    let result = write_all(&shared, exact, &done_rx, &mut writer, interrupted);
    // Unblock waiting workers; the closed channel tells busy ones to stop after their lookup.
    shared.progress.halt();
    drop(done_rx);
    let ended = result?;
    match lock(&shared.read_error).take() {
        Some(err) if ended == Ended::Done => Err(Error::Input(err)),
        _ => Ok(ended),
    }
}

fn write_all<W, I, F>(
    shared: &Shared<W, I>,
    mut total: Option<usize>,
    done_rx: &mpsc::Receiver<Message<W::Answer>>,
    writer: &mut Writer<'_, W, F>,
    interrupted: impl Fn() -> Option<i32>,
) -> Result<Ended, Error>
where
    W: Work,
    F: FnMut(W::Answer) -> anyhow::Result<()>,
{
    let timeout = shared.timeout;
    let mut given_up: HashSet<usize> = HashSet::new();
    loop {
        if total == Some(writer.written) {
            return Ok(Ended::Done);
        }
        if let Some(signal) = interrupted() {
            writer.flush_pending().map_err(Error::Output)?;
            return Ok(Ended::Interrupted(signal));
        }
        let now = Instant::now();
        let deadline = match (&shared.in_flight, timeout) {
            (Some(in_flight), Some(limit)) => lock(in_flight)
                .first_key_value()
                .map(|(_, (start, _))| *start + limit),
            _ => None,
        };
        let wait = deadline.map_or(TICK, |d| d.saturating_duration_since(now).min(TICK));
        match done_rx.recv_timeout(wait) {
            Ok(Message::Answer(index, answer)) => {
                if given_up.remove(&index) {
                    continue;
                }
                if let Some(in_flight) = &shared.in_flight {
                    lock(in_flight).remove(&index);
                }
                writer.deliver(index, answer).map_err(Error::Output)?;
            }
            Ok(Message::End(count)) => total = Some(count),
            Err(RecvTimeoutError::Timeout) => {
                let (Some(in_flight), Some(limit)) = (&shared.in_flight, timeout) else {
                    continue;
                };
                let now = Instant::now();
                let mut late = Vec::new();
                {
                    let mut in_flight = lock(in_flight);
                    while let Some(entry) = in_flight.first_entry() {
                        if now.saturating_duration_since(entry.get().0) < limit {
                            break;
                        }
                        let (index, (start, label)) = entry.remove_entry();
                        late.push((index, now.saturating_duration_since(start), label));
                    }
                }
                for (index, waited, label) in late {
                    given_up.insert(index);
                    let answer = writer.work.given_up(label, waited);
                    writer.deliver(index, answer).map_err(Error::Output)?;
                }
            }
            // Every worker is gone: the input ended and its End was taken, or nothing is left.
            Err(RecvTimeoutError::Disconnected) => return Ok(Ended::Done),
        }
    }
}

#[cfg(test)]
mod tests;
