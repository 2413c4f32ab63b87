//! Renderers: each takes the same `Answer`s and writes one output format.

pub mod color;
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

/// The renderer for `format`, writing to `out`, without colour.
pub fn sink<'w, R: Record + 'w>(format: Format, out: Box<dyn Write + 'w>) -> Box<dyn Sink<R> + 'w> {
    match format {
        Format::Table => Box::new(table::Table::new(out)),
        Format::Json => Box::new(json::JsonArray::new(out)),
        Format::Jsonl => Box::new(json::JsonLines::new(out)),
    }
}

/// The renderer for `format`; `color` applies to tables only, since JSON must stay parseable.
pub fn sink_with_color<'w, R: Record + 'w>(
    format: Format,
    out: Box<dyn Write + 'w>,
    color: bool,
) -> Box<dyn Sink<R> + 'w> {
    match format {
        Format::Table if color => Box::new(table::Table::with_color(out, true)),
        _ => sink(format, out),
    }
}

#[cfg(test)]
mod tests;
