//! `addrinfo`: getaddrinfo against python3 across families, types, protocols and flags; its failures, bad input and `--explain`.

use serde_json::{Value, json};

use crate::common::explain::{calls, text};
use crate::common::reference::{case, check};
use crate::common::{self, json, python_json, run};

/// sockscope's addrinfo records as Python's 5-tuples, to compare with python3's own answer.
fn as_tuples(records: &[Value]) -> Value {
    Value::Array(
        records
            .iter()
            .map(|r| {
                let addr = if r["family"] == "AF_INET6" {
                    json!([r["address"], r["port"], r["flowinfo"], r["scope_id"]])
                } else {
                    json!([r["address"], r["port"]])
                };
                json!([r["family"], r["type"], r["proto"], r["canonname"], addr])
            })
            .collect(),
    )
}

fn python_addrinfo(args: &str) -> Value {
    python_json(&format!(
        "[[ai[0].name, ai[1].name, ai[2], ai[3], list(ai[4])] for ai in socket.getaddrinfo({args})]"
    ))
}

#[test]
fn addrinfo_matches_python_across_options() {
    let cases: &[(&[&str], &str)] = &[
        (&["localhost", "http"], "'localhost', 'http'"),
        (&["127.0.0.1", "80"], "'127.0.0.1', 80"),
        (&["::1", "80"], "'::1', 80"),
        (&["localhost"], "'localhost', None"),
        (
            &["localhost", "22", "-t", "stream"],
            "'localhost', 22, 0, socket.SOCK_STREAM",
        ),
        (
            &["localhost", "53", "-t", "dgram"],
            "'localhost', 53, 0, socket.SOCK_DGRAM",
        ),
        (
            &["localhost", "53", "-p", "udp"],
            "'localhost', 53, 0, 0, socket.IPPROTO_UDP",
        ),
        (
            &["localhost", "80", "-4"],
            "'localhost', 80, socket.AF_INET",
        ),
        (&["::1", "80", "-f", "inet6"], "'::1', 80, socket.AF_INET6"),
        (
            &["localhost", "80", "-f", "AF_INET", "-t", "SOCK_STREAM"],
            "'localhost', 80, socket.AF_INET, socket.SOCK_STREAM",
        ),
        (
            &["localhost", "80", "--flags", "canonname"],
            "'localhost', 80, 0, 0, 0, socket.AI_CANONNAME",
        ),
        (
            &["127.0.0.1", "80", "--flags", "AI_NUMERICHOST,numericserv"],
            "'127.0.0.1', 80, 0, 0, 0, socket.AI_NUMERICHOST | socket.AI_NUMERICSERV",
        ),
        (
            &["127.0.0.1", "80", "-6", "--flags", "v4mapped"],
            "'127.0.0.1', 80, socket.AF_INET6, 0, 0, socket.AI_V4MAPPED",
        ),
        (
            &["--service", "8080", "--flags", "passive"],
            "None, 8080, 0, 0, 0, socket.AI_PASSIVE",
        ),
        (&["--service", "8080"], "None, 8080"),
        (
            &["localhost", "80", "--flags", "all,v4mapped", "-6"],
            "'localhost', 80, socket.AF_INET6, 0, 0, socket.AI_ALL | socket.AI_V4MAPPED",
        ),
    ];
    for (args, py) in cases {
        let mut all = vec!["addrinfo"];
        all.extend(*args);
        let (records, run) = json(&all);
        assert_eq!(run.code, 0, "{all:?}: {}", run.stderr);
        assert_eq!(as_tuples(&records), python_addrinfo(py), "{all:?}");
    }
}

#[test]
fn addrinfo_records_name_their_query_and_service() {
    let (records, _) = json(["addrinfo", "localhost", "http"]);
    assert_eq!(records[0]["query"], "localhost");
    assert_eq!(records[0]["service"], "http");
    let (records, _) = json(["addrinfo", "--service", "80", "-4", "--flags", "passive"]);
    assert_eq!(records[0]["query"], Value::Null);
    assert_eq!(records[0]["address"], "0.0.0.0");
}

