//! The services database: getservbyname and getservbyport, copied into a ServEntry.

use std::ffi::CStr;
use std::ptr;

use super::{netdb_lock, owned_string, owned_strings};
use crate::sys::SysError;

/// An owned copy of a `struct servent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServEntry {
    pub name: String,
    pub aliases: Vec<String>,
    pub port: u16,
    pub proto: String,
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
