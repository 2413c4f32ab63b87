//! Output that fits: tables, `--explain` and the tour at 80 columns, wider where the terminal is, and `--format plain` for cut and awk.

use std::process::{Command, Stdio};

use crate::common;

/// Run sockscope with `COLUMNS` set and `input` on stdin; returns (exit code, stdout).
fn at_width(columns: &str, args: &[&str], input: &str) -> (i32, String) {
    use std::io::Write;
    let mut child = Command::new(common::bin())
        .args(args)
        .env("COLUMNS", columns)
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sockscope runs");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(input.as_bytes()).expect("input");
    drop(stdin);
    let out = child.wait_with_output().expect("sockscope runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.is_empty(), "{args:?}: {stderr}");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn widest(text: &str) -> usize {
    text.lines().map(|l| l.chars().count()).max().unwrap_or(0)
}

#[test]
fn the_widest_addrinfo_table_fits_80_columns() {
    // The README's batch example: several keys (query and service columns) and IPv6 rows
    // (flowinfo and scope_id), 86 columns with two spaces between them.
    let args = ["addrinfo", "-", "443", "-t", "stream"];
    let input = "localhost http\n127.0.0.1 22\n::1\n";
    let (code, text) = at_width("80", &args, input);
    assert_eq!(code, 0);
    assert!(widest(&text) <= 80, "{text}");
    assert!(text.contains("scope_id"), "{text}");
    // Every row on one line: the table is narrowed, not wrapped.
    assert_eq!(text.lines().count(), 2 + 3, "{text}");
    // A wide terminal keeps two spaces between columns.
    let (_, wide) = at_width("200", &args, input);
    assert!(widest(&wide) > 80, "{wide}");
    assert!(wide.contains("family    type"), "{wide}");
}

#[test]
fn explain_lines_wrap_under_their_labels() {
    let args = ["addrinfo", "localhost", "http", "--explain"];
    let (code, text) = at_width("80", &args, "");
    assert_eq!(code, 0);
    assert!(widest(&text) <= 80, "{text}");
    assert!(
        text.starts_with(
            "C:      getaddrinfo(\"localhost\", \"http\", {ai_family=AF_UNSPEC, ai_socktype=0,\n        ai_protocol=0, ai_flags=0})\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("\n          \"http\" is known for one protocol only\n"),
        "{text}"
    );
    let (_, wide) = at_width("200", &args, "");
    assert!(
        wide.contains("ai_socktype=0, ai_protocol=0, ai_flags=0})\n"),
        "{wide}"
    );
}

#[test]
fn the_tour_fits_80_columns() {
    let (code, text) = at_width("80", &["tour"], "");
    assert_eq!(code, 0);
    assert!(widest(&text) <= 80, "{text}");
    // Step 7's dict, 1,311 characters on one line before, now wraps under its label.
    let step7 = text
        .split("== Step 7/")
        .nth(1)
        .and_then(|s| s.split("== Step 8/").next())
        .expect("step 7");
    assert!(
        step7.contains("Result  {<AddressFamily.AF_ALG: 38>: 'AF_ALG',"),
        "{step7}"
    );
    assert!(
        step7.lines().filter(|l| l.starts_with("        <")).count() > 5,
        "{step7}"
    );
}

#[test]
fn plain_is_tab_separated_without_a_header() {
    let run = common::run(["servbyname", "ssh", "http", "--format", "plain"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // query, name, aliases, port, proto: the JSON fields, in the table's order.
    assert_eq!(
        run.stdout,
        "ssh\tssh\t\t22\ttcp\nhttp\thttp\twww\t80\ttcp\n"
    );
    let run = common::run(["hostbyname", "--ex", "localhost", "--format", "plain"]);
    assert_eq!(run.code, 0);
    let fields: Vec<&str> = run.stdout.trim_end().split('\t').collect();
    assert_eq!(fields[0], "localhost");
    assert_eq!(fields.len(), 4, "{}", run.stdout);
    assert!(
        fields[3].split(' ').any(|a| a == "127.0.0.1"),
        "{}",
        run.stdout
    );
    // Every lookup prints it, each record on one line with the same number of fields.
    for args in [
        &["servbyport", "22", "53/udp"][..],
        &["hostname", "--fqdn"],
        &["hostbyname", "localhost"],
        &["addrinfo", "127.0.0.1", "80"],
        &["constants", "AF_INET"],
        &["nameinfo", "127.0.0.1", "22", "--flags", "numerichost"],
        &["hostbyaddr", "127.0.0.1"],
        &["protobyname", "tcp", "udp"],
        &["protobynumber", "6", "17"],
    ] {
        let mut with = args.to_vec();
        with.extend(["--format", "plain"]);
        let run = common::run(&with);
        assert_eq!(run.code, 0, "{with:?}: {}", run.stderr);
        let counts: Vec<usize> = run.stdout.lines().map(|l| l.split('\t').count()).collect();
        assert!(!counts.is_empty(), "{with:?}");
        assert!(
            counts.iter().all(|&c| c == counts[0] && c > 1),
            "{with:?}: {}",
            run.stdout
        );
        assert!(
            !run.stdout.contains("---"),
            "no header rule: {}",
            run.stdout
        );
    }
    // cut finds a field by its place: the protocol number is the fourth.
    let run = common::run(["protobyname", "tcp", "--format", "plain"]);
    assert_eq!(
        run.stdout.trim_end().split('\t').nth(3),
        Some("6"),
        "{}",
        run.stdout
    );
}
