//! Shared pieces of `--explain`: C arguments as C source, Python arguments as Python source.

use crate::sys::netdb::Hints;

use super::{pyrepr, symbols};

/// A C string argument as C source: `"localhost"`, or `NULL` where none is passed.
pub fn c_str(text: Option<&str>) -> String {
    let Some(text) = text else {
        return "NULL".to_string();
    };
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A constant as C source: its name, or the number where there is none (0 stays 0 for "any").
fn c_symbol(group: &str, value: i32) -> String {
    if value == 0 && group != "AF_" {
        return "0".to_string();
    }
    symbols::name_or_number(group, value)
}

/// Flags of a group (AI_, NI_) as C source: `AI_CANONNAME|AI_PASSIVE`.
pub fn c_flags(group: &str, flags: i32) -> String {
    let (names, rest) = symbols::flag_names(group, flags);
    let mut parts: Vec<String> = names.iter().map(|name| (*name).to_string()).collect();
    if rest != 0 || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts.join("|")
}

/// getaddrinfo's hints, field by field: `{ai_family=AF_UNSPEC, ai_socktype=0, ...}`.
pub fn c_hints(hints: Hints) -> String {
    format!(
        "{{ai_family={}, ai_socktype={}, ai_protocol={}, ai_flags={}}}",
        c_symbol("AF_", hints.family),
        c_symbol("SOCK_", hints.socktype),
        c_symbol("IPPROTO_", hints.protocol),
        c_flags("AI_", hints.flags)
    )
}

/// The whole getaddrinfo call as C source.
pub fn c_getaddrinfo(host: Option<&str>, service: Option<&str>, hints: Hints) -> String {
    format!(
        "getaddrinfo({}, {}, {})",
        c_str(host),
        c_str(service),
        c_hints(hints)
    )
}

/// A Python str literal.
pub fn py_str(text: &str) -> String {
    pyrepr::str_repr(text)
}

/// Python's getaddrinfo call with only the non-default arguments, by keyword; the host and
/// port are Python source already (`None`, `'localhost'`, `80`).
pub fn py_getaddrinfo(host: &str, port: &str, hints: Hints) -> String {
    let mut args = vec![host.to_string(), port.to_string()];
    if hints.family != 0 {
        args.push(format!(
            "family={}",
            pyrepr::constant_literal("AF_", i64::from(hints.family))
        ));
    }
    if hints.socktype != 0 {
        args.push(format!(
            "type={}",
            pyrepr::constant_literal("SOCK_", i64::from(hints.socktype))
        ));
    }
    if hints.protocol != 0 {
        args.push(format!(
            "proto={}",
            pyrepr::constant_literal("IPPROTO_", i64::from(hints.protocol))
        ));
    }
    if hints.flags != 0 {
        args.push(format!("flags={}", pyrepr::flags_literal(hints.flags)));
    }
    format!("socket.getaddrinfo({})", args.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_read_like_c() {
        assert_eq!(
            c_getaddrinfo(Some("localhost"), Some("http"), Hints::default()),
            "getaddrinfo(\"localhost\", \"http\", {ai_family=AF_UNSPEC, ai_socktype=0, \
             ai_protocol=0, ai_flags=0})"
        );
        let hints = Hints {
            family: libc::AF_INET6,
            socktype: libc::SOCK_STREAM,
            protocol: libc::IPPROTO_TCP,
            flags: libc::AI_CANONNAME | libc::AI_PASSIVE,
        };
        assert_eq!(
            c_hints(hints),
            "{ai_family=AF_INET6, ai_socktype=SOCK_STREAM, ai_protocol=IPPROTO_TCP, \
             ai_flags=AI_PASSIVE|AI_CANONNAME}"
        );
        assert_eq!(c_str(None), "NULL");
    }

    #[test]
    fn python_lines_use_keywords_for_hints() {
        assert_eq!(
            py_getaddrinfo("'localhost'", "'http'", Hints::default()),
            "socket.getaddrinfo('localhost', 'http')"
        );
        let hints = Hints {
            family: libc::AF_INET,
            flags: libc::AI_PASSIVE,
            ..Hints::default()
        };
        assert_eq!(
            py_getaddrinfo("None", "8080", hints),
            "socket.getaddrinfo(None, 8080, family=socket.AF_INET, flags=socket.AI_PASSIVE)"
        );
    }
}
