//! The protocols database: getprotobyname_r, getprotobynumber_r and the whole walk, copied into ProtoEntry values.

use std::ffi::CStr;
use std::os::raw::c_char;
use std::ptr;

use super::{owned_string, owned_strings, walk, walk_ended, with_growing_buffer};
use crate::sys::SysError;
use crate::sys::ffi;

/// An owned copy of a `struct protoent`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProtoEntry {
    pub name: String,
    pub aliases: Vec<String>,
    pub number: i32,
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

/// The scaffolding both getproto*_r calls share: a zeroed protoent and a NULL result pointer
/// for each attempt, the growing buffer, and reading the answer while the buffer is alive.
///
/// `call` receives (result_buf, buf, buflen, result) in glibc's order and returns the call's
/// return value.
///
/// # Safety
/// `call` must be a getproto*_r call given exactly those arguments: on return `*result` is NULL
/// or points to the protoent, whose pointers point into the buffer.
unsafe fn protoent_r(
    mut call: impl FnMut(
        *mut libc::protoent,
        *mut c_char,
        libc::size_t,
        *mut *mut libc::protoent,
    ) -> libc::c_int,
) -> Result<ProtoEntry, SysError> {
    with_growing_buffer(|buf| {
        // SAFETY: protoent is plain old data; zeroed is a valid (empty) value the call fills in.
        let mut entry: libc::protoent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::protoent = ptr::null_mut();
        let rc = call(&mut entry, buf.as_mut_ptr(), buf.len(), &mut result);
        // SAFETY: per this function's contract, result is NULL or points to entry, whose
        // pointers point into buf, and both are still alive while the answer is copied out.
        unsafe { protoent_result(rc, result) }
    })
}

/// getprotobyname(3) through getprotobyname_r: the protocols database entry for a name.
pub fn getprotobyname(name: &CStr) -> Result<ProtoEntry, SysError> {
    // SAFETY: name is a valid C string, and every other argument is passed on as protoent_r
    // requires; protoent_r supplies valid pointers and the buffer's true size.
    unsafe {
        protoent_r(|entry, buf, len, result| {
            ffi::getprotobyname_r(name.as_ptr(), entry, buf, len, result)
        })
    }
}

/// getprotobynumber(3) through getprotobynumber_r: the protocols database entry for a number.
pub fn getprotobynumber(number: i32) -> Result<ProtoEntry, SysError> {
    // SAFETY: every argument is passed on as protoent_r requires; protoent_r supplies valid
    // pointers and the buffer's true size.
    unsafe {
        protoent_r(|entry, buf, len, result| {
            ffi::getprotobynumber_r(number, entry, buf, len, result)
        })
    }
}

/// Every entry of the protocols database in its order, as `getent protocols` lists them:
/// setprotoent(0), getprotoent_r until the end, endprotoent().
pub fn all_protocols() -> Result<Vec<ProtoEntry>, SysError> {
    walk(
        // SAFETY: setprotoent only resets the database cursor, which the walk lock guards.
        || unsafe { ffi::setprotoent(0) },
        next_protocol,
        // SAFETY: endprotoent only closes the database cursor, which the walk lock guards.
        || unsafe { ffi::endprotoent() },
    )
}

/// The next entry of a walk: getprotoent_r with the growing buffer, `None` at the end.
fn next_protocol() -> Result<Option<ProtoEntry>, SysError> {
    with_growing_buffer(|buf| {
        // SAFETY: protoent is plain old data; zeroed is a valid (empty) value the call fills in.
        let mut entry: libc::protoent = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::protoent = ptr::null_mut();
        // SAFETY: every pointer is valid, the length is the buffer's own, and the walk lock
        // keeps other threads off the cursor.
        let rc =
            unsafe { ffi::getprotoent_r(&mut entry, buf.as_mut_ptr(), buf.len(), &mut result) };
        if walk_ended(rc, result.is_null()) {
            return Ok(None);
        }
        // SAFETY: result is NULL or points to entry, whose pointers point into buf; both are
        // alive while the answer is copied out.
        unsafe { protoent_result(rc, result) }.map(Some)
    })
}
