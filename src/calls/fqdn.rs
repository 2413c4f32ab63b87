//! getfqdn: CPython's socket.getfqdn(name), a gethostbyaddr and a choice among the names it gives.

use std::ffi::{OsStr, OsString};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Record, python_of_first};
use crate::sys::netdb;
use crate::text::pyrepr::{Py, str_repr};

use super::hostbyaddr::HostByAddr;
use super::options::{BatchArgs, ResolverArgs};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct FqdnArgs {
    /// Host names or addresses; the local host when none; `-` reads them from standard input
    #[arg(value_name = "NAME")]
    pub names: Vec<OsString>,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// A name and its fully qualified form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Fqdn {
    /// The name asked about; null for `getfqdn()`.
    pub query: Option<String>,
    pub fqdn: String,
}

impl Record for Fqdn {
    const COLUMNS: &'static [&'static str] = &["query", "fqdn"];
    fn cells(&self) -> Vec<String> {
        vec![self.query.clone().unwrap_or_default(), self.fqdn.clone()]
    }
}

/// `socket.getfqdn(name)`, or `getfqdn()` for no key.
pub struct GetFqdn;

/// Python's `str.strip()`: Unicode white space, and the separators U+001C..U+001F that
/// Python counts as white space too.
fn py_strip(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c))
}

impl Lookup for GetFqdn {
    type Record = Fqdn;

    fn answer(&self, key: Option<&OsStr>) -> Answer<Fqdn> {
        let query = key.map(|k| k.to_string_lossy().into_owned());
        let python = match &query {
            None => "socket.getfqdn()".to_string(),
            Some(q) => format!("socket.getfqdn({})", str_repr(q)),
        };
        let text = match key.map(OsStr::to_str) {
            Some(None) => {
                let failure = Failure::invalid("host name is not valid UTF-8");
                let call = Call {
                    python,
                    ..Call::default()
                };
                return Answer::new(query, Err(failure)).with_call(call);
            }
            Some(Some(text)) => text,
            None => "",
        };
        let stripped = py_strip(text);
        let mut c = Vec::new();
        let mut notes = Vec::new();
        let name = if stripped.is_empty() || stripped == "0.0.0.0" {
            c.push("gethostname(buf, sizeof buf)".to_string());
            notes.push(
                "no name (or an empty one, or 0.0.0.0): getfqdn starts from gethostname()"
                    .to_string(),
            );
            match netdb::gethostname() {
                Ok(name) => name,
                Err(error) => {
                    let call = Call {
                        c: c.join("; "),
                        python,
                        notes,
                    };
                    return Answer::new(query, Err(Failure::from(error))).with_call(call);
                }
            }
        } else {
            stripped.to_string()
        };
        let entry = HostByAddr.answer(Some(OsStr::new(&name)));
        if let Some(inner) = &entry.call {
            c.push(inner.c.clone());
            notes.extend(inner.notes.iter().cloned());
        }
        let result = match &entry.result {
            Ok(records) => {
                let first = records.first();
                let names: Vec<&str> = first
                    .map(|e| {
                        std::iter::once(e.name.as_str())
                            .chain(e.aliases.iter().map(String::as_str))
                            .collect()
                    })
                    .unwrap_or_default();
                let listed = Py::strs(&names);
                let dotted = names.iter().find(|n| n.contains('.'));
                let fqdn = match dotted {
                    Some(n) => {
                        notes.push(format!(
                            "gethostbyaddr({}) gave {listed} (name, then aliases): the first that \
                             contains a dot wins",
                            str_repr(&name)
                        ));
                        (*n).to_string()
                    }
                    None => {
                        notes.push(format!(
                            "gethostbyaddr({}) gave {listed}, none with a dot: getfqdn returns \
                             the entry's own name",
                            str_repr(&name)
                        ));
                        names
                            .first()
                            .map_or_else(|| name.clone(), |n| (*n).to_string())
                    }
                };
                Ok(vec![Fqdn {
                    query: query.clone(),
                    fqdn,
                }])
            }
            // Bad input and a timeout are not OSErrors getfqdn would swallow: they stay failures.
            Err(failure) if failure.is_invalid() || failure.is_timeout() => Err(failure.clone()),
            Err(failure) => {
                notes.push(format!(
                    "gethostbyaddr({}) failed ({}: {}); getfqdn catches the OSError and returns \
                     the name it asked about",
                    str_repr(&name),
                    failure.code(),
                    failure.message()
                ));
                Ok(vec![Fqdn {
                    query: query.clone(),
                    fqdn: name.clone(),
                }])
            }
        };
        let call = Call {
            c: c.join("; "),
            python,
            notes,
        };
        Answer::new(query, result).with_call(call)
    }

    /// The name as a str; a failure that getfqdn lets through reads as gethostbyaddr's.
    fn python(&self, result: &Result<Vec<Fqdn>, Failure>) -> String {
        match result {
            Err(failure) => HostByAddr.python(&Err(failure.clone())),
            Ok(_) => python_of_first(result, |r| Py::str(&r.fqdn).to_string()),
        }
    }
}

impl Subcommand for FqdnArgs {
    type Lookup = GetFqdn;

    fn lookup(&self) -> Result<GetFqdn, Fatal> {
        Ok(GetFqdn)
    }

    fn input(&self) -> Input<'_> {
        if self.names.is_empty() && self.batch.file.is_none() {
            return Input::Keys(vec![None]);
        }
        Input::Batch {
            keys: &self.names,
            batch: &self.batch,
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
}
