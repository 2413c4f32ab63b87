//! `nameinfo`: getnameinfo against python3 for every flag, port and address spelling; bad input; its `--explain` pinned.

// Nothing here reaches DNS: names are looked up only for 127.0.0.1, which every /etc/hosts has,
// and any other address (::1 has no line in some /etc/hosts, 127.0.0.2 in most) only with
// NI_NUMERICHOST. Failures that need a resolver that answers "no such name" (a reverse lookup of
// an unnamed address, NI_NAMEREQD without a name) belong to a lab with its own resolver:
// tests/lab/reverse.rs has them.

use serde_json::{Value, json};

use crate::common;
use crate::common::reference::{OUTCOME, case, check, our_outcome, python};

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
    // A name is EAI_NONAME, as in Python: getaddrinfo with AI_NUMERICHOST asks no resolver.
    for args in [
        vec!["nameinfo", "localhost", "80"],
        vec!["nameinfo", "999.1.1.1"],
        vec!["nameinfo", "x", "0"],
    ] {
        let (records, run) = common::json(&args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(records[0]["error"]["code"], "EAI_NONAME", "{args:?}");
        assert!(run.stderr.contains("AI_NUMERICHOST"), "{}", run.stderr);
    }
    for args in [
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

// No case below reaches DNS: names are looked up only for 127.0.0.1 (in every /etc/hosts), and
// every other address (::1 has no line in some /etc/hosts) is asked with NI_NUMERICHOST.

/// NI_ flags as sockscope spells them and as Python source.
const NI_FLAG_SPELLINGS: &[(&str, &str)] = &[
    ("0", "0"),
    ("namereqd", "socket.NI_NAMEREQD"),
    ("numerichost", "socket.NI_NUMERICHOST"),
    ("numericserv", "socket.NI_NUMERICSERV"),
    // NI_NOFQDN makes glibc look up this machine's own host name, which /etc/hosts answers here.
    ("nofqdn", "socket.NI_NOFQDN"),
    ("dgram", "socket.NI_DGRAM"),
    (
        "numerichost,numericserv",
        "socket.NI_NUMERICHOST | socket.NI_NUMERICSERV",
    ),
    ("namereqd,dgram", "socket.NI_NAMEREQD | socket.NI_DGRAM"),
];

#[test]
fn nameinfo_prints_the_pair_for_every_flag() {
    let mut cases = Vec::new();
    for (flags, py_flags) in NI_FLAG_SPELLINGS {
        // Port 1 is tcpmux (tcp only), 512 exec/tcp but biff/udp, 4 has no service at all.
        for port in [0, 1, 4, 22, 53, 80, 512] {
            cases.push(case(
                &format!("nameinfo 127.0.0.1 {port} --flags {flags}"),
                &[&format!(
                    "socket.getnameinfo(('127.0.0.1', {port}), {py_flags})"
                )],
            ));
        }
    }
    for (flags, py_flags) in [
        ("numerichost", "socket.NI_NUMERICHOST"),
        (
            "numerichost,dgram",
            "socket.NI_NUMERICHOST | socket.NI_DGRAM",
        ),
        (
            "numerichost,numericserv",
            "socket.NI_NUMERICHOST | socket.NI_NUMERICSERV",
        ),
    ] {
        for address in [
            "::1",
            "127.0.0.2",
            "::ffff:127.0.0.1",
            "10.1.2.3",
            "2001:db8::1",
        ] {
            cases.push(case(
                &format!("nameinfo {address} 53 --flags {flags}"),
                &[&format!(
                    "socket.getnameinfo(('{address}', 53), {py_flags})"
                )],
            ));
        }
    }
    check(&cases);
}

#[test]
fn nameinfo_spellings_tuples_and_default_port() {
    let numeric = "socket.NI_NUMERICHOST | socket.NI_NUMERICSERV";
    check(&[
        case(
            "nameinfo 127.0.0.1",
            &["socket.getnameinfo(('127.0.0.1', 0), 0)"],
        ),
        case(
            "nameinfo 127.1 22",
            &["socket.getnameinfo(('127.1', 22), 0)"],
        ),
        // The 2-tuple drops the zone; the 4-tuple's scope_id puts it back.
        case(
            "nameinfo fe80::1%lo 7 --flags numerichost,numericserv",
            &[&format!("socket.getnameinfo(('fe80::1%lo', 7), {numeric})")],
        ),
        case(
            "nameinfo fe80::1 7 --scope-id 1 --flags numerichost,numericserv",
            &[&format!(
                "socket.getnameinfo(('fe80::1', 7, 0, 1), {numeric})"
            )],
        ),
        case(
            "nameinfo ::1 80 --flowinfo 5 --flags numerichost",
            &["socket.getnameinfo(('::1', 80, 5, 0), socket.NI_NUMERICHOST)"],
        ),
    ]);
}

#[test]
fn nameinfo_failures_print_the_gaierror() {
    check(&[
        // NI_NAMEREQD with NI_NUMERICHOST: glibc refuses without looking anything up.
        case(
            "nameinfo ::1 53 --flags numerichost,namereqd",
            &["socket.getnameinfo(('::1', 53), socket.NI_NUMERICHOST | socket.NI_NAMEREQD)"],
        ),
        case(
            "nameinfo 127.0.0.1 80 --flags 4096",
            &["socket.getnameinfo(('127.0.0.1', 80), 4096)"],
        ),
        // A name never resolves here (AI_NUMERICHOST), in Python as in sockscope.
        case(
            "nameinfo localhost 80",
            &["socket.getnameinfo(('localhost', 80), 0)"],
        ),
        case(
            "nameinfo 999.1.1.1 80",
            &["socket.getnameinfo(('999.1.1.1', 80), 0)"],
        ),
    ]);
}

crate::explain! {
    nameinfo_numeric: "nameinfo 127.0.0.1 80 --flags numerichost,numericserv",
    nameinfo_v6: "nameinfo ::1 22 --flags numerichost",
    nameinfo_v4_name: "nameinfo 127.0.0.1 22",
    nameinfo_numericserv: "nameinfo 127.0.0.1 22 --flags numericserv",
    nameinfo_dgram: "nameinfo 127.0.0.1 53 --flags dgram",
    nameinfo_namereqd_numeric: "nameinfo ::1 53 --flags numerichost,namereqd",
}

crate::explain_json! {
    json_nameinfo_numeric: "nameinfo 127.0.0.1 80 --flags numerichost,numericserv",
}

crate::errors! {
    error_nameinfo_name: ["nameinfo", "localhost", "80"],
}
