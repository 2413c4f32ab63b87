//! `--stats`: counts per outcome and latency percentiles, kept in a histogram so memory stays flat.

use std::fmt::Write as _;
use std::time::Duration;

use hdrhistogram::Histogram;

use crate::model::Outcome;

/// What a batch has seen so far.
pub struct Stats {
    ok: u64,
    not_found: u64,
    invalid: u64,
    temporary: u64,
    timeout: u64,
    failed: u64,
    /// Latency in microseconds, 1 µs to 1 hour at 3 significant digits.
    latency: Option<Histogram<u64>>,
}

impl Default for Stats {
    /// Counts and the latency histogram. Zeroing the histogram's buckets took about a fifth of
    /// a one-lookup run's instructions, so a batch builds its stats only for `--stats`.
    fn default() -> Self {
        Stats {
            ok: 0,
            not_found: 0,
            invalid: 0,
            temporary: 0,
            timeout: 0,
            failed: 0,
            latency: Histogram::new_with_bounds(1, 3_600_000_000, 3).ok(),
        }
    }
}

impl Stats {
    /// Count one answer: its outcome (timeouts apart from other temporary failures) and latency.
    pub fn add(&mut self, outcome: Outcome, timed_out: bool, elapsed: Option<Duration>) {
        let counter = match (outcome, timed_out) {
            (_, true) => &mut self.timeout,
            (Outcome::Success, _) => &mut self.ok,
            (Outcome::NotFound, _) => &mut self.not_found,
            (Outcome::Usage, _) => &mut self.invalid,
            (Outcome::Temporary, _) => &mut self.temporary,
            (Outcome::System, _) => &mut self.failed,
        };
        *counter += 1;
        if let (Some(hist), Some(elapsed)) = (self.latency.as_mut(), elapsed) {
            let micros = u64::try_from(elapsed.as_micros()).unwrap_or(u64::MAX);
            hist.saturating_record(micros.max(1));
        }
    }

    pub fn total(&self) -> u64 {
        self.ok + self.not_found + self.invalid + self.temporary + self.timeout + self.failed
    }

    /// The summary `--stats` prints on stderr.
    pub fn summary(&self, wall: Duration) -> String {
        let mut out = String::new();
        let total = self.total();
        let rate = if wall.as_secs_f64() > 0.0 {
            total as f64 / wall.as_secs_f64()
        } else {
            0.0
        };
        let _ = writeln!(
            out,
            "stats: {total} keys in {:.3} s ({rate:.0}/s): {} ok, {} not found, {} temporary failure, \
             {} timeout, {} invalid input, {} other failure",
            wall.as_secs_f64(),
            self.ok,
            self.not_found,
            self.temporary,
            self.timeout,
            self.invalid,
            self.failed
        );
        if let Some(hist) = self.latency.as_ref().filter(|h| !h.is_empty()) {
            let ms = |micros: u64| micros as f64 / 1000.0;
            let _ = writeln!(
                out,
                "stats: latency p50 {:.3} ms, p95 {:.3} ms, max {:.3} ms",
                ms(hist.value_at_quantile(0.50)),
                ms(hist.value_at_quantile(0.95)),
                ms(hist.max())
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_and_percentiles_are_counted() {
        let mut stats = Stats::default();
        for ms in 1..=100u64 {
            stats.add(Outcome::Success, false, Some(Duration::from_millis(ms)));
        }
        stats.add(Outcome::NotFound, false, None);
        stats.add(Outcome::Temporary, true, None);
        stats.add(Outcome::Temporary, false, None);
        assert_eq!(stats.total(), 103);
        let text = stats.summary(Duration::from_secs(1));
        assert!(text.contains("103 keys"), "{text}");
        assert!(
            text.contains("100 ok, 1 not found, 1 temporary failure, 1 timeout"),
            "{text}"
        );
        assert!(text.contains("p50 50."), "{text}");
        assert!(text.contains("max 100."), "{text}");
    }
}
