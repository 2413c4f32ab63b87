//! getservbyname and getservbyport: the whole `servent` for each `NAME[/PROTO]` or `PORT[/PROTO]` key.

use std::ffi::OsStr;

use crate::model::{Answer, Failure, Service};
use crate::sys::netdb::{self, ServEntry};
use crate::validate;

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
    Answer::new(Some(query), result)
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
    Answer::new(Some(query), result)
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
