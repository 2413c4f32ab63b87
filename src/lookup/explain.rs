//! Shared pieces of `--explain`: C arguments as C source, Python arguments as Python source.

use crate::model::Failure;
use crate::pyrepr;
use crate::sys::netdb::Hints;

use super::constants;

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
    constants::name_of(group, i64::from(value)).map_or_else(|| value.to_string(), str::to_string)
}

/// Flags of a group (AI_, NI_) as C source: `AI_CANONNAME|AI_PASSIVE`.
pub fn c_flags(group: &str, flags: i32) -> String {
    let mut parts = Vec::new();
    let mut rest = flags;
    for bit in 0..31 {
        let value = 1_i32 << bit;
        if rest & value != 0
            && let Some(name) = constants::name_of(group, i64::from(value))
        {
            parts.push(name.to_string());
            rest &= !value;
        }
    }
    if rest != 0 || parts.is_empty() {
        parts.push(rest.to_string());
    }
    parts.join("|")
}

/// getaddrinfo's hints as the issue spells them: `{ai_family=AF_UNSPEC, ai_socktype=0, ...}`.
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

/// A getaddrinfo port as Python source: an int for a plain number (CPython formats it back
/// with "%ld", so the C call sees the same digits), a str for a name, None for NULL.
pub fn py_port(service: Option<&str>) -> String {
    match service {
        None => "None".to_string(),
        Some(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => s
            .parse::<u16>()
            .map_or_else(|_| py_str(s), |n| n.to_string()),
        Some(s) => py_str(s),
    }
}

/// Python's getaddrinfo call with only the non-default arguments, by keyword.
pub fn py_getaddrinfo(host: Option<&str>, service: Option<&str>, hints: Hints) -> String {
    let mut args = vec![
        host.map_or_else(|| "None".to_string(), pyrepr::host_literal),
        py_port(service),
    ];
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

/// What a failure usually means, for the notes; `None` where the message says it all.
pub fn failure_note(failure: &Failure) -> Option<String> {
    // A refused host name is EAI_NONAME too, but the generic note would blame the sources.
    if let Some(note) = super::dnsname::note(failure) {
        return Some(note);
    }
    if failure.message.starts_with("AI_ADDRCONFIG:") {
        return Some(
            "AI_ADDRCONFIG asks only for families this machine has an address of, and glibc \
             (its __check_pf) counts neither 127.0.0.1 nor ::1: with AF_INET or AF_INET6 and no \
             such address it returns EAI_NONAME before any name service is asked"
                .to_string(),
        );
    }
    let note = match failure.code.as_str() {
        "INVALID_INPUT" => "sockscope refused this input, so no call was made",
        "EAI_NONAME" => {
            "EAI_NONAME: no source the resolver asked (/etc/hosts, DNS, as /etc/nsswitch.conf \
             says) knows this name, or the service is unknown"
        }
        "EAI_SERVICE" => "EAI_SERVICE: the service is not known for this socket type",
        "EAI_ADDRFAMILY" | "EAI_NODATA" => "the name exists but has no address in this family",
        "EAI_AGAIN" => "EAI_AGAIN: a temporary failure (no answer from DNS); retrying may help",
        "EAI_FAMILY" => "EAI_FAMILY: getaddrinfo does not support this address family",
        "EAI_SOCKTYPE" => {
            "EAI_SOCKTYPE: this socket type is not supported, or does not go with this protocol"
        }
        "EAI_BADFLAGS" => "EAI_BADFLAGS: this combination of flags is invalid",
        "HOST_NOT_FOUND" => "h_errno HOST_NOT_FOUND: Python raises socket.herror for it",
        _ => return None,
    };
    Some(note.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hints_read_like_the_issue() {
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
            py_getaddrinfo(Some("localhost"), Some("http"), Hints::default()),
            "socket.getaddrinfo('localhost', 'http')"
        );
        let hints = Hints {
            family: libc::AF_INET,
            flags: libc::AI_PASSIVE,
            ..Hints::default()
        };
        assert_eq!(
            py_getaddrinfo(None, Some("8080"), hints),
            "socket.getaddrinfo(None, 8080, family=socket.AF_INET, flags=socket.AI_PASSIVE)"
        );
    }
}
