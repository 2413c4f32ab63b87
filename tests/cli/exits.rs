//! How runs end: usage errors, closed and full outputs, broken pipes and signals, each with its
//! documented exit code and one line on stderr.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::common::{self, run, sh};

fn run_with_input(args: &[&str], input: &str) -> common::Run {
    common::run_with_input(args, input)
}

/// A usage error of the command as a whole: one line on stderr, nothing on stdout in any
/// format, exit 2.
#[test]
fn usage_errors_print_nothing_on_stdout_in_every_format() {
    let dir = std::env::temp_dir();
    let dir = dir.to_str().unwrap_or("/tmp");
    let cases: &[&[&str]] = &[
        &["servbyname"],
        &["servbyname", "ssh", "--file", "/nonexistent/keys"],
        &["servbyname", "ssh", "--file", dir],
        &["servbyname", "ssh", "--jobs", "0"],
        &["servbyname", "ssh", "--jobs", "4097"],
        &["servbyname", "ssh", "--timeout", "1e-320"],
        &["servbyname", "ssh", "--timeout", "1e-10"],
        &["servbyname", "ssh", "--timeout", "0.0009"],
        &["hostbyname", "localhost", "--timeout", "86401"],
        &["addrinfo", "localhost", "-p", "nosuchprotocol"],
        &["servbyname", "ssh", "--no-such-option"],
    ];
    for case in cases {
        for format in ["table", "json", "jsonl", "python"] {
            let mut args = case.to_vec();
            args.extend(["--format", format]);
            let out = run(&args);
            assert_eq!(out.code, 2, "{args:?}: {out:?}");
            assert_eq!(out.stdout, "", "{args:?}");
            assert_eq!(out.stderr.lines().count(), 1, "{args:?}: {}", out.stderr);
        }
    }
    // addrinfo with neither HOST nor SERVICE is refused in every format but python, which
    // makes Python's getaddrinfo(None, None) and prints its EAI_NONAME.
    for format in ["table", "json", "jsonl", "plain"] {
        let out = run(["addrinfo", "--format", format]);
        assert_eq!(out.code, 2, "{format}: {out:?}");
        assert_eq!(out.stdout, "", "{format}");
        assert_eq!(out.stderr.lines().count(), 1, "{format}: {}", out.stderr);
    }
    let out = run(["addrinfo", "--format", "python"]);
    assert_eq!(
        out.stdout,
        "socket.gaierror: [Errno -2] Name or service not known\n"
    );
}

/// A directory as --file is a usage error like a missing file, not an I/O failure mid-batch.
#[test]
fn a_directory_as_key_file_is_a_usage_error() {
    let out = run(["servbyname", "ssh", "--file", "/", "--json"]);
    assert_eq!(out.code, 2, "{out:?}");
    assert_eq!(
        out.stderr_lines(),
        ["sockscope: --file /: Is a directory"],
        "{out:?}"
    );
}

