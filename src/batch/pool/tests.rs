//! The pool's promises: order kept, nothing lost, bounded read-ahead, bounded threads with timeouts.

use std::io;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::*;

/// The answers of a batch kept in order, each first shown to `check` (with how many came
/// before it), which may fail the write.
struct Collect<F> {
    got: Vec<usize>,
    check: F,
}

impl<F: FnMut(usize) -> anyhow::Result<()>> Deliver<usize> for Collect<F> {
    fn write(&mut self, answer: usize) -> anyhow::Result<()> {
        (self.check)(self.got.len())?;
        self.got.push(answer);
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        Ok(())
    }
}

/// Run a batch of `keys` into a Vec: how it ended and what was written.
fn batch<W, I>(
    keys: I,
    opts: Options,
    work: W,
    interrupted: impl Fn() -> Option<i32>,
    check: impl FnMut(usize) -> anyhow::Result<()> + Send + 'static,
) -> (Result<Ended, Error>, Vec<usize>)
where
    W: Work<Answer = usize>,
    I: Iterator<Item = Result<W::Key, io::Error>> + Send + 'static,
{
    let out = Collect {
        got: Vec::new(),
        check,
    };
    run(keys, opts, work, interrupted, out, |out, ended| {
        (ended, std::mem::take(&mut out.got))
    })
}

fn any(_: usize) -> anyhow::Result<()> {
    Ok(())
}

/// A lookup of `usize` keys by a function; a key given up on is answered `GIVEN_UP + key`.
struct Fnw<F>(F);

const GIVEN_UP: usize = 1_000_000;

impl<F: Fn(usize) -> usize + Send + Sync + 'static> Work for Fnw<F> {
    type Key = usize;
    type Answer = usize;
    type Label = usize;
    fn label(&self, key: &usize) -> usize {
        *key
    }
    fn lookup(&self, key: usize) -> usize {
        (self.0)(key)
    }
    fn given_up(&self, label: usize, _waited: Duration) -> usize {
        GIVEN_UP + label
    }
}

fn opts(jobs: usize, unordered: bool) -> Options {
    Options {
        jobs,
        unordered,
        timeout: None,
        linger: false,
    }
}

fn infallible(n: usize) -> impl Iterator<Item = Result<usize, io::Error>> + Send + 'static {
    (0..n).map(Ok)
}

fn never() -> Option<i32> {
    None
}

fn collect(jobs: usize, unordered: bool, n: usize) -> Vec<usize> {
    let work = Fnw(move |k: usize| {
        // Later keys finish first, to prove the order is restored.
        std::thread::sleep(Duration::from_micros(((n - k) % 7) as u64 * 50));
        k
    });
    let (result, out) = batch(infallible(n), opts(jobs, unordered), work, never, any);
    assert!(matches!(result, Ok(Ended::Done)));
    out
}

#[test]
fn ordered_output_keeps_input_order() {
    assert_eq!(collect(8, false, 500), (0..500).collect::<Vec<_>>());
    assert_eq!(collect(1, false, 50), (0..50).collect::<Vec<_>>());
}

#[test]
fn unordered_output_loses_nothing() {
    let mut got = collect(8, true, 500);
    got.sort_unstable();
    assert_eq!(got, (0..500).collect::<Vec<_>>());
}

#[test]
fn the_reader_never_runs_far_ahead_of_the_writer() {
    let pulled = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&pulled);
    let keys = (0..20_000usize).map(move |k| {
        counter.fetch_add(1, Ordering::SeqCst);
        Ok::<_, io::Error>(k)
    });
    let jobs = 8;
    let most_ahead = Arc::new(AtomicUsize::new(0));
    let most = Arc::clone(&most_ahead);
    let work = Fnw(|k| {
        // Key 0 is slow, so everything after it piles up behind it.
        if k % 5000 == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
        k
    });
    let (result, out) = batch(keys, opts(jobs, false), work, never, move |before| {
        let written = before + 1;
        most.fetch_max(pulled.load(Ordering::SeqCst) - written, Ordering::SeqCst);
        Ok(())
    });
    assert!(matches!(result, Ok(Ended::Done)));
    assert_eq!(out.len(), 20_000);
    // In flight at most: the window, and one key in each worker's hand.
    let most_ahead = most_ahead.load(Ordering::SeqCst);
    assert!(most_ahead <= window(jobs) + jobs + 1, "{most_ahead}");
}

