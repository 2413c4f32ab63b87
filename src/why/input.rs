//! The first step: what getaddrinfo makes of the host before any name service sees it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

use crate::sys::{self, locale::Locale};

/// How glibc reads the host text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Host {
    /// A numeric IPv4 address in any form inet_aton takes (`127.1`, `0x7f.1`, `017700000001`).
    Ipv4 { address: String },
    /// A numeric IPv6 address, with its scope id when `%zone` was given.
    Ipv6 { address: String, scope_id: u32 },
    /// A name for the name services.
    Name {
        /// The name as the name services see it (after AI_IDN's encoding, if any).
        name: String,
        trailing_dot: bool,
        /// Whether glibc's DNS module refuses it without a query (res_hnok).
        dns_refuses: bool,
    },
}

/// The input step: the host as typed, what glibc made of it, and why.
#[derive(Debug, Clone, Serialize)]
pub struct Input {
    pub typed: String,
    pub host: Host,
    pub locale: String,
    pub codeset: String,
    pub says: Vec<String>,
}

/// inet_aton's reading (glibc's `__inet_aton_exact`: the whole text, no trailing space): one
/// to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the rest.
pub fn inet_aton(text: &str) -> Option<Ipv4Addr> {
    let parts: Vec<&str> = text.split('.').collect();
    if parts.is_empty() || parts.len() > 4 {
        return None;
    }
    let mut values = Vec::with_capacity(4);
    for part in &parts {
        values.push(aton_part(part)?);
    }
    let last = *values.last()?;
    let head = &values[..values.len() - 1];
    if head.iter().any(|&v| v > 0xff) {
        return None;
    }
    let room = 8 * (4 - head.len() as u32);
    if room < 32 && last >> room != 0 {
        return None;
    }
    let mut n: u32 = 0;
    for (i, &v) in head.iter().enumerate() {
        n |= (v as u32) << (24 - 8 * i as u32);
    }
    n |= u32::try_from(last).ok()?;
    Some(Ipv4Addr::from(n))
}

fn aton_part(part: &str) -> Option<u64> {
    let (digits, radix) = if let Some(hex) = part.strip_prefix("0x").or(part.strip_prefix("0X")) {
        (hex, 16)
    } else if part.len() > 1 && part.starts_with('0') {
        (&part[1..], 8)
    } else {
        (part, 10)
    };
    if part.is_empty() || !part.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    if digits.is_empty() {
        return Some(0);
    }
    u64::from_str_radix(digits, radix)
        .ok()
        .filter(|&v| v <= u64::from(u32::MAX))
}

/// Read the host as glibc's getaddrinfo does, with the flags it was given.
pub fn read(typed: &str, flags: i32, locale: &Locale) -> Input {
    let utf8 = locale.codeset.eq_ignore_ascii_case("UTF-8");
    let mut says = Vec::new();
    let host = if let Some(v4) = inet_aton(typed) {
        if typed != v4.to_string() {
            says.push(format!(
                "{typed:?} is an IPv4 address in inet_aton's loose form: {v4}; no name service is asked"
            ));
        } else {
            says.push(format!(
                "{typed:?} is a numeric IPv4 address: no name service is asked"
            ));
        }
        Host::Ipv4 {
            address: v4.to_string(),
        }
    } else if let Some((v6, scope_id)) = ipv6(typed) {
        let scope = if typed.contains('%') {
            format!(" with scope id {scope_id} (from the %zone, shown apart from the address)")
        } else {
            String::new()
        };
        says.push(format!(
            "{typed:?} is a numeric IPv6 address{scope}: no name service is asked"
        ));
        Host::Ipv6 {
            address: v6.to_string(),
            scope_id,
        }
    } else {
        name(typed, flags, utf8, &mut says)
    };
    Input {
        typed: typed.to_string(),
        host,
        locale: locale.name.clone(),
        codeset: locale.codeset.clone(),
        says,
    }
}

