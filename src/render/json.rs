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
        fn to_compact(&self) -> serde_json::Result<String>;
        fn to_pretty(&self) -> serde_json::Result<String>;
    }

    impl<T: serde::Serialize> Json for T {
        fn to_compact(&self) -> serde_json::Result<String> {
            serde_json::to_string(self)
        }
        fn to_pretty(&self) -> serde_json::Result<String> {
            serde_json::to_string_pretty(self)
        }
    }
}

fn io_err(err: serde_json::Error) -> io::Error {
    io::Error::other(err)
}

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
        let end = if self.written == 0 { "[]\n" } else { "\n]\n" };
        self.out.write_all(end.as_bytes())?;
        self.out.flush()
    }
}

/// One compact JSON record per line; each answer's lines are flushed as soon as the run has no
/// other answer ready to write.
pub struct JsonLines<'w> {
    out: Box<dyn Write + Send + 'w>,
}

impl<'w> JsonLines<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        JsonLines { out }
    }
}

impl<R: Record> Sink<R> for JsonLines<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        // An answer's records (addrinfo gives one per address and socket type) go out in one
        // write: line-buffered stdout would otherwise make a system call per line.
        let mut lines = String::new();
        for_each_record(answer, |record| {
            lines.push_str(&record.to_compact().map_err(io_err)?);
            lines.push('\n');
            Ok(())
        })?;
        self.out.write_all(lines.as_bytes())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
