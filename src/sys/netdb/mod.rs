//! Safe wrappers around the resolver's C calls: each copies its answer out before returning.
//!
//! One file per database or call family; this one holds what they share (C string copying, the
//! `_r` calls' growing buffer, the lock for the calls that answer from static storage) and
//! re-exports every wrapper, so callers name them all as `sys::netdb::X`.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::sync::{Mutex, MutexGuard};

use super::error::SysError;

mod addrinfo;
mod hosts;
mod protocols;
mod services;

pub use addrinfo::{AddrInfoEntry, Hints, getaddrinfo, getnameinfo, ntop, numeric_host};
pub use hosts::{
    HostEntry, clear_h_errno, gethostbyaddr_r, gethostbyname_r, gethostname, h_errno, res_hnok,
};
pub use protocols::{ProtoEntry, getprotobyname, getprotobynumber};
pub use services::{ServEntry, getservbyname, getservbyport};

/// getservbyname and getservbyport return pointers into one static buffer (the protocol calls use
/// their `_r` forms instead): every call to them holds this lock until its answer has been copied out.
static NETDB_STATIC: Mutex<()> = Mutex::new(());

fn netdb_lock() -> MutexGuard<'static, ()> {
    // A panic elsewhere while holding the lock leaves no broken state behind: the data is `()`.
    NETDB_STATIC
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
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

/// A C string for a key that the caller has already checked has no NUL byte.
pub fn c_string(text: &str) -> Result<CString, SysError> {
    CString::new(text).map_err(|_| SysError::Errno(libc::EINVAL))
}
