//! End-to-end tests of nameinfo, hostbyaddr, protobyname and protobynumber against python3.

// Nothing here reaches DNS: names are looked up only for 127.0.0.1 and localhost, which every
// /etc/hosts has, and any other address (::1 has no line in some /etc/hosts, 127.0.0.2 in most)
// only with NI_NUMERICHOST or as a number. Failures that need a resolver that answers "no such
// name" (a reverse lookup of an unnamed address, NI_NAMEREQD without a name) belong to a lab
// with its own resolver: tests/lab/reverse.rs has them.

mod common;

use serde_json::{Value, json};

/// Run a Python 3 program (with `socket` and `json` imported) and parse what it prints as JSON.
fn python(program: &str) -> Value {
    let printed = common::python_stdout(&format!("import json, socket\n{program}"));
    serde_json::from_str(&printed).expect("python3 printed JSON")
}

/// Python helper: the outcome of a call as JSON, with the EAI_ or h_errno name of an error.
const OUTCOME: &str = r#"
H_ERRNO = {1: "HOST_NOT_FOUND", 2: "TRY_AGAIN", 3: "NO_RECOVERY", 4: "NO_DATA"}
def outcome(call):
    try:
        return {"ok": call()}
    except socket.gaierror as e:
        names = [n for n in dir(socket) if n.startswith("EAI_") and getattr(socket, n) == e.errno]
        return {"error": names[0] if names else e.errno, "message": e.strerror}
    except socket.herror as e:
        return {"error": H_ERRNO.get(e.errno, e.errno), "message": e.strerror}
    except OSError as e:
        return {"error": "OSError", "message": str(e)}
"#;

/// What sockscope printed for one key, in the same shape as `outcome` above.
fn our_outcome(records: &[Value], fields: &[&str]) -> Value {
    assert_eq!(records.len(), 1, "one record per key: {records:?}");
    let record = &records[0];
    if let Some(error) = record.get("error") {
        // Python's text is the C library's: `strerror`, where there is one (`message` is
        // sockscope's own words for a person).
        let text = error.get("strerror").unwrap_or(&error["message"]);
        return json!({"error": error["code"], "message": text});
    }
    let values: Vec<Value> = fields.iter().map(|f| record[*f].clone()).collect();
    json!({ "ok": values })
}

// ---------------------------------------------------------------- protocols

/// Every entry of /etc/protocols, parsed by Python: (name, number, aliases).
fn protocols_file() -> Vec<(String, i64, Vec<String>)> {
    let entries = python(
        r##"
rows = []
for line in open("/etc/protocols"):
    fields = line.split("#")[0].split()
    if len(fields) >= 2:
        rows.append([fields[0], int(fields[1]), fields[2:]])
print(json.dumps(rows))
"##,
    );
    entries
        .as_array()
        .expect("a list")
        .iter()
        .map(|row| {
            let aliases = row[2]
                .as_array()
                .expect("aliases")
                .iter()
                .map(|a| a.as_str().expect("text").to_string())
                .collect();
            (
                row[0].as_str().expect("name").to_string(),
                row[1].as_i64().expect("number"),
                aliases,
            )
        })
        .collect()
}

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
fn protocols_in_every_format() {
    let table = common::run(["protobyname", "tcp", "udp"]);
    assert_eq!(table.code, 0);
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["query", "name", "aliases", "number"]
    );
    assert!(
        lines[2].starts_with("tcp ") && lines[2].ends_with(" 6"),
        "{}",
        table.stdout
    );
    assert!(
        lines[3].starts_with("udp ") && lines[3].ends_with(" 17"),
        "{}",
        table.stdout
    );
    let one = common::run(["protobynumber", "17"]);
    assert_eq!(
        one.stdout
            .lines()
            .next()
            .map(str::split_whitespace)
            .map(Iterator::collect::<Vec<_>>),
        Some(vec!["name", "aliases", "number"])
    );
    let (json_records, _) = common::json(["protobyname", "tcp", "udp"]);
    let jsonl = common::run(["protobyname", "tcp", "udp", "--format", "jsonl"]);
    assert_eq!(jsonl.jsonl(), json_records);
    assert_eq!(
        json_records[0],
        json!({"query": "tcp", "name": "tcp", "aliases": ["TCP"], "number": 6})
    );
}

// ---------------------------------------------------------------- nameinfo

