//! inet_aton, inet_pton, inet_ntoa and inet_ntop: an address as text and as the packed bytes in network byte order.

use std::ffi::{OsStr, OsString};

use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::model::{Answer, Call, Failure, Fatal, Raised, Record, python_of_first};
use crate::sys::inet;
use crate::text::csource;
use crate::text::pyrepr::{Py, str_repr};
use crate::validate;

use super::options::BatchArgs;
use super::{Input, Lookup, Subcommand};

#[derive(Debug, Args)]
pub struct InetArgs {
    /// Addresses to pack (or, with --packed, packed addresses in hex); `-` reads them from
    /// standard input
    #[arg(
        required_unless_present = "file",
        value_name = "ADDRESS",
        allow_negative_numbers = true
    )]
    pub keys: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,

    /// inet_pton/inet_ntop for this family, instead of IPv4's inet_aton/inet_ntoa
    #[arg(short, long, value_enum, value_name = "FAMILY")]
    pub family: Option<Family>,

    /// The keys are packed addresses in hex, as bytes.fromhex reads them (`7f000001`,
    /// `7f 00 00 01`): turn them back into text with inet_ntoa (inet_ntop with --family)
    #[arg(long)]
    pub packed: bool,
}

/// The two families inet_pton and inet_ntop know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Family {
    Inet,
    Inet6,
}

impl Family {
    fn af(self) -> i32 {
        match self {
            Family::Inet => libc::AF_INET,
            Family::Inet6 => libc::AF_INET6,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Family::Inet => "AF_INET",
            Family::Inet6 => "AF_INET6",
        }
    }
}

/// An address as text and as packed bytes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Packed {
    pub query: String,
    pub family: &'static str,
    /// The bytes in network byte order, as hex (`7f000001`).
    pub packed: String,
    /// The address as inet_ntoa/inet_ntop write it back.
    pub address: String,
    #[serde(skip)]
    bytes: Vec<u8>,
}

impl Record for Packed {
    const COLUMNS: &'static [&'static str] = &["query", "family", "packed", "address"];
    /// The table spaces the bytes so their order is there to see.
    fn cells(&self) -> Vec<String> {
        let bytes: Vec<String> = self.bytes.iter().map(|b| format!("{b:02x}")).collect();
        vec![
            self.query.clone(),
            self.family.to_string(),
            bytes.join(" "),
            self.address.clone(),
        ]
    }
}

/// Which of the four calls each key goes through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Inet {
    Aton,
    Pton(Family),
    Ntoa,
    Ntop(Family),
}

impl Inet {
    fn packs(self) -> bool {
        matches!(self, Inet::Aton | Inet::Pton(_))
    }

    fn family(self) -> Family {
        match self {
            Inet::Aton | Inet::Ntoa => Family::Inet,
            Inet::Pton(f) | Inet::Ntop(f) => f,
        }
    }

    /// The call on the key, as Python writes it.
    fn python_line(self, key: &str) -> String {
        let key = str_repr(key);
        match self {
            Inet::Aton => format!("socket.inet_aton({key})"),
            Inet::Pton(f) => format!("socket.inet_pton(socket.{}, {key})", f.name()),
            Inet::Ntoa => format!("socket.inet_ntoa(bytes.fromhex({key}))"),
            Inet::Ntop(f) => {
                format!(
                    "socket.inet_ntop(socket.{}, bytes.fromhex({key}))",
                    f.name()
                )
            }
        }
    }

    /// The C call; `bytes` are the packed bytes where the key gave them.
    fn c(self, key: &str, bytes: Option<&[u8]>) -> String {
        let hex = |b: &[u8]| b.iter().map(|b| format!("\\x{b:02x}")).collect::<String>();
        match self {
            Inet::Aton => format!("inet_aton({}, &addr)", csource::c_str(Some(key))),
            Inet::Pton(f) => format!(
                "inet_pton({}, {}, &addr)",
                f.name(),
                csource::c_str(Some(key))
            ),
            Inet::Ntoa => format!(
                "inet_ntoa(*(struct in_addr *) \"{}\")",
                bytes.map(hex).unwrap_or_default()
            ),
            Inet::Ntop(f) => format!(
                "inet_ntop({}, \"{}\", buf, sizeof buf)",
                f.name(),
                bytes.map(hex).unwrap_or_default()
            ),
        }
    }

    fn convert(self, key: &OsStr) -> Result<Packed, Failure> {
        let query = validate::display(key);
        let text = key
            .to_str()
            .ok_or_else(|| Failure::invalid("the key is not valid UTF-8"))?;
        let family = self.family();
        let (bytes, address) = if self.packs() {
            let c_text = inet::c_text(text).ok_or(Failure::raised(Raised::NulCharacter))?;
            let (bytes, function) = match self {
                Inet::Aton => (inet::aton(&c_text).map(|b| b.to_vec()), "inet_aton"),
                _ => (inet::pton(family.af(), &c_text), "inet_pton"),
            };
            let bytes = bytes.ok_or(Failure::raised(Raised::IllegalAddress { function }))?;
            let address = inet::ntop(family.af(), &bytes).unwrap_or_default();
            (bytes, address)
        } else {
            let bytes = fromhex(text).map_err(Failure::raised)?;
            let address = match self {
                Inet::Ntoa => {
                    let four: [u8; 4] = bytes
                        .as_slice()
                        .try_into()
                        .map_err(|_| Failure::raised(Raised::NtoaLength))?;
                    inet::ntoa(four)
                }
                _ => inet::ntop(family.af(), &bytes).ok_or(Failure::raised(Raised::NtopLength))?,
            };
            (bytes, address)
        };
        Ok(Packed {
            query,
            family: family.name(),
            packed: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            address,
            bytes,
        })
    }
}

