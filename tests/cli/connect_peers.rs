//! Loopback peers for the `connect` tests, each in a thread of the test process and bounded in time: echo, silent, slow, banner, UDP echo.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream, UdpSocket};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

/// The longest any peer keeps a connection: past it the test has failed anyway.
pub const PEER_LIFE: Duration = Duration::from_secs(20);

/// Accept `conns` connections on 127.0.0.1 and run `serve` on each in its own thread.
pub fn tcp_peer(conns: usize, serve: fn(TcpStream)) -> u16 {
    tcp_peer_on("127.0.0.1:0", conns, serve)
}

/// The same on any loopback address, `[::1]:0` too.
pub fn tcp_peer_on(listen: &str, conns: usize, serve: fn(TcpStream)) -> u16 {
    let listener = TcpListener::bind(listen).expect("bind");
    let port = listener.local_addr().expect("addr").port();
    thread::spawn(move || {
        for _ in 0..conns {
            let Ok((conn, _)) = listener.accept() else {
                return;
            };
            thread::spawn(move || serve(conn));
        }
    });
    port
}

/// Echo everything until the client half-closes, then close.
pub fn echo(mut conn: TcpStream) {
    let _ = conn.set_read_timeout(Some(PEER_LIFE));
    let mut buf = vec![0u8; 64 * 1024];
    while let Ok(n) = conn.read(&mut buf) {
        if n == 0 || conn.write_all(&buf[..n]).is_err() {
            break;
        }
    }
}

/// Never read, never write: hold the connection open.
pub fn deaf(conn: TcpStream) {
    thread::sleep(PEER_LIFE);
    drop(conn);
}

/// Read 1 KiB every 100 ms and never answer: every send makes a little progress.
pub fn slow_reader(mut conn: TcpStream) {
    let end = Instant::now() + PEER_LIFE;
    let mut buf = [0u8; 1024];
    while Instant::now() < end && matches!(conn.read(&mut buf), Ok(n) if n > 0) {
        thread::sleep(Duration::from_millis(100));
    }
}

/// Send a byte every 100 ms without ever closing or reading.
pub fn trickle(mut conn: TcpStream) {
    let end = Instant::now() + PEER_LIFE;
    while Instant::now() < end && conn.write_all(b".").is_ok() {
        thread::sleep(Duration::from_millis(100));
    }
}

/// Say a banner and hold the connection open without reading.
pub fn banner(mut conn: TcpStream) {
    let _ = conn.write_all(b"220 lab ESMTP ready\r\n");
    deaf(conn);
}

/// Send the first part at once, then hold the connection open.
pub fn first_part(mut conn: TcpStream) {
    let _ = conn.write_all(b"first part\n");
    deaf(conn);
}

/// Read the request to its end, reply with terminal escapes and bytes that are not UTF-8,
/// then close (after reading, so the close is a FIN and not a reset).
pub fn hostile(mut conn: TcpStream) {
    let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
    let mut buf = [0u8; 4096];
    while matches!(conn.read(&mut buf), Ok(n) if n > 0) {}
    let _ = conn.write_all(HOSTILE);
}

pub const HOSTILE: &[u8] = b"\x1b[31mred\x1b[0m\x1b]0;title\x07 \xff\xfe\r\nend\n";

/// Answer `count` datagrams on 127.0.0.1 by sending each back `copies` times.
pub fn udp_echo(count: usize, copies: usize) -> u16 {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
    let port = socket.local_addr().expect("addr").port();
    socket.set_read_timeout(Some(PEER_LIFE)).expect("timeout");
    thread::spawn(move || {
        let mut buf = [0u8; 65536];
        for _ in 0..count {
            let Ok((n, from)) = socket.recv_from(&mut buf) else {
                return;
            };
            for _ in 0..copies {
                let _ = socket.send_to(&buf[..n], from);
            }
        }
    });
    port
}

/// A UDP socket that reads and never answers.
pub fn udp_silent() -> (u16, UdpSocket) {
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind udp");
    (socket.local_addr().expect("addr").port(), socket)
}

/// sockscope running with piped output, for tests that watch it while it runs.
pub fn spawn(args: &[&str]) -> Child {
    Command::new(crate::common::bin())
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sockscope starts")
}

/// The peak resident memory of a running process in KiB (VmHWM), while it runs.
pub fn peak_rss_kib(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Wait for a child at most `limit`, killing it past that; the exit status.
pub fn wait_bounded(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let end = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            return status;
        }
        if Instant::now() > end {
            let _ = child.kill();
            panic!("sockscope still running after {limit:?}");
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// A port on 127.0.0.1 that nothing listens on (TCP) or reads (UDP).
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .expect("bind")
        .local_addr()
        .expect("addr")
        .port()
}
