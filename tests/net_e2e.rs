//! End-to-end tests of `socket`, `connect` and `serve` on loopback only: the real binary against real sockets.

mod common;

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;

/// A `sockscope serve` running in the background, its jsonl events read line by line.
struct Server {
    child: Child,
    events: Receiver<Value>,
    seen: Vec<Value>,
    port: u16,
    stderr: Option<std::process::ChildStderr>,
}

impl Server {
    /// Start `serve LISTEN ARGS... --format jsonl` and wait for its `listening` event.
    fn start(listen: &str, args: &[&str]) -> Server {
        let mut child = Command::new(common::bin())
            .arg("serve")
            .arg(listen)
            .args(args)
            .args(["--format", "jsonl"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("sockscope serve starts");
        let stdout = child.stdout.take().expect("piped stdout");
        let stderr = child.stderr.take();
        let (tx, rx) = mpsc::channel();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value: Value = serde_json::from_str(&line)
                    .unwrap_or_else(|e| panic!("event is not JSON ({e}): {line}"));
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let mut server = Server {
            child,
            events: rx,
            seen: Vec::new(),
            port: 0,
            stderr,
        };
        let listening = server.wait_for(|e| e["event"] == "listening");
        server.port = listening["port"].as_u64().expect("listening has a port") as u16;
        assert_ne!(server.port, 0, "port 0 must be replaced by the chosen port");
        server
    }

    /// The next event matching `pred`, within 10 seconds (every event is kept in `seen`).
    fn wait_for(&mut self, pred: impl Fn(&Value) -> bool) -> Value {
        if let Some(found) = self.seen.iter().find(|e| pred(e)) {
            return found.clone();
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.events.recv_timeout(left) {
                Ok(event) => {
                    self.seen.push(event.clone());
                    if pred(&event) {
                        return event;
                    }
                }
                Err(_) => panic!("no such event in time; seen: {:#?}", self.seen),
            }
        }
    }

    /// Send SIGINT, as Ctrl-C in a terminal does.
    fn interrupt(&self) {
        let status = Command::new("kill")
            .args(["-INT", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Wait for the process to exit by itself; return its exit code and every event it printed.
    fn finish(mut self) -> (i32, Vec<Value>, String) {
        let deadline = Instant::now() + Duration::from_secs(10);
        let code = loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                break status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "serve did not exit in time");
            thread::sleep(Duration::from_millis(20));
        };
        while let Ok(event) = self.events.recv_timeout(Duration::from_secs(2)) {
            self.seen.push(event);
        }
        let mut stderr = String::new();
        if let Some(mut err) = self.stderr.take() {
            let _ = err.read_to_string(&mut stderr);
        }
        (code, std::mem::take(&mut self.seen), stderr)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        // A failed test must not leave a server behind.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn connect_json(args: &[&str]) -> (Value, common::Run) {
    let mut all = vec!["connect"];
    all.extend_from_slice(args);
    all.push("--json");
    let run = common::run(&all);
    let records = run.json();
    assert_eq!(records.len(), 1, "one summary record: {}", run.stdout);
    (records[0].clone(), run)
}

fn ipv6_loopback_works() -> bool {
    TcpListener::bind("[::1]:0").is_ok()
}

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

/// A tiny HTTP server that sends its reply in pieces with pauses, as real servers and networks
/// do, so a client that stops at the first short recv gets only part of it.
fn slow_http_server(body_len: usize) -> (u16, Vec<u8>, thread::JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let body: Vec<u8> = (0..body_len).map(|i| b'a' + (i % 26) as u8).collect();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body_len}\r\nConnection: close\r\n\r\n"
    );
    let mut whole = head.clone().into_bytes();
    whole.extend_from_slice(&body);
    let handle = thread::spawn(move || {
        let (mut conn, _) = listener.accept().expect("accept");
        conn.set_read_timeout(Some(Duration::from_secs(10)))
            .expect("timeout");
        let mut request = Vec::new();
        let mut buf = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let n = conn.read(&mut buf).expect("read request");
            assert!(n > 0, "client closed before the end of its request");
            request.extend_from_slice(&buf[..n]);
        }
        conn.set_nodelay(true).expect("nodelay");
        conn.write_all(head.as_bytes()).expect("write head");
        thread::sleep(Duration::from_millis(50));
        for chunk in body.chunks(1000) {
            conn.write_all(chunk).expect("write body");
            thread::sleep(Duration::from_millis(2));
        }
        String::from_utf8_lossy(&request).into_owned()
    });
    (port, whole, handle)
}

#[test]
fn http_reply_much_larger_than_4096_arrives_whole() {
    let (port, whole, server) = slow_http_server(100_000);
    let run = common::run([
        "connect",
        "127.0.0.1",
        &port.to_string(),
        "--http=/big",
        "--raw",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout.len(), whole.len(), "every byte of the reply");
    assert_eq!(run.stdout.as_bytes(), &whole[..]);
    assert!(
        run.stderr.contains("received 100"),
        "summary on stderr: {}",
        run.stderr
    );
    let request = server.join().expect("server thread");
    assert!(request.starts_with("GET /big HTTP/1.1\r\n"), "{request}");
    assert!(
        request.contains(&format!("\r\nHost: 127.0.0.1:{port}\r\n")),
        "{request}"
    );
    assert!(request.contains("\r\nConnection: close\r\n"), "{request}");
}

#[test]
fn http_summary_counts_every_recv() {
    let (port, whole, server) = slow_http_server(20_000);
    let (summary, run) = connect_json(&["127.0.0.1", &port.to_string(), "--http"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["bytes_received"], whole.len());
    assert!(summary["recv_calls"].as_u64().unwrap() >= 3);
    assert_eq!(summary["reply"].as_str().unwrap().as_bytes(), &whole[..]);
    assert!(summary["first_byte_ms"].as_f64().is_some());
    assert!(
        server
            .join()
            .expect("server")
            .starts_with("GET / HTTP/1.1\r\n")
    );
}

/// The path attaches only with `=`: a bare `--http` before HOST and SERVICE leaves them alone
/// and asks for `/`, where it once took HOST as the path.
#[test]
fn http_does_not_take_the_next_word_as_its_path() {
    let (port, _whole, server) = slow_http_server(100);
    let port = port.to_string();
    let run = common::run(["connect", "--http", "127.0.0.1", &port, "--json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.json()[0]["host"], "127.0.0.1");
    let request = server.join().expect("server");
    assert!(request.starts_with("GET / HTTP/1.1\r\n"), "{request}");
}

#[test]
fn the_lectures_recv_loop_truncates_what_connect_reads_whole() {
    // The same server as above, read by the lecture's loop: it stops at the first short recv.
    let (port, whole, server) = slow_http_server(100_000);
    let program = format!(
        "import socket\n\
         s = socket.create_connection(('127.0.0.1', {port}))\n\
         s.sendall(b'GET / HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n')\n\
         buffsize = 4096\n\
         response = b''\n\
         done = False\n\
         while not done:\n\
         \x20   part = s.recv(buffsize)\n\
         \x20   if len(part) < buffsize:\n\
         \x20       done = True\n\
         \x20   response += part\n\
         print(len(response))\n"
    );
    let got: usize = common::python_stdout(&program)
        .trim()
        .parse()
        .expect("a length");
    assert!(
        got < whole.len(),
        "the lecture's loop should stop early here ({got} of {})",
        whole.len()
    );
    let _ = server.join();
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

#[test]
fn refused_port_names_econnrefused_and_exits_4() {
    let port = free_port().to_string();
    let (summary, run) = connect_json(&["127.0.0.1", &port, "--send", "x"]);
    assert_eq!(run.code, 4);
    assert_eq!(summary["attempts"][0]["outcome"], "ECONNREFUSED");
    assert_eq!(summary["error"]["code"], "ECONNREFUSED");
    assert_eq!(summary["end"], "not_connected");
    let lines = run.stderr_lines();
    assert_eq!(lines.len(), 1, "{}", run.stderr);
    assert_eq!(
        lines[0],
        format!("sockscope: connect: 127.0.0.1 port {port}: Connection refused (ECONNREFUSED)")
    );
    // The table form reports it the same way, with the attempt on stdout.
    let table = common::run(["connect", "127.0.0.1", &port]);
    assert_eq!(table.code, 4);
    assert!(table.stdout.contains("ECONNREFUSED"), "{}", table.stdout);
}

#[test]
fn every_address_is_tried_in_order() {
    if !ipv6_loopback_works() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    // A name with both loopback addresses, one of which may refuse: the client moves on.
    let server = Server::start("127.0.0.1:0", &[]);
    let port = server.port;
    let v6_refuses =
        TcpStream::connect(SocketAddr::from(([0, 0, 0, 0, 0, 0, 0, 1], port))).is_err();
    let hosts = common::python_json(
        "[a[4][0] for a in socket.getaddrinfo('localhost', 80, type=socket.SOCK_STREAM)]",
    );
    let (summary, run) = connect_json(&["localhost", &port.to_string(), "--send", "x"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "message received");
    assert_eq!(
        summary["addresses"], hosts,
        "getaddrinfo's order, as Python sees it"
    );
    let attempts = summary["attempts"].as_array().expect("attempts");
    assert_eq!(attempts.last().unwrap()["outcome"], "connected");
    assert_eq!(summary["connected"], "127.0.0.1");
    if v6_refuses && hosts[0] == "::1" {
        assert_eq!(attempts[0]["outcome"], "ECONNREFUSED");
    }
}

#[test]
fn silent_server_times_out_with_etimedout_and_exit_3() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let holder = thread::spawn(move || {
        let (conn, _) = listener.accept().expect("accept");
        thread::sleep(Duration::from_secs(3));
        drop(conn);
    });
    let started = Instant::now();
    let (summary, run) = connect_json(&[
        "127.0.0.1",
        &port.to_string(),
        "--send",
        "hello?",
        "--timeout",
        "0.5",
    ]);
    assert!(
        started.elapsed() < Duration::from_millis(2500),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(summary["end"], "timeout");
    assert_eq!(summary["error"]["code"], "ETIMEDOUT");
    assert_eq!(summary["bytes_received"], 0);
    assert!(run.stderr.contains("(ETIMEDOUT)"), "{}", run.stderr);
    holder.join().expect("holder");
}

#[test]
fn max_bytes_stops_reading() {
    let (port, _whole, server) = slow_http_server(50_000);
    let (summary, run) = connect_json(&[
        "127.0.0.1",
        &port.to_string(),
        "--http",
        "--max-bytes",
        "10K",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["bytes_received"], 10_240);
    assert_eq!(summary["end"], "max_bytes");
    drop(server);
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
    assert_eq!(code, 0);
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
    assert_eq!(code, 0, "{stderr}");
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
    assert_eq!(code, 0);
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
fn socket_defaults_match_python() {
    let (records, run) = common::json(["socket"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let info = &records[0];
    assert_eq!(info["family"], "AF_INET");
    assert_eq!(info["type"], "SOCK_STREAM");
    assert_eq!(info["proto"], 6, "SO_PROTOCOL reads back TCP");
    assert_eq!(info["proto_name"], "IPPROTO_TCP");
    let python = common::python_json(
        "(lambda s: [s.family.name, s.type.name, s.proto, s.fileno(), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), \
           s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), \
           s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)])(socket.socket())",
    );
    let options = &info["options"];
    let ours = serde_json::json!([
        info["family"],
        info["type"],
        info["requested_proto"],
        info["fd"],
        options["SO_RCVBUF"],
        options["SO_SNDBUF"],
        options["SO_REUSEADDR"],
        options["SO_KEEPALIVE"],
        options["TCP_NODELAY"],
        options["TCP_MAXSEG"],
    ]);
    assert_eq!(ours, python);
    assert_eq!(
        options["SO_LINGER"],
        serde_json::json!({"l_onoff": 0, "l_linger": 0})
    );
    assert!(
        options.get("IPV6_V6ONLY").is_none(),
        "no IPv6 option on an IPv4 socket"
    );
}

#[test]
fn socket_inet6_shows_v6only_and_table_lists_options() {
    if !ipv6_loopback_works() {
        eprintln!("skipped: this machine has no IPv6");
        return;
    }
    let (records, run) = common::json(["socket", "-f", "inet6", "-t", "dgram"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(records[0]["proto"], 17);
    let v6only = common::python_json(
        "socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY)",
    );
    assert_eq!(records[0]["options"]["IPV6_V6ONLY"], v6only);
    assert!(records[0]["options"].get("TCP_NODELAY").is_none());
    let table = common::run(["socket", "-f", "inet6"]);
    assert!(table.stdout.contains("IPV6_V6ONLY"), "{}", table.stdout);
    assert!(table.stdout.contains("TCP_NODELAY"), "{}", table.stdout);
}

#[test]
fn unsupported_socket_triple_is_eprotonosupport_exit_4() {
    let run = common::run([
        "socket", "-f", "inet6", "-t", "stream", "-p", "udp", "--json",
    ]);
    assert_eq!(run.code, 4);
    assert_eq!(
        run.stderr_lines(),
        [
            "sockscope: socket: AF_INET6, SOCK_STREAM, IPPROTO_UDP: Protocol not supported (EPROTONOSUPPORT)"
        ]
    );
    assert_eq!(run.json()[0]["error"]["code"], "EPROTONOSUPPORT");
}

#[test]
fn send_escapes_are_checked() {
    let run = common::run(["connect", "127.0.0.1", "1", "--send", r"bad\q"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown escape"), "{}", run.stderr);
}

#[test]
fn raw_socket_without_privileges_is_eperm_exit_4() {
    // setpriv drops CAP_NET_RAW even for root; without setpriv there is nothing to test here.
    let dropped = Command::new("setpriv")
        .args(["--inh-caps=-all", "--bounding-set=-net_raw"])
        .arg(common::bin())
        .args(["socket", "-t", "raw", "-p", "icmp"])
        .stdin(Stdio::null())
        .output();
    let Ok(output) = dropped else {
        eprintln!("skipped: no setpriv");
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("setpriv:") {
        eprintln!("skipped: setpriv cannot drop capabilities here: {stderr}");
        return;
    }
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "sockscope: socket: AF_INET, SOCK_RAW, IPPROTO_ICMP: Operation not permitted (EPERM)"
    );
}

#[test]
fn raw_socket_needs_a_protocol() {
    let run = common::run(["socket", "-t", "raw"]);
    assert_eq!(run.code, 4);
    assert_eq!(
        run.stderr_lines(),
        ["sockscope: socket: AF_INET, SOCK_RAW, 0: Protocol not supported (EPROTONOSUPPORT)"]
    );
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
    assert!(
        rest.last()
            .unwrap()
            .contains("connections=1 bytes_in=2 bytes_out=2")
    );
}

#[test]
fn echo_closes_a_connection_at_max_bytes() {
    let mut server = Server::start("0", &["--echo", "--max-bytes", "10", "--recv-size", "4"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream.write_all(b"0123456789abcdef").expect("write");
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "max_bytes");
    assert_eq!(closed["bytes_in"], 10);
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
}

#[test]
fn reset_by_the_peer_is_econnreset_exit_4() {
    // Closing a socket with unread data makes the kernel send a RST instead of a FIN.
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = thread::spawn(move || {
        let (conn, _) = listener.accept().expect("accept");
        thread::sleep(Duration::from_millis(300));
        drop(conn);
    });
    let (summary, run) = connect_json(&["127.0.0.1", &port.to_string(), "--send", "unread"]);
    server.join().expect("server");
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(summary["error"]["code"], "ECONNRESET");
    assert_eq!(summary["end"], "error");
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "sockscope: connect: 127.0.0.1 port {port}: reading the reply: Connection reset by peer (ECONNRESET)"
        )]
    );
}
