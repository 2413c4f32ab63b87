//! `python`: what Python's REPL prints for the same call, one repr (or exception line) per answer.

use std::io::{self, Write};

use crate::model::{Answer, PythonView, Record};

use super::Sink;

/// Writes each answer as soon as it is ready; with `--explain`, as a REPL transcript whose
/// `>>>` line is the Python that makes the call and `#` lines carry the C call and the notes.
pub struct Python<'w, R> {
    out: Box<dyn Write + Send + 'w>,
    explain: bool,
    /// What the call's Python returns or raises for an answer.
    view: PythonView<'w, R>,
}

impl<'w, R> Python<'w, R> {
    pub fn new(out: Box<dyn Write + Send + 'w>, explain: bool, view: PythonView<'w, R>) -> Self {
        Python { out, explain, view }
    }
}

impl<R: Record> Sink<R> for Python<'_, R> {
    fn answer(&mut self, answer: &Answer<R>) -> io::Result<()> {
        let call = answer.call.as_ref();
        if let (true, Some(call)) = (self.explain, call) {
            // Comments wrap to the terminal; the `>>>` line and the value stay whole, as
            // Python would take them.
            let width = super::terminal_width();
            let c = super::wrap_hanging("# C: ", "#    ", &call.c, width);
            self.out.write_all(c.as_bytes())?;
            for note in &call.notes {
                let note = super::wrap_hanging("# ", "#   ", note, width);
                self.out.write_all(note.as_bytes())?;
            }
            writeln!(self.out, ">>> {}", call.python)?;
        }
        writeln!(self.out, "{}", (self.view)(&answer.result))
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
