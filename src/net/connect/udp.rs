//! `connect --udp`: one request datagram to each address in turn until one answers, then its reply datagrams, within the deadline.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::os::fd::AsFd;
use std::time::Instant;

use crate::model::Failure;
use crate::net::text::{failure_of, ms};
use crate::sys::SysError;
use crate::sys::netdb;
use crate::sys::poll::{self, Want};

use super::exchange::{Plan, TICK, during, end_of};
use super::record::{Attempt, ConnectSummary, Datagram, End};
use super::reply::Sink;
use super::source::Source;

/// The largest UDP payload over IPv4 (65535 less the IP and UDP headers).
pub const MAX_DATAGRAM: usize = 65_507;

/// The request as one datagram: a stream source is read to its end first, and one that holds
/// more than a datagram can carry is refused.
fn datagram(plan: &Plan, source: Option<Source>) -> Result<Vec<u8>, Failure> {
    let Some(mut source) = source else {
        return Ok(Vec::new());
    };
    let mut bytes = vec![0u8; MAX_DATAGRAM + 1];
    let mut len = 0;
    loop {
        if len > MAX_DATAGRAM {
            return Err(Failure::invalid(format!(
                "a UDP request is one datagram of at most {MAX_DATAGRAM} bytes"
            )));
        }
        if let Some(fd) = source.fd() {
            let left = plan.left();
            if left.is_zero() {
                return Err(plan.timed_out("reading the request"));
            }
            let want = Want {
                fd,
                read: true,
                write: false,
            };
            let ready = poll::poll(&[want], left.min(TICK)).map_err(Failure::from)?;
            if !(ready[0].readable || ready[0].closed) {
                continue;
            }
        }
        match source.read(&mut bytes[len..]) {
            Ok(0) => break,
            Ok(n) => len += n,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => return Err(during("reading the request", &err)),
        }
    }
    bytes.truncate(len);
    Ok(bytes)
}

/// Send the request to each address in turn; an address that refuses (ICMP port unreachable,
/// seen as ECONNREFUSED) before any reply gives way to the next. Returns the failure, if any,
/// and the label of the address it concerns.
pub fn run(
    plan: &Plan,
    addrs: &[SocketAddr],
    source: Option<Source>,
    sink: &mut dyn Sink,
    summary: &mut ConnectSummary,
) -> (Option<Failure>, Option<String>) {
    let request = match datagram(plan, source) {
        Ok(bytes) => bytes,
        Err(failure) => return (Some(failure), None),
    };
    let mut datagrams = Vec::new();
    let mut result = (None, None);
    for addr in addrs {
        let label = format!("{} port {}", netdb::numeric_host(addr), addr.port());
        let begun = Instant::now();
        let socket = match open(addr) {
            Ok(socket) => socket,
            Err(err) => {
                let failure = failure_of(&err);
                let mut attempt = Attempt::new(addr, ms(begun.elapsed()));
                attempt.failed(&failure);
                summary.attempts.push(attempt);
                result = (Some(failure), Some(label));
                continue;
            }
        };
        summary
            .attempts
            .push(Attempt::new(addr, ms(begun.elapsed())));
        summary.connected = Some(netdb::numeric_host(addr));
        summary.port = Some(addr.port());
        if let Ok(local) = socket.local_addr() {
            summary.local_address = Some(netdb::numeric_host(&local));
            summary.local_port = Some(local.port());
        }
        let outcome = exchange(plan, &socket, &request, sink, summary, &mut datagrams);
        let refused = matches!(
            outcome.as_ref().err().and_then(Failure::sys),
            Some(SysError::Errno(libc::ECONNREFUSED))
        );
        if refused && datagrams.is_empty() {
            if let (Some(attempt), Err(failure)) = (summary.attempts.last_mut(), &outcome) {
                attempt.failed(failure);
            }
            result = (outcome.err(), Some(label));
            continue;
        }
        result = (outcome.err(), Some(label));
        break;
    }
    summary.datagrams = Some(datagrams);
    if let (Some(failure), End::NotConnected) = (&result.0, summary.end) {
        summary.end = end_of(failure);
    }
    result
}

/// A UDP socket of the address's family, connect(2)ed to it so that only its datagrams are
/// read and an ICMP refusal comes back as ECONNREFUSED.
fn open(addr: &SocketAddr) -> io::Result<UdpSocket> {
    let local: SocketAddr = if addr.is_ipv4() {
        (Ipv4Addr::UNSPECIFIED, 0).into()
    } else {
        (Ipv6Addr::UNSPECIFIED, 0).into()
    };
    let socket = UdpSocket::bind(local)?;
    socket.connect(addr)?;
    socket.set_nonblocking(true)?;
    Ok(socket)
}

/// Send the request, then read datagrams until `--datagrams` arrived, `--max-bytes` is
/// reached, a signal asks to stop, or the deadline passes.
fn exchange(
    plan: &Plan,
    socket: &UdpSocket,
    request: &[u8],
    sink: &mut dyn Sink,
    summary: &mut ConnectSummary,
    datagrams: &mut Vec<Datagram>,
) -> Result<(), Failure> {
    summary.send_calls += 1;
    let sent_at = Instant::now();
    let n = socket
        .send(request)
        .map_err(|err| during("sending the request", &err))?;
    summary.bytes_sent += n as u64;
    let mut buf = vec![0u8; plan.recv_size.max(MAX_DATAGRAM + 1)];
    loop {
        if plan.stopped() {
            summary.end = End::Interrupted;
            return Ok(());
        }
        let left = plan.left();
        if left.is_zero() {
            summary.end = End::Timeout;
            return Err(plan.timed_out("waiting for the reply"));
        }
        let want = Want {
            fd: socket.as_fd(),
            read: true,
            write: false,
        };
        let ready = poll::poll(&[want], left.min(TICK)).map_err(Failure::from)?;
        if !(ready[0].readable || ready[0].closed) {
            continue;
        }
        summary.recv_calls += 1;
        // A datagram longer than recv_size is cut to it, as recv(2) does: read it whole and
        // keep recv_size of it.
        let n = match socket.recv(&mut buf) {
            Ok(n) => n.min(plan.recv_size),
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                summary.recv_calls -= 1;
                continue;
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                summary.end = End::Error;
                return Err(during("waiting for the reply", &err));
            }
        };
        let left = usize::try_from(plan.max_bytes - summary.bytes_received).unwrap_or(usize::MAX);
        let bytes = &buf[..n.min(left)];
        if summary.bytes_received == 0 {
            summary.first_byte_ms = Some(ms(sent_at.elapsed()));
        }
        summary.bytes_received += bytes.len() as u64;
        sink.data(bytes)
            .map_err(|err| during("writing the reply", &err))?;
        let text = String::from_utf8_lossy(bytes);
        datagrams.push(Datagram {
            bytes: bytes.len() as u64,
            elapsed_ms: ms(sent_at.elapsed()),
            base64: super::output::base64_unless_utf8(bytes),
            text: text.into_owned(),
        });
        if datagrams.len() as u64 >= plan.datagrams {
            summary.end = End::Datagrams;
            return Ok(());
        }
        if summary.bytes_received >= plan.max_bytes {
            summary.end = End::MaxBytes;
            return Ok(());
        }
    }
}
