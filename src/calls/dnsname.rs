//! Host names glibc's DNS module refuses without sending a query, told apart from a real NXDOMAIN.
//!
//! getaddrinfo says EAI_NONAME both when the server answered NXDOMAIN and when nss_dns never
//! asked: it checks every name with res_hnok first and answers "not found" for one that fails
//! (`a b`, `nosuch!.invalid`, `bücher.test`). Only the second kind is recognised here, with
//! glibc's own res_hnok, so a name glibc does send stays "no such name (NXDOMAIN)".

use std::ffi::CString;
use std::io::ErrorKind;

use crate::model::{Failure, Why};
use crate::sys::{self, netdb};

/// Hosts sources that send nothing for such a name: /etc/hosts, the DNS module itself (it
/// refuses the name before asking) and myhostname (the machine's own names). Any other source
/// (mdns4_minimal, resolve, ldap, ...) may have asked the network, so none is assumed quiet.
const QUIET_SOURCES: &[&str] = &["files", "dns", "myhostname"];

/// glibc's hosts line when nsswitch.conf has none, or there is no such file.
const DEFAULT_HOSTS: &[&str] = &["dns", "files"];

const NSSWITCH_CONF: &str = "/etc/nsswitch.conf";

/// EAI_NONAME for a host name glibc's DNS module refuses to ask about: say so rather than
/// "no such name (NXDOMAIN)", which claims a server's answer. Any other failure is unchanged.
pub fn refused_name(failure: Failure, host: &str, flags: i32) -> Failure {
    if !failure.is_gai(libc::EAI_NONAME) || !dns_refuses(host, flags) {
        return failure;
    }
    let sources = match std::fs::read_to_string(NSSWITCH_CONF) {
        Ok(conf) => Some(hosts_sources(Some(&conf))),
        Err(err) if err.kind() == ErrorKind::NotFound => Some(hosts_sources(None)),
        // Unreadable: what glibc consulted is unknown, so "no query" is not claimed.
        Err(_) => None,
    };
    with_message(failure, sources.as_deref())
}

/// The failure for a refused name, given the hosts sources glibc consulted (None: unknown).
fn with_message(failure: Failure, sources: Option<&[String]>) -> Failure {
    let unasked = sources.is_some_and(|sources| {
        sources
            .iter()
            .all(|source| QUIET_SOURCES.contains(&source.as_str()))
    });
    match failure.sys() {
        Some(error) => Failure::explained(error.clone(), Why::DnsRefused { unasked }),
        None => failure,
    }
}

/// Whether nss_dns refuses the name getaddrinfo hands it, by glibc's own check.
fn dns_refuses(host: &str, flags: i32) -> bool {
    // With AI_IDN glibc first re-encodes a non-ASCII name as `xn--...`, which may well pass,
    // so the name as typed says nothing; an ASCII name it hands on unchanged. (In sockscope's
    // C locale the encoding fails, EAI_IDN_ENCODE, but a later locale change would not warn.)
    if flags & sys::AI_IDN != 0 && !host.is_ascii() {
        return false;
    }
    CString::new(host).is_ok_and(|name| !netdb::res_hnok(&name))
}

/// The sources of every `hosts:` line of an nsswitch.conf (action items like
/// `[NOTFOUND=return]` left out), or glibc's default when there is no line or no file. Taking
/// every hosts line, not only the one glibc uses, can only make the answer more cautious.
fn hosts_sources(conf: Option<&str>) -> Vec<String> {
    let mut sources = Vec::new();
    let mut found = false;
    for line in conf.unwrap_or_default().lines() {
        let line = line.split('#').next().unwrap_or_default();
        let Some((database, services)) = line.split_once(':') else {
            continue;
        };
        if !database.trim().eq_ignore_ascii_case("hosts") {
            continue;
        }
        found = true;
        let mut in_action = false;
        let mut words = String::new();
        for c in services.chars() {
            match c {
                '[' => in_action = true,
                ']' => {
                    in_action = false;
                    words.push(' ');
                }
                c if !in_action => words.push(c),
                _ => {}
            }
        }
        sources.extend(words.split_whitespace().map(str::to_string));
    }
    if !found {
        return DEFAULT_HOSTS.iter().map(|s| (*s).to_string()).collect();
    }
    sources
}

