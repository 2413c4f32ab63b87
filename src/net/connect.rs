//! `connect`: resolve, try each address in order as a careful client does, send the whole request, read the whole reply.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::calls::dnsname;
use crate::model::{Failure, Why};
use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};
use crate::validate;

use super::model::{Attempt, ConnectSummary, End};
use super::text::{errno_of, failure_of, ms};

/// What to do, once the command line has been turned into bytes and limits.
pub struct Plan<'a> {
    pub host: &'a std::ffi::OsStr,
    pub service: &'a std::ffi::OsStr,
    pub family: i32,
    pub request: Option<Vec<u8>>,
    pub half_close: bool,
    pub timeout: Duration,
    pub max_bytes: usize,
    pub recv_size: usize,
}

/// The outcome: the summary record, and the reply's exact bytes (which `--raw` writes).
pub struct Exchange {
    pub summary: ConnectSummary,
    pub reply: Vec<u8>,
    /// Names what the error line is about: `127.0.0.1 port 1`, or the host.
    pub label: String,
}

/// The HTTP/1.1 request the lecture types by hand, plus `Connection: close` so the server ends
/// the reply by closing (HTTP/1.1 would otherwise keep the connection open and the read would
/// only end at the timeout).
pub fn http_request(host: &str, path: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: sockscope/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

pub fn run(plan: &Plan) -> Exchange {
    let started = Instant::now();
    let host_text = validate::display(plan.host);
    let service_text = validate::display(plan.service);
    let mut summary = ConnectSummary {
        host: host_text.clone(),
        service: service_text.clone(),
        addresses: Vec::new(),
        attempts: Vec::new(),
        connected: None,
        port: None,
        local_address: None,
        local_port: None,
        bytes_sent: 0,
        send_calls: 0,
        half_closed: false,
        bytes_received: 0,
        recv_calls: 0,
        recv_size: plan.recv_size,
        end: End::NotConnected,
        resolve_ms: 0.0,
        connect_ms: None,
        first_byte_ms: None,
        total_ms: 0.0,
        reply: None,
        reply_is_utf8: true,
        error: None,
    };
    let mut reply = Vec::new();
    let label = host_text.clone();
    let addrs = match resolve(plan) {
        Ok(addrs) => addrs,
        Err(failure) => {
            summary.error = Some(failure);
            summary.resolve_ms = ms(started.elapsed());
            summary.total_ms = summary.resolve_ms;
            return Exchange {
                summary,
                reply,
                label,
            };
        }
    };
    summary.resolve_ms = ms(started.elapsed());
    summary.addresses = addrs.iter().map(netdb::numeric_host).collect();

    let (stream, last_failure) = connect_first(&addrs, plan.timeout, &mut summary.attempts);
    let Some((stream, addr, connected_at)) = stream else {
        let label = summary
            .attempts
            .last()
            .map_or(label, |a| format!("{} port {}", a.address, a.port));
        summary.error = Some(last_failure.unwrap_or_else(|| {
            Failure::from(crate::sys::SysError::NotFound(
                "getaddrinfo gave no SOCK_STREAM address",
            ))
        }));
        summary.total_ms = ms(started.elapsed());
        return Exchange {
            summary,
            reply,
            label,
        };
    };
    summary.connected = Some(netdb::numeric_host(&addr));
    summary.port = Some(addr.port());
    summary.connect_ms = summary.attempts.last().map(|a| a.elapsed_ms);
    if let Ok(local) = stream.local_addr() {
        summary.local_address = Some(netdb::numeric_host(&local));
        summary.local_port = Some(local.port());
    }
    let label = format!("{} port {}", netdb::numeric_host(&addr), addr.port());

    let result = exchange(plan, &stream, &mut summary, &mut reply, connected_at);
    if let Err(failure) = result {
        summary.error = Some(failure);
    }
    summary.bytes_received = reply.len() as u64;
    summary.total_ms = ms(started.elapsed());
    Exchange {
        summary,
        reply,
        label,
    }
}

/// getaddrinfo(host, service, family, SOCK_STREAM): the addresses a TCP client should try, in order.
fn resolve(plan: &Plan) -> Result<Vec<SocketAddr>, Failure> {
    let host = validate::host(plan.host)?;
    let service = validate::service(plan.service)?;
    let c_host = netdb::c_string(host)?;
    let c_service = netdb::c_string(service)?;
    let hints = Hints {
        family: plan.family,
        socktype: libc::SOCK_STREAM,
        protocol: 0,
        flags: 0,
    };
    let entries = netdb::getaddrinfo(Some(&c_host), Some(&c_service), hints)
        .map_err(|err| dnsname::refused_name(Failure::from(err), host, hints.flags))?;
    Ok(entries.into_iter().map(|e| e.addr).collect())
}

/// Try each address in order until one accepts, recording every attempt; on total failure the
/// last error is the one reported, as Python's `socket.create_connection` does.
#[allow(clippy::type_complexity)]
fn connect_first(
    addrs: &[SocketAddr],
    timeout: Duration,
    attempts: &mut Vec<Attempt>,
) -> (Option<(TcpStream, SocketAddr, Instant)>, Option<Failure>) {
    let mut last = None;
    for addr in addrs {
        let begun = Instant::now();
        let outcome = TcpStream::connect_timeout(addr, timeout);
        let elapsed = begun.elapsed();
        let family = if addr.is_ipv4() {
            "AF_INET"
        } else {
            "AF_INET6"
        };
        let mut attempt = Attempt {
            family: family.to_string(),
            address: netdb::numeric_host(addr),
            port: addr.port(),
            outcome: "connected".to_string(),
            message: None,
            elapsed_ms: ms(elapsed),
        };
        match outcome {
            Ok(stream) => {
                attempts.push(attempt);
                return (Some((stream, *addr, Instant::now())), None);
            }
            Err(err) => {
                let failure = failure_of(&err);
                attempt.outcome = failure.code().clone();
                attempt.message = Some(failure.message().clone());
                attempts.push(attempt);
                last = Some(failure);
            }
        }
    }
    (None, last)
}

/// Send the request (a sendall loop), half-close, then read until the peer closes, the byte cap
/// or the deadline. A short recv is not the end: only recv returning 0 is.
fn exchange(
    plan: &Plan,
    stream: &TcpStream,
    summary: &mut ConnectSummary,
    reply: &mut Vec<u8>,
    connected_at: Instant,
) -> Result<(), Failure> {
    let io_failure = |err: io::Error| failure_of(&err);
    // The errno name stays the kernel's; the message says which step it interrupted.
    let during = |step: &'static str, err: io::Error| {
        let errno = errno_of(&err);
        let timeout = (errno == libc::ETIMEDOUT).then_some(plan.timeout);
        Failure::explained(SysError::Errno(errno), Why::During { step, timeout })
    };
    let mut writer = stream;
    if let Some(request) = &plan.request {
        stream
            .set_write_timeout(Some(plan.timeout))
            .map_err(io_failure)?;
        let mut offset = 0;
        while offset < request.len() {
            summary.send_calls += 1;
            match writer.write(&request[offset..]) {
                Ok(0) => {
                    summary.end = End::Error;
                    return Err(Failure::from(crate::sys::SysError::Errno(libc::EPIPE)));
                }
                Ok(n) => {
                    offset += n;
                    summary.bytes_sent = offset as u64;
                }
                Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
                Err(err) => {
                    summary.end = End::Error;
                    return Err(during("sending the request", err));
                }
            }
        }
        if plan.half_close && !request.is_empty() {
            stream
                .shutdown(Shutdown::Write)
                .map_err(|err| during("half-closing after the request", err))?;
            summary.half_closed = true;
        }
    }

    let deadline = Instant::now() + plan.timeout;
    let mut buf = vec![0u8; plan.recv_size];
    let mut reader = stream;
    loop {
        if reply.len() >= plan.max_bytes {
            summary.end = End::MaxBytes;
            return Ok(());
        }
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            summary.end = End::Timeout;
            return Err(during(
                "waiting for the reply",
                io::Error::from(io::ErrorKind::TimedOut),
            ));
        }
        stream.set_read_timeout(Some(left)).map_err(io_failure)?;
        let want = plan.recv_size.min(plan.max_bytes - reply.len());
        summary.recv_calls += 1;
        match reader.read(&mut buf[..want]) {
            Ok(0) => {
                summary.end = End::PeerClosed;
                return Ok(());
            }
            Ok(n) => {
                if reply.is_empty() {
                    summary.first_byte_ms = Some(ms(connected_at.elapsed()));
                }
                reply.extend_from_slice(&buf[..n]);
            }
            Err(err) if err.kind() == io::ErrorKind::Interrupted => {}
            Err(err) => {
                summary.end = if errno_of(&err) == libc::ETIMEDOUT {
                    End::Timeout
                } else {
                    End::Error
                };
                return Err(during("reading the reply", err));
            }
        }
    }
}
