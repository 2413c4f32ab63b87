//! Host names encoded as Python's idna codec encodes them, end to end and against python3's REPL lines.
//!
//! Every name here either encodes to `localhost` or `127.0.0.1` (answered from /etc/hosts) or
//! is refused by the codec before any call: nothing reaches a name server.

use crate::common::{json, python_reprs, run};

/// Names Python's idna codec turns into `localhost` or a numeric address.
const LOCAL: &[&str] = &[
    "ｌｏｃａｌｈｏｓｔ",
    "ＬｏｃａｌＨｏｓｔ",
    "local\u{AD}host",
    "loc\u{200B}al\u{FEFF}host",
    "１２７.０.０.１",
    "１２７。０．０｡１",
];

/// Names the codec refuses, one of each of its errors.
fn refused() -> Vec<String> {
    [
        "a..b",
        "ü..b",
        ".ü",
        "\u{AD}",
        "a\u{E000}",
        "a\u{E0001}",
        "a\u{FFFD}",
        "\u{627}a",
        "\u{627}1",
        "xn--ü",
    ]
    .iter()
    .map(|s| (*s).to_string())
    .chain([
        "a".repeat(64),
        format!("{}.b", "a".repeat(64)),
        "ü".repeat(60),
    ])
    .collect()
}

/// `sockscope SUB KEYS... --format python`, one line per key, against python3's REPL line for
/// `socket.CALL(key)` of each.
fn assert_python_lines(sub: &[&str], call: &str, keys: &[String]) {
    let mut args: Vec<String> = sub.iter().map(|s| (*s).to_string()).collect();
    args.extend(keys.iter().cloned());
    args.extend(["--format".to_string(), "python".to_string()]);
    let ours = run(&args);
    let exprs: Vec<String> = keys
        .iter()
        .map(|k| format!("socket.{call}({})", serde_json::to_string(k).unwrap()))
        .collect();
    let theirs = python_reprs(&exprs);
    let lines: Vec<&str> = ours.stdout.lines().collect();
    assert_eq!(lines, theirs, "{args:?}\nstderr: {}", ours.stderr);
}

#[test]
fn local_names_resolve_in_every_format() {
    let mut args = vec!["hostbyname"];
    args.extend(LOCAL);
    let (records, run_json) = json(&args);
    assert_eq!(run_json.code, 0, "{}", run_json.stderr);
    for (record, name) in records.iter().zip(LOCAL) {
        assert_eq!(record["query"], *name);
        assert_eq!(record["address"], "127.0.0.1", "{name}");
    }
    let table = run(["hostbyname", "ｌｏｃａｌｈｏｓｔ"]);
    assert_eq!(table.code, 0, "{}", table.stderr);
    assert!(table.stdout.contains("127.0.0.1"), "{}", table.stdout);
    let jsonl = run([
        "hostbyname",
        "--ex",
        "ｌｏｃａｌｈｏｓｔ",
        "--format",
        "jsonl",
    ]);
    assert!(
        jsonl.stdout.contains("\"addresses\":[\"127.0.0.1\"]"),
        "{}",
        jsonl.stdout
    );
    let (rows, addrinfo) = json(["addrinfo", "ｌｏｃａｌｈｏｓｔ", "80", "-4", "-t", "stream"]);
    assert_eq!(addrinfo.code, 0, "{}", addrinfo.stderr);
    assert_eq!(rows[0]["address"], "127.0.0.1");
}

#[test]
fn local_names_print_what_python_prints() {
    let keys: Vec<String> = LOCAL.iter().map(|s| (*s).to_string()).collect();
    assert_python_lines(&["hostbyname"], "gethostbyname", &keys);
    assert_python_lines(&["hostbyname", "--ex"], "gethostbyname_ex", &keys);
    assert_python_lines(&["hostbyaddr"], "gethostbyaddr", &keys);
}

#[test]
fn refused_names_raise_pythons_unicode_error() {
    let keys = refused();
    assert_python_lines(&["hostbyname"], "gethostbyname", &keys);
    assert_python_lines(&["hostbyname", "--ex"], "gethostbyname_ex", &keys);
    assert_python_lines(&["hostbyaddr"], "gethostbyaddr", &keys);
    for key in &keys {
        let ours = run(["addrinfo", key, "80", "--format", "python"]);
        let theirs = python_reprs(&[format!(
            "socket.getaddrinfo({}, 80)",
            serde_json::to_string(key).unwrap()
        )]);
        assert_eq!(ours.stdout.lines().collect::<Vec<_>>(), theirs, "{key:?}");
    }
}

#[test]
fn refused_names_are_invalid_input_in_table_and_json() {
    for key in refused() {
        let (records, out) = json(["hostbyname", key.as_str()]);
        assert_eq!(out.code, 2, "{key:?}: {}", out.stderr);
        assert_eq!(records[0]["error"]["code"], "INVALID_INPUT", "{key:?}");
        let message = records[0]["error"]["message"].as_str().unwrap_or_default();
        assert!(
            message.starts_with("not a host name Python's idna codec can encode: "),
            "{key:?}: {message}"
        );
        assert_eq!(out.stderr_lines().len(), 1, "{key:?}");
    }
}

#[test]
fn explain_shows_the_encoded_name_libc_is_given() {
    let (records, out) = json(["hostbyaddr", "１２７.０.０.１", "--explain"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let call = &records[0]["call"];
    assert!(
        call["c"]
            .as_str()
            .unwrap_or_default()
            .starts_with("inet_pton(AF_INET, \"127.0.0.1\""),
        "{call}"
    );
    assert_eq!(call["python"], "socket.gethostbyaddr('１２７.０.０.１')");
    assert!(
        call["notes"][0]
            .as_str()
            .unwrap_or_default()
            .contains("b'127.0.0.1'"),
        "{call}"
    );
}
