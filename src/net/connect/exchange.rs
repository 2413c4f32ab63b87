//! The exchange of `connect`: resolve and connect within one deadline, then hand the socket to the TCP pump or the UDP round.

use std::ffi::OsStr;
use std::io;
use std::net::{SocketAddr, TcpStream};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::calls::dnsname;
use crate::model::{Failure, Why};
use crate::net::text::{failure_of, ms, sys_error_of};
use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};
use crate::validate;

use super::record::{Attempt, ConnectSummary, End};
use super::reply::Sink;
use super::source::Source;
use super::stop::Stop;
use super::{pump, udp};

/// What to do, once the command line has been turned into limits.
pub struct Plan<'a> {
    /// The host as getaddrinfo gets it: brackets around an IPv6 literal already taken off.
    pub host: &'a OsStr,
    pub service: &'a OsStr,
    pub family: i32,
    pub udp: bool,
    pub half_close: bool,
    /// `--timeout`, for messages; `deadline` is what the exchange keeps to.
    pub timeout: Duration,
    pub deadline: Instant,
    pub idle: Option<Duration>,
    pub banner_wait: Duration,
    pub max_bytes: u64,
    pub max_send: Option<u64>,
    pub recv_size: usize,
    pub datagrams: u64,
    /// Which signal asked the exchange to stop; armed once connected.
    pub stop: &'a Stop,
}

impl Plan<'_> {
    pub fn stopped(&self) -> bool {
        self.stop.signal().is_some()
    }

    /// How long is left before the deadline.
    pub fn left(&self) -> Duration {
        self.deadline.saturating_duration_since(Instant::now())
    }

    /// The failure of a step that ran into `--timeout`.
    pub fn timed_out(&self, step: &'static str) -> Failure {
        Failure::explained(
            SysError::Errno(libc::ETIMEDOUT),
            Why::During {
                step,
                timeout: Some(self.timeout),
            },
        )
    }
}

/// The failure of a step that the system refused: the errno stays the kernel's, the message
/// says which step it interrupted.
pub fn during(step: &'static str, err: &io::Error) -> Failure {
    Failure::explained(
        sys_error_of(err),
        Why::During {
            step,
            timeout: None,
        },
    )
}

/// Resolve, connect and exchange; every outcome, failures included, ends up in the summary.
/// The second value names what an error line is about: `127.0.0.1 port 1`, or the host.
pub fn run(plan: &Plan, source: Option<Source>, sink: &mut dyn Sink) -> (ConnectSummary, String) {
    let started = Instant::now();
    let host_text = validate::display(plan.host);
    let service_text = validate::display(plan.service);
    let protocol = if plan.udp { "udp" } else { "tcp" };
    let mut summary = ConnectSummary::new(
        host_text.clone(),
        service_text,
        protocol,
        plan.recv_size as u64,
    );
    let finish = |mut summary: ConnectSummary, failure: Option<Failure>, label: String| {
        if summary.error.is_none() {
            summary.error = failure;
        }
        summary.total_ms = ms(started.elapsed());
        (summary, label)
    };
    let addrs = resolve(plan);
    summary.resolve_ms = ms(started.elapsed());
    let addrs = match addrs {
        Ok(addrs) => addrs,
        Err(failure) => return finish(summary, Some(failure), host_text),
    };
    summary.addresses = addrs.iter().map(netdb::numeric_host).collect();
    if addrs.is_empty() {
        let none = Failure::from(SysError::NotFound("getaddrinfo gave no address to try"));
        return finish(summary, Some(none), host_text);
    }
    if plan.udp {
        let (failure, label) = udp::run(plan, &addrs, source, sink, &mut summary);
        return finish(summary, failure, label.unwrap_or(host_text));
    }
    let (stream, addr) = match connect_first(plan, &addrs, &mut summary.attempts) {
        Ok(connected) => connected,
        Err(failure) => {
            let label = summary
                .attempts
                .last()
                .map_or(host_text, |a| format!("{} port {}", a.address, a.port));
            return finish(summary, Some(failure), label);
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
    plan.stop.arm();
    let failure = pump::run(plan, &stream, source, sink, &mut summary).err();
    finish(summary, failure, label)
}

/// getaddrinfo(host, service, family, SOCK_STREAM or SOCK_DGRAM) within the deadline: the call
/// cannot be interrupted, so it runs on a thread that is left behind if the deadline passes.
fn resolve(plan: &Plan) -> Result<Vec<SocketAddr>, Failure> {
    let host = validate::host(plan.host)?.to_string();
    let service = validate::service(plan.service)?;
    let c_host = netdb::c_string(&host)?;
    let c_service = netdb::c_string(service)?;
    let hints = Hints {
        family: plan.family,
        socktype: if plan.udp {
            libc::SOCK_DGRAM
        } else {
            libc::SOCK_STREAM
        },
        protocol: 0,
        flags: 0,
    };
    let (tx, rx) = mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("getaddrinfo".to_string())
        .spawn(move || {
            // Nobody is left to tell once the deadline has passed.
            let _ = tx.send(netdb::getaddrinfo(Some(&c_host), Some(&c_service), hints));
        })
        .map_err(|err| failure_of(&err))?;
    loop {
        let left = plan.left();
        if left.is_zero() {
            return Err(plan.timed_out("resolving the host"));
        }
        if plan.stopped() {
            return Err(Failure::from(SysError::Errno(libc::EINTR)));
        }
        match rx.recv_timeout(left.min(TICK)) {
            Ok(result) => {
                let entries = result
                    .map_err(|err| dnsname::refused_name(Failure::from(err), &host, hints.flags))?;
                return Ok(entries.into_iter().map(|e| e.addr).collect());
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => {
                return Err(Failure::from(SysError::Errno(libc::EIO)));
            }
        }
    }
}

/// How often a wait looks at the stop flag, so a signal that arrives between two checks
/// is seen soon.
pub const TICK: Duration = Duration::from_millis(100);

/// Try each address in order until one accepts, recording every attempt, each within what is
/// left of the deadline; on total failure the last error is the one reported, as Python's
/// `socket.create_connection` does.
fn connect_first(
    plan: &Plan,
    addrs: &[SocketAddr],
    attempts: &mut Vec<Attempt>,
) -> Result<(TcpStream, SocketAddr), Failure> {
    let mut last = plan.timed_out("connecting");
    for addr in addrs {
        let left = plan.left();
        if left.is_zero() {
            return Err(plan.timed_out("connecting"));
        }
        let begun = Instant::now();
        let outcome = TcpStream::connect_timeout(addr, left);
        let mut attempt = Attempt::new(addr, ms(begun.elapsed()));
        match outcome {
            Ok(stream) => {
                attempts.push(attempt);
                return Ok((stream, *addr));
            }
            Err(err) => {
                let failure = if err.kind() == io::ErrorKind::TimedOut {
                    plan.timed_out("connecting")
                } else {
                    failure_of(&err)
                };
                attempt.failed(&failure);
                attempts.push(attempt);
                last = failure;
            }
        }
    }
    Err(last)
}

/// The end an exchange failure leaves: a timeout is `timeout`, anything else `error`.
pub fn end_of(failure: &Failure) -> End {
    if matches!(failure.sys(), Some(SysError::Errno(libc::ETIMEDOUT))) {
        End::Timeout
    } else {
        End::Error
    }
}