const NI_FLAGS: &[&str] = &[
    "0",
    "namereqd",
    "numerichost",
    "numericserv",
    "nofqdn",
    "dgram",
    "numerichost,numericserv",
    "namereqd,dgram",
    "nofqdn,numericserv",
];

/// The flags for an address /etc/hosts may not name: with NI_NUMERICHOST nothing is looked up
/// (and NI_NAMEREQD then fails at once, EAI_NONAME).
const NI_FLAGS_NUMERIC: &[&str] = &[
    "numerichost",
    "numerichost,numericserv",
    "numerichost,dgram",
    "numerichost,nofqdn",
    "numerichost,namereqd",
];

#[test]
fn nameinfo_matches_python_for_every_flag() {
    // Every flag for the loopback spellings /etc/hosts answers (NI_NOFQDN also looks up this
    // machine's host name, which /etc/hosts has too); numeric-only flags for the others.
    let mut cases = Vec::new();
    for (address, flags) in [
        ("127.0.0.1", NI_FLAGS),
        ("127.1", NI_FLAGS),
        ("::1", NI_FLAGS_NUMERIC),
        ("127.0.0.2", NI_FLAGS_NUMERIC),
        ("::ffff:127.0.0.1", NI_FLAGS_NUMERIC),
    ] {
        for port in ["0", "22", "53", "80"] {
            for flags in flags {
                cases.push((address, port, *flags));
            }
        }
    }
    let python_cases: Vec<Value> = cases
        .iter()
        .map(|(a, p, f)| json!([a, p.parse::<u16>().expect("port"), f]))
        .collect();
    let expected = python(&format!(
        r#"{OUTCOME}
def flags(text):
    value = 0
    for part in text.split(","):
        value |= int(part) if part.isdigit() else getattr(socket, "NI_" + part.upper())
    return value
cases = {}
print(json.dumps([outcome(lambda: list(socket.getnameinfo((a, p), flags(f)))) for a, p, f in cases]))
"#,
        serde_json::to_string(&python_cases).expect("cases as JSON")
    ));
    for ((address, port, flags), want) in cases.iter().zip(expected.as_array().expect("list")) {
        let (records, run) = common::json(["nameinfo", address, port, "--flags", flags]);
        let got = our_outcome(&records, &["host", "service"]);
        assert_eq!(&got, want, "nameinfo {address} {port} --flags {flags}");
        let code = if want.get("ok").is_some() { 0 } else { 1 };
        assert_eq!(
            run.code, code,
            "nameinfo {address} {port} --flags {flags}: {}",
            run.stderr
        );
    }
}

#[test]
fn nameinfo_namereqd_with_numerichost_fails_like_python() {
    // NI_NAMEREQD asks for a name that NI_NUMERICHOST forbids looking up: glibc fails at once,
    // the same on every machine, without asking /etc/hosts or DNS.
    let want = python(&format!(
        "{OUTCOME}\nprint(json.dumps(outcome(lambda: socket.getnameinfo(('127.0.0.2', 22), socket.NI_NAMEREQD | socket.NI_NUMERICHOST))))"
    ));
    assert_eq!(want["error"], "EAI_NONAME", "{want}");
    let (records, run) = common::json([
        "nameinfo",
        "127.0.0.2",
        "22",
        "--flags",
        "NI_NAMEREQD,numerichost",
    ]);
    assert_eq!(records[0]["query"], "127.0.0.2");
    assert_eq!(records[0]["error"]["code"], want["error"]);
    assert_eq!(records[0]["error"]["strerror"], want["message"]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr_lines().len(), 1);
}

#[test]
fn nameinfo_port_defaults_to_zero_and_zone_is_dropped_like_python() {
    let (records, run) = common::json(["nameinfo", "127.0.0.1"]);
    assert_eq!(run.code, 0);
    assert_eq!(records[0]["port"], 0);
    let want = python("print(json.dumps(socket.getnameinfo(('127.0.0.1', 0), 0)))");
    assert_eq!(json!([records[0]["host"], records[0]["service"]]), want);
    let want =
        python("print(json.dumps(socket.getnameinfo(('fe80::1%lo', 0), socket.NI_NUMERICHOST)))");
    let (records, _) = common::json(["nameinfo", "fe80::1%lo", "--flags", "numerichost"]);
    assert_eq!(json!([records[0]["host"], records[0]["service"]]), want);
}

