//! Safe wrappers around the resolver's C calls: each copies its answer out before returning.

use std::ffi::{CStr, CString};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::raw::c_char;
use std::ptr;
use std::sync::{Mutex, MutexGuard};

use super::error::SysError;
use super::ffi;

/// getservbyname and getservbyport return pointers into one static buffer (the protocol calls use
/// their `_r` forms instead): every call to them holds this lock until its answer has been copied out.
static NETDB_STATIC: Mutex<()> = Mutex::new(());

fn netdb_lock() -> MutexGuard<'static, ()> {
    // A panic elsewhere while holding the lock leaves no broken state behind: the data is `()`.
    NETDB_STATIC
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// An owned copy of a `struct servent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServEntry {
    pub name: String,
    pub aliases: Vec<String>,
    pub port: u16,
    pub proto: String,
}

/// An owned copy of a `struct hostent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostEntry {
    pub name: String,
    pub aliases: Vec<String>,
    pub addresses: Vec<std::net::IpAddr>,
    /// h_addrtype: not always the family asked for (an IPv4-mapped address gets an AF_INET
    /// entry from glibc's DNS module), and CPython checks it.
    pub family: libc::c_int,
}

/// An owned copy of a `struct protoent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoEntry {
    pub name: String,
    pub aliases: Vec<String>,
    pub number: i32,
}

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

/// Copy a NUL-terminated C string; bytes that are not UTF-8 are shown replaced, never a panic.
///
/// # Safety
/// `p` must be null or point to a NUL-terminated string that lives for the duration of the call.
unsafe fn owned_string(p: *const c_char) -> String {
    if p.is_null() {
        return String::new();
    }
    // SAFETY: the caller guarantees p points to a NUL-terminated string.
    unsafe { CStr::from_ptr(p) }.to_string_lossy().into_owned()
}

/// Copy a NULL-terminated array of C strings (h_aliases, s_aliases, p_aliases).
///
/// # Safety
/// `list` must be null or a NULL-terminated array of valid C strings.
unsafe fn owned_strings(list: *mut *mut c_char) -> Vec<String> {
    let mut out = Vec::new();
    if list.is_null() {
        return out;
    }
    let mut i = 0;
    loop {
        // SAFETY: the array is NULL-terminated, and we stop at the terminator.
        let item = unsafe { *list.add(i) };
        if item.is_null() {
            return out;
        }
        // SAFETY: each element before the terminator is a valid C string.
        out.push(unsafe { owned_string(item) });
        i += 1;
    }
}

/// # Safety
/// `s` must be null or point to a valid servent that no other thread can overwrite meanwhile.
unsafe fn copy_servent(
    s: *const libc::servent,
    missing: &'static str,
) -> Result<ServEntry, SysError> {
    if s.is_null() {
        return Err(SysError::NotFound(missing));
    }
    // SAFETY: s is non-null and valid for reading, per the caller.
    let s = unsafe { &*s };
    Ok(ServEntry {
        // SAFETY: servent's strings are valid C strings while the lock is held.
        name: unsafe { owned_string(s.s_name) },
        // SAFETY: as above, s_aliases is a NULL-terminated array of C strings.
        aliases: unsafe { owned_strings(s.s_aliases) },
        // s_port holds a 16-bit port in network byte order inside an int.
        port: u16::from_be(s.s_port as u16),
        // SAFETY: as above, s_proto is a valid C string.
        proto: unsafe { owned_string(s.s_proto) },
    })
}

/// getservbyname(3): the services database entry for a name, optionally for one protocol.
pub fn getservbyname(name: &CStr, proto: Option<&CStr>) -> Result<ServEntry, SysError> {
    let _guard = netdb_lock();
    let proto_ptr = proto.map_or(ptr::null(), CStr::as_ptr);
    // SAFETY: both arguments are valid C strings (or NULL for proto, which getservbyname allows);
    // the result points to static storage that the lock keeps stable until copied.
    unsafe {
        let entry = libc::getservbyname(name.as_ptr(), proto_ptr);
        copy_servent(entry, "service/proto not found")
    }
}

