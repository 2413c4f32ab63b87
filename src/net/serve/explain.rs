//! `serve --explain`: the lecture's server in Python and the C calls that make it, with where sockscope's differs.

use std::net::{IpAddr, SocketAddr};

use crate::model::Call;
use crate::text::pyrepr::{bytes_repr, str_repr};

use super::{Config, Mode};

/// The server as C calls and as the lecture's Python, for the address actually bound.
pub fn call(config: &Config, bound: &SocketAddr) -> Call {
    Call {
        c: c_lines(config, bound).join("\n"),
        python: python_lines(config).join("\n"),
        notes: notes(config),
    }
}

fn family(addr: &SocketAddr) -> &'static str {
    match addr.ip() {
        IpAddr::V4(_) => "AF_INET",
        IpAddr::V6(_) => "AF_INET6",
    }
}

fn c_lines(config: &Config, bound: &SocketAddr) -> Vec<String> {
    let family = family(&config.addr);
    let n = config.recv_size;
    let bind = format!(
        "bind(s, {{{family}, {}, port {}}}, sizeof addr);",
        bound.ip(),
        config.addr.port()
    );
    if config.udp {
        let answer = match config.mode {
            Mode::Echo => "sendto(s, buf, n, 0, &peer, peerlen);".to_string(),
            Mode::Reply(ref reply) => {
                format!("sendto(s, reply, {}, 0, &peer, peerlen);", reply.len())
            }
        };
        return vec![
            format!("s = socket({family}, SOCK_DGRAM, 0);"),
            bind,
            "for (;;) {".to_string(),
            format!("    n = recvfrom(s, buf, {n}, 0, &peer, &peerlen);"),
            format!("    {answer}"),
            "}".to_string(),
        ];
    }
    let body = match config.mode {
        Mode::Echo => vec![
            format!("    while ((n = recv(c, buf, {n}, 0)) > 0)"),
            "        send(c, buf, n, 0);      /* again until all n are sent */".to_string(),
        ],
        Mode::Reply(ref reply) => vec![
            format!("    n = recv(c, buf, {n}, 0);"),
            format!(
                "    send(c, reply, {}, 0);    /* again until all are sent */",
                reply.len()
            ),
        ],
    };
    let mut lines = vec![
        format!("s = socket({family}, SOCK_STREAM, 0);"),
        "setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);".to_string(),
        bind,
        format!("listen(s, {});", config.backlog),
        "for (;;) {".to_string(),
        "    c = accept(s, &peer, &peerlen);".to_string(),
    ];
    lines.extend(body);
    lines.push("    shutdown(c, SHUT_WR);".to_string());
    lines.push("    while (recv(c, buf, sizeof buf, 0) > 0) ;  /* drain */".to_string());
    lines.push("    close(c);".to_string());
    lines.push("}".to_string());
    lines
}

fn python_lines(config: &Config) -> Vec<String> {
    let family = format!("socket.{}", family(&config.addr));
    let host = match config.addr.ip() {
        IpAddr::V4(ip) if ip.is_unspecified() => "''".to_string(),
        ip => str_repr(&ip.to_string()),
    };
    let n = config.recv_size;
    let port = config.addr.port();
    if config.udp {
        let answer = match &config.mode {
            Mode::Echo => "s.sendto(data, addr)".to_string(),
            Mode::Reply(reply) => format!("s.sendto({}, addr)", bytes_repr(reply)),
        };
        return vec![
            format!("with socket.socket({family}, socket.SOCK_DGRAM) as s:"),
            format!("    s.bind(({host}, {port}))"),
            "    while True:".to_string(),
            format!("        data, addr = s.recvfrom({n})"),
            format!("        {answer}"),
        ];
    }
    let mut lines = vec![
        format!("with socket.socket({family}, socket.SOCK_STREAM) as s:"),
        "    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)".to_string(),
        format!("    s.bind(({host}, {port}))"),
        format!("    s.listen({})", config.backlog),
        "    while True:".to_string(),
        "        conn, addr = s.accept()".to_string(),
        "        with conn:".to_string(),
    ];
    match &config.mode {
        Mode::Echo => {
            lines.push(format!("            while data := conn.recv({n}):"));
            lines.push("                conn.sendall(data)".to_string());
        }
        Mode::Reply(reply) => {
            lines.push(format!("            data = conn.recv({n})"));
            lines.push(format!("            conn.sendall({})", bytes_repr(reply)));
        }
    }
    lines
}

fn notes(config: &Config) -> Vec<String> {
    let mut notes = Vec::new();
    if config.udp {
        notes.push(
            "UDP has no connection: each datagram is one recvfrom and one sendto, and a datagram \
             longer than the recv size is cut, as in Python"
                .to_string(),
        );
        return notes;
    }
    notes.push(format!(
        "sockscope serves up to {} connections at once, one thread each; the lecture's loop serves one at a time",
        config.max_conns
    ));
    notes.push(format!(
        "listen({}): the lecture's listen(1) would refuse a classroom's burst of clients",
        config.backlog
    ));
    notes.push(
        "before close: shutdown(SHUT_WR), then read and drop what the client still sends, since \
         closing with unread data sends a RST that can destroy the answer in flight"
            .to_string(),
    );
    notes.push(format!(
        "limits Python's loop lacks: {} s idle, {} s per connection, {} bytes read, and slow \
         connections (under {} bytes/s) give way while a client waits",
        config.idle_timeout.as_secs_f64(),
        config.max_life.as_secs_f64(),
        config.max_bytes,
        config.min_rate
    ));
    notes
}
