//! What `serve` writes, on loopback: a closed pipe, signals, usage errors, warnings, 80-column rows, --explain, the Python view, and UDP.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::net::{Server, connect_json, ipv6_loopback_works};

/// `serve 0 --format jsonl | head -1`: the port is there at once, and the server ends as soon
/// as its reader does, with no client ever connecting; the summary goes to stderr, exit 0.
#[test]
fn a_reader_that_goes_away_ends_the_server_at_once() {
    let mut child = Command::new(common::bin())
        .args(["serve", "0", "--format", "jsonl"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("serve starts");
    let mut first = String::new();
    {
        let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
        stdout.read_line(&mut first).expect("the listening line");
    } // the read end closes here, as head's does when it exits
    let event: serde_json::Value = serde_json::from_str(&first).expect("JSON");
    assert_eq!(event["event"], "listening");
    assert!(event["port"].as_u64().unwrap_or(0) > 0);
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("try_wait") {
            break status;
        }
        assert!(
            started.elapsed() < Duration::from_secs(3),
            "serve kept running after its reader left"
        );
        thread::sleep(Duration::from_millis(20));
    };
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .expect("stderr")
        .read_to_string(&mut stderr)
        .expect("stderr");
    assert_eq!(status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("summary: reason=output_closed connections=0"),
        "{stderr}"
    );
}

/// SIGINT, SIGTERM and SIGHUP each end the events with a valid summary and 128 + the signal.
#[test]
fn signals_finish_the_events_and_exit_128_plus_the_signal() {
    for (name, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let server = Server::start("127.0.0.1:0", &["--echo"]);
        let (summary, run) = connect_json(&["127.0.0.1", &server.port.to_string(), "--send", "hi"]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(summary["reply"], "hi");
        server.signal(name);
        let (exit, events, stderr) = server.finish();
        assert_eq!(exit, code, "SIG{name}: {stderr}");
        let last = events.last().expect("events");
        assert_eq!(last["event"], "summary", "SIG{name}");
        assert_eq!(last["reason"], "signal");
        assert_eq!(last["bytes_out"], 2);
    }
}

/// `--json` under a signal is still one whole JSON array.
#[test]
fn json_array_is_closed_when_a_signal_stops_the_server() {
    let child = Command::new(common::bin())
        .args(["serve", "0", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    thread::sleep(Duration::from_millis(500));
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("exits");
    assert_eq!(output.status.code(), Some(143));
    let events: Vec<serde_json::Value> =
        serde_json::from_slice(&output.stdout).expect("one whole JSON array");
    assert_eq!(
        events.first().map(|e| e["event"].clone()),
        Some("listening".into())
    );
    assert_eq!(
        events.last().map(|e| e["event"].clone()),
        Some("summary".into())
    );
}

/// Bad addresses, and an address that is not this machine's: one line ending in its code on
/// stderr, nothing on stdout in any format, exit 2.
#[test]
fn usage_errors_print_one_coded_line_and_nothing_on_stdout() {
    let cases = [
        ("203.0.113.5:0", "(EADDRNOTAVAIL)"),
        ("70000", "(INVALID_INPUT)"),
        ("::1:80", "(INVALID_INPUT)"),
        ("[::1]", "(INVALID_INPUT)"),
        ("a..b:80", "(INVALID_INPUT)"),
    ];
    for (listen, code) in cases {
        for format in ["table", "json", "jsonl", "python"] {
            let run = common::run(["serve", listen, "--format", format, "--explain"]);
            assert_eq!(run.code, 2, "{listen} {format}: {}", run.stderr);
            assert_eq!(run.stdout, "", "{listen} {format}");
            let lines = run.stderr_lines();
            assert!(
                matches!(&lines[..], [line] if line.starts_with("sockscope: serve: ") && line.ends_with(code)),
                "{listen} {format}: {}",
                run.stderr
            );
        }
    }
    let run = common::run(["serve", "0", "--reply", r"\q", "--json"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(
        run.stderr.trim_end().ends_with("(INVALID_INPUT)"),
        "{}",
        run.stderr
    );
}

/// `[::ffff:127.0.0.1]` is loopback written as IPv6: nothing to warn about.
#[test]
fn ipv4_mapped_loopback_is_not_reachable_from_elsewhere() {
    if !ipv6_loopback_works() {
        eprintln!("skipped: this machine has no IPv6");
        return;
    }
    let server = Server::start("[::ffff:127.0.0.1]:0", &["--once", "--reply", "ok"]);
    let (summary, run) = connect_json(&["127.0.0.1", &server.port.to_string(), "--send", "x"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["reply"], "ok");
    let (code, _, stderr) = server.finish();
    assert_eq!(code, 0);
    assert!(!stderr.contains("warning"), "{stderr}");
}

/// Run `serve ARGS` with stdout piped, let `client` talk to the port from its first line, and
/// return everything it printed once it stopped (the args end it: --once, --max-datagrams).
fn run_serve_with(args: &[&str], client: impl FnOnce(u16)) -> String {
    let mut child = Command::new(common::bin())
        .arg("serve")
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut text = String::new();
    let port = loop {
        let mut line = String::new();
        assert!(stdout.read_line(&mut line).expect("a line") > 0, "{text}");
        text.push_str(&line);
        if let Some(at) = line.find("port=") {
            break line[at + 5..].trim().parse().expect("a port");
        }
        if line.starts_with(">>> s.getsockname()") {
            let mut answer = String::new();
            stdout.read_line(&mut answer).expect("getsockname's answer");
            text.push_str(&answer);
            let port = answer.trim().trim_end_matches(')').rsplit(", ").next();
            break port.and_then(|p| p.parse().ok()).expect("a port");
        }
    };
    client(port);
    stdout.read_to_string(&mut text).expect("the rest");
    let status = child.wait().expect("exits");
    assert!(status.success(), "{text}");
    text
}

fn send_and_read(port: u16, data: &[u8]) -> Vec<u8> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    stream.write_all(data).expect("send");
    stream
        .shutdown(std::net::Shutdown::Write)
        .expect("shutdown");
    let mut back = Vec::new();
    stream.read_to_end(&mut back).expect("reply");
    back
}

/// Table rows fit 80 columns off a terminal, and what a client sends never reaches it raw.
#[test]
fn table_rows_fit_80_columns() {
    let text = run_serve_with(&["0", "--once", "--echo"], |port| {
        assert_eq!(send_and_read(port, b"\x1b[31mred"), b"\x1b[31mred");
    });
    for line in text.lines() {
        assert!(line.chars().count() <= 80, "{} columns: {line}", line.len());
    }
    assert!(!text.contains('\u{1b}'));
    assert!(text.contains("reason=peer_closed bytes_in=8"), "{text}");
}

/// `--format python`: the REPL session the lecture's server is, event by event, with the data
/// as Python's repr shows it (checked against python3's own repr).
#[test]
fn python_format_is_the_lectures_session() {
    let payload = b"GET /\r\n\x1b[31m'";
    let text = run_serve_with(&["0", "--once", "--format", "python"], |port| {
        assert_eq!(send_and_read(port, payload), b"message received");
    });
    let python = Command::new("python3")
        .args([
            "-c",
            "import sys; print(repr(bytes.fromhex(sys.argv[1])[:16]))",
        ])
        .arg(
            payload
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>(),
        )
        .output()
        .expect("python3 runs");
    let repr = String::from_utf8_lossy(&python.stdout).trim().to_string();
    let lines: Vec<&str> = text.lines().collect();
    let at = |prefix: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no {prefix}: {text}"))
    };
    assert_eq!(
        &lines[..4],
        [
            ">>> import socket",
            ">>> s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)",
            ">>> s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            ">>> s.bind(('127.0.0.1', 0))",
        ]
    );
    assert_eq!(lines[4], ">>> s.listen(128)");
    let accepted = at(">>> conn1, addr = s.accept()");
    assert_eq!(lines[accepted + 1], ">>> addr");
    assert!(lines[accepted + 2].starts_with("('127.0.0.1', "), "{text}");
    let received = at(">>> data = conn1.recv(16)");
    assert_eq!(lines[received + 1], ">>> data");
    assert_eq!(lines[received + 2], repr);
    at(">>> conn1.sendall(b'message received')");
    at(">>> conn1.close()  # replied");
    assert!(!text.contains('\u{1b}'));
}

/// `--explain` shows the lecture's server lines and the C calls above the table.
#[test]
fn explain_shows_the_lectures_server_and_the_c_calls() {
    let text = run_serve_with(&["127.0.0.1:0", "--once", "--explain"], |port| {
        send_and_read(port, b"hi");
    });
    let block: Vec<&str> = text.lines().take_while(|l| !l.is_empty()).collect();
    insta::assert_snapshot!("serve_explain", block.join("\n"));
    for line in &block {
        assert!(line.chars().count() <= 80, "{line}");
    }
}

/// `serve --udp`: each datagram an event, echoed to its sender, ended by --max-datagrams.
#[test]
fn udp_echoes_each_datagram_and_stops_at_max_datagrams() {
    let server = Server::start("127.0.0.1:0", &["--udp", "--echo", "--max-datagrams", "3"]);
    let client = UdpSocket::bind("127.0.0.1:0").expect("bind");
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    for text in ["one", "two", "three"] {
        client
            .send_to(text.as_bytes(), ("127.0.0.1", server.port))
            .expect("send");
        let mut buf = [0u8; 64];
        let (n, from) = client.recv_from(&mut buf).expect("the echo");
        assert_eq!(&buf[..n], text.as_bytes());
        assert_eq!(from.port(), server.port);
    }
    let (code, events, stderr) = server.finish();
    assert_eq!(code, 0, "{stderr}");
    let me = client.local_addr().expect("addr").to_string();
    let datagrams: Vec<_> = events.iter().filter(|e| e["event"] == "datagram").collect();
    assert_eq!(datagrams.len(), 3);
    assert_eq!(datagrams[2]["datagram"], 3);
    assert_eq!(datagrams[2]["peer"], me);
    assert_eq!(datagrams[2]["bytes"], 5);
    assert_eq!(events.iter().filter(|e| e["event"] == "replied").count(), 3);
    let summary = events.last().expect("summary");
    assert_eq!(summary["reason"], "max_datagrams");
    assert_eq!(summary["datagrams"], 3);
    assert_eq!(summary["bytes_in"], 11);
    assert_eq!(summary["bytes_out"], 11);
}

/// `serve --udp` answers as the lecture's recvfrom(16) would: a longer datagram is cut.
#[test]
fn udp_reply_reads_16_bytes_and_answers() {
    let server = Server::start("127.0.0.1:0", &["--udp", "--once"]);
    let client = UdpSocket::bind("127.0.0.1:0").expect("bind");
    client
        .set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    client
        .send_to(
            b"a datagram longer than sixteen bytes",
            ("127.0.0.1", server.port),
        )
        .expect("send");
    let mut buf = [0u8; 64];
    let (n, _) = client.recv_from(&mut buf).expect("the reply");
    assert_eq!(&buf[..n], b"message received");
    let (code, events, _) = server.finish();
    assert_eq!(code, 0);
    let datagram = events
        .iter()
        .find(|e| e["event"] == "datagram")
        .expect("one");
    assert_eq!(datagram["bytes"], 16);
    assert_eq!(events.last().expect("summary")["reason"], "once");
}

/// A stdout that fails (a full disk) is an error, exit 4, unlike a reader going away; the
/// summary still reaches stderr.
#[test]
fn a_failing_stdout_is_an_error_with_the_summary_on_stderr() {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let output = Command::new(common::bin())
        .args(["serve", "0", "--format", "jsonl"])
        .stdin(Stdio::null())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("serve runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 2, "{stderr}");
    assert!(
        lines[0].contains("summary: reason=output_closed"),
        "{stderr}"
    );
    assert!(lines[1].ends_with("(ENOSPC)"), "{stderr}");
}
