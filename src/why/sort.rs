//! getaddrinfo's destination address sorting (glibc's `rfc3484_sort`), with the rule behind each decision.

use std::cmp::Ordering;
use std::net::{IpAddr, SocketAddr, UdpSocket};

use serde::Serialize;

use super::gaiconf::Tables;
use crate::sys::netlink::KernelAddr;

/// The source address the kernel would use for a destination, and what glibc knows of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub address: IpAddr,
    pub prefixlen: u32,
    pub index: u32,
    pub deprecated: bool,
    pub home: bool,
}

/// One destination, as the sort sees it.
#[derive(Debug, Clone)]
pub struct Dest {
    pub address: IpAddr,
    /// None when no route leads there (rule 1).
    pub source: Option<Source>,
}

/// A row of the `sort` step: one distinct destination address.
#[derive(Debug, Clone, Serialize)]
pub struct Row {
    pub address: String,
    pub source: Option<String>,
    pub scope: i64,
    pub label: i64,
    pub precedence: i64,
    pub source_scope: Option<i64>,
    pub source_label: Option<i64>,
}

/// Why `first` came before `second`.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub first: String,
    pub second: String,
    pub rule: u8,
    pub reason: String,
}

/// The source address for `dest`, found as glibc finds it: connect a UDP socket (which sends
/// nothing) and read its local address; then its prefix length and flags from the kernel's list.
pub fn source_for(dest: IpAddr, kernel: &[KernelAddr]) -> Option<Source> {
    let bind: SocketAddr = match dest {
        IpAddr::V4(_) => "0.0.0.0:0".parse().ok()?,
        IpAddr::V6(_) => "[::]:0".parse().ok()?,
    };
    let socket = UdpSocket::bind(bind).ok()?;
    socket.connect(SocketAddr::new(dest, 9)).ok()?;
    let local = socket.local_addr().ok()?.ip();
    // glibc looks a 127/8 source up as 127.0.0.1: lo's address may differ from the source.
    let lookup = match local {
        IpAddr::V4(v4) if v4.octets()[0] == 127 => IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
        other => other,
    };
    let known = kernel.iter().find(|k| k.address == lookup);
    Some(Source {
        address: local,
        prefixlen: known.map_or(0, |k| u32::from(k.prefixlen)),
        index: known.map_or(u32::MAX, |k| k.index),
        deprecated: known.is_some_and(|k| k.deprecated),
        home: known.is_some_and(|k| k.home),
    })
}

/// Sort `dests` (in the order the name services gave them) as glibc does; the result holds the
/// indexes into `dests` in their new order.
pub fn sort(dests: &[Dest], tables: &Tables) -> Vec<usize> {
    let mut order: Vec<usize> = (0..dests.len()).collect();
    // glibc's qsort is a merge sort here; the comparator ends on the original order (rule 10).
    order.sort_by(|&a, &b| compare(dests, a, b, tables).0);
    order
}

/// Compare two destinations; the ordering and the number of the rule that decided it.
pub fn compare(dests: &[Dest], i1: usize, i2: usize, t: &Tables) -> (Ordering, u8) {
    use Ordering::{Greater, Less};
    let (a1, a2) = (&dests[i1], &dests[i2]);
    let prefer = |first: bool, rule: u8| (if first { Less } else { Greater }, rule);
    // Rule 1: avoid unusable destinations.
    match (&a1.source, &a2.source) {
        (Some(_), None) => return prefer(true, 1),
        (None, Some(_)) => return prefer(false, 1),
        _ => {}
    }
    let (d1_scope, d2_scope) = (t.scope(a1.address), t.scope(a2.address));
    if let (Some(s1), Some(s2)) = (&a1.source, &a2.source) {
        // Rule 2: prefer matching scope.
        let m1 = d1_scope == t.scope(s1.address);
        let m2 = d2_scope == t.scope(s2.address);
        if m1 != m2 {
            return prefer(m1, 2);
        }
        // Rule 3: avoid deprecated addresses.
        if s1.deprecated != s2.deprecated {
            return prefer(!s1.deprecated, 3);
        }
        // Rule 4: prefer home addresses.
        if s1.home != s2.home {
            return prefer(s1.home, 4);
        }
        // Rule 5: prefer matching label.
        let m1 = t.label(a1.address) == t.label(s1.address);
        let m2 = t.label(a2.address) == t.label(s2.address);
        if m1 != m2 {
            return prefer(m1, 5);
        }
    }
    // Rule 6: prefer higher precedence.
    let (p1, p2) = (t.precedence(a1.address), t.precedence(a2.address));
    if p1 != p2 {
        return prefer(p1 > p2, 6);
    }
    // Rule 7 (prefer native transport) needs the interfaces' link types; every interface
    // counts as native here, so the rule never decides (see `why`'s documentation).
    // Rule 8: prefer smaller scope.
    if d1_scope != d2_scope {
        return prefer(d1_scope < d2_scope, 8);
    }
    // Rule 9: use longest matching prefix (same family only).
    if let (Some(s1), Some(s2)) = (&a1.source, &a2.source)
        && a1.address.is_ipv4() == a2.address.is_ipv4()
    {
        let (b1, b2) = common_bits(a1.address, s1, a2.address, s2);
        if b1 != b2 {
            return prefer(b1 > b2, 9);
        }
    }
    // Rule 10: leave the order unchanged.
    prefer(i1 < i2, 10)
}

