//! getaddrinfo: every element of the list, shaped like the 5-tuples of CPython's `socket.getaddrinfo`.

use std::ffi::{OsStr, OsString};
use std::net::SocketAddr;

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Outcome, Record, Why};
use crate::parse::{self, Protocol};
use crate::sys::ifaddrs;
use crate::sys::netdb::{self, AddrInfoEntry, Hints};
use crate::text::pyrepr::Py;
use crate::text::{csource, symbols};
use crate::validate;

use super::dnsname;
use super::notes::failure_note;
use super::options::{BatchArgs, ResolverArgs};
use super::protobyname;
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
    #[arg(short, long, default_value = "unspec", value_parser = parse::family)]
    pub family: i32,

    /// Short for --family inet
    #[arg(short = '4', conflicts_with_all = ["family", "inet6"])]
    pub inet: bool,

    /// Short for --family inet6
    #[arg(short = '6', conflicts_with = "family")]
    pub inet6: bool,

    /// Socket type: stream, dgram, raw, any SOCK_ name, or a number; 0 (any) by default
    #[arg(short = 't', long = "type", default_value = "0", value_parser = parse::socktype)]
    pub socktype: i32,

    /// Protocol: tcp, udp, any IPPROTO_ or /etc/protocols name, or a number; 0 (any) by default
    #[arg(short, long, default_value = "0", value_parser = parse::protocol)]
    pub proto: Protocol,

    /// Comma-separated AI_ flags: canonname, passive, numerichost, numericserv, addrconfig,
    /// v4mapped, all, and glibc's idn, canonidn (case-insensitive, AI_ prefix accepted) or a number
    #[arg(long, default_value = "0", value_parser = parse::ai_flags)]
    pub flags: i32,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

impl AddrInfoArgs {
    /// The family after -4/-6 have been applied.
    pub fn family(&self) -> i32 {
        parse::family_shortcut(self.inet, self.inet6, self.family)
    }

    /// SERVICE from the positional argument or from --service.
    pub fn service(&self) -> Option<&OsString> {
        self.service_pos.as_ref().or(self.service.as_ref())
    }

    fn lines(&self) -> bool {
        self.batch.reads_keys(self.host.as_slice())
    }
}

/// One element of getaddrinfo's answer, as the 5-tuple CPython builds from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddrInfo {
    pub query: Option<String>,
    pub service: Option<String>,
    pub family: String,
    #[serde(rename = "type")]
    pub socktype: String,
    pub proto: i32,
    pub canonname: String,
    pub address: String,
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
            self.query.clone().unwrap_or_default(),
            self.service.clone().unwrap_or_default(),
            self.family.clone(),
            self.socktype.clone(),
            self.proto.to_string(),
            self.canonname.clone(),
            self.address.clone(),
            self.port.to_string(),
            opt(self.flowinfo),
            opt(self.scope_id),
        ]
    }
}

