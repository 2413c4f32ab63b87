//! `serve --format python`: each event as the lines a Python REPL session doing the same would show.

use std::net::{IpAddr, SocketAddr};

use crate::text::pyrepr::{bytes_repr, str_repr};

use super::conn::PREVIEW;
use super::events::{CloseReason, ServeEvent, StopReason};
use super::{Config, Mode};

/// What the transcript needs from the configuration: how the socket was made and bound.
#[derive(Debug, Clone)]
pub struct Session {
    addr: SocketAddr,
    udp: bool,
    echo: bool,
    reply: Vec<u8>,
    recv_size: usize,
    backlog: i32,
}

impl Session {
    pub fn new(config: &Config) -> Self {
        let (echo, reply) = match &config.mode {
            Mode::Echo => (true, Vec::new()),
            Mode::Reply(reply) => (false, reply.clone()),
        };
        Session {
            addr: config.addr,
            udp: config.udp,
            echo,
            reply,
            recv_size: config.recv_size,
            backlog: config.backlog,
        }
    }
}

/// An address as Python's socket module gives it: `('127.0.0.1', 80)`, or for IPv6
/// `('::1', 80, 0, 0)` (flowinfo and scope id). A peer that does not parse is shown as text.
pub fn addr_tuple(addr: &SocketAddr) -> String {
    match addr {
        SocketAddr::V4(v4) => format!("({}, {})", str_repr(&v4.ip().to_string()), v4.port()),
        SocketAddr::V6(v6) => format!(
            "({}, {}, {}, {})",
            str_repr(&v6.ip().to_string()),
            v6.port(),
            v6.flowinfo(),
            v6.scope_id()
        ),
    }
}

fn peer_tuple(peer: &str) -> String {
    peer.parse::<SocketAddr>()
        .map_or_else(|_| str_repr(peer), |addr| addr_tuple(&addr))
}

/// The data as the REPL shows it, with a note when only its head was kept.
fn data_repr(head: &[u8], bytes: u64) -> String {
    let mut text = bytes_repr(head);
    if bytes > head.len() as u64 {
        text.push_str(&format!(
            "  # {bytes} bytes in all, the first {PREVIEW} shown"
        ));
    }
    text
}

/// The lines one event adds to the transcript: `>>> ` before what was typed, the REPL's answer
/// as it prints it, and `# ` before what sockscope adds. Connections are `conn1`, `conn2`...,
/// since the server has several at once where the lecture's REPL has one.
pub fn lines(session: &Session, event: &ServeEvent) -> Vec<String> {
    let family = match session.addr.ip() {
        IpAddr::V4(_) => "socket.AF_INET",
        IpAddr::V6(_) => "socket.AF_INET6",
    };
    let kind = if session.udp {
        "socket.SOCK_DGRAM"
    } else {
        "socket.SOCK_STREAM"
    };
    let n = session.recv_size;
    match event {
        ServeEvent::Listening { address, port, .. } => {
            let mut out = vec![
                ">>> import socket".to_string(),
                format!(">>> s = socket.socket({family}, {kind})"),
            ];
            // std sets SO_REUSEADDR on TCP listeners only, as the lecture's server does.
            if !session.udp {
                out.push(">>> s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)".to_string());
            }
            out.push(format!(">>> s.bind({})", bind_tuple(&session.addr)));
            if !session.udp {
                out.push(format!(">>> s.listen({})", session.backlog));
            }
            out.push(">>> s.getsockname()".to_string());
            let bound = address
                .parse::<IpAddr>()
                .map(|ip| addr_tuple(&SocketAddr::new(ip, *port)));
            out.push(bound.unwrap_or_else(|_| format!("({}, {port})", str_repr(address))));
            out
        }
        ServeEvent::Accepted { conn, peer, .. } => vec![
            format!(">>> conn{conn}, addr = s.accept()"),
            ">>> addr".to_string(),
            peer_tuple(peer),
        ],
        ServeEvent::Received {
            conn, bytes, head, ..
        } => vec![
            format!(">>> data = conn{conn}.recv({n})"),
            ">>> data".to_string(),
            data_repr(head, *bytes),
        ],
        ServeEvent::Sent { conn, .. } if session.echo => {
            vec![format!(">>> conn{conn}.sendall(data)")]
        }
        ServeEvent::Sent { conn, .. } => vec![format!(
            ">>> conn{conn}.sendall({})",
            bytes_repr(&session.reply)
        )],
        ServeEvent::Discarded { conn, bytes, .. } => vec![format!(
            "# conn{conn}: {bytes} more bytes read and dropped before closing"
        )],
        ServeEvent::Full { .. } => {
            vec!["# every slot is taken: new clients wait in the listen queue".to_string()]
        }
        ServeEvent::Closed {
            conn,
            reason,
            bytes_in,
            bytes_out,
            ..
        } => {
            let mut out = Vec::new();
            if *reason == CloseReason::PeerClosed {
                out.push(format!(">>> conn{conn}.recv({n})"));
                out.push("b''".to_string());
            }
            out.push(format!(
                ">>> conn{conn}.close()  # {}, {} bytes in, {} out",
                reason.as_str(),
                bytes_in.unwrap_or(0),
                bytes_out.unwrap_or(0)
            ));
            out
        }
        ServeEvent::Datagram {
            peer, bytes, head, ..
        } => vec![
            format!(">>> data, addr = s.recvfrom({n})"),
            ">>> data, addr".to_string(),
            format!("({}, {})", data_repr(head, *bytes), peer_tuple(peer)),
        ],
        ServeEvent::Replied { bytes, .. } => {
            let what = if session.echo {
                "data".to_string()
            } else {
                bytes_repr(&session.reply)
            };
            vec![format!(">>> s.sendto({what}, addr)"), bytes.to_string()]
        }
        ServeEvent::Error { reason, code, .. } => {
            vec![format!("# error: {reason} ({code})")]
        }
        ServeEvent::Stopping { reason, .. } => {
            let mut out = Vec::new();
            if *reason == StopReason::Signal {
                out.push("KeyboardInterrupt".to_string());
            }
            out.push(format!(">>> s.close()  # {}", reason.as_str()));
            out
        }
        ServeEvent::Summary { .. } => {
            vec![format!("# summary: {}", event.detail_words().join(" "))]
        }
    }
}

/// The address as it goes to `bind`: Python's `''` for every IPv4 interface, else the text.
fn bind_tuple(addr: &SocketAddr) -> String {
    let host = if addr.ip() == IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED) {
        "''".to_string()
    } else {
        str_repr(&addr.ip().to_string())
    };
    format!("({host}, {})", addr.port())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_python_tuples() {
        assert_eq!(
            addr_tuple(&"127.0.0.1:80".parse().unwrap()),
            "('127.0.0.1', 80)"
        );
        assert_eq!(
            addr_tuple(&"[::1]:80".parse().unwrap()),
            "('::1', 80, 0, 0)"
        );
        assert_eq!(bind_tuple(&"0.0.0.0:5".parse().unwrap()), "('', 5)");
        assert_eq!(data_repr(b"a\x1b[31m", 5), "b'a\\x1b[31m'");
        assert!(data_repr(&[b'x'; PREVIEW], 100).ends_with("the first 64 shown"));
    }
}
