//! getifaddrs(3): which address families this machine has, as glibc's AI_ADDRCONFIG counts them.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};

use super::error::SysError;

/// Whether the machine has an address of each family that AI_ADDRCONFIG counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Configured {
    pub ipv4: bool,
    pub ipv6: bool,
}

/// What glibc's `__check_pf` finds (sysdeps/unix/sysv/linux/check_pf.c): an IPv4 address other
/// than 127.0.0.1 counts (127.0.0.2 does), and an IPv6 address other than ::1 (link-local too).
pub fn configured() -> Result<Configured, SysError> {
    let mut seen = Configured {
        ipv4: false,
        ipv6: false,
    };
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head it allocated, or leaves it alone and returns -1.
    if unsafe { libc::getifaddrs(&mut list) } != 0 {
        return Err(SysError::Errno(
            io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EIO),
        ));
    }
    let mut entry = list;
    while !entry.is_null() {
        // SAFETY: entry is a node of the list getifaddrs returned, not yet freed.
        let ifa = unsafe { &*entry };
        if !ifa.ifa_addr.is_null() {
            // SAFETY: a non-null ifa_addr points to a sockaddr whose family says its real type.
            match i32::from(unsafe { (*ifa.ifa_addr).sa_family }) {
                libc::AF_INET => {
                    // SAFETY: AF_INET entries hold a sockaddr_in.
                    let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                    let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
                    seen.ipv4 |= ip != Ipv4Addr::LOCALHOST;
                }
                libc::AF_INET6 => {
                    // SAFETY: AF_INET6 entries hold a sockaddr_in6.
                    let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
                    let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
                    seen.ipv6 |= ip != Ipv6Addr::LOCALHOST;
                }
                _ => {}
            }
        }
        entry = ifa.ifa_next;
    }
    // SAFETY: list came from getifaddrs and is freed once, after the last use of its nodes.
    unsafe { libc::freeifaddrs(list) };
    Ok(seen)
}
