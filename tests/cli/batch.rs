//! End-to-end tests of batch lookups: keys from stdin and files, concurrency, order, streaming.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};

use crate::common::{self, run};

/// Run sockscope with `input` on standard input.
fn run_with_input(args: &[&str], input: &str) -> common::Run {
    let mut child = Command::new(common::bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn sockscope");
    let mut stdin = child.stdin.take().expect("stdin");
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    let output = child.wait_with_output().expect("wait");
    let _ = writer.join();
    common::Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn stdin_keys_skip_blanks_and_comments_and_keep_their_place() {
    let run = run_with_input(
        &["servbyname", "ssh", "-", "domain", "--format", "jsonl"],
        "http\n\n# a comment\n   \nnosuchservice\nhttps\n",
    );
    assert_eq!(run.code, 1);
    let queries: Vec<String> = run
        .jsonl()
        .iter()
        .map(|r| r["query"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(queries, ["ssh", "http", "nosuchservice", "https", "domain"]);
    assert_eq!(run.stderr_lines().len(), 1);
}

#[test]
fn file_keys_follow_command_line_keys() {
    let dir = std::env::temp_dir().join(format!("sockscope-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("ports.txt");
    std::fs::write(&path, "# ports\n80\n443/tcp\n\n70000\n").expect("write keys");
    let run = run([
        "servbyport",
        "22",
        "--file",
        path.to_str().unwrap_or_default(),
        "--json",
    ]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(run.code, 2, "70000 is bad input");
    let records = run.json();
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["name"], "ssh");
    assert_eq!(records[1]["name"], "http");
    assert_eq!(records[2]["name"], "https");
    assert_eq!(records[3]["error"]["code"], "INVALID_INPUT");
}

#[test]
fn missing_file_is_a_usage_error_before_any_lookup() {
    let run = run(["servbyname", "ssh", "--file", "/nonexistent/keys.txt"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
    assert_eq!(
        run.stderr_lines(),
        ["sockscope: --file /nonexistent/keys.txt: No such file or directory"]
    );
}

#[test]
fn many_keys_with_many_jobs_come_out_in_input_order_and_none_is_lost() {
    let ports: Vec<String> = (0..3000).map(|p| (p % 1100).to_string()).collect();
    let input = ports.join("\n");
    for jobs in ["1", "16", "200"] {
        let run = run_with_input(
            &["servbyport", "-", "-j", jobs, "--format", "jsonl"],
            &input,
        );
        let records = run.jsonl();
        assert_eq!(
            records.len(),
            ports.len(),
            "one record per key with -j {jobs}"
        );
        for (record, port) in records.iter().zip(&ports) {
            assert_eq!(record["query"], port.as_str(), "-j {jobs}");
        }
        assert_eq!(run.code, 1, "some ports have no service");
    }
}

#[test]
fn unordered_output_has_every_key_once() {
    let names: Vec<String> = (0..500)
        .map(|i| format!("127.0.{}.{}", i / 250, i % 250))
        .collect();
    let run = run_with_input(
        &[
            "hostbyname",
            "-",
            "-j",
            "32",
            "--unordered",
            "--format",
            "jsonl",
        ],
        &names.join("\n"),
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let mut got: Vec<String> = run
        .jsonl()
        .iter()
        .map(|r| r["address"].as_str().unwrap_or_default().to_string())
        .collect();
    got.sort();
    let mut want = names.clone();
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn addrinfo_reads_host_and_service_lines() {
    let run = run_with_input(
        &["addrinfo", "-", "22", "-t", "stream", "--json"],
        "localhost http\n127.0.0.1\n::1 443\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    let records = run.json();
    let got: Vec<(String, u64)> = records
        .iter()
        .map(|r| {
            (
                r["address"].as_str().unwrap_or_default().to_string(),
                r["port"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("127.0.0.1".to_string(), 80),
            ("127.0.0.1".into(), 22),
            ("::1".into(), 443)
        ]
    );
    assert_eq!(
        records[1]["service"], "22",
        "the command line's SERVICE is the default"
    );
}

#[test]
fn jsonl_streams_before_input_ends() {
    let mut child = Command::new(common::bin())
        .args(["servbyname", "-", "-j", "4", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    for name in ["ssh", "http", "domain"] {
        stdin
            .write_all(format!("{name}\n").as_bytes())
            .expect("write key");
        stdin.flush().expect("flush");
        line.clear();
        // The record arrives while stdin is still open: nothing waits for the end of input.
        stdout.read_line(&mut line).expect("read record");
        assert!(line.contains(&format!("\"query\":\"{name}\"")), "{line}");
    }
    drop(stdin);
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
}

#[test]
fn stats_summarise_outcomes_and_latency() {
    let run = run_with_input(
        &["servbyname", "-", "--stats", "--format", "jsonl"],
        "ssh\nhttp\nnosuch\n",
    );
    assert_eq!(run.code, 1);
    assert_eq!(run.jsonl().len(), 3);
    let stats: Vec<&str> = run
        .stderr_lines()
        .into_iter()
        .filter(|l| l.starts_with("stats: "))
        .collect();
    assert_eq!(stats.len(), 2, "{}", run.stderr);
    assert!(stats[0].contains("3 keys"), "{}", stats[0]);
    assert!(stats[0].contains("2 ok, 1 not found"), "{}", stats[0]);
    assert!(stats[1].contains("p50") && stats[1].contains("p95") && stats[1].contains("max"));
}

#[test]
fn jobs_must_be_a_sensible_number() {
    for jobs in ["0", "-1", "abc", "100000"] {
        let run = run(["servbyname", "ssh", "--jobs", jobs]);
        assert_eq!(run.code, 2, "--jobs {jobs}");
    }
}

#[test]
fn a_long_input_into_a_closed_pipe_ends_quietly() {
    let mut child = Command::new(common::bin())
        .args(["servbyport", "-", "-j", "8", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        for i in 0..200_000u32 {
            if writeln!(stdin, "{}", 22 + i % 2).is_err() {
                break;
            }
        }
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first record");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    let _ = writer.join();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn progress_bar_only_on_a_terminal() {
    // `script` (util-linux) gives sockscope a terminal for stderr; stdout goes to /dev/null.
    let command = format!(
        "seq 1 5000 | {} servbyport - -j 4 --format jsonl >/dev/null",
        common::bin().display()
    );
    let output = Command::new("script")
        .args(["-qec", &command, "/dev/null"])
        .stdin(Stdio::null())
        .output()
        .expect("script(1) from util-linux runs (scripts/test.sh installs it)");
    let screen = String::from_utf8_lossy(&output.stdout);
    assert!(
        screen.contains(" keys, "),
        "a spinner with a count on a terminal: {screen:.300}"
    );

    let piped = run_with_input(
        &["servbyport", "-", "-j", "4", "--format", "jsonl"],
        &"22\n".repeat(5000),
    );
    assert!(
        !piped.stderr.contains(" keys, "),
        "no bar when stderr is not a terminal"
    );
}
