//! The output's side of a batch: answers put back in input order and written, by whichever worker holds the lock.

use std::collections::VecDeque;

/// Where a batch's answers go, in the order they are to be written.
pub trait Deliver<A> {
    /// Write one answer; it may be held in a buffer until `flush`.
    fn write(&mut self, answer: A) -> anyhow::Result<()>;
    /// Write out what is held: no other answer is about to come.
    fn flush(&mut self) -> anyhow::Result<()>;
}

/// The output with what a batch knows of it, behind the workers' lock.
pub(super) struct Writer<A, D> {
    pub(super) out: D,
    unordered: bool,
    /// Answers waiting behind a key still out: slot i holds key `next + i`. Keys are issued
    /// at most a window ahead of `next`, so this stays that short.
    pending: VecDeque<Option<A>>,
    next: usize,
    written: usize,
    /// Written but not yet counted in the batch's progress.
    unannounced: usize,
    /// Written since the last flush.
    held: bool,
    /// How many keys the input had, once it ended.
    pub(super) total: Option<usize>,
    /// Writing failed: the batch stops, and the error is its result.
    pub(super) failed: Option<anyhow::Error>,
    /// Every worker has returned.
    pub(super) gone: bool,
    /// The batch has ended: answers that come later are not written.
    pub(super) closed: bool,
}

impl<A, D: Deliver<A>> Writer<A, D> {
    pub(super) fn new(out: D, unordered: bool, total: Option<usize>) -> Self {
        Writer {
            out,
            unordered,
            pending: VecDeque::new(),
            next: 0,
            written: 0,
            unannounced: 0,
            held: false,
            total,
            failed: None,
            gone: false,
            closed: false,
        }
    }

    fn one(&mut self, answer: A) -> anyhow::Result<()> {
        self.written += 1;
        self.unannounced += 1;
        self.held = true;
        self.out.write(answer)
    }

    /// Take key `index`'s answer, and write it with every answer it lets out in order.
    pub(super) fn deliver(&mut self, index: usize, answer: A) -> anyhow::Result<()> {
        if self.unordered {
            return self.one(answer);
        }
        // Each key is answered once (a late answer to one given up on never gets here).
        let Some(slot) = index.checked_sub(self.next) else {
            return Ok(());
        };
        if slot >= self.pending.len() {
            self.pending.resize_with(slot + 1, || None);
        }
        self.pending[slot] = Some(answer);
        while let Some(Some(_)) = self.pending.front() {
            if let Some(Some(answer)) = self.pending.pop_front() {
                self.next += 1;
                self.one(answer)?;
            }
        }
        Ok(())
    }

    /// Write what was answered but waits behind a key still out, in input order.
    pub(super) fn flush_pending(&mut self) -> anyhow::Result<()> {
        while let Some(slot) = self.pending.pop_front() {
            if let Some(answer) = slot {
                self.one(answer)?;
            }
        }
        self.flush()
    }

    /// Write out what is held, if anything is.
    pub(super) fn flush(&mut self) -> anyhow::Result<()> {
        if !std::mem::take(&mut self.held) {
            return Ok(());
        }
        self.out.flush()
    }

    /// How many answers were written since the last call.
    pub(super) fn announce(&mut self) -> usize {
        std::mem::take(&mut self.unannounced)
    }

    /// Every key of an input that ended has its answer written.
    pub(super) fn finished(&self) -> bool {
        self.total == Some(self.written)
    }
}
