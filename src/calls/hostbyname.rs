//! gethostbyname: the first IPv4 address of each name, made the way CPython makes it.

use std::ffi::{OsStr, OsString};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Record, python_of_first};
use crate::sys::netdb::{self, Hints};
use crate::text::{csource, pyrepr};
use crate::validate;

use super::dnsname;
use super::notes::failure_note;
use super::options::{BatchArgs, ResolverArgs};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct HostByNameArgs {
    /// Host names or numeric IPv4 addresses; `-` reads names from standard input
    #[arg(required_unless_present = "file", value_name = "NAME")]
    pub names: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,

    /// Whole host entries (name, aliases, addresses) via gethostbyname_r, like gethostbyname_ex
    #[arg(long)]
    pub ex: bool,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// `gethostbyname`: the first IPv4 address, as CPython returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostAddress {
    pub query: String,
    pub address: String,
}

impl Record for HostAddress {
    const COLUMNS: &'static [&'static str] = &["query", "address"];
    fn cells(&self) -> Vec<String> {
        vec![self.query.clone(), self.address.clone()]
    }
}

/// The getaddrinfo call CPython's `setipaddr` makes for gethostbyname(name), as C source.
pub fn c_setipaddr(name: &str) -> String {
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
    if validate::is_broadcast(name) {
        return Ok("255.255.255.255".to_string());
    }
    let c_name = netdb::c_string(name)?;
    let entries = netdb::getaddrinfo(Some(&c_name), None, INET)
        .map_err(|err| dnsname::refused_name(Failure::from(err), name, INET.flags))?;
    entries
        .first()
        .map(|entry| netdb::numeric_host(&entry.addr))
        .ok_or_else(|| Failure::not_found("getaddrinfo returned no address"))
}

/// `socket.gethostbyname(name)`.
pub struct HostByName;

impl HostByName {
    fn answer_described(key: Option<&OsStr>, describe: bool) -> Answer<HostAddress> {
        let key = key.unwrap_or_default();
        let query = validate::display(key);
        let result = validate::host(key).and_then(|name| {
            Ok(vec![HostAddress {
                query: query.clone(),
                address: first_ipv4(name)?,
            }])
        });
        if !describe {
            return Answer::new(Some(query), result);
        }
        let mut notes = common_notes(&result);
        if result.is_ok() && !validate::is_broadcast(&query) {
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
            python: format!("socket.gethostbyname({})", pyrepr::host_literal(&query)),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }
}

impl Lookup for HostByName {
    type Record = HostAddress;

    fn answer(&self, key: Option<&OsStr>) -> Answer<HostAddress> {
        HostByName::answer_described(key, true)
    }

    fn answer_bare(&self, key: Option<&OsStr>) -> Answer<HostAddress> {
        HostByName::answer_described(key, false)
    }

    fn python(&self, result: &Result<Vec<HostAddress>, Failure>) -> String {
        python_of_first(result, |r| pyrepr::Py::str(&r.address).to_string())
    }
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