/// glibc's rule 9 measure: for IPv4 the common prefix only within the source's subnet; for
/// IPv6 the common leading bits within the first 32-bit word where either pair differs.
fn common_bits(d1: IpAddr, s1: &Source, d2: IpAddr, s2: &Source) -> (u32, u32) {
    match (d1, s1.address, d2, s2.address) {
        (IpAddr::V4(d1), IpAddr::V4(s1a), IpAddr::V4(d2), IpAddr::V4(s2a)) => {
            let bits = |d: u32, s: u32, prefixlen: u32| {
                // As in C on x86, a shift by 32 shifts by 0: a /0 source matches nothing else.
                let mask = u32::MAX.wrapping_shl(32u32.wrapping_sub(prefixlen));
                if s & mask == d & mask {
                    (d ^ s).leading_zeros()
                } else {
                    0
                }
            };
            (
                bits(u32::from(d1), u32::from(s1a), s1.prefixlen),
                bits(u32::from(d2), u32::from(s2a), s2.prefixlen),
            )
        }
        (IpAddr::V6(d1), IpAddr::V6(s1a), IpAddr::V6(d2), IpAddr::V6(s2a)) => {
            let words = |ip: std::net::Ipv6Addr| {
                let o = ip.octets();
                [0, 4, 8, 12].map(|i| u32::from_be_bytes([o[i], o[i + 1], o[i + 2], o[i + 3]]))
            };
            let (d1, s1a, d2, s2a) = (words(d1), words(s1a), words(d2), words(s2a));
            match (0..4).find(|&i| d1[i] != s1a[i] || d2[i] != s2a[i]) {
                Some(i) => (
                    (d1[i] ^ s1a[i]).leading_zeros(),
                    (d2[i] ^ s2a[i]).leading_zeros(),
                ),
                None => (0, 0),
            }
        }
        _ => (0, 0),
    }
}

/// The words for a rule that put one destination first.
pub fn reason(rule: u8) -> &'static str {
    match rule {
        1 => "avoid unusable destinations: only the first has a route (a source address)",
        2 => "prefer matching scope: the first's source address has the destination's scope",
        3 => "avoid deprecated addresses: the second's source address is deprecated",
        4 => "prefer home addresses",
        5 => "prefer matching label: the first's label equals its source address's label",
        6 => "prefer higher precedence",
        7 => "prefer native transport",
        8 => "prefer smaller scope",
        9 => "use longest matching prefix with the source address",
        _ => "otherwise keep the order the name service gave",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dest(addr: &str, source: Option<&str>) -> Dest {
        Dest {
            address: addr.parse().expect("test address"),
            source: source.map(|s| Source {
                address: s.parse().expect("test address"),
                prefixlen: 64,
                index: 2,
                deprecated: false,
                home: false,
            }),
        }
    }

    #[test]
    fn global_ipv6_beats_ipv4_on_precedence_with_glibcs_tables() {
        let dests = [
            dest("192.0.2.1", Some("192.0.2.100")),
            dest("2001:db8::1", Some("2001:db8::100")),
        ];
        let t = Tables::builtin();
        assert_eq!(sort(&dests, &t), vec![1, 0]);
        assert_eq!(compare(&dests, 1, 0, &t), (Ordering::Less, 6));
    }

    #[test]
    fn gai_conf_precedence_puts_ipv4_first() {
        let dests = [
            dest("2001:db8::1", Some("2001:db8::100")),
            dest("192.0.2.1", Some("192.0.2.100")),
        ];
        let t = Tables::parse("/etc/gai.conf", "precedence ::ffff:0:0/96 100\n");
        assert_eq!(sort(&dests, &t), vec![1, 0]);
    }

    #[test]
    fn an_unreachable_destination_goes_last() {
        let dests = [
            dest("2001:db8::1", None),
            dest("192.0.2.1", Some("192.0.2.100")),
        ];
        assert_eq!(
            compare(&dests, 0, 1, &Tables::builtin()),
            (Ordering::Greater, 1)
        );
    }

    #[test]
    fn equal_destinations_keep_their_order() {
        let dests = [
            dest("192.0.2.1", Some("192.0.2.100")),
            dest("192.0.2.1", Some("192.0.2.100")),
        ];
        assert_eq!(
            compare(&dests, 0, 1, &Tables::builtin()),
            (Ordering::Less, 10)
        );
    }
}
