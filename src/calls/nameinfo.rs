//! getnameinfo: a numeric address and port back to a host name and service, as CPython asks.

use std::ffi::{OsStr, OsString};
use std::net::{IpAddr, SocketAddr};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Cause, Failure, Fatal, Record, Why, python_of_first};
use crate::parse;
use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};
use crate::text::csource;
use crate::text::pyrepr::{self, Py};
use crate::validate;

use super::notes::failure_note;
use super::options::{BatchArgs, ResolverArgs};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct NameInfoArgs {
    /// Numeric IPv4 or IPv6 address; `-` reads `ADDRESS [PORT]` lines from standard input
    /// (not needed with --file)
    #[arg(required_unless_present = "file")]
    pub address: Option<OsString>,

    /// Port number 0-65535 (0 when left out)
    pub port: Option<OsString>,

    /// Comma-separated NI_ flags: namereqd, numerichost, numericserv, nofqdn, dgram
    /// (case-insensitive, NI_ prefix accepted) or a number
    #[arg(long, default_value = "0", value_parser = parse::ni_flags)]
    pub flags: i32,

    /// IPv6 flow label 0-1048575, the third element of Python's 4-tuple sockaddr
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(0..=0xF_FFFF))]
    pub flowinfo: Option<u32>,

    /// IPv6 scope (interface index) 0-4294967295, the fourth element of Python's 4-tuple sockaddr
    #[arg(long, value_name = "N")]
    pub scope_id: Option<u32>,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

impl NameInfoArgs {
    fn lines(&self) -> bool {
        self.batch.reads_keys(self.address.as_slice())
    }
}

/// `getnameinfo`: the (host, service) pair CPython returns, with the socket address asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameInfo {
    /// The address as given.
    pub query: String,
    /// The port as given (0 when none was).
    pub port: u16,
    pub host: String,
    pub service: String,
}

impl Record for NameInfo {
    const KEYS: &'static [&'static str] = &["query", "port"];
    const COLUMNS: &'static [&'static str] = &["query", "port", "host", "service"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.port.to_string(),
            self.host.clone(),
            self.service.clone(),
        ]
    }
}

/// `socket.getnameinfo((address, port), flags)` for each key: an address, or with `lines` an
/// `ADDRESS [PORT]` line of batch input.
pub struct GetNameInfo {
    /// PORT from the command line, the default for lines that give none.
    pub port: Option<OsString>,
    pub flags: i32,
    pub flowinfo: Option<u32>,
    pub scope_id: Option<u32>,
    pub lines: bool,
}

impl Lookup for GetNameInfo {
    type Record = NameInfo;

    fn answer(&self, key: Option<&OsStr>) -> Answer<NameInfo> {
        let key = key.unwrap_or_default();
        let (address, port) = if self.lines {
            let (address, port) = match validate::host_and_service(key, "ADDRESS PORT") {
                Ok(fields) => fields,
                Err(failure) => return Answer::new(Some(validate::display(key)), Err(failure)),
            };
            (address, port.or_else(|| self.port.clone()))
        } else {
            (key.to_os_string(), self.port.clone())
        };
        lookup(&Request {
            address: &address,
            port: port.as_deref(),
            flags: self.flags,
            flowinfo: self.flowinfo,
            scope_id: self.scope_id,
        })
    }

    /// `(host, service)`, the pair of strings getnameinfo wrote. A host name fails in
    /// getaddrinfo(AI_NUMERICHOST) in Python too: show its gaierror, although sockscope counts
    /// the name as bad input.
    fn python(&self, result: &Result<Vec<NameInfo>, Failure>) -> String {
        if let Err(Failure {
            cause: Cause::NotNumeric,
        }) = result
        {
            let noname = SysError::Gai {
                code: libc::EAI_NONAME,
                errno: None,
            };
            return Failure::from(noname).python_exception();
        }
        python_of_first(result, |first| {
            Py::Tuple(vec![Py::str(&first.host), Py::str(&first.service)]).to_string()
        })
    }
}

impl Subcommand for NameInfoArgs {
    type Lookup = GetNameInfo;

    fn lookup(&self) -> Result<GetNameInfo, Fatal> {
        Ok(GetNameInfo {
            port: self.port.clone(),
            flags: self.flags,
            flowinfo: self.flowinfo,
            scope_id: self.scope_id,
            lines: self.lines(),
        })
    }

    fn input(&self) -> Input<'_> {
        if self.lines() {
            Input::Batch {
                keys: self.address.as_slice(),
                batch: &self.batch,
            }
        } else {
            Input::Keys(vec![self.address.clone()])
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}

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

/// CPython's first step in `getnameinfo((host, port), flags)`: getaddrinfo with AI_NUMERICHOST
/// and SOCK_DGRAM, so only a numeric address (IPv4 in any inet_aton spelling, IPv6 with an
/// optional %zone) is accepted and nothing is resolved. A name is therefore bad input here,
/// where Python reports it as gaierror EAI_NONAME.
pub fn numeric(address: &str, port: u16) -> Result<SocketAddr, Failure> {
    let c_address = netdb::c_string(address)?;
    let c_port = netdb::c_string(&port.to_string())?;
    let entries = match netdb::getaddrinfo(Some(&c_address), Some(&c_port), NUMERIC_HINTS) {
        Err(SysError::Gai { code, .. }) if code == libc::EAI_NONAME => {
            return Err(Failure::not_numeric());
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
            // The address was fine; it has no name, and NI_NAMEREQD forbids the number.
            let noname = matches!(
                err,
                SysError::Gai {
                    code: libc::EAI_NONAME,
                    ..
                }
            );
            if noname && req.flags & libc::NI_NAMEREQD != 0 {
                Failure::explained(err, Why::NameRequired)
            } else {
                Failure::from(err)
            }
        })?;
        Ok(vec![NameInfo {
            query: query.clone(),
            port: addr.port(),
            host,
            service,
        }])
    });
    let call = call(req, &query, port.ok(), addr.ok(), &result);
    Answer::new(Some(query), result).with_call(call)
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
    let mut c = csource::c_getaddrinfo(Some(query), Some(&port_text), NUMERIC_HINTS);
    if let Some(addr) = &addr {
        c.push_str(&format!(
            "; getnameinfo({}, host, 1025, serv, 32, {})",
            c_sockaddr(addr),
            csource::c_flags("NI_", req.flags)
        ));
    }
    let mut tuple = vec![
        csource::py_str(query),
        port.map_or_else(|| csource::py_str(&port_text), |p| p.to_string()),
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
        Err(f) if f.is_gai(libc::EAI_NONAME) && flag(libc::NI_NAMEREQD) => notes.push(
            "NI_NAMEREQD: no name was found for the address and a numeric answer was not \
             allowed, so EAI_NONAME"
                .to_string(),
        ),
        Err(Failure {
            cause: Cause::NotNumeric,
        }) => notes.push(
            "getaddrinfo with AI_NUMERICHOST refused a name (EAI_NONAME), as it does in Python; \
             sockscope reports it as bad input and makes no getnameinfo call"
                .to_string(),
        ),
        Err(f) => notes.extend(failure_note(f)),
    }
    notes
}
