//! The resolver configuration glibc reads (/etc/resolv.conf, LOCALDOMAIN, RES_OPTIONS) and the names it tries in turn.

use std::net::{Ipv4Addr, Ipv6Addr};

use serde::Serialize;

/// The stub resolver's configuration, as glibc's `res_vinit_1` builds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Config {
    pub path: String,
    /// Every `nameserver` line glibc could read; it uses the first three.
    pub nameservers: Vec<String>,
    pub search: Vec<String>,
    /// Where the search list came from: `search`, `domain`, `LOCALDOMAIN`, `host name`, or `none`.
    pub search_from: String,
    pub ndots: u32,
    /// Seconds per try (`timeout:`), and tries per server (`attempts:`).
    pub timeout: u32,
    pub attempts: u32,
    /// The flag options in force, by their resolv.conf names (`rotate`, `single-request`, ...).
    pub options: Vec<String>,
    /// Whether RES_OPTIONS changed anything.
    pub res_options: Option<String>,
}

/// glibc's limits: MAXNS, RES_MAXNDOTS, RES_MAXRETRANS, RES_MAXRETRY.
pub const MAX_NAMESERVERS: usize = 3;
const MAX_NDOTS: u32 = 15;
const MAX_TIMEOUT: u32 = 30;
const MAX_ATTEMPTS: u32 = 5;

/// Flag options glibc knows, matched by prefix in this order (so `single-request-reopen` is
/// tried before `single-request`).
const FLAGS: &[(&str, &str)] = &[
    ("rotate", "rotate"),
    ("edns0", "edns0"),
    ("single-request-reopen", "single-request-reopen"),
    ("single-request", "single-request"),
    ("no_tld_query", "no-tld-query"),
    ("no-tld-query", "no-tld-query"),
    ("no-reload", "no-reload"),
    ("use-vc", "use-vc"),
    ("trust-ad", "trust-ad"),
    ("no-aaaa", "no-aaaa"),
];

impl Config {
    /// Parse `text` (the file's contents, None if it is missing) with the environment's
    /// LOCALDOMAIN and RES_OPTIONS and the host name, as glibc does.
    pub fn parse(
        path: &str,
        text: Option<&str>,
        localdomain: Option<&str>,
        res_options: Option<&str>,
        hostname: &str,
    ) -> Config {
        let mut config = Config {
            path: path.to_string(),
            nameservers: Vec::new(),
            search: Vec::new(),
            search_from: "none".to_string(),
            ndots: 1,
            timeout: 5,
            attempts: 2,
            options: Vec::new(),
            res_options: res_options.map(str::to_string),
        };
        if let Some(env) = localdomain {
            let first_line = env.split('\n').next().unwrap_or_default();
            config.search = first_line
                .split([' ', '\t'])
                .filter(|d| !d.is_empty())
                .map(str::to_string)
                .collect();
            config.search_from = "LOCALDOMAIN".to_string();
        }
        for line in text.unwrap_or_default().lines() {
            if line.starts_with([';', '#']) {
                continue;
            }
            if let Some(rest) = keyword(line, "domain") {
                if localdomain.is_none()
                    && let Some(domain) = rest.split([' ', '\t']).find(|w| !w.is_empty())
                {
                    config.search = vec![domain.to_string()];
                    config.search_from = "domain".to_string();
                }
            } else if let Some(rest) = keyword(line, "search") {
                let words: Vec<String> = rest
                    .split([' ', '\t'])
                    .filter(|w| !w.is_empty())
                    .map(str::to_string)
                    .collect();
                if localdomain.is_none() && !words.is_empty() {
                    config.search = words;
                    config.search_from = "search".to_string();
                }
            } else if let Some(rest) = keyword(line, "nameserver") {
                let word = rest.split([' ', '\t']).find(|w| !w.is_empty());
                if let Some(server) = word.and_then(nameserver) {
                    config.nameservers.push(server);
                }
            } else if let Some(rest) = keyword(line, "options") {
                config.set_options(rest);
            }
        }
        if config.nameservers.is_empty() {
            config.nameservers.push("127.0.0.1".to_string());
        }
        if config.search.is_empty()
            && let Some((_, domain)) = hostname.split_once('.')
        {
            config.search = vec![domain.to_string()];
            config.search_from = "host name".to_string();
        }
        if let Some(env) = res_options {
            config.set_options(env);
        }
        config
    }

