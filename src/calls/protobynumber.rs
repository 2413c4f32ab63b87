//! getprotobynumber: the protocols-database entry for each number (Python's socket module has no such call).

use std::ffi::{OsStr, OsString};

use clap::Args;

use crate::model::{Answer, Call, Failure, Fatal};
use crate::sys::netdb;
use crate::text::csource;
use crate::text::pyrepr::{self, Py};
use crate::validate;

use super::options::{BatchArgs, ResolverArgs};
use super::protobyname::{C_REST, ProtocolEntry, entry_notes};
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct ProtoNumberArgs {
    /// Protocol numbers (0-255 in the IP header; Linux also lists larger ones, such as 262 for
    /// mptcp); `-` reads them from standard input
    #[arg(
        required_unless_present = "file",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub numbers: Vec<OsString>,

    #[command(flatten)]
    pub resolver: ResolverArgs,

    #[command(flatten)]
    pub batch: BatchArgs,
}

/// getprotobynumber(3), which Python's socket module does not offer: the Python line is a
/// comment saying so, never a made-up call.
pub struct ProtoByNumber;

impl Lookup for ProtoByNumber {
    type Record = ProtocolEntry;

    fn answer(&self, key: Option<&OsStr>) -> Answer<ProtocolEntry> {
        let key = key.unwrap_or_default();
        let query = validate::display(key);
        let number = validate::text(key, "protocol number").and_then(protocol_number);
        let result = number.clone().and_then(|number| {
            let entry = netdb::getprotobynumber(number)?;
            Ok(vec![ProtocolEntry::new(&query, entry)])
        });
        let mut notes = entry_notes(&result, "number");
        if let Ok([p]) = result.as_deref() {
            notes.push(format!(
                "Python can only go the other way: socket.getprotobyname({}) returns {}",
                csource::py_str(&p.name),
                p.number
            ));
        }
        let c_number = number.map_or_else(|_| csource::c_str(Some(&query)), |n| n.to_string());
        let call = Call {
            c: format!("getprotobynumber_r({c_number}, {C_REST})"),
            python: "# no Python equivalent: the socket module has no getprotobynumber".to_string(),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// A comment with what C found and the Python call that goes back, or what C said: Python
    /// has no call to return or raise anything.
    fn python(&self, result: &Result<Vec<ProtocolEntry>, Failure>) -> String {
        match result {
            Ok(rows) => match rows.first() {
                Some(p) => format!(
                    "# no Python equivalent (socket has no getprotobynumber); C found {} \
                     (aliases {}); the way back is socket.getprotobyname({}) == {}",
                    pyrepr::str_repr(&p.name),
                    Py::strs(&p.aliases),
                    pyrepr::str_repr(&p.name),
                    p.number
                ),
                None => crate::model::NO_PYTHON.to_string(),
            },
            Err(failure) if !failure.is_invalid() => format!(
                "# no Python equivalent (socket has no getprotobynumber); C found nothing: {} \
                 ({})",
                failure.message(),
                failure.code()
            ),
            Err(failure) => failure.python_exception(),
        }
    }
}

impl Subcommand for ProtoNumberArgs {
    type Lookup = ProtoByNumber;

    fn lookup(&self) -> Result<ProtoByNumber, Fatal> {
        Ok(ProtoByNumber)
    }

    fn input(&self) -> Input<'_> {
        Input::Batch {
            keys: &self.numbers,
            batch: &self.batch,
        }
    }

    fn resolver(&self) -> Option<&ResolverArgs> {
        Some(&self.resolver)
    }
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
        assert!(err.message().contains("0-2147483647"), "{}", err.message());
        assert!(
            protocol_number("-1")
                .unwrap_err()
                .message()
                .contains("negative")
        );
        assert!(protocol_number("tcp").is_err());
        assert!(protocol_number("").is_err());
    }
}
