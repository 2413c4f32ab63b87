//! `serve`: the lecture's bind/listen/accept/recv/sendall server, made safe to leave running in a classroom.
//!
//! One thread accepts, one thread per connection serves it (at most `--max-conns` at once), and
//! one thread writes events: every other thread sends its events down a channel, so lines never
//! interleave and the summary is counted from the very events that were printed.

use std::io::{self, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::exit::{ExitCode, Fatal};
use crate::model::{Answer, Failure};
use crate::render::{self, Format, StreamTable};
use crate::sys::socket as sys;
use crate::validate;

use super::model::ServeEvent;
use super::text::{failure_of, ms, show_addr};

/// How often blocked threads look at the stop flag: short enough that Ctrl-C feels immediate.
const TICK: Duration = Duration::from_millis(100);
/// How long `--reply` keeps reading (and discarding) after its answer, so that closing with
/// unread data does not turn into a RST that can destroy the reply before the client reads it.
const DRAIN_LIMIT: Duration = Duration::from_secs(2);

/// What the server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mode {
    /// One recv, one sendall of these bytes, close: the lecture's server.
    Reply(Vec<u8>),
    /// Send back every byte until the client closes its side.
    Echo,
}

/// Everything `serve` needs, checked.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub mode: Mode,
    pub once: bool,
    pub max_conns: usize,
    pub recv_size: usize,
    pub idle_timeout: Duration,
    pub max_bytes: usize,
    pub backlog: i32,
}

/// What `[ADDRESS:]PORT` names: an address to bind, or a host name to resolve first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    Addr(SocketAddr),
    Name(String, u16),
}

/// `[ADDRESS:]PORT`: `50000` (on 127.0.0.1), `0.0.0.0:50000`, `[::1]:50000`, `:50000` (every
/// interface, Python's `''`) or `NAME:50000` (resolved by `resolve`).
pub fn parse_listen(text: &str) -> Result<Listen, Failure> {
    if let Some(rest) = text.strip_prefix('[') {
        let (ip, port) = rest
            .split_once("]:")
            .ok_or_else(|| Failure::invalid(format!("expected [IPV6]:PORT, not {text}")))?;
        let ip: IpAddr = ip
            .parse()
            .map_err(|_| Failure::invalid(format!("not a numeric IPv6 address: {ip}")))?;
        return Ok(Listen::Addr(SocketAddr::new(ip, validate::port(port)?)));
    }
    match text.rsplit_once(':') {
        None => Ok(Listen::Addr(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            validate::port(text)?,
        ))),
        Some((ip, _)) if ip.contains(':') => Err(Failure::invalid(format!(
            "write IPv6 addresses in brackets: [{ip}]:PORT"
        ))),
        // CPython binds ('', port) to INADDR_ANY.
        Some(("", port)) => Ok(Listen::Addr(SocketAddr::new(
            IpAddr::V4(Ipv4Addr::UNSPECIFIED),
            validate::port(port)?,
        ))),
        Some((host, port)) => {
            let port = validate::port(port)?;
            Ok(match host.parse::<IpAddr>() {
                Ok(ip) => Listen::Addr(SocketAddr::new(ip, port)),
                Err(_) => Listen::Name(host.to_string(), port),
            })
        }
    }
}

/// The address a name binds as CPython's `bind((name, port))` on an AF_INET socket finds it:
/// the first IPv4 address getaddrinfo gives (its `setipaddr`), so a name that resolves to
/// several addresses binds one, and the `listening` event says which.
pub fn resolve(name: &str, port: u16) -> Result<SocketAddr, Failure> {
    let name = validate::host(std::ffi::OsStr::new(name))?;
    let address = crate::lookup::hostbyname::first_ipv4(name)?;
    let ip: Ipv4Addr = address
        .parse()
        .map_err(|_| Failure::invalid(format!("not an IPv4 address: {address}")))?;
    Ok(SocketAddr::new(ip.into(), port))
}

/// An event under construction: the kind, the time, the rest filled in by the caller.
fn event(started: Instant, kind: &str) -> ServeEvent {
    ServeEvent {
        event: kind.to_string(),
        t_ms: ms(started.elapsed()),
        ..ServeEvent::default()
    }
}

/// The count of connections being served, and a way to wait until it drops below the cap.
struct Slots {
    active: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    fn lock(&self) -> std::sync::MutexGuard<'_, usize> {
        // A worker that panicked leaves only a counter behind, which its guard already fixed.
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Gives a connection's slot back however its thread ends, even by a panic.
struct SlotGuard(Arc<Slots>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut active = self.0.lock();
        *active = active.saturating_sub(1);
        self.0.freed.notify_all();
    }
}

