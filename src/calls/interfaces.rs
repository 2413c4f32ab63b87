//! if_nameindex, if_nametoindex and if_indextoname: this machine's interfaces, with getifaddrs' flags, MTU and addresses.

use std::ffi::{OsStr, OsString};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Raised, Record, python_of_first};
use crate::sys::SysError;
use crate::sys::ifaddrs::{self, IfAddr};
use crate::sys::inet;
use crate::text::csource;
use crate::text::pyrepr::{Py, str_repr};
use crate::validate;

use super::options::BatchArgs;
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct InterfacesArgs {
    /// Interface names or indexes (all digits) to look up; every interface when none; `-`
    /// reads them from standard input
    #[arg(value_name = "NAME|INDEX")]
    pub keys: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Which call a record answers, for its Python value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Asked {
    /// `if_nameindex()`: the whole list.
    #[default]
    All,
    /// `if_nametoindex(name)`: the index.
    ByName,
    /// `if_indextoname(index)`: the name.
    ByIndex,
}

/// An interface: its index and name, with what getifaddrs says about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Interface {
    pub query: Option<String>,
    pub index: u32,
    pub name: String,
    /// The IFF_ flags set, without the prefix: UP, LOOPBACK, RUNNING, ...
    pub flags: Vec<&'static str>,
    pub mtu: Option<u32>,
    /// Its IPv4 and IPv6 addresses.
    pub addresses: Vec<String>,
    #[serde(skip)]
    asked: Asked,
}

impl Record for Interface {
    const COLUMNS: &'static [&'static str] =
        &["query", "index", "name", "flags", "mtu", "addresses"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone().unwrap_or_default(),
            self.index.to_string(),
            self.name.clone(),
            self.flags.join(","),
            self.mtu.map(|m| m.to_string()).unwrap_or_default(),
            self.addresses.join(", "),
        ]
    }
}

/// The flags `ip link` shows, in bit order.
const FLAGS: &[(libc::c_int, &str)] = &[
    (libc::IFF_UP, "UP"),
    (libc::IFF_BROADCAST, "BROADCAST"),
    (libc::IFF_DEBUG, "DEBUG"),
    (libc::IFF_LOOPBACK, "LOOPBACK"),
    (libc::IFF_POINTOPOINT, "POINTOPOINT"),
    (libc::IFF_NOTRAILERS, "NOTRAILERS"),
    (libc::IFF_RUNNING, "RUNNING"),
    (libc::IFF_NOARP, "NOARP"),
    (libc::IFF_PROMISC, "PROMISC"),
    (libc::IFF_ALLMULTI, "ALLMULTI"),
    (libc::IFF_MASTER, "MASTER"),
    (libc::IFF_SLAVE, "SLAVE"),
    (libc::IFF_MULTICAST, "MULTICAST"),
    (libc::IFF_PORTSEL, "PORTSEL"),
    (libc::IFF_AUTOMEDIA, "AUTOMEDIA"),
    (libc::IFF_DYNAMIC, "DYNAMIC"),
    (libc::IFF_LOWER_UP, "LOWER_UP"),
    (libc::IFF_DORMANT, "DORMANT"),
    (libc::IFF_ECHO, "ECHO"),
];

/// The interface with what getifaddrs lists for its name.
fn interface(
    query: Option<&str>,
    index: u32,
    name: String,
    all: &[IfAddr],
    asked: Asked,
) -> Interface {
    let mine: Vec<&IfAddr> = all.iter().filter(|e| e.name == name).collect();
    let bits = mine.first().map_or(0, |e| e.flags);
    Interface {
        query: query.map(str::to_string),
        index,
        flags: FLAGS
            .iter()
            .filter(|(bit, _)| u32::try_from(*bit).is_ok_and(|b| bits & b != 0))
            .map(|(_, flag)| *flag)
            .collect(),
        mtu: ifaddrs::mtu(&name),
        addresses: mine
            .iter()
            .filter_map(|e| e.address.map(|a| a.to_string()))
            .collect(),
        name,
        asked,
    }
}

/// `socket.if_nameindex()`, `if_nametoindex(name)` or `if_indextoname(index)`.
pub struct Interfaces;

/// What a key asks: an index (all digits, a Python int) or a name.
enum Key<'a> {
    Index(&'a str),
    Name(&'a str),
}

fn key_of(text: &str) -> Key<'_> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        Key::Index(text)
    } else {
        Key::Name(text)
    }
}

/// The digits as Python writes the int (no leading zeros).
fn int_literal(digits: &str) -> &str {
    let trimmed = digits.trim_start_matches('0');
    if trimmed.is_empty() { "0" } else { trimmed }
}

