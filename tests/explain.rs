//! `--explain`: every Python line sockscope shows is run by python3 and must give what sockscope shows.

mod common;

use serde_json::Value;

/// Commands whose every call is checked. Constants stay with groups where sockscope's table and
/// this CPython agree name for name (AF_ has AF_QIPCRTR in CPython only; see python_format.rs).
const COMMANDS: &[&str] = &[
    "servbyname ssh http/tcp domain/udp nosuchservice",
    "servbyname www -p tcp",
    "servbyport 80 53/udp 22 80/udp",
    "hostname",
    "hostname --fqdn --addresses",
    "hostbyname localhost 127.0.0.1 <broadcast> nosuch.invalid",
    "hostbyname --ex localhost nosuch.invalid",
    "addrinfo localhost http",
    "addrinfo 127.0.0.1 80",
    "addrinfo ::1 80 -t stream --flags canonname",
    "addrinfo localhost 80 -6 -p tcp --flags v4mapped,all",
    "addrinfo --service 8080 --flags passive",
    "addrinfo --service 8080",
    "addrinfo localhost",
    "addrinfo nosuch.invalid 80",
    "addrinfo localhost nosuchservice",
    "addrinfo 127.0.0.1 80 -6",
    "addrinfo 127.0.0.1 80 --family 99",
    // A non-ASCII name becomes a bytes literal, so Python passes the same bytes (not IDNA).
    "addrinfo bücher.invalid 80",
    "hostbyname bücher.invalid",
    // Quotes inside keys pick Python's other quote or an escape.
    "servbyname it's a\"b",
    "constants SOCK_ IPPROTO_ AI_ MSG_ TCP_ SHUT_ SOL_",
    "constants --value 10",
    "constants --value 1 AF_ SOCK_",
    "constants --value 9999",
];

fn args(command: &str, extra: &[&str]) -> Vec<String> {
    command
        .split_whitespace()
        .chain(extra.iter().copied())
        .map(str::to_string)
        .collect()
}

/// The `call` of each answer, in order: an answer's records all carry the same call, so runs of
/// equal calls are one answer (the commands above never ask the same key twice in a row).
fn calls(records: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for record in records {
        let call = record
            .get("call")
            .cloned()
            .unwrap_or_else(|| panic!("record without call: {record}"));
        if out.last() != Some(&call) {
            out.push(call);
        }
    }
    out
}

fn text(call: &Value, key: &str) -> String {
    call[key]
        .as_str()
        .unwrap_or_else(|| panic!("call.{key} is not a string: {call}"))
        .to_string()
}

#[test]
fn every_python_line_gives_what_sockscope_shows() {
    let mut failures = Vec::new();
    for command in COMMANDS {
        let (records, _) = common::json(args(command, &["--explain"]));
        let calls = calls(&records);
        for call in &calls {
            assert!(!text(call, "c").is_empty(), "{command}: empty C call");
            assert!(call["notes"].is_array(), "{command}: notes");
        }
        let lines: Vec<String> = calls.iter().map(|c| text(c, "python")).collect();
        let python = common::python_reprs(&lines);
        let shown = common::run(args(command, &["--format", "python"]));
        let shown: Vec<String> = shown.stdout.lines().map(str::to_string).collect();
        if python != shown {
            failures.push(format!(
                "sockscope {command}\n  lines:     {lines:?}\n  python3:   {python:?}\n  sockscope: {shown:?}"
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn issue_example_reads_as_specified() {
    let (records, _) = common::json(["addrinfo", "localhost", "http", "--explain"]);
    let call = &calls(&records)[0];
    assert_eq!(
        text(call, "c"),
        "getaddrinfo(\"localhost\", \"http\", {ai_family=AF_UNSPEC, ai_socktype=0, \
         ai_protocol=0, ai_flags=0})"
    );
    assert_eq!(
        text(call, "python"),
        "socket.getaddrinfo('localhost', 'http')"
    );
}

#[test]
fn notes_point_out_what_the_issue_names() {
    let (records, _) = common::json(["addrinfo", "127.0.0.1", "80", "--explain"]);
    let notes = calls(&records)[0]["notes"].to_string();
    assert!(notes.contains("3 rows per address"), "{notes}");
    let (records, _) = common::json(["addrinfo", "::1", "80", "--flags", "canonname", "--explain"]);
    let notes = calls(&records)[0]["notes"].to_string();
    assert!(
        notes.contains("canonical name is only on the first row"),
        "{notes}"
    );
    let (records, _) = common::json([
        "addrinfo",
        "127.0.0.1",
        "80",
        "-6",
        "--flags",
        "v4mapped",
        "--explain",
    ]);
    let notes = calls(&records)[0]["notes"].to_string();
    assert!(notes.contains("IPv4-mapped"), "{notes}");
    let (records, _) = common::json(["hostbyname", "localhost", "--explain"]);
    let notes = calls(&records)[0]["notes"].to_string();
    assert!(notes.contains("IPv4 only"), "{notes}");
}

#[test]
fn table_shows_the_calls_above_the_results() {
    let (records, _) = common::json(["servbyname", "ssh", "http", "--explain"]);
    let run = common::run(["servbyname", "ssh", "http", "--explain"]);
    assert_eq!(run.code, 0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(
        lines[0].starts_with("C:      getservbyname(\"ssh\", NULL)"),
        "{}",
        run.stdout
    );
    for call in calls(&records) {
        let expected = format!("Python: {}", text(&call, "python"));
        assert!(
            lines.contains(&expected.as_str()),
            "{expected} in\n{}",
            run.stdout
        );
    }
    let header = lines
        .iter()
        .position(|l| l.starts_with("query"))
        .expect("table header");
    let last_call = lines
        .iter()
        .rposition(|l| l.starts_with("Python:"))
        .unwrap_or(0);
    assert!(
        last_call < header,
        "calls come above the table:\n{}",
        run.stdout
    );
}

#[test]
fn failed_keys_carry_their_call_too() {
    let (records, run) = common::json(["servbyname", "nosuchservice", "--explain"]);
    assert_eq!(run.code, 1);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["error"]["code"], "NOT_FOUND");
    assert_eq!(
        records[0]["call"]["python"],
        "socket.getservbyname('nosuchservice')"
    );
}

#[test]
fn without_explain_there_is_no_call() {
    let (records, _) = common::json(["addrinfo", "127.0.0.1", "80"]);
    assert!(records.iter().all(|r| r.get("call").is_none()));
    let run = common::run(["servbyname", "ssh"]);
    assert!(!run.stdout.contains("Python:"), "{}", run.stdout);
}

#[test]
fn python_format_with_explain_is_a_repl_transcript() {
    let run = common::run(["servbyport", "80", "--format", "python", "--explain"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.last(), Some(&"'http'"));
    assert_eq!(lines[lines.len() - 2], ">>> socket.getservbyport(80)");
    assert!(lines[0].starts_with("# C: getservbyport(htons(80), NULL)"));
}