#[test]
fn the_input_is_not_read_again_after_its_end() {
    let calls_after_end = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls_after_end);
    let mut served = 0usize;
    let keys = std::iter::from_fn(move || {
        if served < 3 {
            served += 1;
            Some(Ok::<_, io::Error>(served))
        } else {
            counter.fetch_add(1, Ordering::SeqCst);
            None
        }
    });
    let (result, out) = batch(keys, opts(8, false), Fnw(|k| k), never, any);
    assert!(matches!(result, Ok(Ended::Done)));
    assert_eq!(out, vec![1, 2, 3]);
    // A terminal on stdin would block on a second read after end-of-file.
    assert_eq!(calls_after_end.load(Ordering::SeqCst), 1);
}

#[test]
fn a_write_error_stops_the_batch() {
    let tries = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&tries);
    let (result, out) = batch(
        infallible(100_000),
        opts(4, false),
        Fnw(|k| k),
        never,
        move |before| {
            counter.fetch_add(1, Ordering::SeqCst);
            if before == 9 {
                anyhow::bail!("closed")
            }
            Ok(())
        },
    );
    assert!(matches!(result, Err(Error::Output(_))));
    // Nothing is written after the failed write, by any worker.
    assert_eq!(out.len(), 9);
    assert_eq!(tries.load(Ordering::SeqCst), 10);
}

#[test]
fn a_read_error_is_returned_after_what_was_read() {
    let keys = (0..5).map(|k| {
        if k == 3 {
            Err(io::Error::other("boom"))
        } else {
            Ok(k)
        }
    });
    let (result, out) = batch(keys, opts(2, false), Fnw(|k| k), never, any);
    assert!(matches!(result, Err(Error::Input(_))));
    assert_eq!(out, vec![0, 1, 2]);
}

