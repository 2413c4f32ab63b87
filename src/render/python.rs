//! `python`: what Python's REPL prints for the same call, one repr (or exception line) per answer.

use std::io::{self, Write};

use crate::model::{Answer, Record};

use super::Sink;

/// Writes each answer as soon as it is ready; with `--explain`, as a REPL transcript whose
/// `>>>` line is the Python that makes the call and `#` lines carry the C call and the notes.
pub struct Python<'w> {
    out: Box<dyn Write + 'w>,
    explain: bool,
}

impl<'w> Python<'w> {
    pub fn new(out: Box<dyn Write + 'w>, explain: bool) -> Self {
        Python { out, explain }
    }
}

impl<R: Record> Sink<R> for Python<'_> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        let call = answer.call.as_ref();
        if let (true, Some(call)) = (self.explain, call) {
            writeln!(self.out, "# C: {}", call.c)?;
            for note in &call.notes {
                writeln!(self.out, "# {note}")?;
            }
            writeln!(self.out, ">>> {}", call.python)?;
        }
        let line = match &answer.result {
            Ok(records) => R::python(records, call).map_or_else(
                || R::python_absent(records, call),
                |value| value.to_string(),
            ),
            Err(failure) => R::python_failure(failure, call),
        };
        writeln!(self.out, "{line}")?;
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
