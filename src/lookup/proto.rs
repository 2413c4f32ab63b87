//! getprotobyname and getprotobynumber: the whole protocols-database entry for each key.

use std::ffi::OsStr;

use crate::model::{Answer, Call, Failure, Protocol};
use crate::sys::netdb::{self, ProtoEntry};
use crate::validate;

use super::explain;

fn record(query: &str, entry: ProtoEntry) -> Protocol {
    Protocol {
        query: query.to_string(),
        name: entry.name,
        aliases: entry.aliases,
        number: entry.number,
    }
}

/// The `_r` call's trailing arguments as C source; the buffer starts at CPython's 16 KiB.
const C_REST: &str = "&ret, buf, 16384, &result";

/// What the C protoent holds beyond what Python returns, or why there was none.
fn notes(result: &Result<Vec<Protocol>, Failure>, what: &str) -> Vec<String> {
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
        Err(f) if f.code == "NOT_FOUND" => vec![format!(
            "no line of /etc/protocols (or the NSS protocols source) has this {what}"
        )],
        Err(f) => explain::failure_note(f).into_iter().collect(),
    }
}

/// `socket.getprotobyname(name)`, returning the whole entry (Python keeps only the number).
pub fn by_name(key: &OsStr) -> Answer<Protocol> {
    let query = validate::display(key);
    let result = validate::text(key, "protocol name").and_then(|name| {
        let entry = netdb::getprotobyname(&netdb::c_string(name)?)?;
        Ok(vec![record(&query, entry)])
    });
    let mut notes = notes(&result, "name or alias");
    match &result {
        Ok(_) => notes.insert(0, "Python returns only the number".to_string()),
        Err(f) if f.code == "NOT_FOUND" => {
            notes.push("Python raises a plain OSError(\"protocol not found\")".to_string());
        }
        Err(_) => {}
    }
    let call = Call {
        c: format!(
            "getprotobyname_r({}, {C_REST})",
            explain::c_str(Some(&query))
        ),
        // CPython takes the name as str ("s" format) and passes its UTF-8 bytes, as sockscope does.
        python: format!("socket.getprotobyname({})", explain::py_str(&query)),
        notes,
        function: "getprotobyname",
    };
    let mut answer = Answer::new(Some(query), result);
    answer.call = Some(call);
    answer
}

/// getprotobynumber(3), which Python's socket module does not offer: the Python line is a
/// comment saying so, never a made-up call.
pub fn by_number(key: &OsStr) -> Answer<Protocol> {
    let query = validate::display(key);
    let number = validate::text(key, "protocol number").and_then(protocol_number);
    let result = number.clone().and_then(|number| {
        let entry = netdb::getprotobynumber(number)?;
        Ok(vec![record(&query, entry)])
    });
    let mut notes = notes(&result, "number");
    if let Ok([p]) = result.as_deref() {
        notes.push(format!(
            "Python can only go the other way: socket.getprotobyname({}) returns {}",
            explain::py_str(&p.name),
            p.number
        ));
    }
    let c_number = number.map_or_else(|_| explain::c_str(Some(&query)), |n| n.to_string());
    let call = Call {
        c: format!("getprotobynumber_r({c_number}, {C_REST})"),
        python: "# no Python equivalent: the socket module has no getprotobynumber".to_string(),
        notes,
        function: "getprotobynumber",
    };
    let mut answer = Answer::new(Some(query), result);
    answer.call = Some(call);
    answer
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
