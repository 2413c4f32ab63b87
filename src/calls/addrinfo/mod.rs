//! getaddrinfo: every element of the list, shaped like the 5-tuples of CPython's `socket.getaddrinfo`.

use std::borrow::Cow;
use std::ffi::{OsStr, OsString};
use std::sync::Arc;

use clap::Args;
use serde::Serialize;

mod explain;
mod json;
mod python;
mod record;
mod refusal;

pub use record::{record, records};

use crate::model::{Answer, Failure, Fatal, Raised, Record};
use crate::parse::{self, Protocol};
use crate::sys::netdb::{self, Hints};
use crate::text::csource;
use crate::text::pyrepr::Py;
use crate::validate;

use super::notes::libc_host;
use super::options::{BatchArgs, ResolverArgs};
use super::protobyname;
use super::pyargs;
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct AddrInfoArgs {
    /// Host name or numeric address; leave out for NULL (Python's None); `-` reads
    /// `HOST [SERVICE]` lines from standard input
    pub host: Option<OsString>,

    /// Service name or port number; leave out for NULL (Python's None)
    #[arg(value_name = "SERVICE")]
    pub service_pos: Option<OsString>,

    /// Service name or port, for use without HOST
    #[arg(short, long, value_name = "SERVICE", conflicts_with = "service_pos")]
    pub service: Option<OsString>,

    /// Address family: unspec, inet, inet6, any AF_ name, or a number
    #[arg(short, long, default_value = "unspec", value_parser = parse::family_whole)]
    pub family: i128,

    /// Short for --family inet
    #[arg(short = '4', conflicts_with_all = ["family", "inet6"])]
    pub inet: bool,

    /// Short for --family inet6
    #[arg(short = '6', conflicts_with = "family")]
    pub inet6: bool,

    /// Socket type: stream, dgram, raw, any SOCK_ name, or a number; 0 (any) by default
    #[arg(short = 't', long = "type", default_value = "0", value_parser = parse::socktype_whole)]
    pub socktype: i128,

    /// Protocol: tcp, udp, any IPPROTO_ or /etc/protocols name, or a number; 0 (any) by default
    #[arg(short, long, default_value = "0", value_parser = parse::protocol)]
    pub proto: Protocol,

    /// Comma-separated AI_ flags: canonname, passive, numerichost, numericserv, addrconfig,
    /// v4mapped, all, and glibc's idn, canonidn (case-insensitive, AI_ prefix accepted) or a number
    #[arg(long, default_value = "0", value_parser = parse::ai_flags_whole)]
    pub flags: i128,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

impl AddrInfoArgs {
    /// The family after -4/-6 have been applied.
    pub fn family(&self) -> i128 {
        match (self.inet, self.inet6) {
            (true, _) => libc::AF_INET.into(),
            (_, true) => libc::AF_INET6.into(),
            _ => self.family,
        }
    }

    /// SERVICE from the positional argument or from --service.
    pub fn service(&self) -> Option<&OsString> {
        self.service_pos.as_ref().or(self.service.as_ref())
    }

    fn lines(&self) -> bool {
        self.batch.reads_keys(self.host.as_slice())
    }

    /// Neither HOST nor SERVICE nor keys to read: sockscope's usage error, though Python
    /// passes `getaddrinfo(None, None)` on (and glibc answers EAI_NONAME).
    pub fn neither(&self) -> bool {
        !self.lines() && self.host.is_none() && self.service().is_none()
    }
}

/// One element of getaddrinfo's answer, as the 5-tuple CPython builds from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddrInfo {
    /// Shared by the records of one answer.
    pub query: Option<Arc<str>>,
    pub service: Option<String>,
    /// A constant's name (`AF_INET`), or the number where it has none: rarely an allocation.
    pub family: Cow<'static, str>,
    #[serde(rename = "type")]
    pub socktype: Cow<'static, str>,
    pub proto: i32,
    pub canonname: String,
    /// Kept as the address, its text made only where it is shown (JSON writes it straight
    /// into the line).
    #[serde(serialize_with = "crate::model::json::serialize_ntop")]
    pub address: std::net::IpAddr,
    pub port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flowinfo: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_id: Option<u32>,
}

impl Record for AddrInfo {
    const KEYS: &'static [&'static str] = &["query", "service"];
    const COLUMNS: &'static [&'static str] = &[
        "query",
        "service",
        "family",
        "type",
        "proto",
        "canonname",
        "address",
        "port",
        "flowinfo",
        "scope_id",
    ];
    fn cells(&self) -> Vec<String> {
        let opt = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        vec![
            self.query.as_deref().unwrap_or_default().to_string(),
            self.service.clone().unwrap_or_default(),
            self.family.to_string(),
            self.socktype.to_string(),
            self.proto.to_string(),
            self.canonname.clone(),
            netdb::ntop(&self.address),
            self.port.to_string(),
            opt(self.flowinfo),
            opt(self.scope_id),
        ]
    }
    fn write_json(&self, out: &mut Vec<u8>) -> bool {
        json::write(self, out);
        true
    }
}

