//! gethostbyname and gethostbyname_ex, made the way CPython makes them.

use std::ffi::OsStr;

use crate::model::{Answer, Failure, HostAddress, HostEntry};
use crate::sys::netdb::{self, Hints};
use crate::validate;

/// CPython's `setipaddr(name, AF_INET)`: the first IPv4 address getaddrinfo gives, with the
/// `<broadcast>` spelling special-cased as CPython does.
pub fn first_ipv4(name: &str) -> Result<String, Failure> {
    if name == "<broadcast>" || name == "255.255.255.255" {
        return Ok("255.255.255.255".to_string());
    }
    let c_name = netdb::c_string(name)?;
    let hints = Hints {
        family: libc::AF_INET,
        ..Hints::default()
    };
    let entries = netdb::getaddrinfo(Some(&c_name), None, hints)?;
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
    Answer::new(Some(query), result)
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
    Answer::new(Some(query), result)
}