fn all() -> Answer<Interface> {
    let result = ifaddrs::nameindex()
        .map_err(Failure::from)
        .and_then(|list| {
            let entries = ifaddrs::entries()?;
            Ok(list
                .into_iter()
                .map(|(index, name)| interface(None, index, name, &entries, Asked::All))
                .collect())
        });
    let call = Call {
        c: "if_nameindex(); getifaddrs(&list); ioctl(fd, SIOCGIFMTU, &ifr)".to_string(),
        python: "socket.if_nameindex()".to_string(),
        notes: vec![
            "Python returns only (index, name) pairs; flags and addresses come from \
             getifaddrs, the MTU from ioctl SIOCGIFMTU"
                .to_string(),
        ],
    };
    Answer::new(None, result).with_call(call)
}

fn by_index(query: &str, digits: &str) -> (Result<Vec<Interface>, Failure>, Call) {
    let literal = int_literal(digits);
    // CPython reads the index as a C unsigned long, then passes it on as an unsigned int.
    let result = literal
        .parse::<u64>()
        .map_err(|_| Failure::raised(Raised::UnsignedLongOverflow))
        .and_then(|wide| {
            if wide == u64::MAX {
                return Err(Failure::raised(Raised::NullWithoutException {
                    function: "if_indextoname",
                }));
            }
            let index = wide as u32;
            let name = ifaddrs::indextoname(index)?;
            let entries = ifaddrs::entries()?;
            Ok(vec![interface(
                Some(query),
                index,
                name,
                &entries,
                Asked::ByIndex,
            )])
        });
    let mut notes = Vec::new();
    if let Ok(wide) = literal.parse::<u64>()
        && u32::try_from(wide).is_err()
    {
        notes.push(format!(
            "{wide} does not fit if_indextoname's unsigned int: CPython passes it on cut to 32 \
             bits, as {}",
            wide as u32
        ));
    }
    if let Err(f) = &result
        && f.sys() == Some(&SysError::Errno(libc::ENXIO))
    {
        notes.push("ENXIO: no interface has this index".to_string());
    }
    let call = Call {
        c: format!("if_indextoname({literal}, buf)"),
        python: format!("socket.if_indextoname({literal})"),
        notes,
    };
    (result, call)
}

fn by_name(query: &str, name: &str) -> (Result<Vec<Interface>, Failure>, Call) {
    let result = inet::c_text(name)
        .ok_or(Failure::raised(Raised::NulByte))
        .and_then(|c_name| match ifaddrs::nametoindex(&c_name) {
            0 => Err(Failure::from(SysError::NotFound(
                "no interface with this name",
            ))),
            index => {
                let entries = ifaddrs::entries()?;
                Ok(vec![interface(
                    Some(query),
                    index,
                    name.to_string(),
                    &entries,
                    Asked::ByName,
                )])
            }
        });
    let call = Call {
        c: format!("if_nametoindex({})", csource::c_str(Some(name))),
        python: format!("socket.if_nametoindex({})", str_repr(name)),
        notes: Vec::new(),
    };
    (result, call)
}

impl Lookup for Interfaces {
    type Record = Interface;

    fn answer(&self, key: Option<&OsStr>) -> Answer<Interface> {
        let Some(key) = key else {
            return all();
        };
        let query = validate::display(key);
        let (result, call) = match key.to_str() {
            None => (
                Err(Failure::invalid("interface name is not valid UTF-8")),
                Call::default(),
            ),
            Some(text) => match key_of(text) {
                Key::Index(digits) => by_index(&query, digits),
                Key::Name(name) => by_name(&query, name),
            },
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// The list of (index, name) pairs, the index, or the name.
    fn python(&self, result: &Result<Vec<Interface>, Failure>) -> String {
        match result {
            Ok(records) if records.first().is_none_or(|r| r.asked == Asked::All) => Py::List(
                records
                    .iter()
                    .map(|r| Py::Tuple(vec![Py::Int(i64::from(r.index)), Py::str(&r.name)]))
                    .collect(),
            )
            .to_string(),
            _ => python_of_first(result, |r| match r.asked {
                Asked::ByName => Py::Int(i64::from(r.index)).to_string(),
                _ => Py::str(&r.name).to_string(),
            }),
        }
    }
}

impl Subcommand for InterfacesArgs {
    type Lookup = Interfaces;

    fn lookup(&self) -> Result<Interfaces, Fatal> {
        Ok(Interfaces)
    }

    fn input(&self) -> Input<'_> {
        if self.keys.is_empty() && self.batch.file.is_none() {
            return Input::Keys(vec![None]);
        }
        Input::Batch {
            keys: &self.keys,
            batch: &self.batch,
        }
    }
}
