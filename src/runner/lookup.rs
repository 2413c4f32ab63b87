//! Running any `Subcommand`: its keys through its `Lookup`, timed and limited, out through one emitter.

use std::ffi::OsStr;
use std::sync::Arc;

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
    // The python format shows what Python's call gives, so it makes Python's call.
    let python = ctx.format == Format::Python;
    let answer = |key: Option<&OsStr>| -> Answer<<S::Lookup as Lookup>::Record> {
        if !limited {
            return answer_one(&*lookup, key, python);
        }
        let query = key.map(validate::display);
        // The call may outlive the wait on a worker thread, so it owns what it needs.
        let (lookup, key) = (Arc::clone(&lookup), key.map(OsStr::to_os_string));
        limit::call(timeout, query, move || {
            answer_one(&*lookup, key.as_deref(), python)
        })
    };
    let view = |result: &Result<Vec<_>, Failure>| lookup.python(result);
    let mut emitter = Emitter::new(&ctx, &view);
    match subcommand.input() {
        Input::Batch { keys, batch } => {
            let options = batch::Options::from_args(batch, keys);
            batch::run(&options, keys, |key| answer(Some(key)), emitter)
        }
        Input::Keys(keys) => {
            for key in keys {
                emitter.write(answer(key.as_deref()))?;
            }
            emitter.finish()
        }
    }
}

/// One key's answer: Python's call for the python format, sockscope's own otherwise.
fn answer_one<L: Lookup>(lookup: &L, key: Option<&OsStr>, python: bool) -> Answer<L::Record> {
    if python {
        lookup.answer_python(key)
    } else {
        lookup.answer(key)
    }
}
