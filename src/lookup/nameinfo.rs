//! getnameinfo: a numeric address and port back to a host name and service, as CPython asks.

use std::ffi::OsStr;
use std::net::SocketAddr;

use crate::model::{Answer, Failure, NameInfo};
use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};
use crate::validate;

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
    let hints = Hints {
        family: libc::AF_UNSPEC,
        socktype: libc::SOCK_DGRAM,
        protocol: 0,
        flags: libc::AI_NUMERICHOST,
    };
    let entries = match netdb::getaddrinfo(Some(&c_address), Some(&c_port), hints) {
        Err(SysError::Gai { code, .. }) if code == libc::EAI_NONAME => {
            return Err(Failure::invalid(
                "not a numeric IPv4 or IPv6 address (no name is resolved here)",
            ));
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
    let result = resolve(req, &query);
    Answer::new(Some(query), result)
}

fn resolve(req: &Request, query: &str) -> Result<Vec<NameInfo>, Failure> {
    let address = validate::text(req.address, "address")?;
    let port = match req.port {
        Some(port) => validate::port(validate::text(port, "port")?)?,
        None => 0,
    };
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
    let (host, service) = netdb::getnameinfo(&addr, req.flags).map_err(|err| {
        let mut failure = Failure::from(err);
        // The address was fine; it just has no name, and NI_NAMEREQD forbids the number.
        if failure.code == "EAI_NONAME" && req.flags & libc::NI_NAMEREQD != 0 {
            failure.message =
                "the address has no name, and NI_NAMEREQD forbids answering with the number"
                    .to_string();
        }
        failure
    })?;
    Ok(vec![NameInfo {
        query: query.to_string(),
        port,
        host,
        service,
    }])
}
