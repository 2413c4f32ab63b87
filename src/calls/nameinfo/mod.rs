//! getnameinfo: a numeric address and port back to a host name and service, as CPython asks.

use std::ffi::{OsStr, OsString};
use std::net::SocketAddr;

use clap::Args;
use serde::Serialize;

mod explain;

use crate::model::{Answer, Failure, Fatal, Raised, Record, Why, python_of_first};
use crate::parse;
use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};
use crate::text::pyrepr::Py;
use crate::validate;

use super::options::{BatchArgs, ResolverArgs};
use super::pyargs::{self, Word};
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
    #[arg(long, default_value = "0", value_parser = parse::ni_flags_whole)]
    pub flags: i128,

    /// IPv6 flow label 0-1048575, the third element of Python's 4-tuple sockaddr (any
    /// integer: CPython keeps its low 32 bits, then refuses more than 20)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub flowinfo: Option<String>,

    /// IPv6 scope (interface index), the fourth element of Python's 4-tuple sockaddr (any
    /// integer: CPython keeps its low 32 bits, so -1 is 4294967295)
    #[arg(long, value_name = "N", allow_hyphen_values = true)]
    pub scope_id: Option<String>,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
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
    /// The flags as given, whole: Python raises where they fit no C int.
    pub flags: i128,
    pub flowinfo: Option<String>,
    pub scope_id: Option<String>,
    pub lines: bool,
}

impl GetNameInfo {
    /// The request for one key: an address, or a line `ADDRESS [PORT]`.
    fn answer_with(
        &self,
        key: Option<&OsStr>,
        lookup: fn(&Request) -> Answer<NameInfo>,
        python: bool,
    ) -> Answer<NameInfo> {
        let key = key.unwrap_or_default();
        let (address, port) = if self.lines {
            let (address, port) = match validate::host_and_service(key, "ADDRESS PORT") {
                Ok(fields) => fields,
                Err(failure) => return Answer::new(Some(validate::display(key)), Err(failure)),
            };
            (address, port.or(self.port.as_deref()))
        } else {
            (key, self.port.as_deref())
        };
        let flags = pyargs::c_int(self.flags);
        let req = Request {
            address,
            port,
            flags: *flags.as_ref().unwrap_or(&0),
            flowinfo: self.flowinfo.as_deref(),
            scope_id: self.scope_id.as_deref(),
        };
        match flags {
            Ok(_) => lookup(&req),
            // CPython converts the flags ("i") before it reads the tuple.
            Err(raised) => {
                let query = validate::display(address);
                let read = if python { pyargs::word } else { pyargs::plain };
                let failure = if python {
                    Failure::raised(raised)
                } else {
                    Failure::invalid(format!("{} does not fit in a C int", self.flags))
                };
                let python = explain::python_line(&req, &query, read, Some(self.flags.to_string()));
                let call = explain::call(&req, &query, None, None, python, &Err(failure.clone()));
                Answer::new(Some(query), Err(failure)).with_call(call)
            }
        }
    }
}

impl Lookup for GetNameInfo {
    type Record = NameInfo;

    fn answer(&self, key: Option<&OsStr>) -> Answer<NameInfo> {
        self.answer_with(key, lookup, false)
    }

    fn answer_python(&self, key: Option<&OsStr>) -> Answer<NameInfo> {
        self.answer_with(key, lookup_python, true)
    }

    /// `(host, service)`, the pair of strings getnameinfo wrote.
    fn python(&self, result: &Result<Vec<NameInfo>, Failure>) -> String {
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
            flowinfo: self.flowinfo.clone(),
            scope_id: self.scope_id.clone(),
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
    /// The 4-tuple's flowinfo and scope_id as typed; both `None` is Python's 2-tuple.
    pub flowinfo: Option<&'a str>,
    pub scope_id: Option<&'a str>,
}

impl Request<'_> {
    /// Whether the sockaddr is Python's 4-tuple.
    fn four_tuple(&self) -> bool {
        self.flowinfo.is_some() || self.scope_id.is_some()
    }

    /// The 4-tuple's flowinfo and scope_id as CPython reads them ("I": the low 32 bits of any
    /// int), and its check of the flow label; zero where not given.
    fn flow_and_scope(&self, read: fn(&str) -> Word) -> Result<(u32, u32), Failure> {
        let read = |value: Option<&str>| value.map_or(Ok(0), |v| read(v).as_uint_mask());
        let (flowinfo, scope_id) = (read(self.flowinfo)?, read(self.scope_id)?);
        if flowinfo > MAX_FLOWINFO {
            return Err(Failure::raised(Raised::FlowInfo));
        }
        Ok((flowinfo, scope_id))
    }
}

/// The largest flow label: it is 20 bits, and CPython refuses more (OverflowError).
const MAX_FLOWINFO: u32 = 0xfffff;

