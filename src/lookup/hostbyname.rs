//! gethostbyname and gethostbyname_ex, made the way CPython makes them.

use std::ffi::OsStr;

use crate::model::{Answer, Call, Failure, HostAddress, HostEntry};
use crate::sys::netdb::{self, Hints};
use crate::validate;

use super::dnsname;
use super::explain;

/// The getaddrinfo call CPython's `setipaddr` makes for gethostbyname(name), as C source.
fn c_setipaddr(name: &str) -> String {
    if is_broadcast(name) {
        return "(no call: CPython answers <broadcast> itself, and so does sockscope)".to_string();
    }
    let hints = Hints {
        family: libc::AF_INET,
        ..Hints::default()
    };
    explain::c_getaddrinfo(Some(name), None, hints)
}

/// A host name as the argument of a Python call (bytes where it is not ASCII).
fn py_name(name: &str) -> String {
    crate::pyrepr::host_literal(name)
}

fn common_notes<R>(result: &Result<Vec<R>, Failure>) -> Vec<String> {
    match result {
        Ok(_) => vec![
            "IPv4 only: CPython asks getaddrinfo for AF_INET, so ::1 and other IPv6 \
             addresses are never seen; use getaddrinfo for those"
                .to_string(),
        ],
        Err(failure) => explain::failure_note(failure).into_iter().collect(),
    }
}

fn is_broadcast(name: &str) -> bool {
    name == "<broadcast>" || name == "255.255.255.255"
}

/// CPython's `setipaddr(name, AF_INET)`: the first IPv4 address getaddrinfo gives, with the
/// `<broadcast>` spelling special-cased as CPython does.
pub fn first_ipv4(name: &str) -> Result<String, Failure> {
    if is_broadcast(name) {
        return Ok("255.255.255.255".to_string());
    }
    let c_name = netdb::c_string(name)?;
    let hints = Hints {
        family: libc::AF_INET,
        ..Hints::default()
    };
    let entries = netdb::getaddrinfo(Some(&c_name), None, hints)
        .map_err(|err| dnsname::refused_name(Failure::from(err), name, hints.flags))?;
    entries
        .first()
        .map(|entry| netdb::numeric_host(&entry.addr))
        .ok_or_else(|| Failure::not_found("getaddrinfo returned no address"))
}

/// `socket.gethostbyname(name)`.
pub fn address(key: &OsStr) -> Answer<HostAddress> {
    let query = validate::display(key);
    let result = validate::host(key).and_then(|name| {
        Ok(vec![HostAddress {
            query: query.clone(),
            address: first_ipv4(name)?,
        }])
    });
    let mut notes = common_notes(&result);
    if result.is_ok() && !is_broadcast(&query) {
        // A dotted quad is what inet_pton accepts; CPython tries that before any lookup.
        notes.push(if query.parse::<std::net::Ipv4Addr>().is_ok() {
            "a numeric IPv4 address: CPython parses it with inet_pton and asks no resolver; \
             getaddrinfo gives the same answer"
                .to_string()
        } else {
            "the first address of getaddrinfo's list, as CPython takes it".to_string()
        });
    }
    let call = Call {
        c: c_setipaddr(&query),
        python: format!("socket.gethostbyname({})", py_name(&query)),
        notes,
        function: "gethostbyname",
    };
    let mut answer = Answer::new(Some(query), result);
    answer.call = Some(call);
    answer
}

/// `socket.gethostbyname_ex(name)`: like CPython, resolve with getaddrinfo first (so a missing
/// name fails with the same EAI code), then read the whole entry with gethostbyname_r.
pub fn entry(key: &OsStr) -> Answer<HostEntry> {
    let query = validate::display(key);
    let result = validate::host(key).and_then(|name| {
        first_ipv4(name)?;
        let entry = netdb::gethostbyname_r(&netdb::c_string(name)?)?;
        Ok(vec![HostEntry {
            query: query.clone(),
            name: entry.name,
            aliases: entry.aliases,
            addresses: entry.addresses.iter().map(ToString::to_string).collect(),
        }])
    });
    let mut notes = common_notes(&result);
    if let Ok([entry]) = result.as_deref() {
        notes.push(format!(
            "aliases are the other names of the entry ({} here), addresses every IPv4 \
             address ({})",
            entry.aliases.len(),
            entry.addresses.len()
        ));
    }
    let call = Call {
        c: format!(
            "{}; gethostbyname_r({}, &ret, buf, 16384, &result, &h_errno)",
            c_setipaddr(&query),
            explain::c_str(Some(&query))
        ),
        python: format!("socket.gethostbyname_ex({})", py_name(&query)),
        notes,
        function: "gethostbyname_ex",
    };
    let mut answer = Answer::new(Some(query), result);
    answer.call = Some(call);
    answer
}