#[test]
fn nameinfo_four_tuple_like_python() {
    let want = python(
        "print(json.dumps(socket.getnameinfo(('fe80::1', 7, 0, 1), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)))",
    );
    let (records, run) = common::json([
        "nameinfo",
        "fe80::1",
        "7",
        "--scope-id",
        "1",
        "--flowinfo",
        "0",
        "--flags",
        "numerichost,numericserv",
    ]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(json!([records[0]["host"], records[0]["service"]]), want);
    // Python: OSError for IPv4 with a 4-tuple, OverflowError for a flow label over 20 bits.
    for args in [
        vec!["nameinfo", "127.0.0.1", "--scope-id", "1"],
        vec!["nameinfo", "::1", "--flowinfo", "1048576"],
    ] {
        let (records, run) = common::json(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(records[0]["error"]["code"], "INVALID_INPUT", "{args:?}");
    }
}

#[test]
fn nameinfo_bad_input() {
    // A name: Python says EAI_NONAME (getaddrinfo with AI_NUMERICHOST); for sockscope it is bad input.
    for args in [
        vec!["nameinfo", "localhost", "80"],
        vec!["nameinfo", "999.1.1.1"],
        vec!["nameinfo", "127.0.0.1", "70000"],
        vec!["nameinfo", "127.0.0.1", "http"],
        vec!["nameinfo", ""],
    ] {
        let (records, run) = common::json(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert_eq!(records[0]["error"]["code"], "INVALID_INPUT", "{args:?}");
        assert_eq!(run.stderr_lines().len(), 1, "{args:?}");
    }
    let run = common::run(["nameinfo", "127.0.0.1", "--flags", "canonname"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("unknown NI_ name"), "{}", run.stderr);
    // glibc rejects flag bits it does not know, with EAI_BADFLAGS, as Python would show.
    let want = python(&format!(
        "{OUTCOME}\nprint(json.dumps(outcome(lambda: socket.getnameinfo(('127.0.0.1', 0), 4096))))"
    ));
    assert_eq!(want["error"], "EAI_BADFLAGS", "{want}");
    let (records, run) = common::json(["nameinfo", "127.0.0.1", "--flags", "4096"]);
    assert_eq!(our_outcome(&records, &["host", "service"]), want);
    assert_eq!(run.code, 2);
}

#[test]
fn nameinfo_in_every_format() {
    let table = common::run(["nameinfo", "127.0.0.1", "80"]);
    assert_eq!(table.code, 0);
    let want = python("print(json.dumps(socket.getnameinfo(('127.0.0.1', 80), 0)))");
    let lines: Vec<&str> = table.stdout.lines().collect();
    assert_eq!(
        lines[0].split_whitespace().collect::<Vec<_>>(),
        ["host", "service"]
    );
    assert_eq!(
        lines[2].split_whitespace().collect::<Vec<_>>(),
        [
            want[0].as_str().expect("host"),
            want[1].as_str().expect("service")
        ]
    );
    let (records, _) = common::json(["nameinfo", "127.0.0.1", "80"]);
    assert_eq!(
        records,
        [json!({"query": "127.0.0.1", "port": 80, "host": want[0], "service": want[1]})]
    );
    let jsonl = common::run(["nameinfo", "127.0.0.1", "80", "--format", "jsonl"]);
    assert_eq!(jsonl.jsonl(), records);
}

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
    let (records, run) = common::json(["hostbyaddr", "127.0.0.1", "999.1.1.1", "1::2::3", "a..b"]);
    assert_eq!(run.code, 2);
    assert_eq!(records.len(), 4);
    assert_eq!(records[0]["addresses"], json!(["127.0.0.1"]));
    for (record, key) in records[1..].iter().zip(["999.1.1.1", "1::2::3", "a..b"]) {
        assert_eq!(record["query"], key);
        assert_eq!(record["error"]["code"], "INVALID_INPUT", "{key}");
    }
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

/// NI_MAXHOST and NI_MAXSERV share the NI_ prefix but are buffer sizes: as flags they would
/// reach glibc as EAI_BADFLAGS, so they are refused as usage errors first.
#[test]
fn ni_buffer_sizes_are_refused_as_flags() {
    for flag in ["maxhost", "NI_MAXSERV"] {
        let run = common::run(["nameinfo", "127.0.0.1", "80", "--flags", flag]);
        assert_eq!(run.code, 2, "{}", run.stderr);
        let lines = run.stderr_lines();
        assert!(
            matches!(&lines[..], [line] if line.contains("is a buffer size, not a flag")),
            "{}",
            run.stderr
        );
    }
}
