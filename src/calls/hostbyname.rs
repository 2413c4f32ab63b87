//! gethostbyname: the first IPv4 address of each name, made the way CPython makes it.

use std::ffi::{OsStr, OsString};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Raised, Record, Why, json, python_of_first};
use crate::sys::netdb::{self, Hints};
use crate::text::{csource, pyrepr};
use crate::validate;

use super::dnsname;
use super::notes::{failure_note, idna_note, libc_host};
use super::options::{BatchArgs, ResolverArgs};
use super::pyargs::{self, NOT_CALLED, Word};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct HostByNameArgs {
    /// Host names or numeric IPv4 addresses; `-` reads names from standard input
    #[arg(required_unless_present = "file", value_name = "NAME")]
    pub names: Vec<OsString>,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,

    /// Whole host entries (name, aliases, addresses) via gethostbyname_r, like gethostbyname_ex
    #[arg(long)]
    pub ex: bool,
}

/// `gethostbyname`: the first IPv4 address, as CPython returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostAddress {
    pub query: String,
    /// Kept as the address, written as inet_ntop writes it: no string is made for the JSON
    /// formats, which write it straight into the line.
    #[serde(serialize_with = "json::serialize_ntop")]
    pub address: IpAddr,
}

impl Record for HostAddress {
    const COLUMNS: &'static [&'static str] = &["query", "address"];
    fn cells(&self) -> Vec<String> {
        vec![self.query.clone(), netdb::ntop(&self.address)]
    }
    /// serde_json's bytes for the record, with the keys as constants (an address as text has
    /// nothing JSON escapes).
    fn write_json(&self, out: &mut Vec<u8>) -> bool {
        out.extend_from_slice(br#"{"query":"#);
        json::write_str(out, &self.query);
        out.extend_from_slice(br#","address":"#);
        json::write_ntop(out, &self.address);
        out.push(b'}');
        true
    }
}

/// The getaddrinfo call CPython's `setipaddr` makes for gethostbyname(name), as C source.
pub fn c_setipaddr(name: &str) -> String {
    if name.is_empty() {
        let wildcard = Hints {
            family: libc::AF_INET,
            socktype: libc::SOCK_DGRAM,
            protocol: 0,
            flags: libc::AI_PASSIVE,
        };
        return csource::c_getaddrinfo(None, Some("0"), wildcard);
    }
    if validate::is_broadcast(name) {
        return "(no call: CPython answers <broadcast> itself, and so does sockscope)".to_string();
    }
    csource::c_getaddrinfo(Some(name), None, INET)
}

/// CPython asks for IPv4 only.
const INET: Hints = Hints {
    family: libc::AF_INET,
    socktype: 0,
    protocol: 0,
    flags: 0,
};

/// The notes every gethostbyname-style call starts with.
pub fn common_notes<R>(result: &Result<Vec<R>, Failure>) -> Vec<String> {
    match result {
        Ok(_) => vec![
            "IPv4 only: CPython asks getaddrinfo for AF_INET, so ::1 and other IPv6 \
             addresses are never seen; use getaddrinfo for those"
                .to_string(),
        ],
        Err(failure) => failure_note(failure).into_iter().collect(),
    }
}

/// CPython's `setipaddr(name, AF_INET)`: the first IPv4 address getaddrinfo gives, with the
/// `<broadcast>` spelling special-cased as CPython does.
pub fn first_ipv4(name: &str) -> Result<String, Failure> {
    setipaddr(name, libc::AF_INET).map(|ip| netdb::ntop(&ip))
}

/// CPython's `setipaddr(name, af)`, which gethostbyname, gethostbyname_ex and gethostbyaddr
/// start with: an empty name is the wildcard address (getaddrinfo(NULL, "0", AI_PASSIVE)),
/// `<broadcast>` is INADDR_BROADCAST without a call, a numeric address is parsed (inet_pton),
/// and anything else is the first address getaddrinfo gives for the family.
pub fn setipaddr(name: &str, family: i32) -> Result<IpAddr, Failure> {
    if name.is_empty() {
        let wildcard = Hints {
            family,
            socktype: libc::SOCK_DGRAM,
            protocol: 0,
            flags: libc::AI_PASSIVE,
        };
        let entries = netdb::getaddrinfo(None, Some(c"0"), wildcard)?;
        return match entries.as_slice() {
            [only] => Ok(only.addr.ip()),
            [] => Err(Failure::not_found("getaddrinfo returned no address")),
            [_, _, ..] => Err(Failure::raised(Raised::ManyWildcards)),
        };
    }
    if validate::is_broadcast(name) {
        return Ok(Ipv4Addr::BROADCAST.into());
    }
    if family != libc::AF_INET6
        && let Ok(v4) = name.parse::<Ipv4Addr>()
    {
        return Ok(v4.into());
    }
    // A scoped address goes to getaddrinfo, which knows interface names.
    if family != libc::AF_INET
        && !name.contains('%')
        && let Ok(v6) = name.parse::<Ipv6Addr>()
    {
        return Ok(v6.into());
    }
    let hints = Hints {
        family,
        ..Hints::default()
    };
    let c_name = netdb::c_key(name)?;
    let mut entries = netdb::getaddrinfo_list(Some(&c_name), None, hints).map_err(|err| {
        // An IPv6 literal asked for AF_INET is no name at all: say so rather than "no address
        // of this family".
        let ipv6 = name.split('%').next().unwrap_or(name);
        if family == libc::AF_INET && ipv6.parse::<Ipv6Addr>().is_ok() {
            let why = Why::NumericOtherFamily {
                given: libc::AF_INET6,
                asked: libc::AF_INET,
            };
            return Failure::explained(err, why);
        }
        dnsname::refused_name(Failure::from(err), name, 0)
    })?;
    entries
        .next()
        .map(|entry| entry.addr.ip())
        .ok_or_else(|| Failure::not_found("getaddrinfo returned no address"))
}

/// The notes on an empty name, which only Python's call passes on: what glibc made of it.
pub fn empty_name_note(name: &str) -> Option<String> {
    name.is_empty().then(|| {
        "an empty name: CPython asks getaddrinfo(NULL, \"0\", {AI_PASSIVE, SOCK_DGRAM}) for the \
         wildcard address instead, which glibc answers without any lookup"
            .to_string()
    })
}

/// What gethostbyname's answer shows.
fn notes(query: &str, result: &Result<Vec<HostAddress>, Failure>) -> Vec<String> {
    let mut notes = common_notes(result);
    if let Some(note) = empty_name_note(query) {
        notes.push(note);
    } else if result.is_ok() && !validate::is_broadcast(query) {
        // A dotted quad is what inet_pton accepts; CPython tries that before any lookup.
        notes.push(if query.parse::<Ipv4Addr>().is_ok() {
            "a numeric IPv4 address: CPython parses it with inet_pton and asks no resolver; \
             getaddrinfo gives the same answer"
                .to_string()
        } else {
            "the first address of getaddrinfo's list, as CPython takes it".to_string()
        });
    }
    notes
}

/// `socket.gethostbyname(name)`.
pub struct HostByName;

impl Lookup for HostByName {
    type Record = HostAddress;

    fn answer(&self, key: Option<&OsStr>) -> Answer<HostAddress> {
        answer_described(key, true)
    }

    fn answer_bare(&self, key: Option<&OsStr>) -> Answer<HostAddress> {
        answer_described(key, false)
    }

    /// Python's call: the name must be a str; an empty one is the wildcard address.
    fn answer_python(&self, key: Option<&OsStr>) -> Answer<HostAddress> {
        let query = validate::display(key.unwrap_or_default());
        let name = pyargs::word(&query);
        let host = name.as_host("gethostbyname");
        let result = host.clone().and_then(|text| {
            Ok(vec![HostAddress {
                query: query.clone(),
                address: setipaddr(&text, libc::AF_INET)?,
            }])
        });
        let mut notes: Vec<String> = match &name {
            Word::Str(text) => idna_note(text).into_iter().collect(),
            _ => Vec::new(),
        };
        notes.extend(self::notes(&query, &result));
        let c = match &host {
            Ok(text) => c_setipaddr(text),
            Err(_) => NOT_CALLED.to_string(),
        };
        let call = Call {
            c,
            python: format!("socket.gethostbyname({})", name.host_literal()),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    fn python(&self, result: &Result<Vec<HostAddress>, Failure>) -> String {
        python_of_first(result, |r| {
            pyrepr::Py::str(netdb::ntop(&r.address)).to_string()
        })
    }
}

/// gethostbyname as sockscope asks it, with the call behind it only when `describe` asks: the
/// C source, Python line and notes cost more than the lookup in a batch.
fn answer_described(key: Option<&OsStr>, describe: bool) -> Answer<HostAddress> {
    let key = key.unwrap_or_default();
    let query = validate::display(key);
    let result = validate::host(key).and_then(|name| {
        Ok(vec![HostAddress {
            query: query.clone(),
            address: setipaddr(&name, libc::AF_INET)?,
        }])
    });
    if !describe {
        return Answer::new(Some(query), result);
    }
    let mut notes: Vec<String> = idna_note(&query).into_iter().collect();
    notes.extend(self::notes(&query, &result));
    let call = Call {
        c: c_setipaddr(&libc_host(&query)),
        python: format!(
            "socket.gethostbyname({})",
            pyargs::plain(&query).host_literal()
        ),
        notes,
    };
    Answer::new(Some(query), result).with_call(call)
}

impl Subcommand for HostByNameArgs {
    type Lookup = HostByName;

    fn lookup(&self) -> Result<HostByName, Fatal> {
        Ok(HostByName)
    }

    fn input(&self) -> Input<'_> {
        Input::Batch {
            keys: &self.names,
            batch: &self.batch,
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn the_record_is_serde_json_s_bytes(query in any::<String>(), address in any::<IpAddr>()) {
            let record = HostAddress { query, address };
            let mut ours = Vec::new();
            prop_assert!(record.write_json(&mut ours));
            prop_assert_eq!(ours, serde_json::to_vec(&record).unwrap_or_default());
        }
    }
}
