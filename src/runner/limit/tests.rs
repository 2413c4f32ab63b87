//! A run's keys in turn: answers in order, a stuck key abandoned with TIMEOUT and the rest taken over.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::*;
use crate::model::Failure;

/// Collects what a run writes, and whether and how it was finished.
#[derive(Clone, Default)]
struct Collect {
    answers: Arc<Mutex<Vec<Answer<u32>>>>,
    finished: Arc<Mutex<bool>>,
}

impl Output<u32> for Collect {
    fn write(&mut self, answer: Answer<u32>) -> anyhow::Result<()> {
        self.answers.lock().unwrap().push(answer);
        Ok(())
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        Ok(())
    }

    fn finish(&mut self) -> anyhow::Result<Outcome> {
        *self.finished.lock().unwrap() = true;
        let answers = self.answers.lock().unwrap();
        Ok(answers
            .iter()
            .map(Answer::outcome)
            .max()
            .unwrap_or(Outcome::Success))
    }
}

/// Keys that are the milliseconds their lookup takes; the answer is the key.
fn sleepy(keys: &[u32]) -> Keys<u32, u32> {
    Keys {
        keys: keys.to_vec(),
        lookup: Box::new(|&ms| {
            std::thread::sleep(Duration::from_millis(ms.into()));
            Answer::new(Some(ms.to_string()), Ok(vec![ms]))
        }),
        given_up: Box::new(|&ms| {
            Answer::new(
                Some(ms.to_string()),
                Err(Failure::timeout(Duration::from_millis(100))),
            )
        }),
    }
}

/// What the answers say, in order: the key, or "T" for a timeout, with whether each was timed.
fn shown(out: &Collect) -> Vec<(String, bool)> {
    let answers = out.answers.lock().unwrap();
    answers
        .iter()
        .map(|a| match &a.result {
            Ok(v) => (v[0].to_string(), a.elapsed.is_some()),
            Err(f) if f.is_timeout() => (
                format!("T{}", a.query.as_deref().unwrap_or("")),
                a.elapsed.is_some(),
            ),
            Err(f) => (f.message(), a.elapsed.is_some()),
        })
        .collect()
}

/// Run `keys` on a thread of their own as the binary's main thread would, with a 100 ms
/// timeout; the result comes either from that thread (nothing stuck) or from `end`.
fn run(keys: &[u32]) -> (Collect, anyhow::Result<Outcome>, &'static str) {
    let out = Collect::default();
    let (tx, rx) = mpsc::channel();
    let (ended, returned) = (tx.clone(), tx);
    let keys = sleepy(keys);
    let output = out.clone();
    std::thread::spawn(move || {
        let result = in_turn(Duration::from_millis(100), keys, output, move |r| {
            let _ = ended.send((r, "end"));
        });
        let _ = returned.send((result, "returned"));
    });
    let (result, how) = rx
        .recv_timeout(Duration::from_secs(20))
        .expect("the run ends");
    (out, result, how)
}

#[test]
fn quick_keys_are_answered_on_the_calling_thread() {
    let (out, result, how) = run(&[1, 0, 2]);
    assert_eq!(how, "returned");
    assert_eq!(result.unwrap(), Outcome::Success);
    assert_eq!(shown(&out).len(), 3);
    assert!(*out.finished.lock().unwrap());
}

#[test]
fn a_stuck_key_is_timeout_and_the_later_keys_are_still_answered_in_order() {
    let start = Instant::now();
    let (out, result, how) = run(&[1, 3000, 2, 0]);
    // The calling thread is still in the 3 s lookup: the watchdog finished the run.
    assert_eq!(how, "end");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(result.unwrap(), Outcome::Temporary, "a timeout is exit 3");
    assert_eq!(
        shown(&out),
        [
            ("1".into(), true),
            ("T3000".into(), true),
            ("2".into(), true),
            ("0".into(), true)
        ]
    );
    let waited = out.answers.lock().unwrap()[1].elapsed.unwrap();
    assert!(waited >= Duration::from_millis(100), "{waited:?}");
    assert!(*out.finished.lock().unwrap());
}

#[test]
fn every_stuck_key_is_given_up_on_by_a_new_watchdog() {
    let (out, result, how) = run(&[3000, 4000, 5, 3000]);
    assert_eq!(how, "end");
    assert_eq!(result.unwrap(), Outcome::Temporary);
    assert_eq!(
        shown(&out),
        [
            ("T3000".into(), true),
            ("T4000".into(), true),
            ("5".into(), true),
            ("T3000".into(), true)
        ]
    );
}

#[test]
fn a_key_answered_just_in_time_is_its_own_answer() {
    // 60 ms under a 100 ms limit, twice in a row: the second key's deadline runs from its own
    // start, not the first's.
    let (out, result, how) = run(&[60, 60, 60]);
    assert_eq!(how, "returned");
    assert_eq!(result.unwrap(), Outcome::Success);
    assert_eq!(shown(&out).iter().filter(|(s, _)| s == "60").count(), 3);
}
