//! One element of getaddrinfo's list as the record every format prints.

use std::borrow::Cow;
use std::net::SocketAddr;
use std::sync::Arc;

use crate::sys::netdb::AddrInfoEntry;
use crate::text::symbols;

use super::AddrInfo;

/// One element of getaddrinfo's list as the record every format prints.
pub fn record(query: Option<&str>, service: Option<&str>, entry: AddrInfoEntry) -> AddrInfo {
    with_query(query.map(Arc::from), service, entry)
}

/// Every element of getaddrinfo's list as records, which share one copy of the query.
pub fn records(
    query: Option<&str>,
    service: Option<&str>,
    entries: impl Iterator<Item = AddrInfoEntry>,
) -> Vec<AddrInfo> {
    let query: Option<Arc<str>> = query.map(Arc::from);
    let mut records: Vec<AddrInfo> = Vec::with_capacity(entries.size_hint().1.unwrap_or(0));
    for entry in entries {
        records.push(with_query(query.clone(), service, entry));
    }
    records
}

fn with_query(query: Option<Arc<str>>, service: Option<&str>, entry: AddrInfoEntry) -> AddrInfo {
    let (flowinfo, scope_id) = match entry.addr {
        SocketAddr::V6(v6) => (Some(v6.flowinfo()), Some(v6.scope_id())),
        SocketAddr::V4(_) => (None, None),
    };
    AddrInfo {
        query,
        service: service.map(str::to_string),
        family: family_name(entry.family),
        socktype: socktype_name(entry.socktype),
        proto: entry.protocol,
        canonname: entry.canonname.unwrap_or_default(),
        address: entry.addr.ip(),
        port: entry.addr.port(),
        flowinfo,
        scope_id,
    }
}

/// The family's name: those of nearly every answer without a look in the table.
fn family_name(family: i32) -> Cow<'static, str> {
    match family {
        libc::AF_INET => "AF_INET".into(),
        libc::AF_INET6 => "AF_INET6".into(),
        _ => symbols::name_or_number_cow("AF_", family),
    }
}

/// The socket type's name: the three getaddrinfo gives without a look in the table.
fn socktype_name(socktype: i32) -> Cow<'static, str> {
    match socktype {
        libc::SOCK_STREAM => "SOCK_STREAM".into(),
        libc::SOCK_DGRAM => "SOCK_DGRAM".into(),
        libc::SOCK_RAW => "SOCK_RAW".into(),
        _ => symbols::name_or_number_cow("SOCK_", socktype),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_names_known_beforehand_are_the_table_s() {
        for family in [libc::AF_INET, libc::AF_INET6, libc::AF_UNIX, 12345] {
            assert_eq!(
                family_name(family),
                symbols::name_or_number_cow("AF_", family)
            );
        }
        let types = [
            libc::SOCK_STREAM,
            libc::SOCK_DGRAM,
            libc::SOCK_RAW,
            libc::SOCK_SEQPACKET,
            99,
        ];
        for socktype in types {
            assert_eq!(
                socktype_name(socktype),
                symbols::name_or_number_cow("SOCK_", socktype)
            );
        }
    }
}
