//! getprotobyname and getprotobynumber: the whole protocols-database entry for each key.

use std::ffi::OsStr;

use crate::model::{Answer, Failure, Protocol};
use crate::sys::netdb::{self, ProtoEntry};
use crate::validate;

fn record(query: &str, entry: ProtoEntry) -> Protocol {
    Protocol {
        query: query.to_string(),
        name: entry.name,
        aliases: entry.aliases,
        number: entry.number,
    }
}

/// `socket.getprotobyname(name)`, returning the whole entry (Python keeps only the number).
pub fn by_name(key: &OsStr) -> Answer<Protocol> {
    let query = validate::display(key);
    let result = validate::text(key, "protocol name").and_then(|name| {
        let entry = netdb::getprotobyname(&netdb::c_string(name)?)?;
        Ok(vec![record(&query, entry)])
    });
    Answer::new(Some(query), result)
}

/// getprotobynumber(3), which Python's socket module does not offer.
pub fn by_number(key: &OsStr) -> Answer<Protocol> {
    let query = validate::display(key);
    let result = validate::text(key, "protocol number").and_then(|text| {
        let entry = netdb::getprotobynumber(protocol_number(text)?)?;
        Ok(vec![record(&query, entry)])
    });
    Answer::new(Some(query), result)
}

/// A protocol number: a non-negative C int in decimal. Not just the IP header's 0-255, since
/// Linux lists socket-level protocols beyond it (mptcp is 262); a negative number is never a
/// protocol, so it is bad input rather than "not found".
fn protocol_number(text: &str) -> Result<i32, Failure> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        if text
            .strip_prefix('-')
            .is_some_and(|rest| !rest.is_empty() && rest.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(Failure::invalid(format!(
                "protocol number must not be negative: {text}"
            )));
        }
        return Err(Failure::invalid(format!("not a protocol number: {text}")));
    }
    digits.parse::<i32>().map_err(|_| {
        Failure::invalid(format!(
            "protocol number must be 0-{}, not {text}",
            i32::MAX
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn protocol_numbers_are_non_negative_ints() {
        assert_eq!(protocol_number("0"), Ok(0));
        assert_eq!(protocol_number("262"), Ok(262));
        assert_eq!(protocol_number("+6"), Ok(6));
        let err = protocol_number("2147483648").unwrap_err();
        assert!(err.message.contains("0-2147483647"), "{}", err.message);
        assert!(
            protocol_number("-1")
                .unwrap_err()
                .message
                .contains("negative")
        );
        assert!(protocol_number("tcp").is_err());
        assert!(protocol_number("").is_err());
    }
}