/// The list of `(family, type, proto, canonname, sockaddr)`; the sockaddr is a 2-tuple for
/// IPv4 and `(address, port, flowinfo, scope_id)` for IPv6.
pub fn python_list(records: &[AddrInfo]) -> Py {
    let rows = records.iter().map(|r| {
        let mut sockaddr = vec![Py::str(&r.address), Py::Int(i64::from(r.port))];
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
    pub hints: Hints,
    /// SERVICE from the command line, the default for lines that give none.
    pub service: Option<OsString>,
    pub lines: bool,
}

impl Lookup for GetAddrInfo {
    type Record = AddrInfo;

    fn answer(&self, key: Option<&OsStr>) -> Answer<AddrInfo> {
        self.answer_described(key, true)
    }

    fn answer_bare(&self, key: Option<&OsStr>) -> Answer<AddrInfo> {
        self.answer_described(key, false)
    }

    fn python(&self, result: &Result<Vec<AddrInfo>, Failure>) -> String {
        match result {
            Ok(records) => python_list(records).to_string(),
            Err(failure) => failure.python_exception(),
        }
    }
}

impl GetAddrInfo {
    fn answer_described(&self, key: Option<&OsStr>, describe: bool) -> Answer<AddrInfo> {
        if self.lines {
            let (host, service) = validate::host_and_service(key.unwrap_or_default());
            let req = Request {
                host: Some(&host),
                service: service.as_deref().or(self.service.as_deref()),
                hints: self.hints,
            };
            return lookup_described(&req, describe);
        }
        let req = Request {
            host: key,
            service: self.service.as_deref(),
            hints: self.hints,
        };
        lookup_described(&req, describe)
    }
}

impl Subcommand for AddrInfoArgs {
    type Lookup = GetAddrInfo;

    fn lookup(&self) -> Result<GetAddrInfo, Fatal> {
        let hints = Hints {
            family: self.family(),
            socktype: self.socktype,
            protocol: protobyname::number(&self.proto)?,
            flags: self.flags,
        };
        let lines = self.lines();
        if !lines && self.host.is_none() && self.service().is_none() {
            return Err(Fatal::new(
                Outcome::Usage,
                "give a HOST, a SERVICE (or --service), or both: getaddrinfo needs at least one",
            ));
        }
        Ok(GetAddrInfo {
            hints,
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

/// One element of getaddrinfo's list as the record every format prints.
pub fn record(query: Option<&str>, service: Option<&str>, entry: AddrInfoEntry) -> AddrInfo {
    let (flowinfo, scope_id) = match entry.addr {
        SocketAddr::V6(v6) => (Some(v6.flowinfo()), Some(v6.scope_id())),
        SocketAddr::V4(_) => (None, None),
    };
    AddrInfo {
        query: query.map(str::to_string),
        service: service.map(str::to_string),
        family: symbols::name_or_number("AF_", entry.family),
        socktype: symbols::name_or_number("SOCK_", entry.socktype),
        proto: entry.protocol,
        canonname: entry.canonname.unwrap_or_default(),
        address: netdb::numeric_host(&entry.addr),
        port: entry.addr.port(),
        flowinfo,
        scope_id,
    }
}

/// `socket.getaddrinfo(host, service, family, type, proto, flags)`.
pub fn lookup(req: &Request) -> Answer<AddrInfo> {
    lookup_described(req, true)
}

/// The same, with the call behind it only when `describe` asks for it.
fn lookup_described(req: &Request, describe: bool) -> Answer<AddrInfo> {
    let query = req.host.map(validate::display);
    let service_text = req.service.map(validate::display);
    let result = resolve(req);
    // An unknown service, or a name where AI_NUMERICSERV wants a number, is the service's
    // fault, so the message names it rather than the host.
    let blame_service = match &result {
        Err(f) if f.is_gai(libc::EAI_SERVICE) => true,
        Err(f) if f.is_gai(libc::EAI_NONAME) => {
            numeric_service_refused(req.hints.flags, service_text.as_deref())
        }
        _ => false,
    };
    let label = match (&query, &service_text) {
        (Some(_), Some(service)) if blame_service => service.clone(),
        (Some(host), _) => host.clone(),
        (None, Some(service)) => service.clone(),
        (None, None) => String::new(),
    };
    let call = describe.then(|| call(req, query.as_deref(), service_text.as_deref(), &result));
    let mut answer = Answer::new(query, result);
    answer.call = call;
    answer.label = label;
    answer
}

/// Whether an EAI_NONAME is AI_NUMERICSERV refusing a service that is not a number: glibc
/// reads the service before the host and gives up there, so the host was never looked at.
fn numeric_service_refused(flags: i32, service: Option<&str>) -> bool {
    let numeric_service = service.is_none_or(|s| s.bytes().all(|b| b.is_ascii_digit()));
    flags & libc::AI_NUMERICSERV != 0 && !numeric_service
}

/// EAI_NONAME under AI_NUMERICHOST or AI_NUMERICSERV means "that is not a number", and for a
/// name glibc's DNS module refuses to ask about it means just that, not "no such name": say
/// which, since in none of these cases did a server say NXDOMAIN.
fn noname_refusal(
    failure: Failure,
    hints: Hints,
    host: Option<&str>,
    service: Option<&str>,
) -> Failure {
    let Some(error) = failure.sys().filter(|_| failure.is_gai(libc::EAI_NONAME)) else {
        return failure;
    };
    let flags = hints.flags;
    // glibc makes this decision first, before it parses the host or looks anything up.
    if let Some(why) = addrconfig_refusal(flags, hints.family) {
        Failure::explained(error.clone(), why)
    } else if numeric_service_refused(flags, service) {
        Failure::explained(error.clone(), Why::NumericServ)
    } else if flags & libc::AI_NUMERICHOST != 0 {
        Failure::explained(error.clone(), Why::NumericHost)
    } else if let Some(host) = host {
        dnsname::refused_name(failure, host, flags)
    } else {
        failure
    }
}

/// AI_ADDRCONFIG with AF_INET or AF_INET6 on a machine with no address of that family (the
/// loopback address aside) is EAI_NONAME at once: glibc knows no answer could be used. With
/// AF_UNSPEC it looks the name up as usual.
fn addrconfig_refusal(flags: i32, family: i32) -> Option<Why> {
    if flags & libc::AI_ADDRCONFIG == 0 {
        return None;
    }
    // Unknown (getifaddrs failed): glibc then counts both families as present.
    let seen = ifaddrs::configured().ok()?;
    match family {
        libc::AF_INET if !seen.ipv4 => Some(Why::AddrConfig { ipv6: false }),
        libc::AF_INET6 if !seen.ipv6 => Some(Why::AddrConfig { ipv6: true }),
        _ => None,
    }
}

/// The C call and Python line for this request, and notes on what its answer shows.
fn call(
    req: &Request,
    host: Option<&str>,
    service: Option<&str>,
    result: &Result<Vec<AddrInfo>, Failure>,
) -> Call {
    let hints = req.hints;
    let mut notes = Vec::new();
    match result {
        Ok(rows) => notes.extend(row_notes(rows, host, service, hints)),
        Err(failure) => notes.extend(failure_note(failure)),
    }
    Call {
        c: csource::c_getaddrinfo(host, service, hints),
        python: csource::py_getaddrinfo(host, service, hints),
        notes,
    }
}

fn row_notes(
    rows: &[AddrInfo],
    host: Option<&str>,
    service: Option<&str>,
    hints: Hints,
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut types: Vec<&str> = Vec::new();
    for row in rows {
        if !types.contains(&row.socktype.as_str()) {
            types.push(&row.socktype);
        }
    }
    if hints.socktype == 0 && hints.protocol == 0 {
        if types.len() > 1 {
            notes.push(format!(
                "{} rows per address ({}) because no socket type was given; \
                 type=socket.SOCK_STREAM asks for one",
                types.len(),
                types.join(", ")
            ));
        } else if let (Some(service), [only]) = (service, types.as_slice()) {
            notes.push(format!(
                "only {only} rows although no socket type was given: the service {service:?} \
                 is known for one protocol only"
            ));
        }
    }
    if hints.flags & libc::AI_CANONNAME != 0 {
        notes.push("AI_CANONNAME: the canonical name is only on the first row".to_string());
    }
    // Only IPv6 rows (those with a flowinfo) can hold a mapped address; IPv4 rows are not parsed.
    let is_mapped = |r: &&AddrInfo| {
        r.flowinfo.is_some()
            && r.address
                .parse::<std::net::Ipv6Addr>()
                .is_ok_and(|ip| ip.to_ipv4_mapped().is_some())
    };
    if let Some(mapped) = rows.iter().find(is_mapped) {
        notes.push(format!(
            "{} is an IPv4-mapped IPv6 address: an IPv4 answer dressed as IPv6 (AI_V4MAPPED)",
            mapped.address
        ));
    }
    if rows.iter().any(|r| r.flowinfo.is_some()) {
        notes.push(
            "IPv6 addresses are 4-tuples (host, port, flowinfo, scope_id), IPv4 ones 2-tuples"
                .to_string(),
        );
    }
    match (host, hints.flags & libc::AI_PASSIVE != 0) {
        (None, true) => notes.push(
            "no host with AI_PASSIVE: the wildcard addresses, to bind() a server to".to_string(),
        ),
        (None, false) => notes.push(
            "no host without AI_PASSIVE: the loopback addresses, to connect() to".to_string(),
        ),
        _ => {}
    }
    if service.is_none() {
        notes.push("no service: every port is 0".to_string());
    }
    notes
}

fn resolve(req: &Request) -> Result<Vec<AddrInfo>, Failure> {
    let host = req.host.map(validate::host).transpose()?;
    let service = req.service.map(validate::service).transpose()?;
    let c_host = host.map(netdb::c_string).transpose()?;
    let c_service = service.map(netdb::c_string).transpose()?;
    let entries = netdb::getaddrinfo(c_host.as_deref(), c_service.as_deref(), req.hints)
        .map_err(|err| noname_refusal(Failure::from(err), req.hints, host, service))?;
    Ok(entries
        .into_iter()
        .map(|entry| record(host, service, entry))
        .collect())
}