/// The list of `(family, type, proto, canonname, sockaddr)`; the sockaddr is a 2-tuple for
/// IPv4 and `(address, port, flowinfo, scope_id)` for IPv6.
pub fn python_list(records: &[AddrInfo]) -> Py {
    let rows = records.iter().map(|r| {
        let mut sockaddr = vec![Py::str(netdb::ntop(&r.address)), Py::Int(i64::from(r.port))];
        if let (Some(flowinfo), Some(scope_id)) = (r.flowinfo, r.scope_id) {
            sockaddr.push(Py::Int(i64::from(flowinfo)));
            sockaddr.push(Py::Int(i64::from(scope_id)));
        }
        Py::Tuple(vec![
            Py::symbol("AF_", &r.family),
            Py::symbol("SOCK_", &r.socktype),
            Py::Int(i64::from(r.proto)),
            Py::str(&r.canonname),
            Py::Tuple(sockaddr),
        ])
    });
    Py::List(rows.collect())
}

/// `socket.getaddrinfo(host, service, family, type, proto, flags)` for each key: a host, or
/// with `lines` a `HOST [SERVICE]` line of batch input.
pub struct GetAddrInfo {
    /// The hints, or the first of family, type, proto and flags that fits no C int.
    pub hints: Result<Hints, (i128, Raised)>,
    /// family, type, proto and flags as given.
    pub whole: [i128; 4],
    /// SERVICE from the command line, the default for lines that give none.
    pub service: Option<OsString>,
    pub lines: bool,
}

impl GetAddrInfo {
    /// getaddrinfo with these hints for host keys, the service the same for every key.
    pub fn new(hints: Hints, service: Option<OsString>) -> Self {
        let whole = [hints.family, hints.socktype, hints.protocol, hints.flags].map(i128::from);
        GetAddrInfo {
            hints: Ok(hints),
            whole,
            service,
            lines: false,
        }
    }

    /// The request for one key: a host, or a line `HOST [SERVICE]`.
    fn answer_with(
        &self,
        key: Option<&OsStr>,
        lookup: fn(&Request) -> Answer<AddrInfo>,
        python: bool,
    ) -> Answer<AddrInfo> {
        let line = match self.lines.then(|| {
            let line = key.unwrap_or_default();
            validate::host_and_service(line, "HOST SERVICE").map_err(|failure| (line, failure))
        }) {
            Some(Err((line, failure))) => {
                return Answer::new(Some(validate::display(line)), Err(failure));
            }
            Some(Ok(fields)) => Some(fields),
            None => None,
        };
        let (host, service) = match line {
            Some((host, service)) => (Some(host), service.or(self.service.as_deref())),
            None => (key, self.service.as_deref()),
        };
        match &self.hints {
            Ok(hints) => lookup(&Request {
                host,
                service,
                hints: *hints,
            }),
            Err((value, raised)) => {
                python::no_c_int(self, host, service, *value, raised.clone(), python)
            }
        }
    }
}

impl Lookup for GetAddrInfo {
    type Record = AddrInfo;

    fn answer(&self, key: Option<&OsStr>) -> Answer<AddrInfo> {
        self.answer_with(key, lookup, false)
    }

    fn answer_python(&self, key: Option<&OsStr>) -> Answer<AddrInfo> {
        self.answer_with(key, python::lookup_python, true)
    }

    fn answer_bare(&self, key: Option<&OsStr>) -> Answer<AddrInfo> {
        self.answer_with(key, lookup_bare, false)
    }

    fn python(&self, result: &Result<Vec<AddrInfo>, Failure>) -> String {
        match result {
            Ok(records) => python_list(records).to_string(),
            Err(failure) => failure.python_exception(),
        }
    }
}

impl Subcommand for AddrInfoArgs {
    type Lookup = GetAddrInfo;

    fn lookup(&self) -> Result<GetAddrInfo, Fatal> {
        let protocol = protobyname::number(&self.proto)?;
        // In CPython's order: the first that does not fit a C int raises.
        let whole = [self.family(), self.socktype, protocol.into(), self.flags];
        let hints = match whole.map(pyargs::c_int) {
            [Ok(family), Ok(socktype), Ok(protocol), Ok(flags)] => Ok(Hints {
                family,
                socktype,
                protocol,
                flags,
            }),
            results => Err(results
                .into_iter()
                .zip(whole)
                .find_map(|(result, value)| result.err().map(|raised| (value, raised)))
                .unwrap_or((0, Raised::LongOverflow))),
        };
        let lines = self.lines();
        Ok(GetAddrInfo {
            hints,
            whole,
            service: self.service().cloned(),
            lines,
        })
    }

