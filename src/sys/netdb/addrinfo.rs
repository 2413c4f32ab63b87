//! getaddrinfo and getnameinfo, with the sockaddr conversions between C and std they need.

use std::ffi::CStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::raw::c_char;
use std::ptr;

use super::owned_string;
use crate::sys::SysError;
use crate::sys::ffi;

/// One element of getaddrinfo's list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddrInfoEntry {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub canonname: Option<String>,
    pub addr: SocketAddr,
}

/// The `hints` argument of getaddrinfo.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Hints {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
    pub flags: i32,
}

/// A failed getaddrinfo or getnameinfo as a SysError; EAI_SYSTEM leaves the real cause in errno,
/// so this must run before anything else can overwrite it.
fn gai_error(rc: libc::c_int) -> SysError {
    let errno = (rc == libc::EAI_SYSTEM)
        .then(|| std::io::Error::last_os_error().raw_os_error())
        .flatten();
    SysError::Gai { code: rc, errno }
}

/// getnameinfo(3) on a socket address with `flags`: the (host, service) pair CPython returns.
pub fn getnameinfo(addr: &SocketAddr, flags: i32) -> Result<(String, String), SysError> {
    // Sizes from glibc's <netdb.h> (NI_MAXHOST, NI_MAXSERV), the buffers CPython passes.
    let mut host: [c_char; 1025] = [0; 1025];
    let mut service: [c_char; 32] = [0; 32];
    let (storage, len) = raw_sockaddr(addr);
    // SAFETY: storage holds `len` bytes of a sockaddr_in or sockaddr_in6; both buffers are valid
    // for their stated lengths, and getnameinfo NUL-terminates what it writes.
    let rc = unsafe {
        libc::getnameinfo(
            (&raw const storage).cast(),
            len,
            host.as_mut_ptr(),
            host.len() as libc::socklen_t,
            service.as_mut_ptr(),
            service.len() as libc::socklen_t,
            flags,
        )
    };
    if rc != 0 {
        return Err(gai_error(rc));
    }
    // SAFETY: on success both buffers hold NUL-terminated strings (they were zeroed before).
    unsafe { Ok((owned_string(host.as_ptr()), owned_string(service.as_ptr()))) }
}

/// std's socket address as the C sockaddr_in / sockaddr_in6 that getnameinfo reads.
fn raw_sockaddr(addr: &SocketAddr) -> (libc::sockaddr_storage, libc::socklen_t) {
    // SAFETY: sockaddr_storage is plain old data; all-zero is its unset value.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let len = match addr {
        SocketAddr::V4(v4) => {
            let sin = libc::sockaddr_in {
                sin_family: libc::AF_INET as libc::sa_family_t,
                sin_port: v4.port().to_be(),
                sin_addr: libc::in_addr {
                    s_addr: u32::from(*v4.ip()).to_be(),
                },
                sin_zero: [0; 8],
            };
            // SAFETY: sockaddr_storage is large and aligned enough for any sockaddr.
            unsafe { ptr::write((&raw mut storage).cast(), sin) };
            std::mem::size_of::<libc::sockaddr_in>()
        }
        SocketAddr::V6(v6) => {
            let sin6 = libc::sockaddr_in6 {
                sin6_family: libc::AF_INET6 as libc::sa_family_t,
                sin6_port: v6.port().to_be(),
                sin6_flowinfo: v6.flowinfo().to_be(),
                sin6_addr: libc::in6_addr {
                    s6_addr: v6.ip().octets(),
                },
                sin6_scope_id: v6.scope_id(),
            };
            // SAFETY: sockaddr_storage is large and aligned enough for any sockaddr.
            unsafe { ptr::write((&raw mut storage).cast(), sin6) };
            std::mem::size_of::<libc::sockaddr_in6>()
        }
    };
    (storage, len as libc::socklen_t)
}

