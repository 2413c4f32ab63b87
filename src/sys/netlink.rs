//! The kernel's address list over rtnetlink (RTM_GETADDR), read the way glibc's `__check_pf` reads it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::error::SysError;

/// One address the kernel lists, with what getaddrinfo's sorting and AI_ADDRCONFIG use of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelAddr {
    pub address: IpAddr,
    pub prefixlen: u8,
    /// The interface index.
    pub index: u32,
    /// IFA_F_DEPRECATED or IFA_F_OPTIMISTIC: glibc's "deprecated" (sorting rule 3).
    pub deprecated: bool,
    /// IFA_F_HOMEADDRESS (sorting rule 4).
    pub home: bool,
}

const NLMSG_HDRLEN: usize = 16;
const IFADDRMSG_LEN: usize = 8;
const IFA_ADDRESS: u16 = 1;
const IFA_LOCAL: u16 = 2;
const IFA_F_HOMEADDRESS: u8 = 0x10;
const IFA_F_DEPRECATED: u8 = 0x20;
const IFA_F_OPTIMISTIC: u8 = 0x04;
const NLMSG_DONE: u16 = 3;
const NLMSG_ERROR: u16 = 2;
const RTM_NEWADDR: u16 = 20;
const RTM_GETADDR: u16 = 22;

/// Every IPv4 and IPv6 address of every interface, in the kernel's order.
pub fn addresses() -> Result<Vec<KernelAddr>, SysError> {
    // SAFETY: socket(2) takes no pointers; a non-negative result is a new descriptor we own.
    let raw = unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        )
    };
    if raw < 0 {
        return Err(errno());
    }
    // SAFETY: raw is a descriptor just returned to us and owned by nothing else.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    let seq: u32 = 1;
    let mut request = Vec::with_capacity(20);
    request.extend_from_slice(&20u32.to_ne_bytes());
    request.extend_from_slice(&RTM_GETADDR.to_ne_bytes());
    let flags = (libc::NLM_F_REQUEST | libc::NLM_F_ROOT | libc::NLM_F_MATCH) as u16;
    request.extend_from_slice(&flags.to_ne_bytes());
    request.extend_from_slice(&seq.to_ne_bytes());
    request.extend_from_slice(&0u32.to_ne_bytes());
    request.extend_from_slice(&[libc::AF_UNSPEC as u8, 0, 0, 0]);
    // SAFETY: an all-zero sockaddr_nl is valid; we set its family.
    let mut kernel: libc::sockaddr_nl = unsafe { std::mem::zeroed() };
    kernel.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    // SAFETY: request is readable for its length; kernel is a sockaddr_nl of the size given.
    let sent = unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            request.as_ptr().cast(),
            request.len(),
            0,
            (&raw const kernel).cast(),
            std::mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    };
    if sent < 0 {
        return Err(errno());
    }
    let mut out = Vec::new();
    let mut buf = vec![0u8; 65536];
    loop {
        // SAFETY: buf is writable for its length.
        let n = unsafe { libc::recv(fd.as_raw_fd(), buf.as_mut_ptr().cast(), buf.len(), 0) };
        if n < 0 {
            let err = errno();
            if err == SysError::Errno(libc::EINTR) {
                continue;
            }
            return Err(err);
        }
        if n == 0 {
            return Ok(out);
        }
        if parse(&buf[..n as usize], seq, &mut out)? {
            return Ok(out);
        }
    }
}

/// Parse one datagram of netlink messages into `out`; true once the dump is done.
fn parse(mut data: &[u8], seq: u32, out: &mut Vec<KernelAddr>) -> Result<bool, SysError> {
    while data.len() >= NLMSG_HDRLEN {
        let len = u32_at(data, 0) as usize;
        let kind = u16_at(data, 4);
        if len < NLMSG_HDRLEN || len > data.len() {
            return Ok(true);
        }
        let msg = &data[..len];
        if u32_at(msg, 8) == seq {
            match kind {
                NLMSG_DONE => return Ok(true),
                NLMSG_ERROR => {
                    let code = i32::from_ne_bytes(word(msg, NLMSG_HDRLEN));
                    return Err(SysError::Errno(code.checked_neg().unwrap_or(libc::EIO)));
                }
                RTM_NEWADDR => out.extend(address(&msg[NLMSG_HDRLEN..])),
                _ => {}
            }
        }
        let aligned = (len + 3) & !3;
        data = data.get(aligned..).unwrap_or_default();
    }
    Ok(false)
}

/// One RTM_NEWADDR body: struct ifaddrmsg, then attributes. IFA_ADDRESS wins over IFA_LOCAL,
/// as in glibc.
fn address(body: &[u8]) -> Option<KernelAddr> {
    let header = body.get(..IFADDRMSG_LEN)?;
    let family = i32::from(header[0]);
    let (prefixlen, flags) = (header[1], header[2]);
    let index = u32_at(header, 4);
    let mut attrs = body.get(IFADDRMSG_LEN..)?;
    let mut local = None;
    let mut address = None;
    while attrs.len() >= 4 {
        let len = usize::from(u16_at(attrs, 0));
        if len < 4 || len > attrs.len() {
            break;
        }
        let value = &attrs[4..len];
        match u16_at(attrs, 2) {
            IFA_ADDRESS => address = ip(family, value),
            IFA_LOCAL => local = ip(family, value),
            _ => {}
        }
        let aligned = (len + 3) & !3;
        attrs = attrs.get(aligned..).unwrap_or_default();
    }
    Some(KernelAddr {
        address: address.or(local)?,
        prefixlen,
        index,
        deprecated: flags & (IFA_F_DEPRECATED | IFA_F_OPTIMISTIC) != 0,
        home: flags & IFA_F_HOMEADDRESS != 0,
    })
}

fn ip(family: i32, value: &[u8]) -> Option<IpAddr> {
    match family {
        libc::AF_INET => <[u8; 4]>::try_from(value.get(..4)?)
            .ok()
            .map(|b| IpAddr::V4(Ipv4Addr::from(b))),
        libc::AF_INET6 => <[u8; 16]>::try_from(value.get(..16)?)
            .ok()
            .map(|b| IpAddr::V6(Ipv6Addr::from(b))),
        _ => None,
    }
}

fn word(data: &[u8], at: usize) -> [u8; 4] {
    let mut w = [0u8; 4];
    if let Some(bytes) = data.get(at..at + 4) {
        w.copy_from_slice(bytes);
    }
    w
}

fn u32_at(data: &[u8], at: usize) -> u32 {
    u32::from_ne_bytes(word(data, at))
}

fn u16_at(data: &[u8], at: usize) -> u16 {
    let mut w = [0u8; 2];
    if let Some(bytes) = data.get(at..at + 2) {
        w.copy_from_slice(bytes);
    }
    u16::from_ne_bytes(w)
}

/// if_nametoindex(3): the index of the interface called `name`, None if there is none.
pub fn if_nametoindex(name: &str) -> Option<u32> {
    let name = std::ffi::CString::new(name).ok()?;
    // SAFETY: name is a valid C string; the call only reads it.
    let index = unsafe { libc::if_nametoindex(name.as_ptr()) };
    (index != 0).then_some(index)
}

fn errno() -> SysError {
    SysError::Errno(
        std::io::Error::last_os_error()
            .raw_os_error()
            .unwrap_or(libc::EIO),
    )
}
