//! /etc/gai.conf and glibc's built-in tables: the label, precedence and IPv4 scope of an address.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use serde::Serialize;

/// One `label` or `precedence` line: a prefix and its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PrefixEntry {
    #[serde(serialize_with = "crate::why::gaiconf::ser_v6")]
    pub prefix: Ipv6Addr,
    pub bits: u32,
    pub value: i64,
}

/// One `scopev4` line: an IPv4 network and its scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopeEntry {
    pub network: u32,
    pub mask: u32,
    pub scope: i64,
}

/// The tables getaddrinfo sorts with, and where they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tables {
    /// `glibc default`, or the gai.conf path when it changed at least one table.
    pub source: String,
    pub labels: Vec<PrefixEntry>,
    pub precedence: Vec<PrefixEntry>,
    pub scopes: Vec<ScopeEntry>,
    /// Whether a `label` line replaced the whole label table (a trap: every default label
    /// not repeated in the file is gone).
    pub labels_replaced: bool,
    pub precedence_replaced: bool,
    pub scopes_replaced: bool,
}

fn v6(text: &str) -> Ipv6Addr {
    text.parse().unwrap_or(Ipv6Addr::UNSPECIFIED)
}

fn entry(prefix: &str, bits: u32, value: i64) -> PrefixEntry {
    PrefixEntry {
        prefix: v6(prefix),
        bits,
        value,
    }
}

/// glibc's built-in label table (RFC 3484's, plus fec0::/10, fc00::/7 and Teredo).
fn default_labels() -> Vec<PrefixEntry> {
    vec![
        entry("::1", 128, 0),
        entry("2002::", 16, 2),
        entry("::", 96, 3),
        entry("::ffff:0:0", 96, 4),
        entry("fec0::", 10, 5),
        entry("fc00::", 7, 6),
        entry("2001::", 32, 7),
        entry("::", 0, 1),
    ]
}

/// glibc's built-in precedence table: RFC 3484's, not RFC 6724's (IPv4 stays below IPv6).
fn default_precedence() -> Vec<PrefixEntry> {
    vec![
        entry("::1", 128, 50),
        entry("2002::", 16, 30),
        entry("::", 96, 20),
        entry("::ffff:0:0", 96, 10),
        entry("::", 0, 40),
    ]
}

fn default_scopes() -> Vec<ScopeEntry> {
    vec![
        ScopeEntry {
            network: 0xa9fe_0000,
            mask: 0xffff_0000,
            scope: 2,
        },
        ScopeEntry {
            network: 0x7f00_0000,
            mask: 0xff00_0000,
            scope: 2,
        },
        ScopeEntry {
            network: 0,
            mask: 0,
            scope: 14,
        },
    ]
}

impl Tables {
    pub fn builtin() -> Tables {
        Tables {
            source: "glibc default".to_string(),
            labels: default_labels(),
            precedence: default_precedence(),
            scopes: default_scopes(),
            labels_replaced: false,
            precedence_replaced: false,
            scopes_replaced: false,
        }
    }