/// getaddrinfo(3) with the given hints; NULL host or service where `None`.
pub fn getaddrinfo(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> Result<Vec<AddrInfoEntry>, SysError> {
    getaddrinfo_list(host, service, hints).map(Iterator::collect)
}

/// getaddrinfo(3) as the list it returns, read one element at a time: a caller that wants the
/// first address, or records of its own, builds no vector of entries on the way.
pub fn getaddrinfo_list(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> Result<AddrInfoList, SysError> {
    // SAFETY: addrinfo is plain old data; all-zero is the documented way to start the hints.
    let mut c_hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    c_hints.ai_family = hints.family;
    c_hints.ai_socktype = hints.socktype;
    c_hints.ai_protocol = hints.protocol;
    c_hints.ai_flags = hints.flags;
    let mut res: *mut libc::addrinfo = ptr::null_mut();
    // SAFETY: host and service are valid C strings or NULL; c_hints is initialised; res receives
    // a list that AddrInfoList frees with freeaddrinfo.
    let rc = unsafe {
        libc::getaddrinfo(
            host.map_or(ptr::null(), CStr::as_ptr),
            service.map_or(ptr::null(), CStr::as_ptr),
            &c_hints,
            &mut res,
        )
    };
    if rc != 0 {
        return Err(gai_error(rc));
    }
    Ok(AddrInfoList {
        head: res,
        next: res,
    })
}

/// The list a successful getaddrinfo returned, owned: its IPv4 and IPv6 elements in order, as
/// entries; freed (freeaddrinfo) when dropped.
pub struct AddrInfoList {
    head: *mut libc::addrinfo,
    /// The element to read next, or null at the end.
    next: *mut libc::addrinfo,
}

impl Iterator for AddrInfoList {
    type Item = AddrInfoEntry;

    fn next(&mut self) -> Option<AddrInfoEntry> {
        while !self.next.is_null() {
            // SAFETY: next is an element of the list getaddrinfo returned, freed only on drop.
            let ai = unsafe { &*self.next };
            self.next = ai.ai_next;
            // SAFETY: ai_addr points to ai_addrlen bytes of a sockaddr of family ai_family.
            if let Some(addr) = unsafe { socket_addr(ai.ai_addr, ai.ai_addrlen) } {
                return Some(AddrInfoEntry {
                    family: ai.ai_family,
                    socktype: ai.ai_socktype,
                    protocol: ai.ai_protocol,
                    // SAFETY: ai_canonname is NULL or a valid C string.
                    canonname: (!ai.ai_canonname.is_null())
                        .then(|| unsafe { owned_string(ai.ai_canonname) }),
                    addr,
                });
            }
        }
        None
    }

    /// At most the elements left (those of other families are skipped).
    fn size_hint(&self) -> (usize, Option<usize>) {
        let mut left = 0;
        let mut cur = self.next;
        while !cur.is_null() {
            left += 1;
            // SAFETY: cur is an element of the list getaddrinfo returned, freed only on drop.
            cur = unsafe { (*cur).ai_next };
        }
        (0, Some(left))
    }
}

impl Drop for AddrInfoList {
    fn drop(&mut self) {
        if !self.head.is_null() {
            // SAFETY: head came from a successful getaddrinfo and is freed exactly once, here.
            unsafe { libc::freeaddrinfo(self.head) };
        }
    }
}

/// Convert an IPv4 or IPv6 sockaddr into std's type (keeping flowinfo and scope_id).
///
/// # Safety
/// `sa` must be null or point to `len` readable bytes of a sockaddr.
unsafe fn socket_addr(sa: *const libc::sockaddr, len: libc::socklen_t) -> Option<SocketAddr> {
    if sa.is_null() {
        return None;
    }
    let len = len as usize;
    // SAFETY: sa is non-null and at least holds sa_family.
    match i32::from(unsafe { (*sa).sa_family }) {
        libc::AF_INET if len >= std::mem::size_of::<libc::sockaddr_in>() => {
            // SAFETY: family and length say this is a sockaddr_in; read_unaligned avoids alignment assumptions.
            let sin = unsafe { ptr::read_unaligned(sa as *const libc::sockaddr_in) };
            let ip = Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr));
            Some(SocketAddrV4::new(ip, u16::from_be(sin.sin_port)).into())
        }
        libc::AF_INET6 if len >= std::mem::size_of::<libc::sockaddr_in6>() => {
            // SAFETY: family and length say this is a sockaddr_in6.
            let sin6 = unsafe { ptr::read_unaligned(sa as *const libc::sockaddr_in6) };
            let ip = Ipv6Addr::from(sin6.sin6_addr.s6_addr);
            Some(
                SocketAddrV6::new(
                    ip,
                    u16::from_be(sin6.sin6_port),
                    u32::from_be(sin6.sin6_flowinfo),
                    sin6.sin6_scope_id,
                )
                .into(),
            )
        }
        _ => None,
    }
}