#[test]
fn addrinfo_ipv6_records_carry_flowinfo_and_scope_id() {
    let (records, _) = json(["addrinfo", "::1", "80", "-t", "stream"]);
    assert_eq!(
        records,
        vec![json!({
            "query": "::1", "service": "80", "family": "AF_INET6", "type": "SOCK_STREAM",
            "proto": 6, "canonname": "", "address": "::1", "port": 80, "flowinfo": 0, "scope_id": 0
        })]
    );
    let (v4, _) = json(["addrinfo", "127.0.0.1", "80", "-t", "stream"]);
    assert!(v4[0].get("flowinfo").is_none());
}

#[test]
fn addrinfo_failures_have_eai_codes() {
    // AI_NUMERICHOST keeps this off the network: a name is simply not a number.
    let (records, run) = json(["addrinfo", "nosuch.invalid", "--flags", "numerichost"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["query"], "nosuch.invalid");
    assert_eq!(records[0]["error"]["code"], "EAI_NONAME");
    assert_eq!(
        run.stderr_lines(),
        [
            "sockscope: addrinfo: nosuch.invalid: not a numeric address, and AI_NUMERICHOST forbids looking the name up (EAI_NONAME)"
        ]
    );
    let (records, run) = json(["addrinfo", "localhost", "nosuchservice"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["error"]["code"], "EAI_SERVICE");
    assert!(
        run.stderr
            .starts_with("sockscope: addrinfo: nosuchservice: ")
    );
    let (records, run) = json(["addrinfo", "localhost", "http", "-t", "dgram"]);
    assert_eq!(run.code, 1, "http has no udp entry here");
    assert_eq!(records[0]["error"]["code"], "EAI_SERVICE");
}

/// AI_NUMERICSERV refuses a service name before glibc looks at the host (so nothing leaves the
/// machine): the error line names the service, as for an unknown service, not the host.
#[test]
fn numericserv_refusal_names_the_service() {
    let (records, run) = json(["addrinfo", "localhost", "http", "--flags", "numericserv"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["query"], "localhost");
    assert_eq!(records[0]["error"]["code"], "EAI_NONAME");
    assert_eq!(
        run.stderr_lines(),
        [
            "sockscope: addrinfo: http: service is not a port number, and AI_NUMERICSERV forbids looking it up (EAI_NONAME)"
        ]
    );
    // With both numeric flags the service is still what glibc refuses first.
    let run = common::run([
        "addrinfo",
        "nosuch.invalid",
        "ssh",
        "--flags",
        "numerichost,numericserv",
    ]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr
            .starts_with("sockscope: addrinfo: ssh: service is not a port number"),
        "{}",
        run.stderr
    );
}

/// AI_IDN (64, a GNU flag Python has no name for) with a non-ASCII name: glibc cannot encode it
/// in the C locale sockscope runs in, and fails before any name service is asked.
#[test]
fn a_non_ascii_name_is_encoded_before_ai_idn_sees_it() {
    // Python's idna codec has made the name ASCII, so glibc's AI_IDN finds nothing to do.
    let (records, run) = json(["addrinfo", "ｌｏｃａｌｈｏｓｔ", "--flags", "64", "-4"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(records[0]["query"], "ｌｏｃａｌｈｏｓｔ");
    assert_eq!(records[0]["address"], "127.0.0.1");
    // `xn--b!-xka.invalid`: refused by glibc's DNS module without a query.
    let (records, run) = json(["addrinfo", "bü!.invalid", "--flags", "64"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(records[0]["error"]["code"], "EAI_NONAME");
    assert!(
        run.stderr.contains("refused without a query"),
        "{}",
        run.stderr
    );
}

#[test]
fn addrinfo_bad_input_never_reaches_libc() {
    let long = format!("{}.example", vec!["a".repeat(50); 5].join("."));
    let label = format!("{}.example", "a".repeat(64));
    // 63 characters, 67 bytes once encoded.
    let encoded_label = format!("ü{}.example", "a".repeat(62));
    let last_label = "a".repeat(64);
    let cases: &[(&[&str], &str)] = &[
        (&["localhost", "70000"], "port must be 0-65535"),
        // `-1` alone would read as an option (like -4); after `--` it is the service.
        (&["--", "localhost", "-1"], "port must be 0-65535"),
        (&[&long, "80"], "name too long (262 > 253 bytes)"),
        (
            &[&label, "80"],
            "idna codec can encode: label empty or too long",
        ),
        (
            &[&encoded_label, "80"],
            "idna codec can encode: label empty or too long",
        ),
        (
            &[&last_label, "80"],
            "idna codec can encode: label too long",
        ),
        (
            &["a..b", "80"],
            "idna codec can encode: label empty or too long",
        ),
        (
            &["ｌｏｃａｌ\u{E000}ｈｏｓｔ", "80"],
            r"Invalid character '\ue000'",
        ),
        (&["", "80"], "empty host name"),
    ];
    for (args, message) in cases {
        let mut all = vec!["addrinfo"];
        all.extend(*args);
        let (records, run) = json(&all);
        assert_eq!(run.code, 2, "{all:?}");
        assert_eq!(records[0]["error"]["code"], "INVALID_INPUT");
        let got = records[0]["error"]["message"].as_str().unwrap_or_default();
        assert!(got.contains(message), "{all:?}: {got}");
        assert_eq!(run.stderr_lines().len(), 1);
    }
}

#[test]
fn addrinfo_without_host_or_service_is_a_usage_error() {
    let run = run(["addrinfo"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr_lines().len(), 1);
    assert!(run.stdout.is_empty());
}

#[test]
fn addrinfo_every_family_and_type_on_loopback() {
    let families = [
        ("unspec", "0"),
        ("inet", "socket.AF_INET"),
        ("inet6", "socket.AF_INET6"),
    ];
    let types = [
        ("0", "0"),
        ("stream", "socket.SOCK_STREAM"),
        ("dgram", "socket.SOCK_DGRAM"),
        ("raw", "socket.SOCK_RAW"),
    ];
    let mut cases = Vec::new();
    for host in ["127.0.0.1", "::1", "localhost"] {
        for (family, py_family) in families {
            // /etc/hosts has no IPv6 line for localhost, so asking for its AF_INET6 addresses
            // would go to DNS, which no test may use; the resolver lab covers that question.
            if host == "localhost" && family == "inet6" {
                continue;
            }
            for (socktype, py_type) in types {
                cases.push(case(
                    &format!("addrinfo {host} 80 --family {family} --type {socktype}"),
                    &[&format!(
                        "socket.getaddrinfo('{host}', 80, {py_family}, {py_type})"
                    )],
                ));
            }
        }
    }
    check(&cases);
}

#[test]
fn addrinfo_flags_protocols_and_null_arguments() {
    check(&[
        case(
            "addrinfo localhost http",
            &["socket.getaddrinfo('localhost', 'http')"],
        ),
        case(
            "addrinfo 127.0.0.1 80 -p udp",
            &["socket.getaddrinfo('127.0.0.1', 80, 0, 0, socket.IPPROTO_UDP)"],
        ),
        case(
            "addrinfo localhost 80 --flags canonname",
            &["socket.getaddrinfo('localhost', 80, 0, 0, 0, socket.AI_CANONNAME)"],
        ),
        case(
            "addrinfo ::1 domain --flags canonname,numerichost",
            &[
                "socket.getaddrinfo('::1', 'domain', 0, 0, 0, socket.AI_CANONNAME | socket.AI_NUMERICHOST)",
            ],
        ),
        case(
            "addrinfo --service 8080 --flags passive",
            &["socket.getaddrinfo(None, 8080, 0, 0, 0, socket.AI_PASSIVE)"],
        ),
        case(
            "addrinfo --service 8080 -t stream",
            &["socket.getaddrinfo(None, 8080, 0, socket.SOCK_STREAM)"],
        ),
        case(
            "addrinfo localhost",
            &["socket.getaddrinfo('localhost', None)"],
        ),
        case(
            "addrinfo 127.0.0.1 80 -6 --flags v4mapped",
            &["socket.getaddrinfo('127.0.0.1', 80, socket.AF_INET6, 0, 0, socket.AI_V4MAPPED)"],
        ),
        case(
            "addrinfo localhost 80 -6 -t stream --flags v4mapped,all",
            &[
                "socket.getaddrinfo('localhost', 80, socket.AF_INET6, socket.SOCK_STREAM, 0, socket.AI_V4MAPPED | socket.AI_ALL)",
            ],
        ),
        case(
            "addrinfo localhost 80 --flags addrconfig",
            &["socket.getaddrinfo('localhost', 80, 0, 0, 0, socket.AI_ADDRCONFIG)"],
        ),
        case(
            "addrinfo 127.0.0.1 80 -p 132",
            &["socket.getaddrinfo('127.0.0.1', 80, 0, 0, 132)"],
        ),
        case(
            "addrinfo ::1 80 -t stream -p udp",
            &["socket.getaddrinfo('::1', 80, 0, socket.SOCK_STREAM, socket.IPPROTO_UDP)"],
        ),
        case(
            "addrinfo 127.0.0.1 80 --flags numericserv,numerichost -t dgram",
            &[
                "socket.getaddrinfo('127.0.0.1', 80, 0, socket.SOCK_DGRAM, 0, socket.AI_NUMERICSERV | socket.AI_NUMERICHOST)",
            ],
        ),
    ]);
}

#[test]
fn addrinfo_failures_print_the_gaierror() {
    check(&[
        case(
            "addrinfo nosuch!.invalid 80",
            &["socket.getaddrinfo('nosuch!.invalid', 80)"],
        ),
        case(
            "addrinfo localhost nosuchservice",
            &["socket.getaddrinfo('localhost', 'nosuchservice')"],
        ),
        case(
            "addrinfo localhost 80 --flags numerichost",
            &["socket.getaddrinfo('localhost', 80, 0, 0, 0, socket.AI_NUMERICHOST)"],
        ),
        case(
            "addrinfo 127.0.0.1 http --flags numericserv",
            &["socket.getaddrinfo('127.0.0.1', 'http', 0, 0, 0, socket.AI_NUMERICSERV)"],
        ),
        case(
            "addrinfo 127.0.0.1 80 -6",
            &["socket.getaddrinfo('127.0.0.1', 80, socket.AF_INET6)"],
        ),
        case(
            "addrinfo ::1 80 -4",
            &["socket.getaddrinfo('::1', 80, socket.AF_INET)"],
        ),
        case(
            "addrinfo 127.0.0.1 80 --family 99",
            &["socket.getaddrinfo('127.0.0.1', 80, 99)"],
        ),
        case(
            "addrinfo 127.0.0.1 80 --type 99",
            &["socket.getaddrinfo('127.0.0.1', 80, 0, 99)"],
        ),
    ]);
}

#[test]
fn explain_example_reads_as_documented() {
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

/// A name glibc's DNS module refuses without asking gets a note that says so, not the generic
/// EAI_NONAME note that blames the sources (the resolver lab proves no query is sent).
#[test]
fn refused_host_name_is_explained() {
    let (records, run) = common::json(["addrinfo", "nosuch!.invalid", "--explain"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["error"]["code"], "EAI_NONAME");
    let message = records[0]["error"]["message"].as_str().unwrap_or_default();
    assert!(
        message.starts_with("not a valid host name for DNS"),
        "{message}"
    );
    let notes = records[0]["call"]["notes"].to_string();
    assert!(notes.contains("checks a name with res_hnok"), "{notes}");
    assert!(!notes.contains("no source the resolver asked"), "{notes}");
}

crate::explain! {
    addrinfo_localhost_http: "addrinfo localhost http",
    addrinfo_numeric_stream: "addrinfo 127.0.0.1 80 -t stream",
    addrinfo_passive: "addrinfo --service 8080 --flags passive",
    addrinfo_v6_numerichost: "addrinfo ::1 80 --flags numerichost",
    addrinfo_stream_canonname: "addrinfo localhost http -t stream --flags canonname",
    addrinfo_v4mapped_stream: "addrinfo 127.0.0.1 80 -6 -t stream --flags v4mapped",
    addrinfo_nosuch_service: "addrinfo localhost nosuchservice",
    addrinfo_numericserv_refused: "addrinfo localhost http --flags numericserv",
}

crate::explain_json! {
    json_addrinfo_numeric_stream: "addrinfo 127.0.0.1 80 -t stream",
}

crate::errors! {
    error_addrinfo_nothing: ["addrinfo"],
}