/// What every connection thread shares.
struct Shared {
    config: Config,
    started: Instant,
    stop: Arc<AtomicBool>,
    events: Sender<ServeEvent>,
}

impl Shared {
    fn send(&self, ev: ServeEvent) {
        // The writer only goes away when output is closed, and then nobody is reading events.
        let _ = self.events.send(ev);
    }
}

/// Bind, listen, accept until stopped; print events as they happen and a summary at the end.
pub fn run(config: Config, format: Format) -> anyhow::Result<ExitCode> {
    let listener = TcpListener::bind(config.addr).map_err(|err| {
        let failure = failure_of(&err);
        Fatal::new(
            ExitCode::System,
            format!(
                "serve: {}: {} ({})",
                show_addr(&config.addr),
                failure.message,
                failure.code
            ),
        )
    })?;
    // std listens with its own backlog; the lecture's listen(1) would refuse a classroom.
    sys::listen(listener.as_fd(), config.backlog).context("listen")?;
    listener
        .set_nonblocking(true)
        .context("making the listener non-blocking")?;
    let bound = listener.local_addr().context("getsockname")?;
    if !bound.ip().is_loopback() {
        let _ = writeln!(
            io::stderr().lock(),
            "sockscope: serve: warning: listening on {}, which other machines can reach (use 127.0.0.1 or [::1] to stay local)",
            show_addr(&bound)
        );
    }

    let stop = Arc::new(AtomicBool::new(false));
    // A second Ctrl-C while a first one is being handled ends the process at once.
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .context("installing the signal handler")?;
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the signal handler")?;
    }
    let output_closed = Arc::new(AtomicBool::new(false));

    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let writer = {
        let stop = Arc::clone(&stop);
        let output_closed = Arc::clone(&output_closed);
        thread::Builder::new()
            .name("events".to_string())
            .spawn(move || write_events(rx, format, &stop, &output_closed))
            .context("starting the event writer")?
    };
    let shared = Arc::new(Shared {
        config,
        started,
        stop,
        events: tx,
    });
    let mut listening = event(started, "listening");
    listening.address = Some(bound.ip().to_string());
    listening.port = Some(bound.port());
    shared.send(listening);

    let (reason, exit) = accept_loop(&shared, &listener, &output_closed);
    drop(listener); // new connections are refused from here on
    let mut stopping = event(started, "stopping");
    stopping.reason = Some(reason.to_string());
    shared.send(stopping);
    drop(shared); // the writer ends once every connection thread has dropped its sender too
    match writer.join() {
        Ok(result) => result.context("writing events")?,
        Err(_) => anyhow::bail!("the event writer panicked"),
    }
    Ok(exit)
}

