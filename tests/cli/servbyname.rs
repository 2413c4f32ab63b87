//! `servbyname`: getservbyname against python3, failures and bad keys, and its `--explain` pinned.

use serde_json::json;

use crate::common::reference::{case, check};
use crate::common::{json, python_json, run};

#[test]
fn servbyname_returns_the_whole_servent() {
    let (records, run) = json(["servbyname", "ssh", "http/tcp"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.is_empty());
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["query"], "ssh");
    assert_eq!(records[0]["name"], "ssh");
    assert_eq!(
        records[0]["port"],
        python_json("socket.getservbyname('ssh')")
    );
    assert_eq!(records[0]["proto"], "tcp");
    assert!(records[0]["aliases"].is_array());
    assert_eq!(records[1]["query"], "http/tcp");
    assert_eq!(records[1]["port"], 80);
}

#[test]
fn missing_service_is_exit_1_with_record_and_one_line() {
    let (records, run) = json(["servbyname", "ssh", "nosuchservice", "http"]);
    assert_eq!(run.code, 1);
    assert_eq!(records.len(), 3, "nothing is dropped");
    assert_eq!(records[0]["port"], 22);
    assert_eq!(
        records[1],
        json!({"query": "nosuchservice", "error": {"code": "NOT_FOUND", "message": "service/proto not found"}})
    );
    assert_eq!(records[2]["port"], 80);
    assert_eq!(
        run.stderr_lines(),
        ["sockscope: servbyname: nosuchservice: service/proto not found (NOT_FOUND)"]
    );
}

#[cfg(unix)]
#[test]
fn invalid_utf8_keys_are_invalid_input_records() {
    use std::ffi::OsString;
    use std::os::unix::ffi::OsStringExt;
    let bad = OsString::from_vec(b"ss\xffh".to_vec());
    let args: Vec<OsString> = vec!["servbyname".into(), bad, "ssh".into(), "--json".into()];
    let run = run(args);
    assert_eq!(run.code, 2);
    let records = run.json();
    assert_eq!(records[0]["error"]["code"], "INVALID_INPUT");
    assert_eq!(records[0]["query"], "ss\u{fffd}h");
    assert_eq!(records[1]["port"], 22);
}

#[test]
fn servbyname_prints_the_port_or_the_oserror() {
    check(&[
        case("servbyname ssh", &["socket.getservbyname('ssh')"]),
        case(
            "servbyname http/tcp domain/udp",
            &[
                "socket.getservbyname('http', 'tcp')",
                "socket.getservbyname('domain', 'udp')",
            ],
        ),
        case("servbyname www", &["socket.getservbyname('www')"]),
        case(
            "servbyname domain -p udp",
            &["socket.getservbyname('domain', 'udp')"],
        ),
        case(
            "servbyname nosuchservice ssh/udp",
            &[
                "socket.getservbyname('nosuchservice')",
                "socket.getservbyname('ssh', 'udp')",
            ],
        ),
    ]);
}

crate::explain! {
    servbyname_ssh: "servbyname ssh",
    servbyname_nosuch: "servbyname nosuch",
    servbyname_proto_in_key: "servbyname domain/udp",
    servbyname_alias_with_proto: "servbyname www -p tcp",
}

crate::explain_json! {
    json_servbyname_found_and_not: "servbyname ssh nosuch",
}

crate::errors! {
    error_servbyname_nosuch: ["servbyname", "nosuch"],
}
