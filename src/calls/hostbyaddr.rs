//! gethostbyaddr the way CPython makes it: resolve the key to one address, then read its hosts entry.

use std::ffi::{OsStr, OsString};
use std::net::{IpAddr, Ipv4Addr};

use clap::Args;

use crate::model::{Answer, Call, Cause, Failure, Fatal, Why};
use crate::sys::SysError;
use crate::sys::error::{HOST_NOT_FOUND, NO_DATA};
use crate::sys::netdb::{self, Hints};
use crate::text::{csource, pyrepr};
use crate::validate;

use super::hostbyname_ex::{HostEntry, python_entry};
use super::nameinfo;
use super::notes::{failure_note, idna_note, libc_host};
use super::options::{BatchArgs, ResolverArgs};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct HostByAddrArgs {
    /// IPv4 or IPv6 addresses (or host names, which are resolved first, as Python does);
    /// `-` reads them from standard input
    #[arg(required_unless_present = "file", value_name = "ADDRESS")]
    pub addresses: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// `socket.gethostbyaddr(address)`.
pub struct HostByAddr;

impl Lookup for HostByAddr {
    type Record = HostEntry;

    fn answer(&self, key: Option<&OsStr>) -> Answer<HostEntry> {
        lookup(key.unwrap_or_default())
    }

    fn python(&self, result: &Result<Vec<HostEntry>, Failure>) -> String {
        python_entry(result)
    }
}

impl Subcommand for HostByAddrArgs {
    type Lookup = HostByAddr;

    fn lookup(&self) -> Result<HostByAddr, Fatal> {
        Ok(HostByAddr)
    }

    fn input(&self) -> Input<'_> {
        Input::Batch {
            keys: &self.addresses,
            batch: &self.batch,
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}

/// A key that can only be meant as a numeric address: dotted digits or anything with a colon.
/// No DNS name is all digits (top-level domains are not numeric), so such a key that is not a
/// valid address is a typo, reported as bad input instead of being sent to the resolver.
fn looks_numeric(key: &str) -> bool {
    key.contains(':') || key.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}

/// How CPython's `setipaddr` gets from the key to an address, for the C line and the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// `<broadcast>` or `255.255.255.255`: no call at all.
    Broadcast,
    /// A plain dotted quad or IPv6 address: inet_pton, no resolver.
    Pton,
    /// Another numeric spelling (`127.1`, `fe80::1%lo`): getaddrinfo with AI_NUMERICHOST.
    Numeric,
    /// A host name: getaddrinfo, which may ask /etc/hosts and DNS.
    Name,
}

fn step(name: &str) -> Step {
    if validate::is_broadcast(name) {
        Step::Broadcast
    } else if name.parse::<IpAddr>().is_ok() {
        Step::Pton
    } else if looks_numeric(name) {
        Step::Numeric
    } else {
        Step::Name
    }
}

/// CPython's `setipaddr(name, AF_UNSPEC)`: the broadcast spellings, then inet_pton for IPv4 and
/// IPv6, then the first address getaddrinfo gives (which also takes host names).
fn setipaddr(name: &str) -> Result<IpAddr, Failure> {
    match step(name) {
        Step::Broadcast => Ok(Ipv4Addr::BROADCAST.into()),
        Step::Pton => name.parse::<IpAddr>().map_err(|_| Failure::not_numeric()),
        // `127.1` (inet_aton) and `fe80::1%lo` (a zone) are numeric to glibc but not to inet_pton.
        Step::Numeric => nameinfo::numeric(name, 0).map(|addr| addr.ip()),
        Step::Name => {
            let c_name = netdb::c_string(name)?;
            let entries = netdb::getaddrinfo(Some(&c_name), None, Hints::default())?;
            entries
                .first()
                .map(|entry| entry.addr.ip())
                .ok_or_else(|| Failure::not_found("getaddrinfo returned no address"))
        }
    }
}

/// The first C call, the one that turns the key into an address, as C source.
fn c_setipaddr(name: &str) -> String {
    match step(name) {
        Step::Broadcast => "(no call: CPython takes <broadcast> as INADDR_BROADCAST)".to_string(),
        Step::Pton => {
            let family = if name.contains(':') {
                "AF_INET6"
            } else {
                "AF_INET"
            };
            format!("inet_pton({family}, {}, &addr)", csource::c_str(Some(name)))
        }
        Step::Numeric => csource::c_getaddrinfo(Some(name), Some("0"), nameinfo::NUMERIC_HINTS),
        Step::Name => csource::c_getaddrinfo(Some(name), None, Hints::default()),
    }
}

/// gethostbyaddr_r's call as C source: the address in its in_addr, its size and family.
fn c_gethostbyaddr(ip: IpAddr) -> String {
    let (kind, size, family) = match ip {
        IpAddr::V4(_) => ("in_addr", 4, "AF_INET"),
        IpAddr::V6(_) => ("in6_addr", 16, "AF_INET6"),
    };
    format!(
        "gethostbyaddr_r(&({kind}){{{ip}}}, {size}, {family}, &ret, buf, 16384, &result, &h_errno)"
    )
}

/// CPython's `gethost_common` refuses an entry of another family than the address asked about,
/// with OSError EAFNOSUPPORT: glibc's DNS module answers an IPv4-mapped IPv6 address
/// (`::ffff:192.0.2.1`) with the IPv4 address's entry, so Python never shows that answer.
fn same_family(ip: IpAddr, family: libc::c_int) -> Result<(), Failure> {
    let asked = match ip {
        IpAddr::V4(_) => libc::AF_INET,
        IpAddr::V6(_) => libc::AF_INET6,
    };
    if family == asked {
        return Ok(());
    }
    Err(Failure::explained(
        SysError::Errno(libc::EAFNOSUPPORT),
        Why::WrongFamily {
            answered: family,
            asked,
        },
    ))
}

/// NO_DATA's shared words ("no address of this family") fit a forward lookup; here the reverse
/// name exists and what it lacks is a PTR record.
fn no_ptr(error: SysError) -> Failure {
    if error == SysError::Herrno(NO_DATA) {
        Failure::explained(error, Why::NoPtr)
    } else {
        Failure::from(error)
    }
}

/// `socket.gethostbyaddr(address)` for one key.
fn lookup(key: &OsStr) -> Answer<HostEntry> {
    let query = validate::display(key);
    let ip = validate::host(key).and_then(|name| setipaddr(&name));
    let result = ip.clone().and_then(|ip| {
        let entry = netdb::gethostbyaddr_r(ip).map_err(no_ptr)?;
        same_family(ip, entry.family)?;
        Ok(vec![HostEntry::new(&query, entry)])
    });
    let name = libc_host(&query);
    let mut c = c_setipaddr(&name);
    if let Ok(ip) = &ip {
        c.push_str("; ");
        c.push_str(&c_gethostbyaddr(*ip));
    }
    let call = Call {
        c,
        python: format!("socket.gethostbyaddr({})", pyrepr::host_literal(&query)),
        notes: idna_note(&query)
            .into_iter()
            .chain(notes(&name, ip.ok(), &result))
            .collect(),
    };
    Answer::new(Some(query), result).with_call(call)
}

fn notes(query: &str, ip: Option<IpAddr>, result: &Result<Vec<HostEntry>, Failure>) -> Vec<String> {
    let mut notes = Vec::new();
    match (step(query), ip) {
        (Step::Name, Some(ip)) => notes.push(format!(
            "a host name is resolved first: CPython looks up the first address getaddrinfo \
             gives ({ip}), so this is a forward then a reverse lookup"
        )),
        (Step::Numeric, Some(ip)) => notes.push(format!(
            "{query} is {ip} to getaddrinfo (inet_pton alone would refuse this spelling)"
        )),
        (Step::Pton, _) => notes.push(
            "a numeric address: CPython parses it with inet_pton (sockscope with Rust's parser, \
             which takes the same spellings), without asking any resolver"
                .to_string(),
        ),
        _ => {}
    }
    match result {
        Ok(_) => notes.push(
            "the name and aliases come from /etc/hosts or DNS (a PTR record), as \
             /etc/nsswitch.conf says; Python returns (name, aliases, addresses)"
                .to_string(),
        ),
        Err(f) if f.is_herrno(HOST_NOT_FOUND) => {
            if let Some(ip) = ip {
                notes.push(format!(
                    "neither /etc/hosts nor DNS has a name for {ip}: h_errno HOST_NOT_FOUND, \
                     which Python raises as socket.herror"
                ));
            }
        }
        Err(Failure {
            cause: Cause::NotNumeric,
        }) => notes.push(
            "getaddrinfo with AI_NUMERICHOST refused this spelling: it looks numeric but is no \
             address. Python would send it on to the resolver as a name (a DNS query); \
             sockscope calls it bad input"
                .to_string(),
        ),
        Err(f) => notes.extend(failure_note(f)),
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_data_names_the_missing_ptr_record_and_nothing_else_changes() {
        let no_data = no_ptr(SysError::Herrno(NO_DATA));
        assert_eq!(no_data.code(), "NO_DATA");
        assert_eq!(
            no_data.message(),
            "the address's reverse name exists but has no PTR record"
        );
        let not_found = no_ptr(SysError::Herrno(HOST_NOT_FOUND));
        assert_eq!(not_found, Failure::from(SysError::Herrno(HOST_NOT_FOUND)));
    }

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
        assert_eq!(setipaddr("::1"), Ok(std::net::Ipv6Addr::LOCALHOST.into()));
        assert!(setipaddr("999.1.1.1").unwrap_err().is_invalid());
    }

    #[test]
    fn an_entry_of_another_family_is_refused_like_cpython() {
        let mapped: IpAddr = "::ffff:192.0.2.10".parse().unwrap();
        assert_eq!(same_family(mapped, libc::AF_INET6), Ok(()));
        let refused = same_family(mapped, libc::AF_INET).unwrap_err();
        assert_eq!(refused.code(), "EAFNOSUPPORT");
        assert_eq!(refused.outcome(), crate::model::Outcome::System);
        assert_eq!(
            refused.python_exception(),
            format!(
                "OSError: [Errno {}] Address family not supported by protocol",
                libc::EAFNOSUPPORT
            )
        );
        assert_eq!(
            same_family(Ipv4Addr::LOCALHOST.into(), libc::AF_INET),
            Ok(())
        );
    }
}
