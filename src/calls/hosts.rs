//! hosts: the whole hosts database through sethostent/gethostent_r/endhostent, line for line as `getent hosts` lists it.

use std::ffi::OsStr;

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Failure, Fatal, Record};
use crate::sys::netdb::{self, HostEntry};

use super::listing::Database;
use super::options::ResolverArgs;
use super::{Input, Lookup, Subcommand};

/// What `hosts --help` says after the options: why Python has no such call, and examples.
pub const AFTER_HELP: &str = "\
Only sources that can list take part (files, not dns): no query leaves the machine.
glibc lists IPv4 entries only (::1 as 127.0.0.1), as `getent hosts` does.
Python's socket module cannot list a database; --explain shows the C loop.

Examples:
  sockscope hosts                     # every address of /etc/hosts, like getent hosts
  sockscope hosts --explain           # the C loop, and why Python has none";

#[derive(Debug, Args)]
pub struct HostsArgs {
    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// One address of a hostent of the walk, with its entry's names: getent prints a line per
/// address, so one record per address keeps the two entry for entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostsEntry {
    pub address: String,
    pub name: String,
    pub aliases: Vec<String>,
}

impl Record for HostsEntry {
    const COLUMNS: &'static [&'static str] = &["address", "name", "aliases"];
    const KEYS: &'static [&'static str] = &[];
    fn cells(&self) -> Vec<String> {
        vec![
            self.address.clone(),
            self.name.clone(),
            self.aliases.join(", "),
        ]
    }
}

/// A line per address, the address as inet_ntop writes it (as getent does: `::1.2.3.4`
/// stays in that form, where Rust would write `::102:304`).
fn lines(entry: HostEntry) -> Vec<HostsEntry> {
    entry
        .addresses
        .iter()
        .map(|ip| HostsEntry {
            address: netdb::ntop(ip),
            name: entry.name.clone(),
            aliases: entry.aliases.clone(),
        })
        .collect()
}

pub const DATABASE: Database = Database {
    stem: "host",
    name: "hosts",
    file: "/etc/hosts",
};

/// The walk of the hosts database.
pub struct Hosts;

impl Lookup for Hosts {
    type Record = HostsEntry;

    fn answer(&self, _key: Option<&OsStr>) -> Answer<HostsEntry> {
        let walked =
            netdb::all_hosts().map(|entries| entries.into_iter().flat_map(lines).collect());
        DATABASE.answer(
            walked,
            DATABASE.c_loop(None),
            "socket.gethostbyname_ex(name) or socket.gethostbyaddr(address)",
            vec![
                "only sources that can list take part: files does, dns cannot (sethostent \
                 reads resolv.conf but no query is sent)"
                    .to_string(),
                "glibc walks hosts as IPv4 entries: ::1 comes back as 127.0.0.1, an \
                 IPv4-mapped address as its IPv4 address, and other IPv6 lines not at all \
                 (getent hosts shows the same)"
                    .to_string(),
            ],
            || "the hosts database has no entries".to_string(),
        )
    }

    fn python(&self, result: &Result<Vec<HostsEntry>, Failure>) -> String {
        DATABASE.python_view(result)
    }
}

impl Subcommand for HostsArgs {
    type Lookup = Hosts;

    fn lookup(&self) -> Result<Hosts, Fatal> {
        Ok(Hosts)
    }

    fn input(&self) -> Input<'_> {
        Input::Keys(vec![None])
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}
