//! The socket constants CPython's `socket` module knows on Linux, by prefix, by value and by name.

use std::ffi::{OsStr, OsString};

use clap::Args;
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Record};
use crate::text::pyrepr::{Py, str_repr};
use crate::text::symbols::{self, NOT_IN_PYTHON, groups};

use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct ConstantsArgs {
    /// Prefixes to list (AF_, SOCK_, IPPROTO_, SO, A, ...), matched as Python's startswith
    /// matches (case-sensitive); every group when none
    #[arg(value_name = "PREFIX")]
    pub prefixes: Vec<String>,

    /// Find the names that have this value (within PREFIXes, if given)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub value: Option<i64>,
}

/// A name of the socket module and the group (its name up to the first `_`) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constant {
    pub name: String,
    pub value: Value,
    pub prefix: String,
}

/// An int constant's value, or, for the few names that are not ints (AddressFamily, SocketType,
/// CMSG_LEN, ...), Python's repr of the object: `{getattr(socket, n): n ...}` shows them too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Value {
    Int(i64),
    Object(&'static str),
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::Int(n) => write!(f, "{n}"),
            Value::Object(text) => f.write_str(text),
        }
    }
}

impl Record for Constant {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["name", "value", "prefix"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.value.to_string(),
            self.prefix.clone(),
        ]
    }
}

/// The constants with a prefix (each key one prefix), or with `value` the names that have it.
pub struct Constants {
    pub value: Option<i64>,
    /// Normalized prefixes, which narrow a search by value.
    pub prefixes: Vec<String>,
}

impl Lookup for Constants {
    type Record = Constant;

    fn answer(&self, key: Option<&OsStr>) -> Answer<Constant> {
        match self.value {
            Some(value) => by_value(value, &self.prefixes),
            None => by_prefix(&key.unwrap_or_default().to_string_lossy()),
        }
    }

    /// By prefix, the lecture's `{getattr(socket, n): n for n in dir(socket) if ...}`; by
    /// value, the sorted list of names. Nothing matching is an empty dict or list to Python,
    /// not an error.
    fn python(&self, result: &Result<Vec<Constant>, Failure>) -> String {
        match (result, self.value) {
            (Ok(records), None) => python_dict(records).to_string(),
            (Ok(records), Some(_)) => python_names(records).to_string(),
            (Err(f), None) if f.is_not_found() => "{}".to_string(),
            (Err(f), Some(_)) if f.is_not_found() => "[]".to_string(),
            (Err(f), _) => f.python_exception(),
        }
    }
}

impl Subcommand for ConstantsArgs {
    type Lookup = Constants;

    fn lookup(&self) -> Result<Constants, Fatal> {
        Ok(Constants {
            value: self.value,
            prefixes: self.prefixes.clone(),
        })
    }

    fn input(&self) -> Input<'_> {
        if self.value.is_some() {
            return Input::Keys(vec![None]);
        }
        let prefixes: Vec<String> = if self.prefixes.is_empty() {
            groups().into_iter().map(str::to_string).collect()
        } else {
            self.prefixes.clone()
        };
        Input::Keys(
            prefixes
                .into_iter()
                .map(|p| Some(OsString::from(p)))
                .collect(),
        )
    }
}

/// Python's names in `dir()`'s sorted order, without the ones Python lacks.
fn python_sorted(records: &[Constant]) -> Vec<&Constant> {
    let mut sorted: Vec<&Constant> = records
        .iter()
        .filter(|c| !NOT_IN_PYTHON.contains(&c.name.as_str()))
        .collect();
    sorted.sort_by(|a, b| a.name.cmp(&b.name));
    sorted
}

/// A value shared by several names keeps the position and key object of the first and the name
/// of the last, as a dict does; a key is the enum member where CPython has one.
fn python_dict(records: &[Constant]) -> Py {
    let mut entries: Vec<(&Value, Py, Py)> = Vec::new();
    for c in python_sorted(records) {
        let name = Py::str(&c.name);
        match entries.iter_mut().find(|(v, _, _)| *v == &c.value) {
            Some(entry) => entry.2 = name,
            None => {
                let key = match &c.value {
                    Value::Int(n) => Py::attribute(&c.prefix, &c.name, *n),
                    Value::Object(text) => Py::Object(text),
                };
                entries.push((&c.value, key, name));
            }
        }
    }
    Py::Dict(entries.into_iter().map(|(_, k, v)| (k, v)).collect())
}

fn python_names(records: &[Constant]) -> Py {
    Py::List(
        python_sorted(records)
            .iter()
            .map(|c| Py::str(&c.name))
            .collect(),
    )
}

fn record(group: &str, name: &str, value: Value) -> Constant {
    Constant {
        name: name.to_string(),
        value,
        prefix: group.to_string(),
    }
}