/// getservbyport(3): the services database entry for a port, optionally for one protocol.
pub fn getservbyport(port: u16, proto: Option<&CStr>) -> Result<ServEntry, SysError> {
    let _guard = netdb_lock();
    let proto_ptr = proto.map_or(ptr::null(), CStr::as_ptr);
    // SAFETY: proto is a valid C string or NULL; the port is passed in network byte order as
    // the C API requires; the result is copied out while the lock is held.
    unsafe {
        let entry = libc::getservbyport(libc::c_int::from(port.to_be()), proto_ptr);
        copy_servent(entry, "port/proto not found")
    }
}

/// The `_r` calls' buffer: CPython's 16 KiB to start with, doubled on ERANGE up to this cap.
const BUF_START: usize = 16 * 1024;
const BUF_LIMIT: usize = 16 * 1024 * 1024;

/// Run a glibc `_r` call with a scratch buffer, doubling the buffer while the call answers
/// `Err(SysError::Errno(ERANGE))` (an entry with many aliases or addresses does not fit), so
/// every `_r` wrapper shares one growing policy.
fn with_growing_buffer<T>(
    mut call: impl FnMut(&mut [c_char]) -> Result<T, SysError>,
) -> Result<T, SysError> {
    let mut buf: Vec<c_char> = vec![0; BUF_START];
    loop {
        match call(&mut buf) {
            Err(SysError::Errno(libc::ERANGE)) if buf.len() < BUF_LIMIT => {
                let bigger = buf.len() * 2;
                buf.resize(bigger, 0);
            }
            other => return other,
        }
    }
}

/// What a getproto*_r call's return value and result pointer mean.
///
/// # Safety
/// `result` must be null or point to a protoent whose pointers are valid for reading.
unsafe fn protoent_result(
    rc: libc::c_int,
    result: *const libc::protoent,
) -> Result<ProtoEntry, SysError> {
    if rc == libc::ERANGE {
        return Err(SysError::Errno(rc));
    }
    if result.is_null() {
        // glibc says "no such entry" with 0 or ENOENT and a NULL result; Python's text for it.
        return Err(if rc == 0 || rc == libc::ENOENT {
            SysError::NotFound("protocol not found")
        } else {
            SysError::Errno(rc)
        });
    }
    // SAFETY: result is non-null and valid per the caller.
    let p = unsafe { &*result };
    Ok(ProtoEntry {
        // SAFETY: the entry's strings point into the caller's live buffer.
        name: unsafe { owned_string(p.p_name) },
        // SAFETY: p_aliases is a NULL-terminated array pointing into the same live buffer.
        aliases: unsafe { owned_strings(p.p_aliases) },
        number: p.p_proto,
    })
}

/// getprotobyname(3) through getprotobyname_r: the protocols database entry for a name.
pub fn getprotobyname(name: &CStr) -> Result<ProtoEntry, SysError> {
    with_growing_buffer(|buf| {
        // SAFETY: protoent is plain old data; zeroed is a valid (empty) value the call fills in.
        let mut entry: libc::protoent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::protoent = ptr::null_mut();
        // SAFETY: name is a valid C string; every pointer is valid for the call and buf.len() is
        // the buffer's size; the answer is copied out while buf is still alive.
        unsafe {
            let rc = ffi::getprotobyname_r(
                name.as_ptr(),
                &mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
            );
            protoent_result(rc, result)
        }
    })
}

/// getprotobynumber(3) through getprotobynumber_r: the protocols database entry for a number.
pub fn getprotobynumber(number: i32) -> Result<ProtoEntry, SysError> {
    with_growing_buffer(|buf| {
        // SAFETY: protoent is plain old data; zeroed is a valid (empty) value the call fills in.
        let mut entry: libc::protoent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::protoent = ptr::null_mut();
        // SAFETY: every pointer is valid for the call and buf.len() is the buffer's size; the
        // answer is copied out while buf is still alive.
        unsafe {
            let rc = ffi::getprotobynumber_r(
                number,
                &mut entry,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
            );
            protoent_result(rc, result)
        }
    })
}

