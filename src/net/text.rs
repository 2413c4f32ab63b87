//! Small conversions the socket subcommands share: escapes in typed text, sizes, durations, errno names of I/O errors.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use crate::model::Failure;
use crate::sys::SysError;

/// The errno behind an I/O error. std reports its own connect timeout and a read that hit
/// SO_RCVTIMEO without naming ETIMEDOUT, so those are named here.
pub fn errno_of(err: &io::Error) -> i32 {
    match err.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => libc::ETIMEDOUT,
        _ => err.raw_os_error().unwrap_or(libc::EIO),
    }
}

/// An I/O error as the errno it stands for, so decisions can match on the errno itself.
pub fn sys_error_of(err: &io::Error) -> SysError {
    SysError::Errno(errno_of(err))
}

/// An I/O error as sockscope reports failures: errno name, strerror text, documented exit code.
/// A timeout is exit 3 (retrying may help); every other errno is exit 4.
pub fn failure_of(err: &io::Error) -> Failure {
    Failure::from(sys_error_of(err))
}

/// An address as a person types it: `127.0.0.1:80`, `[::1]:80`.
pub fn show_addr(addr: &SocketAddr) -> String {
    addr.to_string()
}

/// Milliseconds with microsecond precision, for the `*_ms` fields.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timeouts_are_temporary_and_named() {
        let err = io::Error::new(io::ErrorKind::TimedOut, "connection timed out");
        let failure = failure_of(&err);
        assert_eq!(failure.code(), "ETIMEDOUT");
        assert_eq!(failure.outcome(), crate::model::Outcome::Temporary);
        let refused = failure_of(&io::Error::from_raw_os_error(libc::ECONNREFUSED));
        assert_eq!(refused.code(), "ECONNREFUSED");
        assert_eq!(refused.outcome(), crate::model::Outcome::System);
    }
}
