//! gethostbyname_ex: the whole host entry of each name, resolved first the way CPython does.

use std::ffi::OsStr;

use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Record, python_of_first};
use crate::sys::SysError;
use crate::sys::netdb;
use crate::text::csource;
use crate::text::pyrepr::Py;
use crate::validate;

use super::hostbyname::{HostByNameArgs, c_setipaddr, common_notes, empty_name_note, first_ipv4};
use super::notes::{idna_note, libc_host};
use super::options::ResolverArgs;
use super::pyargs::{self, NOT_CALLED, Word};
use super::{Input, Lookup, Subcommand};

/// `gethostbyname_ex` / `gethostbyaddr`: the whole hostent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostEntry {
    pub query: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub addresses: Vec<String>,
}

impl Record for HostEntry {
    const COLUMNS: &'static [&'static str] = &["query", "name", "aliases", "addresses"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.name.clone(),
            self.aliases.join(", "),
            self.addresses.join(", "),
        ]
    }
}

impl HostEntry {
    pub fn new(query: &str, entry: netdb::HostEntry) -> Self {
        HostEntry {
            query: query.to_string(),
            name: entry.name,
            aliases: entry.aliases,
            addresses: entry.addresses.iter().map(netdb::ntop).collect(),
        }
    }
}

/// `(name, aliaslist, addresslist)`, as gethostbyname_ex and gethostbyaddr return it.
pub fn python_entry(result: &Result<Vec<HostEntry>, Failure>) -> String {
    python_of_first(result, |first| {
        Py::Tuple(vec![
            Py::str(&first.name),
            Py::strs(&first.aliases),
            Py::strs(&first.addresses),
        ])
        .to_string()
    })
}

/// A failed gethostby*_r call as CPython reports it: with the thread's global h_errno, which
/// it reads instead of the call's own `h_errnop` (the two differ for a name nss_dns refuses).
/// The caller clears h_errno first, as it is in a Python process fresh from its start.
pub fn as_python_sees(error: SysError) -> SysError {
    match error {
        SysError::Herrno(_) => SysError::Herrno(netdb::h_errno()),
        other => other,
    }
}

/// What gethostbyname_ex's answer shows.
fn notes(query: &str, result: &Result<Vec<HostEntry>, Failure>) -> Vec<String> {
    let mut notes = common_notes(result);
    if let Ok([entry]) = result.as_deref() {
        notes.push(format!(
            "aliases are the other names of the entry ({} here), addresses every IPv4 \
             address ({})",
            entry.aliases.len(),
            entry.addresses.len()
        ));
    }
    if let Some(note) = empty_name_note(query) {
        notes.push(note);
        notes.push(
            "gethostbyname_r(\"\") then finds no entry: glibc sets h_errno NO_RECOVERY, which \
             Python raises as socket.herror"
                .to_string(),
        );
    }
    notes
}

/// The hostbyname subcommand with `--ex`.
pub struct Ex<'a>(pub &'a HostByNameArgs);

/// `socket.gethostbyname_ex(name)`: like CPython, resolve with getaddrinfo first (so a missing
/// name fails with the same EAI code), then read the whole entry with gethostbyname_r.
pub struct HostByNameEx;

impl Lookup for HostByNameEx {
    type Record = HostEntry;

    fn answer(&self, key: Option<&OsStr>) -> Answer<HostEntry> {
        let key = key.unwrap_or_default();
        let query = validate::display(key);
        let result = validate::host(key).and_then(|name| {
            first_ipv4(&name)?;
            let entry = netdb::gethostbyname_r(&netdb::c_string(&name)?)?;
            Ok(vec![HostEntry::new(&query, entry)])
        });
        let name = libc_host(&query);
        let mut notes: Vec<String> = idna_note(&query).into_iter().collect();
        notes.extend(self::notes(&query, &result));
        let call = Call {
            c: format!(
                "{}; gethostbyname_r({}, &ret, buf, 16384, &result, &h_errno)",
                c_setipaddr(&name),
                csource::c_str(Some(&name))
            ),
            python: format!(
                "socket.gethostbyname_ex({})",
                pyargs::plain(&query).host_literal()
            ),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// Python's call: setipaddr first (an empty name is the wildcard), then gethostbyname_r
    /// with the very name, whose entry must be IPv4.
    fn answer_python(&self, key: Option<&OsStr>) -> Answer<HostEntry> {
        let query = validate::display(key.unwrap_or_default());
        let name = pyargs::word(&query);
        netdb::clear_h_errno();
        let host = name.as_host("gethostbyname_ex");
        let result = host.clone().and_then(|text| {
            first_ipv4(&text)?;
            let entry = netdb::gethostbyname_r(&netdb::c_string(&text)?).map_err(as_python_sees)?;
            if entry.family != libc::AF_INET {
                return Err(Failure::from(SysError::Errno(libc::EAFNOSUPPORT)));
            }
            Ok(vec![HostEntry::new(&query, entry)])
        });
        let mut notes: Vec<String> = match &name {
            Word::Str(text) => idna_note(text).into_iter().collect(),
            _ => Vec::new(),
        };
        notes.extend(self::notes(&query, &result));
        let c = match &host {
            Ok(text) => format!(
                "{}; gethostbyname_r({}, &ret, buf, 16384, &result, &h_errno)",
                c_setipaddr(text),
                csource::c_str(Some(text))
            ),
            Err(_) => NOT_CALLED.to_string(),
        };
        let call = Call {
            c,
            python: format!("socket.gethostbyname_ex({})", name.host_literal()),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    fn python(&self, result: &Result<Vec<HostEntry>, Failure>) -> String {
        python_entry(result)
    }
}

impl Subcommand for Ex<'_> {
    type Lookup = HostByNameEx;

    fn lookup(&self) -> Result<HostByNameEx, Fatal> {
        Ok(HostByNameEx)
    }

    fn input(&self) -> Input<'_> {
        Input::Batch {
            keys: &self.0.names,
            batch: &self.0.batch,
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.0.resolver)
    }
}
