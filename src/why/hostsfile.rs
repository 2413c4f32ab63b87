//! /etc/hosts and /etc/host.conf as nss_files reads them: which lines match a name, and whether `multi` merges them.

use std::net::IpAddr;

use serde::Serialize;

/// One line of the hosts file that names the host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Match {
    pub line: usize,
    pub text: String,
    pub addresses: Vec<String>,
    /// Whether this line contributes to getaddrinfo's answer.
    pub used: bool,
}

/// What the files source answers for a name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostsFile {
    pub path: String,
    /// `multi on` in host.conf (or RESOLV_MULTI): every matching line counts, not only the first.
    pub multi: bool,
    pub multi_from: String,
    pub matches: Vec<Match>,
}

/// `multi` from host.conf's text and the RESOLV_MULTI variable, which overrides it.
pub fn multi(host_conf: Option<&str>, env: Option<&str>) -> (bool, String) {
    if let Some(value) = env {
        return (value.eq_ignore_ascii_case("on"), "RESOLV_MULTI".to_string());
    }
    let mut multi = (false, "default (off)".to_string());
    for line in host_conf.unwrap_or_default().lines() {
        let line = line.split('#').next().unwrap_or_default();
        let mut words = line.split([' ', '\t', ',']).filter(|w| !w.is_empty());
        if words
            .next()
            .is_some_and(|w| w.eq_ignore_ascii_case("multi"))
        {
            let on = words.next().is_some_and(|w| w.eq_ignore_ascii_case("on"));
            multi = (on, "/etc/host.conf".to_string());
        }
    }
    multi
}

/// The lines of `text` naming `name` (canonical name or alias, case-insensitively), and which
/// of them answer a getaddrinfo of `family`, as `_nss_files_gethostbyname4_r` (AF_UNSPEC) and
/// `_nss_files_gethostbyname3_r` (one family) read the file.
pub fn lookup(path: &str, text: &str, name: &str, family: i32, multi: (bool, String)) -> HostsFile {
    let mut matches = Vec::new();
    let mut used_one = false;
    for (n, raw) in text.lines().enumerate() {
        let body = raw.split('#').next().unwrap_or_default();
        let mut words = body.split_whitespace();
        let (Some(addr), Some(canonical)) = (words.next(), words.next()) else {
            continue;
        };
        let names_it = std::iter::once(canonical)
            .chain(words)
            .any(|w| w.eq_ignore_ascii_case(name));
        let Some(ip) = parse_address(addr) else {
            continue;
        };
        if !names_it {
            continue;
        }
        let fits = match family {
            libc::AF_INET => ip.is_ipv4(),
            libc::AF_INET6 => ip.is_ipv6(),
            _ => true,
        };
        let used = fits && (multi.0 || !used_one);
        used_one |= used;
        matches.push(Match {
            line: n + 1,
            text: raw.trim_end().to_string(),
            addresses: vec![ip.to_string()],
            used,
        });
    }
    HostsFile {
        path: path.to_string(),
        multi: multi.0,
        multi_from: multi.1,
        matches,
    }
}

/// nss_files reads an address with inet_pton, IPv4 first.
fn parse_address(text: &str) -> Option<IpAddr> {
    text.parse().ok()
}

impl HostsFile {
    /// The addresses the files source returns, in file order.
    pub fn answer(&self) -> Vec<String> {
        self.matches
            .iter()
            .filter(|m| m.used)
            .flat_map(|m| m.addresses.iter().cloned())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTS: &str = "127.0.0.1 localhost\n# 10.0.0.1 two\n192.0.2.1 two two.test\n\
                         2001:db8::2 two\n192.0.2.9 Two-Alias TWO\n";

    #[test]
    fn only_the_first_line_counts_without_multi() {
        let f = lookup(
            "/etc/hosts",
            HOSTS,
            "two",
            libc::AF_UNSPEC,
            (false, "x".into()),
        );
        assert_eq!(f.matches.len(), 3);
        assert_eq!(f.answer(), vec!["192.0.2.1"]);
        assert_eq!(f.matches[0].line, 3);
    }

    #[test]
    fn multi_merges_every_matching_line_of_the_family() {
        let on = (true, "x".to_string());
        let f = lookup("/etc/hosts", HOSTS, "two", libc::AF_UNSPEC, on.clone());
        assert_eq!(f.answer(), vec!["192.0.2.1", "2001:db8::2", "192.0.2.9"]);
        let f = lookup("/etc/hosts", HOSTS, "TWO", libc::AF_INET6, on);
        assert_eq!(f.answer(), vec!["2001:db8::2"]);
    }

    #[test]
    fn multi_comes_from_host_conf_unless_resolv_multi_says_otherwise() {
        assert!(multi(Some("order hosts,bind\nmulti on\n"), None).0);
        assert!(!multi(Some("multi on\n"), Some("off")).0);
        assert!(!multi(None, None).0);
    }
}
