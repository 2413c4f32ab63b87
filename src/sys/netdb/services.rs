//! The services database: getservbyname, getservbyport and the whole walk, copied into ServEntry values.

use std::ffi::CStr;
use std::ptr;

use super::{netdb_lock, owned_string, owned_strings, walk, walk_ended, with_growing_buffer};
use crate::sys::SysError;
use crate::sys::ffi;

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

/// Every entry of the services database in its order, as `getent services` lists them:
/// setservent(0), getservent_r until the end, endservent().
pub fn all_services() -> Result<Vec<ServEntry>, SysError> {
    walk(
        // SAFETY: setservent only resets the database cursor, which the walk lock guards.
        || unsafe { libc::setservent(0) },
        next_service,
        // SAFETY: endservent only closes the database cursor, which the walk lock guards.
        || unsafe { libc::endservent() },
    )
}

/// The next entry of a walk: getservent_r with the growing buffer (on ERANGE glibc keeps the
/// cursor on the same entry, so the retry gets it whole), `None` at the end.
fn next_service() -> Result<Option<ServEntry>, SysError> {
    with_growing_buffer(|buf| {
        // SAFETY: servent is plain old data; zeroed is a valid (empty) value the call fills in.
        let mut entry: libc::servent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::servent = ptr::null_mut();
        // SAFETY: every pointer is valid, the length is the buffer's own, and the walk lock
        // keeps other threads off the cursor.
        let rc = unsafe { ffi::getservent_r(&mut entry, buf.as_mut_ptr(), buf.len(), &mut result) };
        if walk_ended(rc, result.is_null()) {
            return Ok(None);
        }
        if result.is_null() {
            return Err(SysError::Errno(rc));
        }
        // SAFETY: result points to entry, whose strings point into buf; both live until the
        // copy is made, and no other thread writes them.
        unsafe { copy_servent(result, "service not found") }.map(Some)
    })
}