/// getnameinfo(3) with NI_NUMERICHOST: the address text Python shows (with `%zone` for scoped IPv6).
pub fn numeric_host(addr: &SocketAddr) -> String {
    getnameinfo(addr, libc::NI_NUMERICHOST | libc::NI_NUMERICSERV)
        .map(|(host, _)| host)
        .unwrap_or_else(|_| addr.ip().to_string())
}

/// inet_ntop(3): the address text CPython puts in its tuples and lists (no `%zone`: the scope
/// id of an IPv6 sockaddr is a field of its own), with glibc's spelling of every address.
pub fn ntop(ip: &IpAddr) -> String {
    match ip {
        // glibc writes an IPv4 address as the plain dotted quad written here, for a fraction
        // of the instructions: in a batch, inet_ntop's sprintf was a tenth of them, and the
        // formatting machinery behind Ipv4Addr's Display still more than the rest of a record.
        IpAddr::V4(v4) => dotted_quad(v4.octets()),
        IpAddr::V6(_) => c_ntop(ip),
    }
}

/// `a.b.c.d` in decimal, without leading zeros.
fn dotted_quad(octets: [u8; 4]) -> String {
    let mut out = String::with_capacity(15);
    dotted_quad_bytes(octets, |byte| out.push(char::from(byte)));
    out
}

/// Appends `ip` as `ntop` writes it, as bytes (a record's JSON writes it without a String).
pub fn push_ntop(out: &mut Vec<u8>, ip: &IpAddr) {
    match ip {
        IpAddr::V4(v4) => dotted_quad_bytes(v4.octets(), |byte| out.push(byte)),
        IpAddr::V6(_) => out.extend_from_slice(c_ntop(ip).as_bytes()),
    }
}

/// The ASCII bytes of a dotted quad, one at a time.
#[inline]
fn dotted_quad_bytes(octets: [u8; 4], mut push: impl FnMut(u8)) {
    for (i, octet) in octets.into_iter().enumerate() {
        if i > 0 {
            push(b'.');
        }
        if octet >= 100 {
            push(b'0' + octet / 100);
        }
        if octet >= 10 {
            push(b'0' + octet / 10 % 10);
        }
        push(b'0' + octet % 10);
    }
}

/// inet_ntop(3) itself.
fn c_ntop(ip: &IpAddr) -> String {
    // INET6_ADDRSTRLEN is 46, which also fits any IPv4 address.
    let mut buf: [c_char; 46] = [0; 46];
    let (family, bytes): (libc::c_int, Vec<u8>) = match ip {
        IpAddr::V4(v4) => (libc::AF_INET, v4.octets().to_vec()),
        IpAddr::V6(v6) => (libc::AF_INET6, v6.octets().to_vec()),
    };
    // SAFETY: bytes holds an in_addr or in6_addr of `family` in network byte order, and buf is
    // valid for its stated length, which inet_ntop never writes past.
    let text = unsafe {
        ffi::inet_ntop(
            family,
            bytes.as_ptr().cast(),
            buf.as_mut_ptr(),
            buf.len() as libc::socklen_t,
        )
    };
    if text.is_null() {
        return ip.to_string();
    }
    // SAFETY: on success buf holds a NUL-terminated string.
    unsafe { owned_string(buf.as_ptr()) }
}

#[cfg(test)]
mod tests {
    use std::net::{IpAddr, Ipv4Addr};

    use super::{c_ntop, ntop};

    #[test]
    fn ipv4_text_is_what_inet_ntop_prints() {
        // Every octet value in every position, and the edges.
        let mut addresses = vec![0, u32::MAX, 0x7f00_0001, 0x0a00_0001];
        addresses.extend((0..=255u32).flat_map(|b| [b, b << 8, b << 16, b << 24, b * 0x0101_0101]));
        for bits in addresses {
            let ip = IpAddr::V4(Ipv4Addr::from(bits));
            assert_eq!(ntop(&ip), c_ntop(&ip), "{ip}");
        }
    }
}