    /// The tables as glibc's `gaiconf_init` builds them from the text of `path`.
    pub fn parse(path: &str, text: &str) -> Tables {
        let mut labels = Vec::new();
        let mut precedence = Vec::new();
        let mut scopes = Vec::new();
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default();
            let mut words = line.split_ascii_whitespace();
            let (Some(cmd), Some(val1)) = (words.next(), words.next()) else {
                continue;
            };
            let val2 = words.next().unwrap_or_default();
            match cmd {
                "label" => labels.extend(prefix_line(val1, val2)),
                "precedence" => precedence.extend(prefix_line(val1, val2)),
                "scopev4" => scopes.extend(scope_line(val1, val2)),
                _ => {}
            }
        }
        let mut tables = Tables::builtin();
        if !labels.is_empty() {
            tables.labels = finish(labels, 1);
            tables.labels_replaced = true;
        }
        if !precedence.is_empty() {
            tables.precedence = finish(precedence, 40);
            tables.precedence_replaced = true;
        }
        if !scopes.is_empty() {
            if !scopes.iter().any(|s| s.mask == 0) {
                scopes.push(ScopeEntry {
                    network: 0,
                    mask: 0,
                    scope: 14,
                });
            }
            // Most specific first; glibc compares the masks as stored, in network byte order.
            scopes.sort_by_key(|s| std::cmp::Reverse(s.mask.to_be()));
            tables.scopes = scopes;
            tables.scopes_replaced = true;
        }
        if tables.labels_replaced || tables.precedence_replaced || tables.scopes_replaced {
            tables.source = path.to_string();
        }
        tables
    }

    pub fn label(&self, addr: IpAddr) -> i64 {
        match_prefix(addr, &self.labels).unwrap_or(i64::from(i32::MAX))
    }

    pub fn precedence(&self, addr: IpAddr) -> i64 {
        match_prefix(addr, &self.precedence).unwrap_or(0)
    }

    /// The scope glibc's `get_scope` gives: RFC 3484's for IPv6, the scopev4 table for IPv4.
    pub fn scope(&self, addr: IpAddr) -> i64 {
        match addr {
            IpAddr::V6(ip) => {
                let b = ip.octets();
                if b[0] == 0xff {
                    i64::from(b[1] & 0xf)
                } else if (b[0] == 0xfe && b[1] & 0xc0 == 0x80) || ip == Ipv6Addr::LOCALHOST {
                    2
                } else if b[0] == 0xfe && b[1] & 0xc0 == 0xc0 {
                    5
                } else {
                    14
                }
            }
            IpAddr::V4(ip) => {
                let n = u32::from(ip);
                self.scopes
                    .iter()
                    .find(|s| n & s.mask == s.network)
                    .map_or(14, |s| s.scope)
            }
        }
    }
}

/// A list as glibc keeps it: file order, `::/0` added when missing, most specific first
/// (a stable sort, as glibc's qsort is for these small arrays).
fn finish(mut list: Vec<PrefixEntry>, default: i64) -> Vec<PrefixEntry> {
    if !list.iter().any(|e| e.bits == 0) {
        list.push(entry("::", 0, default));
    }
    list.sort_by_key(|e| std::cmp::Reverse(e.bits));
    list
}

/// `label|precedence PREFIX[/BITS] VALUE`; glibc ignores a line it cannot read.
fn prefix_line(val1: &str, val2: &str) -> Option<PrefixEntry> {
    let (addr, bits) = match val1.split_once('/') {
        Some((addr, bits)) => (addr, bits.parse::<u32>().ok()?),
        None => (val1, 128),
    };
    let prefix: Ipv6Addr = addr.parse().ok()?;
    let value: i64 = val2.parse::<u64>().ok().filter(|v| *v <= i32::MAX as u64)? as i64;
    (bits <= 128).then_some(PrefixEntry {
        prefix,
        bits,
        value,
    })
}

/// `scopev4 PREFIX[/BITS] VALUE`, the prefix either IPv4-mapped IPv6 (bits 96-128) or IPv4.
fn scope_line(val1: &str, val2: &str) -> Option<ScopeEntry> {
    let (addr, bits) = match val1.split_once('/') {
        Some((addr, bits)) => (addr, Some(bits.parse::<u32>().ok()?)),
        None => (val1, None),
    };
    let value: i64 = val2.parse::<u64>().ok().filter(|v| *v <= i32::MAX as u64)? as i64;
    let (ip, bits) = if let Ok(v6) = addr.parse::<Ipv6Addr>() {
        let bits = bits.unwrap_or(128);
        (v6.to_ipv4_mapped()?, bits)
    } else {
        let v4: Ipv4Addr = addr.parse().ok()?;
        let bits = bits.unwrap_or(32);
        (bits <= 32).then_some(())?;
        (v4, bits + 96)
    };
    if !(96..=128).contains(&bits) {
        return None;
    }
    let mask = if bits == 96 {
        0
    } else {
        u32::MAX << (128 - bits)
    };
    Some(ScopeEntry {
        network: u32::from(ip) & mask,
        mask,
        scope: value,
    })
}

