//! The TCP exchange: send the request and read the reply at once (poll on both), within the deadline, in bounded memory.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::fd::AsFd;
use std::time::Instant;

use crate::model::{Failure, Why};
use crate::net::text::{failure_of, ms};
use crate::sys::poll::{self, Want};

use super::exchange::{Plan, TICK, during, end_of};
use super::record::{ConnectSummary, End};
use super::reply::Sink;
use super::source::Source;

/// How much of the request is read from its source at a time.
const CHUNK: usize = 64 * 1024;

/// The request on its way out: a buffer refilled from the source as the socket drains it.
struct Outgoing {
    source: Source,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    /// Bytes still allowed by `--max-send`.
    allowed: u64,
    /// The source is exhausted (or the allowance spent): nothing more to read from it.
    drained: bool,
}

impl Outgoing {
    fn pending(&self) -> bool {
        self.start < self.end
    }

    fn finished(&self) -> bool {
        self.drained && !self.pending()
    }

    /// Read the next piece of the request; a source error ends the exchange.
    fn refill(&mut self) -> Result<(), Failure> {
        let want = CHUNK.min(usize::try_from(self.allowed).unwrap_or(CHUNK));
        if want == 0 {
            self.drained = true;
            return Ok(());
        }
        match self.source.read(&mut self.buf[..want]) {
            Ok(0) => self.drained = true,
            Ok(n) => {
                self.start = 0;
                self.end = n;
                self.allowed -= n as u64;
            }
            Err(err) if retry(&err) => {}
            Err(err) => return Err(during("reading the request", &err)),
        }
        Ok(())
    }
}

/// An error that only means "not now".
fn retry(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::Interrupted | io::ErrorKind::WouldBlock
    )
}

/// Exchange over a connected stream: the request goes out while the reply comes in, so a
/// server that echoes as it reads never waits on a client that is not reading. The reply
/// ends when the peer closes, at `--max-bytes`, at the banner wait when there is nothing to
/// send, or when a signal asks to stop; `--timeout` and `--idle-timeout` end it as failures.
pub fn run(
    plan: &Plan,
    stream: &TcpStream,
    source: Option<Source>,
    sink: &mut dyn Sink,
    summary: &mut ConnectSummary,
) -> Result<(), Failure> {
    let result = pump(plan, stream, source, sink, summary);
    if let Err(failure) = &result
        && summary.end == End::NotConnected
    {
        summary.end = end_of(failure);
    }
    result
}

