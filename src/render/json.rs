//! `json` and `jsonl`: records as they serialize, and an error record in place of each failed key.

use std::io::{self, Write};

use crate::model::{Annotated, Answer, ErrorRecord, Record};

use super::Sink;

/// Calls `each` with every record of an answer, or with its error record, each with what the
/// answer adds to its records (elapsed time, the call behind it).
fn for_each_record<R: Record>(
    answer: &Answer<R>,
    mut each: impl FnMut(&dyn erased::Json) -> io::Result<()>,
) -> io::Result<()> {
    // Whole microseconds, so the number reads 5.928 rather than 5.9281250000000005.
    let elapsed_ms = answer.elapsed.map(|d| d.as_micros() as f64 / 1000.0);
    let call = answer.call.as_ref();
    match &answer.result {
        Ok(records) => records.iter().try_for_each(|record| {
            each(&Annotated {
                record,
                elapsed_ms,
                call,
            })
        }),
        Err(failure) => each(&Annotated {
            record: &ErrorRecord {
                query: answer.query.as_deref(),
                error: failure,
            },
            elapsed_ms,
            call,
        }),
    }
}

/// Lets records of any type go through one writing path.
mod erased {
    pub trait Json {
        fn write_compact(&self, out: &mut Vec<u8>) -> serde_json::Result<()>;
        fn to_pretty(&self) -> serde_json::Result<String>;
    }

    impl<T: serde::Serialize> Json for T {
        fn write_compact(&self, out: &mut Vec<u8>) -> serde_json::Result<()> {
            serde_json::to_writer(out, self)
        }
        fn to_pretty(&self) -> serde_json::Result<String> {
            serde_json::to_string_pretty(self)
        }
    }
}

fn io_err(err: serde_json::Error) -> io::Error {
    io::Error::other(err)
}

/// What a `json` output is when it has no record at all.
pub const EMPTY_ARRAY: &str = "[]\n";

/// One JSON array, streamed: `[` before the first record, `]` at the end, `[]` when empty.
pub struct JsonArray<'w> {
    out: Box<dyn Write + Send + 'w>,
    written: usize,
}

impl<'w> JsonArray<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        JsonArray { out, written: 0 }
    }
}

impl<R: Record> Sink<R> for JsonArray<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        for_each_record(answer, |record| {
            let text = record.to_pretty().map_err(io_err)?;
            let sep = if self.written == 0 { "[\n" } else { ",\n" };
            self.out.write_all(sep.as_bytes())?;
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    self.out.write_all(b"\n")?;
                }
                write!(self.out, "  {line}")?;
            }
            self.written += 1;
            Ok(())
        })
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        let end = if self.written == 0 {
            EMPTY_ARRAY
        } else {
            "\n]\n"
        };
        self.out.write_all(end.as_bytes())?;
        self.out.flush()
    }
}

/// One compact JSON record per line; each answer's lines are flushed as soon as the run has no
/// other answer ready to write.
pub struct JsonLines<'w> {
    out: Box<dyn Write + Send + 'w>,
    /// An answer's lines, before they are written.
    line: Vec<u8>,
}

impl<'w> JsonLines<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        JsonLines {
            out,
            line: Vec::new(),
        }
    }
}

impl<R: Record> Sink<R> for JsonLines<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        // Serialized into one reused buffer (serde_json writes in small pieces, cheap into a
        // Vec, not through the boxed output), then handed over at once.
        self.line.clear();
        for_each_record(answer, |record| {
            record.write_compact(&mut self.line).map_err(io_err)?;
            self.line.push(b'\n');
            Ok(())
        })?;
        self.out.write_all(&self.line)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
