//! gethostbyaddr the way CPython makes it: resolve the key to one address, then read its hosts entry.

use std::ffi::{OsStr, OsString};
use std::net::IpAddr;

use clap::Args;

use crate::model::{Answer, Call, Failure, Fatal, Why};
use crate::sys::SysError;
use crate::sys::error::{HOST_NOT_FOUND, NO_DATA};
use crate::sys::netdb::{self, Hints};
use crate::text::csource;
use crate::validate;

use super::hostbyname::setipaddr;
use super::hostbyname_ex::{self, HostEntry, python_entry};
use super::notes::{failure_note, idna_note, libc_host};
use super::options::{BatchArgs, ResolverArgs};
use super::pyargs::{self, NOT_CALLED};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct HostByAddrArgs {
    /// IPv4 or IPv6 addresses (or host names, which are resolved first, as Python does);
    /// `-` reads them from standard input
    #[arg(required_unless_present = "file", value_name = "ADDRESS")]
    pub addresses: Vec<OsString>,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// `socket.gethostbyaddr(address)`.
pub struct HostByAddr;

impl Lookup for HostByAddr {
    type Record = HostEntry;

    fn answer(&self, key: Option<&OsStr>) -> Answer<HostEntry> {
        lookup(key.unwrap_or_default())
    }

    fn answer_python(&self, key: Option<&OsStr>) -> Answer<HostEntry> {
        lookup_python(key.unwrap_or_default())
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

/// How CPython's `setipaddr` gets from the key to an address, for the C line and the notes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    /// An empty key: the wildcard address, from getaddrinfo(NULL, "0", AI_PASSIVE).
    Wildcard,
    /// `<broadcast>` or `255.255.255.255`: no call at all.
    Broadcast,
    /// A plain dotted quad or IPv6 address: inet_pton, no resolver.
    Pton,
    /// Anything else: getaddrinfo, which parses other numeric spellings (`127.1`,
    /// `fe80::1%lo`) itself and looks names up in /etc/hosts and DNS.
    Lookup,
}

/// A key that reads as a numeric address to getaddrinfo's eye: dotted digits, or a colon.
fn looks_numeric(key: &str) -> bool {
    key.contains(':')
        || key
            .bytes()
            .all(|b| b.is_ascii_hexdigit() || b == b'.' || b == b'x')
}

fn step(name: &str) -> Step {
    if name.is_empty() {
        Step::Wildcard
    } else if validate::is_broadcast(name) {
        Step::Broadcast
    } else if !name.contains('%') && name.parse::<IpAddr>().is_ok() {
        Step::Pton
    } else {
        Step::Lookup
    }
}

/// The first C call, the one that turns the key into an address, as C source.
fn c_setipaddr(name: &str) -> String {
    match step(name) {
        Step::Wildcard => {
            let wildcard = Hints {
                socktype: libc::SOCK_DGRAM,
                flags: libc::AI_PASSIVE,
                ..Hints::default()
            };
            csource::c_getaddrinfo(None, Some("0"), wildcard)
        }
        Step::Broadcast => "(no call: CPython takes <broadcast> as INADDR_BROADCAST)".to_string(),
        Step::Pton => {
            let family = if name.contains(':') {
                "AF_INET6"
            } else {
                "AF_INET"
            };
            format!("inet_pton({family}, {}, &addr)", csource::c_str(Some(name)))
        }
        Step::Lookup => csource::c_getaddrinfo(Some(name), None, Hints::default()),
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

/// `socket.gethostbyaddr(address)` for one key, as sockscope asks it (no empty key).
fn lookup(key: &OsStr) -> Answer<HostEntry> {
    let query = validate::display(key);
    let ip = validate::host(key).and_then(|name| setipaddr(&name, libc::AF_UNSPEC));
    let python = format!(
        "socket.gethostbyaddr({})",
        pyargs::plain(&query).host_literal()
    );
    let host = Some(libc_host(&query));
    let mut answer = answer(query.clone(), host.as_deref(), ip, python, |error| error);
    prepend_idna_note(&mut answer, &query);
    answer
}

/// `socket.gethostbyaddr(address)` as Python calls it: the key must be a str, and an empty
/// one is the wildcard address.
fn lookup_python(key: &OsStr) -> Answer<HostEntry> {
    let query = validate::display(key);
    let word = pyargs::word(&query);
    netdb::clear_h_errno();
    let host = word.as_host("gethostbyaddr");
    let ip = host
        .clone()
        .and_then(|name| setipaddr(&name, libc::AF_UNSPEC));
    let python = format!("socket.gethostbyaddr({})", word.host_literal());
    let mut answer = answer(
        query,
        host.ok().as_deref(),
        ip,
        python,
        hostbyname_ex::as_python_sees,
    );
    if let pyargs::Word::Str(text) = &word {
        prepend_idna_note(&mut answer, text);
    }
    answer
}

/// The note that Python's idna codec changed the host, first among the notes.
fn prepend_idna_note(answer: &mut Answer<HostEntry>, typed: &str) {
    if let (Some(call), Some(note)) = (answer.call.as_mut(), idna_note(typed)) {
        call.notes.insert(0, note);
    }
}

/// The reverse lookup of the address setipaddr found, and the call behind it.
/// `host` is the text setipaddr was given, None where Python raised before.
fn answer(
    query: String,
    host: Option<&str>,
    ip: Result<IpAddr, Failure>,
    python: String,
    herror: fn(SysError) -> SysError,
) -> Answer<HostEntry> {
    let result = ip.clone().and_then(|ip| {
        let entry = netdb::gethostbyaddr_r(ip).map_err(|error| no_ptr(herror(error)))?;
        same_family(ip, entry.family)?;
        Ok(vec![HostEntry::new(&query, entry)])
    });
    let Some(host) = host else {
        let call = Call {
            c: NOT_CALLED.to_string(),
            python,
            notes: notes(&query, None, &result),
        };
        return Answer::new(Some(query), result).with_call(call);
    };
    let mut c = c_setipaddr(host);
    if let Ok(ip) = &ip {
        c.push_str("; ");
        c.push_str(&c_gethostbyaddr(*ip));
    }
    let call = Call {
        c,
        python,
        notes: notes(host, ip.ok(), &result),
    };
    Answer::new(Some(query), result).with_call(call)
}

fn notes(query: &str, ip: Option<IpAddr>, result: &Result<Vec<HostEntry>, Failure>) -> Vec<String> {
    let mut notes = Vec::new();
    match (step(query), ip) {
        (Step::Lookup, Some(ip)) if looks_numeric(query) => notes.push(format!(
            "{query} is {ip} to getaddrinfo, which parses numeric spellings inet_pton refuses \
             (no name is looked up)"
        )),
        (Step::Lookup, Some(ip)) => notes.push(format!(
            "a host name is resolved first: CPython looks up the first address getaddrinfo \
             gives ({ip}), so this is a forward then a reverse lookup"
        )),
        (Step::Wildcard, Some(ip)) => notes.push(format!(
            "an empty key: CPython asks getaddrinfo for the wildcard address ({ip}) and looks \
             that up"
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
        Err(f) => notes.extend(failure_note(f)),
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

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
    fn setipaddr_takes_numeric_spellings() {
        assert_eq!(
            setipaddr("<broadcast>", libc::AF_UNSPEC),
            Ok(Ipv4Addr::BROADCAST.into())
        );
        assert_eq!(
            setipaddr("127.1", libc::AF_UNSPEC),
            Ok(Ipv4Addr::LOCALHOST.into())
        );
        assert_eq!(
            setipaddr("::1", libc::AF_UNSPEC),
            Ok(std::net::Ipv6Addr::LOCALHOST.into())
        );
        assert_eq!(step("fe80::1%lo"), Step::Lookup);
        assert_eq!(step(""), Step::Wildcard);
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