/// What a gethostby*_r call's return value, h_errno and result pointer mean.
///
/// # Safety
/// `result` must be null or point to a hostent whose pointers are valid for reading.
unsafe fn hostent_result(
    rc: libc::c_int,
    herr: libc::c_int,
    result: *const libc::hostent,
) -> Result<HostEntry, SysError> {
    if rc == libc::ERANGE {
        return Err(SysError::Errno(rc));
    }
    if result.is_null() {
        return Err(if rc != 0 && herr == 0 {
            SysError::Errno(rc)
        } else {
            SysError::Herrno(herr)
        });
    }
    // SAFETY: result is non-null and valid per the caller.
    Ok(unsafe { copy_hostent(&*result) })
}

/// gethostbyname_r(3), starting from CPython's 16 KiB buffer and doubling it on ERANGE.
pub fn gethostbyname_r(name: &CStr) -> Result<HostEntry, SysError> {
    with_growing_buffer(|buf| {
        // SAFETY: hostent is plain old data; zeroed is a valid (empty) value that the call fills in.
        let mut host: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut herr: libc::c_int = 0;
        // SAFETY: every pointer is valid for the duration of the call and buf.len() is its size;
        // on success result points to `host`, whose pointers point into buf, copied out here.
        unsafe {
            let rc = ffi::gethostbyname_r(
                name.as_ptr(),
                &mut host,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
                &mut herr,
            );
            hostent_result(rc, herr, result)
        }
    })
}