/// CPython's first step in `getnameinfo((host, port), flags)`: getaddrinfo with AI_NUMERICHOST
/// and SOCK_DGRAM, so only a numeric address (IPv4 in any inet_aton spelling, IPv6 with an
/// optional %zone) is accepted and nothing is resolved; a name is EAI_NONAME, as in Python.
fn numeric(address: &str, port: &str) -> Result<SocketAddr, Failure> {
    let c_address = netdb::c_string(address)?;
    let c_port = netdb::c_string(port)?;
    let entries = netdb::getaddrinfo(Some(&c_address), Some(&c_port), NUMERIC_HINTS).map_err(
        |err| match err {
            // Not "no such name": AI_NUMERICHOST refused a name without looking it up.
            SysError::Gai {
                code: libc::EAI_NONAME,
                ..
            } => Failure::explained(err, Why::NumericHost),
            other => Failure::from(other),
        },
    )?;
    match entries.as_slice() {
        [only] => Ok(only.addr),
        [] => Err(Failure::not_found("getaddrinfo returned no address")),
        [_, _, ..] => Err(Failure::raised(Raised::ManyAddresses)),
    }
}

/// getnameinfo on the socket address built from the request, the way CPython builds it: the
/// numeric address and port, then for IPv6 the tuple's flowinfo and scope_id (overwriting a
/// %zone getaddrinfo parsed); an IPv4 address with a 4-tuple is refused.
fn resolve(
    req: &Request,
    address: &str,
    port: &str,
    (flowinfo, scope_id): (u32, u32),
) -> (Option<SocketAddr>, Result<Vec<NameInfo>, Failure>) {
    let mut addr = match numeric(address, port) {
        Ok(addr) => addr,
        Err(failure) => return (None, Err(failure)),
    };
    match &mut addr {
        SocketAddr::V6(v6) => {
            v6.set_flowinfo(flowinfo);
            v6.set_scope_id(scope_id);
        }
        SocketAddr::V4(_) if req.four_tuple() => {
            return (None, Err(Failure::raised(Raised::Ipv4Tuple)));
        }
        SocketAddr::V4(_) => {}
    }
    let result = netdb::getnameinfo(&addr, req.flags)
        .map_err(|err| {
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
        })
        .map(|(host, service)| {
            vec![NameInfo {
                query: address.to_string(),
                port: addr.port(),
                host,
                service,
            }]
        });
    (Some(addr), result)
}

/// `socket.getnameinfo((address, port), flags)` as sockscope asks it: a port 0-65535.
pub fn lookup(req: &Request) -> Answer<NameInfo> {
    let query = validate::display(req.address);
    let checked = (|| {
        let address = validate::text(req.address, "address")?;
        let port = req
            .port
            .map(|p| validate::port(validate::text(p, "port")?))
            .transpose()?
            .unwrap_or(0);
        Ok::<_, Failure>((
            address.to_string(),
            port.to_string(),
            req.flow_and_scope(pyargs::plain)?,
        ))
    })();
    finish(req, query, checked, pyargs::plain)
}

/// `socket.getnameinfo((address, port), flags)` as Python calls it: the tuple parsed with
/// "si|II", the port handed to getaddrinfo as "%d" (which glibc then wraps or refuses).
pub fn lookup_python(req: &Request) -> Answer<NameInfo> {
    let query = validate::display(req.address);
    let checked = (|| {
        // The tuple's "s": a str (an int or bytes is no sockaddr to it), without NUL.
        let address = match pyargs::word(&query) {
            Word::Int(_) | Word::Bytes(_) => return Err(Failure::raised(Raised::IllegalSockaddr)),
            Word::Str(text) if text.contains('\0') => {
                return Err(Failure::raised(Raised::NulCharacter));
            }
            Word::Str(text) => text,
        };
        let port = req
            .port
            .map_or(Ok(0), |p| pyargs::word(&validate::display(p)).as_int())?;
        Ok((address, port.to_string(), req.flow_and_scope(pyargs::word)?))
    })();
    finish(req, query.clone(), checked, pyargs::word)
}

/// The call once the arguments are read (or refused), with its explanation.
fn finish(
    req: &Request,
    query: String,
    checked: Result<(String, String, (u32, u32)), Failure>,
    read: fn(&str) -> Word,
) -> Answer<NameInfo> {
    let (c_port, addr, result) = match checked {
        Ok((address, port, flow_scope)) => {
            let (addr, result) = resolve(req, &address, &port, flow_scope);
            (Some(port), addr, result)
        }
        Err(failure) => (None, None, Err(failure)),
    };
    let python = explain::python_line(req, &query, read, None);
    let call = explain::call(req, &query, c_port.as_deref(), addr, python, &result);
    Answer::new(Some(query), result).with_call(call)
}

/// The hints of CPython's first step.
pub const NUMERIC_HINTS: Hints = Hints {
    family: libc::AF_UNSPEC,
    socktype: libc::SOCK_DGRAM,
    protocol: 0,
    flags: libc::AI_NUMERICHOST,
};
