//! The dns source replayed: each candidate name asked through the system's own resolver library, as nss_dns asks it.

use std::ffi::CString;

use serde::Serialize;
use simple_dns::rdata::RData;
use simple_dns::{Packet, RCODE};

use super::resolvconf::{self, Config, Fate};
use crate::sys::resolv::{Reply, Resolver};

/// One (name, type) question and what came back.
#[derive(Debug, Clone, Serialize)]
pub struct Query {
    #[serde(rename = "type")]
    pub rtype: String,
    /// The server asked first; with several, glibc moves on to the next after a failure, and
    /// the resolver library does not say which one answered.
    pub server: String,
    /// The reply's RCODE, or `timeout` / `refused` when no reply came, or `not sent` where
    /// glibc answers itself (`options no-aaaa`).
    pub rcode: String,
    /// Answer records as `owner TYPE data`, CNAMEs first as the server gave them.
    pub answers: Vec<String>,
    pub elapsed_ms: f64,
    /// How many times glibc sends it: once when a server answers, `attempts` times per server
    /// after SERVFAIL, REFUSED or silence.
    pub sends: u32,
    #[serde(skip)]
    pub addresses: Vec<String>,
    /// The owner of the first address record: where a CNAME chain ended.
    #[serde(skip)]
    pub owner: Option<String>,
    #[serde(skip)]
    fate: Fate,
    #[serde(skip)]
    errno: Option<i32>,
}

/// One candidate name and its queries.
#[derive(Debug, Clone, Serialize)]
pub struct Candidate {
    pub name: String,
    pub why: String,
    pub outcome: String,
    pub next: String,
    pub queries: Vec<Query>,
}

/// The dns source's walk and what it answered.
#[derive(Debug, Clone, Serialize)]
pub struct Walk {
    pub candidates: Vec<Candidate>,
    /// The addresses of the answering candidate, A records before AAAA as nss_dns lists them.
    #[serde(skip)]
    pub addresses: Vec<String>,
    /// The canonical name: the owner of the address records that answered.
    #[serde(skip)]
    pub canonical: Option<String>,
    /// errno as nss_dns sees it at the end: ECONNREFUSED or ETIMEDOUT make the source UNAVAIL.
    #[serde(skip)]
    pub errno: Option<i32>,
}

/// The record types nss_dns asks for a getaddrinfo of `family`.
pub fn types(family: i32, config: &Config) -> Vec<(u16, &'static str)> {
    match family {
        libc::AF_INET => vec![(1, "A")],
        libc::AF_INET6 => vec![(28, "AAAA")],
        _ if config.has("no-aaaa") => vec![(1, "A")],
        _ => vec![(1, "A"), (28, "AAAA")],
    }
}

/// Replay the search for `name`.
pub fn walk(name: &str, family: i32, config: &Config) -> Walk {
    let types = types(family, config);
    let mut resolver = Resolver::new().ok();
    let mut asked: Vec<(String, Vec<Query>)> = Vec::new();
    let steps = resolvconf::search(name, config, |candidate| {
        let queries: Vec<Query> = types
            .iter()
            .map(|&(code, label)| ask(resolver.as_mut(), candidate, code, label, config))
            .collect();
        let fate = combine(&queries);
        asked.push((candidate.to_string(), queries));
        fate
    });
    let mut walk = Walk {
        candidates: Vec::new(),
        addresses: Vec::new(),
        canonical: None,
        errno: None,
    };
    for (step, (_, queries)) in steps.into_iter().zip(asked) {
        for q in &queries {
            walk.errno = q.errno.or(walk.errno);
        }
        if step.fate == Fate::Answer {
            walk.addresses = queries.iter().flat_map(|q| q.addresses.clone()).collect();
            walk.canonical = canonical(&queries);
        }
        walk.candidates.push(Candidate {
            name: step.name,
            why: step.why,
            outcome: outcome_name(step.fate).to_string(),
            next: step.next,
            queries,
        });
    }
    walk
}

fn outcome_name(fate: Fate) -> &'static str {
    match fate {
        Fate::Answer => "answer",
        Fate::NxDomain => "NXDOMAIN",
        Fate::NoData => "NODATA",
        Fate::ServFail => "SERVFAIL",
        Fate::Refused => "refused",
        Fate::Other => "no usable answer",
    }
}

