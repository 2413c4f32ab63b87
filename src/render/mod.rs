//! Renderers: each takes the same `Answer`s and writes one output format.

pub mod color;
mod compact;
mod json;
mod plain;
mod python;
mod stream;
mod table;
mod wrap;

use std::io::{self, Write};

use crate::model::{Answer, Call, PythonView, Record, no_python_view};

pub use plain::fields as plain_fields;
pub use stream::{StreamTable, Width};
pub use wrap::{terminal_width, wrap_hanging};

/// The output formats every subcommand offers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for people (the default).
    #[default]
    Table,
    /// Tab-separated fields, one record per line, no header: for cut and awk, as getent prints.
    Plain,
    /// One JSON array of records, always an array.
    Json,
    /// The same records as `json`, one per line, written as soon as each is ready.
    Jsonl,
    /// What Python's REPL prints for the same call: one repr, or exception line, per call.
    Python,
}

/// Where answers go: a renderer sees each answer in order, then `finish` once at the end.
pub trait Sink<R: Record> {
    /// Render one answer. What it writes may be held in a buffer until `flush`.
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()>;
    /// Write out what is held, so a reader sees every answer given so far (a table still holds
    /// its rows until `finish`: it lays them out together).
    fn flush(&mut self) -> io::Result<()>;
    fn finish(&mut self) -> io::Result<()>;
}

/// Everything a renderer of `format` writes for a run with no answer: a JSON array is closed
/// (`[]`), the other formats write nothing. A run ended by a signal before its first answer
/// writes this from a signal handler, which cannot run a renderer.
pub fn empty_output(format: Format) -> &'static [u8] {
    match format {
        Format::Json => json::EMPTY_ARRAY.as_bytes(),
        _ => b"",
    }
}

/// The renderer for `format`, writing to `out`, without colour.
pub fn sink<'w, R: Record + 'w>(
    format: Format,
    out: Box<dyn Write + Send + 'w>,
) -> Box<dyn Sink<R> + Send + 'w> {
    match format {
        Format::Table => Box::new(table::Table::new(out)),
        Format::Plain => Box::new(plain::Plain::new(out, false)),
        Format::Json => Box::new(json::JsonArray::new(out)),
        Format::Jsonl => Box::new(json::JsonLines::new(out)),
        Format::Python => python_sink(false, out, &no_python_view::<R>),
    }
}

/// What a table may add to its plain form; JSON always carries what it is given.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Colour the header and cells.
    pub color: bool,
    /// An `elapsed_ms` column (`--elapsed`).
    pub elapsed: bool,
    /// The width a table should fit, and `--explain` lines wrap at (`terminal_width`); 0
    /// means no limit.
    pub width: usize,
}

/// The renderer for `format` with `options`, writing to `out`; the options apply to tables
/// only, since JSON must stay parseable.
pub fn sink_with<'w, R: Record + 'w>(
    format: Format,
    out: Box<dyn Write + Send + 'w>,
    options: Options,
) -> Box<dyn Sink<R> + Send + 'w> {
    match format {
        Format::Table => Box::new(
            table::Table::with_color(out, options.color)
                .with_elapsed(options.elapsed)
                .with_width(options.width),
        ),
        Format::Plain => Box::new(plain::Plain::new(out, options.elapsed)),
        _ => sink(format, out),
    }
}

/// The python renderer, printing what `view` makes of each answer; it shows calls in its own
/// way (as a REPL transcript) when `explain`, where the other renderers show a call wherever an
/// answer carries one.
pub fn python_sink<'w, R: Record + 'w>(
    explain: bool,
    out: Box<dyn Write + Send + 'w>,
    view: PythonView<'w, R>,
) -> Box<dyn Sink<R> + Send + 'w> {
    Box::new(python::Python::new(out, explain, view))
}

/// `--explain` in table mode: the C call, the Python line and the notes, above the results,
/// each wrapped at `width` under its label (a word longer than the line is left whole).
pub fn explain_block(call: &Call, width: usize) -> String {
    let mut text = wrap_hanging("C:      ", "        ", &call.c, width);
    text.push_str(&wrap_hanging("Python: ", "        ", &call.python, width));
    for (i, note) in call.notes.iter().enumerate() {
        let head = if i == 0 { "Notes:  - " } else { "        - " };
        text.push_str(&wrap_hanging(head, "          ", note, width));
    }
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
