//! protocols: the whole protocols database through setprotoent/getprotoent_r/endprotoent, entry for entry as `getent protocols` lists it.

use std::ffi::OsStr;

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Failure, Fatal, Record};
use crate::sys::netdb::{self, ProtoEntry};

use super::listing::Database;
use super::options::ResolverArgs;
use super::{Input, Lookup, Subcommand};

/// What `protocols --help` says after the options: why Python has no such call, and examples.
pub const AFTER_HELP: &str = "\
Python's socket module cannot list a database; --explain shows the C loop.

Examples:
  sockscope protocols                 # every entry, like getent protocols
  sockscope protocols --json";

#[derive(Debug, Args)]
pub struct ProtocolsArgs {
    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// One protoent of the walk, in getent's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtocolsEntry {
    pub name: String,
    pub number: i32,
    pub aliases: Vec<String>,
}

impl Record for ProtocolsEntry {
    const COLUMNS: &'static [&'static str] = &["name", "number", "aliases"];
    const KEYS: &'static [&'static str] = &[];
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.number.to_string(),
            self.aliases.join(", "),
        ]
    }
}

impl From<ProtoEntry> for ProtocolsEntry {
    fn from(entry: ProtoEntry) -> Self {
        ProtocolsEntry {
            name: entry.name,
            number: entry.number,
            aliases: entry.aliases,
        }
    }
}

pub const DATABASE: Database = Database {
    stem: "proto",
    name: "protocols",
    file: "/etc/protocols",
};

/// The walk of the protocols database.
pub struct Protocols;

impl Lookup for Protocols {
    type Record = ProtocolsEntry;

    fn answer(&self, _key: Option<&OsStr>) -> Answer<ProtocolsEntry> {
        let walked = netdb::all_protocols()
            .map(|entries| entries.into_iter().map(ProtocolsEntry::from).collect());
        DATABASE.answer(
            walked,
            DATABASE.c_loop(None),
            "socket.getprotobyname(name), the number alone",
            Vec::new(),
            || "the protocols database has no entries".to_string(),
        )
    }

    fn python(&self, result: &Result<Vec<ProtocolsEntry>, Failure>) -> String {
        DATABASE.python_view(result)
    }
}

impl Subcommand for ProtocolsArgs {
    type Lookup = Protocols;

    fn lookup(&self) -> Result<Protocols, Fatal> {
        Ok(Protocols)
    }

    fn input(&self) -> Input<'_> {
        Input::Keys(vec![None])
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}
