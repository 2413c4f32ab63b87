//! Socket constants by name and value, from the generated table: lookups every layer above shares.

use super::constants_table::{CONSTANTS, ENUM_NAMES, OBJECTS};

/// Names sockscope knows that CPython's socket module lacks (scripts/gen-constants.py's EXTRA):
/// `--format python` leaves them out, because Python's answer does not have them.
pub const NOT_IN_PYTHON: &[&str] = &["AF_LOCAL"];

/// Every constant as (group, name, value), in the table's order.
pub fn all() -> &'static [(&'static str, &'static str, i64)] {
    CONSTANTS
}

/// The attributes of the socket module that are not ints, with Python's repr of each.
pub fn objects() -> &'static [(&'static str, &'static str)] {
    OBJECTS
}

/// A name's group: the name up to and including its first underscore, or the whole name.
pub fn group_of(name: &str) -> &str {
    name.find('_').map_or(name, |at| &name[..=at])
}

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

/// The value of a constant by its full name (`AF_INET6`), if sockscope knows it.
pub fn value_of(name: &str) -> Option<i64> {
    CONSTANTS
        .iter()
        .find(|(_, n, _)| *n == name)
        .map(|(_, _, value)| *value)
}

/// The name CPython shows for `value` in `group` (`AF_UNIX`, not `AF_LOCAL`, for 1).
pub fn name_of(group: &str, value: i64) -> Option<&'static str> {
    // A batch asks this for every record it prints, mostly for the same few values: the last
    // answers are kept per thread, which is cheaper than a walk through the table.
    let remembered = RECENT.with(|recent| {
        recent
            .borrow()
            .iter()
            .find(|(g, v, _)| *v == value && g == group)
            .map(|(_, _, name)| *name)
    });
    if let Some(name) = remembered {
        return name;
    }
    let name = look_up_name(group, value);
    RECENT.with(|recent| {
        let mut recent = recent.borrow_mut();
        if recent.len() == RECENT_KEPT {
            recent.remove(0);
        }
        recent.push((group.to_string(), value, name));
    });
    name
}

/// How many answers of `name_of` each thread keeps.
const RECENT_KEPT: usize = 8;

/// A group and a value, and the answer `name_of` gave for them.
type Recent = Vec<(String, i64, Option<&'static str>)>;

thread_local! {
    static RECENT: std::cell::RefCell<Recent> = const { std::cell::RefCell::new(Vec::new()) };
}

fn look_up_name(group: &str, value: i64) -> Option<&'static str> {
    // The number first: one comparison rules out nearly every constant.
    let mut names = CONSTANTS
        .iter()
        .filter(|(g, _, v)| *v == value && *g == group)
        .map(|(_, name, _)| *name);
    let first = names.next()?;
    Some(
        std::iter::once(first)
            .chain(names)
            .find(|name| ENUM_NAMES.contains(name))
            .unwrap_or(first),
    )
}

/// `name_or_number` without an allocation for a value that has a name.
pub fn name_or_number_cow(group: &str, value: i32) -> std::borrow::Cow<'static, str> {
    name_of(group, i64::from(value)).map_or_else(|| value.to_string().into(), Into::into)
}

/// The name CPython shows for a value in a group, or the number itself where it has none.
pub fn name_or_number(group: &str, value: i32) -> String {
    name_or_number_cow(group, value).into_owned()
}

/// The names of the set bits of `flags` in a flag group (AI_, NI_), lowest bit first, and the
/// bits no name covers: the one walk both C source and Python source print flags from.
pub fn flag_names(group: &str, flags: i32) -> (Vec<&'static str>, i64) {
    let mut names = Vec::new();
    let mut rest = i64::from(flags);
    for bit in 0..31 {
        let value = 1_i64 << bit;
        if rest & value != 0
            && let Some(name) = name_of(group, value)
        {
            names.push(name);
            rest &= !value;
        }
    }
    (names, rest)
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
    fn flags_walk_to_names_and_leftover_bits() {
        assert_eq!(
            flag_names("AI_", libc::AI_CANONNAME | libc::AI_PASSIVE),
            (vec!["AI_PASSIVE", "AI_CANONNAME"], 0)
        );
        assert_eq!(flag_names("AI_", 0x4000), (vec![], 0x4000));
    }

    #[test]
    fn every_group_of_the_lecture_is_known() {
        for group in [
            "AF_", "SOCK_", "IPPROTO_", "AI_", "NI_", "EAI_", "SOL_", "SO_", "MSG_", "SHUT_",
            "TCP_", "IP_", "IPV6_",
        ] {
            assert!(groups().contains(&group), "{group}");
        }
    }
}
