//! Run lookups concurrently while writing answers in input order (or as they finish), with a
//! bounded number in flight so memory stays flat however long the input.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

/// How a batch runs.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Lookups in flight at once.
    pub jobs: usize,
    /// Write each answer as soon as it is ready rather than in input order.
    pub unordered: bool,
}

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
    fn lock(&self) -> std::sync::MutexGuard<'_, usize> {
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

/// Apply `lookup` to every key with `opts.jobs` workers and pass each answer to `write`, in
/// input order unless `opts.unordered`. Stops at the first error from `write` or from reading
/// keys, and returns it.
pub fn run<K, A, E>(
    keys: impl Iterator<Item = Result<K, E>> + Send,
    opts: Options,
    lookup: impl Fn(K) -> A + Sync,
    mut write: impl FnMut(A) -> anyhow::Result<()>,
) -> anyhow::Result<()>
where
    K: Send,
    A: Send,
    E: Into<anyhow::Error> + Send,
{
    if opts.jobs <= 1 {
        for key in keys {
            write(lookup(key.map_err(Into::into)?))?;
        }
        return Ok(());
    }
    let window = window(opts.jobs);
    let progress = Progress {
        written: Mutex::new(0),
        advanced: Condvar::new(),
        stop: AtomicBool::new(false),
    };
    // Workers take keys straight from the input, one at a time under this lock: a reader
    // thread handing keys over a channel cost a wake-up (two context switches) per key, which
    // at 10,000 keys a second on two cores was a good part of the CPU time.
    // Keys and how many were taken; None once a read failed: the keys after it are not read.
    // Only the worker holding this lock waits for room in the window, so one write wakes one
    // worker: with every worker waiting on the condvar, each record written woke all 256 of
    // them, and once the window filled (a writer slowed by a busy machine) a 0.85 s batch
    // took 3 to 9 s.
    let keys = Mutex::new(Some((keys, 0usize)));
    let (done_tx, done_rx) = mpsc::channel::<(usize, A)>();
    let read_error: Mutex<Option<anyhow::Error>> = Mutex::new(None);

    std::thread::scope(|scope| {
        let (progress, keys, lookup, read_error) = (&progress, &keys, &lookup, &read_error);
        for _ in 0..opts.jobs {
            let done_tx = done_tx.clone();
            scope.spawn(move || {
                loop {
                    if progress.stop.load(Ordering::Relaxed) {
                        break;
                    }
                    let (index, key) = {
                        let mut guard = keys.lock().unwrap_or_else(|p| p.into_inner());
                        let Some((input, taken)) = guard.as_mut() else {
                            break;
                        };
                        let index = *taken;
                        if !progress.wait_for_room(index, window) {
                            break;
                        }
                        match input.next() {
                            Some(Ok(key)) => {
                                *taken += 1;
                                (index, key)
                            }
                            Some(Err(err)) => {
                                // What came before is still written; nothing after is read.
                                *guard = None;
                                *read_error.lock().unwrap_or_else(|p| p.into_inner()) =
                                    Some(err.into());
                                break;
                            }
                            None => {
                                // Never ask again: a terminal on stdin would wait for a
                                // second end-of-file.
                                *guard = None;
                                break;
                            }
                        }
                    };
                    if done_tx.send((index, lookup(key))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done_tx);

        let mut pending: BTreeMap<usize, A> = BTreeMap::new();
        let mut next = 0usize;
        let mut outcome = Ok(());
        for (index, answer) in done_rx.iter() {
            let step = if opts.unordered {
                progress.wrote_one();
                write(answer)
            } else {
                pending.insert(index, answer);
                let mut result = Ok(());
                while let Some(answer) = pending.remove(&next) {
                    next += 1;
                    progress.wrote_one();
                    result = write(answer);
                    if result.is_err() {
                        break;
                    }
                }
                result
            };
            if let Err(err) = step {
                outcome = Err(err);
                progress.halt();
                break;
            }
        }
        // Unblock waiting workers and let them see the closed channel before the scope joins them.
        progress.halt();
        drop(done_rx);
        outcome
    })?;
    match read_error.into_inner().unwrap_or_else(|p| p.into_inner()) {
        Some(err) => Err(err),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io;
    use std::time::Duration;

    fn infallible<K>(keys: impl Iterator<Item = K>) -> impl Iterator<Item = Result<K, io::Error>> {
        keys.map(Ok)
    }

    fn collect(jobs: usize, unordered: bool, n: usize) -> Vec<usize> {
        let mut out = Vec::new();
        let opts = Options { jobs, unordered };
        let result = run(
            infallible(0..n),
            opts,
            |k| {
                // Later keys finish first, to prove the order is restored.
                std::thread::sleep(Duration::from_micros(((n - k) % 7) as u64 * 50));
                k
            },
            |a| {
                out.push(a);
                Ok(())
            },
        );
        assert!(result.is_ok());
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
        use std::sync::atomic::AtomicUsize;
        let pulled = AtomicUsize::new(0);
        let keys = (0..20_000usize).map(|k| {
            pulled.fetch_add(1, Ordering::SeqCst);
            Ok::<_, io::Error>(k)
        });
        let jobs = 8;
        let mut written = 0usize;
        let mut most_ahead = 0usize;
        let result = run(
            keys,
            Options {
                jobs,
                unordered: false,
            },
            |k| {
                // Key 0 is slow, so everything after it piles up behind it.
                if k % 5000 == 0 {
                    std::thread::sleep(Duration::from_millis(20));
                }
                k
            },
            |_| {
                written += 1;
                most_ahead = most_ahead.max(pulled.load(Ordering::SeqCst) - written);
                Ok(())
            },
        );
        assert!(result.is_ok());
        assert_eq!(written, 20_000);
        // In flight at most: the window, and one key in each worker's hand.
        assert!(most_ahead <= window(jobs) + jobs + 1, "{most_ahead}");
    }

    #[test]
    fn the_input_is_not_read_again_after_its_end() {
        use std::sync::atomic::AtomicUsize;
        let calls_after_end = AtomicUsize::new(0);
        let mut served = 0usize;
        let keys = std::iter::from_fn(|| {
            if served < 3 {
                served += 1;
                Some(Ok::<_, io::Error>(served))
            } else {
                calls_after_end.fetch_add(1, Ordering::SeqCst);
                None
            }
        });
        let mut out = Vec::new();
        let opts = Options {
            jobs: 8,
            unordered: false,
        };
        let result = run(
            keys,
            opts,
            |k| k,
            |a| {
                out.push(a);
                Ok(())
            },
        );
        assert!(result.is_ok());
        assert_eq!(out, vec![1, 2, 3]);
        // A terminal on stdin would block on a second read after end-of-file.
        assert_eq!(calls_after_end.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_write_error_stops_the_batch() {
        let mut seen = 0;
        let result = run(
            infallible(0..100_000usize),
            Options {
                jobs: 4,
                unordered: false,
            },
            |k| k,
            |_| {
                seen += 1;
                if seen == 10 {
                    anyhow::bail!("closed")
                }
                Ok(())
            },
        );
        assert!(result.is_err());
        assert_eq!(seen, 10);
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
        let mut out = Vec::new();
        let result = run(
            keys,
            Options {
                jobs: 2,
                unordered: false,
            },
            |k| k,
            |a| {
                out.push(a);
                Ok(())
            },
        );
        assert!(result.is_err());
        assert_eq!(out, vec![0, 1, 2]);
    }
}
