//! `socket`: make a socket like `socket.socket(family, type, proto)` and read back what the kernel made.

use std::os::fd::{AsFd, AsRawFd, BorrowedFd};

use clap::Args;
use serde::Serialize;

use crate::calls::protobyname;
use crate::model::{Answer, Call, Failure, NO_PYTHON, Outcome, Record, python_of_first};
use crate::parse::{self, Protocol};
use crate::render::Format;
use crate::runner::{Ctx, Emitter, Run, emit};
use crate::sys::poll::{self, LocalName};
use crate::sys::socket as sys;
use crate::text::pyrepr::{bytes_repr, str_repr};
use crate::text::symbols::name_or_number as symbol;

use super::field::Field;

/// `socket [-f FAMILY | -4 | -6] [-t TYPE] [-p PROTO]`.
#[derive(Debug, Args)]
pub struct SocketArgs {
    /// Address family: inet, inet6, unix, any AF_ name, or a number [default: inet]
    #[arg(short, long, value_parser = parse::family, conflicts_with_all = ["inet", "inet6"])]
    pub family: Option<i32>,

    /// AF_INET (-f inet)
    #[arg(short = '4', conflicts_with = "inet6")]
    pub inet: bool,

    /// AF_INET6 (-f inet6)
    #[arg(short = '6')]
    pub inet6: bool,

    /// Socket type: stream, dgram, raw, seqpacket, any SOCK_ name, or a number
    #[arg(short = 't', long = "type", default_value = "stream", value_parser = parse::socktype)]
    pub socktype: i32,

    /// Protocol: 0 (the family's default for the type), tcp, udp, any IPPROTO_ or /etc/protocols name
    #[arg(short, long, default_value = "0", value_parser = parse::protocol)]
    pub proto: Protocol,
}

/// SO_LINGER as the kernel stores it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Linger {
    pub l_onoff: i32,
    pub l_linger: i32,
}

/// Default option values of a fresh socket, named like the constants; an option that does not
/// apply to the socket's family or protocol is left out. Integers as Python's
/// `sock.getsockopt(level, name)` returns them (flags are 0 or 1, not booleans).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct SocketOptions {
    #[serde(rename = "SO_RCVBUF", skip_serializing_if = "Option::is_none")]
    pub rcvbuf: Option<i32>,
    #[serde(rename = "SO_SNDBUF", skip_serializing_if = "Option::is_none")]
    pub sndbuf: Option<i32>,
    #[serde(rename = "SO_RCVLOWAT", skip_serializing_if = "Option::is_none")]
    pub rcvlowat: Option<i32>,
    #[serde(rename = "SO_SNDLOWAT", skip_serializing_if = "Option::is_none")]
    pub sndlowat: Option<i32>,
    #[serde(rename = "SO_RCVTIMEO", skip_serializing_if = "Option::is_none")]
    pub rcvtimeo: Option<f64>,
    #[serde(rename = "SO_SNDTIMEO", skip_serializing_if = "Option::is_none")]
    pub sndtimeo: Option<f64>,
    #[serde(rename = "SO_REUSEADDR", skip_serializing_if = "Option::is_none")]
    pub reuseaddr: Option<i32>,
    #[serde(rename = "SO_REUSEPORT", skip_serializing_if = "Option::is_none")]
    pub reuseport: Option<i32>,
    #[serde(rename = "SO_KEEPALIVE", skip_serializing_if = "Option::is_none")]
    pub keepalive: Option<i32>,
    #[serde(rename = "SO_BROADCAST", skip_serializing_if = "Option::is_none")]
    pub broadcast: Option<i32>,
    #[serde(rename = "SO_OOBINLINE", skip_serializing_if = "Option::is_none")]
    pub oobinline: Option<i32>,
    #[serde(rename = "SO_LINGER", skip_serializing_if = "Option::is_none")]
    pub linger: Option<Linger>,
    #[serde(rename = "SO_ERROR", skip_serializing_if = "Option::is_none")]
    pub error: Option<i32>,
    #[serde(rename = "TCP_NODELAY", skip_serializing_if = "Option::is_none")]
    pub tcp_nodelay: Option<i32>,
    #[serde(rename = "TCP_MAXSEG", skip_serializing_if = "Option::is_none")]
    pub tcp_maxseg: Option<i32>,
    #[serde(rename = "IP_TTL", skip_serializing_if = "Option::is_none")]
    pub ip_ttl: Option<i32>,
    #[serde(rename = "IPV6_V6ONLY", skip_serializing_if = "Option::is_none")]
    pub ipv6_v6only: Option<i32>,
    #[serde(rename = "IPV6_UNICAST_HOPS", skip_serializing_if = "Option::is_none")]
    pub ipv6_unicast_hops: Option<i32>,
}

