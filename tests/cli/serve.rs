//! `serve` on loopback only: the lecture's server, echo, limits, timeouts, Ctrl-C, many clients, and `connect` as its client.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{Command, Stdio};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::net::{Server, connect_json, ipv6_loopback_works};

fn echo_roundtrip(listen: &str, host: &str) {
    let mut server = Server::start(listen, &["--echo"]);
    let port = server.port.to_string();
    let (summary, run) = connect_json(&[host, &port, "--send", r"hello\r\nworld\x21"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "hello\r\nworld!");
    assert_eq!(summary["bytes_sent"], 13);
    assert_eq!(summary["bytes_received"], 13);
    assert_eq!(summary["end"], "peer_closed");
    assert_eq!(summary["half_closed"], true);
    assert_eq!(summary["connected"], host);
    assert_eq!(summary["local_address"], host);
    assert_eq!(summary["attempts"][0]["outcome"], "connected");
    assert!(summary["error"].is_null());
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "peer_closed");
    assert_eq!(closed["bytes_in"], 13);
    assert_eq!(closed["bytes_out"], 13);
    let accepted = server.wait_for(|e| e["event"] == "accepted");
    assert_eq!(
        accepted["peer"],
        format!(
            "{}:{}",
            if host.contains(':') {
                format!("[{host}]")
            } else {
                host.to_string()
            },
            summary["local_port"]
        )
    );
}

#[test]
fn serve_and_connect_over_ipv4_loopback() {
    echo_roundtrip("127.0.0.1:0", "127.0.0.1");
}

#[test]
fn serve_and_connect_over_ipv6_loopback() {
    if !ipv6_loopback_works() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    echo_roundtrip("[::1]:0", "::1");
}

#[test]
fn default_reply_is_the_lectures_after_one_recv_of_16() {
    let mut server = Server::start("0", &[]);
    let port = server.port.to_string();
    let request = "a request longer than sixteen bytes";
    let (summary, run) = connect_json(&["127.0.0.1", &port, "--send", request]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "message received");
    let received = server.wait_for(|e| e["event"] == "received");
    assert_eq!(received["bytes"], 16, "the lecture's recv(16)");
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["bytes_in"], request.len());
    assert_eq!(closed["bytes_out"], 16);
}

#[test]
fn once_serves_one_connection_then_exits() {
    let server = Server::start("0", &["--once", "--reply", r"pong\n"]);
    let port = server.port.to_string();
    let (summary, run) = connect_json(&["127.0.0.1", &port, "--send", "ping"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "pong\n");
    let (code, events, _) = server.finish();
    assert_eq!(code, 0);
    let kinds: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(kinds.first(), Some(&"listening"));
    assert!(
        kinds.contains(&"accepted") && kinds.contains(&"closed"),
        "{kinds:?}"
    );
    let summary = events.last().expect("a summary");
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["reason"], "once");
    assert_eq!(summary["connections"], 1);
    assert_eq!(summary["bytes_in"], 4);
    assert_eq!(summary["bytes_out"], 5);
}

#[test]
fn ctrl_c_closes_connections_and_prints_a_summary() {
    let mut server = Server::start("127.0.0.1:0", &["--echo"]);
    let port = server.port.to_string();
    for text in ["one", "three"] {
        let (summary, run) = connect_json(&["127.0.0.1", &port, "--send", text]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(summary["reply"], text);
    }
    // A client that says nothing: Ctrl-C must not wait for it.
    let idle = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    server.wait_for(|e| e["event"] == "accepted" && e["conn"] == 3);
    let started = Instant::now();
    server.interrupt();
    let (code, events, _) = server.finish();
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(code, 130, "SIGINT: 128 + 2");
    let closed_idle = events
        .iter()
        .find(|e| e["event"] == "closed" && e["conn"] == 3)
        .expect("the idle connection is closed");
    assert_eq!(closed_idle["reason"], "shutdown");
    let summary = events.last().expect("summary");
    assert_eq!(summary["event"], "summary");
    assert_eq!(summary["reason"], "signal");
    assert_eq!(summary["connections"], 3);
    assert_eq!(summary["bytes_in"], 8);
    assert_eq!(summary["bytes_out"], 8);
    drop(idle);
}

#[test]
fn idle_clients_are_closed_after_the_idle_timeout() {
    let mut server = Server::start("0", &["--echo", "--idle-timeout", "0.3"]);
    let mut silent = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    silent
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "idle_timeout");
    let mut buf = [0u8; 16];
    assert_eq!(silent.read(&mut buf).expect("EOF, not an error"), 0);
}

