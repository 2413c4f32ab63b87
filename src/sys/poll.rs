//! poll(2) on several descriptors at once, and getsockname(2) as an owned address, for the socket subcommands.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::Duration;

use super::error::SysError;

fn last_errno() -> SysError {
    SysError::Errno(
        io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
    )
}

/// What to wait for on one descriptor.
#[derive(Debug, Clone, Copy)]
pub struct Want<'fd> {
    pub fd: BorrowedFd<'fd>,
    pub read: bool,
    pub write: bool,
}

/// What poll(2) said of one descriptor. `closed` is POLLHUP or POLLERR: a read or write then
/// returns at once (end of file, or the pending error), so the caller acts as if ready.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Ready {
    pub readable: bool,
    pub writable: bool,
    pub closed: bool,
}

/// poll(2) on every descriptor in `wants` for at most `timeout`; one `Ready` per want, in order.
/// A signal ends the wait early with nothing ready, so the caller can look at its stop flag.
pub fn poll(wants: &[Want<'_>], timeout: Duration) -> Result<Vec<Ready>, SysError> {
    let mut fds: Vec<libc::pollfd> = wants
        .iter()
        .map(|w| libc::pollfd {
            fd: w.fd.as_raw_fd(),
            events: (if w.read { libc::POLLIN } else { 0 })
                | (if w.write { libc::POLLOUT } else { 0 }),
            revents: 0,
        })
        .collect();
    // Rounded up, so a wait of 0.4 ms is not a busy loop of zero-millisecond polls.
    let millis = timeout.as_micros().div_ceil(1000);
    let millis = libc::c_int::try_from(millis).unwrap_or(libc::c_int::MAX);
    let count = libc::nfds_t::try_from(fds.len()).unwrap_or(libc::nfds_t::MAX);
    // SAFETY: fds is a live Vec of `count` pollfd structs that the kernel may write revents of;
    // every descriptor in it is borrowed by `wants`, so it stays open during the call.
    let rc = unsafe { libc::poll(fds.as_mut_ptr(), count, millis) };
    if rc < 0 {
        return match last_errno() {
            SysError::Errno(libc::EINTR) => Ok(vec![Ready::default(); wants.len()]),
            other => Err(other),
        };
    }
    Ok(fds
        .iter()
        .map(|p| Ready {
            readable: p.revents & libc::POLLIN != 0,
            writable: p.revents & libc::POLLOUT != 0,
            closed: p.revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0,
        })
        .collect())
}

/// A socket's local address as getsockname(2) gives it, for the families Python spells out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocalName {
    Inet(Ipv4Addr, u16),
    /// Address, port, flowinfo, scope id: Python's 4-tuple.
    Inet6(Ipv6Addr, u16, u32, u32),
    /// The path's bytes; empty for an unbound socket, a leading NUL for the abstract namespace.
    Unix(Vec<u8>),
    /// A family whose address sockscope does not decode.
    Other(i32),
}

/// getsockname(2) on a socket.
pub fn getsockname(fd: BorrowedFd<'_>) -> Result<LocalName, SysError> {
    // SAFETY: sockaddr_storage is plain old data for which all zero bytes are a valid value.
    let mut storage: libc::sockaddr_storage = unsafe { std::mem::zeroed() };
    let mut len = std::mem::size_of::<libc::sockaddr_storage>() as libc::socklen_t;
    // SAFETY: storage and len are valid for writing and len holds storage's size, so the kernel
    // writes at most that many bytes.
    let rc = unsafe {
        libc::getsockname(
            fd.as_raw_fd(),
            (&raw mut storage).cast::<libc::sockaddr>(),
            &mut len,
        )
    };
    if rc < 0 {
        return Err(last_errno());
    }
    let len = usize::try_from(len).unwrap_or(0);
    let family = i32::from(storage.ss_family);
    Ok(match family {
        libc::AF_INET if len >= std::mem::size_of::<libc::sockaddr_in>() => {
            // SAFETY: the kernel wrote a sockaddr_in (family AF_INET, length checked), and
            // sockaddr_storage is aligned for every sockaddr type.
            let sin = unsafe { &*(&raw const storage).cast::<libc::sockaddr_in>() };
            LocalName::Inet(
                Ipv4Addr::from(u32::from_be(sin.sin_addr.s_addr)),
                u16::from_be(sin.sin_port),
            )
        }
        libc::AF_INET6 if len >= std::mem::size_of::<libc::sockaddr_in6>() => {
            // SAFETY: as above, for a sockaddr_in6.
            let sin6 = unsafe { &*(&raw const storage).cast::<libc::sockaddr_in6>() };
            LocalName::Inet6(
                Ipv6Addr::from(sin6.sin6_addr.s6_addr),
                u16::from_be(sin6.sin6_port),
                u32::from_be(sin6.sin6_flowinfo),
                sin6.sin6_scope_id,
            )
        }
        libc::AF_UNIX => {
            // SAFETY: as above, for a sockaddr_un; only the `len` bytes the kernel wrote are read.
            let sun = unsafe { &*(&raw const storage).cast::<libc::sockaddr_un>() };
            let offset = std::mem::size_of::<libc::sa_family_t>();
            let path_len = len.saturating_sub(offset).min(sun.sun_path.len());
            let mut path: Vec<u8> = sun.sun_path[..path_len].iter().map(|&c| c as u8).collect();
            // A path name ends at its NUL; an abstract name (leading NUL) is exactly `len` long.
            if path.first() != Some(&0)
                && let Some(end) = path.iter().position(|&b| b == 0)
            {
                path.truncate(end);
            }
            LocalName::Unix(path)
        }
        other => LocalName::Other(other),
    })
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::net::{TcpListener, TcpStream};
    use std::os::fd::AsFd;

    use super::*;

    #[test]
    fn poll_sees_a_readable_socket_and_a_local_name() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let mut client = TcpStream::connect(("127.0.0.1", port)).expect("connect");
        let (server, _) = listener.accept().expect("accept");
        let want = Want {
            fd: server.as_fd(),
            read: true,
            write: false,
        };
        let ready = poll(&[want], Duration::from_millis(10)).expect("poll");
        assert_eq!(ready, [Ready::default()]);
        client.write_all(b"x").expect("write");
        let ready = poll(&[want], Duration::from_secs(5)).expect("poll");
        assert!(ready[0].readable);
        assert_eq!(
            getsockname(listener.as_fd()).expect("name"),
            LocalName::Inet(Ipv4Addr::LOCALHOST, port)
        );
    }
}