    fn input(&self) -> Input<'_> {
        if self.lines() {
            Input::Batch {
                keys: self.host.as_slice(),
                batch: &self.batch,
            }
        } else {
            Input::Keys(vec![self.host.clone()])
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}

/// One getaddrinfo call as the user asked for it; `None` host or service is passed as NULL.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub host: Option<&'a OsStr>,
    pub service: Option<&'a OsStr>,
    pub hints: Hints,
}

/// `socket.getaddrinfo(host, service, family, type, proto, flags)` as sockscope asks it: a
/// host or service at least, a checked host name, a numeric service that is a port.
pub fn lookup(req: &Request) -> Answer<AddrInfo> {
    let query = req.host.map(validate::display);
    let service_text = req.service.map(validate::display);
    let python = csource::py_getaddrinfo(
        &query
            .as_deref()
            .map_or_else(|| "None".to_string(), |h| pyargs::plain(h).host_literal()),
        &service_text
            .as_deref()
            .map_or_else(|| "None".to_string(), |s| pyargs::plain(s).literal()),
        req.hints,
    );
    if req.host.is_none() && req.service.is_none() {
        let failure = Failure::invalid(
            "give a HOST, a SERVICE (or --service), or both: getaddrinfo needs at least one",
        );
        let made = explain::Made {
            c_args: None,
            python,
        };
        let call = explain::call(req, made, &Err(failure.clone()));
        return Answer::new(None, Err(failure)).with_call(call);
    }
    let result = resolve(req, query.as_deref());
    let c_host = query.as_deref().map(libc_host);
    let made = explain::Made {
        c_args: Some((c_host.as_deref(), service_text.as_deref())),
        python,
    };
    let answer = finish(req, query.clone(), service_text.clone(), made, result);
    explain::with_idna_note(answer, query.as_deref())
}

/// The same lookup without the call behind it, for the formats that do not print it: no C
/// source, Python line or notes are built.
fn lookup_bare(req: &Request) -> Answer<AddrInfo> {
    if req.host.is_none() && req.service.is_none() {
        let mut answer = lookup(req);
        answer.call = None;
        return answer;
    }
    let query = req.host.map(validate::display);
    let service_text = req.service.map(validate::display);
    let result = resolve(req, query.as_deref());
    let label = label(req, &query, &service_text, &result);
    Answer {
        query,
        result,
        label,
        elapsed: None,
        call: None,
    }
}

/// The answer with its label and call.
fn finish(
    req: &Request,
    query: Option<String>,
    service_text: Option<String>,
    made: explain::Made,
    result: Result<Vec<AddrInfo>, Failure>,
) -> Answer<AddrInfo> {
    let label = label(req, &query, &service_text, &result);
    let call = explain::call(req, made, &result);
    let mut answer = Answer::new(query, result).with_call(call);
    answer.label = label;
    answer
}

/// What the error line names where it is not the host (the answer's query): the service,
/// where it was at fault or there is no host.
fn label(
    req: &Request,
    query: &Option<String>,
    service_text: &Option<String>,
    result: &Result<Vec<AddrInfo>, Failure>,
) -> Option<String> {
    // An unknown service, or a name where AI_NUMERICSERV wants a number, is the service's
    // fault, so the message names it rather than the host.
    let blame_service = match result {
        Err(f) if f.is_gai(libc::EAI_SERVICE) => true,
        Err(f) if f.is_gai(libc::EAI_NONAME) => {
            refusal::numeric_service_refused(req.hints.flags, service_text.as_deref())
        }
        _ => false,
    };
    match (query, service_text) {
        (Some(_), Some(service)) if blame_service => Some(service.clone()),
        // The host, which the answer's query already is.
        (Some(_), _) | (None, None) => None,
        (None, Some(service)) => Some(service.clone()),
    }
}

/// `query` is the host as text (`validate::display`), which the records keep: a host that is
/// not UTF-8 is refused before any record is made, so it is the host as typed.
fn resolve(req: &Request, query: Option<&str>) -> Result<Vec<AddrInfo>, Failure> {
    // libc is given the name Python's idna codec makes of the host; the records keep the key.
    let encoded = req.host.map(validate::host).transpose()?;
    let host = encoded.as_deref();
    let service = req.service.map(validate::service).transpose()?;
    let c_host = host.map(netdb::c_key).transpose()?;
    let c_service = service.map(netdb::c_key).transpose()?;
    let entries = netdb::getaddrinfo_list(c_host.as_deref(), c_service.as_deref(), req.hints)
        .map_err(|err| refusal::noname_refusal(Failure::from(err), req.hints, host, service))?;
    Ok(records(query, service, entries))
}
