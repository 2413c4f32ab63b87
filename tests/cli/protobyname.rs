//! `protobyname`: every name and alias of /etc/protocols against python3, unknown names, and its `--explain` pinned.

use serde_json::json;

use crate::common;
use crate::common::reference::{OUTCOME, case, check, protocols_file, python};

#[test]
fn every_protocol_name_and_alias_matches_python_getprotobyname() {
    let entries = protocols_file();
    assert!(!entries.is_empty(), "/etc/protocols has entries");
    let mut keys: Vec<String> = Vec::new();
    for (name, _, aliases) in &entries {
        keys.push(name.clone());
        keys.extend(aliases.iter().cloned());
    }
    let (records, run) =
        common::json(std::iter::once("protobyname".to_string()).chain(keys.clone()));
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(records.len(), keys.len());
    let numbers = python(&format!(
        "print(json.dumps([socket.getprotobyname(k) for k in {}]))",
        serde_json::to_string(&keys).expect("keys as JSON")
    ));
    for ((record, key), number) in records
        .iter()
        .zip(&keys)
        .zip(numbers.as_array().expect("list"))
    {
        assert_eq!(record["query"], json!(key));
        assert_eq!(&record["number"], number, "getprotobyname({key:?})");
        // glibc answers with the first entry that has the key as its name or an alias.
        let (name, _, aliases) = entries
            .iter()
            .find(|(n, _, a)| n == key || a.contains(key))
            .expect("the key came from the file");
        assert_eq!(record["name"], json!(name), "{key}");
        assert_eq!(record["aliases"], json!(aliases), "{key}");
    }
}

#[test]
fn unknown_protocol_is_not_found_like_python() {
    let expected = python(&format!(
        "{OUTCOME}\nprint(json.dumps(outcome(lambda: socket.getprotobyname('nosuchproto'))))"
    ));
    assert_eq!(expected["message"], "protocol not found");
    let (records, run) = common::json(["protobyname", "tcp", "nosuchproto"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["number"], 6);
    assert_eq!(records[1]["query"], "nosuchproto");
    assert_eq!(records[1]["error"]["code"], "NOT_FOUND");
    assert_eq!(records[1]["error"]["message"], expected["message"]);
    assert_eq!(
        run.stderr_lines(),
        ["sockscope: protobyname: nosuchproto: protocol not found (NOT_FOUND)"]
    );
    // No protocols database lists 99999 (IP header numbers stop at 255), so this always fails.
    assert!(!protocols_file().iter().any(|(_, n, _)| *n == 99999));
    let run = common::run(["protobynumber", "99999"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr_lines(),
        ["sockscope: protobynumber: 99999: protocol not found (NOT_FOUND)"]
    );
}

#[test]
fn protobyname_prints_the_number_or_the_oserror() {
    check(&[
        case(
            "protobyname tcp udp icmp ipv6-icmp TCP",
            &[
                "socket.getprotobyname('tcp')",
                "socket.getprotobyname('udp')",
                "socket.getprotobyname('icmp')",
                "socket.getprotobyname('ipv6-icmp')",
                "socket.getprotobyname('TCP')",
            ],
        ),
        case(
            "protobyname nosuchproto tcpé",
            &[
                "socket.getprotobyname('nosuchproto')",
                "socket.getprotobyname('tcpé')",
            ],
        ),
    ]);
}

crate::explain! {
    protobyname_tcp: "protobyname tcp",
    protobyname_nosuch: "protobyname nosuch",
    protobyname_alias: "protobyname TCP",
}
