//! What a failure usually means, for `--explain`: one note per typed cause, shared by every call.

use crate::model::{Cause, Failure, Why};
use crate::sys::SysError;
use crate::sys::error::{EAI_ADDRFAMILY, HOST_NOT_FOUND};
use crate::text::pyrepr;
use crate::validate;

use super::dnsname;

/// The name libc is given for a host typed as `query`: what Python's idna codec makes of it.
pub fn libc_host(query: &str) -> String {
    validate::encoded_host(query).unwrap_or_else(|| query.to_string())
}

/// The note for a host Python's idna codec changes before any call (`None` where the name
/// goes to libc as typed).
pub fn idna_note(query: &str) -> Option<String> {
    let name = validate::encoded_host(query)?;
    Some(format!(
        "Python's idna codec (IDNA 2003) encodes a str host before any call: {} is {} \
         (nameprep folds case and width and drops soft hyphens and zero-width spaces, then a \
         non-ASCII label becomes xn--punycode), so libc is given {name}",
        pyrepr::str_repr(query),
        pyrepr::bytes_repr(name.as_bytes())
    ))
}

/// What a failure usually means, for the notes; `None` where the message says it all.
pub fn failure_note(failure: &Failure) -> Option<String> {
    match failure.why() {
        // A refused host name is EAI_NONAME too, but the generic note would blame the sources.
        Some(Why::DnsRefused { unasked }) => return Some(dnsname::note(*unasked)),
        Some(Why::NumericOtherFamily { .. }) => {
            return Some(
                "gethostbyname and gethostbyname_ex know IPv4 only (CPython asks getaddrinfo for \
                 AF_INET): for an IPv6 address use getaddrinfo, `sockscope addrinfo ::1`"
                    .to_string(),
            );
        }
        Some(Why::AddrConfig { .. }) => {
            return Some(
                "AI_ADDRCONFIG asks only for families this machine has an address of, and glibc \
                 (its __check_pf) counts neither 127.0.0.1 nor ::1: with AF_INET or AF_INET6 and \
                 no such address it returns EAI_NONAME before any name service is asked"
                    .to_string(),
            );
        }
        _ => {}
    }
    if let Cause::Unencodable(_) = failure.cause {
        return Some(
            "Python's idna codec refuses this host name and raises UnicodeError before any \
             call; sockscope makes none either"
                .to_string(),
        );
    }
    if let Some(raised) = failure.as_raised() {
        return Some(format!(
            "CPython raises this {} itself, from its own argument conversions and checks: the \
             C library did not fail",
            raised.class()
        ));
    }
    if failure.is_invalid() {
        return Some("sockscope refused this input, so no call was made".to_string());
    }
    let note = match failure.sys()? {
        SysError::Gai { code, .. } => match *code {
            libc::EAI_NONAME => {
                "EAI_NONAME: no source the resolver asked (/etc/hosts, DNS, as \
                 /etc/nsswitch.conf says) knows this name, or the service is unknown"
            }
            libc::EAI_SERVICE => "EAI_SERVICE: the service is not known for this socket type",
            EAI_ADDRFAMILY | libc::EAI_NODATA => {
                "the name exists but has no address in this family"
            }
            libc::EAI_AGAIN => {
                "EAI_AGAIN: a temporary failure (no answer from DNS); retrying may help"
            }
            libc::EAI_FAMILY => "EAI_FAMILY: getaddrinfo does not support this address family",
            libc::EAI_SOCKTYPE => {
                "EAI_SOCKTYPE: this socket type is not supported, or does not go with this \
                 protocol"
            }
            libc::EAI_BADFLAGS => "EAI_BADFLAGS: this combination of flags is invalid",
            _ => return None,
        },
        SysError::Herrno(HOST_NOT_FOUND) => {
            "h_errno HOST_NOT_FOUND: Python raises socket.herror for it"
        }
        _ => return None,
    };
    Some(note.to_string())
}