/// The first entry whose prefix covers the address (IPv4 as IPv4-mapped IPv6), as glibc's
/// `match_prefix` walks its table.
fn match_prefix(addr: IpAddr, list: &[PrefixEntry]) -> Option<i64> {
    let bytes = match addr {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    };
    list.iter()
        .find(|e| covers(&e.prefix.octets(), e.bits, &bytes))
        .map(|e| e.value)
}

fn covers(prefix: &[u8; 16], bits: u32, addr: &[u8; 16]) -> bool {
    let full = (bits / 8) as usize;
    if prefix[..full.min(16)] != addr[..full.min(16)] {
        return false;
    }
    let rest = bits % 8;
    if rest == 0 || full >= 16 {
        return true;
    }
    let mask = 0xffu8 << (8 - rest);
    prefix[full] & mask == addr[full] & mask
}

pub fn ser_v6<S: serde::Serializer>(ip: &Ipv6Addr, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&ip.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("test address")
    }

    #[test]
    fn builtin_tables_are_rfc_3484s() {
        let t = Tables::builtin();
        assert_eq!(t.precedence(ip("::1")), 50);
        assert_eq!(t.precedence(ip("2001:db8::1")), 40);
        assert_eq!(t.precedence(ip("192.0.2.1")), 10);
        assert_eq!(t.label(ip("192.0.2.1")), 4);
        assert_eq!(t.label(ip("2001:db8::1")), 1);
        assert_eq!(t.label(ip("2001:0::1")), 7);
        assert_eq!(t.scope(ip("127.0.0.1")), 2);
        assert_eq!(t.scope(ip("169.254.1.1")), 2);
        assert_eq!(t.scope(ip("192.0.2.1")), 14);
        assert_eq!(t.scope(ip("fe80::1")), 2);
        assert_eq!(t.scope(ip("fec0::1")), 5);
        assert_eq!(t.scope(ip("ff05::1")), 5);
    }

    #[test]
    fn a_precedence_line_raises_ipv4_and_keeps_the_rest_of_glibcs_defaults_out() {
        let t = Tables::parse(
            "/etc/gai.conf",
            "precedence ::ffff:0:0/96 100 # prefer IPv4\n",
        );
        assert!(t.precedence_replaced && !t.labels_replaced);
        assert_eq!(t.source, "/etc/gai.conf");
        assert_eq!(t.precedence(ip("192.0.2.1")), 100);
        // The file's table replaces the built-in one: ::/0 gets 40, ::1 no longer 50.
        assert_eq!(t.precedence(ip("::1")), 40);
        assert_eq!(t.precedence(ip("2001:db8::1")), 40);
    }

    #[test]
    fn a_label_line_replaces_the_whole_label_table() {
        let t = Tables::parse("/etc/gai.conf", "label 2001:db8::/32 9\n");
        assert_eq!(t.label(ip("2001:db8::1")), 9);
        assert_eq!(t.label(ip("192.0.2.1")), 1);
        assert_eq!(t.label(ip("::1")), 1);
    }

    #[test]
    fn unreadable_lines_are_ignored_and_comments_stripped() {
        let t = Tables::parse(
            "/etc/gai.conf",
            "#precedence ::/0 1\nprecedence nonsense 5\nlabel ::/200 3\n",
        );
        assert_eq!(t, Tables::builtin());
    }

    #[test]
    fn scopev4_lines_take_both_spellings() {
        let t = Tables::parse(
            "/etc/gai.conf",
            "scopev4 ::ffff:10.0.0.0/104 5\nscopev4 192.168.0.0/16 8\n",
        );
        assert_eq!(t.scope(ip("10.1.2.3")), 5);
        assert_eq!(t.scope(ip("192.168.1.1")), 8);
        assert_eq!(t.scope(ip("127.0.0.1")), 14);
    }
}