/// `socket`: a socket as the kernel describes it right after socket(2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SocketInfo {
    /// SO_DOMAIN, by name (`AF_INET`), like Python's `sock.family`.
    pub family: String,
    /// SO_TYPE, by name (`SOCK_STREAM`), like Python's `sock.type`.
    #[serde(rename = "type")]
    pub socktype: String,
    /// SO_PROTOCOL: the protocol the kernel chose (6 for TCP even when 0 was asked).
    pub proto: i32,
    /// The IPPROTO_ name of `proto`, where there is one.
    pub proto_name: Option<String>,
    /// The protocol number passed to socket(2), which is what Python's `sock.proto` shows.
    pub requested_proto: i32,
    /// The file descriptor, like `sock.fileno()`.
    pub fd: i32,
    pub options: SocketOptions,
    /// `repr(sock)` as Python prints it, where sockscope can spell the local address.
    #[serde(skip)]
    pub python_repr: Option<String>,
}

impl Record for SocketInfo {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["family", "type", "proto", "fd"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.family.clone(),
            self.socktype.clone(),
            self.proto.to_string(),
            self.fd.to_string(),
        ]
    }
}

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
fn describe(family: i32, socktype: i32, proto: i32) -> Answer<SocketInfo> {
    let c_call = format!(
        "socket({}, {}, {proto})",
        symbol("AF_", family),
        symbol("SOCK_", socktype)
    );
    let result = sys::socket(family, socktype, proto)
        .map_err(Failure::from)
        .map(|fd| vec![read_back(fd.as_fd(), (family, socktype, proto))]);
    let mut answer = Answer::new(None, result);
    answer.label = Some(format!(
        "{}, {}, {}",
        symbol("AF_", family),
        symbol("SOCK_", socktype),
        proto_symbol(proto)
    ));
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

/// `repr(sock)` of a fresh socket as CPython 3.11 prints it: the triple as passed, and the
/// local address getsockname(2) gives, in Python's tuple for the family (left out for an
/// unbound AF_UNIX socket, as Python leaves out an empty address). None for a family whose
/// address sockscope does not decode.
fn python_repr(fd: BorrowedFd<'_>, triple: (i32, i32, i32)) -> Option<String> {
    let (family, socktype, proto) = triple;
    let head = format!(
        "<socket.socket fd={}, family={family}, type={socktype}, proto={proto}",
        fd.as_raw_fd()
    );
    let laddr = match poll::getsockname(fd).ok()? {
        LocalName::Inet(ip, port) => Some(format!("('{ip}', {port})")),
        LocalName::Inet6(ip, port, flowinfo, scope) => {
            Some(format!("('{ip}', {port}, {flowinfo}, {scope})"))
        }
        LocalName::Unix(path) if path.is_empty() => None,
        LocalName::Unix(path) if path[0] == 0 => Some(bytes_repr(&path)),
        LocalName::Unix(path) => Some(str_repr(&String::from_utf8_lossy(&path))),
        LocalName::Other(_) => return None,
    };
    Some(match laddr {
        Some(laddr) => format!("{head}, laddr={laddr}>"),
        None => format!("{head}>"),
    })
}

fn read_back(fd: BorrowedFd<'_>, triple: (i32, i32, i32)) -> SocketInfo {
    let requested_proto = triple.2;
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
        python_repr: python_repr(fd, triple),
    }
}

/// The socket as name/value rows, for the table: one row per field or option.
fn fields(info: &SocketInfo) -> Vec<Field> {
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

impl Run for SocketArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome> {
        let proto = protobyname::number(&self.proto)?;
        let family =
            parse::family_shortcut(self.inet, self.inet6, self.family.unwrap_or(libc::AF_INET));
        let answer = describe(family, self.socktype, proto);
        if ctx.format != Format::Table {
            let view = |result: &Result<Vec<SocketInfo>, Failure>| {
                python_of_first(result, |info| {
                    info.python_repr
                        .clone()
                        .unwrap_or_else(|| NO_PYTHON.to_string())
                })
            };
            let mut emitter = Emitter::new(ctx, &view);
            emitter.write(answer)?;
            return emitter.finish();
        }
        // One socket has too many fields for one row: the table shows them as name/value rows.
        let rows = answer
            .result
            .as_ref()
            .map(|infos| infos.iter().flat_map(fields).collect::<Vec<_>>())
            .map_err(Clone::clone);
        let mut table = Answer::new(answer.query.clone(), rows);
        table.label = answer.label.clone();
        emit(ctx, [table])
    }
}
