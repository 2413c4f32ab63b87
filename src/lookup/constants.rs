//! The socket constants CPython's `socket` module knows on Linux, by prefix, by value and by name.

use crate::model::{Answer, Call, Constant, Failure};
use crate::pyrepr::{Py, str_repr};

use super::constants_table::{CONSTANTS, ENUM_NAMES};

/// Names sockscope knows that CPython's socket module lacks (scripts/gen-constants.py's EXTRA):
/// `--format python` leaves them out, because Python's answer does not have them.
pub const NOT_IN_PYTHON: &[&str] = &["AF_LOCAL"];

/// The groups sockscope knows, in the order `constants` lists them.
pub fn groups() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for (group, _, _) in CONSTANTS {
        if !groups.contains(group) {
            groups.push(group);
        }
    }
    groups
}

fn record(group: &str, name: &str, value: i64) -> Constant {
    Constant {
        name: name.to_string(),
        value,
        prefix: group.to_string(),
    }
}

/// What the user typed as a prefix, as Python's `startswith` would test it: upper case, and a
/// bare group name (`af`, `AF`) gets its underscore so `SO` does not also match `SOCK_`.
pub fn normalize_prefix(prefix: &str) -> String {
    let upper = prefix.to_ascii_uppercase();
    let with_underscore = format!("{upper}_");
    if groups().contains(&with_underscore.as_str()) {
        with_underscore
    } else {
        upper
    }
}

/// Every constant whose name starts with `prefix` (already normalized).
pub fn by_prefix(prefix: &str) -> Answer<Constant> {
    let rows: Vec<Constant> = CONSTANTS
        .iter()
        .filter(|(_, name, _)| name.starts_with(prefix))
        .map(|(group, name, value)| record(group, name, *value))
        .collect();
    let result = if rows.is_empty() {
        Err(Failure::not_found(format!(
            "no constant starts with {prefix} (groups: {})",
            groups().join(" ")
        )))
    } else {
        Ok(rows)
    };
    let mut notes = vec![NO_C_CALL_NOTE.to_string()];
    if let Ok(rows) = &result {
        notes.extend(shared_value_note(rows));
    }
    let call = Call {
        c: NO_C_CALL.to_string(),
        python: format!(
            "{{getattr(socket, n): n for n in dir(socket) if n.startswith({})}}",
            str_repr(prefix)
        ),
        notes,
        function: "constants_by_prefix",
    };
    let mut answer = Answer::new(Some(prefix.to_string()), result);
    answer.call = Some(call);
    answer
}

/// Constants are not looked up: the C side is the headers the module was compiled against.
const NO_C_CALL: &str =
    "(no call: compile-time constants from <sys/socket.h>, <netinet/in.h> and <netdb.h>)";
const NO_C_CALL_NOTE: &str = "AF_, SOCK_, AI_ and MSG_ values are enum members in Python 3 \
     (AddressFamily, SocketKind, AddressInfo, MsgFlag); the other groups are plain ints";

/// The lecture's dict keeps one name per value: say which names it drops.
fn shared_value_note(rows: &[Constant]) -> Option<String> {
    let mut shared: Vec<String> = Vec::new();
    for row in rows {
        let mut names: Vec<&str> = rows
            .iter()
            .filter(|r| r.value == row.value && !NOT_IN_PYTHON.contains(&r.name.as_str()))
            .map(|r| r.name.as_str())
            .collect();
        names.sort_unstable();
        if names.len() > 1 && names[0] == row.name {
            shared.push(names.join(" = "));
        }
    }
    (!shared.is_empty()).then(|| {
        format!(
            "a dict keeps one name per value, the last in dir() order: {}",
            shared.join(", ")
        )
    })
}