/// Every name that starts with `prefix`, exactly as `str.startswith` tests it: the int
/// constants, then the few other attributes (classes, functions) it also matches.
pub fn by_prefix(prefix: &str) -> Answer<Constant> {
    let objects = symbols::objects()
        .iter()
        .filter(|(name, _)| name.starts_with(prefix))
        .map(|(name, text)| record(symbols::group_of(name), name, Value::Object(text)));
    let rows: Vec<Constant> = symbols::all()
        .iter()
        .filter(|(_, name, _)| name.starts_with(prefix))
        .map(|(group, name, value)| record(group, name, Value::Int(*value)))
        .chain(objects)
        .collect();
    let result = if rows.is_empty() {
        Err(Failure::not_found(format!(
            "no name of the socket module starts with {prefix} (case matters; groups: {})",
            groups().join(" ")
        )))
    } else {
        Ok(rows)
    };
    let mut notes = vec![NO_C_CALL_NOTE.to_string()];
    if let Ok(rows) = &result {
        notes.extend(shared_value_note(rows));
        if rows.iter().any(|r| matches!(r.value, Value::Object(_))) {
            notes.push(OBJECTS_NOTE.to_string());
        }
    }
    let call = Call {
        c: NO_C_CALL.to_string(),
        python: format!(
            "{{getattr(socket, n): n for n in dir(socket) if n.startswith({})}}",
            str_repr(prefix)
        ),
        notes,
    };
    Answer::new(Some(prefix.to_string()), result).with_call(call)
}

/// Constants are not looked up: the C side is the headers the module was compiled against.
const NO_C_CALL: &str =
    "(no call: compile-time constants from <sys/socket.h>, <netinet/in.h> and <netdb.h>)";
const NO_C_CALL_NOTE: &str = "AF_, SOCK_, AI_ and MSG_ values are enum members in Python 3 \
     (AddressFamily, SocketKind, AddressInfo, MsgFlag); the other groups are plain ints";

const OBJECTS_NOTE: &str = "the prefix also matches attributes that are not ints (classes, \
     functions): they are listed with Python's repr of the object as their value, as the dict \
     shows them; CAPI's repr holds a memory address that differs in every Python process";

/// The lecture's dict keeps one name per value: say which names it drops.
fn shared_value_note(rows: &[Constant]) -> Option<String> {
    let mut shared: Vec<String> = Vec::new();
    for row in rows {
        let mut names: Vec<&str> = rows
            .iter()
            .filter(|r| r.value == row.value && !NOT_IN_PYTHON.contains(&r.name.as_str()))
            .map(|r| r.name.as_str())
            .collect();
        names.sort_unstable();
        if names.len() > 1 && names[0] == row.name {
            shared.push(names.join(" = "));
        }
    }
    (!shared.is_empty()).then(|| {
        format!(
            "a dict keeps one name per value, the last in dir() order: {}",
            shared.join(", ")
        )
    })
}

/// Every constant with this value, within the given prefixes (all groups when none).
pub fn by_value(value: i64, prefixes: &[String]) -> Answer<Constant> {
    let rows: Vec<Constant> = symbols::all()
        .iter()
        .filter(|(_, name, v)| {
            *v == value && (prefixes.is_empty() || prefixes.iter().any(|p| name.starts_with(p)))
        })
        .map(|(group, name, value)| record(group, name, Value::Int(*value)))
        .collect();
    let result = if rows.is_empty() {
        let scope = if prefixes.is_empty() {
            String::new()
        } else {
            format!(" among {}", prefixes.join(" "))
        };
        Err(Failure::not_found(format!(
            "no constant has the value {value}{scope}"
        )))
    } else {
        Ok(rows)
    };
    let scope: Vec<Py> = if prefixes.is_empty() {
        groups().into_iter().map(Py::str).collect()
    } else {
        prefixes.iter().map(Py::str).collect()
    };
    let call = Call {
        c: NO_C_CALL.to_string(),
        python: format!(
            "[n for n in dir(socket) if n.startswith({}) and getattr(socket, n) == {value}]",
            Py::Tuple(scope)
        ),
        notes: vec![NO_C_CALL_NOTE.to_string()],
    };
    Answer::new(Some(value.to_string()), result).with_call(call)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_match_as_startswith_does() {
        let names = |prefix: &str| -> Vec<String> {
            by_prefix(prefix)
                .result
                .map(|rows| rows.into_iter().map(|r| r.name).collect())
                .unwrap_or_default()
        };
        assert!(names("af").is_empty());
        assert!(names("AF_").contains(&"AF_DECnet".to_string()));
        let so = names("SO");
        assert!(so.contains(&"SOCK_STREAM".to_string()) && so.contains(&"SOMAXCONN".to_string()));
        assert!(names("A").contains(&"AddressFamily".to_string()));
    }
}
