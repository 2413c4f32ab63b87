//! The whole explanation of one getaddrinfo call: every step's findings, the prediction, and the verdict.

use std::net::IpAddr;

use serde::Serialize;

use super::dnswalk::Candidate;
use super::gaiconf::Tables;
use super::hostsfile::HostsFile;
use super::input::{Host, Input};
use super::resolvconf::Config;
use super::sort::{self, Decision, Dest, Row};
use super::sources::{Consulted, Walked};
use crate::calls::addrinfo::AddrInfo;
use crate::model::Failure;
use crate::sys::netlink::KernelAddr;

/// The hints as asked, by name.
#[derive(Debug, Clone, Serialize)]
pub struct HintsView {
    pub family: String,
    #[serde(rename = "type")]
    pub socktype: String,
    pub proto: i32,
    pub flags: Vec<String>,
}

/// AI_ADDRCONFIG's finding.
#[derive(Debug, Clone, Serialize)]
pub struct AddrConfig {
    pub ipv4: bool,
    pub ipv6: bool,
    /// The families it took away (`AF_INET6` when only IPv4 is configured, say).
    pub removed: Vec<String>,
    /// The addresses that made each family count (every one but 127.0.0.1 and ::1).
    pub counted: Vec<String>,
    /// EAI_NONAME before any lookup: the family asked for is not configured.
    pub refuses: bool,
}

/// The dns section: the configuration in force and the candidates asked.
#[derive(Debug, Clone, Serialize)]
pub struct DnsView {
    #[serde(flatten)]
    pub config: Config,
    /// Whether the dns source was consulted at all.
    pub consulted: bool,
    pub candidates: Vec<Candidate>,
}

