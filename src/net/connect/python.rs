//! `connect` in the classroom: the C calls and the lecture's Python session behind an exchange (`--explain`), and what that session prints (`--format python`).

use crate::model::{Call, Failure};
use crate::sys::SysError;
use crate::text::pyrepr::{bytes_repr, host_literal};
use crate::text::symbols::name_or_number as symbol;

use super::record::{ConnectSummary, End};

/// What the explanation needs besides the summary.
pub struct Session<'a> {
    pub family: i32,
    pub udp: bool,
    /// The request when it is known bytes (`--send`, `--http`); a stream is named instead.
    pub request: Option<&'a [u8]>,
    pub streamed: Option<&'a str>,
    pub half_close: bool,
    pub timeout: f64,
    pub banner_wait: f64,
}

/// The longest request or reply shown in full inside the session; longer ones are cut, since
/// a page of bytes would hide the calls.
const SHOWN: usize = 48;

fn shown(bytes: &[u8]) -> String {
    if bytes.len() <= SHOWN {
        bytes_repr(bytes)
    } else {
        format!(
            "{}  # {} bytes in all",
            bytes_repr(&bytes[..SHOWN]),
            bytes.len()
        )
    }
}

/// The C calls, the Python session and the notes of one exchange.
pub fn call(summary: &ConnectSummary, session: &Session) -> Call {
    let (socktype, kind) = if session.udp {
        ("SOCK_DGRAM", "UDP")
    } else {
        ("SOCK_STREAM", "TCP")
    };
    let family = symbol("AF_", session.family);
    let host = host_literal(&summary.host);
    let port = summary.service.parse::<u16>().map_or_else(
        |_| crate::text::pyrepr::str_repr(&summary.service),
        |p| p.to_string(),
    );
    let mut c = vec![
        format!("getaddrinfo(\"{}\", \"{}\",", summary.host, summary.service),
        format!("            {{ai_family={family}, ai_socktype={socktype}}})"),
    ];
    let conn_family = if summary
        .connected
        .as_deref()
        .is_some_and(|a| a.contains(':'))
    {
        "AF_INET6"
    } else {
        "AF_INET"
    };
    c.push(format!("socket({conn_family}, {socktype}, 0)"));
    let target = match (&summary.connected, summary.port) {
        (Some(addr), Some(port)) => format!("{addr} port {port}"),
        _ => "each address in turn".to_string(),
    };
    c.push(format!("connect(fd, <{target}>)"));
    let mut py = vec![
        format!("infos = socket.getaddrinfo({host}, {port}, socket.{family})"),
        format!("infos = [i for i in infos if i[1] == socket.{socktype}]  # keep {kind}"),
        "s = socket.socket(*infos[0][:3])  # family, type, proto".to_string(),
        format!("s.settimeout({:?})", session.timeout),
        "s.connect(infos[0][4])".to_string(),
    ];
    let request = match (session.request, session.streamed) {
        (Some(bytes), _) => Some(shown(bytes)),
        (None, Some(name)) => Some(format!("{name}.read()")),
        (None, None) => None,
    };
    let recv = summary.recv_size;
    if session.udp {
        let payload = request.clone().unwrap_or_else(|| "b''".to_string());
        c.push("send(fd, request, len, 0)".to_string());
        c.push(format!(
            "poll(fd, POLLIN) then recv(fd, buf, {recv}, 0) per datagram"
        ));
        py.push(format!("s.send({payload})"));
        py.push(format!("s.recv({recv})  # once per datagram"));
    } else if let Some(payload) = &request {
        c.push("poll(fd, POLLIN|POLLOUT), then send or recv as each is ready".to_string());
        py.push(format!("s.sendall({payload})"));
        if session.half_close {
            c.push("shutdown(fd, SHUT_WR) once the request is out".to_string());
            py.push("s.shutdown(socket.SHUT_WR)  # the request is complete".to_string());
        }
        c.push(format!("recv(fd, buf, {recv}, 0) until it returns 0"));
        py.extend(recv_loop(recv));
    } else {
        c.push(format!(
            "poll(fd, POLLIN, ...) and recv(fd, buf, {recv}, 0) for {} s",
            session.banner_wait
        ));
        py.push(format!(
            "s.settimeout({:?})  # nothing to send: read what the server says first",
            session.banner_wait
        ));
        py.push("reply = b''".to_string());
        py.push("try:".to_string());
        py.push(format!("    while part := s.recv({recv}):"));
        py.push("        reply += part".to_string());
        py.push("except TimeoutError:".to_string());
        py.push("    pass".to_string());
    }
    c.push("close(fd)".to_string());
    py.push("s.close()".to_string());
    if !session.udp {
        py.push("reply".to_string());
    }
    let mut notes = vec![format!(
        "--timeout is one deadline for the whole exchange, getaddrinfo included; Python's \
         settimeout bounds each call on its own"
    )];
    if !session.udp && request.is_some() {
        notes.push(
            "a short recv is not the end of the reply: only b'' (the peer closed) is".to_string(),
        );
        notes.push(
            "sockscope sends and receives at once, so a server that echoes as it reads never \
             waits on it; sendall then recv can deadlock on a large request"
                .to_string(),
        );
    }
    Call {
        c: c.join("\n"),
        python: py.join("\n"),
        notes,
    }
}

