//! What ends a connection of `serve` besides its client: the idle timeout, its whole life, and the minimum rate it must keep while others wait.

use std::io;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use super::events::CloseReason;
use super::{Shared, TICK};

/// The window `--min-rate` is measured over: long enough that one slow moment is forgiven,
/// short enough that a client waiting for a slot is served within seconds.
pub const RATE_WINDOW: Duration = Duration::from_secs(2);

/// How one wait for data ended.
pub enum Got {
    Data(usize),
    Eof,
    /// The idle timeout (or the drain's quiet time) passed.
    Idle,
    /// `--max-life` passed.
    Life,
    /// Too slow while a client waits for a slot.
    Slow,
    Stopped,
    Failed(io::Error),
}

/// How a connection ended, and the error that ended it, if one did.
pub type Ending = (CloseReason, Option<io::Error>);

pub fn ending_of(got: Got) -> Ending {
    match got {
        Got::Eof => (CloseReason::PeerClosed, None),
        Got::Idle => (CloseReason::IdleTimeout, None),
        Got::Life => (CloseReason::MaxLife, None),
        Got::Slow => (CloseReason::TooSlow, None),
        Got::Stopped => (CloseReason::Shutdown, None),
        Got::Failed(err) => (CloseReason::Error, Some(err)),
        Got::Data(_) => (CloseReason::Error, None),
    }
}

/// A socket timeout or an interrupted call: try again (after `Limits::next_try`).
pub fn is_retry(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// One connection's clock and byte meter.
pub struct Limits {
    born: Instant,
    life_end: Instant,
    min_rate: u64,
    /// Bytes moved either way, counted by the connection as it goes.
    pub moved: u64,
    window_start: Instant,
    moved_at_window_start: u64,
    /// Whether the last whole window moved fewer than `min_rate` bytes a second.
    last_window_slow: bool,
}

impl Limits {
    pub fn new(max_life: Duration, min_rate: usize) -> Self {
        let now = Instant::now();
        Limits {
            born: now,
            life_end: now + max_life,
            min_rate: min_rate as u64,
            moved: 0,
            window_start: now,
            moved_at_window_start: 0,
            last_window_slow: false,
        }
    }

    /// The least a window must move to count as keeping up.
    fn window_quota(&self) -> u64 {
        self.min_rate.saturating_mul(RATE_WINDOW.as_millis() as u64) / 1000
    }

    /// Whether the connection has been too slow over a whole window and still is.
    fn too_slow(&mut self, now: Instant) -> bool {
        if self.min_rate == 0 {
            return false;
        }
        if now.duration_since(self.window_start) >= RATE_WINDOW {
            let moved = self.moved - self.moved_at_window_start;
            self.last_window_slow = moved < self.window_quota();
            self.window_start = now;
            self.moved_at_window_start = self.moved;
        }
        let catching_up = self.moved - self.moved_at_window_start >= self.window_quota();
        now.duration_since(self.born) >= RATE_WINDOW && self.last_window_slow && !catching_up
    }

    /// The timeout for the next blocking try, at most one TICK so a stop, the end of the
    /// connection's life or a waiting client is noticed; or how the wait ends.
    pub fn next_try(&mut self, shared: &Shared, deadline: Instant) -> Result<Duration, Got> {
        if shared.stop.load(Ordering::SeqCst) {
            return Err(Got::Stopped);
        }
        let now = Instant::now();
        let life = self.life_end.saturating_duration_since(now);
        if life.is_zero() {
            return Err(Got::Life);
        }
        // Measured all along, so the window is whole when pressure starts.
        let slow = self.too_slow(now);
        if slow && shared.pressure.load(Ordering::SeqCst) {
            return Err(Got::Slow);
        }
        let left = deadline.saturating_duration_since(now);
        if left.is_zero() {
            return Err(Got::Idle);
        }
        Ok(left.min(TICK).min(life))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trickle_is_slow_after_a_whole_window_and_a_burst_is_not() {
        let mut limits = Limits::new(Duration::from_secs(60), 100);
        let start = limits.born;
        assert!(!limits.too_slow(start + Duration::from_millis(500)));
        limits.moved = 3;
        assert!(limits.too_slow(start + RATE_WINDOW));
        // Catching up within the window clears it.
        limits.moved += 200;
        assert!(!limits.too_slow(start + RATE_WINDOW + Duration::from_millis(100)));
        let mut off = Limits::new(Duration::from_secs(60), 0);
        assert!(!off.too_slow(start + RATE_WINDOW * 3));
    }
}
