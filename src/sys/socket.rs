//! Safe wrappers around the socket calls std does not expose: socket(2) with any triple, getsockopt(2), listen(2) and poll(2).

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

use super::error::SysError;

/// The errno of the call that just failed, read before anything else can overwrite it.
fn last_errno() -> SysError {
    SysError::Errno(
        io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
    )
}

/// socket(2) with exactly the triple given; the descriptor is closed when the result is dropped.
///
/// SOCK_CLOEXEC is added, as CPython does, so a descriptor never leaks into a child process.
pub fn socket(family: i32, socktype: i32, proto: i32) -> Result<OwnedFd, SysError> {
    // SAFETY: socket(2) takes plain integers and touches no memory of ours.
    let fd = unsafe { libc::socket(family, socktype | libc::SOCK_CLOEXEC, proto) };
    if fd < 0 {
        return Err(last_errno());
    }
    // SAFETY: fd was just returned by socket(2), is open, and nothing else owns it.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

/// getsockopt(2) for an option whose value is a C int (most of SOL_SOCKET, IPPROTO_TCP, IPPROTO_IPV6).
pub fn getsockopt_int(fd: BorrowedFd<'_>, level: i32, name: i32) -> Result<i32, SysError> {
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: value and len are valid for writing, and len holds the size of value, so the
    // kernel writes at most that many bytes.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            level,
            name,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if rc < 0 {
        return Err(last_errno());
    }
    Ok(value)
}

/// SO_LINGER's `struct linger`: (l_onoff, l_linger seconds).
pub fn getsockopt_linger(fd: BorrowedFd<'_>) -> Result<(i32, i32), SysError> {
    let mut value = libc::linger {
        l_onoff: 0,
        l_linger: 0,
    };
    let mut len = std::mem::size_of::<libc::linger>() as libc::socklen_t;
    // SAFETY: value is a valid struct linger for writing and len is its size.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&mut value as *mut libc::linger).cast(),
            &mut len,
        )
    };
    if rc < 0 {
        return Err(last_errno());
    }
    Ok((value.l_onoff, value.l_linger))
}

/// SO_RCVTIMEO / SO_SNDTIMEO as a duration (zero means "block forever").
pub fn getsockopt_timeout(fd: BorrowedFd<'_>, name: i32) -> Result<Duration, SysError> {
    let mut value = libc::timeval {
        tv_sec: 0,
        tv_usec: 0,
    };
    let mut len = std::mem::size_of::<libc::timeval>() as libc::socklen_t;
    // SAFETY: value is a valid struct timeval for writing and len is its size.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            name,
            (&mut value as *mut libc::timeval).cast(),
            &mut len,
        )
    };
    if rc < 0 {
        return Err(last_errno());
    }
    let secs = u64::try_from(value.tv_sec).unwrap_or(0);
    let micros = u32::try_from(value.tv_usec).unwrap_or(0);
    Ok(Duration::from_secs(secs) + Duration::from_micros(u64::from(micros)))
}

/// listen(2) again on a socket std already made listen: Linux then takes the new backlog, so a
/// burst of clients waits in the kernel's queue instead of having its SYNs dropped.
pub fn listen(fd: BorrowedFd<'_>, backlog: i32) -> Result<(), SysError> {
    // SAFETY: listen(2) takes a descriptor we borrow (so it is open) and an integer.
    let rc = unsafe { libc::listen(fd.as_raw_fd(), backlog) };
    if rc < 0 {
        return Err(last_errno());
    }
    Ok(())
}

/// poll(2) for readability (a pending connection on a listener) for at most `timeout`.
/// Returns false on timeout or when a signal interrupted the wait, so the caller can look at
/// its stop flag and call again.
pub fn wait_readable(fd: BorrowedFd<'_>, timeout: Duration) -> Result<bool, SysError> {
    let mut pfd = libc::pollfd {
        fd: fd.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let millis = libc::c_int::try_from(timeout.as_millis()).unwrap_or(libc::c_int::MAX);
    // SAFETY: pfd is one valid pollfd and we pass a count of 1.
    let rc = unsafe { libc::poll(&mut pfd, 1, millis) };
    if rc < 0 {
        let err = last_errno();
        return match err {
            SysError::Errno(libc::EINTR) => Ok(false),
            other => Err(other),
        };
    }
    Ok(rc > 0)
}

#[cfg(test)]
mod tests {
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn socket_reads_back_its_triple() {
        let fd = socket(libc::AF_INET, libc::SOCK_DGRAM, 0).expect("a UDP socket");
        let fd = fd.as_fd();
        assert_eq!(
            getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_DOMAIN),
            Ok(libc::AF_INET)
        );
        assert_eq!(
            getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_TYPE),
            Ok(libc::SOCK_DGRAM)
        );
        assert_eq!(
            getsockopt_int(fd, libc::SOL_SOCKET, libc::SO_PROTOCOL),
            Ok(libc::IPPROTO_UDP)
        );
        assert_eq!(getsockopt_linger(fd), Ok((0, 0)));
        assert_eq!(
            getsockopt_timeout(fd, libc::SO_RCVTIMEO),
            Ok(Duration::ZERO)
        );
    }

    #[test]
    fn unsupported_triples_name_their_errno() {
        let err = socket(libc::AF_INET6, libc::SOCK_STREAM, libc::IPPROTO_UDP).unwrap_err();
        assert_eq!(err.code(), "EPROTONOSUPPORT");
    }
}
