//! What fails before any host lookup: the service and the hints, probed with a numeric host no name service sees.

use std::ffi::CString;

use crate::sys::SysError;
use crate::sys::netdb::{self, Hints};

/// The EAI code glibc gives for this service and these hints whatever the host, if any:
/// EAI_SERVICE (unknown for the socket type), EAI_SOCKTYPE, EAI_BADFLAGS, EAI_FAMILY, or
/// EAI_NONAME for a name under AI_NUMERICSERV. Asked with a numeric loopback host and
/// AI_NUMERICHOST, so no hosts source is consulted.
pub fn failure(service: Option<&str>, hints: Hints) -> Option<i32> {
    let host = if hints.family == libc::AF_INET6 {
        c"::1"
    } else {
        c"127.0.0.1"
    };
    let service = service.map(CString::new).transpose().ok()?;
    let probe = Hints {
        flags: (hints.flags & !(libc::AI_ADDRCONFIG | libc::AI_CANONNAME)) | libc::AI_NUMERICHOST,
        ..hints
    };
    match netdb::getaddrinfo(Some(host), service.as_deref(), probe) {
        Err(SysError::Gai { code, .. })
            if [
                libc::EAI_SERVICE,
                libc::EAI_SOCKTYPE,
                libc::EAI_BADFLAGS,
                libc::EAI_FAMILY,
                libc::EAI_NONAME,
            ]
            .contains(&code) =>
        {
            Some(code)
        }
        _ => None,
    }
}
