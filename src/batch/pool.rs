//! Run lookups on a fixed set of worker threads while writing answers in input order (or as
//! they finish), with a bounded number in flight so memory and threads stay flat however long
//! the input, and however many lookups are given up on.

use std::collections::{BTreeMap, HashSet, VecDeque};
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
    state: Mutex<Written>,
    advanced: Condvar,
    stop: AtomicBool,
}

struct Written {
    count: usize,
    /// Workers waiting for room: only they need a wake-up (one system call each time).
    waiting: usize,
}

impl Progress {
    fn lock(&self) -> MutexGuard<'_, Written> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Wait until key `index` may be issued; false once the batch is stopping.
    fn wait_for_room(&self, index: usize, window: usize) -> bool {
        let mut state = self.lock();
        while index >= state.count + window && !self.stop.load(Ordering::Relaxed) {
            state.waiting += 1;
            state = self.advanced.wait(state).unwrap_or_else(|p| p.into_inner());
            state.waiting -= 1;
        }
        !self.stop.load(Ordering::Relaxed)
    }

    fn wrote(&self, answers: usize) {
        if answers == 0 {
            return;
        }
        let mut state = self.lock();
        state.count += answers;
        if state.waiting > 0 {
            self.advanced.notify_all();
        }
    }

    fn halt(&self) {
        self.stop.store(true, Ordering::Relaxed);
        let _state = self.lock();
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
    /// A key's index, its answer, and how long the lookup took.
    Answer(usize, A, Duration),
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
        let start = Instant::now();
        let answer = shared.work.lookup(key);
        if done
            .send(Message::Answer(index, answer, start.elapsed()))
            .is_err()
        {
            return;
        }
    }
}

/// Apply `work` to every key with `opts.jobs` worker threads and pass each answer to `out`,
/// in input order unless `opts.unordered`, flushing it whenever no other answer is ready (and
/// while lookups are slow, letting answers gather a little first, so that the writer wakes
/// and writes once for many). Stops at the first error from `out` or from reading keys, or
/// when `interrupted` returns a signal number.
pub fn run<W, I, E>(
    keys: I,
    opts: Options,
    work: W,
    interrupted: impl Fn() -> Option<i32>,
    out: impl Deliver<W::Answer>,
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
            state: Mutex::new(Written {
                count: 0,
                waiting: 0,
            }),
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
        out,
        unordered: opts.unordered,
        progress: &shared.progress,
        pending: VecDeque::new(),
        next: 0,
        written: 0,
        unannounced: 0,
        typical: Duration::ZERO,
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

fn write_all<W, I, D>(
    shared: &Shared<W, I>,
    mut total: Option<usize>,
    done_rx: &mpsc::Receiver<Message<W::Answer>>,
    writer: &mut Writer<'_, W, D>,
    interrupted: impl Fn() -> Option<i32>,
) -> Result<Ended, Error>
where
    W: Work,
    D: Deliver<W::Answer>,
{
    let mut given_up: HashSet<usize> = HashSet::new();
    loop {
        if total == Some(writer.written) {
            writer.flush().map_err(Error::Output)?;
            return Ok(Ended::Done);
        }
        if let Some(signal) = interrupted() {
            writer.flush_pending().map_err(Error::Output)?;
            return Ok(Ended::Interrupted(signal));
        }
        // Everything ready now, written in one go.
        let mut took_in = 0;
        let mut gone = false;
        loop {
            match done_rx.try_recv() {
                Ok(message) => {
                    took_in += 1;
                    receive(message, shared, writer, &mut given_up, &mut total)?;
                }
                Err(mpsc::TryRecvError::Empty) => break,
                // Every worker is gone: the input ended and its End was taken, or nothing is
                // left to wait for.
                Err(mpsc::TryRecvError::Disconnected) => {
                    gone = true;
                    break;
                }
            }
        }
        let deadline = give_up_late(shared, writer, &mut given_up)?;
        writer.flush().map_err(Error::Output)?;
        if gone {
            return Ok(Ended::Done);
        }
        if total == Some(writer.written) {
            continue;
        }
        let wait = deadline.map_or(TICK, |d| {
            d.saturating_duration_since(Instant::now()).min(TICK)
        });
        // While answers keep coming, sleep instead of waking for each: a worker's send wakes
        // nobody then, and the next round writes all that came meanwhile.
        if took_in > 0
            && let Some(gather) = writer.gather()
        {
            std::thread::sleep(gather.min(wait));
            continue;
        }
        match done_rx.recv_timeout(wait) {
            Ok(message) => receive(message, shared, writer, &mut given_up, &mut total)?,
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => {
                writer.flush().map_err(Error::Output)?;
                return Ok(Ended::Done);
            }
        }
    }
}

/// Take in one message from a worker.
fn receive<W, I, D>(
    message: Message<W::Answer>,
    shared: &Shared<W, I>,
    writer: &mut Writer<'_, W, D>,
    given_up: &mut HashSet<usize>,
    total: &mut Option<usize>,
) -> Result<(), Error>
where
    W: Work,
    D: Deliver<W::Answer>,
{
    match message {
        Message::Answer(index, answer, took) => {
            writer.timed(took);
            if given_up.remove(&index) {
                return Ok(());
            }
            if let Some(in_flight) = &shared.in_flight {
                lock(in_flight).remove(&index);
            }
            writer.deliver(index, answer).map_err(Error::Output)
        }
        Message::End(count) => {
            *total = Some(count);
            Ok(())
        }
    }
}

/// Write the timeout answer of every lookup past its deadline; returns the next deadline.
fn give_up_late<W, I, D>(
    shared: &Shared<W, I>,
    writer: &mut Writer<'_, W, D>,
    given_up: &mut HashSet<usize>,
) -> Result<Option<Instant>, Error>
where
    W: Work,
    D: Deliver<W::Answer>,
{
    let (Some(in_flight), Some(limit)) = (&shared.in_flight, shared.timeout) else {
        return Ok(None);
    };
    let now = Instant::now();
    let mut late = Vec::new();
    let next = {
        let mut in_flight = lock(in_flight);
        while let Some(entry) = in_flight.first_entry() {
            if now.saturating_duration_since(entry.get().0) < limit {
                break;
            }
            let (index, (start, label)) = entry.remove_entry();
            late.push((index, now.saturating_duration_since(start), label));
        }
        in_flight
            .first_key_value()
            .map(|(_, (start, _))| *start + limit)
    };
    for (index, waited, label) in late {
        given_up.insert(index);
        let answer = writer.work.given_up(label, waited);
        writer.deliver(index, answer).map_err(Error::Output)?;
    }
    Ok(next)
}

mod writer;

pub use writer::Deliver;
use writer::Writer;

#[cfg(test)]
mod tests;
