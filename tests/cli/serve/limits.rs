//! `serve`'s bounds, on loopback: slow clients give way, a connection's life ends, sizes keep to their ranges, and what is reported sent arrives.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::{Duration, Instant};

use crate::common;
use crate::common::net::Server;

/// A client that sends one byte a second, as a slow loris does, until told to stop (at most
/// 30 bytes) or the server closes it.
fn slow_loris(port: u16, done: Arc<AtomicBool>) -> thread::JoinHandle<()> {
    thread::spawn(move || {
        let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
            return;
        };
        for _ in 0..30 {
            if done.load(Ordering::SeqCst) {
                break;
            }
            if stream.write_all(b"x").is_err() {
                return;
            }
            thread::sleep(Duration::from_secs(1));
        }
        // Take the echo before closing, so the close is clean.
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let _ = stream.shutdown(Shutdown::Write);
        let _ = stream.read_to_end(&mut Vec::new());
    })
}

/// Twenty clients at a byte a second hold every one of `--max-conns 20` slots; the idle timeout
/// never fires for them. A client that keeps up must still be served within seconds.
#[test]
fn slow_clients_give_way_to_one_that_keeps_up() {
    let mut server = Server::start("127.0.0.1:0", &["--echo", "--max-conns", "20"]);
    let done = Arc::new(AtomicBool::new(false));
    let slow: Vec<_> = (0..20)
        .map(|_| slow_loris(server.port, Arc::clone(&done)))
        .collect();
    server.wait_for(|e| e["event"] == "accepted" && e["conn"] == 20);
    server.wait_for(|e| e["event"] == "full");
    // Let every slow client be older than the rate window.
    thread::sleep(Duration::from_millis(2500));
    let started = Instant::now();
    let mut good = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    good.set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    good.write_all(b"hello").expect("send");
    good.shutdown(Shutdown::Write).expect("shutdown");
    let mut reply = Vec::new();
    good.read_to_end(&mut reply).expect("echo");
    let waited = started.elapsed();
    done.store(true, Ordering::SeqCst);
    assert_eq!(reply, b"hello");
    assert!(waited < Duration::from_secs(5), "served after {waited:?}");
    let slow_closed = server.wait_for(|e| e["event"] == "closed" && e["reason"] == "too_slow");
    assert!(
        slow_closed["conn"].as_u64().unwrap_or(99) <= 20,
        "{slow_closed}"
    );
    for client in slow {
        client.join().expect("slow client");
    }
}

/// Without a client waiting, a slow client is left alone: the rate only counts under pressure.
#[test]
fn a_slow_client_is_left_alone_while_slots_are_free() {
    let mut server = Server::start("127.0.0.1:0", &["--echo", "--idle-timeout", "5"]);
    let done = Arc::new(AtomicBool::new(false));
    let client = slow_loris(server.port, Arc::clone(&done));
    thread::sleep(Duration::from_millis(3500));
    done.store(true, Ordering::SeqCst);
    client.join().expect("slow client");
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "peer_closed", "{closed}");
}

/// A connection busy enough never to be idle still ends at --max-life.
#[test]
fn max_life_ends_a_connection_however_busy() {
    let mut server = Server::start("127.0.0.1:0", &["--echo", "--max-life", "1"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_write_timeout(Some(Duration::from_millis(200)))
        .expect("timeout");
    let started = Instant::now();
    for _ in 0..50 {
        if stream.write_all(b"ping").is_err() {
            break;
        }
        thread::sleep(Duration::from_millis(100));
    }
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "max_life", "{closed}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

/// `--echo` at `--max-bytes` with the client still sending: everything reported in bytes_out
/// reaches the client, which a close with unread input (a RST) used to cut short.
#[test]
fn echo_at_max_bytes_delivers_all_it_reports_sent() {
    const CAP: usize = 16 << 20;
    let mut server = Server::start("127.0.0.1:0", &["--echo", "--max-bytes", "16M"]);
    let stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let mut writer = stream.try_clone().expect("clone");
    writer
        .set_write_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    let sender = thread::spawn(move || {
        let chunk: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
        // 20 MiB, more than the cap; the server reads and drops what is past it.
        for _ in 0..320 {
            if writer.write_all(&chunk).is_err() {
                return;
            }
        }
        let _ = writer.shutdown(Shutdown::Write);
    });
    let mut reader = stream;
    let mut received = 0usize;
    let mut buf = vec![0u8; 64 * 1024];
    let mut mismatch = None;
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                for (i, &b) in buf[..n].iter().enumerate() {
                    let at = received + i;
                    if mismatch.is_none() && b != ((at % (64 * 1024)) % 251) as u8 {
                        mismatch = Some(at);
                    }
                }
                received += n;
            }
            Err(err) => panic!("after {received} bytes: {err}"),
        }
    }
    sender.join().expect("sender");
    let closed = server.wait_for(|e| e["event"] == "closed");
    assert_eq!(closed["reason"], "max_bytes", "{closed}");
    assert_eq!(closed["bytes_out"], CAP as u64, "{closed}");
    assert_eq!(received, CAP, "the client got every byte reported sent");
    assert_eq!(mismatch, None);
}

