//! Python's view of a command line: each word as the int or str it stands for, and CPython's C conversions of it.
//!
//! `--format python` makes the call Python makes, so a word goes through the same argument
//! conversions CPython applies before any C call ("i", "I", "s", PyLong_AsLong), and fails with
//! the same exceptions.

use std::borrow::Cow;

use crate::model::{Failure, Raised};
use crate::text::{idna, pyrepr};

/// What the C line of `--explain` says where Python raised before making the call.
pub const NOT_CALLED: &str = "(no C call: Python raised its exception first)";

/// A command-line word as the Python value it stands for: ASCII digits with an optional
/// leading `-` are an int, anything else is a str; in the python format a word in quotes is
/// the str inside them (`'80'`), and `b'...'` the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Word {
    /// An int, as `str(int(word))` spells it (no leading zeros, no `-0`).
    Int(String),
    Str(String),
    /// bytes, as UTF-8 text: a host passed as bytes skips Python's idna codec.
    Bytes(String),
}

/// The Python value a word stands for in the python format: `plain`, except that quotes
/// make a str of anything (`'80'` is the str 80) and `b'...'` makes bytes. The text inside
/// is taken as it is, with no escapes.
pub fn word(text: &str) -> Word {
    for quote in ['\'', '"'] {
        if let Some(inner) = text
            .strip_prefix(quote)
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return Word::Str(inner.to_string());
        }
        if let Some(inner) = text
            .strip_prefix('b')
            .and_then(|rest| rest.strip_prefix(quote))
            .and_then(|rest| rest.strip_suffix(quote))
        {
            return Word::Bytes(inner.to_string());
        }
    }
    plain(text)
}

/// The Python value a word stands for as the other formats pass it to C: an int for digits,
/// else the str as typed, quotes and all.
pub fn plain(text: &str) -> Word {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Word::Str(text.to_string());
    }
    let trimmed = digits.trim_start_matches('0');
    let canonical = match (trimmed.is_empty(), negative) {
        (true, _) => "0".to_string(),
        (false, true) => format!("-{trimmed}"),
        (false, false) => trimmed.to_string(),
    };
    Word::Int(canonical)
}

impl Word {
    /// The word as Python source: `80` or `'http'`.
    pub fn literal(&self) -> String {
        match self {
            Word::Int(digits) => digits.clone(),
            Word::Str(text) => pyrepr::str_repr(text),
            Word::Bytes(text) => pyrepr::bytes_repr(text.as_bytes()),
        }
    }

    /// The Python type's name, as CPython's messages give it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Word::Int(_) => "int",
            Word::Str(_) => "str",
            Word::Bytes(_) => "bytes",
        }
    }

    /// A host as Python source: an int as digits, a str as the literal that passes its bytes.
    pub fn host_literal(&self) -> String {
        match self {
            Word::Int(digits) => digits.clone(),
            Word::Str(text) => pyrepr::host_literal(text),
            Word::Bytes(text) => pyrepr::bytes_repr(text.as_bytes()),
        }
    }

    /// PyLong_AsLong: an int that fits a C long; a str is a TypeError.
    pub fn as_long(&self) -> Result<i64, Failure> {
        match self {
            Word::Str(_) | Word::Bytes(_) => Err(self.not_an_integer()),
            Word::Int(digits) => digits
                .parse::<i64>()
                .map_err(|_| Failure::raised(Raised::LongOverflow)),
        }
    }

    /// The "i" format: a C long first, then a C int.
    pub fn as_int(&self) -> Result<i32, Failure> {
        let long = self.as_long()?;
        i32::try_from(long).map_err(|_| Failure::raised(Raised::IntOverflow { below: long < 0 }))
    }

    /// The "I" format (PyLong_AsUnsignedLongMask): any int, cut to its low 32 bits, as two's
    /// complement for a negative one.
    pub fn as_uint_mask(&self) -> Result<u32, Failure> {
        match self {
            Word::Str(_) | Word::Bytes(_) => Err(self.not_an_integer()),
            Word::Int(digits) => Ok(mask32(digits)),
        }
    }

    fn not_an_integer(&self) -> Failure {
        Failure::raised(Raised::NotAnInteger {
            given: self.type_name(),
        })
    }

    /// The "s" format: a str without NUL; an int or bytes is a TypeError naming the argument.
    pub fn as_str(&self, function: &'static str, position: u8) -> Result<&str, Failure> {
        match self {
            Word::Int(_) | Word::Bytes(_) => Err(Failure::raised(Raised::WrongType {
                function,
                position,
                expected: "str",
                given: self.type_name(),
            })),
            Word::Str(text) if text.contains('\0') => Err(Failure::raised(Raised::NulCharacter)),
            Word::Str(text) => Ok(text),
        }
    }

    /// The "et" format of the gethostby* calls: a str, which CPython encodes with the idna
    /// codec first, or bytes, passed as they are; without NUL either way.
    pub fn as_host(&self, function: &'static str) -> Result<Cow<'_, str>, Failure> {
        let name = match self {
            Word::Int(_) => {
                return Err(Failure::raised(Raised::WrongType {
                    function,
                    position: 1,
                    expected: "str, bytes or bytearray",
                    given: "int",
                }));
            }
            Word::Str(text) => {
                idna::encode(text).map_err(|err| Failure::unencodable(err.to_string()))?
            }
            Word::Bytes(text) => Cow::Borrowed(text.as_str()),
        };
        if name.contains('\0') {
            return Err(Failure::raised(Raised::NulInHost {
                function,
                given: self.type_name(),
            }));
        }
        Ok(name)
    }

    /// getaddrinfo's host and port take str and bytes alike, as the bytes up to any NUL.
    pub fn text(&self) -> Option<&str> {
        match self {
            Word::Int(_) => None,
            Word::Str(text) | Word::Bytes(text) => text.split('\0').next(),
        }
    }
}