#[test]
fn file_dash_reads_standard_input() {
    let out = run_with_input(
        &["servbyname", "ssh", "--file", "-", "--format", "jsonl"],
        "http\ndomain\n",
    );
    assert_eq!(out.code, 0, "{out:?}");
    let names: Vec<String> = out
        .jsonl()
        .iter()
        .map(|r| r["name"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(names, ["ssh", "http", "domain"]);
}

#[test]
fn nameinfo_with_a_key_file_needs_no_address() {
    let path = std::env::temp_dir().join(format!("sockscope-ni-{}", std::process::id()));
    std::fs::write(&path, "127.0.0.1 80\n127.0.0.1 22 extra\n::1\n").expect("key file");
    let out = run([
        "nameinfo",
        "--file",
        path.to_str().unwrap_or_default(),
        "--flags",
        "numerichost,numericserv",
        "--json",
    ]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(out.code, 2, "the line with three fields: {out:?}");
    let records = out.json();
    assert_eq!(records.len(), 3, "{records:?}");
    assert_eq!(records[0]["service"], "80");
    assert_eq!(records[1]["query"], "127.0.0.1 22 extra");
    assert_eq!(records[1]["error"]["code"], "INVALID_INPUT");
    assert_eq!(records[2]["host"], "::1");
    assert_eq!(out.stderr_lines().len(), 1, "{}", out.stderr);
}

#[test]
fn extra_fields_on_an_addrinfo_line_are_bad_input() {
    let out = run_with_input(
        &["addrinfo", "-", "-t", "stream", "--format", "jsonl"],
        "127.0.0.1 80 x\n127.0.0.1 80\n",
    );
    assert_eq!(out.code, 2, "{out:?}");
    let records = out.jsonl();
    assert_eq!(records[0]["error"]["code"], "INVALID_INPUT", "{records:?}");
    assert_eq!(records[1]["port"], 80, "{records:?}");
    assert_eq!(
        out.stderr_lines(),
        [
            "sockscope: addrinfo: 127.0.0.1 80 x: a line has at most two fields (HOST SERVICE), not 3 (INVALID_INPUT)"
        ]
    );
}

/// Over-long lines of a key file are bad input each, and the batch goes on after them.
#[test]
fn an_over_long_line_is_one_bad_key() {
    let input = format!("ssh\n{}\nhttp\n", "x".repeat(70_000));
    let out = run_with_input(&["servbyname", "-", "--format", "jsonl"], &input);
    assert_eq!(out.code, 2, "{}", out.stderr);
    let records = out.jsonl();
    assert_eq!(records.len(), 3);
    assert_eq!(records[1]["error"]["code"], "INVALID_INPUT");
    assert_eq!(records[2]["name"], "http");
}

/// A closed stdout (`>&-`) is an error, not a silent success.
#[test]
fn a_closed_stdout_is_an_error() {
    for script in [
        r#""$1" servbyname ssh >&-"#,
        r#""$1" servbyname ssh --json >&-"#,
        r#""$1" --help >&-"#,
    ] {
        let out = sh(script);
        assert_eq!(out.code, 4, "{script}: {out:?}");
        assert_eq!(
            out.stderr.lines().collect::<Vec<_>>(),
            ["sockscope: standard output: Bad file descriptor"],
            "{script}"
        );
    }
    // Plain /dev/null is a place to write, not a closed stdout.
    assert_eq!(sh(r#""$1" servbyname ssh >/dev/null"#).code, 0);
}

/// A full disk: one line that says so, exit 4, for lookups, batches and --help alike.
#[test]
fn a_full_output_is_one_line_and_exit_4() {
    for script in [
        r#""$1" servbyname ssh >/dev/full"#,
        r#"echo ssh | "$1" servbyname - --format jsonl >/dev/full"#,
        r#"seq 1 3000 | "$1" servbyport - --json >/dev/full"#,
        r#""$1" --help >/dev/full"#,
        r#""$1" servbyname --help >/dev/full"#,
    ] {
        let out = sh(script);
        assert_eq!(out.code, 4, "{script}: {out:?}");
        let lines: Vec<&str> = out
            .stderr
            .lines()
            .filter(|l| !l.contains("(NOT_FOUND)"))
            .collect();
        assert_eq!(
            lines,
            ["sockscope: writing output: No space left on device"],
            "{script}"
        );
    }
}

/// The reader goes away after the first record: the exit code is still the worst among the
/// answers seen before (NOT_FOUND: 1), not 0.
#[test]
fn a_broken_pipe_keeps_the_worst_outcome_seen() {
    let mut child = Command::new(common::bin())
        .args(["servbyname", "-", "--format", "jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let mut input: String = (0..11).map(|i| format!("nosuch{i}\n")).collect();
        input.push_str(&"ssh\n".repeat(100_000));
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let mut line = String::new();
    stdout.read_line(&mut line).expect("first record");
    assert!(line.contains("NOT_FOUND"), "{line}");
    drop(stdout);
    let output = child.wait_with_output().expect("wait");
    let _ = writer.join();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.lines().all(|l| l.ends_with("(NOT_FOUND)")),
        "{stderr}"
    );
}

/// Send `signal` to a batch that waits for more keys on stdin after answering two: what was
/// answered comes out whole (a closed JSON array, the table's rows), the stats too, and the
/// exit code is 128 + the signal. The signal goes once the second answer was written: its
/// record, or for a table (which holds its rows) its `--explain` block.
fn interrupted(format: &str, signal: &str) -> common::Run {
    let mut args = vec!["servbyname", "-", "--stats", "--format", format];
    let ready = if format == "table" {
        args.push("--explain");
        "getservbyname(\"http\""
    } else {
        "\"query\": \"http\""
    };
    let mut child = Command::new(common::bin())
        .args(&args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"ssh\nhttp\n").expect("keys");
    stdin.flush().expect("flush");
    let (tx, rx) = std::sync::mpsc::channel::<String>();
    let stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut seen = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    while !seen.iter().any(|l: &String| l.contains(ready)) {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(line) => seen.push(line),
            Err(_) => panic!("no {ready} within a minute: {seen:?}"),
        }
    }
    let killed = Command::new("kill")
        .args([&format!("-{signal}"), &child.id().to_string()])
        .status()
        .expect("kill(1)");
    assert!(killed.success());
    let start = Instant::now();
    let mut stderr = String::new();
    let _ = child
        .stderr
        .take()
        .map(|mut s| s.read_to_string(&mut stderr));
    let status = child.wait().expect("wait");
    assert!(start.elapsed() < Duration::from_secs(10), "ended at once");
    let _ = reader.join();
    seen.extend(rx.try_iter());
    drop(stdin);
    common::Run {
        code: status.code().unwrap_or(-1),
        stdout: seen.iter().map(|l| format!("{l}\n")).collect(),
        stderr,
    }
}

#[test]
fn a_signal_finishes_the_output_and_exits_128_plus_its_number() {
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let json = interrupted("json", signal);
        assert_eq!(json.code, code, "SIG{signal}: {json:?}");
        let names: Vec<String> = json
            .json()
            .iter()
            .map(|r| r["name"].as_str().unwrap_or_default().to_string())
            .collect();
        assert_eq!(names, ["ssh", "http"], "SIG{signal}");
        let stats = json.stderr.lines().filter(|l| l.starts_with("stats: "));
        assert_eq!(stats.count(), 2, "{}", json.stderr);
        assert!(
            json.stderr
                .contains(&format!("sockscope: interrupted by SIG{signal}")),
            "{}",
            json.stderr
        );
    }
    let table = interrupted("table", "INT");
    assert_eq!(table.code, 130, "{table:?}");
    let lines: Vec<&str> = table
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("query"))
        .collect();
    assert_eq!(
        lines.len(),
        4,
        "header, rule and two rows: {}",
        table.stdout
    );
    assert!(lines[2].starts_with("ssh") && lines[3].starts_with("http"));
}
