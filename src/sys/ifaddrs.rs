//! getifaddrs(3) and the if_nameindex family: this machine's interfaces, and which address families AI_ADDRCONFIG counts.

use std::ffi::CStr;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

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

/// One entry of getifaddrs: an interface's name and flags, and one of its addresses (none for
/// the entry that only says the interface exists, AF_PACKET's or an address-less one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IfAddr {
    pub name: String,
    pub flags: u32,
    pub address: Option<IpAddr>,
}

/// Every entry getifaddrs lists, in its order.
pub fn entries() -> Result<Vec<IfAddr>, SysError> {
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head it allocated, or leaves it alone and returns -1.
    if unsafe { libc::getifaddrs(&mut list) } != 0 {
        return Err(last_errno());
    }
    let mut out = Vec::new();
    let mut entry = list;
    while !entry.is_null() {
        // SAFETY: entry is a node of the list getifaddrs returned, not yet freed.
        let ifa = unsafe { &*entry };
        // SAFETY: ifa_name is a NUL-terminated string owned by the list.
        let name = unsafe { CStr::from_ptr(ifa.ifa_name) };
        let mut address = None;
        if !ifa.ifa_addr.is_null() {
            // SAFETY: a non-null ifa_addr points to a sockaddr whose family says its real type.
            match i32::from(unsafe { (*ifa.ifa_addr).sa_family }) {
                libc::AF_INET => {
                    // SAFETY: AF_INET entries hold a sockaddr_in.
                    let sin = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in) };
                    address = Some(IpAddr::V4(Ipv4Addr::from(u32::from_be(
                        sin.sin_addr.s_addr,
                    ))));
                }
                libc::AF_INET6 => {
                    // SAFETY: AF_INET6 entries hold a sockaddr_in6.
                    let sin6 = unsafe { &*(ifa.ifa_addr as *const libc::sockaddr_in6) };
                    address = Some(IpAddr::V6(Ipv6Addr::from(sin6.sin6_addr.s6_addr)));
                }
                _ => {}
            }
        }
        out.push(IfAddr {
            name: name.to_string_lossy().into_owned(),
            flags: ifa.ifa_flags,
            address,
        });
        entry = ifa.ifa_next;
    }
    // SAFETY: list came from getifaddrs and is freed once, after the last use of its nodes.
    unsafe { libc::freeifaddrs(list) };
    Ok(out)
}

/// if_nameindex(3): every interface as (index, name), in the C library's order.
pub fn nameindex() -> Result<Vec<(u32, String)>, SysError> {
    // SAFETY: if_nameindex returns an array it allocated, ended by a zero entry, or NULL.
    let list = unsafe { libc::if_nameindex() };
    if list.is_null() {
        return Err(last_errno());
    }
    let mut out = Vec::new();
    let mut at = list;
    loop {
        // SAFETY: at stays within the array, whose end is the entry with index 0.
        let item = unsafe { &*at };
        if item.if_index == 0 || item.if_name.is_null() {
            break;
        }
        // SAFETY: if_name of a live entry is a NUL-terminated string owned by the array.
        let name = unsafe { CStr::from_ptr(item.if_name) };
        out.push((item.if_index, name.to_string_lossy().into_owned()));
        // SAFETY: the entry after a live one exists (at worst it is the terminator).
        at = unsafe { at.add(1) };
    }
    // SAFETY: list came from if_nameindex and is freed once, after its last use.
    unsafe { libc::if_freenameindex(list) };
    Ok(out)
}

/// if_nametoindex(3): the index, or 0 where no interface has the name.
pub fn nametoindex(name: &CStr) -> u32 {
    // SAFETY: name is NUL-terminated.
    unsafe { libc::if_nametoindex(name.as_ptr()) }
}

/// if_indextoname(3): the name, or the errno (ENXIO for no such index).
pub fn indextoname(index: u32) -> Result<String, SysError> {
    let mut buf = [0 as libc::c_char; libc::IF_NAMESIZE];
    // SAFETY: buf has the IF_NAMESIZE bytes if_indextoname writes at most.
    let out = unsafe { libc::if_indextoname(index, buf.as_mut_ptr()) };
    if out.is_null() {
        return Err(last_errno());
    }
    // SAFETY: on success buf holds a NUL-terminated name.
    let name = unsafe { CStr::from_ptr(buf.as_ptr()) };
    Ok(name.to_string_lossy().into_owned())
}

/// The interface's MTU (ioctl SIOCGIFMTU on a throwaway datagram socket), where it can be read.
pub fn mtu(name: &str) -> Option<u32> {
    let bytes = name.as_bytes();
    if bytes.len() >= libc::IFNAMSIZ {
        return None;
    }
    // SAFETY: an all-zero ifreq is a valid value of this plain C struct.
    let mut req: libc::ifreq = unsafe { std::mem::zeroed() };
    for (dst, src) in req.ifr_name.iter_mut().zip(bytes) {
        *dst = *src as libc::c_char;
    }
    // SAFETY: socket takes no pointers; a negative result is checked.
    let fd = unsafe { libc::socket(libc::AF_INET, libc::SOCK_DGRAM | libc::SOCK_CLOEXEC, 0) };
    if fd < 0 {
        return None;
    }
    // SAFETY: fd is an open socket and req a valid ifreq with a NUL-terminated name.
    let ok = unsafe { libc::ioctl(fd, libc::SIOCGIFMTU, &mut req) };
    // SAFETY: fd is ours and closed once.
    unsafe { libc::close(fd) };
    if ok != 0 {
        return None;
    }
    // SAFETY: a successful SIOCGIFMTU filled the ifru_mtu member of the union.
    let mtu = unsafe { req.ifr_ifru.ifru_mtu };
    u32::try_from(mtu).ok()
}

fn last_errno() -> SysError {
    SysError::Errno(
        io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
    )
}