/// Connect to an echo server and send until our own send blocks: the client reads nothing, so
/// once both directions' buffers are full the server is blocked writing its echo.
fn flood_without_reading(port: u16) -> TcpStream {
    let mut client = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    client
        .set_write_timeout(Some(Duration::from_millis(300)))
        .expect("timeout");
    let chunk = vec![b'x'; 64 * 1024];
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        match client.write(&chunk) {
            Ok(_) => assert!(
                Instant::now() < deadline,
                "the server never stopped reading"
            ),
            Err(err) if matches!(err.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return client;
            }
            // A short idle timeout may close the connection before our own send blocks.
            Err(err)
                if matches!(
                    err.kind(),
                    ErrorKind::ConnectionReset | ErrorKind::BrokenPipe
                ) =>
            {
                return client;
            }
            Err(err) => panic!("send failed: {err}"),
        }
    }
}

/// Ctrl-C must not wait out --idle-timeout for an echo blocked on a client that stopped reading.
#[test]
fn ctrl_c_ends_an_echo_blocked_on_a_client_that_stopped_reading() {
    let mut server = Server::start("0", &["--echo", "--idle-timeout", "120"]);
    let _client = flood_without_reading(server.port);
    server.wait_for(|e| e["event"] == "received");
    server.interrupt();
    // finish() allows 10 s, far below the 120 s idle timeout the old blocking write waited for.
    let (code, events, stderr) = server.finish();
    assert_eq!(code, 130, "{stderr}");
    let closed = events
        .iter()
        .find(|e| e["event"] == "closed")
        .expect("a closed event");
    assert_eq!(closed["reason"], "shutdown", "{closed}");
    assert!(closed["bytes_out"].as_u64().unwrap_or(0) > 0, "{closed}");
}

/// A client that stops reading is closed after --idle-timeout like a silent one.
#[test]
fn a_client_that_stops_reading_is_closed_after_the_idle_timeout() {
    let mut server = Server::start("0", &["--echo", "--idle-timeout", "1"]);
    let _client = flood_without_reading(server.port);
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "idle_timeout", "{closed}");
}

#[test]
fn max_conns_makes_further_clients_wait_not_fail() {
    let mut server = Server::start("0", &["--echo", "--max-conns", "1"]);
    let first = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    server.wait_for(|e| e["event"] == "accepted");
    let mut second = TcpStream::connect(("127.0.0.1", server.port)).expect("queued by the kernel");
    second.write_all(b"waiting").expect("write");
    second.shutdown(Shutdown::Write).expect("shutdown");
    server.wait_for(|e| e["event"] == "full");
    thread::sleep(Duration::from_millis(300));
    assert!(
        !server
            .seen
            .iter()
            .any(|e| e["event"] == "accepted" && e["conn"] == 2),
        "the second client must wait while the first holds the only slot"
    );
    drop(first);
    let mut reply = Vec::new();
    second
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    second.read_to_end(&mut reply).expect("echo");
    assert_eq!(reply, b"waiting");
}

