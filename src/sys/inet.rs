//! inet_aton, inet_pton, inet_ntoa and inet_ntop: text and packed addresses, as glibc converts them.

use std::ffi::{CStr, CString};

/// glibc's inet_aton: the four bytes in network order, or None where it returns 0. It takes
/// the old forms too (`127.1`, `0x7f.1`, `2130706433`) and stops at the first white space.
pub fn aton(text: &CStr) -> Option<[u8; 4]> {
    let mut addr = libc::in_addr { s_addr: 0 };
    // SAFETY: text is NUL-terminated and addr is a valid in_addr for inet_aton to fill.
    let ok = unsafe { inet_aton(text.as_ptr(), &mut addr) };
    (ok != 0).then(|| addr.s_addr.to_ne_bytes())
}

/// glibc's inet_pton for AF_INET or AF_INET6: the packed bytes, or None where it returns 0
/// (or -1 for a family it does not know).
pub fn pton(family: i32, text: &CStr) -> Option<Vec<u8>> {
    let mut buf = [0_u8; 16];
    // SAFETY: text is NUL-terminated and buf has room for an in6_addr, the larger of the two.
    let ok = unsafe { inet_pton(family, text.as_ptr(), buf.as_mut_ptr().cast()) };
    let len = if family == libc::AF_INET6 { 16 } else { 4 };
    (ok == 1).then(|| buf[..len].to_vec())
}

/// glibc's inet_ntoa of four bytes in network order.
pub fn ntoa(packed: [u8; 4]) -> String {
    let addr = libc::in_addr {
        s_addr: u32::from_ne_bytes(packed),
    };
    // SAFETY: inet_ntoa returns a pointer to a NUL-terminated string in a thread-local buffer,
    // copied out before anything else can use that buffer on this thread.
    let text = unsafe { CStr::from_ptr(inet_ntoa(addr)) };
    text.to_string_lossy().into_owned()
}

/// glibc's inet_ntop for AF_INET (4 bytes) or AF_INET6 (16 bytes); None where it fails.
pub fn ntop(family: i32, packed: &[u8]) -> Option<String> {
    let wanted = if family == libc::AF_INET6 { 16 } else { 4 };
    if packed.len() != wanted {
        return None;
    }
    let mut buf = [0 as libc::c_char; 64];
    // SAFETY: packed holds the in_addr or in6_addr bytes the family needs (checked above),
    // and buf is writable for the length passed.
    let out = unsafe {
        inet_ntop(
            family,
            packed.as_ptr().cast(),
            buf.as_mut_ptr(),
            buf.len() as libc::socklen_t,
        )
    };
    if out.is_null() {
        return None;
    }
    // SAFETY: on success inet_ntop wrote a NUL-terminated string into buf.
    let text = unsafe { CStr::from_ptr(buf.as_ptr()) };
    Some(text.to_string_lossy().into_owned())
}

/// A key as a C string; None where it holds a NUL byte.
pub fn c_text(text: &str) -> Option<CString> {
    CString::new(text).ok()
}

unsafe extern "C" {
    // The libc crate declares none of these on Linux.
    fn inet_aton(cp: *const libc::c_char, inp: *mut libc::in_addr) -> libc::c_int;
    fn inet_ntoa(inp: libc::in_addr) -> *mut libc::c_char;
    fn inet_pton(af: libc::c_int, src: *const libc::c_char, dst: *mut libc::c_void) -> libc::c_int;
    fn inet_ntop(
        af: libc::c_int,
        src: *const libc::c_void,
        dst: *mut libc::c_char,
        size: libc::socklen_t,
    ) -> *const libc::c_char;
}
