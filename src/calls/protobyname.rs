//! getprotobyname: the whole protocols-database entry for each name, like socket.getprotobyname(name).

use std::ffi::{OsStr, OsString};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Outcome, Record, python_of_first};
use crate::parse::Protocol;
use crate::sys::netdb::{self, ProtoEntry};
use crate::text::csource;
use crate::text::pyrepr::Py;
use crate::validate;

use super::notes::failure_note;
use super::options::{BatchArgs, ResolverArgs};
use super::pyargs::{self, NOT_CALLED, Word};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct ProtoArgs {
    /// Protocol names or aliases from the protocols database (tcp, udp, ICMP, ...); `-` reads
    /// them from standard input
    #[arg(required_unless_present = "file", value_name = "NAME")]
    pub names: Vec<OsString>,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// `getprotobyname` / `getprotobynumber`: the whole protoent (Python's getprotobyname returns
/// only `number`, and Python has no getprotobynumber).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProtocolEntry {
    pub query: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub number: i32,
}

impl Record for ProtocolEntry {
    const COLUMNS: &'static [&'static str] = &["query", "name", "aliases", "number"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.name.clone(),
            self.aliases.join(", "),
            self.number.to_string(),
        ]
    }
}

impl ProtocolEntry {
    pub fn new(query: &str, entry: ProtoEntry) -> Self {
        ProtocolEntry {
            query: query.to_string(),
            name: entry.name,
            aliases: entry.aliases,
            number: entry.number,
        }
    }
}

/// The `_r` call's trailing arguments as C source; the buffer starts at CPython's 16 KiB.
pub const C_REST: &str = "&ret, buf, 16384, &result";

/// What the C protoent holds beyond what Python returns, or why there was none.
pub fn entry_notes(result: &Result<Vec<ProtocolEntry>, Failure>, what: &str) -> Vec<String> {
    match result {
        Ok(rows) => rows
            .first()
            .map(|p| {
                format!(
                    "the C protoent holds the name {:?}, aliases [{}] and number {}: the first \
                     line of /etc/protocols (or the NSS protocols source) with this {what}",
                    p.name,
                    p.aliases.join(", "),
                    p.number
                )
            })
            .into_iter()
            .collect(),
        Err(f) if f.is_not_found() => vec![format!(
            "no line of /etc/protocols (or the NSS protocols source) has this {what}"
        )],
        Err(f) => failure_note(f).into_iter().collect(),
    }
}

/// The number of a protocol option (`-p`) as typed: a number or IPPROTO_ name as it is, any
/// other name looked up in the protocols database now that the call runs. An unknown name is
/// a usage error worded as the option parser words its own.
pub fn number(protocol: &Protocol) -> Result<i32, Fatal> {
    let name = match protocol {
        Protocol::Number(number) => return Ok(*number),
        Protocol::Name(name) => name,
    };
    netdb::c_string(name)
        .ok()
        .and_then(|c_name| netdb::getprotobyname(&c_name).ok())
        .map(|entry| entry.number)
        .ok_or_else(|| {
            Fatal::new(
                Outcome::Usage,
                format!(
                    "invalid value '{name}' for '--proto <PROTO>': unknown protocol: {name} \
                     (try --help)"
                ),
            )
        })
}

/// What getprotobyname's answer shows.
fn notes(result: &Result<Vec<ProtocolEntry>, Failure>) -> Vec<String> {
    let mut notes = entry_notes(result, "name or alias");
    match result {
        Ok(_) => notes.insert(0, "Python returns only the number".to_string()),
        Err(f) if f.is_not_found() => {
            notes.push("Python raises a plain OSError(\"protocol not found\")".to_string());
        }
        Err(_) => {}
    }
    notes
}

/// `socket.getprotobyname(name)`, returning the whole entry (Python keeps only the number).
pub struct ProtoByName;

impl Lookup for ProtoByName {
    type Record = ProtocolEntry;

    fn answer(&self, key: Option<&OsStr>) -> Answer<ProtocolEntry> {
        let key = key.unwrap_or_default();
        let query = validate::display(key);
        let result = validate::text(key, "protocol name").and_then(|name| {
            let entry = netdb::getprotobyname(&netdb::c_string(name)?)?;
            Ok(vec![ProtocolEntry::new(&query, entry)])
        });
        let notes = notes(&result);
        let call = Call {
            c: format!(
                "getprotobyname_r({}, {C_REST})",
                csource::c_str(Some(&query))
            ),
            // CPython takes the name as str ("s" format) and passes its UTF-8 bytes, as
            // sockscope does.
            python: format!("socket.getprotobyname({})", pyargs::plain(&query).literal()),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// Python's call: the name must be a str, and even an empty one is looked up.
    fn answer_python(&self, key: Option<&OsStr>) -> Answer<ProtocolEntry> {
        let query = validate::display(key.unwrap_or_default());
        let name = pyargs::word(&query);
        let result = name.as_str("getprotobyname", 1).and_then(|text| {
            let entry = netdb::getprotobyname(&netdb::c_string(text)?)?;
            Ok(vec![ProtocolEntry::new(&query, entry)])
        });
        let c = match &name {
            Word::Str(text) => {
                format!("getprotobyname_r({}, {C_REST})", csource::c_str(Some(text)))
            }
            Word::Int(_) | Word::Bytes(_) => NOT_CALLED.to_string(),
        };
        let call = Call {
            c,
            python: format!("socket.getprotobyname({})", name.literal()),
            notes: notes(&result),
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// getprotobyname returns the number.
    fn python(&self, result: &Result<Vec<ProtocolEntry>, Failure>) -> String {
        python_of_first(result, |p| Py::Int(i64::from(p.number)).to_string())
    }
}

impl Subcommand for ProtoArgs {
    type Lookup = ProtoByName;

    fn lookup(&self) -> Result<ProtoByName, Fatal> {
        Ok(ProtoByName)
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
    use super::*;

    #[test]
    fn protocol_options_resolve_by_name_and_number() {
        assert_eq!(number(&Protocol::Number(17)).ok(), Some(libc::IPPROTO_UDP));
        assert_eq!(
            number(&Protocol::Name("tcp".to_string())).ok(),
            Some(libc::IPPROTO_TCP)
        );
        let err = number(&Protocol::Name("nosuchproto".to_string())).unwrap_err();
        assert_eq!(err.outcome, Outcome::Usage);
        assert!(err.message.contains("unknown protocol: nosuchproto"));
    }
}
