//! getnameinfo: a numeric address and port back to a host name and service, as CPython asks.

use std::ffi::OsStr;
use std::net::{IpAddr, SocketAddr};

use crate::model::{Answer, Call, Failure, NameInfo};
use crate::pyrepr;
use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};
use crate::validate;

use super::explain;

/// One getnameinfo call as the user asked for it.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub address: &'a OsStr,
    /// `None` asks about port 0, which Python would need written out.
    pub port: Option<&'a OsStr>,
    pub flags: i32,
    /// The 4-tuple's flowinfo and scope_id, IPv6 only; `None` is Python's 2-tuple (zero).
    pub flowinfo: Option<u32>,
    pub scope_id: Option<u32>,
}

/// The largest flow label: it is 20 bits, and CPython refuses more (OverflowError).
const MAX_FLOWINFO: u32 = 0xfffff;

/// Why a host name is refused: its own text, so `--format python` and the notes can tell this
/// refusal (where Python raises gaierror EAI_NONAME) from bad input Python never accepts.
pub const NOT_NUMERIC: &str = "not a numeric IPv4 or IPv6 address (no name is resolved here)";

/// CPython's first step in `getnameinfo((host, port), flags)`: getaddrinfo with AI_NUMERICHOST
/// and SOCK_DGRAM, so only a numeric address (IPv4 in any inet_aton spelling, IPv6 with an
/// optional %zone) is accepted and nothing is resolved. A name is therefore bad input here,
/// where Python reports it as gaierror EAI_NONAME.
pub fn numeric(address: &str, port: u16) -> Result<SocketAddr, Failure> {
    let c_address = netdb::c_string(address)?;
    let c_port = netdb::c_string(&port.to_string())?;
    let entries = match netdb::getaddrinfo(Some(&c_address), Some(&c_port), NUMERIC_HINTS) {
        Err(SysError::Gai { code, .. }) if code == libc::EAI_NONAME => {
            return Err(Failure::invalid(NOT_NUMERIC));
        }
        other => other?,
    };
    match entries.as_slice() {
        [only] => Ok(only.addr),
        // CPython refuses the same way; a numeric host with a numeric port never gets here.
        [] | [_, _, ..] => Err(Failure::invalid(format!(
            "sockaddr resolved to {} addresses: {address}",
            entries.len()
        ))),
    }
}

/// `socket.getnameinfo((address, port), flags)`.
pub fn lookup(req: &Request) -> Answer<NameInfo> {
    let query = validate::display(req.address);
    let port = req
        .port
        .map(|p| validate::port(validate::text(p, "port")?))
        .transpose()
        .map(|p| p.unwrap_or(0));
    let addr = port.clone().and_then(|port| sockaddr(req, port));
    let result = addr.clone().and_then(|addr| {
        let (host, service) = netdb::getnameinfo(&addr, req.flags).map_err(|err| {
            let mut failure = Failure::from(err);
            // The address was fine; it has no name, and NI_NAMEREQD forbids the number.
            if failure.code == "EAI_NONAME" && req.flags & libc::NI_NAMEREQD != 0 {
                failure.message =
                    "the address has no name, and NI_NAMEREQD forbids answering with the number"
                        .to_string();
            }
            failure
        })?;
        Ok(vec![NameInfo {
            query: query.clone(),
            port: addr.port(),
            host,
            service,
        }])
    });
    let call = call(req, &query, port.ok(), addr.ok(), &result);
    let mut answer = Answer::new(Some(query), result);
    answer.call = Some(call);
    answer
}

/// The socket address CPython builds from the tuple: the numeric address, the port, and for
/// IPv6 the tuple's flowinfo and scope_id.
fn sockaddr(req: &Request, port: u16) -> Result<SocketAddr, Failure> {
    let address = validate::text(req.address, "address")?;
    if let Some(flowinfo) = req.flowinfo.filter(|f| *f > MAX_FLOWINFO) {
        return Err(Failure::invalid(format!(
            "flowinfo must be 0-{MAX_FLOWINFO}, not {flowinfo}"
        )));
    }
    let mut addr = numeric(address, port)?;
    match &mut addr {
        // CPython builds the sockaddr from the tuple's flowinfo and scope_id (0 when not given),
        // overwriting a %zone that getaddrinfo parsed: do the same so the answers agree.
        SocketAddr::V6(v6) => {
            v6.set_flowinfo(req.flowinfo.unwrap_or(0));
            v6.set_scope_id(req.scope_id.unwrap_or(0));
        }
        SocketAddr::V4(_) if req.flowinfo.is_some() || req.scope_id.is_some() => {
            // Python's words for a 4-tuple with an IPv4 address.
            return Err(Failure::invalid(
                "IPv4 sockaddr must be 2 tuple: --flowinfo and --scope-id are for IPv6",
            ));
        }
        SocketAddr::V4(_) => {}
    }
    Ok(addr)
}

/// The hints of CPython's first step, which sockscope's `numeric` repeats.
pub const NUMERIC_HINTS: Hints = Hints {
    family: libc::AF_UNSPEC,
    socktype: libc::SOCK_DGRAM,
    protocol: 0,
    flags: libc::AI_NUMERICHOST,
};

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

/// Both C calls, the Python line, and notes on the answer.
fn call(
    req: &Request,
    query: &str,
    port: Option<u16>,
    addr: Option<SocketAddr>,
    result: &Result<Vec<NameInfo>, Failure>,
) -> Call {
    let port_text = port.map_or_else(
        || req.port.map(validate::display).unwrap_or_default(),
        |p| p.to_string(),
    );
    let mut c = explain::c_getaddrinfo(Some(query), Some(&port_text), NUMERIC_HINTS);
    if let Some(addr) = &addr {
        c.push_str(&format!(
            "; getnameinfo({}, host, 1025, serv, 32, {})",
            c_sockaddr(addr),
            explain::c_flags("NI_", req.flags)
        ));
    }
    let mut tuple = vec![
        explain::py_str(query),
        port.map_or_else(|| explain::py_str(&port_text), |p| p.to_string()),
    ];
    if req.flowinfo.is_some() || req.scope_id.is_some() {
        tuple.push(req.flowinfo.unwrap_or(0).to_string());
        tuple.push(req.scope_id.unwrap_or(0).to_string());
    }
    let python = format!(
        "socket.getnameinfo(({}), {})",
        tuple.join(", "),
        pyrepr::group_flags_literal("NI_", req.flags)
    );
    Call {
        c,
        python,
        notes: notes(req, query, result),
        function: "getnameinfo",
    }
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
        Err(f) if f.code == "EAI_NONAME" && flag(libc::NI_NAMEREQD) => notes.push(
            "NI_NAMEREQD: no name was found for the address and a numeric answer was not \
             allowed, so EAI_NONAME"
                .to_string(),
        ),
        Err(f) if f.message == NOT_NUMERIC => notes.push(
            "getaddrinfo with AI_NUMERICHOST refused a name (EAI_NONAME), as it does in Python; \
             sockscope reports it as bad input and makes no getnameinfo call"
                .to_string(),
        ),
        Err(f) => notes.extend(explain::failure_note(f)),
    }
    notes
}
