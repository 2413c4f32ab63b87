//! `connect` against hostile and careless peers on loopback: one deadline, both directions at once, bounded memory, nothing lost on Ctrl-C, usage errors that print nothing.

use std::io::Read;
use std::os::unix::process::ExitStatusExt;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::net::connect_json;
use crate::connect_peers::*;

/// `--timeout` is one deadline: a peer that never reads makes every send block, and the run
/// still ends at the deadline (it once took three times as long, one timeout per call).
#[test]
fn timeout_is_a_deadline_against_a_peer_that_never_reads() {
    let port = tcp_peer(1, deaf).to_string();
    let started = Instant::now();
    let (summary, run) = connect_json(&[
        "127.0.0.1",
        &port,
        "--send-file",
        "/dev/zero",
        "--timeout",
        "1.5",
    ]);
    let took = started.elapsed();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(summary["error"]["code"], "ETIMEDOUT");
    assert_eq!(summary["end"], "timeout");
    assert!(summary["bytes_sent"].as_u64().unwrap() > 0);
    assert!(took < Duration::from_millis(3500), "took {took:?}");
    assert_eq!(
        run.stderr_lines(),
        [format!(
            "sockscope: connect: 127.0.0.1 port {port}: sending the request: timed out after 1.5 s (ETIMEDOUT)"
        )]
    );
}

/// A reader that takes 1 KiB now and then keeps every send call short of its timeout; the
/// deadline still holds.
#[test]
fn timeout_is_a_deadline_against_a_slow_reader() {
    let port = tcp_peer(1, slow_reader).to_string();
    let started = Instant::now();
    let (summary, run) = connect_json(&[
        "127.0.0.1",
        &port,
        "--send-file",
        "/dev/zero",
        "--timeout",
        "1.5",
    ]);
    let took = started.elapsed();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(summary["end"], "timeout");
    assert!(took < Duration::from_millis(3500), "took {took:?}");
}

/// A byte every 100 ms resets any per-recv timeout; the deadline still holds.
#[test]
fn timeout_is_a_deadline_against_a_slow_writer() {
    let port = tcp_peer(1, trickle).to_string();
    let started = Instant::now();
    let (summary, run) = connect_json(&["127.0.0.1", &port, "--send", "x", "--timeout", "1"]);
    let took = started.elapsed();
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(summary["end"], "timeout");
    assert!(
        summary["bytes_received"].as_u64().unwrap() >= 3,
        "{summary}"
    );
    assert!(took < Duration::from_millis(3000), "took {took:?}");
}

/// `--idle-timeout` ends a silence, not a slow but steady peer.
#[test]
fn idle_timeout_ends_a_silence() {
    let port = tcp_peer(2, first_part).to_string();
    let started = Instant::now();
    let (summary, run) =
        connect_json(&["127.0.0.1", &port, "--send", "x", "--idle-timeout", "0.5"]);
    assert_eq!(run.code, 3, "{}", run.stderr);
    assert_eq!(summary["end"], "idle");
    assert_eq!(summary["reply"], "first part\n");
    assert!(started.elapsed() < Duration::from_secs(3));
    assert!(
        run.stderr
            .contains("nothing sent or received: timed out after 0.5 s")
    );
}