/// Keys 0 and 1 never answer within the timeout; the rest answer at once. Every key is
/// written, in order, with only `jobs` lookups ever running at once (the stuck ones included).
#[test]
fn lookups_given_up_on_keep_their_worker_and_every_key_is_written() {
    let running = Arc::new(AtomicUsize::new(0));
    let most = Arc::new(AtomicUsize::new(0));
    let (r, m) = (Arc::clone(&running), Arc::clone(&most));
    let work = Fnw(move |k: usize| {
        let now = r.fetch_add(1, Ordering::SeqCst) + 1;
        m.fetch_max(now, Ordering::SeqCst);
        if k < 2 {
            std::thread::sleep(Duration::from_millis(300));
        }
        r.fetch_sub(1, Ordering::SeqCst);
        k
    });
    let options = Options {
        jobs: 3,
        unordered: false,
        timeout: Some(Duration::from_millis(30)),
        linger: false,
    };
    let start = Instant::now();
    let (result, out) = batch(infallible(50), options, work, never, any);
    assert!(matches!(result, Ok(Ended::Done)));
    let want: Vec<usize> = [GIVEN_UP, GIVEN_UP + 1].into_iter().chain(2..50).collect();
    assert_eq!(out, want);
    assert!(most.load(Ordering::SeqCst) <= 3, "{most:?}");
    // One worker answers the other 48 keys while two are stuck: not held up to the end.
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

/// The batch ends once every key is written, without waiting for lookups given up on.
#[test]
fn the_batch_does_not_wait_for_lookups_given_up_on() {
    let work = Fnw(|k: usize| {
        if k == 0 {
            std::thread::sleep(Duration::from_secs(5));
        }
        k
    });
    let options = Options {
        jobs: 2,
        unordered: false,
        timeout: Some(Duration::from_millis(20)),
        linger: false,
    };
    let start = Instant::now();
    let (result, out) = batch(infallible(3), options, work, never, any);
    assert!(matches!(result, Ok(Ended::Done)));
    assert_eq!(out, vec![GIVEN_UP, 1, 2]);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

/// Interrupted: what was answered is written (behind the stuck key too), then the batch ends.
#[test]
fn an_interruption_writes_what_was_answered() {
    let work = Fnw(|k: usize| {
        if k == 1 {
            std::thread::sleep(Duration::from_secs(5));
        }
        k
    });
    let start = Instant::now();
    let interrupted = move || (start.elapsed() > Duration::from_millis(200)).then_some(2);
    let (result, out) = batch(infallible(4), opts(4, false), work, interrupted, any);
    assert!(matches!(result, Ok(Ended::Interrupted(2))));
    assert_eq!(out, vec![0, 2, 3]);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

/// One worker, one key stuck past its timeout: a counted input ends with the timeout's answer,
/// not when the stuck lookup returns (no worker is left to read the input's end).
#[test]
fn a_counted_input_ends_while_its_only_worker_is_stuck() {
    let work = Fnw(|_| {
        std::thread::sleep(Duration::from_secs(5));
        0
    });
    let options = Options {
        jobs: 1,
        unordered: false,
        timeout: Some(Duration::from_millis(20)),
        linger: false,
    };
    let start = Instant::now();
    let (result, out) = batch(infallible(1), options, work, never, any);
    assert!(matches!(result, Ok(Ended::Done)));
    assert_eq!(out, vec![GIVEN_UP]);
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
}

/// What an output was asked to do, and when.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Event {
    Wrote(usize),
    Flushed,
}

/// An output that records its writes and flushes with the time each came.
struct Recorder(Arc<std::sync::Mutex<Vec<(Instant, Event)>>>);

impl Deliver<usize> for Recorder {
    fn write(&mut self, answer: usize) -> anyhow::Result<()> {
        self.0
            .lock()
            .unwrap()
            .push((Instant::now(), Event::Wrote(answer)));
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        self.0
            .lock()
            .unwrap()
            .push((Instant::now(), Event::Flushed));
        Ok(())
    }
}

fn recorded(
    n: usize,
    options: Options,
    work: impl Work<Key = usize, Answer = usize>,
) -> Vec<(Instant, Event)> {
    let events = Arc::new(std::sync::Mutex::new(Vec::new()));
    let out = Recorder(Arc::clone(&events));
    let ended = run(infallible(n), options, work, never, out, |_, ended| ended);
    assert!(matches!(ended, Ok(Ended::Done)));
    events.lock().unwrap().clone()
}

/// With no other lookup under way, nothing is about to join an answer: it goes out at once.
#[test]
fn an_answer_is_flushed_when_no_other_lookup_is_under_way() {
    let events = recorded(5, opts(1, false), Fnw(|k| k));
    let kinds: Vec<Event> = events.iter().map(|(_, e)| *e).collect();
    let want: Vec<Event> = (0..5)
        .flat_map(|k| [Event::Wrote(k), Event::Flushed])
        .collect();
    assert_eq!(kinds, want);
}

/// An answer written while another lookup goes on is held, but not for longer than a tick.
#[test]
fn an_answer_held_behind_a_slow_lookup_goes_out_within_a_tick() {
    let work = Fnw(|k: usize| {
        if k == 1 {
            std::thread::sleep(Duration::from_millis(800));
        }
        k
    });
    let start = Instant::now();
    let events = recorded(2, opts(2, true), work);
    let first_flush = events.iter().find(|(_, e)| *e == Event::Flushed);
    let slow = events.iter().find(|(_, e)| *e == Event::Wrote(1));
    let (Some((flushed, _)), Some((slow, _))) = (first_flush, slow) else {
        panic!("{events:?}");
    };
    assert!(flushed < slow, "{events:?}");
    assert!(*flushed - start < TICK * 8, "{:?}", *flushed - start);
}

/// While other lookups are under way the output is not flushed for every answer: a batch
/// writes in rounds, as a C program's buffered stdout would.
#[test]
fn a_busy_batch_flushes_far_less_than_once_an_answer() {
    let work = Fnw(|k: usize| {
        std::thread::sleep(Duration::from_millis(2));
        k
    });
    let events = recorded(400, opts(8, false), work);
    let flushes = events.iter().filter(|(_, e)| *e == Event::Flushed).count();
    let written = events.len() - flushes;
    assert_eq!(written, 400);
    assert!(flushes <= written / 2, "{flushes} flushes");
}

/// Workers that linger answer every key like the others, and then stay parked: the work
/// they share is still held after the batch, where returning workers let it go.
#[test]
fn lingering_workers_stay_parked_after_the_batch() {
    for linger in [false, true] {
        let token = Arc::new(());
        let held = Arc::clone(&token);
        let work = Fnw(move |k: usize| {
            let _ = &held;
            k
        });
        let options = Options {
            linger,
            ..opts(4, false)
        };
        let (result, out) = batch(infallible(100), options, work, never, any);
        assert!(matches!(result, Ok(Ended::Done)));
        assert_eq!(out, (0..100).collect::<Vec<_>>());
        // Long enough for returning workers to be gone; lingering ones never will be.
        let wait = Duration::from_millis(if linger { 200 } else { 2000 });
        let start = Instant::now();
        while Arc::strong_count(&token) > 1 && start.elapsed() < wait {
            std::thread::sleep(Duration::from_millis(5));
        }
        assert_eq!(Arc::strong_count(&token) > 1, linger, "linger: {linger}");
    }
}
