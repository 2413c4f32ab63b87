//! sockscope's words for each `Why`: what it knows about a failure beyond the C library's code.

use crate::sys::SysError;

use super::failure::{REFUSED_BY_DNS, REFUSED_UNASKED, Why};

impl Why {
    /// sockscope's words for this case, given the error it explains.
    pub(super) fn message(&self, error: &SysError) -> String {
        match self {
            Why::AddrConfig { ipv6: false } => "AI_ADDRCONFIG: this machine has no IPv4 address \
                 but 127.0.0.1, so the name was not looked up"
                .to_string(),
            Why::AddrConfig { ipv6: true } => "AI_ADDRCONFIG: this machine has no IPv6 address \
                 but ::1, so the name was not looked up"
                .to_string(),
            Why::NumericServ => {
                "service is not a port number, and AI_NUMERICSERV forbids looking it up".to_string()
            }
            Why::NumericHost => {
                "not a numeric address, and AI_NUMERICHOST forbids looking the name up".to_string()
            }
            Why::DnsRefused { unasked: true } => REFUSED_UNASKED.to_string(),
            Why::DnsRefused { unasked: false } => REFUSED_BY_DNS.to_string(),
            Why::NameRequired => {
                "the address has no name, and NI_NAMEREQD forbids answering with the number"
                    .to_string()
            }
            Why::NoPtr => "the address's reverse name exists but has no PTR record".to_string(),
            Why::WrongFamily { answered, asked } => format!(
                "the resolver answered with an {} entry for an {} address, which CPython refuses",
                family_name(*answered),
                family_name(*asked)
            ),
            Why::NumericOtherFamily { given, asked } => format!(
                "{}: a numeric {} address, and this call asks for {} only",
                error.strerror().unwrap_or_else(|| error.message()),
                family_name(*given),
                family_name(*asked)
            ),
            Why::During {
                step,
                timeout: Some(limit),
            } => format!("{step}: timed out after {} s", limit.as_secs_f64()),
            Why::During {
                step,
                timeout: None,
            } => format!("{step}: {}", error.message()),
        }
    }
}

fn family_name(family: i32) -> String {
    match family {
        libc::AF_INET => "AF_INET".to_string(),
        libc::AF_INET6 => "AF_INET6".to_string(),
        other => other.to_string(),
    }
}
