//! What `--explain` shows for getnameinfo: both C calls, the Python line, and notes on the answer.

use std::net::{IpAddr, SocketAddr};

use crate::model::{Call, Failure, Why};
use crate::text::{csource, pyrepr};
use crate::validate;

use super::super::notes::failure_note;
use super::super::pyargs::{NOT_CALLED, Word};
use super::{NUMERIC_HINTS, NameInfo, Request};

/// A socket address as C source, field by field, and its size.
fn c_sockaddr(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V4(v4) => format!(
            "{{sin_family=AF_INET, sin_port=htons({}), sin_addr={}}}, 16",
            v4.port(),
            v4.ip()
        ),
        SocketAddr::V6(v6) => format!(
            "{{sin6_family=AF_INET6, sin6_port=htons({}), sin6_flowinfo={}, sin6_addr={}, \
             sin6_scope_id={}}}, 28",
            v6.port(),
            v6.flowinfo(),
            v6.ip(),
            v6.scope_id()
        ),
    }
}

/// Both C calls (`c_port` is the port text CPython hands getaddrinfo, None where it raised
/// before), the Python line, and notes on the answer.
pub fn call(
    req: &Request,
    query: &str,
    c_port: Option<&str>,
    addr: Option<SocketAddr>,
    python: String,
    result: &Result<Vec<NameInfo>, Failure>,
) -> Call {
    let c = match c_port {
        None => NOT_CALLED.to_string(),
        Some(port) => {
            let mut c = csource::c_getaddrinfo(Some(query), Some(port), NUMERIC_HINTS);
            if let Some(addr) = &addr {
                c.push_str(&format!(
                    "; getnameinfo({}, host, 1025, serv, 32, {})",
                    c_sockaddr(addr),
                    csource::c_flags("NI_", req.flags)
                ));
            }
            c
        }
    };
    let mut notes = notes(req, query, result);
    let wrapped = c_port
        .and_then(|p| p.parse::<i64>().ok())
        .filter(|p| !(0..=65535).contains(p));
    if let (Some(number), Some(addr)) = (wrapped, addr) {
        notes.push(format!(
            "{number} is no port: glibc reads the numeric service with strtoul and keeps only \
             its low 16 bits, so the port is {} (sockscope's table and JSON refuse it)",
            addr.port()
        ));
    }
    Call { c, python, notes }
}

/// `socket.getnameinfo((host, port[, flowinfo, scope_id]), flags)` from the words as given.
/// `flags` is the Python source of the flags, when they are not `req.flags`.
pub fn python_line(
    req: &Request,
    query: &str,
    read: fn(&str) -> Word,
    flags: Option<String>,
) -> String {
    let mut tuple = vec![
        read(query).literal(),
        req.port.map_or_else(
            || "0".to_string(),
            |p| read(&validate::display(p)).literal(),
        ),
    ];
    if req.flowinfo.is_some() || req.scope_id.is_some() {
        for value in [req.flowinfo, req.scope_id] {
            tuple.push(value.map_or_else(|| "0".to_string(), |v| read(v).literal()));
        }
    }
    format!(
        "socket.getnameinfo(({}), {})",
        tuple.join(", "),
        flags.unwrap_or_else(|| pyrepr::group_flags_literal("NI_", req.flags))
    )
}

fn notes(req: &Request, query: &str, result: &Result<Vec<NameInfo>, Failure>) -> Vec<String> {
    let flag = |f: i32| req.flags & f != 0;
    let mut notes = vec![
        "CPython first turns the tuple into a socket address with getaddrinfo(AI_NUMERICHOST): \
         only a numeric address is taken, and that step resolves nothing"
            .to_string(),
    ];
    if req.port.is_none() {
        notes.push("no PORT given: port 0, which Python needs written out".to_string());
    }
    if query.contains('%') && req.scope_id.is_none() {
        notes.push(
            "the %zone is dropped: Python's 2-tuple sets scope_id to 0 (--scope-id asks like \
             the 4-tuple)"
                .to_string(),
        );
    }
    match result {
        Ok(rows) => {
            let Some(info) = rows.first() else {
                return notes;
            };
            if flag(libc::NI_NUMERICHOST) {
                notes.push("NI_NUMERICHOST: the address itself, no lookup".to_string());
            } else if info
                .host
                .split('%')
                .next()
                .and_then(|h| h.parse::<IpAddr>().ok())
                .is_some()
            {
                notes.push(
                    "no name for this address (/etc/hosts, DNS, as /etc/nsswitch.conf says): the \
                     numeric form instead; NI_NAMEREQD makes that an error"
                        .to_string(),
                );
            } else {
                notes.push(format!(
                    "{:?} is the name of the address from /etc/hosts or DNS (a PTR record)",
                    info.host
                ));
            }
            if flag(libc::NI_NUMERICSERV) {
                notes.push("NI_NUMERICSERV: the port number, no lookup".to_string());
            } else if info.service == info.port.to_string() {
                notes.push(format!(
                    "no service is registered for port {} in /etc/services: the number instead",
                    info.port
                ));
            }
            if flag(libc::NI_DGRAM) {
                notes.push(
                    "NI_DGRAM: the service is looked up for udp instead of tcp (most ports agree)"
                        .to_string(),
                );
            }
            if flag(libc::NI_NOFQDN) {
                notes.push(
                    "NI_NOFQDN: a name in the local domain is cut to its first label".to_string(),
                );
            }
        }
        Err(f) if f.is_gai(libc::EAI_NONAME) && flag(libc::NI_NAMEREQD) => notes.push(
            "NI_NAMEREQD: no name was found for the address and a numeric answer was not \
             allowed, so EAI_NONAME"
                .to_string(),
        ),
        Err(f) if f.why() == Some(&Why::NumericHost) => notes.push(
            "getaddrinfo with AI_NUMERICHOST refused a name (EAI_NONAME) without looking it up: \
             CPython's getnameinfo takes numeric addresses only, and so does sockscope"
                .to_string(),
        ),
        Err(f) => notes.extend(failure_note(f)),
    }
    notes
}