    fn set_options(&mut self, text: &str) {
        for word in text.split([' ', '\t']).filter(|w| !w.is_empty()) {
            if let Some(n) = word.strip_prefix("ndots:") {
                self.ndots = atoi(n).clamp(0, MAX_NDOTS as i64) as u32;
            } else if let Some(n) = word.strip_prefix("timeout:") {
                self.timeout = atoi(n).clamp(0, MAX_TIMEOUT as i64) as u32;
            } else if let Some(n) = word.strip_prefix("attempts:") {
                self.attempts = atoi(n).clamp(0, MAX_ATTEMPTS as i64) as u32;
            } else if let Some((_, name)) = FLAGS.iter().find(|(p, _)| word.starts_with(p))
                && !self.options.iter().any(|o| o == name)
            {
                self.options.push((*name).to_string());
            }
        }
    }

    pub fn has(&self, option: &str) -> bool {
        self.options.iter().any(|o| o == option)
    }

    /// The servers glibc actually asks, in order.
    pub fn used_nameservers(&self) -> &[String] {
        &self.nameservers[..self.nameservers.len().min(MAX_NAMESERVERS)]
    }
}

/// `keyword` followed by a space or a tab, as glibc's MATCH requires; the rest of the line.
fn keyword<'a>(line: &'a str, word: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(word)?;
    rest.starts_with([' ', '\t'])
        .then(|| rest.trim_end_matches(['\n', '\r']))
}

/// A nameserver glibc accepts: an IPv4 address (inet_aton's strict form) or IPv6 with an
/// optional `%scope`.
fn nameserver(word: &str) -> Option<String> {
    if let Ok(v4) = word.parse::<Ipv4Addr>() {
        return Some(v4.to_string());
    }
    let (addr, _scope) = word.split_once('%').unwrap_or((word, ""));
    addr.parse::<Ipv6Addr>().ok().map(|_| word.to_string())
}

/// C's atoi: leading digits (with an optional sign), 0 when there are none.
fn atoi(text: &str) -> i64 {
    let (sign, digits) = match text.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, text.strip_prefix('+').unwrap_or(text)),
    };
    let end = digits
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(digits.len());
    sign * digits[..end]
        .parse::<i64>()
        .unwrap_or(0)
        .min(i64::from(i32::MAX))
}

/// How one candidate name fared, as `__res_context_search` classifies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    /// At least one answer record: the search ends here.
    Answer,
    NxDomain,
    NoData,
    ServFail,
    /// No server listened (ECONNREFUSED): the search gives up at once.
    Refused,
    /// Anything else (a timeout, REFUSED, FORMERR): the search list ends here.
    Other,
}

/// One name glibc tried, why, and how it fared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub name: String,
    /// `as is` or `search domain D`.
    pub why: String,
    pub fate: Fate,
    /// Why glibc went on to the next name or stopped here.
    pub next: String,
}

