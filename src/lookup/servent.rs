//! getservbyname and getservbyport: the whole `servent` for each `NAME[/PROTO]` or `PORT[/PROTO]` key.

use std::ffi::OsStr;

use crate::model::{Answer, Call, Failure, Service};
use crate::sys::netdb::{self, ServEntry};
use crate::validate;

use super::explain;

/// Split `KEY[/PROTO]`; a protocol in the key wins over the `--proto` default.
fn split_key<'a>(
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

fn record(query: &str, entry: ServEntry) -> Service {
    Service {
        query: query.to_string(),
        name: entry.name,
        aliases: entry.aliases,
        port: entry.port,
        proto: entry.proto,
    }
}

fn c_proto(proto: Option<&str>) -> Result<Option<std::ffi::CString>, Failure> {
    proto
        .map(|p| validate::text(OsStr::new(p), "protocol").and_then(|p| Ok(netdb::c_string(p)?)))
        .transpose()
}

/// `socket.getservbyname(name, proto)`, returning the whole entry.
pub fn by_name(key: &OsStr, default_proto: Option<&str>) -> Answer<Service> {
    let query = validate::display(key);
    let result = validate::text(key, "service name").and_then(|text| {
        let (name, proto) = split_key(text, default_proto)?;
        let c_name = netdb::c_string(name)?;
        let c_proto = c_proto(proto)?;
        let entry = netdb::getservbyname(&c_name, c_proto.as_deref())?;
        Ok(vec![record(&query, entry)])
    });
    let (name, proto) = split_key(&query, default_proto).unwrap_or((&query, default_proto));
    let mut notes = Vec::new();
    match &result {
        Ok(rows) => {
            if let Some(s) = rows.first() {
                notes.push(format!(
                    "Python returns only the port ({}); the C servent also holds the name {:?}, \
                     aliases [{}] and protocol {:?}",
                    s.port,
                    s.name,
                    s.aliases.join(", "),
                    s.proto
                ));
            }
            if proto.is_none() {
                notes.push(
                    "no protocol given: the first matching line of /etc/services, whatever \
                     its protocol"
                        .to_string(),
                );
            }
        }
        Err(failure) => notes.extend(not_found_note(failure, "name")),
    }
    let call = Call {
        c: format!(
            "getservbyname({}, {})",
            explain::c_str(Some(name)),
            explain::c_str(proto)
        ),
        python: format!(
            "socket.getservbyname({})",
            py_args(explain::py_str(name), proto)
        ),
        notes,
        function: "getservbyname",
    };
    let mut answer = Answer::new(Some(query), result);
    answer.call = Some(call);
    answer
}

/// `name` or `name, 'proto'`: Python's default protocol is the same NULL as leaving it out.
fn py_args(first: String, proto: Option<&str>) -> String {
    match proto {
        Some(p) => format!("{first}, {}", explain::py_str(p)),
        None => first,
    }
}

fn not_found_note(failure: &Failure, what: &str) -> Option<String> {
    if failure.code == "NOT_FOUND" {
        Some(format!(
            "no line of /etc/services (or the NSS services source) has this {what} for this \
             protocol; Python raises a plain OSError"
        ))
    } else {
        explain::failure_note(failure)
    }
}

/// `socket.getservbyport(port, proto)`, returning the whole entry.
pub fn by_port(key: &OsStr, default_proto: Option<&str>) -> Answer<Service> {
    let query = validate::display(key);
    let result = validate::text(key, "port").and_then(|text| {
        let (port, proto) = split_key(text, default_proto)?;
        let port = validate::port(port)?;
        let c_proto = c_proto(proto)?;
        let entry = netdb::getservbyport(port, c_proto.as_deref())?;
        Ok(vec![record(&query, entry)])
    });
    let (port_text, proto) = split_key(&query, default_proto).unwrap_or((&query, default_proto));
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
    let py_port = port.map_or_else(|| explain::py_str(port_text), |p| p.to_string());
    let call = Call {
        c: format!(
            "getservbyport(htons({}), {})",
            port.map_or_else(|| port_text.to_string(), |p| p.to_string()),
            explain::c_str(proto)
        ),
        python: format!("socket.getservbyport({})", py_args(py_port, proto)),
        notes,
        function: "getservbyport",
    };
    let mut answer = Answer::new(Some(query), result);
    answer.call = Some(call);
    answer
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