/// The lecture's recv loop, done right.
fn recv_loop(recv: u64) -> Vec<String> {
    vec![
        "reply = b''".to_string(),
        "while True:".to_string(),
        format!("    part = s.recv({recv})"),
        "    if not part:  # b'' only once the peer closed".to_string(),
        "        break".to_string(),
        "    reply += part".to_string(),
    ]
}

/// What the Python session prints: the reply's repr (TCP), or the count `send` returns and
/// each datagram's repr (UDP); the exception line where the session would raise.
pub fn printed(summary: &ConnectSummary, reply: &[u8], udp: bool) -> Vec<String> {
    let mut lines = Vec::new();
    if udp && !summary.attempts.is_empty() && summary.send_calls > 0 {
        lines.push(summary.bytes_sent.to_string());
    }
    if udp {
        let mut at = 0usize;
        for datagram in summary.datagrams.iter().flatten() {
            let len = usize::try_from(datagram.bytes).unwrap_or(0);
            let end = (at + len).min(reply.len());
            lines.push(bytes_repr(&reply[at..end]));
            at = end;
        }
    }
    match (&summary.error, summary.end) {
        (_, End::Interrupted) => lines.push("KeyboardInterrupt".to_string()),
        (Some(failure), _) => lines.push(exception(failure)),
        (None, _) if !udp => lines.push(bytes_repr(reply)),
        (None, _) => {}
    }
    lines
}

/// The exception Python raises for a failure: the OSError subclass CPython picks for the
/// errno, or `TimeoutError: timed out` as a socket timeout says it.
fn exception(failure: &Failure) -> String {
    let class = match failure.sys() {
        Some(SysError::Errno(libc::ETIMEDOUT)) => return "TimeoutError: timed out".to_string(),
        Some(SysError::Errno(libc::ECONNREFUSED)) => "ConnectionRefusedError",
        Some(SysError::Errno(libc::ECONNRESET)) => "ConnectionResetError",
        Some(SysError::Errno(libc::ECONNABORTED)) => "ConnectionAbortedError",
        Some(SysError::Errno(libc::EPIPE | libc::ESHUTDOWN)) => "BrokenPipeError",
        Some(SysError::Errno(libc::EINTR)) => return "KeyboardInterrupt".to_string(),
        _ => return failure.python_exception(),
    };
    match (failure.sys(), failure.strerror()) {
        (Some(SysError::Errno(errno)), Some(text)) => format!("{class}: [Errno {errno}] {text}"),
        _ => failure.python_exception(),
    }
}