/// Accept until a signal, `--once`, or a listener failure; returns why it stopped.
fn accept_loop(
    shared: &Arc<Shared>,
    listener: &TcpListener,
    output_closed: &AtomicBool,
) -> (&'static str, ExitCode) {
    let slots = Arc::new(Slots {
        active: Mutex::new(0),
        freed: Condvar::new(),
    });
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    let mut next_conn = 0u64;
    let mut full_reported = false;
    let outcome = loop {
        if output_closed.load(Ordering::SeqCst) {
            break ("output_closed", ExitCode::Success);
        }
        if shared.stop.load(Ordering::SeqCst) {
            break ("signal", ExitCode::Success);
        }
        {
            let active = slots.lock();
            if *active >= shared.config.max_conns {
                if !full_reported {
                    full_reported = true;
                    shared.send(event(shared.started, "full"));
                }
                // Leaving new clients in the kernel's queue is the "wait" of --max-conns.
                let _ = slots.freed.wait_timeout(active, TICK);
                continue;
            }
        }
        full_reported = false;
        match sys::wait_readable(listener.as_fd(), TICK) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(err) => {
                let mut ev = event(shared.started, "error");
                ev.code = Some(err.code());
                ev.reason = Some(format!("poll: {}", err.message()));
                shared.send(ev);
                break ("error", ExitCode::System);
            }
        }
        match listener.accept() {
            Ok((stream, peer)) => {
                next_conn += 1;
                *slots.lock() += 1;
                let mut ev = event(shared.started, "accepted");
                ev.conn = Some(next_conn);
                ev.peer = Some(show_addr(&peer));
                shared.send(ev);
                let guard = SlotGuard(Arc::clone(&slots));
                let shared_for_conn = Arc::clone(shared);
                let conn = next_conn;
                workers.retain(|w| !w.is_finished());
                let spawned =
                    thread::Builder::new()
                        .name(format!("conn-{conn}"))
                        .spawn(move || {
                            let _guard = guard;
                            serve_conn(&shared_for_conn, conn, peer, stream);
                        });
                match spawned {
                    Ok(worker) => workers.push(worker),
                    // Out of threads: the closure (with the stream and the slot) is dropped,
                    // which closes this connection and frees its slot; the server goes on.
                    Err(err) => {
                        let failure = failure_of(&err);
                        let mut ev = event(shared.started, "closed");
                        ev.conn = Some(conn);
                        ev.peer = Some(show_addr(&peer));
                        ev.reason = Some("error".to_string());
                        ev.code = Some(failure.code);
                        shared.send(ev);
                    }
                }
                if shared.config.once {
                    break ("once", ExitCode::Success);
                }
            }
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::Interrupted
                        | io::ErrorKind::ConnectionAborted
                ) => {}
            Err(err) => {
                // EMFILE and friends: say so, give the system a moment, keep serving.
                let failure = failure_of(&err);
                let mut ev = event(shared.started, "error");
                ev.code = Some(failure.code);
                ev.reason = Some(format!("accept: {}", failure.message));
                shared.send(ev);
                thread::sleep(TICK);
            }
        }
    };
    for worker in workers {
        let _ = worker.join();
    }
    outcome
}

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
fn serve_conn(shared: &Shared, conn: u64, peer: SocketAddr, mut stream: TcpStream) {
    let mut counts = Counts::default();
    let (reason, code) = match prepare(shared, &stream) {
        Err(err) => ("error", Some(err)),
        Ok(()) => match &shared.config.mode {
            Mode::Echo => echo(shared, conn, &mut stream, &mut counts),
            Mode::Reply(reply) => answer(shared, conn, &mut stream, reply, &mut counts),
        },
    };
    drop(stream);
    let mut ev = event(shared.started, "closed");
    ev.conn = Some(conn);
    ev.peer = Some(show_addr(&peer));
    ev.reason = Some(reason.to_string());
    ev.code = code.map(|err| failure_of(&err).code);
    ev.bytes_in = Some(counts.bytes_in);
    ev.bytes_out = Some(counts.bytes_out);
    shared.send(ev);
}

fn prepare(shared: &Shared, stream: &TcpStream) -> io::Result<()> {
    // accept(2) on Linux does not pass O_NONBLOCK on, but say so rather than rely on it.
    stream.set_nonblocking(false)?;
    // A client that stops reading must not hold a thread forever (send_all sets it per try).
    stream.set_write_timeout(Some(shared.config.idle_timeout.min(TICK)))?;
    // Echoed chunks should leave at once, not wait for Nagle's algorithm.
    stream.set_nodelay(true)
}

fn io_event(shared: &Shared, kind: &str, conn: u64, bytes: usize) {
    let mut ev = event(shared.started, kind);
    ev.conn = Some(conn);
    ev.bytes = Some(bytes as u64);
    shared.send(ev);
}

