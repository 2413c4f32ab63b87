//! getaddrinfo: every element of the list, shaped like the 5-tuples of CPython's `socket.getaddrinfo`.

use std::ffi::OsStr;
use std::net::SocketAddr;

use crate::model::{AddrInfo, Answer, Call, Failure};
use crate::sys::ifaddrs;
use crate::sys::netdb::{self, AddrInfoEntry, Hints};
use crate::validate;

use super::constants;
use super::dnsname;
use super::explain;

/// One getaddrinfo call as the user asked for it; `None` host or service is passed as NULL.
#[derive(Debug, Clone)]
pub struct Request<'a> {
    pub host: Option<&'a OsStr>,
    pub service: Option<&'a OsStr>,
    pub hints: Hints,
}

/// The symbolic name for a value in a group, or the number itself where Python has no name.
fn symbol(group: &str, value: i32) -> String {
    constants::name_of(group, i64::from(value)).map_or_else(|| value.to_string(), str::to_string)
}

fn record(query: Option<&str>, service: Option<&str>, entry: AddrInfoEntry) -> AddrInfo {
    let (flowinfo, scope_id) = match entry.addr {
        SocketAddr::V6(v6) => (Some(v6.flowinfo()), Some(v6.scope_id())),
        SocketAddr::V4(_) => (None, None),
    };
    AddrInfo {
        query: query.map(str::to_string),
        service: service.map(str::to_string),
        family: symbol("AF_", entry.family),
        socktype: symbol("SOCK_", entry.socktype),
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
    let query = req.host.map(validate::display);
    let service_text = req.service.map(validate::display);
    let result = resolve(req);
    // An unknown service, or a name where AI_NUMERICSERV wants a number, is the service's
    // fault, so the message names it rather than the host.
    let blame_service = match &result {
        Err(f) if f.code == "EAI_SERVICE" => true,
        Err(f) if f.code == "EAI_NONAME" => {
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
    let call = call(req, query.as_deref(), service_text.as_deref(), &result);
    let mut answer = Answer::new(query, result);
    answer.label = label;
    answer.call = Some(call);
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
    mut failure: Failure,
    hints: Hints,
    host: Option<&str>,
    service: Option<&str>,
) -> Failure {
    if failure.code != "EAI_NONAME" {
        return failure;
    }
    let flags = hints.flags;
    // glibc makes this decision first, before it parses the host or looks anything up.
    if let Some(message) = addrconfig_refusal(flags, hints.family) {
        failure.message = message.to_string();
    } else if numeric_service_refused(flags, service) {
        failure.message =
            "service is not a port number, and AI_NUMERICSERV forbids looking it up".to_string();
    } else if flags & libc::AI_NUMERICHOST != 0 {
        failure.message =
            "not a numeric address, and AI_NUMERICHOST forbids looking the name up".to_string();
    } else if let Some(host) = host {
        failure = dnsname::refused_name(failure, host, flags);
    }
    failure
}

/// AI_ADDRCONFIG with AF_INET or AF_INET6 on a machine with no address of that family (the
/// loopback address aside) is EAI_NONAME at once: glibc knows no answer could be used. With
/// AF_UNSPEC it looks the name up as usual.
fn addrconfig_refusal(flags: i32, family: i32) -> Option<&'static str> {
    if flags & libc::AI_ADDRCONFIG == 0 {
        return None;
    }
    // Unknown (getifaddrs failed): glibc then counts both families as present.
    let seen = ifaddrs::configured().ok()?;
    match family {
        libc::AF_INET if !seen.ipv4 => Some(
            "AI_ADDRCONFIG: this machine has no IPv4 address but 127.0.0.1, so the name was \
             not looked up",
        ),
        libc::AF_INET6 if !seen.ipv6 => Some(
            "AI_ADDRCONFIG: this machine has no IPv6 address but ::1, so the name was not \
             looked up",
        ),
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
        Err(failure) => notes.extend(explain::failure_note(failure)),
    }
    Call {
        c: explain::c_getaddrinfo(host, service, hints),
        python: explain::py_getaddrinfo(host, service, hints),
        notes,
        function: "getaddrinfo",
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
    if let Some(mapped) = rows.iter().find(|r| r.address.starts_with("::ffff:")) {
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
