//! getservbyname: the whole `servent` for each `NAME[/PROTO]` key, like socket.getservbyname(name, proto).

use std::ffi::{CString, OsStr, OsString};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Record, python_of_first};
use crate::sys::netdb::{self, ServEntry};
use crate::text::csource;
use crate::text::pyrepr::Py;
use crate::validate;

use super::notes::failure_note;
use super::options::{BatchArgs, ResolverArgs};
use super::pyargs::{self, NOT_CALLED, Word};
use super::{Input, Lookup, Subcommand};

/// Keys and protocol for servbyname / servbyport.
#[derive(Debug, Args)]
pub struct ServArgs {
    /// Service names (servbyname) or port numbers (servbyport), each optionally /PROTO; `-`
    /// reads keys from standard input
    #[arg(
        required_unless_present = "file",
        value_name = "KEY[/PROTO]",
        allow_negative_numbers = true
    )]
    pub keys: Vec<OsString>,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,

    /// Protocol for keys without /PROTO (tcp, udp, ...); any protocol when not given
    #[arg(short, long, value_name = "PROTO")]
    pub proto: Option<String>,
}

/// `getservbyname` / `getservbyport`: the whole servent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub query: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub port: u16,
    pub proto: String,
}

impl Record for Service {
    const COLUMNS: &'static [&'static str] = &["query", "name", "aliases", "port", "proto"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.name.clone(),
            self.aliases.join(", "),
            self.port.to_string(),
            self.proto.clone(),
        ]
    }
}

impl Service {
    pub fn new(query: &str, entry: ServEntry) -> Self {
        Service {
            query: query.to_string(),
            name: entry.name,
            aliases: entry.aliases,
            port: entry.port,
            proto: entry.proto,
        }
    }
}

/// Split `KEY[/PROTO]`; a protocol in the key wins over the `--proto` default.
pub fn split_key<'a>(
    key: &'a str,
    default_proto: Option<&'a str>,
) -> Result<(&'a str, Option<&'a str>), Failure> {
    match key.split_once('/') {
        Some((_, "")) => Err(Failure::invalid(format!(
            "empty protocol after '/' in {key}"
        ))),
        Some(("", _)) => Err(Failure::invalid(format!("nothing before '/' in {key}"))),
        Some((main, proto)) => Ok((main, Some(proto))),
        None => Ok((key, default_proto)),
    }
}

/// `KEY[/PROTO]` as Python's words: split at the first `/`, the protocol from `--proto` when
/// the key has none, each the int or str it stands for.
pub fn py_split(
    key: &str,
    default_proto: Option<&str>,
    read: fn(&str) -> Word,
) -> (Word, Option<Word>) {
    match key.split_once('/') {
        Some((main, proto)) => (read(main), Some(read(proto))),
        None => (read(key), default_proto.map(read)),
    }
}

/// `first, proto` as Python source, the protocol left out when there is none.
pub fn py_words(first: &Word, proto: Option<&Word>) -> String {
    match proto {
        Some(p) => format!("{}, {}", first.literal(), p.literal()),
        None => first.literal(),
    }
}

/// The protocol argument as a C string, or NULL for any protocol.
pub fn c_proto(proto: Option<&str>) -> Result<Option<CString>, Failure> {
    proto
        .map(|p| validate::text(OsStr::new(p), "protocol").and_then(|p| Ok(netdb::c_string(p)?)))
        .transpose()
}

/// The note for a failed services lookup: which database had no line, or what the code means.
pub fn not_found_note(failure: &Failure, what: &str) -> Option<String> {
    if failure.is_not_found() {
        Some(format!(
            "no line of /etc/services (or the NSS services source) has this {what} for this \
             protocol; Python raises a plain OSError"
        ))
    } else {
        failure_note(failure)
    }
}

