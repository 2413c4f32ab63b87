//! One TCP connection of `serve`: recv, then reply or echo, within its limits; a drained, clean close.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::net::text::{failure_of, show_addr};

use super::events::{CloseReason, ServeEvent};
use super::limits::{Ending, Got, Limits, ending_of, is_retry};
use super::{Mode, Shared, TICK};

/// How long a connection keeps reading (and discarding) after its last answer, at most, so
/// that closing with unread data does not turn into a RST that destroys what was sent but not
/// yet delivered; and how quiet the client must be for the drain to end early.
const DRAIN_LIMIT: Duration = Duration::from_secs(5);
const DRAIN_QUIET: Duration = Duration::from_secs(2);

/// The most of one recv's bytes an event carries, for the Python view.
pub const PREVIEW: usize = 64;

/// One connection being served.
struct Conn<'a> {
    shared: &'a Shared,
    id: u64,
    stream: TcpStream,
    limits: Limits,
    bytes_in: u64,
    bytes_out: u64,
}

/// Serve one connection and report how it ended.
pub fn serve_conn(shared: &Shared, id: u64, peer: SocketAddr, stream: TcpStream) {
    let config = &shared.config;
    let mut conn = Conn {
        shared,
        id,
        stream,
        limits: Limits::new(config.max_life, config.min_rate),
        bytes_in: 0,
        bytes_out: 0,
    };
    let (reason, error) = match conn.prepare() {
        Err(err) => (CloseReason::Error, Some(err)),
        Ok(()) => match &config.mode {
            Mode::Echo => conn.echo(),
            Mode::Reply(reply) => conn.answer(reply),
        },
    };
    let (bytes_in, bytes_out) = (conn.bytes_in, conn.bytes_out);
    drop(conn);
    shared.send(ServeEvent::Closed {
        t_ms: shared.t_ms(),
        conn: id,
        peer: show_addr(&peer),
        reason,
        code: error.map(|err| failure_of(&err).code()),
        bytes_in: Some(bytes_in),
        bytes_out: Some(bytes_out),
    });
}

