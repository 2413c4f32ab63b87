//! Python values and their `repr`, so `--format python` and `--explain` print what CPython prints.

use std::fmt::{self, Write as _};

use super::symbols;

/// A Python value as far as the socket module's answers need one; `Display` is its `repr`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Py {
    Int(i64),
    Str(String),
    /// A member of one of the socket module's enums: `<AddressFamily.AF_INET: 2>`.
    Enum {
        class: &'static str,
        name: String,
        value: i64,
    },
    Tuple(Vec<Py>),
    List(Vec<Py>),
    Dict(Vec<(Py, Py)>),
    /// `bytes`: `b'\x7f\x00\x00\x01'`.
    Bytes(Vec<u8>),
    /// An object whose repr is fixed text (a class, a function): `<enum 'AddressFamily'>`.
    Object(&'static str),
}

impl Py {
    pub fn str(text: impl Into<String>) -> Py {
        Py::Str(text.into())
    }

    pub fn strs<S: AsRef<str>>(items: &[S]) -> Py {
        Py::List(items.iter().map(|s| Py::str(s.as_ref())).collect())
    }

    /// What the socket module holds for a constant of `group` with this value: an enum member
    /// where CPython wraps the group in an enum and knows the value, the plain int otherwise
    /// (CPython's `_intenum_converter` does the same for getaddrinfo's family and type).
    pub fn constant(group: &str, value: i64) -> Py {
        let member = enum_class(group).and_then(|class| {
            let name = symbols::name_of(group, value)?;
            is_enum_name(name).then(|| Py::Enum {
                class,
                name: name.to_string(),
                value,
            })
        });
        member.unwrap_or(Py::Int(value))
    }

    /// `getattr(socket, name)`: upper-case names of an enum group are its members (by their
    /// canonical name), any other name is a plain int.
    pub fn attribute(group: &str, name: &str, value: i64) -> Py {
        if is_enum_name(name) {
            Py::constant(group, value)
        } else {
            Py::Int(value)
        }
    }

    /// `constant` for a value sockscope stored as its symbolic name, or as a number where it has none.
    pub fn symbol(group: &str, text: &str) -> Py {
        if let Ok(n) = text.parse::<i64>() {
            return Py::constant(group, n);
        }
        symbols::value_of(text).map_or_else(|| Py::str(text), |v| Py::constant(group, v))
    }
}

/// The enum CPython's socket module builds for a group of constants, if any.
fn enum_class(group: &str) -> Option<&'static str> {
    match group {
        "AF_" => Some("AddressFamily"),
        "SOCK_" => Some("SocketKind"),
        "AI_" => Some("AddressInfo"),
        "MSG_" => Some("MsgFlag"),
        _ => None,
    }
}

/// CPython converts only upper-case names into enum members (`AF_DECnet` stays a plain int).
fn is_enum_name(name: &str) -> bool {
    !name.bytes().any(|b| b.is_ascii_lowercase())
}

fn join(f: &mut fmt::Formatter<'_>, items: &[Py]) -> fmt::Result {
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        write!(f, "{item}")?;
    }
    Ok(())
}

impl fmt::Display for Py {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Py::Int(n) => write!(f, "{n}"),
            Py::Str(s) => f.write_str(&str_repr(s)),
            Py::Enum { class, name, value } => write!(f, "<{class}.{name}: {value}>"),
            Py::Tuple(items) => {
                f.write_str("(")?;
                join(f, items)?;
                // A one-element tuple needs its comma, or it would read as parentheses.
                f.write_str(if items.len() == 1 { ",)" } else { ")" })
            }
            Py::List(items) => {
                f.write_str("[")?;
                join(f, items)?;
                f.write_str("]")
            }
            Py::Dict(pairs) => {
                f.write_str("{")?;
                for (i, (k, v)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    write!(f, "{k}: {v}")?;
                }
                f.write_str("}")
            }
            Py::Bytes(bytes) => f.write_str(&bytes_repr(bytes)),
            Py::Object(text) => f.write_str(text),
        }
    }
}

/// The quote `repr` picks: single, unless the text has a single quote and no double quote.
fn quote_for(has_single: bool, has_double: bool) -> char {
    if has_single && !has_double { '"' } else { '\'' }
}

/// `repr(str)`: CPython's rules for quotes and escapes.
pub fn str_repr(text: &str) -> String {
    let quote = quote_for(text.contains('\''), text.contains('"'));
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if c.is_ascii() || is_printable(c) => out.push(c),
            c => {
                let n = c as u32;
                let _ = match n {
                    0..=0xff => write!(out, "\\x{n:02x}"),
                    0x100..=0xffff => write!(out, "\\u{n:04x}"),
                    _ => write!(out, "\\U{n:08x}"),
                };
            }
        }
    }
    out.push(quote);
    out
}

