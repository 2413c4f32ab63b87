//! services: the whole services database through setservent/getservent_r/endservent, entry for entry as `getent services` lists it.

use std::ffi::OsStr;

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Failure, Fatal, Record};
use crate::sys::netdb::{self, ServEntry};
use crate::text::csource;

use super::listing::Database;
use super::options::ResolverArgs;
use super::{Input, Lookup, Subcommand};

/// What `services --help` says after the options: why Python has no such call, and examples.
pub const AFTER_HELP: &str = "\
Python's socket module cannot list a database; --explain shows the C loop.

Examples:
  sockscope services                  # every entry, like getent services
  sockscope services -p udp           # only the udp entries
  sockscope services --format jsonl   # one JSON object per entry";

#[derive(Debug, Args)]
pub struct ServicesArgs {
    /// Only the entries of this protocol (compared as getservbyname compares it: exactly)
    #[arg(short, long, value_name = "PROTO")]
    pub proto: Option<String>,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// One servent of the walk, in getent's field order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceEntry {
    pub name: String,
    pub port: u16,
    pub proto: String,
    pub aliases: Vec<String>,
}

impl Record for ServiceEntry {
    const COLUMNS: &'static [&'static str] = &["name", "port", "proto", "aliases"];
    const KEYS: &'static [&'static str] = &[];
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.port.to_string(),
            self.proto.clone(),
            self.aliases.join(", "),
        ]
    }
}

impl From<ServEntry> for ServiceEntry {
    fn from(entry: ServEntry) -> Self {
        ServiceEntry {
            name: entry.name,
            port: entry.port,
            proto: entry.proto,
            aliases: entry.aliases,
        }
    }
}

pub const DATABASE: Database = Database {
    stem: "serv",
    name: "services",
    file: "/etc/services",
};

/// The walk of the services database, keeping one protocol's entries when asked.
pub struct Services {
    pub proto: Option<String>,
}

impl Lookup for Services {
    type Record = ServiceEntry;

    fn answer(&self, _key: Option<&OsStr>) -> Answer<ServiceEntry> {
        let proto = self.proto.as_deref();
        let walked = netdb::all_services().map(|entries| {
            entries
                .into_iter()
                .filter(|entry| proto.is_none_or(|p| entry.proto == p))
                .map(ServiceEntry::from)
                .collect()
        });
        let keep =
            proto.map(|p| format!("strcmp(result->s_proto, {}) == 0", csource::c_str(Some(p))));
        let mut notes =
            vec!["s_port is in network byte order: the port shown is ntohs(s_port)".to_string()];
        if proto.is_some() {
            notes.push(
                "-p keeps the entries whose s_proto is exactly this protocol; getent has no \
                 such option (it lists them all)"
                    .to_string(),
            );
        }
        DATABASE.answer(
            walked,
            DATABASE.c_loop(keep.as_deref()),
            "socket.getservbyname(name, proto) or socket.getservbyport(port, proto), the name \
             or port alone",
            notes,
            || match proto {
                Some(p) => format!("the services database has no entry for protocol {p}"),
                None => "the services database has no entries".to_string(),
            },
        )
    }

    fn python(&self, result: &Result<Vec<ServiceEntry>, Failure>) -> String {
        DATABASE.python_view(result)
    }
}

impl Subcommand for ServicesArgs {
    type Lookup = Services;

    fn lookup(&self) -> Result<Services, Fatal> {
        Ok(Services {
            proto: self.proto.clone(),
        })
    }

    fn input(&self) -> Input<'_> {
        Input::Keys(vec![None])
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}
