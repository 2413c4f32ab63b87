//! Writing answers as they come: records to stdout through the chosen renderer, one line on stderr per failed key.

use std::io::{self, Write};

use crate::model::{Answer, Failure, Outcome, PythonView, Record, no_python_view};
use crate::render;
use crate::text::printable;

use super::Ctx;

/// Writes answers as they come and keeps the worst outcome seen.
pub struct Emitter<'v, R: Record + 'static> {
    command: &'static str,
    /// Lookups always describe their call; the python format needs it for `--explain`'s
    /// transcript, the others show it only with `--explain`.
    explain: bool,
    python: bool,
    color_errors: bool,
    /// Send, so that a run whose lookup is abandoned can be finished by another thread
    /// (`runner::limit`).
    sink: Box<dyn render::Sink<R> + Send + 'v>,
    worst: Outcome,
}

impl<'v, R: Record + 'static> Emitter<'v, R> {
    /// An emitter whose python format prints what `view` makes of each answer.
    pub fn new(ctx: &Ctx, view: PythonView<'v, R>) -> Self {
        // Buffered: a batch writes what a wake-up gathered in one system call (`flush`).
        let out = stdout_writer();
        let sink = match ctx.format {
            render::Format::Python => render::python_sink::<R>(ctx.explain, out, view),
            format => {
                let options = render::Options {
                    color: ctx.color,
                    elapsed: ctx.resolver.elapsed,
                    width: render::terminal_width(),
                };
                render::sink_with::<R>(format, out, options)
            }
        };
        Emitter {
            command: ctx.command,
            color_errors: ctx.color_errors,
            sink,
            explain: ctx.explain,
            python: ctx.format == render::Format::Python,
            worst: Outcome::Success,
        }
    }

    /// Write one answer and flush it, so it is seen at once.
    pub fn write(&mut self, answer: Answer<R>) -> anyhow::Result<()> {
        self.write_held(answer)?;
        self.flush()
    }

    /// Write one answer, leaving it in the output buffer until `flush`.
    pub fn write_held(&mut self, mut answer: Answer<R>) -> anyhow::Result<()> {
        if !self.explain && !self.python {
            answer.call = None;
        }
        if let Err(failure) = &answer.result {
            // The answers before it come out before its error line, as they were given.
            self.flush()?;
            report(self.command, answer.label(), failure, self.color_errors);
        }
        self.worst = self.worst.max(answer.outcome());
        self.sink.answer(&answer).map_err(|err| self.failed(err))
    }

    /// Write out what the renderer and the output buffer hold.
    pub fn flush(&mut self) -> anyhow::Result<()> {
        self.sink.flush().map_err(|err| self.failed(err))
    }

    /// Flush what the renderer holds and return the worst outcome among the answers.
    pub fn finish(mut self) -> anyhow::Result<Outcome> {
        self.sink.finish().map_err(|err| self.failed(err))?;
        Ok(self.worst)
    }

    fn failed(&self, error: io::Error) -> anyhow::Error {
        anyhow::Error::new(OutputFailed {
            error,
            worst: self.worst,
        })
    }
}

/// Standard output as the emitter writes it, buffered until `flush`: a duplicate of descriptor
/// 1 that no lock guards, since a run whose lookup is abandoned is finished by another thread
/// (a locked stdout cannot change threads). Nothing else writes to stdout during a run.
fn stdout_writer() -> Box<dyn Write + Send> {
    use std::os::fd::AsFd;
    match io::stdout().as_fd().try_clone_to_owned() {
        Ok(fd) => Box::new(io::BufWriter::with_capacity(
            OUT_BUFFER,
            std::fs::File::from(fd),
        )),
        // No descriptor left to duplicate into: the shared handle, locked at each write.
        Err(_) => Box::new(io::BufWriter::with_capacity(OUT_BUFFER, io::stdout())),
    }
}

impl<R: Record + 'static> crate::batch::Output<R> for Emitter<'_, R> {
    fn write(&mut self, answer: Answer<R>) -> anyhow::Result<()> {
        Emitter::write_held(self, answer)
    }

    fn flush(&mut self) -> anyhow::Result<()> {
        Emitter::flush(self)
    }

    fn finish(&mut self) -> anyhow::Result<Outcome> {
        self.sink.finish().map_err(|err| self.failed(err))?;
        Ok(self.worst)
    }
}

/// Output held before a system call writes it: a wake-up's worth of a fast batch.
const OUT_BUFFER: usize = 64 * 1024;

/// Writing to stdout failed. The binary exits with the worst outcome among the answers seen
/// before when the reader went away (a broken pipe), and as a system failure otherwise.
#[derive(Debug)]
pub struct OutputFailed {
    pub error: io::Error,
    /// The worst outcome among the answers given to the output, the failed one included.
    pub worst: Outcome,
}

impl std::fmt::Display for OutputFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "writing output: {}", errno_text(&self.error))
    }
}

impl std::error::Error for OutputFailed {}

/// An I/O error as the C library words it (`No space left on device`), without Rust's
/// `(os error 28)`.
fn errno_text(error: &io::Error) -> String {
    error
        .raw_os_error()
        .map_or_else(|| error.to_string(), crate::sys::error::errno_message)
}

/// Write answers of records no Python call returns, in order, and return the worst outcome.
pub fn emit<R: Record + 'static>(
    ctx: &Ctx,
    answers: impl IntoIterator<Item = Answer<R>>,
) -> anyhow::Result<Outcome> {
    let mut emitter = Emitter::new(ctx, &no_python_view::<R>);
    for answer in answers {
        emitter.write(answer)?;
    }
    emitter.finish()
}

/// `sockscope: addrinfo: nosuch.invalid: no such name (NXDOMAIN) (EAI_NONAME)`.
pub fn report(command: &str, label: &str, failure: &Failure, color: bool) {
    let code = failure.code();
    let code = if color {
        render::color::error_code(&code)
    } else {
        code
    };
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("{}: ", printable(label, MAX_LABEL_SHOWN))
    };
    let message = printable(&failure.message(), MAX_MESSAGE_SHOWN);
    // Nothing useful can be done if stderr itself is gone.
    let _ = writeln!(
        io::stderr().lock(),
        "sockscope: {command}: {label}{message} ({code})"
    );
}

/// How much of a key an error line repeats: enough to recognise it, not a 1 MiB line.
const MAX_LABEL_SHOWN: usize = 200;
/// Messages can quote a key too; the longest of sockscope's own is far shorter.
const MAX_MESSAGE_SHOWN: usize = 1000;
