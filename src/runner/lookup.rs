//! Running any `Subcommand`: its keys through its `Lookup`, timed and limited, out through one emitter.

use std::ffi::OsStr;
use std::sync::Arc;
use std::time::Instant;

use crate::batch;
use crate::calls::{Input, Lookup, Subcommand};
use crate::model::{Answer, Failure, Outcome};
use crate::render::Format;
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
    let answer = |key: Option<&OsStr>| -> Answer<<S::Lookup as Lookup>::Record> {
        if !limited {
            return answer_one(&*lookup, key, mode);
        }
        let query = key.map(validate::display);
        // The call may outlive the wait on a worker thread, so it owns what it needs.
        let (lookup, key) = (Arc::clone(&lookup), key.map(OsStr::to_os_string));
        limit::call(timeout, query, move || {
            answer_one(&*lookup, key.as_deref(), mode)
        })
    };
    let view = |result: &Result<Vec<_>, Failure>| lookup.python(result);
    let mut emitter = Emitter::new(&ctx, &view);
    match subcommand.input() {
        Input::Batch { keys, batch } => {
            let mut options = batch::Options::from_args(batch, keys);
            // In a batch the pool gives up on a slow lookup itself, on the worker that makes
            // it, so the threads stay those of `--jobs` however many are given up on.
            options.timeout = if limited { timeout } else { None };
            let lookup = Arc::clone(&lookup);
            let answer = move |key: &OsStr| {
                if !limited {
                    return answer_one(&*lookup, Some(key), mode);
                }
                let start = Instant::now();
                let mut answer = answer_one(&*lookup, Some(key), mode);
                answer.elapsed = Some(start.elapsed());
                answer
            };
            batch::run(&options, keys, answer, emitter)
        }
        Input::Keys(keys) => {
            for key in keys {
                emitter.write(answer(key.as_deref()))?;
            }
            emitter.finish()
        }
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
