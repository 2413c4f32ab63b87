//! The writer's side of a batch: answers put back in input order, written, and flushed in rounds.

use std::collections::VecDeque;
use std::time::Duration;

use super::{Progress, Work};

/// Where a batch's answers go, in the order they are to be written.
pub trait Deliver<A> {
    /// Write one answer; it may be held in a buffer until `flush`.
    fn write(&mut self, answer: A) -> anyhow::Result<()>;
    /// Write out what is held: no other answer is ready.
    fn flush(&mut self) -> anyhow::Result<()>;
}

impl<A, T: Deliver<A>> Deliver<A> for &mut T {
    fn write(&mut self, answer: A) -> anyhow::Result<()> {
        (**self).write(answer)
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        (**self).flush()
    }
}

/// The writer's side: answers put in order and written, lookups given up on.
pub(super) struct Writer<'a, W: Work, D> {
    pub(super) work: &'a W,
    pub(super) out: D,
    pub(super) unordered: bool,
    pub(super) progress: &'a Progress,
    /// Answers waiting behind a key still out: slot i holds key `next + i`. Keys are issued
    /// at most a window ahead of `next`, so this stays that short.
    pub(super) pending: VecDeque<Option<W::Answer>>,
    pub(super) next: usize,
    pub(super) written: usize,
    /// Written but not yet counted in `progress` (counted once per wake-up).
    pub(super) unannounced: usize,
    /// A running mean of how long lookups take, which sets how long answers may gather.
    pub(super) typical: Duration,
}

impl<W: Work, D: Deliver<W::Answer>> Writer<'_, W, D> {
    pub(super) fn one(&mut self, answer: W::Answer) -> anyhow::Result<()> {
        self.written += 1;
        self.unannounced += 1;
        self.out.write(answer)
    }

    pub(super) fn deliver(&mut self, index: usize, answer: W::Answer) -> anyhow::Result<()> {
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

    /// Write out what is held and let waiting workers on.
    pub(super) fn flush(&mut self) -> anyhow::Result<()> {
        self.progress.wrote(std::mem::take(&mut self.unannounced));
        self.out.flush()
    }

    pub(super) fn timed(&mut self, took: Duration) {
        self.typical = (self.typical * 7 + took) / 8;
    }

    /// How long to let answers gather before writing them: an eighth of a typical lookup (so
    /// an answer is held back at most that much longer than its lookup took), at most
    /// `GATHER_MAX`; none when lookups are quick, where waking per answer costs little.
    pub(super) fn gather(&self) -> Option<Duration> {
        let gather = (self.typical / 8).min(GATHER_MAX);
        (gather >= GATHER_MIN).then_some(gather)
    }
}

/// The longest an answer is held back to be written with others.
const GATHER_MAX: Duration = Duration::from_millis(2);
/// Below this, gathering saves less than the sleep costs.
const GATHER_MIN: Duration = Duration::from_micros(200);
