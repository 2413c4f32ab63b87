//! The exchange of `connect`: resolve, try each address in order, send the whole request, read the whole reply.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::calls::dnsname;
use crate::model::{Failure, Why};
use crate::net::text::{failure_of, ms, sys_error_of};
use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};
use crate::validate;

use super::record::{Attempt, ConnectSummary, End};

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

/// Resolve, connect and exchange; every outcome, failures included, ends up in the summary.
pub fn run(plan: &Plan) -> Exchange {
    let started = Instant::now();
    let host_text = validate::display(plan.host);
    let service_text = validate::display(plan.service);
    let mut summary = ConnectSummary::new(host_text.clone(), service_text, plan.recv_size);
    let mut reply = Vec::new();
    let label = host_text;
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

    let Connected {
        stream,
        addr,
        at: connected_at,
    } = match connect_first(&addrs, plan.timeout, &mut summary.attempts) {
        Ok(connected) => connected,
        Err(last_failure) => {
            let label = summary
                .attempts
                .last()
                .map_or(label, |a| format!("{} port {}", a.address, a.port));
            summary.error = Some(last_failure.unwrap_or_else(|| {
                Failure::from(SysError::NotFound(
                    "getaddrinfo gave no SOCK_STREAM address",
                ))
            }));
            summary.total_ms = ms(started.elapsed());
            return Exchange {
                summary,
                reply,
                label,
            };
        }
    };
    summary.connected = Some(netdb::numeric_host(&addr));
    summary.port = Some(addr.port());
    summary.connect_ms = summary.attempts.last().map(|a| a.elapsed_ms);
    if let Ok(local) = stream.local_addr() {
        summary.local_address = Some(netdb::numeric_host(&local));
        summary.local_port = Some(local.port());
    }
    let label = format!("{} port {}", netdb::numeric_host(&addr), addr.port());

    let result = send_and_receive(plan, &stream, &mut summary, &mut reply, connected_at);
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
    let c_host = netdb::c_string(&host)?;
    let c_service = netdb::c_string(service)?;
    let hints = Hints {
        family: plan.family,
        socktype: libc::SOCK_STREAM,
        protocol: 0,
        flags: 0,
    };
    let entries = netdb::getaddrinfo(Some(&c_host), Some(&c_service), hints)
        .map_err(|err| dnsname::refused_name(Failure::from(err), &host, hints.flags))?;
    Ok(entries.into_iter().map(|e| e.addr).collect())
}

/// The connection `connect_first` made: the stream, the address that accepted, and when.
struct Connected {
    stream: TcpStream,
    addr: SocketAddr,
    at: Instant,
}

/// Try each address in order until one accepts, recording every attempt; on total failure the
/// last error is the one reported, as Python's `socket.create_connection` does (none when there
/// was no address to try).
fn connect_first(
    addrs: &[SocketAddr],
    timeout: Duration,
    attempts: &mut Vec<Attempt>,
) -> Result<Connected, Option<Failure>> {
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
                return Ok(Connected {
                    stream,
                    addr: *addr,
                    at: Instant::now(),
                });
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
    Err(last)
}

/// Send the request (a sendall loop), half-close, then read until the peer closes, the byte cap
/// or the deadline. A short recv is not the end: only recv returning 0 is.
fn send_and_receive(
    plan: &Plan,
    stream: &TcpStream,
    summary: &mut ConnectSummary,
    reply: &mut Vec<u8>,
    connected_at: Instant,
) -> Result<(), Failure> {
    let io_failure = |err: io::Error| failure_of(&err);
    // The errno name stays the kernel's; the message says which step it interrupted.
    let during = |step: &'static str, err: io::Error| {
        let timeout = is_timeout(&err).then_some(plan.timeout);
        Failure::explained(sys_error_of(&err), Why::During { step, timeout })
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
                    return Err(Failure::from(SysError::Errno(libc::EPIPE)));
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
                summary.end = if is_timeout(&err) {
                    End::Timeout
                } else {
                    End::Error
                };
                return Err(during("reading the reply", err));
            }
        }
    }
}

/// Whether an I/O error is a timeout: the errno, not its name, decides (std's own timeouts
/// carry no errno and are counted as ETIMEDOUT by `errno_of`).
fn is_timeout(err: &io::Error) -> bool {
    matches!(sys_error_of(err), SysError::Errno(libc::ETIMEDOUT))
}