/// Every constant with this value, within the given prefixes (all groups when none).
pub fn by_value(value: i64, prefixes: &[String]) -> Answer<Constant> {
    let rows: Vec<Constant> = CONSTANTS
        .iter()
        .filter(|(_, name, v)| {
            *v == value && (prefixes.is_empty() || prefixes.iter().any(|p| name.starts_with(p)))
        })
        .map(|(group, name, value)| record(group, name, *value))
        .collect();
    let result = if rows.is_empty() {
        let scope = if prefixes.is_empty() {
            String::new()
        } else {
            format!(" among {}", prefixes.join(" "))
        };
        Err(Failure::not_found(format!(
            "no constant has the value {value}{scope}"
        )))
    } else {
        Ok(rows)
    };
    let scope: Vec<Py> = if prefixes.is_empty() {
        groups().into_iter().map(Py::str).collect()
    } else {
        prefixes.iter().map(Py::str).collect()
    };
    let call = Call {
        c: NO_C_CALL.to_string(),
        python: format!(
            "[n for n in dir(socket) if n.startswith({}) and getattr(socket, n) == {value}]",
            Py::Tuple(scope)
        ),
        notes: vec![NO_C_CALL_NOTE.to_string()],
        function: "constants_by_value",
    };
    let mut answer = Answer::new(Some(value.to_string()), result);
    answer.call = Some(call);
    answer
}

/// The value of a constant by its full name (`AF_INET6`), if sockscope knows it.
pub fn value_of(name: &str) -> Option<i64> {
    CONSTANTS
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(_, _, value)| *value)
}

/// The name CPython shows for `value` in `group` (`AF_UNIX`, not `AF_LOCAL`, for 1).
pub fn name_of(group: &str, value: i64) -> Option<&'static str> {
    let mut names = CONSTANTS
        .iter()
        .filter(|(g, _, v)| *g == group && *v == value)
        .map(|(_, name, _)| *name);
    let first = names.next()?;
    Some(
        std::iter::once(first)
            .chain(names)
            .find(|name| ENUM_NAMES.contains(name))
            .unwrap_or(first),
    )
}

/// A symbolic name as the user may type it: `inet6`, `AF_INET6`, `af_inet6`, or a number.
pub fn parse_symbol(group: &str, text: &str) -> Result<i64, String> {
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n);
    }
    let upper = text.to_ascii_uppercase();
    let full = if upper.starts_with(group) {
        upper
    } else {
        format!("{group}{upper}")
    };
    value_of(&full).ok_or_else(|| format!("unknown {group} name: {text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_values_show_python_names() {
        assert_eq!(name_of("AF_", i64::from(libc::AF_UNIX)), Some("AF_UNIX"));
        assert_eq!(name_of("AF_", i64::from(libc::AF_INET6)), Some("AF_INET6"));
        assert_eq!(
            name_of("SOCK_", i64::from(libc::SOCK_DGRAM)),
            Some("SOCK_DGRAM")
        );
        assert_eq!(name_of("AF_", 9999), None);
    }

    #[test]
    fn prefixes_are_normalized_like_groups() {
        assert_eq!(normalize_prefix("af"), "AF_");
        assert_eq!(normalize_prefix("SO"), "SO_");
        assert_eq!(normalize_prefix("ipv6_"), "IPV6_");
        assert_eq!(normalize_prefix("AF_INET"), "AF_INET");
    }

    #[test]
    fn symbols_parse_with_or_without_prefix() {
        assert_eq!(parse_symbol("AF_", "inet6"), Ok(i64::from(libc::AF_INET6)));
        assert_eq!(parse_symbol("AF_", "AF_INET"), Ok(i64::from(libc::AF_INET)));
        assert_eq!(parse_symbol("AF_", "42"), Ok(42));
        assert!(parse_symbol("AF_", "bogus").is_err());
    }

    #[test]
    fn every_group_of_the_issue_is_known() {
        for group in [
            "AF_", "SOCK_", "IPPROTO_", "AI_", "NI_", "EAI_", "SOL_", "SO_", "MSG_", "SHUT_",
            "TCP_", "IP_", "IPV6_",
        ] {
            assert!(groups().contains(&group), "{group}");
        }
    }
}