/// What the answer of getservbyname shows.
fn notes(result: &Result<Vec<Service>, Failure>, any_proto: bool) -> Vec<String> {
    let mut notes = Vec::new();
    match result {
        Ok(rows) => {
            if let Some(s) = rows.first() {
                notes.push(format!(
                    "Python returns only the port ({}); the C servent also holds the name \
                     {:?}, aliases [{}] and protocol {:?}",
                    s.port,
                    s.name,
                    s.aliases.join(", "),
                    s.proto
                ));
            }
            if any_proto {
                notes.push(
                    "no protocol given: the first matching line of /etc/services, whatever \
                     its protocol"
                        .to_string(),
                );
            }
        }
        Err(failure) => notes.extend(not_found_note(failure, "name")),
    }
    notes
}

/// `socket.getservbyname(name, proto)`, returning the whole entry.
pub struct ServByName {
    pub default_proto: Option<String>,
}

impl Lookup for ServByName {
    type Record = Service;

    fn answer(&self, key: Option<&OsStr>) -> Answer<Service> {
        let key = key.unwrap_or_default();
        let default_proto = self.default_proto.as_deref();
        let query = validate::display(key);
        let result = validate::text(key, "service name").and_then(|text| {
            let (name, proto) = split_key(text, default_proto)?;
            let c_name = netdb::c_string(name)?;
            let c_proto = c_proto(proto)?;
            let entry = netdb::getservbyname(&c_name, c_proto.as_deref())?;
            Ok(vec![Service::new(&query, entry)])
        });
        let (name, proto) = split_key(&query, default_proto).unwrap_or((&query, default_proto));
        let notes = notes(&result, proto.is_none());
        let call = Call {
            c: format!(
                "getservbyname({}, {})",
                csource::c_str(Some(name)),
                csource::c_str(proto)
            ),
            python: {
                let (name, proto) = py_split(&query, default_proto, pyargs::plain);
                format!("socket.getservbyname({})", py_words(&name, proto.as_ref()))
            },
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// Python's call: the name and protocol as the str (or int) each word stands for.
    fn answer_python(&self, key: Option<&OsStr>) -> Answer<Service> {
        let query = validate::display(key.unwrap_or_default());
        let (name, proto) = py_split(&query, self.default_proto.as_deref(), pyargs::word);
        let result = (|| {
            let name = name.as_str("getservbyname", 1)?;
            let proto = proto
                .as_ref()
                .map(|p| p.as_str("getservbyname", 2))
                .transpose()?;
            let c_proto = proto.map(netdb::c_string).transpose()?;
            let entry = netdb::getservbyname(&netdb::c_string(name)?, c_proto.as_deref())?;
            Ok(vec![Service::new(&query, entry)])
        })();
        let c = match (&name, proto.as_ref()) {
            (Word::Str(n), None) => format!("getservbyname({}, NULL)", csource::c_str(Some(n))),
            (Word::Str(n), Some(Word::Str(p))) => format!(
                "getservbyname({}, {})",
                csource::c_str(Some(n)),
                csource::c_str(Some(p))
            ),
            _ => NOT_CALLED.to_string(),
        };
        let notes = notes(&result, proto.is_none());
        let call = Call {
            c,
            python: format!("socket.getservbyname({})", py_words(&name, proto.as_ref())),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// Python returns only the port.
    fn python(&self, result: &Result<Vec<Service>, Failure>) -> String {
        python_of_first(result, |s| Py::Int(i64::from(s.port)).to_string())
    }
}

impl Subcommand for ServArgs {
    type Lookup = ServByName;

    fn lookup(&self) -> Result<ServByName, Fatal> {
        Ok(ServByName {
            default_proto: self.proto.clone(),
        })
    }

    fn input(&self) -> Input<'_> {
        Input::Batch {
            keys: &self.keys,
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
    fn keys_split_on_slash() {
        assert_eq!(split_key("ssh/udp", Some("tcp")), Ok(("ssh", Some("udp"))));
        assert_eq!(split_key("ssh", Some("tcp")), Ok(("ssh", Some("tcp"))));
        assert_eq!(split_key("ssh", None), Ok(("ssh", None)));
        assert!(split_key("ssh/", None).is_err());
        assert!(split_key("/tcp", None).is_err());
    }
}