#[test]
fn many_concurrent_clients_each_get_exactly_their_own_bytes() {
    const CLIENTS: usize = 200;
    let mut server = Server::start("127.0.0.1:0", &["--echo"]);
    let port = server.port;
    let barrier = Arc::new(Barrier::new(CLIENTS));
    let started = Instant::now();
    let clients: Vec<_> = (0..CLIENTS)
        .map(|i| {
            let barrier = Arc::clone(&barrier);
            thread::spawn(move || {
                // Distinct data of distinct lengths, some well beyond one recv.
                let line = format!("client {i:03} says hello; ");
                let data = line.repeat(1 + (i * 37) % 400).into_bytes();
                barrier.wait();
                let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
                stream
                    .set_read_timeout(Some(Duration::from_secs(20)))
                    .expect("timeout");
                let writer_stream = stream.try_clone().expect("clone");
                let to_send = data.clone();
                // Write on one thread, read on another, so neither side's buffers can deadlock.
                let writer = thread::spawn(move || {
                    let mut w = writer_stream;
                    w.write_all(&to_send).expect("send");
                    w.shutdown(Shutdown::Write).expect("shutdown");
                });
                let mut back = Vec::new();
                stream.read_to_end(&mut back).expect("read echo");
                writer.join().expect("writer");
                assert!(
                    back == data,
                    "client {i} got {} bytes back, sent {}",
                    back.len(),
                    data.len()
                );
                data.len()
            })
        })
        .collect();
    let total: usize = clients
        .into_iter()
        .map(|c| c.join().expect("client thread"))
        .sum();
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    // Still up and answering afterwards.
    let (summary, run) = connect_json(&["127.0.0.1", &port.to_string(), "--send", "after"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "after");
    server.wait_for(|e| e["event"] == "closed" && e["conn"] == CLIENTS as u64 + 1);
    server.interrupt();
    let (code, events, _) = server.finish();
    assert_eq!(code, 130);
    let summary = events.last().expect("summary");
    assert_eq!(summary["connections"], CLIENTS + 1);
    assert_eq!(summary["bytes_in"], total + 5);
    assert_eq!(summary["bytes_out"], total + 5);
}

#[test]
fn non_loopback_bind_warns() {
    let server = Server::start("0.0.0.0:0", &["--once"]);
    let (_, run) = connect_json(&["127.0.0.1", &server.port.to_string(), "--send", "x"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (code, _, stderr) = server.finish();
    assert_eq!(code, 0);
    assert!(
        stderr.contains("warning: listening on 0.0.0.0:"),
        "{stderr}"
    );
}

/// A name binds what CPython's bind((name, port)) would: its first IPv4 address (localhost
/// comes from /etc/hosts, so no DNS is asked).
#[test]
fn serve_binds_a_host_name_as_python_does() {
    let mut server = Server::start("localhost:0", &["--once", "--reply", "hi"]);
    let listening = server.wait_for(|e| e["event"] == "listening");
    assert_eq!(listening["address"], "127.0.0.1", "{listening}");
    let port = server.port.to_string();
    let (summary, run) = connect_json(&["127.0.0.1", &port, "--send", "x"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "hi");
    let (code, _, stderr) = server.finish();
    assert_eq!(code, 0, "{stderr}");
}

/// A name that does not resolve is a lookup failure (exit 1), told in one line. glibc refuses
/// `nosuch!.invalid` without asking DNS, so this stays on the machine.
#[test]
fn serve_on_a_name_that_does_not_resolve_says_why() {
    let run = common::run(["serve", "nosuch!.invalid:80"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // The rest of the message depends on the hosts sources in /etc/nsswitch.conf.
    let lines = run.stderr_lines();
    assert!(
        matches!(&lines[..], [line] if line.starts_with(
            "sockscope: serve: nosuch!.invalid: not a valid host name for DNS"
        ) && line.ends_with("(EAI_NONAME)")),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_listen_addresses_are_usage_errors() {
    for bad in ["::1:80", "localhost:70000", "70000", "[::1]", "a..b:80"] {
        let run = common::run(["serve", bad]);
        assert_eq!(run.code, 2, "{bad}: {}", run.stderr);
        assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
    }
}

#[test]
fn serve_streams_table_rows_as_events_happen() {
    let mut child = Command::new(common::bin())
        .args(["serve", "0", "--once", "--reply", "ok"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    // The listening row must come out before any client exists: the table is not buffered.
    let port: u16 = loop {
        let line = lines.next().expect("a line").expect("text");
        if let Some(at) = line.find("port=") {
            break line[at + 5..].trim().parse().expect("a port number");
        }
    };
    let (summary, run) = connect_json(&["127.0.0.1", &port.to_string(), "--send", "hi"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "ok");
    let rest: Vec<String> = lines.map_while(Result::ok).collect();
    let status = child.wait().expect("serve exits");
    assert!(status.success());
    let events: Vec<&str> = rest
        .iter()
        .filter_map(|l| l.split_whitespace().nth(1))
        .collect();
    assert_eq!(
        events,
        [
            "accepted", "received", "sent", "closed", "stopping", "summary"
        ],
        "{rest:#?}"
    );
    // The summary's detail wraps to stay within 80 columns.
    let summary = rest
        .iter()
        .skip_while(|l| !l.contains(" summary "))
        .map(|l| l.trim())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        summary.contains("connections=1 bytes_in=2 bytes_out=2"),
        "{rest:#?}"
    );
}

#[test]
fn echo_closes_a_connection_at_max_bytes() {
    let mut server = Server::start("0", &["--echo", "--max-bytes", "10", "--recv-size", "4"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream.write_all(b"0123456789abcdef").expect("write");
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "max_bytes");
    // Ten served, then the rest read and dropped so that the close is a FIN, not a RST.
    assert_eq!(closed["bytes_in"], 16);
    let discarded = server.wait_for(|e| e["event"] == "discarded");
    assert_eq!(discarded["bytes"], 6);
    let received: Vec<u64> = server
        .seen
        .iter()
        .filter(|e| e["event"] == "received")
        .filter_map(|e| e["bytes"].as_u64())
        .collect();
    assert!(
        received.iter().all(|&n| n <= 4),
        "--recv-size caps each recv: {received:?}"
    );
    assert_eq!(received.iter().sum::<u64>(), 10);
}

// Limits, and what serve writes, each in a file of its own.
mod limits;
mod output;
