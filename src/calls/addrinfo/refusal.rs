//! getaddrinfo's EAI_NONAME told apart: AI_ADDRCONFIG, AI_NUMERICHOST/SERV and names nss_dns refuses unasked.

use crate::model::{Failure, Why};
use crate::sys::ifaddrs;
use crate::sys::netdb::Hints;

use super::super::dnsname;

/// Whether an EAI_NONAME is AI_NUMERICSERV refusing a service that is not a number: glibc
/// reads the service before the host and gives up there, so the host was never looked at.
pub fn numeric_service_refused(flags: i32, service: Option<&str>) -> bool {
    let numeric_service = service.is_none_or(|s| s.bytes().all(|b| b.is_ascii_digit()));
    flags & libc::AI_NUMERICSERV != 0 && !numeric_service
}

/// EAI_NONAME under AI_NUMERICHOST or AI_NUMERICSERV means "that is not a number", and for a
/// name glibc's DNS module refuses to ask about it means just that, not "no such name": say
/// which, since in none of these cases did a server say NXDOMAIN.
pub fn noname_refusal(
    failure: Failure,
    hints: Hints,
    host: Option<&str>,
    service: Option<&str>,
) -> Failure {
    let Some(error) = failure.sys().filter(|_| failure.is_gai(libc::EAI_NONAME)) else {
        return failure;
    };
    let flags = hints.flags;
    // glibc makes this decision first, before it parses the host or looks anything up.
    if let Some(why) = addrconfig_refusal(flags, hints.family) {
        Failure::explained(error.clone(), why)
    } else if numeric_service_refused(flags, service) {
        Failure::explained(error.clone(), Why::NumericServ)
    } else if flags & libc::AI_NUMERICHOST != 0 {
        Failure::explained(error.clone(), Why::NumericHost)
    } else if let Some(host) = host {
        dnsname::refused_name(failure, host, flags)
    } else {
        failure
    }
}

/// AI_ADDRCONFIG with AF_INET or AF_INET6 on a machine with no address of that family (the
/// loopback address aside) is EAI_NONAME at once: glibc knows no answer could be used. With
/// AF_UNSPEC it looks the name up as usual.
fn addrconfig_refusal(flags: i32, family: i32) -> Option<Why> {
    if flags & libc::AI_ADDRCONFIG == 0 {
        return None;
    }
    // Unknown (getifaddrs failed): glibc then counts both families as present.
    let seen = ifaddrs::configured().ok()?;
    match family {
        libc::AF_INET if !seen.ipv4 => Some(Why::AddrConfig { ipv6: false }),
        libc::AF_INET6 if !seen.ipv6 => Some(Why::AddrConfig { ipv6: true }),
        _ => None,
    }
}