/// gethostbyaddr_r(3): the hosts database entry for an address, as CPython's gethostbyaddr asks.
pub fn gethostbyaddr_r(addr: IpAddr) -> Result<HostEntry, SysError> {
    // The address in network byte order, which is how octets() already orders it.
    let (bytes, family): (Vec<u8>, libc::c_int) = match addr {
        IpAddr::V4(v4) => (v4.octets().to_vec(), libc::AF_INET),
        IpAddr::V6(v6) => (v6.octets().to_vec(), libc::AF_INET6),
    };
    let len = bytes.len() as libc::socklen_t;
    with_growing_buffer(|buf| {
        // SAFETY: hostent is plain old data; zeroed is a valid (empty) value that the call fills in.
        let mut host: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut herr: libc::c_int = 0;
        // SAFETY: bytes holds `len` bytes of an address of `family`; every other pointer is valid
        // for the call, buf.len() is its size, and the answer is copied out while buf is alive.
        unsafe {
            let rc = ffi::gethostbyaddr_r(
                bytes.as_ptr().cast(),
                len,
                family,
                &mut host,
                buf.as_mut_ptr(),
                buf.len(),
                &mut result,
                &mut herr,
            );
            hostent_result(rc, herr, result)
        }
    })
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
        let errno = (rc == libc::EAI_SYSTEM)
            .then(|| std::io::Error::last_os_error().raw_os_error())
            .flatten();
        return Err(SysError::Gai { code: rc, errno });
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

/// # Safety
/// All pointers in `h` must be valid for reading.
unsafe fn copy_hostent(h: &libc::hostent) -> HostEntry {
    let mut addresses = Vec::new();
    let len = usize::try_from(h.h_length).unwrap_or(0);
    if !h.h_addr_list.is_null() {
        let mut i = 0;
        loop {
            // SAFETY: h_addr_list is a NULL-terminated array of h_length-byte addresses.
            let item = unsafe { *h.h_addr_list.add(i) };
            if item.is_null() {
                break;
            }
            // SAFETY: each address is h_length bytes long.
            let bytes = unsafe { std::slice::from_raw_parts(item as *const u8, len) };
            if let Ok(v4) = <[u8; 4]>::try_from(bytes) {
                addresses.push(Ipv4Addr::from(v4).into());
            } else if let Ok(v6) = <[u8; 16]>::try_from(bytes) {
                addresses.push(Ipv6Addr::from(v6).into());
            }
            i += 1;
        }
    }
    HostEntry {
        // SAFETY: h_name and h_aliases are valid per the caller.
        name: unsafe { owned_string(h.h_name) },
        // SAFETY: h_aliases is a NULL-terminated array of C strings, valid per the caller.
        aliases: unsafe { owned_strings(h.h_aliases) },
        addresses,
        family: h.h_addrtype,
    }
}

/// Whether glibc's DNS module would send a query for this name at all. nss_dns checks every
/// host name with res_hnok first (printable ASCII; after `\` escapes are decoded, only letters,
/// digits, `-` and `_` in each label; no leading `-`) and answers HOST_NOT_FOUND, unasked, for a
/// name that fails: asking glibc itself keeps sockscope's idea of that rule exact.
pub fn res_hnok(name: &CStr) -> bool {
    // SAFETY: res_hnok only reads the NUL-terminated string it is given.
    unsafe { ffi::res_hnok(name.as_ptr()) != 0 }
}

/// getaddrinfo(3) with the given hints; NULL host or service where `None`.
pub fn getaddrinfo(
    host: Option<&CStr>,
    service: Option<&CStr>,
    hints: Hints,
) -> Result<Vec<AddrInfoEntry>, SysError> {
    // SAFETY: addrinfo is plain old data; all-zero is the documented way to start the hints.
    let mut c_hints: libc::addrinfo = unsafe { std::mem::zeroed() };
    c_hints.ai_family = hints.family;
    c_hints.ai_socktype = hints.socktype;
    c_hints.ai_protocol = hints.protocol;
    c_hints.ai_flags = hints.flags;
    let mut res: *mut libc::addrinfo = ptr::null_mut();
    // SAFETY: host and service are valid C strings or NULL; c_hints is initialised; res receives
    // a list that we free below with freeaddrinfo.
    let rc = unsafe {
        libc::getaddrinfo(
            host.map_or(ptr::null(), CStr::as_ptr),
            service.map_or(ptr::null(), CStr::as_ptr),
            &c_hints,
            &mut res,
        )
    };
    if rc != 0 {
        let errno = (rc == libc::EAI_SYSTEM)
            .then(|| std::io::Error::last_os_error().raw_os_error())
            .flatten();
        return Err(SysError::Gai { code: rc, errno });
    }
    let mut out = Vec::new();
    let mut cur = res;
    while !cur.is_null() {
        // SAFETY: cur is an element of the list getaddrinfo returned, not yet freed.
        let ai = unsafe { &*cur };
        // SAFETY: ai_addr points to ai_addrlen bytes of a sockaddr of family ai_family.
        if let Some(addr) = unsafe { socket_addr(ai.ai_addr, ai.ai_addrlen) } {
            out.push(AddrInfoEntry {
                family: ai.ai_family,
                socktype: ai.ai_socktype,
                protocol: ai.ai_protocol,
                // SAFETY: ai_canonname is NULL or a valid C string.
                canonname: (!ai.ai_canonname.is_null())
                    .then(|| unsafe { owned_string(ai.ai_canonname) }),
                addr,
            });
        }
        cur = ai.ai_next;
    }
    // SAFETY: res came from a successful getaddrinfo and is freed exactly once.
    unsafe { libc::freeaddrinfo(res) };
    Ok(out)
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

/// gethostname(3); a name that is not UTF-8 is refused as EINVAL rather than shown altered.
pub fn gethostname() -> Result<String, SysError> {
    // The kernel's limit is 64 bytes (HOST_NAME_MAX); 256 leaves room and a NUL.
    let mut name: [c_char; 256] = [0; 256];
    // SAFETY: the buffer is valid for its stated length, which gethostname never writes past.
    let rc = unsafe { libc::gethostname(name.as_mut_ptr(), name.len()) };
    if rc != 0 {
        return Err(SysError::Errno(
            std::io::Error::last_os_error()
                .raw_os_error()
                .unwrap_or(libc::EINVAL),
        ));
    }
    // Guarantee the terminator even if the name filled the buffer.
    name[name.len() - 1] = 0;
    // SAFETY: the buffer is NUL-terminated (set just above).
    let text = unsafe { CStr::from_ptr(name.as_ptr()) };
    text.to_str()
        .map(str::to_string)
        .map_err(|_| SysError::Errno(libc::EINVAL))
}

/// A C string for a key that the caller has already checked has no NUL byte.
pub fn c_string(text: &str) -> Result<CString, SysError> {
    CString::new(text).map_err(|_| SysError::Errno(libc::EINVAL))
}