/// `bytes.fromhex(text)` as CPython 3.11 reads it: pairs of hex digits, white space allowed
/// before each pair; the error names the first character that breaks the rule.
pub fn fromhex(text: &str) -> Result<Vec<u8>, Raised> {
    // CPython reports a str that is not all ASCII at its first non-ASCII character.
    if let Some(position) = text.chars().position(|c| !c.is_ascii()) {
        return Err(Raised::NotHex { position });
    }
    let bytes = text.as_bytes();
    let space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
    let digit = |at: usize| {
        bytes
            .get(at)
            .and_then(|b| char::from(*b).to_digit(16))
            .ok_or(Raised::NotHex { position: at })
    };
    let mut out = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        if space(bytes[at]) {
            at += 1;
            continue;
        }
        let high = digit(at)?;
        let low = digit(at + 1)?;
        out.push(u8::try_from(high * 16 + low).unwrap_or_default());
        at += 2;
    }
    Ok(out)
}

impl Lookup for Inet {
    type Record = Packed;

    fn answer(&self, key: Option<&OsStr>) -> Answer<Packed> {
        let key = key.unwrap_or_default();
        let query = validate::display(key);
        let result = self.convert(key).map(|record| vec![record]);
        let bytes = match &result {
            Ok(records) => records.first().map(|r| r.bytes.clone()),
            Err(_) if !self.packs() => fromhex(&query).ok(),
            Err(_) => None,
        };
        let notes = match (&result, &bytes) {
            (Ok(_), Some(bytes)) => byte_order_notes(bytes),
            _ => Vec::new(),
        };
        let mut notes = notes;
        if let (Ok(records), Inet::Aton) = (&result, self)
            && let Some(r) = records.first()
            && r.address != query
        {
            notes.push(format!(
                "inet_aton also reads the old forms (a, a.b, a.c.d, octal 0 and hex 0x \
                 parts, anything after white space ignored): {query:?} is {}",
                r.address
            ));
        }
        let call = Call {
            c: self.c(&query, bytes.as_deref()),
            python: self.python_line(&query),
            notes,
        };
        Answer::new(Some(query), result).with_call(call)
    }

    /// `bytes` for inet_aton and inet_pton, `str` for inet_ntoa and inet_ntop.
    fn python(&self, result: &Result<Vec<Packed>, Failure>) -> String {
        let packs = self.packs();
        python_of_first(result, |r| {
            if packs {
                Py::Bytes(r.bytes.clone()).to_string()
            } else {
                Py::str(&r.address).to_string()
            }
        })
    }
}

/// Network byte order made visible: the most significant byte goes first, whatever the host's
/// own order, which is what htonl and htons are for.
fn byte_order_notes(bytes: &[u8]) -> Vec<String> {
    if let Ok(four) = <[u8; 4]>::try_from(bytes) {
        let n = u32::from_be_bytes(four);
        let host = u32::from_ne_bytes(four);
        return vec![
            format!(
                "as one number the address is {n:#010x} = {n}; network byte order stores its \
                 most significant byte first: {}",
                spaced(bytes)
            ),
            format!(
                "socket.htonl({n}) = {} ({:#010x}): the int whose bytes in this host's memory \
                 are the packed bytes{}",
                n.to_be(),
                n.to_be(),
                if host == n {
                    " (this host is big-endian: htonl changes nothing)"
                } else {
                    " (this host is little-endian, so htonl swaps them)"
                }
            ),
        ];
    }
    let groups: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|pair| u16::from_be_bytes([pair[0], pair[1]]))
        .collect();
    let first = groups.iter().copied().find(|g| *g != 0).unwrap_or_default();
    vec![format!(
        "eight 16-bit groups, each stored most significant byte first: {}; group {first:#06x} \
         is the bytes {:02x} {:02x}, and socket.htons({first}) = {} ({:#06x}) is the int whose \
         bytes in this host's memory are those",
        spaced(bytes),
        first >> 8,
        first & 0xff,
        first.to_be(),
        first.to_be()
    )]
}

fn spaced(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

impl Subcommand for InetArgs {
    type Lookup = Inet;

    fn lookup(&self) -> Result<Inet, Fatal> {
        Ok(match (self.packed, self.family) {
            (false, None) => Inet::Aton,
            (false, Some(f)) => Inet::Pton(f),
            (true, None) => Inet::Ntoa,
            (true, Some(f)) => Inet::Ntop(f),
        })
    }

    fn input(&self) -> Input<'_> {
        Input::Batch {
            keys: &self.keys,
            batch: &self.batch,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fromhex_reads_as_cpython_does() {
        assert_eq!(fromhex("7f 00\t0001"), Ok(vec![0x7f, 0, 0, 1]));
        assert_eq!(fromhex(""), Ok(vec![]));
        assert_eq!(fromhex("7f0"), Err(Raised::NotHex { position: 3 }));
        assert_eq!(fromhex("7 f"), Err(Raised::NotHex { position: 1 }));
        assert_eq!(fromhex("zzé"), Err(Raised::NotHex { position: 2 }));
    }
}