/// Every size and count has a range clap enforces: one line, exit 2, nothing on stdout; and
/// a recv size that would once have aborted the server is refused before anything runs.
#[test]
fn sizes_and_counts_out_of_range_are_usage_errors() {
    let cases: &[&[&str]] = &[
        &["--recv-size", "18446744073709551615"],
        &["--recv-size", "100000000000"],
        &["--recv-size", "2M"],
        &["--recv-size", "0"],
        &["--max-bytes", "2048G"],
        &["--max-conns", "0"],
        &["--max-conns", "10001"],
        &["--backlog", "70000"],
        &["--min-rate", "2G"],
        &["--max-life", "0"],
        &["--idle-timeout", "-1"],
        &["--udp", "--max-datagrams", "0"],
        &["--max-datagrams", "3"],
    ];
    for case in cases {
        let mut args = vec!["serve", "0", "--format", "jsonl"];
        args.extend_from_slice(case);
        let run = common::run(&args);
        assert_eq!(run.code, 2, "{case:?}: {}", run.stderr);
        assert_eq!(run.stdout, "", "{case:?}");
        assert_eq!(run.stderr_lines().len(), 1, "{case:?}: {}", run.stderr);
    }
}

/// The largest recv size serves, and a client that sends more than one recv holds gets it all.
#[test]
fn the_largest_recv_size_serves() {
    let mut server = Server::start("127.0.0.1:0", &["--echo", "--recv-size", "1M"]);
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("timeout");
    stream.write_all(&[7u8; 3000]).expect("send");
    stream.shutdown(Shutdown::Write).expect("shutdown");
    let mut back = Vec::new();
    match stream.read_to_end(&mut back) {
        Ok(_) => {}
        Err(err) if err.kind() == ErrorKind::WouldBlock => panic!("no echo"),
        Err(err) => panic!("{err}"),
    }
    assert_eq!(back.len(), 3000);
    server.wait_for(|e| e["event"] == "closed" && e["reason"] == "peer_closed");
}

/// The server's resident memory, from /proc.
fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).expect("status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .expect("VmRSS")
}

/// A stdout nobody reads holds the clients back instead of queueing their events in memory:
/// a client's thousands of one-byte recvs leave the server's memory small.
#[test]
fn events_a_stalled_stdout_cannot_take_wait_in_bounded_memory() {
    let mut child = std::process::Command::new(common::bin())
        .args([
            "serve",
            "0",
            "--echo",
            "--recv-size",
            "1",
            "--format",
            "jsonl",
        ])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve starts");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 256];
    let n = stdout.read(&mut first).expect("the listening line");
    let line = String::from_utf8_lossy(&first[..n]).to_string();
    let event: serde_json::Value = serde_json::from_str(line.trim()).expect("JSON");
    let port = event["port"].as_u64().expect("port") as u16;
    // From here stdout is never read again, but stays open.
    let mut client = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    client
        .set_write_timeout(Some(Duration::from_millis(500)))
        .expect("timeout");
    let _ = client.write_all(&vec![b'x'; 400_000]);
    thread::sleep(Duration::from_secs(3));
    let rss = rss_kib(child.id());
    let _ = child.kill();
    let _ = child.wait();
    drop(stdout);
    assert!(rss < 20 * 1024, "{rss} KiB resident");
}
