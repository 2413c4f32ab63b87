//! The system's stub resolver (res_ninit, res_nquery) and NSS's per-database override: the calls `why` replays.

use std::ffi::CStr;
use std::os::raw::{c_char, c_int, c_uchar};
use std::time::{Duration, Instant};

use super::error::SysError;

/// Room for glibc's `struct __res_state` (568 bytes on x86_64 and aarch64), with margin: the
/// libc crate does not describe it, and res_ninit only ever writes inside its real size.
#[repr(C, align(16))]
struct ResState([u8; 2048]);

unsafe extern "C" {
    /// `res_ninit` is a macro for this name in glibc's <resolv.h>.
    fn __res_ninit(statp: *mut ResState) -> c_int;
    fn __res_nclose(statp: *mut ResState);
    fn res_nquery(
        statp: *mut ResState,
        dname: *const c_char,
        class: c_int,
        rtype: c_int,
        answer: *mut c_uchar,
        anslen: c_int,
    ) -> c_int;
    fn __h_errno_location() -> *mut c_int;
    /// What `getent -s` uses: replace one database's nsswitch line for this process.
    fn __nss_configure_lookup(dbname: *const c_char, service_line: *const c_char) -> c_int;
}

/// The largest reply res_nquery may write: the 64 KiB a DNS message over TCP can hold.
const ANSWER_SIZE: usize = 65536;

/// What one res_nquery call left behind.
#[derive(Debug, Clone)]
pub struct Reply {
    /// The reply as the server sent it, when one arrived (res_nquery returns -1 for NXDOMAIN,
    /// SERVFAIL and empty answers but leaves the reply in the buffer; the length is then
    /// unknown and the buffer's zeroed tail follows the message).
    pub message: Option<Vec<u8>>,
    /// h_errno after the call (0 when it succeeded).
    pub herrno: i32,
    /// errno after a failed call: ETIMEDOUT when no server answered, ECONNREFUSED when none
    /// listened.
    pub errno: i32,
    pub elapsed: Duration,
}

/// One resolver context, initialised from /etc/resolv.conf, RES_OPTIONS and LOCALDOMAIN as
/// glibc's own lookups initialise theirs.
pub struct Resolver {
    state: Box<ResState>,
}

impl Resolver {
    pub fn new() -> Result<Resolver, SysError> {
        let mut state = Box::new(ResState([0; 2048]));
        // SAFETY: state is zeroed, writable and larger than struct __res_state.
        if unsafe { __res_ninit(&mut *state) } != 0 {
            return Err(SysError::Errno(last_errno()));
        }
        Ok(Resolver { state })
    }

    /// res_nquery(name, C_IN, rtype): one question, sent the way the configuration says
    /// (servers in order, `attempts` tries of `timeout` seconds, EDNS0 if asked).
    pub fn query(&mut self, name: &CStr, rtype: u16) -> Reply {
        let mut answer = vec![0u8; ANSWER_SIZE];
        let started = Instant::now();
        // SAFETY: h_errno's location is this thread's; it is reset so a stale value is not read.
        unsafe { *__h_errno_location() = 0 };
        // SAFETY: the state was initialised by res_ninit; name is a C string; answer is
        // writable for ANSWER_SIZE bytes, the length passed.
        let len = unsafe {
            res_nquery(
                &mut *self.state,
                name.as_ptr(),
                1, // ns_c_in
                c_int::from(rtype),
                answer.as_mut_ptr(),
                ANSWER_SIZE as c_int,
            )
        };
        let errno = last_errno();
        let elapsed = started.elapsed();
        // SAFETY: as above; read right after the call, on the same thread.
        let herrno = unsafe { *__h_errno_location() };
        let message = if len > 0 {
            answer.truncate(len as usize);
            Some(answer)
        } else {
            // The QR bit of the header says a reply was written.
            (answer[2] & 0x80 != 0).then_some(answer)
        };
        Reply {
            message,
            herrno,
            errno: if len > 0 { 0 } else { errno },
            elapsed,
        }
    }
}

impl Drop for Resolver {
    fn drop(&mut self) {
        // SAFETY: the state was initialised by res_ninit and is closed once.
        unsafe { __res_nclose(&mut *self.state) };
    }
}

/// Make NSS use `line` (an nsswitch.conf service list such as `files`) for database `db` in
/// this process from now on, as `getent -s` does.
pub fn configure_lookup(db: &CStr, line: &CStr) -> Result<(), SysError> {
    // SAFETY: both are valid C strings; glibc copies what it needs from them.
    match unsafe { __nss_configure_lookup(db.as_ptr(), line.as_ptr()) } {
        0 => Ok(()),
        _ => Err(SysError::Errno(libc::EINVAL)),
    }
}

fn last_errno() -> i32 {
    std::io::Error::last_os_error()
        .raw_os_error()
        .unwrap_or(libc::EIO)
}
