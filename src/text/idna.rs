//! Python's `idna` codec (IDNA 2003: nameprep, then ToASCII per label), which CPython applies to every str host before libc sees it.
//!
//! `socket.getaddrinfo` does `host.encode("idna")`; `gethostbyname`, `gethostbyname_ex` and
//! `gethostbyaddr` parse their argument with `PyArg_ParseTuple(args, "et", "idna", ...)`, which
//! is the same codec. This is `Lib/encodings/idna.py`'s `Codec.encode`, step for step: an
//! all-ASCII name is only checked, never changed (not even lowercased); any other name is split
//! on the four dots of RFC 3490 and each label goes through `ToASCII`.

use std::borrow::Cow;
use std::fmt;

use super::nameprep::{Refusal, nameprep};
use super::pyrepr;

/// The longest label, in encoded bytes.
const MAX_LABEL: usize = 63;

/// The ACE prefix of an encoded label.
const ACE_PREFIX: &str = "xn--";

/// Why Python's `idna` codec refuses a name; `Display` is the text of its UnicodeError.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdnaError {
    /// An empty label (`a..b`, a leading dot), or one longer than 63 bytes once encoded.
    LabelEmptyOrTooLong,
    /// An all-ASCII name whose last label is longer than 63 bytes (the fast path's own words).
    LabelTooLong,
    /// A label that nameprep leaves non-ASCII but already starts with `xn--`.
    AcePrefix,
    /// A character nameprep prohibits (spaces, controls, private use, ...).
    InvalidCharacter(char),
    /// A label mixing right-to-left and left-to-right characters.
    Bidi2,
    /// A right-to-left label that does not start and end with a right-to-left character.
    Bidi3,
}

impl fmt::Display for IdnaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            IdnaError::LabelEmptyOrTooLong => f.write_str("label empty or too long"),
            IdnaError::LabelTooLong => f.write_str("label too long"),
            IdnaError::AcePrefix => f.write_str("Label starts with ACE prefix"),
            IdnaError::InvalidCharacter(c) => write!(f, "Invalid character {}", char_repr(*c)),
            IdnaError::Bidi2 => f.write_str("Violation of BIDI requirement 2"),
            IdnaError::Bidi3 => f.write_str("Violation of BIDI requirement 3"),
        }
    }
}

impl From<Refusal> for IdnaError {
    fn from(refusal: Refusal) -> Self {
        match refusal {
            Refusal::Prohibited(c) => IdnaError::InvalidCharacter(c),
            Refusal::Bidi2 => IdnaError::Bidi2,
            Refusal::Bidi3 => IdnaError::Bidi3,
        }
    }
}

/// `repr()` of one character. The prohibited characters that are format characters or
/// noncharacters are not printable to Python either, beyond what `pyrepr` knows of.
fn char_repr(c: char) -> String {
    let n = c as u32;
    let unprintable = matches!(n, 0x1D173..=0x1D17A | 0xE0001 | 0xE0020..=0xE007F | 0xFDD0..=0xFDEF)
        || n & 0xFFFE == 0xFFFE;
    match n {
        _ if !unprintable => pyrepr::str_repr(&c.to_string()),
        0..=0xFFFF => format!("'\\u{n:04x}'"),
        _ => format!("'\\U{n:08x}'"),
    }
}

/// The characters RFC 3490 section 3.1 takes as label separators.
fn is_dot(c: char) -> bool {
    matches!(c, '.' | '\u{3002}' | '\u{FF0E}' | '\u{FF61}')
}

/// `name.encode("idna")` as text: the ASCII name libc is given.
pub fn encode(name: &str) -> Result<Cow<'_, str>, IdnaError> {
    if name.is_ascii() {
        // The fast path, the name as it is: every label but the last must be 1 to 63 bytes,
        // the last (empty after a trailing dot) at most 63. One pass, the labels measured as
        // they end.
        let mut label = 0usize;
        for &byte in name.as_bytes() {
            if byte != b'.' {
                label += 1;
                continue;
            }
            if label == 0 || label > MAX_LABEL {
                return Err(IdnaError::LabelEmptyOrTooLong);
            }
            label = 0;
        }
        if label > MAX_LABEL {
            return Err(IdnaError::LabelTooLong);
        }
        return Ok(Cow::Borrowed(name));
    }
    let mut labels: Vec<&str> = name.split(is_dot).collect();
    let trailing_dot = labels.last().is_some_and(|label| label.is_empty());
    if trailing_dot {
        labels.pop();
    }
    let mut encoded = String::with_capacity(name.len() + 8);
    for label in labels {
        if !encoded.is_empty() {
            encoded.push('.');
        }
        encoded.push_str(&to_ascii(label)?);
    }
    if trailing_dot {
        encoded.push('.');
    }
    Ok(Cow::Owned(encoded))
}

