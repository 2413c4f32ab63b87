//! What `--explain` shows for getaddrinfo: the C call, the Python line and notes on the answer.

use crate::model::{Answer, Call, Failure};
use crate::sys::netdb::Hints;
use crate::text::csource;

use super::super::notes::{failure_note, idna_note};
use super::super::pyargs::NOT_CALLED;
use super::{AddrInfo, Request};

/// What the call was: the host and port text C saw (`c_args`, None where Python raised
/// before calling) and the Python line, for the C line and the notes.
pub struct Made<'a> {
    pub c_args: Option<(Option<&'a str>, Option<&'a str>)>,
    pub python: String,
}

/// The C call and Python line for this request, and notes on what its answer shows.
pub fn call(req: &Request, made: Made, result: &Result<Vec<AddrInfo>, Failure>) -> Call {
    let hints = req.hints;
    let mut notes = Vec::new();
    let (host, service) = made.c_args.unwrap_or((None, None));
    match result {
        Ok(rows) => {
            notes.extend(wrapped_port(service, rows));
            notes.extend(row_notes(rows, host, service, hints));
        }
        Err(failure) => {
            notes.extend(odd_input(made.c_args, failure));
            notes.extend(failure_note(failure));
        }
    }
    Call {
        c: made.c_args.map_or_else(
            || NOT_CALLED.to_string(),
            |(host, service)| csource::c_getaddrinfo(host, service, hints),
        ),
        python: made.python,
        notes,
    }
}

/// glibc reads a numeric service with strtoul and keeps its low 16 bits: say so when the
/// number was not a port.
fn wrapped_port(service: Option<&str>, rows: &[AddrInfo]) -> Option<String> {
    let number = service?.trim().parse::<i128>().ok()?;
    let port = rows.first()?.port;
    (!(0..=65535).contains(&number)).then(|| {
        format!(
            "{number} is no port: glibc reads a numeric service with strtoul and keeps only its \
             low 16 bits, so the port is {port} (sockscope's table and JSON refuse it)"
        )
    })
}

/// What glibc made of input only Python passes on: an empty host, or neither host nor service.
fn odd_input(c_args: Option<(Option<&str>, Option<&str>)>, failure: &Failure) -> Option<String> {
    if !failure.is_gai(libc::EAI_NONAME) {
        return None;
    }
    match c_args? {
        (None, None) => Some(
            "neither host nor service: getaddrinfo needs at least one and answers EAI_NONAME \
             (sockscope's table and JSON refuse this before the call)"
                .to_string(),
        ),
        (Some(""), _) => Some(
            "an empty host is no name to glibc: getaddrinfo(\"\") answers EAI_NONAME without \
             any lookup (sockscope's table and JSON refuse it before the call)"
                .to_string(),
        ),
        _ => None,
    }
}

fn row_notes(
    rows: &[AddrInfo],
    host: Option<&str>,
    service: Option<&str>,
    hints: Hints,
) -> Vec<String> {
    let mut notes = Vec::new();
    let mut types: Vec<&str> = Vec::new();
    for row in rows {
        if !types.contains(&row.socktype.as_ref()) {
            types.push(&row.socktype);
        }
    }
    if hints.socktype == 0 && hints.protocol == 0 {
        if types.len() > 1 {
            notes.push(format!(
                "{} rows per address ({}) because no socket type was given; \
                 type=socket.SOCK_STREAM asks for one",
                types.len(),
                types.join(", ")
            ));
        } else if let (Some(service), [only]) = (service, types.as_slice()) {
            notes.push(format!(
                "only {only} rows although no socket type was given: the service {service:?} \
                 is known for one protocol only"
            ));
        }
    }
    if hints.flags & libc::AI_CANONNAME != 0 {
        notes.push("AI_CANONNAME: the canonical name is only on the first row".to_string());
    }
    // Only IPv6 rows (those with a flowinfo) can hold a mapped address; IPv4 rows are not parsed.
    let is_mapped = |r: &&AddrInfo| matches!(r.address, std::net::IpAddr::V6(ip) if ip.to_ipv4_mapped().is_some());
    if let Some(mapped) = rows.iter().find(is_mapped) {
        notes.push(format!(
            "{} is an IPv4-mapped IPv6 address: an IPv4 answer dressed as IPv6 (AI_V4MAPPED)",
            crate::sys::netdb::ntop(&mapped.address)
        ));
    }
    if rows.iter().any(|r| r.flowinfo.is_some()) {
        notes.push(
            "IPv6 addresses are 4-tuples (host, port, flowinfo, scope_id), IPv4 ones 2-tuples"
                .to_string(),
        );
    }
    match (host, hints.flags & libc::AI_PASSIVE != 0) {
        (None, true) => notes.push(
            "no host with AI_PASSIVE: the wildcard addresses, to bind() a server to".to_string(),
        ),
        (None, false) => notes.push(
            "no host without AI_PASSIVE: the loopback addresses, to connect() to".to_string(),
        ),
        _ => {}
    }
    if service.is_none() {
        notes.push("no service: every port is 0".to_string());
    }
    notes
}

/// Put first among the notes that Python's idna codec changed the host, where it did.
pub fn with_idna_note(mut answer: Answer<AddrInfo>, typed: Option<&str>) -> Answer<AddrInfo> {
    if let (Some(call), Some(note)) = (answer.call.as_mut(), typed.and_then(idna_note)) {
        call.notes.insert(0, note);
    }
    answer
}