type Ending = (&'static str, Option<io::Error>);

fn ending_of(got: Got) -> Ending {
    match got {
        Got::Eof => ("peer_closed", None),
        Got::Idle => ("idle_timeout", None),
        Got::Stopped => ("shutdown", None),
        Got::Failed(err) => ("error", Some(err)),
        Got::Data(_) => ("error", None),
    }
}

/// `--echo`: every byte back, until the client closes its side (or a limit says stop).
fn echo(shared: &Shared, conn: u64, stream: &mut TcpStream, counts: &mut Counts) -> Ending {
    let config = &shared.config;
    let mut buf = vec![0u8; config.recv_size];
    loop {
        let room = config.max_bytes.saturating_sub(counts.bytes_in as usize);
        if room == 0 {
            return ("max_bytes", None);
        }
        let want = config.recv_size.min(room);
        match recv(shared, stream, &mut buf[..want], config.idle_timeout) {
            Got::Data(n) => {
                counts.bytes_in += n as u64;
                io_event(shared, "received", conn, n);
                match send_all(
                    shared,
                    stream,
                    &buf[..n],
                    config.idle_timeout,
                    &mut counts.bytes_out,
                ) {
                    Got::Data(_) => {}
                    other => return ending_of(other),
                }
                io_event(shared, "sent", conn, n);
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
            io_event(shared, "received", conn, n);
        }
        // The lecture answers whatever recv returned, even b'' from a client that sent nothing.
        Got::Eof => {}
        other => return ending_of(other),
    }
    match send_all(
        shared,
        stream,
        reply,
        config.idle_timeout,
        &mut counts.bytes_out,
    ) {
        Got::Data(_) => {}
        other => return ending_of(other),
    }
    io_event(shared, "sent", conn, reply.len());
    if let Err(err) = stream.shutdown(Shutdown::Write) {
        return ("error", Some(err));
    }
    let mut dropped = 0usize;
    let mut scratch = vec![0u8; 64 * 1024];
    let limit = config.idle_timeout.min(DRAIN_LIMIT);
    let ending = loop {
        let room = config
            .max_bytes
            .saturating_sub(counts.bytes_in as usize + dropped);
        if room == 0 {
            break ("max_bytes", None);
        }
        let want = scratch.len().min(room);
        match recv(shared, stream, &mut scratch[..want], limit) {
            Got::Data(n) => dropped += n,
            Got::Eof => break ("replied", None),
            // The answer is out; a client that keeps its side open is simply left behind.
            Got::Idle => break ("replied", None),
            other => break ending_of(other),
        }
    };
    if dropped > 0 {
        counts.bytes_in += dropped as u64;
        io_event(shared, "discarded", conn, dropped);
    }
    ending
}

/// The one thread that writes to stdout: each event as it arrives, then the summary.
fn write_events(
    rx: Receiver<ServeEvent>,
    format: Format,
    stop: &AtomicBool,
    output_closed: &AtomicBool,
) -> io::Result<()> {
    let out = Box::new(io::stdout().lock());
    let mut sink = match format {
        // Rows go out as events happen, so the table cannot wait to measure its columns.
        Format::Table => Box::new(StreamTable::new(out, ServeEvent::WIDTHS)),
        other => render::sink::<ServeEvent>(other, out),
    };
    let mut summary = ServeEvent {
        event: "summary".to_string(),
        connections: Some(0),
        bytes_in: Some(0),
        bytes_out: Some(0),
        ..ServeEvent::default()
    };
    let started = Instant::now();
    let mut result = Ok(());
    for ev in rx.iter() {
        tally(&mut summary, &ev);
        if result.is_ok() {
            result = sink.answer(&Answer::new(None, Ok(vec![ev])));
            if result.is_err() {
                // Nobody reads the events any more: stop serving, keep draining the channel.
                output_closed.store(true, Ordering::SeqCst);
                stop.store(true, Ordering::SeqCst);
            }
        }
    }
    result?;
    summary.t_ms = summary.t_ms.max(ms(started.elapsed()));
    sink.answer(&Answer::new(None, Ok(vec![summary])))?;
    sink.finish()
}

/// Count an event into the summary; the summary's time is the last event's.
fn tally(summary: &mut ServeEvent, ev: &ServeEvent) {
    let add = |field: &mut Option<u64>, n: u64| *field = Some(field.unwrap_or(0) + n);
    match ev.event.as_str() {
        "accepted" => add(&mut summary.connections, 1),
        "received" | "discarded" => add(&mut summary.bytes_in, ev.bytes.unwrap_or(0)),
        "sent" => add(&mut summary.bytes_out, ev.bytes.unwrap_or(0)),
        "stopping" => summary.reason = ev.reason.clone(),
        _ => {}
    }
    summary.t_ms = ev.t_ms;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(text: &str) -> Listen {
        Listen::Addr(text.parse().unwrap())
    }

    #[test]
    fn listen_addresses_parse() {
        assert_eq!(parse_listen("50000").unwrap(), addr("127.0.0.1:50000"));
        assert_eq!(parse_listen("[::1]:0").unwrap(), addr("[::1]:0"));
        assert_eq!(parse_listen("0.0.0.0:8080").unwrap(), addr("0.0.0.0:8080"));
        // Python's '' is every interface.
        assert_eq!(parse_listen(":8080").unwrap(), addr("0.0.0.0:8080"));
        assert_eq!(
            parse_listen("localhost:80").unwrap(),
            Listen::Name("localhost".to_string(), 80)
        );
        assert!(
            parse_listen("::1:80")
                .unwrap_err()
                .message
                .contains("brackets")
        );
        assert!(parse_listen("localhost:70000").is_err());
        assert!(parse_listen("70000").is_err());
        assert!(parse_listen("[::1]").is_err());
    }

    #[test]
    fn a_name_binds_its_first_ipv4_address() {
        // /etc/hosts names localhost on every machine this runs on; no DNS is asked.
        assert_eq!(
            resolve("localhost", 8080),
            Ok("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(resolve("a..b", 80).unwrap_err().code, "INVALID_INPUT");
    }
}
