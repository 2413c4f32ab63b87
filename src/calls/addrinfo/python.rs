//! getaddrinfo as Python calls it: host and port as the words stand for, CPython's checks, glibc's answer to anything.

use std::ffi::OsStr;

use crate::model::{Answer, Call, Failure, Raised};
use crate::sys::netdb;
use crate::text::{csource, idna};
use crate::validate;

use super::super::notes;
use super::super::pyargs::{self, Word};
use super::{AddrInfo, GetAddrInfo, Request, explain, finish, records, refusal};

/// `socket.getaddrinfo(host, port, ...)` as Python calls it: the host a str or None (an int is
/// a TypeError), the port an int (handed on as "%ld", which glibc wraps), a str or None.
pub fn lookup_python(req: &Request) -> Answer<AddrInfo> {
    let query = req.host.map(validate::display);
    let service_text = req.service.map(validate::display);
    let host = query.as_deref().map(pyargs::word);
    let port = service_text.as_deref().map(pyargs::word);
    let python = csource::py_getaddrinfo(
        &host
            .as_ref()
            .map_or_else(|| "None".to_string(), Word::host_literal),
        &port
            .as_ref()
            .map_or_else(|| "None".to_string(), Word::literal),
        req.hints,
    );
    let checked = (|| {
        let c_host = match &host {
            None => None,
            Some(Word::Int(_)) => return Err(Failure::raised(Raised::HostNotString)),
            // A str goes through the idna codec first; C reads the bytes up to the first NUL.
            Some(Word::Str(text)) => {
                let encoded =
                    idna::encode(text).map_err(|err| Failure::unencodable(err.to_string()))?;
                encoded.split('\0').next().map(str::to_string)
            }
            Some(word) => word.text().map(str::to_string),
        };
        let c_port = match &port {
            None => None,
            Some(word @ Word::Int(_)) => Some(word.as_long()?.to_string()),
            Some(word) => word.text().map(str::to_string),
        };
        Ok((c_host, c_port))
    })();
    let result = checked.clone().and_then(|(c_host, c_port)| {
        let host_c = c_host.as_deref().map(netdb::c_string).transpose()?;
        let port_c = c_port.as_deref().map(netdb::c_string).transpose()?;
        let entries =
            netdb::getaddrinfo(host_c.as_deref(), port_c.as_deref(), req.hints).map_err(|err| {
                refusal::noname_refusal(
                    Failure::from(err),
                    req.hints,
                    c_host.as_deref(),
                    c_port.as_deref(),
                )
            })?;
        Ok(records(
            query.as_deref(),
            service_text.as_deref(),
            entries.into_iter(),
        ))
    });
    let c_args = checked.as_ref().ok();
    let made = explain::Made {
        c_args: c_args.map(|(h, p)| (h.as_deref(), p.as_deref())),
        python,
    };
    let answer = finish(req, query.clone(), service_text.clone(), made, result);
    match &host {
        Some(Word::Str(text)) => explain::with_idna_note(answer, Some(text)),
        _ => answer,
    }
}

/// The answer when an option fits no C int: Python's OverflowError, bad input elsewhere.
pub fn no_c_int(
    lookup: &GetAddrInfo,
    host: Option<&OsStr>,
    service: Option<&OsStr>,
    value: i128,
    raised: Raised,
    python: bool,
) -> Answer<AddrInfo> {
    let read = if python { pyargs::word } else { pyargs::plain };
    let query = host.map(validate::display);
    let mut args = vec![
        query
            .as_deref()
            .map_or_else(|| "None".to_string(), |h| read(h).host_literal()),
        service.map_or_else(
            || "None".to_string(),
            |s| read(&validate::display(s)).literal(),
        ),
    ];
    for (name, value) in ["family", "type", "proto", "flags"]
        .iter()
        .zip(lookup.whole)
    {
        if value != 0 {
            args.push(format!("{name}={value}"));
        }
    }
    let failure = if python {
        Failure::raised(raised)
    } else {
        Failure::invalid(format!("{value} does not fit in a C int"))
    };
    let call = Call {
        c: pyargs::NOT_CALLED.to_string(),
        python: format!("socket.getaddrinfo({})", args.join(", ")),
        notes: notes::failure_note(&failure).into_iter().collect(),
    };
    Answer::new(query, Err(failure)).with_call(call)
}