/// How a candidate fared: answered if any query has answer records, else the first reply's
/// RCODE unless it is NOERROR (then the second's), as `__res_context_query` decides.
fn combine(queries: &[Query]) -> Fate {
    if queries.iter().any(|q| q.fate == Fate::Answer) {
        return Fate::Answer;
    }
    let first = queries.first().map_or(Fate::Other, |q| q.fate);
    match (first, queries.get(1).map(|q| q.fate)) {
        (Fate::NoData, Some(second)) => second,
        (first, _) => first,
    }
}

fn ask(
    resolver: Option<&mut Resolver>,
    name: &str,
    code: u16,
    label: &str,
    config: &Config,
) -> Query {
    let server = config
        .used_nameservers()
        .first()
        .cloned()
        .unwrap_or_default();
    let mut query = Query {
        rtype: label.to_string(),
        server,
        rcode: "timeout".to_string(),
        answers: Vec::new(),
        elapsed_ms: 0.0,
        sends: 1,
        addresses: Vec::new(),
        owner: None,
        fate: Fate::Other,
        errno: None,
    };
    let (Some(resolver), Ok(c_name)) = (resolver, CString::new(name)) else {
        query.rcode = "not asked".to_string();
        return query;
    };
    let reply = resolver.query(&c_name, code);
    query.elapsed_ms = (reply.elapsed.as_secs_f64() * 1e6).round() / 1e3;
    let retries = config.attempts.max(1) * config.used_nameservers().len().max(1) as u32;
    read_reply(&mut query, &reply, retries, config);
    query
}

fn read_reply(query: &mut Query, reply: &Reply, retries: u32, config: &Config) {
    let Some(message) = &reply.message else {
        let refused = reply.errno == libc::ECONNREFUSED;
        query.rcode = if refused { "refused" } else { "timeout" }.to_string();
        query.fate = if refused { Fate::Refused } else { Fate::Other };
        query.errno = Some(reply.errno);
        query.sends = retries;
        return;
    };
    let Ok(packet) = Packet::parse(message) else {
        query.rcode = "unparsable reply".to_string();
        return;
    };
    let rcode = packet.rcode();
    query.rcode = rcode_name(rcode);
    for answer in &packet.answers {
        let owner = answer.name.to_string();
        match &answer.rdata {
            RData::A(a) => {
                let ip = std::net::Ipv4Addr::from(a.address);
                query.owner.get_or_insert_with(|| owner.clone());
                query.addresses.push(ip.to_string());
                query.answers.push(format!("{owner} A {ip}"));
            }
            RData::AAAA(aaaa) => {
                let ip = std::net::Ipv6Addr::from(aaaa.address);
                query.owner.get_or_insert_with(|| owner.clone());
                query.addresses.push(ip.to_string());
                query.answers.push(format!("{owner} AAAA {ip}"));
            }
            RData::CNAME(target) => query.answers.push(format!("{owner} CNAME {}", target.0)),
            other => query
                .answers
                .push(format!("{owner} {:?}", other.type_code())),
        }
    }
    // A reply glibc made up itself (no-aaaa) has the question but never left the machine.
    if query.rtype == "AAAA" && config.has("no-aaaa") {
        query.rcode = "not sent (no-aaaa)".to_string();
        query.sends = 0;
    }
    query.fate = match rcode {
        RCODE::NoError if !packet.answers.is_empty() => Fate::Answer,
        RCODE::NoError => Fate::NoData,
        RCODE::NameError => Fate::NxDomain,
        RCODE::ServerFailure => Fate::ServFail,
        _ => Fate::Other,
    };
    if matches!(
        rcode,
        RCODE::ServerFailure | RCODE::NotImplemented | RCODE::Refused
    ) {
        query.sends = retries;
        query.errno = Some(libc::ETIMEDOUT);
    }
}

/// The owner name of the first address record: where a CNAME chain ended.
fn canonical(queries: &[Query]) -> Option<String> {
    queries.iter().find_map(|q| q.owner.clone())
}

/// The RCODE's name as dig and the RFCs spell it.
fn rcode_name(rcode: RCODE) -> String {
    match rcode {
        RCODE::NoError => "NOERROR".to_string(),
        RCODE::FormatError => "FORMERR".to_string(),
        RCODE::ServerFailure => "SERVFAIL".to_string(),
        RCODE::NameError => "NXDOMAIN".to_string(),
        RCODE::NotImplemented => "NOTIMP".to_string(),
        RCODE::Refused => "REFUSED".to_string(),
        other => format!("RCODE {}", other as u16),
    }
}
