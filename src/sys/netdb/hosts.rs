//! The hosts database (gethostbyname_r, gethostbyaddr_r, res_hnok) and this machine's name.

use std::ffi::CStr;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::raw::c_char;
use std::ptr;

use super::{owned_string, owned_strings, with_growing_buffer};
use crate::sys::SysError;
use crate::sys::ffi;

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

/// The scaffolding both gethostby*_r calls share: a zeroed hostent, a NULL result pointer and a
/// cleared h_errno for each attempt, the growing buffer, and reading the answer while the buffer
/// is alive.
///
/// `call` receives (ret, buf, buflen, result, h_errnop) in glibc's order and returns the call's
/// return value.
///
/// # Safety
/// `call` must be a gethostby*_r call given exactly those arguments: on return `*result` is NULL
/// or points to the hostent, whose pointers point into the buffer.
unsafe fn hostent_r(
    mut call: impl FnMut(
        *mut libc::hostent,
        *mut c_char,
        libc::size_t,
        *mut *mut libc::hostent,
        *mut libc::c_int,
    ) -> libc::c_int,
) -> Result<HostEntry, SysError> {
    with_growing_buffer(|buf| {
        // SAFETY: hostent is plain old data; zeroed is a valid (empty) value that the call fills in.
        let mut host: libc::hostent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::hostent = ptr::null_mut();
        let mut herr: libc::c_int = 0;
        let rc = call(
            &mut host,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
            &mut herr,
        );
        // SAFETY: per this function's contract, result is NULL or points to `host`, whose
        // pointers point into buf, and both are still alive while the answer is copied out.
        unsafe { hostent_result(rc, herr, result) }
    })
}

/// gethostbyname_r(3), starting from CPython's 16 KiB buffer and doubling it on ERANGE.
pub fn gethostbyname_r(name: &CStr) -> Result<HostEntry, SysError> {
    // SAFETY: name is a valid C string, and every other argument is passed on as hostent_r
    // requires; hostent_r supplies valid pointers and the buffer's true size.
    unsafe {
        hostent_r(|host, buf, buflen, result, herr| {
            ffi::gethostbyname_r(name.as_ptr(), host, buf, buflen, result, herr)
        })
    }
}

/// gethostbyaddr_r(3): the hosts database entry for an address, as CPython's gethostbyaddr asks.
pub fn gethostbyaddr_r(addr: IpAddr) -> Result<HostEntry, SysError> {
    // The address in network byte order, which is how octets() already orders it.
    let (bytes, family): (Vec<u8>, libc::c_int) = match addr {
        IpAddr::V4(v4) => (v4.octets().to_vec(), libc::AF_INET),
        IpAddr::V6(v6) => (v6.octets().to_vec(), libc::AF_INET6),
    };
    let len = bytes.len() as libc::socklen_t;
    // SAFETY: bytes holds `len` bytes of an address of `family`, and every other argument is
    // passed on as hostent_r requires; hostent_r supplies valid pointers and the buffer's true size.
    unsafe {
        hostent_r(|host, buf, buflen, result, herr| {
            ffi::gethostbyaddr_r(
                bytes.as_ptr().cast(),
                len,
                family,
                host,
                buf,
                buflen,
                result,
                herr,
            )
        })
    }
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

/// The calling thread's global h_errno. CPython reads it, not the `h_errnop` argument, after a
/// failed gethostby*_r call, and glibc does not always copy one into the other (a name
/// nss_dns refuses leaves it as it was).
pub fn h_errno() -> libc::c_int {
    // SAFETY: __h_errno_location returns a valid pointer to this thread's h_errno.
    unsafe { *ffi::__h_errno_location() }
}

/// Set the calling thread's global h_errno to 0, as in a Python process that has made no
/// lookup yet.
pub fn clear_h_errno() {
    // SAFETY: __h_errno_location returns a valid, writable pointer to this thread's h_errno.
    unsafe { *ffi::__h_errno_location() = 0 };
}