/// The `--explain` note for a name glibc's DNS module refused.
pub fn note(unasked: bool) -> String {
    let rule = "glibc's DNS module checks a name with res_hnok before any query (printable \
                ASCII; labels of letters, digits, '-' and '_' only; no leading '-'), answers \
                'not found' for one that fails, and getaddrinfo reports EAI_NONAME as for a \
                name that does not exist";
    if unasked {
        format!(
            "{rule}; the other hosts sources in /etc/nsswitch.conf ask no server either, so \
             no query was sent"
        )
    } else {
        format!(
            "{rule}; /etc/nsswitch.conf lists other hosts sources too, which may have asked \
             the network"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::SysError;

    fn noname() -> Failure {
        Failure::from(SysError::Gai {
            code: libc::EAI_NONAME,
            errno: None,
        })
    }

    fn strings(words: &[&str]) -> Vec<String> {
        words.iter().map(|s| (*s).to_string()).collect()
    }

    #[test]
    fn glibc_refuses_what_res_hnok_refuses() {
        for name in [
            "a b",
            "nosuch!.invalid",
            "bücher.invalid",
            "-lead.invalid",
            // An escape glibc decodes to a space before checking.
            r"a\032b.invalid",
            "tab\there",
        ] {
            assert!(dns_refuses(name, 0), "{name:?}");
        }
        for name in [
            "localhost",
            "nosuch.invalid",
            "_srv.example",
            "x-.example",
            "a-b.c",
            "trailing.dot.",
            "127.0.0.1",
        ] {
            assert!(!dns_refuses(name, 0), "{name:?}");
        }
        // Under AI_IDN nss_dns sees xn--..., not the non-ASCII name as typed.
        assert!(!dns_refuses("bücher.invalid", sys::AI_IDN));
        assert!(dns_refuses("a b", sys::AI_IDN));
    }

    #[test]
    fn only_eai_noname_for_a_refused_name_changes() {
        let nxdomain = refused_name(noname(), "nosuch.invalid", 0);
        assert_eq!(nxdomain.message(), "no such name (NXDOMAIN)");
        let again = Failure::from(SysError::Gai {
            code: libc::EAI_AGAIN,
            errno: None,
        });
        assert_eq!(refused_name(again.clone(), "a b", 0), again);
        let refused = refused_name(noname(), "a b", 0);
        assert!(
            refused
                .message()
                .starts_with("not a valid host name for DNS")
        );
        assert_eq!(refused.code(), "EAI_NONAME");
        assert_eq!(
            refused.strerror().as_deref(),
            Some("Name or service not known")
        );
    }

    #[test]
    fn no_query_is_claimed_only_when_every_source_is_quiet() {
        let quiet = strings(&["files", "myhostname", "dns"]);
        assert_eq!(
            with_message(noname(), Some(&quiet)).why(),
            Some(&Why::DnsRefused { unasked: true })
        );
        let mdns = strings(&["files", "mdns4_minimal", "dns"]);
        assert_eq!(
            with_message(noname(), Some(&mdns)).why(),
            Some(&Why::DnsRefused { unasked: false })
        );
        assert_eq!(
            with_message(noname(), None).message(),
            crate::model::failure::REFUSED_BY_DNS
        );
        assert_ne!(note(true), note(false));
    }

    #[test]
    fn hosts_lines_are_read_like_glibc() {
        let conf =
            "# comment\npasswd: files\nhosts:  files mdns4_minimal [NOTFOUND=return] dns # x\n";
        assert_eq!(
            hosts_sources(Some(conf)),
            strings(&["files", "mdns4_minimal", "dns"])
        );
        let spaced = "hosts: resolve [!UNAVAIL = return]files myhostname\n";
        assert_eq!(
            hosts_sources(Some(spaced)),
            strings(&["resolve", "files", "myhostname"])
        );
        // No hosts line, or no file: glibc's default, "dns [!UNAVAIL=return] files".
        assert_eq!(
            hosts_sources(Some("passwd: files\n")),
            strings(&["dns", "files"])
        );
        assert_eq!(hosts_sources(None), strings(&["dns", "files"]));
    }
}
