//! Running any `Subcommand`: its keys through its `Lookup`, timed and limited, out through one emitter.

use std::ffi::{OsStr, OsString};
use std::sync::Arc;
use std::time::Instant;

use crate::batch;
use crate::calls::{BatchArgs, Input, Lookup, Subcommand};
use crate::model::outcome::Interrupted;
use crate::model::{Answer, Failure, Outcome, PythonView};
use crate::render::{self, Format};
use crate::sys::interrupt;
use crate::validate;

use super::limit;
use super::{Ctx, Emitter};

/// Run a subcommand's lookup over its keys and write every answer; returns the worst outcome.
pub fn run<S: Subcommand>(ctx: &Ctx, subcommand: &S) -> anyhow::Result<Outcome> {
    let lookup = Arc::new(subcommand.lookup()?);
    let ctx = match subcommand.resolver() {
        Some(resolver) => ctx.with_resolver(resolver),
        None => ctx.clone(),
    };
    // Only the resolver's calls are timed and may be abandoned; the others answer at once.
    let limited = subcommand.resolver().is_some();
    let timeout = ctx.resolver.timeout;
    // The python format shows what Python's call gives, so it makes Python's call; the call
    // behind an answer is printed only there and with --explain, and describing it costs more
    // than many lookups, so the other formats get answers without it.
    let mode = Mode {
        python: ctx.format == Format::Python,
        describe: ctx.explain,
    };
    let view = |result: &Result<Vec<_>, Failure>| lookup.python(result);
    // One key, looked up right here: a signal handler ends the run (there is no batch writer
    // to look at signal flags between answers).
    let one_here = match subcommand.input() {
        Input::Batch { keys, batch } => one_key_here(keys, batch),
        Input::Keys(keys) => keys.len() == 1,
    };
    if one_here {
        interrupt::guard(render::empty_output(ctx.format));
    }
    let keys = match subcommand.input() {
        Input::Batch { keys, batch } if !one_key_here(keys, batch) => {
            let mut options = batch::Options::from_args(batch, keys);
            // In a batch the pool gives up on a slow lookup itself, on the worker that makes
            // it, so the threads stay those of `--jobs` however many are given up on.
            options.timeout = if limited { timeout } else { None };
            options.timed = limited;
            let emitter = Emitter::new(&ctx, owned_view(&lookup));
            let lookup = Arc::clone(&lookup);
            let answer = move |key: &OsStr| answer_one(&*lookup, Some(key), mode);
            return batch::run(&options, keys, answer, emitter);
        }
        Input::Batch { keys, .. } => keys.iter().cloned().map(Some).collect(),
        Input::Keys(keys) => keys,
    };
    match timeout.filter(|_| limited) {
        None => {
            let mut emitter = Emitter::new(&ctx, &view);
            for key in keys {
                let start = Instant::now();
                let mut answer = answer_one(&*lookup, key.as_deref(), mode);
                if limited {
                    answer.elapsed = Some(start.elapsed());
                }
                if one_here {
                    interrupt::answered();
                }
                emitter.write(answer)?;
            }
            let outcome = emitter.finish()?;
            ended_by_signal(Ok(outcome))
        }
        Some(limit) => {
            let emitter = Emitter::new(&ctx, owned_view(&lookup));
            let given_up = move |key: &Option<OsString>| {
                if one_here {
                    interrupt::answered();
                }
                let query = key.as_deref().map(validate::display);
                Answer::new(query, Err(Failure::timeout(limit)))
            };
            let keys = limit::Keys {
                keys,
                lookup: Box::new(move |key: &Option<OsString>| {
                    let answer = answer_one(&*lookup, key.as_deref(), mode);
                    if one_here {
                        interrupt::answered();
                    }
                    answer
                }),
                given_up: Box::new(given_up),
            };
            let end = limit::ending();
            limit::in_turn(limit, keys, emitter, move |result| {
                end(ended_by_signal(result))
            })
        }
    }
}

/// The Python view of `lookup`'s answers for an output that another thread may write or
/// finish (a batch's workers, `limit`'s watchdog): one small closure per run, left for the
/// process's end.
fn owned_view<L: Lookup>(lookup: &Arc<L>) -> PythonView<'static, L::Record> {
    let owned = Arc::clone(lookup);
    Box::leak(Box::new(move |result: &Result<Vec<_>, Failure>| {
        owned.python(result)
    }))
}

/// Whether a batch subcommand's keys are one key on the command line with nothing a batch
/// adds (`--stats`): looked up right here, without the pool's thread, its hand-over and its
/// signal registry, it answers the same (`sys::interrupt` ends it on a signal).
fn one_key_here(keys: &[OsString], batch: &BatchArgs) -> bool {
    keys.len() == 1 && !batch.reads_keys(keys) && !batch.stats
}

/// `result`, unless a signal came while the answer was being written: then the run ends as
/// an interrupted batch does, its output whole, with the signal's exit code.
fn ended_by_signal(result: anyhow::Result<Outcome>) -> anyhow::Result<Outcome> {
    match (result, interrupt::caught()) {
        (Ok(_), Some(signal)) => {
            let message = format!("interrupted by {}", batch::signal_name(signal));
            Err(anyhow::Error::new(Interrupted::new(signal, message)))
        }
        (result, _) => result,
    }
}

/// Which of a lookup's answers a run prints.
#[derive(Clone, Copy)]
struct Mode {
    python: bool,
    describe: bool,
}

/// One key's answer: Python's call for the python format, sockscope's own otherwise, with the
/// call behind it only for --explain.
fn answer_one<L: Lookup>(lookup: &L, key: Option<&OsStr>, mode: Mode) -> Answer<L::Record> {
    if mode.python {
        lookup.answer_python(key)
    } else if mode.describe {
        lookup.answer(key)
    } else {
        lookup.answer_bare(key)
    }
}
