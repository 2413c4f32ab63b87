//! getaddrinfo: every element of the list, shaped like the 5-tuples of CPython's `socket.getaddrinfo`.

use std::ffi::OsStr;
use std::net::SocketAddr;

use crate::model::{AddrInfo, Answer, Failure};
use crate::sys::netdb::{self, AddrInfoEntry, Hints};
use crate::validate;

use super::constants;

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
    // An unknown service is the service's fault, so the message names it rather than the host.
    let blame_service = matches!(&result, Err(f) if f.code == "EAI_SERVICE");
    let label = match (&query, &service_text) {
        (Some(_), Some(service)) if blame_service => service.clone(),
        (Some(host), _) => host.clone(),
        (None, Some(service)) => service.clone(),
        (None, None) => String::new(),
    };
    let mut answer = Answer::new(query, result);
    answer.label = label;
    answer
}

/// EAI_NONAME under AI_NUMERICHOST or AI_NUMERICSERV means "that is not a number", not "no
/// such name": say so, since nothing was looked up.
fn numeric_refusal(mut failure: Failure, flags: i32, service: Option<&str>) -> Failure {
    if failure.code != "EAI_NONAME" {
        return failure;
    }
    let numeric_service = service.is_none_or(|s| s.bytes().all(|b| b.is_ascii_digit()));
    if flags & libc::AI_NUMERICSERV != 0 && !numeric_service {
        failure.message =
            "service is not a port number, and AI_NUMERICSERV forbids looking it up".to_string();
    } else if flags & libc::AI_NUMERICHOST != 0 {
        failure.message =
            "not a numeric address, and AI_NUMERICHOST forbids looking the name up".to_string();
    }
    failure
}

fn resolve(req: &Request) -> Result<Vec<AddrInfo>, Failure> {
    let host = req.host.map(validate::host).transpose()?;
    let service = req.service.map(validate::service).transpose()?;
    let c_host = host.map(netdb::c_string).transpose()?;
    let c_service = service.map(netdb::c_string).transpose()?;
    let entries = netdb::getaddrinfo(c_host.as_deref(), c_service.as_deref(), req.hints)
        .map_err(|err| numeric_refusal(Failure::from(err), req.hints.flags, service))?;
    Ok(entries
        .into_iter()
        .map(|entry| record(host, service, entry))
        .collect())
}