impl DnsView {
    pub fn new(config: &Config, candidates: Option<Vec<Candidate>>) -> DnsView {
        DnsView {
            config: config.clone(),
            consulted: candidates.is_some(),
            candidates: candidates.unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct SortView {
    pub table: String,
    /// The trap worth knowing: a `label` line replaces glibc's whole label table.
    pub labels_replaced: bool,
    pub precedence_replaced: bool,
    pub rows: Vec<Row>,
    pub decisions: Vec<Decision>,
}

/// One step of the story, for JSON readers who want it in order.
#[derive(Debug, Clone, Serialize)]
pub struct Step {
    pub step: &'static str,
    pub says: Vec<String>,
}

/// The first difference between prediction and truth.
#[derive(Debug, Clone, Serialize)]
pub struct Difference {
    pub index: usize,
    pub predicted: Option<String>,
    pub real: Option<String>,
    /// The step whose model missed it.
    pub step: &'static str,
}

/// Everything `why` found for one call.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub query: String,
    pub service: Option<String>,
    pub hints: HintsView,
    /// The real records, as `addrinfo` gives them; absent when the call failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<Vec<AddrInfo>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<Failure>,
    pub answered_by: Option<String>,
    pub input: Input,
    pub nsswitch: Option<NsswitchView>,
    pub hosts_file: Option<HostsFile>,
    pub dns: DnsView,
    pub addrconfig: Option<AddrConfig>,
    pub sort: Option<SortView>,
    pub predicted: Vec<String>,
    /// The error code the model expects, when it expects the call to fail.
    pub predicted_error: Option<String>,
    pub real: Vec<String>,
    pub agrees: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub difference: Option<Difference>,
    pub steps: Vec<Step>,
    /// What `why` cannot see, said rather than guessed.
    pub blind_spots: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct NsswitchView {
    pub line: String,
    pub from: String,
    pub consulted: Vec<Consulted>,
}

/// The distinct addresses of a list of records, in order.
pub fn distinct(records: &[AddrInfo]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for r in records {
        let address = crate::sys::netdb::ntop(&r.address);
        if !out.contains(&address) {
            out.push(address);
        }
    }
    out
}

/// Sort the addresses the answering source gave, as getaddrinfo does when there are several.
pub fn sort_step(
    addresses: &[String],
    tables: &Tables,
    kernel: &[KernelAddr],
) -> (Vec<String>, Option<SortView>) {
    let ips: Vec<IpAddr> = addresses.iter().filter_map(|a| a.parse().ok()).collect();
    if ips.len() < 2 {
        return (addresses.to_vec(), None);
    }
    let dests: Vec<Dest> = ips
        .iter()
        .map(|&address| Dest {
            address,
            source: sort::source_for(address, kernel),
        })
        .collect();
    let order = sort::sort(&dests, tables);
    let rows = order
        .iter()
        .map(|&i| {
            let d = &dests[i];
            Row {
                address: d.address.to_string(),
                source: d.source.as_ref().map(|s| s.address.to_string()),
                scope: tables.scope(d.address),
                label: tables.label(d.address),
                precedence: tables.precedence(d.address),
                source_scope: d.source.as_ref().map(|s| tables.scope(s.address)),
                source_label: d.source.as_ref().map(|s| tables.label(s.address)),
            }
        })
        .collect();
    let decisions = order
        .windows(2)
        .map(|pair| {
            let (_, rule) = sort::compare(&dests, pair[0], pair[1], tables);
            Decision {
                first: dests[pair[0]].address.to_string(),
                second: dests[pair[1]].address.to_string(),
                rule,
                reason: sort::reason(rule).to_string(),
            }
        })
        .collect();
    let sorted = order
        .iter()
        .map(|&i| dests[i].address.to_string())
        .collect();
    let view = SortView {
        table: tables.source.clone(),
        labels_replaced: tables.labels_replaced,
        precedence_replaced: tables.precedence_replaced,
        rows,
        decisions,
    };
    (sorted, Some(view))
}

/// The prediction for a numeric host: the address itself.
pub fn numeric_prediction(input: &Input, family: i32) -> (Vec<String>, Option<String>) {
    match (&input.host, family) {
        (Host::Ipv4 { address }, libc::AF_UNSPEC | libc::AF_INET) => (vec![address.clone()], None),
        (Host::Ipv6 { address, .. }, libc::AF_UNSPEC | libc::AF_INET6) => {
            (vec![address.clone()], None)
        }
        _ => (Vec::new(), Some("EAI_ADDRFAMILY".to_string())),
    }
}

/// The prediction from the walk: the answer, or the error glibc gives when none came.
pub fn walk_error(walked: &Walked) -> Option<String> {
    if walked.answered_by.is_some() {
        None
    } else if walked.temporary {
        Some("EAI_AGAIN".to_string())
    } else {
        Some("EAI_NONAME".to_string())
    }
}

/// Compare prediction and truth; the first difference and the step to blame.
pub fn verdict(
    predicted: &[String],
    predicted_error: Option<&str>,
    real: &[String],
    real_error: Option<&str>,
    sorted: bool,
) -> (bool, Option<Difference>) {
    if predicted_error.is_some() || real_error.is_some() {
        let same = predicted_error == real_error
            || (predicted_error == Some("EAI_NONAME") && real_error == Some("EAI_NODATA"));
        let diff = (!same).then(|| Difference {
            index: 0,
            predicted: predicted_error
                .map(str::to_string)
                .or_else(|| predicted.first().cloned()),
            real: real_error
                .map(str::to_string)
                .or_else(|| real.first().cloned()),
            step: "nsswitch",
        });
        return (same, diff);
    }
    if predicted == real {
        return (true, None);
    }
    let index = predicted
        .iter()
        .zip(real)
        .position(|(p, r)| p != r)
        .unwrap_or(predicted.len().min(real.len()));
    let mut p_sorted = predicted.to_vec();
    let mut r_sorted = real.to_vec();
    p_sorted.sort();
    r_sorted.sort();
    let step = if p_sorted == r_sorted && sorted {
        "sort"
    } else {
        "nsswitch"
    };
    (
        false,
        Some(Difference {
            index,
            predicted: predicted.get(index).cloned(),
            real: real.get(index).cloned(),
            step,
        }),
    )
}