fn pump(
    plan: &Plan,
    stream: &TcpStream,
    source: Option<Source>,
    sink: &mut dyn Sink,
    summary: &mut ConnectSummary,
) -> Result<(), Failure> {
    let connected_at = Instant::now();
    stream.set_nonblocking(true).map_err(|e| failure_of(&e))?;
    let banner_until = source.is_none().then(|| connected_at + plan.banner_wait);
    let mut out = source.map(|source| Outgoing {
        source,
        buf: vec![0; CHUNK],
        start: 0,
        end: 0,
        allowed: plan.max_send.unwrap_or(u64::MAX),
        drained: false,
    });
    let mut inbuf = vec![0u8; plan.recv_size];
    let mut last_activity = Instant::now();
    // A send that failed: the reply may still be on its way, so reading goes on.
    let mut send_failure: Option<Failure> = None;
    let mut reader = stream;
    let mut writer = stream;
    loop {
        if plan.stopped() {
            summary.end = End::Interrupted;
            return send_failure.map_or(Ok(()), Err);
        }
        let now = Instant::now();
        if now >= plan.deadline {
            summary.end = End::Timeout;
            let step = if out.as_ref().is_some_and(|o| !o.finished()) {
                "sending the request"
            } else {
                "waiting for the reply"
            };
            return Err(plan.timed_out(step));
        }
        if let Some(idle) = plan.idle
            && now >= last_activity + idle
        {
            summary.end = End::Idle;
            return Err(Failure::explained(
                crate::sys::SysError::Errno(libc::ETIMEDOUT),
                Why::During {
                    step: "nothing sent or received",
                    timeout: Some(idle),
                },
            ));
        }
        if let Some(until) = banner_until
            && now >= until
        {
            summary.end = End::Waited;
            return Ok(());
        }
        // Bytes need no poll: refill at once, so the socket is asked to take them.
        if let Some(o) = out.as_mut()
            && !o.pending()
            && !o.drained
            && o.source.fd().is_none()
        {
            o.refill()?;
        }
        finish_sending(plan, stream, &mut out, summary, &mut send_failure);

        let mut wake = (plan.deadline - now).min(TICK);
        if let Some(idle) = plan.idle {
            wake = wake.min((last_activity + idle).saturating_duration_since(now));
        }
        if let Some(until) = banner_until {
            wake = wake.min(until.saturating_duration_since(now));
        }
        let sending = out.as_ref().is_some_and(|o| o.pending());
        let mut wants = vec![Want {
            fd: stream.as_fd(),
            read: true,
            write: sending,
        }];
        let source_fd = out
            .as_ref()
            .filter(|o| !o.pending() && !o.drained)
            .and_then(|o| o.source.fd());
        if let Some(fd) = source_fd {
            wants.push(Want {
                fd,
                read: true,
                write: false,
            });
        }
        let ready = poll::poll(&wants, wake).map_err(crate::model::Failure::from)?;
        let sock = ready[0];
        let source_ready = ready.get(1).is_some_and(|r| r.readable || r.closed);

        if sock.readable || sock.closed {
            let left = plan.max_bytes - summary.bytes_received;
            let want = plan
                .recv_size
                .min(usize::try_from(left).unwrap_or(usize::MAX));
            summary.recv_calls += 1;
            match reader.read(&mut inbuf[..want]) {
                Ok(0) => {
                    summary.end = End::PeerClosed;
                    return send_failure.map_or(Ok(()), Err);
                }
                Ok(n) => {
                    if summary.bytes_received == 0 {
                        summary.first_byte_ms = Some(ms(connected_at.elapsed()));
                    }
                    summary.bytes_received += n as u64;
                    last_activity = Instant::now();
                    if let Err(err) = sink.data(&inbuf[..n]) {
                        summary.end = End::Error;
                        return Err(during("writing the reply", &err));
                    }
                    if summary.bytes_received >= plan.max_bytes {
                        summary.end = End::MaxBytes;
                        return send_failure.map_or(Ok(()), Err);
                    }
                }
                Err(err) if retry(&err) => summary.recv_calls -= 1,
                Err(err) => {
                    summary.end = End::Error;
                    return Err(send_failure.unwrap_or_else(|| during("reading the reply", &err)));
                }
            }
        }
        if source_ready && let Some(o) = out.as_mut() {
            o.refill()?;
        }
        if let Some(o) = out.as_mut()
            && o.pending()
            && (sock.writable || sock.closed)
            && send_failure.is_none()
        {
            summary.send_calls += 1;
            match writer.write(&o.buf[o.start..o.end]) {
                Ok(n) => {
                    o.start += n;
                    summary.bytes_sent += n as u64;
                    last_activity = Instant::now();
                }
                Err(err) if retry(&err) => summary.send_calls -= 1,
                Err(err) => {
                    // The peer stopped reading; what it sent before may still arrive.
                    send_failure = Some(during("sending the request", &err));
                    o.start = o.end;
                    o.drained = true;
                }
            }
        }
    }
}

/// Once the whole request is out, half-close (unless `--no-half-close`) so the peer sees its
/// end; done once.
fn finish_sending(
    plan: &Plan,
    stream: &TcpStream,
    out: &mut Option<Outgoing>,
    summary: &mut ConnectSummary,
    send_failure: &mut Option<Failure>,
) {
    if !out.as_ref().is_some_and(Outgoing::finished) {
        return;
    }
    *out = None;
    if plan.half_close && send_failure.is_none() {
        match stream.shutdown(Shutdown::Write) {
            Ok(()) => summary.half_closed = true,
            Err(err) => *send_failure = Some(during("half-closing after the request", &err)),
        }
    }
}
