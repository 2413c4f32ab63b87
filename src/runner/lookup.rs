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
    // Only --explain and the python format print the call behind an answer; describing it
    // costs more than many lookups, so it is not built for the other formats.
    let describe = ctx.explain || ctx.format == Format::Python;
    let ask = move |lookup: &S::Lookup, key: Option<&OsStr>| {
        if describe {
            lookup.answer(key)
        } else {
            lookup.answer_bare(key)
        }
    };
    let answer = |key: Option<&OsStr>| -> Answer<<S::Lookup as Lookup>::Record> {
        if !limited {
            return ask(&lookup, key);
        }
        let query = key.map(validate::display);
        // The call may outlive the wait on a worker thread, so it owns what it needs.
        let (lookup, key) = (Arc::clone(&lookup), key.map(OsStr::to_os_string));
        limit::call(timeout, query, move || ask(&lookup, key.as_deref()))
    };
    let python = |result: &Result<Vec<_>, Failure>| lookup.python(result);
    let mut emitter = Emitter::new(&ctx, &python);
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
