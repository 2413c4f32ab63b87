//! The one place a lookup is timed and, with `--timeout`, abandoned when it takes too long.

use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::model::{Answer, Failure};
use crate::sys::SysError;

/// Run `lookup`, set how long it took on its answer, and give up after `timeout` when one is set.
///
/// getaddrinfo and friends have no timeout argument and cannot be interrupted, so with a
/// timeout the call runs on a worker thread that is abandoned (left to finish or to die with
/// the process) if it has not answered in time. Without one it runs right here.
/// `query` is what the timeout answer names, since the lookup never got to say.
pub fn call<R: Send + 'static>(
    timeout: Option<Duration>,
    query: Option<String>,
    lookup: impl FnOnce() -> Answer<R> + Send + 'static,
) -> Answer<R> {
    let start = Instant::now();
    let mut answer = match timeout {
        None => lookup(),
        Some(limit) => on_worker(limit, query, lookup),
    };
    answer.elapsed = Some(start.elapsed());
    answer
}

fn on_worker<R: Send + 'static>(
    limit: Duration,
    query: Option<String>,
    lookup: impl FnOnce() -> Answer<R> + Send + 'static,
) -> Answer<R> {
    let (tx, rx) = mpsc::sync_channel(1);
    let spawned = std::thread::Builder::new()
        .name("lookup".to_string())
        .spawn(move || {
            // The receiver is gone once we gave up: nobody is left to tell.
            let _ = tx.send(lookup());
        });
    if let Err(err) = spawned {
        let errno = err.raw_os_error().unwrap_or(libc::EAGAIN);
        return Answer::new(query, Err(SysError::Errno(errno).into()));
    }
    match rx.recv_timeout(limit) {
        Ok(answer) => answer,
        Err(_) => Answer::new(query, Err(Failure::timeout(limit))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_slow_lookup_is_abandoned_with_timeout() {
        let answer: Answer<()> = call(Some(Duration::from_millis(50)), Some("x".into()), || {
            std::thread::sleep(Duration::from_secs(5));
            Answer::new(None, Ok(vec![]))
        });
        let failure = answer.result.as_ref().unwrap_err();
        assert!(failure.is_timeout());
        assert_eq!(failure.message(), "no answer within 0.05 s");
        assert_eq!(answer.query.as_deref(), Some("x"));
        assert!(answer.elapsed.unwrap() < Duration::from_secs(2));
    }

    #[test]
    fn a_quick_lookup_is_answered_and_timed() {
        for timeout in [None, Some(Duration::from_secs(5))] {
            let answer: Answer<u8> = call(timeout, None, || Answer::new(None, Ok(vec![7])));
            assert_eq!(answer.result, Ok(vec![7]));
            assert!(answer.elapsed.is_some());
        }
    }
}
