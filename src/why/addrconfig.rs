//! AI_ADDRCONFIG as glibc applies it: which families count as configured, and what that removes.

use super::report::AddrConfig;
use crate::sys::netlink;

/// What glibc's `__check_pf` counts: every address but exactly 127.0.0.1 and ::1.
pub fn addrconfig(kernel: &[netlink::KernelAddr], family: i32) -> AddrConfig {
    let counted: Vec<String> = kernel
        .iter()
        .filter(|k| !is_exact_loopback(k.address))
        .map(|k| k.address.to_string())
        .collect();
    let ipv4 = kernel
        .iter()
        .any(|k| k.address.is_ipv4() && !is_exact_loopback(k.address));
    let ipv6 = kernel
        .iter()
        .any(|k| k.address.is_ipv6() && !is_exact_loopback(k.address));
    let mut removed = Vec::new();
    if family == libc::AF_UNSPEC && ipv4 != ipv6 {
        removed.push(if ipv4 { "AF_INET6" } else { "AF_INET" }.to_string());
    }
    let refuses = (family == libc::AF_INET && !ipv4) || (family == libc::AF_INET6 && !ipv6);
    AddrConfig {
        ipv4,
        ipv6,
        removed,
        counted,
        refuses,
    }
}

fn is_exact_loopback(ip: std::net::IpAddr) -> bool {
    ip == std::net::Ipv4Addr::LOCALHOST || ip == std::net::Ipv6Addr::LOCALHOST
}

/// The family AI_ADDRCONFIG narrows AF_UNSPEC to, if it does.
pub fn narrowed(config: &AddrConfig, family: i32) -> Option<i32> {
    (family == libc::AF_UNSPEC && config.ipv4 != config.ipv6).then_some(if config.ipv4 {
        libc::AF_INET
    } else {
        libc::AF_INET6
    })
}

pub fn addrconfig_says(config: &AddrConfig) -> Vec<String> {
    let yes = |b: bool| if b { "configured" } else { "not configured" };
    let mut says = vec![format!(
        "IPv4 {}, IPv6 {} (every address counts but exactly 127.0.0.1 and ::1)",
        yes(config.ipv4),
        yes(config.ipv6)
    )];
    if config.refuses {
        says.push(
            "the family asked for is not configured: EAI_NONAME before any lookup".to_string(),
        );
    } else if let Some(removed) = config.removed.first() {
        says.push(format!(
            "AF_UNSPEC narrowed: {removed} answers are not asked for"
        ));
    } else if !config.ipv4 && !config.ipv6 {
        says.push("neither family configured: glibc then changes nothing".to_string());
    }
    says
}
