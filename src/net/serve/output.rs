//! The one thread of `serve` that writes to stdout: each event as it arrives, flushed, then the summary; a closed stdout stops the server.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::FileTypeExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::time::Instant;

use crate::model::{Answer, Call};
use crate::net::text::ms;
use crate::render::{self, Format, Sink};
use crate::sys::socket as sys;

use super::TICK;
use super::events::{ServeEvent, Tally};
use super::python::{self, Session};
use super::table::{self, EventTable};

/// What the writer needs besides the events.
pub struct Output {
    pub format: Format,
    /// `--explain`: the server's calls, shown once before the first event.
    pub explain: Option<Call>,
    pub session: Session,
    pub udp: bool,
    pub stop: Arc<AtomicBool>,
    pub output_closed: Arc<AtomicBool>,
}

/// How writing ended.
pub enum Written {
    /// Every event and the summary went out.
    All,
    /// The reader of stdout went away (`| head -1`): a normal end; the summary went to stderr.
    ReaderGone,
    /// stdout failed otherwise (a full disk): an error; the summary went to stderr.
    Failed(io::Error),
}

/// The renderer for the chosen format.
enum Writer<'w> {
    Table(EventTable<'w>),
    Python(Box<dyn Write + Send + 'w>, Session),
    Records(Box<dyn Sink<ServeEvent> + 'w>),
}

impl Writer<'_> {
    fn write(&mut self, event: &ServeEvent, call: Option<Call>) -> io::Result<()> {
        match self {
            Writer::Table(table) => table.write(event),
            Writer::Python(out, session) => {
                let mut text = python::lines(session, event).join("\n");
                text.push('\n');
                out.write_all(text.as_bytes())?;
                out.flush()
            }
            Writer::Records(sink) => {
                let mut answer = Answer::new(None, Ok(vec![event.clone()]));
                answer.call = call;
                sink.answer(&answer)
            }
        }
    }

    fn finish(&mut self) -> io::Result<()> {
        match self {
            Writer::Table(table) => table.finish(),
            Writer::Python(out, _) => out.flush(),
            Writer::Records(sink) => sink.finish(),
        }
    }
}

/// Whether the reader of a pipe on stdout is gone, asked without writing: poll reports an
/// error on a pipe's write end once its read end is closed. Only pipes are watched; a
/// terminal's descriptor can be readable for the keys someone types.
struct PipeWatch(Option<File>);

impl PipeWatch {
    fn new() -> Self {
        let pipe = io::stdout()
            .as_fd()
            .try_clone_to_owned()
            .ok()
            .map(File::from)
            .filter(|file| file.metadata().is_ok_and(|meta| meta.file_type().is_fifo()));
        PipeWatch(pipe)
    }

    fn reader_gone(&self) -> bool {
        self.0.as_ref().is_some_and(|file| {
            matches!(
                sys::wait_readable(file.as_fd(), std::time::Duration::ZERO),
                Ok(true)
            )
        })
    }
}

impl Output {
    fn writer(&self) -> io::Result<Writer<'static>> {
        let out: Box<dyn Write + Send> = Box::new(io::stdout());
        Ok(match self.format {
            Format::Table => {
                let width = table::width();
                if let Some(call) = &self.explain {
                    let mut stdout = io::stdout().lock();
                    stdout.write_all(table::explain(call, width).as_bytes())?;
                    stdout.flush()?;
                }
                Writer::Table(EventTable::new(out, width))
            }
            Format::Python => {
                let mut out = out;
                if let Some(call) = &self.explain {
                    let mut text = String::new();
                    for line in call.python.lines() {
                        text.push_str(&format!("# {line}\n"));
                    }
                    out.write_all(text.as_bytes())?;
                }
                Writer::Python(out, self.session.clone())
            }
            other => Writer::Records(render::sink(other, out)),
        })
    }

    /// Nobody reads the events any more: stop serving; the channel is still drained.
    fn closed(&self) {
        self.output_closed.store(true, Ordering::SeqCst);
        self.stop.store(true, Ordering::SeqCst);
    }

    /// Write every event received on `rx` until every sender is gone, then the summary counted
    /// from them. When stdout fails, or a pipe's reader is gone, stop the server, keep draining
    /// the channel, and put the summary on stderr.
    pub fn write_events(self, rx: Receiver<ServeEvent>) -> Written {
        let mut tally = if self.udp {
            Tally::udp()
        } else {
            Tally::default()
        };
        let started = Instant::now();
        let watch = PipeWatch::new();
        let mut failure: Option<io::Error> = None;
        let mut writer = match self.writer() {
            Ok(writer) => Some(writer),
            Err(err) => {
                self.closed();
                failure = Some(err);
                None
            }
        };
        let mut call = self.explain.clone();
        loop {
            let event = match rx.recv_timeout(TICK) {
                Ok(event) => event,
                Err(RecvTimeoutError::Timeout) => {
                    if failure.is_none() && watch.reader_gone() {
                        failure = Some(io::ErrorKind::BrokenPipe.into());
                        self.closed();
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => break,
            };
            tally.count(&event);
            if let (None, Some(w)) = (&failure, writer.as_mut())
                && let Err(err) = w.write(&event, call.take())
            {
                failure = Some(err);
                self.closed();
            }
        }
        let not_before = ms(started.elapsed());
        if let (None, Some(w)) = (&failure, writer.as_mut()) {
            match w
                .write(&tally.summary(not_before), None)
                .and_then(|()| w.finish())
            {
                Ok(()) => return Written::All,
                Err(err) => failure = Some(err),
            }
        }
        let err = failure.unwrap_or_else(|| io::ErrorKind::BrokenPipe.into());
        let gone = err.kind() == io::ErrorKind::BrokenPipe;
        let why = if gone {
            "stdout closed by its reader; "
        } else {
            ""
        };
        let _ = writeln!(
            io::stderr().lock(),
            "sockscope: serve: {why}{}",
            tally.line(not_before)
        );
        if gone {
            Written::ReaderGone
        } else {
            Written::Failed(err)
        }
    }
}
