//! Where `serve` listens: `[ADDRESS:]PORT` parsed, a name resolved as Python's bind does, the socket bound, and the stop signals.

use std::io::{self, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpListener, UdpSocket};
use std::os::fd::AsFd;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use crate::model::Failure;
use crate::model::{Fatal, Outcome};
use crate::net::text::{failure_of, show_addr};
use crate::sys::socket as sys;
use crate::validate;

/// What `[ADDRESS:]PORT` names: an address to bind, or a host name to resolve first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Listen {
    Addr(SocketAddr),
    Name(String, u16),
}

/// The address to bind for `[ADDRESS:]PORT`, resolving a name. A malformed argument is a usage
/// error; a name that does not resolve is a lookup failure, with its own exit code.
pub fn address(text: &str) -> anyhow::Result<SocketAddr> {
    let listen = parse_listen(text).map_err(|failure| {
        Fatal::new(
            Outcome::Usage,
            format!("serve: {text}: {} ({})", failure.message(), failure.code()),
        )
    })?;
    Ok(match listen {
        Listen::Addr(addr) => addr,
        Listen::Name(name, port) => resolve(&name, port).map_err(|failure| {
            Fatal::new(
                failure.outcome(),
                format!("serve: {name}: {} ({})", failure.message(), failure.code()),
            )
        })?,
    })
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
    let address = crate::calls::hostbyname::first_ipv4(&name)?;
    let ip: Ipv4Addr = address
        .parse()
        .map_err(|_| Failure::invalid(format!("not an IPv4 address: {address}")))?;
    Ok(SocketAddr::new(ip.into(), port))
}

/// The one line for a failed bind: an address that is not this machine's (EADDRNOTAVAIL) is
/// bad input, exit 2, since no retry can help; the rest are the system's (EADDRINUSE, EACCES).
fn bind_failure(addr: &SocketAddr, err: &io::Error) -> Fatal {
    let failure = failure_of(err);
    let outcome = if err.raw_os_error() == Some(libc::EADDRNOTAVAIL) {
        Outcome::Usage
    } else {
        failure.outcome()
    };
    Fatal::new(
        outcome,
        format!(
            "serve: {}: {} ({})",
            show_addr(addr),
            failure.message(),
            failure.code()
        ),
    )
}

/// A failure after the bind, as one line with its errno name.
fn step_failure(addr: &SocketAddr, step: &str, err: &io::Error) -> Fatal {
    system_failure(&format!("{}: {step}", show_addr(addr)), err)
}

/// A system call of `serve` that failed, as one line with its errno name.
pub fn system_failure(step: &str, err: &io::Error) -> Fatal {
    let failure = failure_of(err);
    Fatal::new(
        failure.outcome(),
        format!("serve: {step}: {} ({})", failure.message(), failure.code()),
    )
}

/// Whether only this machine can reach `ip`: 127.0.0.0/8, ::1, and IPv4 loopback written as
/// an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`), which an AF_INET6 socket binds as such.
pub fn is_local(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => v4.is_loopback(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.is_loopback(),
            None => v6.is_loopback(),
        },
    }
}

fn warn_if_reachable(bound: &SocketAddr) {
    if !is_local(bound.ip()) {
        let _ = writeln!(
            io::stderr().lock(),
            "sockscope: serve: warning: listening on {}, which other machines can reach (use 127.0.0.1 or [::1] to stay local)",
            show_addr(bound)
        );
    }
}

/// Bind and listen on `addr`, non-blocking so the accept loop can look at the stop flag;
/// returns the listener and the address it got (the kernel's port when 0 was asked).
pub fn bind(addr: SocketAddr, backlog: i32) -> Result<(TcpListener, SocketAddr), Fatal> {
    let listener = TcpListener::bind(addr).map_err(|err| bind_failure(&addr, &err))?;
    // std listens with its own backlog; the lecture's listen(1) would refuse a classroom.
    sys::listen(listener.as_fd(), backlog).map_err(|err| {
        let failure = Failure::from(err);
        Fatal::new(
            failure.outcome(),
            format!(
                "serve: {}: listen: {} ({})",
                show_addr(&addr),
                failure.message(),
                failure.code()
            ),
        )
    })?;
    listener
        .set_nonblocking(true)
        .map_err(|err| step_failure(&addr, "fcntl", &err))?;
    let bound = listener
        .local_addr()
        .map_err(|err| step_failure(&addr, "getsockname", &err))?;
    warn_if_reachable(&bound);
    Ok((listener, bound))
}

/// Bind a UDP socket on `addr`; returns it and the address it got.
pub fn bind_udp(addr: SocketAddr) -> Result<(UdpSocket, SocketAddr), Fatal> {
    let socket = UdpSocket::bind(addr).map_err(|err| bind_failure(&addr, &err))?;
    let bound = socket
        .local_addr()
        .map_err(|err| step_failure(&addr, "getsockname", &err))?;
    warn_if_reachable(&bound);
    Ok((socket, bound))
}

/// What stops the server: `stop`, raised by SIGINT, SIGTERM or SIGHUP (or by a closed stdout),
/// and `signal`, the number of the signal that did, for the exit code.
pub struct Stop {
    pub stop: Arc<AtomicBool>,
    signal: Arc<AtomicUsize>,
}

impl Stop {
    /// The signal that stopped the server, if one did.
    pub fn signal(&self) -> Option<i32> {
        match self.signal.load(Ordering::SeqCst) {
            0 => None,
            n => i32::try_from(n).ok(),
        }
    }
}

/// A flag that SIGINT, SIGTERM and SIGHUP raise; a second one while the first is being handled
/// ends the process at once, with the shell's code for it (128 + the signal).
pub fn stop_on_signals() -> Result<Stop, Fatal> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let stop = Arc::new(AtomicBool::new(false));
    let signal = Arc::new(AtomicUsize::new(0));
    for number in [SIGINT, SIGTERM, SIGHUP] {
        let failed = |err: io::Error| system_failure("sigaction", &err);
        signal_hook::flag::register_conditional_shutdown(number, 128 + number, Arc::clone(&stop))
            .map_err(failed)?;
        signal_hook::flag::register_usize(number, Arc::clone(&signal), number as usize)
            .map_err(failed)?;
        signal_hook::flag::register(number, Arc::clone(&stop)).map_err(failed)?;
    }
    Ok(Stop { stop, signal })
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
                .message()
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
        assert!(resolve("a..b", 80).unwrap_err().is_invalid());
    }

    #[test]
    fn loopback_in_any_spelling_is_local() {
        for local in ["127.0.0.1", "127.1.2.3", "::1", "::ffff:127.0.0.1"] {
            assert!(is_local(local.parse().unwrap()), "{local}");
        }
        for reachable in [
            "0.0.0.0",
            "::",
            "::ffff:10.0.0.1",
            "192.0.2.1",
            "::ffff:0.0.0.0",
        ] {
            assert!(!is_local(reachable.parse().unwrap()), "{reachable}");
        }
    }
}