/// 12 MB to an echo server: sending everything before reading once filled both directions'
/// buffers and deadlocked until the timeout.
#[test]
fn twelve_megabytes_to_an_echo_server_come_back_whole() {
    let port = tcp_peer(1, echo).to_string();
    let dir = std::env::temp_dir().join(format!("sockscope-12m-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let file = dir.join("request");
    let request: Vec<u8> = (0..12_000_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&file, &request).expect("write request");
    let mut child = spawn(&[
        "connect",
        "127.0.0.1",
        &port,
        "--send-file",
        file.to_str().unwrap(),
        "--raw",
        "--max-bytes",
        "100M",
        "--timeout",
        "30",
    ]);
    let mut reply = Vec::new();
    child
        .stdout
        .take()
        .unwrap()
        .read_to_end(&mut reply)
        .expect("read");
    let status = wait_bounded(&mut child, Duration::from_secs(30));
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(status.code(), Some(0));
    assert_eq!(reply.len(), request.len());
    assert!(reply == request, "the echo differs from the request");
}

/// `--send-file /dev/zero` streams: 256 MiB through an echo server with `--raw` costs a few
/// buffers, not the size of the request or of the reply.
#[test]
fn dev_zero_streams_in_bounded_memory() {
    let port = tcp_peer(1, echo).to_string();
    let mut child = spawn(&[
        "connect",
        "127.0.0.1",
        &port,
        "--send-file",
        "/dev/zero",
        "--max-send",
        "256M",
        "--max-bytes",
        "256M",
        "--raw",
        "--timeout",
        "60",
    ]);
    let pid = child.id();
    let mut stdout = child.stdout.take().unwrap();
    let mut buf = vec![0u8; 1 << 20];
    let (mut total, mut peak) = (0u64, 0u64);
    loop {
        let n = stdout.read(&mut buf).expect("read");
        if n == 0 {
            break;
        }
        total += n as u64;
        peak = peak.max(peak_rss_kib(pid).unwrap_or(0));
    }
    let status = wait_bounded(&mut child, Duration::from_secs(60));
    assert_eq!(status.code(), Some(0));
    assert_eq!(total, 256 << 20);
    assert!(peak > 0, "VmHWM was read");
    assert!(peak < 48 * 1024, "peak RSS {peak} KiB");
}

/// Nothing to send: connect, read the banner within --banner-wait, report, exit 0.
#[test]
fn with_nothing_to_send_it_reads_the_banner_and_exits_0() {
    let port = tcp_peer(2, banner).to_string();
    let started = Instant::now();
    let (summary, run) = connect_json(&["127.0.0.1", &port, "--banner-wait", "0.5"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["end"], "waited");
    assert_eq!(summary["reply"], "220 lab ESMTP ready\r\n");
    assert_eq!(summary["bytes_sent"], 0);
    assert!(summary["error"].is_null());
    assert!(run.stderr.is_empty(), "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(3));
    // A silent server is still a port that answered.
    let quiet = tcp_peer(1, deaf).to_string();
    let (summary, run) = connect_json(&["127.0.0.1", &quiet, "--banner-wait", "0.3"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(summary["bytes_received"], 0);
    // And the table says so.
    let table = common::run(["connect", "127.0.0.1", &port, "--banner-wait", "0.3"]);
    assert_eq!(table.code, 0);
    assert!(
        table.stdout.contains("220 lab ESMTP ready"),
        "{}",
        table.stdout
    );
}

/// `--raw` writes each piece as it arrives; Ctrl-C keeps it, and the process ends by SIGINT.
#[test]
fn raw_streams_and_sigint_keeps_what_arrived() {
    for format in ["table", "json"] {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port().to_string();
        let (accepted, connected) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            if let Ok((conn, _)) = listener.accept() {
                let _ = accepted.send(());
                first_part(conn);
            }
        });
        let mut args = vec![
            "connect",
            "127.0.0.1",
            &port,
            "--send",
            "x",
            "--format",
            format,
        ];
        if format == "table" {
            args.push("--raw");
        }
        let mut child = spawn(&args);
        let mut stdout = child.stdout.take().unwrap();
        let mut got = Vec::new();
        if format == "table" {
            // The first part comes through before the reply has ended.
            let mut buf = [0u8; 64];
            while !got.ends_with(b"first part\n") {
                let n = stdout.read(&mut buf).expect("read");
                assert!(n > 0, "stdout closed early: {got:?}");
                got.extend_from_slice(&buf[..n]);
            }
        } else {
            connected
                .recv_timeout(Duration::from_secs(10))
                .expect("connect reached the peer");
            // The signal handlers are set once connect(2) returns: give it a moment.
            std::thread::sleep(Duration::from_millis(300));
        }
        let kill = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("kill");
        assert!(kill.success());
        stdout.read_to_end(&mut got).expect("read rest");
        let status = wait_bounded(&mut child, Duration::from_secs(5));
        assert_eq!(status.signal(), Some(libc::SIGINT), "{format}: {status:?}");
        if format == "table" {
            assert_eq!(got, b"first part\n");
        } else {
            let records: serde_json::Value = serde_json::from_slice(&got).expect("whole JSON");
            assert_eq!(records[0]["reply"], "first part\n");
            assert_eq!(records[0]["end"], "interrupted");
        }
    }
}

/// Every size and count has a range clap enforces: exit 2, one line, nothing on stdout.
#[test]
fn sizes_out_of_range_are_usage_errors() {
    let port = free_port().to_string();
    let cases: &[&[&str]] = &[
        &["--recv-size", "18446744073709551615"],
        &["--recv-size", "1e11"],
        &["--recv-size", "0"],
        &["--recv-size", "17M"],
        &["--max-bytes", "18446744073709551615"],
        &["--max-bytes", "1025G", "--raw"],
        &["--max-bytes", "2G"],
        &["--max-send", "0"],
        &["--udp", "--datagrams", "0"],
        &["--udp", "--datagrams", "10001"],
        &["--datagrams", "2"],
        &["--timeout", "0"],
        &["--idle-timeout", "-1"],
        &["--banner-wait", "nan"],
        &["-f", "unix"],
        &["-4", "-f", "inet6"],
    ];
    for extra in cases {
        for format in ["table", "json", "jsonl", "python"] {
            let mut args = vec!["connect", "127.0.0.1", &port, "--format", format];
            args.extend_from_slice(extra);
            let run = common::run(&args);
            assert_eq!(run.code, 2, "{args:?}: {}", run.stderr);
            assert_eq!(run.stdout, "", "{args:?}");
            assert_eq!(run.stderr_lines().len(), 1, "{args:?}: {}", run.stderr);
        }
    }
}

/// A request file that cannot be read is a usage error found before connecting: one line
/// naming the errno (EISDIR, not ERRNO_21), nothing on stdout in any format.
#[test]
fn unreadable_send_file_is_a_usage_error_in_every_format() {
    let port = tcp_peer(1, echo).to_string();
    let cases = [
        ("/", "Is a directory (EISDIR)"),
        ("/nonexistent/request", "No such file or directory (ENOENT)"),
    ];
    for (path, says) in cases {
        for format in ["table", "json", "jsonl", "python"] {
            let run = common::run([
                "connect",
                "127.0.0.1",
                &port,
                "--send-file",
                path,
                "--format",
                format,
            ]);
            assert_eq!(run.code, 2, "{path} {format}: {}", run.stderr);
            assert_eq!(run.stdout, "", "{path} {format}");
            assert_eq!(
                run.stderr_lines(),
                [format!("sockscope: connect: {path}: {says}")]
            );
        }
    }
}

/// CR and LF in `--http=PATH` (or in the host that goes into `Host:`) would let the user's
/// text become headers or a second request: refused as bad input before anything is sent.
#[test]
fn http_refuses_control_characters() {
    let port = free_port().to_string();
    for path in [
        "--http=/a\r\nX-Injected: 1",
        "--http=/a b",
        "--http=/\u{7f}",
        "--http=",
    ] {
        for format in ["table", "json"] {
            let run = common::run(["connect", "127.0.0.1", &port, path, "--format", format]);
            assert_eq!(run.code, 2, "{path:?}: {}", run.stderr);
            assert_eq!(run.stdout, "");
            assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
        }
    }
    let run = common::run(["connect", "host\r\nX: 1", &port, "--http", "--json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("control characters"), "{}", run.stderr);
}

/// `--stdin` is read as it is sent, and the echo comes back whole.
#[test]
fn stdin_is_streamed_to_the_peer() {
    let port = tcp_peer(1, echo).to_string();
    let input = "line\n".repeat(50_000);
    let run = common::run_with_input(
        [
            "connect",
            "127.0.0.1",
            &port,
            "--stdin",
            "--raw",
            "--max-bytes",
            "1M",
        ],
        &input,
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, input);
    assert!(run.stderr.contains("sent 250000 bytes"), "{}", run.stderr);
}