/// `str.isprintable()` for a non-ASCII character. Rust has no Unicode category table, so this
/// lists the categories CPython escapes (Cc, Cf, Zs, Zl, Zp, Co) for the ranges where they occur
/// in practice; anything else is treated as printable.
fn is_printable(c: char) -> bool {
    !matches!(c as u32,
        0x80..=0xa0 | 0xad | 0x600..=0x605 | 0x61c | 0x6dd | 0x70f | 0x1680 | 0x180e
        | 0x2000..=0x200f | 0x2028..=0x202f | 0x205f..=0x2064 | 0x2066..=0x206f
        | 0x3000 | 0xe000..=0xf8ff | 0xfeff | 0xfff9..=0xfffb | 0xf0000..)
}

/// `repr(bytes)`: printable ASCII as is, everything else as `\xNN`.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let quote = quote_for(bytes.contains(&b'\''), bytes.contains(&b'"'));
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push('b');
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b if char::from(b) == quote => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            b => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push(quote);
    out
}

/// A host name as Python source: a str, which Python encodes with its idna codec before the
/// C call, as sockscope does.
pub fn host_literal(host: &str) -> String {
    str_repr(host)
}

/// A constant as Python source: `socket.AF_INET`, or the number where Python has no name for it.
pub fn constant_literal(group: &str, value: i64) -> String {
    symbols::name_of(group, value)
        .map_or_else(|| value.to_string(), |name| format!("socket.{name}"))
}

/// AI_ flags as Python source: `socket.AI_CANONNAME | socket.AI_PASSIVE`, leftover bits as a number.
pub fn flags_literal(flags: i32) -> String {
    group_flags_literal("AI_", flags)
}

/// Flags of any group (AI_, NI_) as Python source, each known bit by its name.
pub fn group_flags_literal(group: &str, flags: i32) -> String {
    let (names, rest) = symbols::flag_names(group, flags);
    let mut parts: Vec<String> = names.iter().map(|name| format!("socket.{name}")).collect();
    if rest != 0 || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts.join(" | ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_quote_like_python() {
        assert_eq!(str_repr("http"), "'http'");
        assert_eq!(str_repr("it's"), "\"it's\"");
        assert_eq!(str_repr("a\"b'c"), "'a\"b\\'c'");
        assert_eq!(
            str_repr("\x7f\u{80}\u{a0}\u{ad}\u{2028}é\t"),
            "'\\x7f\\x80\\xa0\\xad\\u2028é\\t'"
        );
        assert_eq!(str_repr("a\\b\0"), "'a\\\\b\\x00'");
    }

    #[test]
    fn bytes_quote_like_python() {
        assert_eq!(bytes_repr("bü'x".as_bytes()), "b\"b\\xc3\\xbc'x\"");
        assert_eq!(host_literal("bücher"), "'bücher'");
        assert_eq!(host_literal("localhost"), "'localhost'");
    }

    #[test]
    fn containers_and_enums() {
        let addr = Py::Tuple(vec![Py::str("127.0.0.1"), Py::Int(80)]);
        let row = Py::Tuple(vec![
            Py::constant("AF_", 2),
            Py::constant("SOCK_", 1),
            Py::Int(6),
            Py::str(""),
            addr,
        ]);
        assert_eq!(
            Py::List(vec![row]).to_string(),
            "[(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 6, '', ('127.0.0.1', 80))]"
        );
        assert_eq!(Py::Tuple(vec![Py::Int(1)]).to_string(), "(1,)");
        assert_eq!(Py::Dict(vec![]).to_string(), "{}");
        assert_eq!(Py::constant("AF_", 12).to_string(), "12"); // AF_DECnet is not upper case
        assert_eq!(Py::constant("IPPROTO_", 6).to_string(), "6");
        assert_eq!(Py::symbol("AF_", "9999").to_string(), "9999");
    }

    #[test]
    fn literals_name_constants() {
        assert_eq!(constant_literal("AF_", 2), "socket.AF_INET");
        assert_eq!(constant_literal("AF_", 9999), "9999");
        assert_eq!(
            flags_literal(libc::AI_CANONNAME | libc::AI_PASSIVE),
            "socket.AI_PASSIVE | socket.AI_CANONNAME"
        );
        assert_eq!(flags_literal(0), "0");
        assert_eq!(flags_literal(0x4000), "16384");
        assert_eq!(
            group_flags_literal("NI_", libc::NI_NAMEREQD | libc::NI_DGRAM),
            "socket.NI_NAMEREQD | socket.NI_DGRAM"
        );
    }
}
