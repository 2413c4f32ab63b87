//! One connection of `serve`: recv, then reply or echo, within the idle timeout and the byte cap.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use crate::net::text::{failure_of, show_addr};

use super::events::{CloseReason, ServeEvent};
use super::{Mode, Shared, TICK};

/// How long `--reply` keeps reading (and discarding) after its answer, so that closing with
/// unread data does not turn into a RST that can destroy the reply before the client reads it.
const DRAIN_LIMIT: Duration = Duration::from_secs(2);

/// How one wait for data ended.
enum Got {
    Data(usize),
    Eof,
    Idle,
    Stopped,
    Failed(io::Error),
}

/// The timeout for the next blocking try, at most one TICK so a stop is noticed; or how the
/// wait ends when the server is stopping or `deadline` has passed.
fn next_try(shared: &Shared, deadline: Instant) -> Result<Duration, Got> {
    if shared.stop.load(Ordering::SeqCst) {
        return Err(Got::Stopped);
    }
    let left = deadline.saturating_duration_since(Instant::now());
    if left.is_zero() {
        return Err(Got::Idle);
    }
    Ok(left.min(TICK))
}

/// A socket timeout or an interrupted call: try again (after `next_try`).
fn is_retry(err: &io::Error) -> bool {
    matches!(
        err.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// recv with the idle timeout, waking every TICK to notice a stop.
fn recv(shared: &Shared, stream: &mut TcpStream, buf: &mut [u8], idle: Duration) -> Got {
    let deadline = Instant::now() + idle;
    loop {
        let tick = match next_try(shared, deadline) {
            Ok(tick) => tick,
            Err(ending) => return ending,
        };
        if let Err(err) = stream.set_read_timeout(Some(tick)) {
            return Got::Failed(err);
        }
        match stream.read(buf) {
            Ok(0) => return Got::Eof,
            Ok(n) => return Got::Data(n),
            Err(err) if is_retry(&err) => {}
            Err(err) => return Got::Failed(err),
        }
    }
}

/// sendall that, like `recv`, wakes every TICK: a client that stopped reading leaves the write
/// blocked, and a stop (Ctrl-C) must not wait for the idle timeout to end it. The timeout runs
/// from the last byte the client took, so a slow reader is not cut off while it keeps up.
/// Adds what went out to `sent` as it goes, so a connection ended midway still counts it.
fn send_all(
    shared: &Shared,
    stream: &mut TcpStream,
    mut data: &[u8],
    idle: Duration,
    sent: &mut u64,
) -> Got {
    let mut deadline = Instant::now() + idle;
    while !data.is_empty() {
        let tick = match next_try(shared, deadline) {
            Ok(tick) => tick,
            Err(ending) => return ending,
        };
        if let Err(err) = stream.set_write_timeout(Some(tick)) {
            return Got::Failed(err);
        }
        match stream.write(data) {
            Ok(0) => return Got::Failed(io::ErrorKind::WriteZero.into()),
            Ok(n) => {
                data = &data[n..];
                *sent += n as u64;
                deadline = Instant::now() + idle;
            }
            Err(err) if is_retry(&err) => {}
            Err(err) => return Got::Failed(err),
        }
    }
    Got::Data(0)
}

/// Per-connection counts for the `closed` event.
#[derive(Default)]
struct Counts {
    bytes_in: u64,
    bytes_out: u64,
}

/// Serve one connection and report how it ended.
pub fn serve_conn(shared: &Shared, conn: u64, peer: SocketAddr, mut stream: TcpStream) {
    let mut counts = Counts::default();
    let (reason, error) = match prepare(shared, &stream) {
        Err(err) => (CloseReason::Error, Some(err)),
        Ok(()) => match &shared.config.mode {
            Mode::Echo => echo(shared, conn, &mut stream, &mut counts),
            Mode::Reply(reply) => answer(shared, conn, &mut stream, reply, &mut counts),
        },
    };
    drop(stream);
    shared.send(ServeEvent::Closed {
        t_ms: shared.t_ms(),
        conn,
        peer: show_addr(&peer),
        reason,
        code: error.map(|err| failure_of(&err).code()),
        bytes_in: Some(counts.bytes_in),
        bytes_out: Some(counts.bytes_out),
    });
}

fn prepare(shared: &Shared, stream: &TcpStream) -> io::Result<()> {
    // accept(2) on Linux does not pass O_NONBLOCK on, but say so rather than rely on it.
    stream.set_nonblocking(false)?;
    // A client that stops reading must not hold a thread forever (send_all sets it per try).
    stream.set_write_timeout(Some(shared.config.idle_timeout.min(TICK)))?;
    // Echoed chunks should leave at once, not wait for Nagle's algorithm.
    stream.set_nodelay(true)
}

/// How a connection ended, and the error that ended it, if one did.
type Ending = (CloseReason, Option<io::Error>);

/// sendall `data` and report it as a `sent` event, or how the connection ended instead.
fn send_reported(
    shared: &Shared,
    conn: u64,
    stream: &mut TcpStream,
    data: &[u8],
    counts: &mut Counts,
) -> Result<(), Ending> {
    let idle = shared.config.idle_timeout;
    match send_all(shared, stream, data, idle, &mut counts.bytes_out) {
        Got::Data(_) => {}
        other => return Err(ending_of(other)),
    }
    shared.send(ServeEvent::Sent {
        t_ms: shared.t_ms(),
        conn,
        bytes: data.len() as u64,
    });
    Ok(())
}

fn ending_of(got: Got) -> Ending {
    match got {
        Got::Eof => (CloseReason::PeerClosed, None),
        Got::Idle => (CloseReason::IdleTimeout, None),
        Got::Stopped => (CloseReason::Shutdown, None),
        Got::Failed(err) => (CloseReason::Error, Some(err)),
        Got::Data(_) => (CloseReason::Error, None),
    }
}

/// `--echo`: every byte back, until the client closes its side (or a limit says stop).
fn echo(shared: &Shared, conn: u64, stream: &mut TcpStream, counts: &mut Counts) -> Ending {
    let config = &shared.config;
    let mut buf = vec![0u8; config.recv_size];
    loop {
        let room = config.max_bytes.saturating_sub(counts.bytes_in as usize);
        if room == 0 {
            return (CloseReason::MaxBytes, None);
        }
        let want = config.recv_size.min(room);
        match recv(shared, stream, &mut buf[..want], config.idle_timeout) {
            Got::Data(n) => {
                counts.bytes_in += n as u64;
                shared.send(ServeEvent::Received {
                    t_ms: shared.t_ms(),
                    conn,
                    bytes: n as u64,
                });
                if let Err(ending) = send_reported(shared, conn, stream, &buf[..n], counts) {
                    return ending;
                }
            }
            other => return ending_of(other),
        }
    }
}

/// `--reply`: the lecture's server. One recv, one sendall, close; what the client sent beyond
/// that one recv is read and dropped so the close is a clean FIN rather than a RST.
fn answer(
    shared: &Shared,
    conn: u64,
    stream: &mut TcpStream,
    reply: &[u8],
    counts: &mut Counts,
) -> Ending {
    let config = &shared.config;
    let mut buf = vec![0u8; config.recv_size.min(config.max_bytes)];
    match recv(shared, stream, &mut buf, config.idle_timeout) {
        Got::Data(n) => {
            counts.bytes_in += n as u64;
            shared.send(ServeEvent::Received {
                t_ms: shared.t_ms(),
                conn,
                bytes: n as u64,
            });
        }
        // The lecture answers whatever recv returned, even b'' from a client that sent nothing.
        Got::Eof => {}
        other => return ending_of(other),
    }
    if let Err(ending) = send_reported(shared, conn, stream, reply, counts) {
        return ending;
    }
    if let Err(err) = stream.shutdown(Shutdown::Write) {
        return (CloseReason::Error, Some(err));
    }
    let mut dropped = 0usize;
    let mut scratch = vec![0u8; 64 * 1024];
    let limit = config.idle_timeout.min(DRAIN_LIMIT);
    let ending = loop {
        let room = config
            .max_bytes
            .saturating_sub(counts.bytes_in as usize + dropped);
        if room == 0 {
            break (CloseReason::MaxBytes, None);
        }
        let want = scratch.len().min(room);
        match recv(shared, stream, &mut scratch[..want], limit) {
            Got::Data(n) => dropped += n,
            Got::Eof => break (CloseReason::Replied, None),
            // The answer is out; a client that keeps its side open is simply left behind.
            Got::Idle => break (CloseReason::Replied, None),
            other => break ending_of(other),
        }
    };
    if dropped > 0 {
        counts.bytes_in += dropped as u64;
        shared.send(ServeEvent::Discarded {
            t_ms: shared.t_ms(),
            conn,
            bytes: dropped as u64,
        });
    }
    ending
}