impl Conn<'_> {
    fn prepare(&self) -> io::Result<()> {
        // accept(2) on Linux does not pass O_NONBLOCK on, but say so rather than rely on it.
        self.stream.set_nonblocking(false)?;
        // A client that stops reading must not hold a thread forever (send_all sets it per try).
        self.stream.set_write_timeout(Some(TICK))?;
        // Echoed chunks should leave at once, not wait for Nagle's algorithm.
        self.stream.set_nodelay(true)
    }

    /// recv until data, EOF or `quiet` without a byte, waking every TICK for the other limits.
    fn recv(&mut self, buf: &mut [u8], quiet: Duration, until: Option<Instant>) -> Got {
        let mut deadline = Instant::now() + quiet;
        if let Some(until) = until {
            deadline = deadline.min(until);
        }
        loop {
            let tick = match self.limits.next_try(self.shared, deadline) {
                Ok(tick) => tick,
                Err(ending) => return ending,
            };
            if let Err(err) = self.stream.set_read_timeout(Some(tick)) {
                return Got::Failed(err);
            }
            match self.stream.read(buf) {
                Ok(0) => return Got::Eof,
                Ok(n) => {
                    self.limits.moved += n as u64;
                    return Got::Data(n);
                }
                Err(err) if is_retry(&err) => {}
                Err(err) => return Got::Failed(err),
            }
        }
    }

    /// sendall that, like `recv`, wakes every TICK: a client that stopped reading leaves the
    /// write blocked, and a stop (Ctrl-C) must not wait for the idle timeout to end it. The
    /// idle timeout runs from the last byte the client took, so a slow reader is not cut off
    /// while it keeps up. Counts what went out as it goes, so an ending midway still reports it.
    fn send_all(&mut self, mut data: &[u8]) -> Got {
        let idle = self.shared.config.idle_timeout;
        let mut deadline = Instant::now() + idle;
        while !data.is_empty() {
            let tick = match self.limits.next_try(self.shared, deadline) {
                Ok(tick) => tick,
                Err(ending) => return ending,
            };
            if let Err(err) = self.stream.set_write_timeout(Some(tick)) {
                return Got::Failed(err);
            }
            match self.stream.write(data) {
                Ok(0) => return Got::Failed(io::ErrorKind::WriteZero.into()),
                Ok(n) => {
                    data = &data[n..];
                    self.bytes_out += n as u64;
                    self.limits.moved += n as u64;
                    deadline = Instant::now() + idle;
                }
                Err(err) if is_retry(&err) => {}
                Err(err) => return Got::Failed(err),
            }
        }
        Got::Data(0)
    }

    fn received(&mut self, data: &[u8]) {
        self.bytes_in += data.len() as u64;
        self.shared.send(ServeEvent::Received {
            t_ms: self.shared.t_ms(),
            conn: self.id,
            bytes: data.len() as u64,
            head: data[..data.len().min(PREVIEW)].to_vec(),
        });
    }

    /// sendall `data` and report it as a `sent` event, or how the connection ended instead.
    fn send_reported(&mut self, data: &[u8]) -> Result<(), Ending> {
        match self.send_all(data) {
            Got::Data(_) => {}
            other => return Err(ending_of(other)),
        }
        self.shared.send(ServeEvent::Sent {
            t_ms: self.shared.t_ms(),
            conn: self.id,
            bytes: data.len() as u64,
        });
        Ok(())
    }

    /// `--echo`: every byte back, until the client closes its side (or a limit says stop).
    fn echo(&mut self) -> Ending {
        let config = &self.shared.config;
        let mut buf = vec![0u8; config.recv_size];
        loop {
            let room = (config.max_bytes as u64).saturating_sub(self.bytes_in);
            if room == 0 {
                // Everything read was sent back: let it arrive before closing.
                return self.finish(CloseReason::MaxBytes);
            }
            let want = config.recv_size.min(room as usize);
            match self.recv(&mut buf[..want], config.idle_timeout, None) {
                Got::Data(n) => {
                    self.received(&buf[..n]);
                    if let Err(ending) = self.send_reported(&buf[..n]) {
                        return ending;
                    }
                }
                Got::Eof => return self.finish(CloseReason::PeerClosed),
                other => return ending_of(other),
            }
        }
    }

    /// `--reply`: the lecture's server. One recv, one sendall, close.
    fn answer(&mut self, reply: &[u8]) -> Ending {
        let config = &self.shared.config;
        let mut buf = vec![0u8; config.recv_size.min(config.max_bytes)];
        match self.recv(&mut buf, config.idle_timeout, None) {
            Got::Data(n) => self.received(&buf[..n]),
            // The lecture answers whatever recv returned, even b'' from a client that sent nothing.
            Got::Eof => {}
            other => return ending_of(other),
        }
        if let Err(ending) = self.send_reported(reply) {
            return ending;
        }
        self.finish(CloseReason::Replied)
    }

    /// End the connection so that what was sent arrives: shut down the write side (a FIN after
    /// the data), then read and drop what the client still sends until it closes, goes quiet
    /// or DRAIN_LIMIT passes. Closing with unread data would send a RST, and a RST discards
    /// whatever of ours is still in the send queue.
    fn finish(&mut self, reason: CloseReason) -> Ending {
        if let Err(err) = self.stream.shutdown(Shutdown::Write) {
            return (CloseReason::Error, Some(err));
        }
        let until = Instant::now() + DRAIN_LIMIT;
        let quiet = self.shared.config.idle_timeout.min(DRAIN_QUIET);
        let mut scratch = vec![0u8; 64 * 1024];
        let mut dropped = 0u64;
        let ending = loop {
            match self.recv(&mut scratch, quiet, Some(until)) {
                Got::Data(n) => dropped += n as u64,
                // Closed, quiet, or out of time: the answer is out either way.
                Got::Eof | Got::Idle | Got::Life | Got::Slow => break (reason, None),
                other => break ending_of(other),
            }
        };
        if dropped > 0 {
            self.bytes_in += dropped;
            self.shared.send(ServeEvent::Discarded {
                t_ms: self.shared.t_ms(),
                conn: self.id,
                bytes: dropped,
            });
        }
        ending
    }
}
