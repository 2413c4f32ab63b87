//! `connect` and `socket` as the lecture shows them: replies a terminal can show safely, families and brackets, Python's reprs and session, `--explain`, UDP, 80 columns.

use base64::Engine;

use crate::common;
use crate::common::net::{connect_json, ipv6_loopback_works};
use crate::connect_peers::*;

/// A server's escape sequences are shown, not obeyed; `--raw` keeps them exact; JSON keeps
/// the exact bytes in base64 beside the lossy text.
#[test]
fn peer_control_characters_are_escaped_in_the_table_only() {
    let port = tcp_peer(3, hostile).to_string();
    let table = common::run(["connect", "127.0.0.1", &port, "--send", "x"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(!table.stdout.contains('\x1b'), "{:?}", table.stdout);
    assert!(!table.stdout.contains('\x07'));
    assert!(
        table
            .stdout
            .contains("\\x1b[31mred\\x1b[0m\\x1b]0;title\\x07 \\xff\\xfe\r\nend\n"),
        "{:?}",
        table.stdout
    );
    let raw = std::process::Command::new(common::bin())
        .args(["connect", "127.0.0.1", &port, "--send", "x", "--raw"])
        .output()
        .expect("runs");
    assert_eq!(raw.stdout, HOSTILE);
    let (summary, run) = connect_json(&["127.0.0.1", &port, "--send", "x"]);
    assert_eq!(run.code, 0);
    assert_eq!(summary["reply_is_utf8"], false);
    let exact = base64::engine::general_purpose::STANDARD
        .decode(summary["reply_base64"].as_str().expect("reply_base64"))
        .expect("base64");
    assert_eq!(exact, HOSTILE);
}

#[test]
fn utf8_replies_have_no_base64() {
    let port = tcp_peer(1, echo).to_string();
    let (summary, _) = connect_json(&["127.0.0.1", &port, "--send", "héllo"]);
    assert_eq!(summary["reply"], "héllo");
    assert!(summary.get("reply_base64").is_none(), "{summary}");
}

/// `connect '[::1]' PORT` as `serve '[::1]:PORT'` takes it, and the family options agree.
#[test]
fn brackets_and_family_options() {
    if !ipv6_loopback_works() {
        eprintln!("skipped: this machine has no IPv6 loopback");
        return;
    }
    let port = tcp_peer_on("[::1]:0", 3, echo).to_string();
    for args in [
        vec!["[::1]", &port],
        vec!["::1", &port, "-6"],
        vec!["::1", &port, "-f", "inet6"],
    ] {
        let mut args = args.clone();
        args.extend(["--send", "v6"]);
        let (summary, run) = connect_json(&args);
        assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
        assert_eq!(summary["connected"], "::1");
        assert_eq!(summary["reply"], "v6");
        assert_eq!(summary["attempts"][0]["family"], "AF_INET6");
    }
    // An IPv4 literal has no IPv6 address: getaddrinfo refuses before any attempt.
    let (summary, run) = connect_json(&["127.0.0.1", &port, "-f", "inet6"]);
    assert_ne!(run.code, 0);
    assert_eq!(summary["attempts"], serde_json::json!([]));
    // socket takes -4 and -6 too.
    let (records, run) = common::json(["socket", "-6"]);
    assert_eq!(run.code, 0);
    assert_eq!(records[0]["family"], "AF_INET6");
    let (records, _) = common::json(["socket", "-4", "-t", "dgram"]);
    assert_eq!(records[0]["family"], "AF_INET");
}

/// `socket --format python` is `repr(sock)` exactly as python3 prints it, for each family
/// and type sockscope spells out.
#[test]
fn socket_python_repr_matches_python() {
    let cases: &[(&[&str], &str)] = &[
        (&[], "socket.socket()"),
        (&["-t", "dgram"], "socket.socket(type=socket.SOCK_DGRAM)"),
        (&["-p", "tcp"], "socket.socket(proto=6)"),
        (&["-f", "unix"], "socket.socket(socket.AF_UNIX)"),
        (
            &["-f", "unix", "-t", "dgram"],
            "socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)",
        ),
        (&["-6"], "socket.socket(socket.AF_INET6)"),
        (
            &["-6", "-t", "dgram"],
            "socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)",
        ),
    ];
    for (args, python) in cases {
        if args.contains(&"-6") && !ipv6_loopback_works() {
            continue;
        }
        let mut all = vec!["socket", "--format", "python"];
        all.extend_from_slice(args);
        let ours = common::run(&all);
        assert_eq!(ours.code, 0, "{all:?}: {}", ours.stderr);
        let theirs = common::python_stdout(&format!("import socket\nprint(repr({python}))"));
        assert_eq!(ours.stdout, theirs, "{all:?}");
    }
    let refused = common::run(["socket", "-6", "-p", "udp", "--format", "python"]);
    let theirs = common::python_program(
        "import socket\ntry:\n    socket.socket(socket.AF_INET6, socket.SOCK_STREAM, 17)\n\
         except OSError as e:\n    print(f'OSError: {e}')",
    );
    assert_eq!(refused.stdout, theirs.stdout);
}

/// `connect --format python` prints what the session `--explain` shows prints: the session
/// is run by python3 against the same server and its reply's repr compared.
#[test]
fn connect_python_is_what_the_lectures_session_prints() {
    let port = tcp_peer(3, hostile).to_string();
    let ours = common::run([
        "connect",
        "127.0.0.1",
        &port,
        "--send",
        "x",
        "--format",
        "python",
    ]);
    assert_eq!(ours.code, 0, "{}", ours.stderr);
    let (summary, _) = connect_json(&["127.0.0.1", &port, "--send", "x", "--explain"]);
    let session = summary["call"]["python"].as_str().expect("call.python");
    let theirs = common::python_stdout(&format!("import socket\n{session}\nprint(repr(reply))"));
    assert_eq!(ours.stdout, theirs);
    // A refusal is the exception the session raises.
    let closed = free_port().to_string();
    let refused = common::run(["connect", "127.0.0.1", &closed, "--format", "python"]);
    assert_eq!(refused.code, 4);
    assert_eq!(
        refused.stdout,
        "ConnectionRefusedError: [Errno 111] Connection refused\n"
    );
}

/// The explanation, pinned with the port taken out.
#[test]
fn connect_explain_is_pinned() {
    let port = tcp_peer(2, echo);
    let port_text = port.to_string();
    let args = [
        "connect",
        "127.0.0.1",
        &port_text,
        "--send",
        "hello",
        "--explain",
    ];
    let table = common::run(args);
    assert_eq!(table.code, 0, "{}", table.stderr);
    let block: String = table
        .stdout
        .split("\naddress ")
        .next()
        .unwrap_or_default()
        .replace(&port_text, "PORT");
    insta::assert_snapshot!("connect_explain_table", block);
    let python = common::run(
        args.iter()
            .copied()
            .chain(["--format", "python"])
            .collect::<Vec<_>>(),
    );
    insta::assert_snapshot!(
        "connect_explain_python",
        python.stdout.replace(&port_text, "PORT")
    );
    for line in table.stdout.lines() {
        assert!(line.chars().count() <= 80, "{} columns: {line}", line.len());
    }
}

/// `--udp`: one datagram out, each reply datagram reported, within the deadline.
#[test]
fn udp_round_trips() {
    let port = udp_echo(1, 2).to_string();
    let (summary, run) = connect_json(&[
        "127.0.0.1",
        &port,
        "--udp",
        "--send",
        "ping",
        "--datagrams",
        "2",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["protocol"], "udp");
    assert_eq!(summary["end"], "datagrams");
    let datagrams = summary["datagrams"].as_array().expect("datagrams");
    assert_eq!(datagrams.len(), 2);
    assert_eq!(datagrams[0]["text"], "ping");
    assert_eq!(datagrams[1]["bytes"], 4);
    assert_eq!(summary["bytes_sent"], 4);
    let port = udp_echo(1, 1).to_string();
    let python = common::run([
        "connect",
        "127.0.0.1",
        &port,
        "--udp",
        "--send",
        "ping",
        "--format",
        "python",
    ]);
    assert_eq!(python.stdout, "4\nb'ping'\n");
    let port = udp_echo(1, 1).to_string();
    let table = common::run(["connect", "127.0.0.1", &port, "--udp", "--send", "ping"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("datagram 1"), "{}", table.stdout);
}

/// A request too long for one datagram is a usage error before anything is sent.
#[test]
fn udp_request_must_fit_a_datagram() {
    let port = free_port().to_string();
    let long = "x".repeat(65_508);
    let run = common::run([
        "connect",
        "127.0.0.1",
        &port,
        "--udp",
        "--send",
        &long,
        "--json",
    ]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr_lines(),
        ["sockscope: connect: a UDP request is one datagram of at most 65507 bytes, not 65508"]
    );
}

#[test]
fn udp_refused_and_silent() {
    let closed = free_port().to_string();
    let (summary, run) = connect_json(&["127.0.0.1", &closed, "--udp", "--send", "x"]);
    assert_eq!(run.code, 4, "{}", run.stderr);
    assert_eq!(summary["error"]["code"], "ECONNREFUSED");
    let (port, _socket) = udp_silent();
    let started = std::time::Instant::now();
    let (summary, run) = connect_json(&[
        "127.0.0.1",
        &port.to_string(),
        "--udp",
        "--send",
        "x",
        "--timeout",
        "0.8",
    ]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(summary["end"], "timeout");
    assert!(started.elapsed() < std::time::Duration::from_secs(3));
}

/// Every line of the table fits 80 columns, IPv6 attempts included.
#[test]
fn tables_fit_80_columns() {
    let mut outputs = vec![common::run(["socket", "-f", "inet6"]).stdout];
    if ipv6_loopback_works() {
        let port = tcp_peer_on("[::1]:0", 1, echo).to_string();
        outputs.push(common::run(["connect", "::1", &port, "--send", "x"]).stdout);
    }
    let closed = free_port().to_string();
    outputs.push(common::run(["connect", "localhost", &closed]).stdout);
    for output in outputs {
        for line in output.lines() {
            assert!(line.chars().count() <= 80, "{} columns: {line}", line.len());
        }
    }
}
