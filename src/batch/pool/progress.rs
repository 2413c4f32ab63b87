//! How many answers a batch has written: the window that keeps its reader from running ahead.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex};

use super::lock;

/// Counts how many answers were written, so the reader can wait instead of running ahead.
/// Atomics, so that a key and an answer cost no lock here while there is room; the lock and
/// condition variable are only for a reader that must wait.
pub(super) struct Progress {
    count: AtomicUsize,
    /// Workers waiting for room: only they need a wake-up (one system call each time).
    waiting: AtomicUsize,
    lock: Mutex<()>,
    advanced: Condvar,
    pub(super) stop: AtomicBool,
}

impl Progress {
    pub(super) fn new() -> Self {
        Progress {
            count: AtomicUsize::new(0),
            waiting: AtomicUsize::new(0),
            lock: Mutex::new(()),
            advanced: Condvar::new(),
            stop: AtomicBool::new(false),
        }
    }

    fn room(&self, index: usize, window: usize) -> bool {
        index < self.count.load(Ordering::SeqCst).saturating_add(window)
    }

    /// Wait until key `index` may be issued; false once the batch is stopping.
    pub(super) fn wait_for_room(&self, index: usize, window: usize) -> bool {
        if !self.room(index, window) {
            // Counted as waiting before looking again, all sequentially consistent: a writer
            // that adds to `count` after this looks either sees the waiter (and notifies under
            // the lock, which the waiter holds until it waits) or was seen here.
            let mut guard = lock(&self.lock);
            self.waiting.fetch_add(1, Ordering::SeqCst);
            while !self.room(index, window) && !self.stop.load(Ordering::SeqCst) {
                guard = self.advanced.wait(guard).unwrap_or_else(|p| p.into_inner());
            }
            self.waiting.fetch_sub(1, Ordering::SeqCst);
        }
        !self.stop.load(Ordering::SeqCst)
    }

    pub(super) fn wrote(&self, answers: usize) {
        if answers == 0 {
            return;
        }
        self.count.fetch_add(answers, Ordering::SeqCst);
        if self.waiting.load(Ordering::SeqCst) > 0 {
            let _guard = lock(&self.lock);
            self.advanced.notify_all();
        }
    }

    pub(super) fn halt(&self) {
        self.stop.store(true, Ordering::SeqCst);
        let _guard = lock(&self.lock);
        self.advanced.notify_all();
    }
}
