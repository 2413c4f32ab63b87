//! A socket made only to be looked at: what the kernel says its family, type and protocol are.

use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::error::SysError;

/// What `getsockopt` reports for a socket: SO_DOMAIN, SO_TYPE and SO_PROTOCOL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SocketInfo {
    pub family: i32,
    pub socktype: i32,
    pub protocol: i32,
}

fn last_errno() -> SysError {
    SysError::Errno(
        std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
    )
}

/// One int-valued SOL_SOCKET option.
fn int_option(fd: &OwnedFd, option: libc::c_int) -> Result<i32, SysError> {
    let mut value: libc::c_int = 0;
    let mut len = std::mem::size_of::<libc::c_int>() as libc::socklen_t;
    // SAFETY: fd is an open socket; value and len are valid for writing and len is value's size.
    let rc = unsafe {
        libc::getsockopt(
            fd.as_raw_fd(),
            libc::SOL_SOCKET,
            option,
            (&mut value as *mut libc::c_int).cast(),
            &mut len,
        )
    };
    if rc == 0 {
        Ok(value)
    } else {
        Err(last_errno())
    }
}

/// socket(family, socktype, protocol), then what the kernel made of it; the socket is closed
/// again before returning.
pub fn socket_info(family: i32, socktype: i32, protocol: i32) -> Result<SocketInfo, SysError> {
    // SAFETY: socket takes plain ints and returns a new descriptor or -1.
    let raw = unsafe { libc::socket(family, socktype | libc::SOCK_CLOEXEC, protocol) };
    if raw < 0 {
        return Err(last_errno());
    }
    // SAFETY: raw is a descriptor we just opened and own; OwnedFd closes it on drop.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    Ok(SocketInfo {
        family: int_option(&fd, libc::SO_DOMAIN)?,
        socktype: int_option(&fd, libc::SO_TYPE)?,
        protocol: int_option(&fd, libc::SO_PROTOCOL)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_default_socket_is_tcp_over_ipv4() {
        let info = socket_info(libc::AF_INET, libc::SOCK_STREAM, 0).unwrap();
        assert_eq!(
            info,
            SocketInfo {
                family: libc::AF_INET,
                socktype: libc::SOCK_STREAM,
                protocol: libc::IPPROTO_TCP,
            }
        );
    }
}
