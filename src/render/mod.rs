//! Renderers: each takes the same `Answer`s and writes one output format.

mod json;
mod table;

use std::io::{self, Write};

use crate::model::{Answer, Record};

/// The output formats every subcommand offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people (the default).
    Table,
    /// One JSON array of records, always an array.
    Json,
    /// The same records as `json`, one per line, written as soon as each is ready.
    Jsonl,
}

/// Where answers go: a renderer sees each answer in order, then `finish` once at the end.
pub trait Sink<R: Record> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// What a renderer may add to its format; JSON always carries what it is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// An `elapsed_ms` column in the table (`--elapsed`).
    pub elapsed: bool,
}

/// The renderer for `format`, writing to `out`.
// Only the tests call it today; it stays as the plain entry point for callers without options.
#[allow(dead_code)]
pub fn sink<'w, R: Record + 'w>(format: Format, out: Box<dyn Write + 'w>) -> Box<dyn Sink<R> + 'w> {
    sink_with(format, out, Options::default())
}

/// The renderer for `format` with `options`, writing to `out`.
pub fn sink_with<'w, R: Record + 'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    options: Options,
) -> Box<dyn Sink<R> + 'w> {
    match format {
        Format::Table => Box::new(table::Table::new(out).with_elapsed(options.elapsed)),
        Format::Json => Box::new(json::JsonArray::new(out)),
        Format::Jsonl => Box::new(json::JsonLines::new(out)),
    }
}

#[cfg(test)]
mod tests;
