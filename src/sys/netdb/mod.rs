//! Safe wrappers around the resolver's C calls: each copies its answer out before returning.
//!
//! One file per database or call family; this one holds what they share (C string copying, the
//! `_r` calls' growing buffer, the locks for the calls that answer from static storage or walk a
//! database's process-global cursor) and re-exports every wrapper, so callers name them all as `sys::netdb::X`.

use std::ffi::{CStr, CString};
use std::os::raw::c_char;
use std::sync::{Mutex, MutexGuard};

use super::error::SysError;

mod addrinfo;
mod hosts;
mod protocols;
mod services;

pub use addrinfo::{
    AddrInfoEntry, AddrInfoList, Hints, getaddrinfo, getaddrinfo_list, getnameinfo, ntop,
    numeric_host, push_ntop,
};
pub use hosts::{
    HostEntry, all_hosts, clear_h_errno, gethostbyaddr_r, gethostbyname_r, gethostname, h_errno,
    res_hnok,
};
pub use protocols::{ProtoEntry, all_protocols, getprotobyname, getprotobynumber};
pub use services::{ServEntry, all_services, getservbyname, getservbyport};

/// getservbyname and getservbyport return pointers into one static buffer (the protocol calls use
/// their `_r` forms instead): every call to them holds this lock until its answer has been copied out.
static NETDB_STATIC: Mutex<()> = Mutex::new(());

fn netdb_lock() -> MutexGuard<'static, ()> {
    lock(&NETDB_STATIC)
}

/// set*ent, get*ent_r and end*ent move one cursor per database that the whole process shares:
/// two walks at once would each see part of the database. Every walk holds this lock from its
/// set*ent to its end*ent.
static NETDB_WALK: Mutex<()> = Mutex::new(());

fn lock(mutex: &'static Mutex<()>) -> MutexGuard<'static, ()> {
    // A panic elsewhere while holding the lock leaves no broken state behind: the data is `()`.
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Walk a whole database as getent does: `open` (set*ent), `next` (get*ent_r) until it answers
/// `Ok(None)` at the end, then `close` (end*ent) whatever happened, all under the walk lock.
fn walk<T>(
    open: impl FnOnce(),
    mut next: impl FnMut() -> Result<Option<T>, SysError>,
    close: impl FnOnce(),
) -> Result<Vec<T>, SysError> {
    let _guard = lock(&NETDB_WALK);
    open();
    let mut entries = Vec::new();
    let result = loop {
        match next() {
            Ok(Some(entry)) => entries.push(entry),
            Ok(None) => break Ok(entries),
            Err(err) => break Err(err),
        }
    };
    close();
    result
}

/// Whether a get*ent_r call's return value and NULL result mean "no more entries": glibc says
/// ENOENT (and some modules 0) there, and keeps other codes for real failures.
fn walk_ended(rc: libc::c_int, result_is_null: bool) -> bool {
    result_is_null && (rc == 0 || rc == libc::ENOENT)
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

/// `c_string` without an allocation for a key that fits on the stack (most names do): a batch
/// makes one per lookup.
pub fn c_key(text: &str) -> Result<CKey, SysError> {
    let bytes = text.as_bytes();
    if bytes.len() >= SHORT_KEY || bytes.contains(&0) {
        return c_string(text).map(CKey::Long);
    }
    let mut short = [0; SHORT_KEY];
    short[..bytes.len()].copy_from_slice(bytes);
    Ok(CKey::Short(short, bytes.len()))
}

/// The room for a key and its NUL on the stack: small enough that moving a key costs a few
/// instructions.
const SHORT_KEY: usize = 64;

/// A key as a C string: on the stack (its bytes, then NULs), or on the heap.
// The short form is large on purpose: it is what spares the allocation.
#[allow(clippy::large_enum_variant)]
pub enum CKey {
    Short([u8; SHORT_KEY], usize),
    Long(CString),
}

impl std::ops::Deref for CKey {
    type Target = CStr;

    fn deref(&self) -> &CStr {
        match self {
            // SAFETY: `c_key` copied `len` bytes without a NUL (len < SHORT_KEY) into zeroed
            // storage, so the bytes up to and including index `len` are one C string.
            CKey::Short(bytes, len) => unsafe {
                CStr::from_bytes_with_nul_unchecked(&bytes[..=*len])
            },
            CKey::Long(text) => text,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_the_c_strings_of_their_text_on_the_stack_or_not() {
        for text in [
            "",
            "localhost",
            &"a".repeat(SHORT_KEY - 1),
            &"b".repeat(SHORT_KEY),
        ] {
            let key = c_key(text).expect("no NUL");
            assert_eq!(&*key, c_string(text).expect("no NUL").as_c_str());
            assert_eq!(matches!(key, CKey::Short(..)), text.len() < SHORT_KEY);
        }
        assert!(c_key("a\0b").is_err());
    }

    /// Walks in several threads at once each see the whole database, in order: the walk lock
    /// keeps them from sharing (and resetting) the one cursor.
    #[test]
    fn concurrent_walks_each_see_the_whole_database() {
        let alone = all_services().expect("the services database lists");
        assert!(alone.len() > 10, "{} entries", alone.len());
        let walks: Vec<_> = (0..4)
            .map(|_| std::thread::spawn(|| (0..5).map(|_| all_services()).collect::<Vec<_>>()))
            .collect();
        for walk in walks {
            for listed in walk.join().expect("a walk finishes") {
                assert_eq!(listed.as_ref(), Ok(&alone));
            }
        }
        let protocols = all_protocols().expect("the protocols database lists");
        assert!(protocols.iter().any(|p| p.name == "tcp" && p.number == 6));
    }
}