/// An IPv6 address with an optional `%zone` (an interface name or a number).
fn ipv6(text: &str) -> Option<(Ipv6Addr, u32)> {
    let (addr, zone) = match text.split_once('%') {
        Some((addr, zone)) => (addr, Some(zone)),
        None => (text, None),
    };
    let ip: Ipv6Addr = addr.parse().ok()?;
    let scope = match zone {
        None => 0,
        Some(z) if !z.is_empty() && z.bytes().all(|b| b.is_ascii_digit()) => z.parse().ok()?,
        Some(z) => sys::netlink::if_nametoindex(z)?,
    };
    Some((ip, scope))
}

fn name(typed: &str, flags: i32, utf8: bool, says: &mut Vec<String>) -> Host {
    let trailing_dot = typed.ends_with('.');
    if flags & libc::AI_NUMERICHOST != 0 {
        says.push(format!(
            "AI_NUMERICHOST: {typed:?} is not a numeric address, so getaddrinfo fails (EAI_NONAME) \
             before any name service is asked"
        ));
    }
    let mut name = typed.to_string();
    if !typed.is_ascii() {
        if flags & sys::AI_IDN != 0 {
            // glibc hands the name to libidn2 (IDNA 2008) in the locale's character set;
            // outside a UTF-8 locale these bytes mean nothing to it. The prediction uses IDNA
            // 2003 (Python's codec), which agrees on ordinary names; where the two differ the
            // verdict shows it.
            let encoded = crate::text::idna::encode(typed)
                .ok()
                .map(|n| n.into_owned());
            match utf8.then_some(encoded).flatten() {
                Some(ascii) => {
                    says.push(format!(
                        "AI_IDN: glibc encodes the name as IDNA (from the locale's character set): {ascii}"
                    ));
                    name = ascii;
                }
                None => says.push(format!(
                    "AI_IDN: the name cannot be encoded as IDNA in this locale's character set \
                     ({}): getaddrinfo fails (EAI_IDN_ENCODE)",
                    if utf8 { "not a valid IDN" } else { "not UTF-8" }
                )),
            }
        } else {
            says.push(
                "a non-ASCII name without AI_IDN goes to the name services as raw bytes \
                 (Python would have encoded it with its idna codec first)"
                    .to_string(),
            );
        }
    }
    if trailing_dot {
        says.push(
            "the name ends in a dot: DNS asks it as is, never with the search list".to_string(),
        );
    }
    let dns_refuses =
        std::ffi::CString::new(name.as_str()).is_ok_and(|c| !sys::netdb::res_hnok(&c));
    if dns_refuses {
        says.push(format!(
            "glibc's DNS module refuses {name:?} without sending a query (res_hnok: not a valid host name)"
        ));
    }
    if says.is_empty() {
        says.push(format!(
            "{typed:?} is a host name: the name services are asked, in nsswitch.conf's order"
        ));
    }
    Host::Name {
        name,
        trailing_dot,
        dns_refuses,
    }
}

impl Input {
    /// The address of a numeric host.
    pub fn numeric(&self) -> Option<IpAddr> {
        match &self.host {
            Host::Ipv4 { address } | Host::Ipv6 { address, .. } => address.parse().ok(),
            Host::Name { .. } => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inet_aton_takes_the_loose_forms() {
        let v4 = |t: &str| inet_aton(t).map(|a| a.to_string());
        assert_eq!(v4("127.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(v4("0x7f.1").as_deref(), Some("127.0.0.1"));
        assert_eq!(v4("017700000001").as_deref(), Some("127.0.0.1"));
        assert_eq!(v4("10.1.256").as_deref(), Some("10.1.1.0"));
        assert_eq!(v4("1.2.3.256"), None);
        assert_eq!(v4("256.1"), None);
        assert_eq!(v4("1.2.3.4.5"), None);
        assert_eq!(v4("08"), None);
        assert_eq!(v4("x"), None);
        assert_eq!(v4(""), None);
        assert_eq!(v4("1..2"), None);
    }
}