/// RFC 3490's ToASCII with AllowUnassigned and without UseSTD3ASCIIRules, as CPython has it.
fn to_ascii(label: &str) -> Result<String, IdnaError> {
    if label.is_ascii() {
        return checked(label.to_string());
    }
    let prepared = nameprep(label)?;
    if prepared.is_ascii() {
        return checked(prepared);
    }
    if prepared.starts_with(ACE_PREFIX) {
        return Err(IdnaError::AcePrefix);
    }
    // The punycode encoder gives up only where the result would be thousands of bytes long.
    let punycode = idna::punycode::encode_str(&prepared).ok_or(IdnaError::LabelEmptyOrTooLong)?;
    checked(format!("{ACE_PREFIX}{punycode}"))
}

/// ToASCII's step 8: the label must be 1 to 63 bytes.
fn checked(label: String) -> Result<String, IdnaError> {
    if label.is_empty() || label.len() > MAX_LABEL {
        return Err(IdnaError::LabelEmptyOrTooLong);
    }
    Ok(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(name: &str) -> String {
        encode(name).unwrap().into_owned()
    }

    #[test]
    fn ascii_names_are_only_checked() {
        assert_eq!(ok("LocalHost"), "LocalHost");
        assert_eq!(ok("a.b."), "a.b.");
        assert_eq!(ok(""), "");
        assert_eq!(ok(&"a".repeat(63)), "a".repeat(63));
        assert!(matches!(encode("a.b"), Ok(Cow::Borrowed(_))));
        assert_eq!(encode("a..b"), Err(IdnaError::LabelEmptyOrTooLong));
        assert_eq!(encode("."), Err(IdnaError::LabelEmptyOrTooLong));
        assert_eq!(encode(&"a".repeat(64)), Err(IdnaError::LabelTooLong));
        assert_eq!(
            encode(&format!("{}.b", "a".repeat(64))),
            Err(IdnaError::LabelEmptyOrTooLong)
        );
        // The fast path counts no total length, and nor does Python.
        let long = vec!["a".repeat(63); 5].join(".");
        assert_eq!(ok(&long), long);
    }

    /// The checks the fast path makes, written the plain way: every label split out.
    fn ascii_by_labels(name: &str) -> Result<(), IdnaError> {
        let mut labels: Vec<&str> = name.split('.').collect();
        let last = labels.pop().unwrap_or_default();
        if labels.iter().any(|l| l.is_empty() || l.len() > MAX_LABEL) {
            return Err(IdnaError::LabelEmptyOrTooLong);
        }
        if last.len() > MAX_LABEL {
            return Err(IdnaError::LabelTooLong);
        }
        Ok(())
    }

    proptest::proptest! {
        #[test]
        fn the_ascii_fast_path_checks_every_label(
            name in "(\\.|a{0,2}|b{60,66}){0,6}"
        ) {
            let fast = encode(&name).map(|encoded| {
                assert_eq!(encoded, name.as_str());
            });
            proptest::prop_assert_eq!(fast, ascii_by_labels(&name));
        }
    }

    #[test]
    fn other_names_are_encoded_per_label() {
        assert_eq!(ok("испытание.example"), "xn--80akhbyknj4f.example");
        assert_eq!(ok("ｌｏｃａｌｈｏｓｔ"), "localhost");
        assert_eq!(ok("Bücher.Example"), "xn--bcher-kva.Example");
        assert_eq!(ok("bücher。example｡"), "xn--bcher-kva.example.");
        assert_eq!(ok("soft\u{AD}hyphen\u{200B}.ü"), "softhyphen.xn--tda");
        assert_eq!(ok("例え．テスト"), "xn--r8jz45g.xn--zckzah");
        assert_eq!(ok("😀.example"), "xn--e28h.example");
    }

    #[test]
    fn refusals_have_pythons_words() {
        let text = |name: &str| encode(name).unwrap_err().to_string();
        assert_eq!(text("ü..b"), "label empty or too long");
        assert_eq!(text("\u{AD}.ü"), "label empty or too long");
        assert_eq!(text(&"ü".repeat(70)), "label empty or too long");
        assert_eq!(text("xn--ü"), "Label starts with ACE prefix");
        assert_eq!(text("a\u{E000}"), r"Invalid character '\ue000'");
        assert_eq!(text("a\u{E0001}"), r"Invalid character '\U000e0001'");
        assert_eq!(text("a\u{FFFD}"), "Invalid character '\u{FFFD}'");
        assert_eq!(text("\u{627}a"), "Violation of BIDI requirement 2");
        assert_eq!(text("\u{627}1"), "Violation of BIDI requirement 3");
    }
}
