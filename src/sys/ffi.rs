//! The few glibc declarations the libc crate lacks, in one place.

use libc::{c_char, c_int, hostent, protoent, size_t};

// h_errno values from glibc's <netdb.h>.
pub const HOST_NOT_FOUND: c_int = 1;
pub const TRY_AGAIN: c_int = 2;
pub const NO_RECOVERY: c_int = 3;
pub const NO_DATA: c_int = 4;

/// Socket constants the libc crate lacks, valued from this platform's C headers by build.rs.
pub mod headers {
    include!(concat!(env!("OUT_DIR"), "/header_constants.rs"));
}

/// glibc's EAI_ADDRFAMILY (a GNU extension): the host has no address in the requested family.
// The headers' value is a small negative number, so it fits a C int.
pub const EAI_ADDRFAMILY: c_int = headers::EAI_ADDRFAMILY as c_int;

/// glibc's EAI_IDN_ENCODE (a GNU extension): under AI_IDN, the host name could not be encoded
/// as IDNA from the locale's character set.
// A small negative number too.
pub const EAI_IDN_ENCODE: c_int = headers::EAI_IDN_ENCODE as c_int;

/// glibc's AI_IDN (a GNU extension): getaddrinfo re-encodes a non-ASCII host name as IDNA
/// (`xn--...`) before any name service sees it.
// A single flag bit, so it fits a C int.
pub const AI_IDN: c_int = headers::AI_IDN as c_int;

/// glibc's AI_CANONIDN (a GNU extension): with AI_CANONNAME, the canonical name is decoded from
/// IDNA back into the locale's character set.
// A single flag bit too.
pub const AI_CANONIDN: c_int = headers::AI_CANONIDN as c_int;

unsafe extern "C" {
    /// glibc's host-name check, exported from libc since 2.34: the very function its DNS module
    /// (nss_dns) applies to a name before sending any query. 1 for a name it would ask about.
    pub fn res_hnok(dn: *const c_char) -> c_int;
}

unsafe extern "C" {
    /// glibc's reentrant gethostbyname; ERANGE in the return value means "give me a bigger buffer".
    pub fn gethostbyname_r(
        name: *const c_char,
        ret: *mut hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut hostent,
        h_errnop: *mut c_int,
    ) -> c_int;
}

unsafe extern "C" {
    /// glibc's reentrant gethostbyaddr: `addr` is `len` bytes of an in_addr or in6_addr of `family`.
    pub fn gethostbyaddr_r(
        addr: *const libc::c_void,
        len: libc::socklen_t,
        family: c_int,
        ret: *mut hostent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut hostent,
        h_errnop: *mut c_int,
    ) -> c_int;

    /// glibc's reentrant getprotobyname; ERANGE in the return value means "give me a bigger buffer".
    pub fn getprotobyname_r(
        name: *const c_char,
        result_buf: *mut protoent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut protoent,
    ) -> c_int;

    /// glibc's reentrant getprotobynumber, with the same buffer convention.
    pub fn getprotobynumber_r(
        proto: c_int,
        result_buf: *mut protoent,
        buf: *mut c_char,
        buflen: size_t,
        result: *mut *mut protoent,
    ) -> c_int;
}

unsafe extern "C" {
    /// inet_ntop(3): an in_addr or in6_addr of `af` as text in `dst`; NULL on failure.
    pub fn inet_ntop(
        af: c_int,
        src: *const libc::c_void,
        dst: *mut c_char,
        size: libc::socklen_t,
    ) -> *const c_char;
}

unsafe extern "C" {
    /// glibc's per-thread `h_errno`: what CPython reads after a failed gethostby*_r call.
    pub fn __h_errno_location() -> *mut c_int;
}
