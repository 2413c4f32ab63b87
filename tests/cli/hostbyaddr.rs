//! `hostbyaddr`: gethostbyaddr against python3 for addresses and names /etc/hosts knows, bad addresses, and its `--explain` pinned.

// Nothing here reaches DNS: addresses and names are those every /etc/hosts has (127.0.0.1,
// localhost), and "a b", which glibc will not send to DNS. Reverse lookups that need a resolver
// are in tests/lab/reverse.rs.

use serde_json::{Value, json};

use crate::common;
use crate::common::reference::{OUTCOME, case, case_args, check, our_outcome, python};

// ---------------------------------------------------------------- hostbyaddr

#[test]
fn hostbyaddr_matches_python() {
    // "a b" is no valid host name, so glibc fails it after /etc/hosts without asking DNS.
    let keys = ["127.0.0.1", "127.1", "localhost", "a b"];
    let expected = python(&format!(
        "{OUTCOME}\nprint(json.dumps([outcome(lambda: list(socket.gethostbyaddr(k))) for k in {}]))",
        serde_json::to_string(&keys).expect("keys as JSON")
    ));
    for (key, want) in keys.iter().zip(expected.as_array().expect("list")) {
        let (records, run) = common::json(["hostbyaddr", key]);
        let got = our_outcome(&records, &["name", "aliases", "addresses"]);
        assert_eq!(&got, want, "hostbyaddr {key}");
        let code = match want.get("error").and_then(Value::as_str) {
            None => 0,
            Some("HOST_NOT_FOUND" | "NO_DATA" | "EAI_NONAME") => 1,
            Some("TRY_AGAIN" | "EAI_AGAIN") => 3,
            Some(_) => 4,
        };
        assert_eq!(run.code, code, "hostbyaddr {key}: {}", run.stderr);
    }
    // 127.0.0.1 is in every /etc/hosts, so this one is known to succeed; "a b" to fail.
    assert!(expected[0].get("ok").is_some());
    assert_eq!(expected[3]["error"], "EAI_NONAME", "{expected}");
}

#[test]
fn hostbyaddr_several_keys_and_bad_addresses() {
    // A key that is no address is resolved first, as CPython does (so `999.1.1.1` or `::1q`
    // would go to DNS: those are in the lab); only what no call can take is bad input.
    let (records, run) = common::json(["hostbyaddr", "127.0.0.1", "", "a..b", "a b"]);
    assert_eq!(run.code, 2);
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["addresses"], json!(["127.0.0.1"]));
    for (record, key) in records[1..3].iter().zip(["", "a..b"]) {
        assert_eq!(record["query"], key);
        assert_eq!(record["error"]["code"], "INVALID_INPUT", "{key}");
    }
    assert_eq!(records[3]["error"]["code"], "EAI_NONAME");
    assert_eq!(run.stderr_lines().len(), 3);
}

#[test]
fn hostbyaddr_in_every_format() {
    let table = common::run(["hostbyaddr", "127.0.0.1", "localhost"]);
    assert_eq!(table.code, 0);
    let header: Vec<&str> = table
        .stdout
        .lines()
        .next()
        .expect("header")
        .split_whitespace()
        .collect();
    assert_eq!(&header[..2], ["query", "name"]);
    assert!(header.contains(&"addresses"));
    let (records, _) = common::json(["hostbyaddr", "127.0.0.1", "localhost"]);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1]["query"], "localhost");
    let jsonl = common::run(["hostbyaddr", "127.0.0.1", "localhost", "--format", "jsonl"]);
    assert_eq!(jsonl.jsonl(), records);
}

#[test]
fn hostbyaddr_prints_the_triple_or_the_exception() {
    check(&[
        case(
            "hostbyaddr 127.0.0.1 127.1 localhost",
            &[
                "socket.gethostbyaddr('127.0.0.1')",
                "socket.gethostbyaddr('127.1')",
                "socket.gethostbyaddr('localhost')",
            ],
        ),
        // glibc will not send a name that is no valid host name (res_hnok) to DNS: the failure
        // comes from /etc/hosts alone.
        case_args(
            &["hostbyaddr", "a b", "localhost", "it's"],
            &[
                "socket.gethostbyaddr('a b')",
                "socket.gethostbyaddr('localhost')",
                "socket.gethostbyaddr(\"it's\")",
            ],
        ),
    ]);
}

crate::explain! {
    hostbyaddr_loopback: "hostbyaddr 127.0.0.1",
    hostbyaddr_name: "hostbyaddr localhost",
    hostbyaddr_short_form: "hostbyaddr 127.1",
}

crate::explain_json! {
    json_hostbyaddr_loopback: "hostbyaddr 127.0.0.1",
}

crate::errors! {
    error_hostbyaddr_bad_address: ["hostbyaddr", ""],
}
