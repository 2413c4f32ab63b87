//! gethostbyname_ex: the whole host entry of each name, resolved first the way CPython does.

use std::ffi::OsStr;

use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Record, python_of_first};
use crate::sys::netdb;
use crate::text::csource;
use crate::text::pyrepr::{self, Py};
use crate::validate;

use super::hostbyname::{HostByNameArgs, c_setipaddr, common_notes, first_ipv4};
use super::notes::{idna_note, libc_host};
use super::options::ResolverArgs;
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
            addresses: entry.addresses.iter().map(ToString::to_string).collect(),
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
        notes.extend(common_notes(&result));
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
                c_setipaddr(&name),
                csource::c_str(Some(&name))
            ),
            python: format!("socket.gethostbyname_ex({})", pyrepr::host_literal(&query)),
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