/// Walk the candidates as glibc's `__res_context_search` does, asking `ask` for each name.
pub fn search(name: &str, config: &Config, mut ask: impl FnMut(&str) -> Fate) -> Vec<Step> {
    let mut steps = Vec::new();
    let dots = name.matches('.').count() as u32;
    let trailing_dot = name.ends_with('.');
    let mut tried_as_is = false;
    let mut searched = false;
    let mut root_on_list = false;
    if dots >= config.ndots || trailing_dot {
        let fate = ask(name);
        tried_as_is = true;
        let why = if trailing_dot {
            "as is: it ends in a dot".to_string()
        } else {
            format!("as is first: {dots} dot(s) >= ndots:{}", config.ndots)
        };
        let stop = fate == Fate::Answer || trailing_dot;
        let next = if fate == Fate::Answer {
            "answered: the search ends".to_string()
        } else if trailing_dot {
            "a name ending in a dot is never searched: the search ends".to_string()
        } else {
            "not answered: on to the search list".to_string()
        };
        steps.push(Step {
            name: name.to_string(),
            why,
            fate,
            next,
        });
        if stop {
            return steps;
        }
    }
    if !trailing_dot {
        for domain in &config.search {
            searched = true;
            let domain = domain.strip_prefix('.').unwrap_or(domain);
            root_on_list |= domain.is_empty();
            let candidate = format!("{name}.{domain}");
            let fate = ask(&candidate);
            let (done, next) = match fate {
                Fate::Answer => (true, "answered: the search ends"),
                Fate::Refused => (true, "no server listened (ECONNREFUSED): glibc gives up"),
                Fate::NxDomain => (false, "NXDOMAIN: glibc tries the next name"),
                Fate::NoData => (false, "no data of this type: glibc tries the next name"),
                Fate::ServFail => (false, "SERVFAIL: glibc tries the next name"),
                Fate::Other => (true, "no usable answer: the search list ends here"),
            };
            steps.push(Step {
                name: candidate,
                why: format!("search domain {domain}"),
                fate,
                next: next.to_string(),
            });
            if fate == Fate::Answer || fate == Fate::Refused {
                return steps;
            }
            if done {
                break;
            }
        }
    }
    // no-tld-query spares a single-label name the bare query once the search list was tried.
    let skip_tld = dots == 0 && searched && config.has("no-tld-query");
    if !(tried_as_is || root_on_list || skip_tld) {
        let fate = ask(name);
        let next = if fate == Fate::Answer {
            "answered: the search ends"
        } else {
            "the last name to try"
        };
        steps.push(Step {
            name: name.to_string(),
            why: format!("as is last: {dots} dot(s) < ndots:{}", config.ndots),
            fate,
            next: next.to_string(),
        });
    }
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(text: &str) -> Config {
        Config::parse("/etc/resolv.conf", Some(text), None, None, "lab")
    }

    #[test]
    fn reads_what_glibc_reads() {
        let c = config(
            "# comment\nnameserver 127.0.0.1\nnameserver ::1%lo\nnameserver bogus\nsearch a.test b.test\n\
             options ndots:3 timeout:1 attempts:9 rotate single-request-reopen edns0\n",
        );
        assert_eq!(c.nameservers, vec!["127.0.0.1", "::1%lo"]);
        assert_eq!(c.search, vec!["a.test", "b.test"]);
        assert_eq!((c.ndots, c.timeout, c.attempts), (3, 1, 5));
        assert_eq!(c.options, vec!["rotate", "single-request-reopen", "edns0"]);
    }

    #[test]
    fn the_last_of_domain_and_search_wins_and_localdomain_beats_both() {
        assert_eq!(
            config("search a.test\ndomain b.test\n").search,
            vec!["b.test"]
        );
        let c = Config::parse(
            "/r",
            Some("search a.test\n"),
            Some("x.test y.test"),
            None,
            "h",
        );
        assert_eq!(
            (c.search.clone(), c.search_from.as_str()),
            (
                vec!["x.test".to_string(), "y.test".to_string()],
                "LOCALDOMAIN"
            )
        );
        let c = Config::parse(
            "/r",
            None,
            None,
            Some("ndots:2 no-aaaa"),
            "host.example.org",
        );
        assert_eq!(c.search, vec!["example.org"]);
        assert_eq!(c.nameservers, vec!["127.0.0.1"]);
        assert!(c.has("no-aaaa") && c.ndots == 2);
    }

    fn walk(name: &str, text: &str, answers: &[&str]) -> Vec<String> {
        search(name, &config(text), |n| {
            if answers.contains(&n) {
                Fate::Answer
            } else {
                Fate::NxDomain
            }
        })
        .into_iter()
        .map(|s| s.name)
        .collect()
    }

    #[test]
    fn short_names_go_through_the_search_list_first() {
        assert_eq!(
            walk("www", "search a.test b.test\n", &[]),
            vec!["www.a.test", "www.b.test", "www"]
        );
        assert_eq!(
            walk("www", "search a.test b.test\n", &["www.a.test"]),
            vec!["www.a.test"]
        );
    }

    #[test]
    fn dotted_names_are_tried_as_is_first_under_ndots() {
        assert_eq!(
            walk("www.x", "search a.test\n", &[]),
            vec!["www.x", "www.x.a.test"]
        );
        assert_eq!(
            walk("www.x", "search a.test\noptions ndots:5\n", &[]),
            vec!["www.x.a.test", "www.x"]
        );
        assert_eq!(walk("www.x.", "search a.test\n", &[]), vec!["www.x."]);
    }

    #[test]
    fn no_tld_query_skips_the_bare_single_label_name() {
        assert_eq!(
            walk("www", "search a.test\noptions no-tld-query\n", &[]),
            vec!["www.a.test"]
        );
    }

    #[test]
    fn a_refused_connection_ends_the_search() {
        let steps = search("www", &config("search a.test b.test\n"), |_| Fate::Refused);
        assert_eq!(steps.len(), 1);
    }
}
