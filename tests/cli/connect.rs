//! `connect` on loopback only: whole replies from slow servers, HTTP, every address in turn, and each way a connection fails.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::net::{Server, connect_json, ipv6_loopback_works};

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
fn send_escapes_are_checked() {
    let run = common::run(["connect", "127.0.0.1", "1", "--send", r"bad\q"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown escape"), "{}", run.stderr);
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
