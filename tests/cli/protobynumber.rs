//! `protobynumber`: every number of /etc/protocols, bad numbers, and how a call Python lacks is shown and explained.

use serde_json::json;

use crate::common;
use crate::common::explain::{calls, text};
use crate::common::reference::{protocols_file, python};

#[test]
fn every_protocol_number_gives_its_first_entry_and_round_trips_through_python() {
    let entries = protocols_file();
    let mut numbers: Vec<i64> = Vec::new();
    for (_, number, _) in &entries {
        if !numbers.contains(number) {
            numbers.push(*number);
        }
    }
    let args: Vec<String> = numbers.iter().map(i64::to_string).collect();
    let (records, run) =
        common::json(std::iter::once("protobynumber".to_string()).chain(args.clone()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = records
        .iter()
        .map(|r| r["name"].as_str().expect("name").to_string())
        .collect();
    let back = python(&format!(
        "print(json.dumps([socket.getprotobyname(n) for n in {}]))",
        serde_json::to_string(&names).expect("names as JSON")
    ));
    for ((record, number), python_number) in records
        .iter()
        .zip(&numbers)
        .zip(back.as_array().expect("list"))
    {
        let (name, _, aliases) = entries
            .iter()
            .find(|(_, n, _)| n == number)
            .expect("the number came from the file");
        assert_eq!(record["query"], json!(number.to_string()));
        assert_eq!(record["number"], json!(number));
        assert_eq!(record["name"], json!(name), "getprotobynumber({number})");
        assert_eq!(
            record["aliases"],
            json!(aliases),
            "getprotobynumber({number})"
        );
        assert_eq!(python_number, &json!(number), "round trip of {name}");
    }
}

#[test]
fn bad_protocol_keys_are_bad_input() {
    for key in ["2147483648", "-1", "tcp", "", "1e3"] {
        let (records, run) = common::json(["protobynumber", key]);
        assert_eq!(run.code, 2, "protobynumber {key:?}");
        assert_eq!(records[0]["error"]["code"], "INVALID_INPUT", "{key:?}");
    }
    let (records, run) = common::json(["protobyname", ""]);
    assert_eq!(run.code, 2);
    assert_eq!(records[0]["error"]["code"], "INVALID_INPUT");
    // The worst failure decides the exit code; the good key is still answered.
    let (records, run) = common::json(["protobynumber", "6", "nosuch", "254"]);
    assert_eq!(run.code, 2);
    assert_eq!(records[0]["name"], "tcp");
}

#[test]
fn protobynumber_has_no_python_value_and_says_so() {
    // The claim the comments make: this CPython has no getprotobynumber.
    assert_eq!(
        common::python_reprs(&["hasattr(socket, 'getprotobynumber')".to_string()]),
        ["False"]
    );
    // No protocols database has an entry numbered 99999 (IP header numbers stop at 255).
    let run = common::run(["protobynumber", "6", "99999", "--format", "python"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "# no Python equivalent (socket has no getprotobynumber); C found 'tcp' (aliases \
             ['TCP']); the way back is socket.getprotobyname('tcp') == 6",
            "# no Python equivalent (socket has no getprotobynumber); C found nothing: protocol \
             not found (NOT_FOUND)",
        ]
    );
    // The way back it names is true in Python.
    assert_eq!(
        common::python_reprs(&["socket.getprotobyname('tcp') == 6".to_string()]),
        ["True"]
    );
    let bad = common::run(["protobynumber", "-1", "--format", "python"]);
    assert_eq!(bad.code, 2);
    assert_eq!(
        bad.stdout,
        "# not called: protocol number must not be negative: -1\n"
    );
}

#[test]
fn protobynumber_says_python_has_no_such_call() {
    let (records, run) = common::json(["protobynumber", "6", "99999", "--explain"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let calls = calls(&records);
    assert_eq!(calls.len(), 2);
    assert_eq!(
        text(&calls[0], "c"),
        "getprotobynumber_r(6, &ret, buf, 16384, &result)"
    );
    for call in &calls {
        let line = text(call, "python");
        assert!(line.starts_with("# no Python equivalent"), "{line}");
        // A comment is valid Python that does nothing, so a pasted transcript still runs.
        let ran = common::python_program(&format!("import socket\n{line}"));
        assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{}", ran.stderr);
    }
    // The note's way back from the name is a real Python call with the number C gave.
    let notes = calls[0]["notes"].to_string();
    assert!(
        notes.contains("socket.getprotobyname('tcp') returns 6"),
        "{notes}"
    );
    assert_eq!(
        common::python_reprs(&["socket.getprotobyname('tcp')".to_string()]),
        ["6"]
    );
    let transcript = common::run(["protobynumber", "6", "--format", "python", "--explain"]);
    let lines: Vec<&str> = transcript.stdout.lines().collect();
    assert!(
        lines
            .iter()
            .all(|l| l.starts_with('#') || l.starts_with(">>> #")),
        "{}",
        transcript.stdout
    );
}

crate::explain! {
    protobynumber_6: "protobynumber 6",
    protobynumber_999: "protobynumber 999",
}

crate::explain_json! {
    json_protobynumber_found_and_not: "protobynumber 6 999",
}

crate::errors! {
    error_protobynumber_negative: ["protobynumber", "-1"],
}
