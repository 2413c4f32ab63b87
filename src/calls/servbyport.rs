//! getservbyport: the whole `servent` for each `PORT[/PROTO]` key, like socket.getservbyport(port, proto).

use std::ffi::OsStr;

use crate::model::{Answer, Call, Failure, Fatal, Raised, python_of_first};
use crate::sys::netdb;
use crate::text::csource;
use crate::text::pyrepr::Py;
use crate::validate;

use super::options::ResolverArgs;
use super::pyargs::{self, NOT_CALLED};
use super::servbyname::{
    ServArgs, Service, c_proto, not_found_note, py_split, py_words, split_key,
};
use super::{Input, Lookup, Subcommand};

/// The servbyport subcommand: the same options as servbyname, with ports for keys.
pub struct ByPort<'a>(pub &'a ServArgs);

/// `socket.getservbyport(port, proto)`, returning the whole entry.
pub struct ServByPort {
    pub default_proto: Option<String>,
}

impl Lookup for ServByPort {
    type Record = Service;

    fn answer(&self, key: Option<&OsStr>) -> Answer<Service> {
        let key = key.unwrap_or_default();
        let default_proto = self.default_proto.as_deref();
        let query = validate::display(key);
        let result = validate::text(key, "port").and_then(|text| {
            let (port, proto) = split_key(text, default_proto)?;
            let port = validate::port(port)?;
            let c_proto = c_proto(proto)?;
            let entry = netdb::getservbyport(port, c_proto.as_deref())?;
            Ok(vec![Service::new(&query, entry)])
        });
        let (port_text, proto) =
            split_key(&query, default_proto).unwrap_or((&query, default_proto));
        let port = validate::port(port_text).ok();
        let mut notes = Vec::new();
        if let Some(port) = port {
            notes.push(format!(
                "the port goes to C in network byte order: htons({port}) = {}",
                port.to_be()
            ));
        }
        match &result {
            Ok(rows) => {
                if let Some(s) = rows.first() {
                    notes.push(format!(
                        "Python returns only the name ({:?}); the C servent also holds aliases \
                         [{}] and protocol {:?}",
                        s.name,
                        s.aliases.join(", "),
                        s.proto
                    ));
                }
            }
            Err(failure) => notes.extend(not_found_note(failure, "port")),
        }
        let (py_port, py_proto) = py_split(&query, default_proto, pyargs::plain);
        let call = Call {
            c: format!(
                "getservbyport(htons({}), {})",
                port.map_or_else(|| port_text.to_string(), |p| p.to_string()),
                csource::c_str(proto)
            ),
            python: format!(
                "socket.getservbyport({})",
                py_words(&py_port, py_proto.as_ref())
            ),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// Python's call: `getservbyport(port, proto)` converts the port with "i", checks its range
    /// itself, then passes the protocol on as a str.
    fn answer_python(&self, key: Option<&OsStr>) -> Answer<Service> {
        let query = validate::display(key.unwrap_or_default());
        let (port, proto) = py_split(&query, self.default_proto.as_deref(), pyargs::word);
        let checked = (|| {
            let port = port.as_int()?;
            let proto = proto
                .as_ref()
                .map(|p| p.as_str("getservbyport", 2))
                .transpose()?;
            let port = u16::try_from(port).map_err(|_| Failure::raised(Raised::PortRange))?;
            Ok::<_, Failure>((port, proto))
        })();
        let result = checked.clone().and_then(|(port, proto)| {
            let c_proto = proto.map(netdb::c_string).transpose()?;
            let entry = netdb::getservbyport(port, c_proto.as_deref())?;
            Ok(vec![Service::new(&query, entry)])
        });
        let c = match &checked {
            Ok((port, proto)) => {
                format!("getservbyport(htons({port}), {})", csource::c_str(*proto))
            }
            Err(_) => NOT_CALLED.to_string(),
        };
        let mut notes = Vec::new();
        if let Ok((port, _)) = &checked {
            notes.push(format!(
                "the port goes to C in network byte order: htons({port}) = {}",
                port.to_be()
            ));
        }
        match &result {
            Ok(rows) => notes.extend(rows.first().map(|s| {
                format!(
                    "Python returns only the name ({:?}); the C servent also holds aliases [{}] \
                     and protocol {:?}",
                    s.name,
                    s.aliases.join(", "),
                    s.proto
                )
            })),
            Err(failure) => notes.extend(not_found_note(failure, "port")),
        }
        let call = Call {
            c,
            python: format!("socket.getservbyport({})", py_words(&port, proto.as_ref())),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// Python returns only the name.
    fn python(&self, result: &Result<Vec<Service>, Failure>) -> String {
        python_of_first(result, |s| Py::str(&s.name).to_string())
    }
}

impl Subcommand for ByPort<'_> {
    type Lookup = ServByPort;

    fn lookup(&self) -> Result<ServByPort, Fatal> {
        Ok(ServByPort {
            default_proto: self.0.proto.clone(),
        })
    }

    fn input(&self) -> Input<'_> {
        Input::Batch {
            keys: &self.0.keys,
            batch: &self.0.batch,
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.0.resolver)
    }
}
