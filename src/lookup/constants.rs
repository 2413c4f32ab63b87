//! The socket constants CPython's `socket` module knows on Linux, by prefix, by value and by name.

use crate::model::{Answer, Constant, Failure};

use super::constants_table::{CONSTANTS, ENUM_NAMES};

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
    Answer::new(Some(prefix.to_string()), result)
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
    Answer::new(Some(value.to_string()), result)
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
