//! `socket`: make a socket like `socket.socket(family, type, proto)` and read back what the kernel made.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use crate::model::{Answer, Call, Failure};
use crate::sys::socket as sys;
use crate::text::symbols::name_or_number as symbol;

use super::model::{Field, Linger, SocketInfo, SocketOptions};

/// A protocol by name, except 0: IPPROTO_IP and IPPROTO_HOPOPTS share it, and to socket(2)
/// it means neither but "the default for this type", so it stays a number, as Python shows it.
fn proto_symbol(proto: i32) -> String {
    if proto == 0 {
        "0".to_string()
    } else {
        symbol("IPPROTO_", proto)
    }
}

/// Create the socket, describe it, and close it again.
pub fn describe(family: i32, socktype: i32, proto: i32) -> Answer<SocketInfo> {
    let c_call = format!(
        "socket({}, {}, {proto})",
        symbol("AF_", family),
        symbol("SOCK_", socktype)
    );
    let result = sys::socket(family, socktype, proto)
        .map_err(Failure::from)
        .map(|fd| vec![read_back(fd.as_fd(), proto)]);
    let mut answer = Answer::new(None, result);
    answer.label = format!(
        "{}, {}, {}",
        symbol("AF_", family),
        symbol("SOCK_", socktype),
        proto_symbol(proto)
    );
    let mut notes = Vec::new();
    if let Ok([info]) = answer.result.as_deref()
        && info.proto != proto
    {
        notes.push(format!(
            "Python's sock.proto is {proto}, what was passed; the kernel chose {} ({})",
            info.proto,
            info.proto_name.as_deref().unwrap_or("?")
        ));
    }
    answer.call = Some(Call {
        c: c_call,
        python: format!(
            "socket.socket(socket.{}, socket.{}, {proto})",
            symbol("AF_", family),
            symbol("SOCK_", socktype)
        ),
        notes,
    });
    answer
}

fn read_back(fd: BorrowedFd<'_>, requested_proto: i32) -> SocketInfo {
    let int = |level, name| sys::getsockopt_int(fd, level, name).ok();
    let family = int(libc::SOL_SOCKET, libc::SO_DOMAIN).unwrap_or(-1);
    let socktype = int(libc::SOL_SOCKET, libc::SO_TYPE).unwrap_or(-1);
    let proto = int(libc::SOL_SOCKET, libc::SO_PROTOCOL).unwrap_or(-1);
    let is_ip = family == libc::AF_INET || family == libc::AF_INET6;
    let is_tcp = is_ip && proto == libc::IPPROTO_TCP;
    let seconds = |name| {
        sys::getsockopt_timeout(fd, name)
            .ok()
            .map(|d| d.as_secs_f64())
    };
    // Options that do not apply to this family or protocol are not asked: the kernel would
    // answer ENOPROTOOPT or EOPNOTSUPP, which says nothing about this socket's defaults.
    let options = SocketOptions {
        rcvbuf: int(libc::SOL_SOCKET, libc::SO_RCVBUF),
        sndbuf: int(libc::SOL_SOCKET, libc::SO_SNDBUF),
        rcvlowat: int(libc::SOL_SOCKET, libc::SO_RCVLOWAT),
        sndlowat: int(libc::SOL_SOCKET, libc::SO_SNDLOWAT),
        rcvtimeo: seconds(libc::SO_RCVTIMEO),
        sndtimeo: seconds(libc::SO_SNDTIMEO),
        reuseaddr: int(libc::SOL_SOCKET, libc::SO_REUSEADDR),
        reuseport: int(libc::SOL_SOCKET, libc::SO_REUSEPORT),
        keepalive: int(libc::SOL_SOCKET, libc::SO_KEEPALIVE),
        broadcast: int(libc::SOL_SOCKET, libc::SO_BROADCAST),
        oobinline: int(libc::SOL_SOCKET, libc::SO_OOBINLINE),
        linger: sys::getsockopt_linger(fd)
            .ok()
            .map(|(l_onoff, l_linger)| Linger { l_onoff, l_linger }),
        error: int(libc::SOL_SOCKET, libc::SO_ERROR),
        tcp_nodelay: is_tcp
            .then(|| int(libc::IPPROTO_TCP, libc::TCP_NODELAY))
            .flatten(),
        tcp_maxseg: is_tcp
            .then(|| int(libc::IPPROTO_TCP, libc::TCP_MAXSEG))
            .flatten(),
        ip_ttl: (family == libc::AF_INET)
            .then(|| int(libc::IPPROTO_IP, libc::IP_TTL))
            .flatten(),
        ipv6_v6only: (family == libc::AF_INET6)
            .then(|| int(libc::IPPROTO_IPV6, libc::IPV6_V6ONLY))
            .flatten(),
        ipv6_unicast_hops: (family == libc::AF_INET6)
            .then(|| int(libc::IPPROTO_IPV6, libc::IPV6_UNICAST_HOPS))
            .flatten(),
    };
    SocketInfo {
        family: symbol("AF_", family),
        socktype: symbol("SOCK_", socktype),
        proto,
        proto_name: (is_ip && proto != 0).then(|| proto_symbol(proto)),
        requested_proto,
        fd: fd.as_raw_fd(),
        options,
    }
}

/// The socket as name/value rows, for the table: one row per field or option.
pub fn fields(info: &SocketInfo) -> Vec<Field> {
    let mut rows = vec![
        Field::new("family", &info.family),
        Field::new("type", &info.socktype),
        Field::new(
            "proto",
            match &info.proto_name {
                Some(name) => format!("{} ({name})", info.proto),
                None => info.proto.to_string(),
            },
        ),
        Field::new("requested_proto", info.requested_proto),
        Field::new("fd", info.fd),
    ];
    // The JSON of the options is the source of truth for names and order; the table follows it.
    if let Ok(serde_json::Value::Object(map)) = serde_json::to_value(&info.options) {
        for (name, value) in map {
            let text = match value {
                serde_json::Value::Object(inner) => inner
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" "),
                other => other.to_string(),
            };
            rows.push(Field::new(name, text));
        }
    }
    rows
}
