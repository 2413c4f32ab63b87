//! gethostbyaddr the way CPython makes it: resolve the key to one address, then read its hosts entry.

use std::ffi::OsStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::model::{Answer, Failure, HostEntry};
use crate::sys::netdb::{self, Hints};
use crate::validate;

use super::nameinfo;

/// A key that can only be meant as a numeric address: dotted digits or anything with a colon.
/// No DNS name is all digits (top-level domains are not numeric), so such a key that is not a
/// valid address is a typo, reported as bad input instead of being sent to the resolver.
fn looks_numeric(key: &str) -> bool {
    key.contains(':') || key.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// CPython's `setipaddr(name, AF_UNSPEC)`: the broadcast spellings, then inet_pton for IPv4 and
/// IPv6, then the first address getaddrinfo gives (which also takes host names).
fn setipaddr(name: &str) -> Result<IpAddr, Failure> {
    if name == "255.255.255.255" || name == "<broadcast>" {
        return Ok(Ipv4Addr::BROADCAST.into());
    }
    if let Ok(v4) = name.parse::<Ipv4Addr>() {
        return Ok(v4.into());
    }
    if let Ok(v6) = name.parse::<Ipv6Addr>() {
        return Ok(v6.into());
    }
    if looks_numeric(name) {
        // `127.1` (inet_aton) and `fe80::1%lo` (a zone) are numeric to glibc but not to inet_pton.
        return nameinfo::numeric(name, 0).map(|addr| addr.ip());
    }
    let entries = netdb::getaddrinfo(Some(&netdb::c_string(name)?), None, Hints::default())?;
    entries
        .first()
        .map(|entry| entry.addr.ip())
        .ok_or_else(|| Failure::not_found("getaddrinfo returned no address"))
}

/// `socket.gethostbyaddr(address)`.
pub fn lookup(key: &OsStr) -> Answer<HostEntry> {
    let query = validate::display(key);
    let result = validate::host(key).and_then(|name| {
        let entry = netdb::gethostbyaddr_r(setipaddr(name)?)?;
        Ok(vec![HostEntry {
            query: query.clone(),
            name: entry.name,
            aliases: entry.aliases,
            addresses: entry.addresses.iter().map(ToString::to_string).collect(),
        }])
    });
    Answer::new(Some(query), result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numeric_looking_keys() {
        assert!(looks_numeric("127.0.0.1"));
        assert!(looks_numeric("999.1.1.1"));
        assert!(looks_numeric("::1"));
        assert!(looks_numeric("fe80::1%lo"));
        assert!(!looks_numeric("localhost"));
        assert!(!looks_numeric("1.example"));
    }

    #[test]
    fn setipaddr_takes_numeric_spellings() {
        assert_eq!(setipaddr("<broadcast>"), Ok(Ipv4Addr::BROADCAST.into()));
        assert_eq!(setipaddr("127.1"), Ok(Ipv4Addr::LOCALHOST.into()));
        assert_eq!(setipaddr("::1"), Ok(Ipv6Addr::LOCALHOST.into()));
        assert_eq!(setipaddr("999.1.1.1").unwrap_err().code, "INVALID_INPUT");
    }
}