/// The "i" format on an integer option: a C long first, then a C int.
pub fn c_int(value: i128) -> Result<i32, Raised> {
    let long = i64::try_from(value).map_err(|_| Raised::LongOverflow)?;
    i32::try_from(long).map_err(|_| Raised::IntOverflow { below: long < 0 })
}

/// Decimal digits (with an optional `-`) modulo 2^32, as C's unsigned arithmetic wraps them.
pub fn mask32(digits: &str) -> u32 {
    let (negative, digits) = match digits.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, digits),
    };
    let modulus = 1u64 << 32;
    let value = digits
        .bytes()
        .filter(u8::is_ascii_digit)
        .fold(0u64, |acc, d| (acc * 10 + u64::from(d - b'0')) % modulus);
    let value = if negative {
        (modulus - value) % modulus
    } else {
        value
    };
    // value < 2^32 by construction.
    u32::try_from(value).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_are_ints_and_the_rest_strs() {
        assert_eq!(word("80"), Word::Int("80".to_string()));
        assert_eq!(word("-0"), Word::Int("0".to_string()));
        assert_eq!(word("007"), Word::Int("7".to_string()));
        assert_eq!(word("-12"), Word::Int("-12".to_string()));
        for text in ["", "-", "+80", "http", "1e3", "0x50", " 80", "127.0.0.1"] {
            assert_eq!(word(text), Word::Str(text.to_string()), "{text:?}");
        }
        assert_eq!(word("http").literal(), "'http'");
    }

    #[test]
    fn c_conversions_raise_like_cpython() {
        let line = |r: Result<i32, Failure>| r.unwrap_err().python_exception();
        assert_eq!(word("80").as_int(), Ok(80));
        assert_eq!(
            line(word("2147483648").as_int()),
            "OverflowError: signed integer is greater than maximum"
        );
        assert_eq!(
            line(word("-2147483649").as_int()),
            "OverflowError: signed integer is less than minimum"
        );
        assert_eq!(
            line(word("9223372036854775808").as_int()),
            "OverflowError: Python int too large to convert to C long"
        );
        assert_eq!(
            line(word("x").as_int()),
            "TypeError: 'str' object cannot be interpreted as an integer"
        );
        assert_eq!(word("-1").as_uint_mask(), Ok(u32::MAX));
        assert_eq!(word("4294967296").as_uint_mask(), Ok(0));
        assert_eq!(word("18446744073709551617").as_uint_mask(), Ok(1));
        assert_eq!(
            word("80")
                .as_str("getservbyname", 1)
                .unwrap_err()
                .python_exception(),
            "TypeError: getservbyname() argument 1 must be str, not int"
        );
    }
}
