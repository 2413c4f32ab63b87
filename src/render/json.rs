//! `json` and `jsonl`: records as they serialize, and an error record in place of each failed key.

use std::io::{self, Write};

use serde::Serialize;

use crate::model::{Annotated, Answer, Call, ErrorRecord, Record, json};

use super::{Sink, compact};

/// Appends every record of an answer, or its error record, to `out` as compact JSON (serde_json's
/// bytes for the record flattened into `Annotated`), and calls `each` after each one with where
/// it starts. `tail` is scratch space.
fn for_each_record<R: Record>(
    answer: &Answer<R>,
    tail: &mut Vec<u8>,
    out: &mut Vec<u8>,
    mut each: impl FnMut(&mut Vec<u8>, usize) -> io::Result<()>,
) -> io::Result<()> {
    let call = answer.call.as_ref();
    // What the answer adds is the same for each of its records: written once.
    tail.clear();
    if let Some(elapsed) = answer.elapsed {
        // Whole microseconds, so the number reads 5.928 rather than 5.9281250000000005.
        tail.extend_from_slice(b"\"elapsed_ms\":");
        json::write_millis(tail, elapsed.as_micros());
    }
    if let Some(call) = call {
        if !tail.is_empty() {
            tail.push(b',');
        }
        tail.extend_from_slice(b"\"call\":");
        compact::write(call, tail).map_err(io_err)?;
    }
    let extra = Extra {
        elapsed: answer.elapsed,
        call,
        tail: tail.as_slice(),
    };
    match &answer.result {
        Ok(records) => records.iter().try_for_each(|record| {
            let start = out.len();
            if record.write_json(out) {
                extra.close(start, out);
            } else {
                extra.annotate(record, out)?;
            }
            each(out, start)
        }),
        Err(failure) => {
            let start = out.len();
            let record = ErrorRecord {
                query: answer.query.as_deref(),
                error: failure,
            };
            extra.annotate(&record, out)?;
            each(out, start)
        }
    }
}

/// What an answer adds to each of its records, and those fields written (`tail`).
struct Extra<'a> {
    elapsed: Option<std::time::Duration>,
    call: Option<&'a Call>,
    tail: &'a [u8],
}

impl Extra<'_> {
    /// Adds the answer's fields to the object written from `start`, after its own.
    fn close(&self, start: usize, out: &mut Vec<u8>) {
        if !self.tail.is_empty() {
            out.pop();
            if out.len() > start + 1 {
                out.push(b',');
            }
            out.extend_from_slice(self.tail);
            out.push(b'}');
        }
    }

    /// Appends `record` with the answer's fields after its own, as `Annotated` flattens them.
    fn annotate<T: Serialize>(&self, record: &T, out: &mut Vec<u8>) -> io::Result<()> {
        let start = out.len();
        compact::write(record, out).map_err(io_err)?;
        let written = &out[start..];
        if written.first() == Some(&b'{') && written.last() == Some(&b'}') {
            self.close(start, out);
            return Ok(());
        }
        // Not an object: what flattening makes of it (mostly a refusal) is serde's to say.
        out.truncate(start);
        let annotated = Annotated {
            record,
            elapsed_ms: self.elapsed.map(|d| d.as_micros() as f64 / 1000.0),
            call: self.call,
        };
        serde_json::to_writer(out, &annotated).map_err(io_err)
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
    /// An answer's records laid out, before they are written.
    text: Vec<u8>,
    /// One record in compact form, and what its answer adds, before they are laid out.
    record: Vec<u8>,
    tail: Vec<u8>,
}

impl<'w> JsonArray<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        JsonArray {
            out,
            written: 0,
            text: Vec::new(),
            record: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<R: Record> Sink<R> for JsonArray<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        self.text.clear();
        let (text, written) = (&mut self.text, &mut self.written);
        self.record.clear();
        for_each_record(answer, &mut self.tail, &mut self.record, |record, start| {
            // Each record as serde_json's pretty form, indented one level inside the array.
            text.extend_from_slice(if *written == 0 { b"[\n  " } else { b",\n  " });
            compact::pretty(&record[start..], 1, text);
            record.truncate(start);
            *written += 1;
            Ok(())
        })?;
        self.out.write_all(&self.text)
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
    /// What the answer adds to each record, written once.
    tail: Vec<u8>,
}

impl<'w> JsonLines<'w> {
    pub fn new(out: Box<dyn Write + Send + 'w>) -> Self {
        JsonLines {
            out,
            line: Vec::new(),
            tail: Vec::new(),
        }
    }
}

impl<R: Record> Sink<R> for JsonLines<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        // Written into one reused buffer, then handed over at once: the boxed output is a
        // dynamic call per write.
        self.line.clear();
        for_each_record(answer, &mut self.tail, &mut self.line, |line, _| {
            line.push(b'\n');
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

#[cfg(test)]
#[path = "json_tests.rs"]
mod tests;
