//! End-to-end tests of the six core subcommands against CPython's socket module on this machine.

mod common;

use common::{json, python_json, run};
use serde_json::{Value, json};

/// The (name, port, proto) entries of the machine's /etc/services, as getent reads them.
fn services_file() -> Vec<(String, u16, String)> {
    let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let (Some(name), Some(port_proto)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Some((port, proto)) = port_proto.split_once('/') else {
            continue;
        };
        if let Ok(port) = port.parse() {
            entries.push((name.to_string(), port, proto.to_string()));
        }
    }
    entries
}

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
fn every_etc_services_entry_round_trips_like_python() {
    let entries = services_file();
    assert!(entries.len() > 10, "/etc/services has entries");
    let by_name: Vec<String> = entries.iter().map(|(n, _, p)| format!("{n}/{p}")).collect();
    let by_port: Vec<String> = entries.iter().map(|(_, n, p)| format!("{n}/{p}")).collect();

    let mut args = vec!["servbyname".to_string()];
    args.extend(by_name.iter().cloned());
    let (names, run_names) = json(&args);
    assert_eq!(run_names.code, 0, "{}", run_names.stderr);
    let mut args = vec!["servbyport".to_string()];
    args.extend(by_port.iter().cloned());
    let (ports, run_ports) = json(&args);
    assert_eq!(run_ports.code, 0, "{}", run_ports.stderr);

    let pairs: Vec<Value> = entries
        .iter()
        .map(|(n, port, p)| json!([n, port, p]))
        .collect();
    let expected = python_json(&format!(
        "[[socket.getservbyname(n, p), socket.getservbyport(port, p)] for n, port, p in {}]",
        serde_json::to_string(&pairs).unwrap_or_default()
    ));
    for (i, (name, port, proto)) in entries.iter().enumerate() {
        assert_eq!(
            names[i]["port"], expected[i][0],
            "servbyname {name}/{proto}"
        );
        assert_eq!(names[i]["proto"], proto.as_str());
        assert_eq!(
            ports[i]["name"], expected[i][1],
            "servbyport {port}/{proto}"
        );
        assert_eq!(ports[i]["port"], *port);
    }
}

#[test]
fn servbyport_takes_a_default_protocol() {
    let (records, run) = json(["servbyport", "53", "-p", "udp"]);
    assert_eq!(run.code, 0);
    assert_eq!(records[0]["proto"], "udp");
    assert_eq!(
        records[0]["name"],
        python_json("socket.getservbyport(53, 'udp')")
    );
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

#[test]
fn bad_ports_are_invalid_input_and_others_still_answer() {
    let (records, run) = json(["servbyport", "22", "65536", "-1", "abc", "80/", "80"]);
    assert_eq!(run.code, 2);
    assert_eq!(records.len(), 6);
    assert_eq!(records[0]["name"], "ssh");
    for bad in &records[1..5] {
        assert_eq!(bad["error"]["code"], "INVALID_INPUT", "{bad}");
    }
    assert_eq!(records[5]["name"], "http");
    assert_eq!(run.stderr_lines().len(), 4);
    assert!(
        run.stderr_lines()
            .iter()
            .all(|l| l.starts_with("sockscope: servbyport: ") && l.ends_with("(INVALID_INPUT)"))
    );
}

#[test]
fn highest_exit_code_wins() {
    let run = run(["servbyname", "nosuchservice", "ssh/"]);
    assert_eq!(run.code, 2, "bad input (2) outranks not found (1)");
    assert_eq!(run.stderr_lines().len(), 2);
}

#[test]
fn hostname_matches_python() {
    let (records, run) = json(["hostname"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        records,
        vec![json!({"hostname": python_json("socket.gethostname()")})]
    );
}

#[test]
fn hostname_fqdn_and_addresses() {
    let (records, run) = json(["hostname", "--fqdn", "--addresses"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected_fqdn = python_json(
        "socket.getaddrinfo(socket.gethostname(), None, 0, 0, 0, socket.AI_CANONNAME)[0][3]",
    );
    assert_eq!(records[0]["fqdn"], expected_fqdn);
    assert_eq!(
        records[0]["address"],
        python_json("socket.gethostbyname(socket.gethostname())")
    );
    let expected_all = python_json(
        "list(dict.fromkeys(ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None)))",
    );
    assert_eq!(records[0]["addresses"], expected_all);
}

#[test]
fn hostbyname_matches_python() {
    let names = ["localhost", "127.0.0.1", "<broadcast>", "127.1"];
    let mut args = vec!["hostbyname"];
    args.extend(names);
    let (records, run) = json(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = python_json(&format!(
        "[socket.gethostbyname(n) for n in {}]",
        serde_json::to_string(&names).unwrap_or_default()
    ));
    for (i, name) in names.iter().enumerate() {
        assert_eq!(records[i]["query"], *name);
        assert_eq!(records[i]["address"], expected[i], "{name}");
    }
}

#[test]
fn hostbyname_ex_matches_python() {
    let names = ["localhost", "127.0.0.1"];
    let (records, run) = json(["hostbyname", "--ex", names[0], names[1]]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = python_json(&format!(
        "[socket.gethostbyname_ex(n) for n in {}]",
        serde_json::to_string(&names).unwrap_or_default()
    ));
    for (i, name) in names.iter().enumerate() {
        let e = &expected[i];
        assert_eq!(
            [
                &records[i]["name"],
                &records[i]["aliases"],
                &records[i]["addresses"]
            ],
            [&e[0], &e[1], &e[2]],
            "{name}"
        );
    }
}

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
fn an_unencodable_idn_name_is_named_and_is_bad_input() {
    let (records, run) = json(["addrinfo", "b\u{fc}cher.invalid", "--flags", "64"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert_eq!(records[0]["error"]["code"], "EAI_IDN_ENCODE");
    assert_eq!(
        records[0]["error"]["strerror"],
        "Parameter string not correctly encoded"
    );
    assert_eq!(
        run.stderr_lines(),
        [
            "sockscope: addrinfo: b\u{fc}cher.invalid: AI_IDN could not encode the host name as IDNA (sockscope runs in the C locale, where only ASCII names can be encoded) (EAI_IDN_ENCODE)"
        ]
    );
}

#[test]
fn addrinfo_bad_input_never_reaches_libc() {
    let long = format!("{}.example", "a".repeat(250));
    let label = format!("{}.example", "a".repeat(64));
    let cases: &[(&[&str], &str)] = &[
        (&["localhost", "70000"], "port must be 0-65535"),
        // `-1` alone would read as an option (like -4); after `--` it is the service.
        (&["--", "localhost", "-1"], "port must be 0-65535"),
        (&[&long, "80"], "name too long (258 > 253 bytes)"),
        (&[&label, "80"], "label too long (64 > 63 bytes)"),
        (&["a..b", "80"], "empty label"),
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
fn bad_options_are_clap_usage_errors() {
    for args in [
        vec!["addrinfo", "localhost", "-f", "bogus"],
        vec!["addrinfo", "localhost", "-t", "bogus"],
        vec!["addrinfo", "localhost", "--flags", "canonname,bogus"],
        vec!["addrinfo", "localhost", "-p", "nosuchproto"],
        vec!["servbyname", "ssh", "--format", "xml"],
        vec!["servbyname"],
        vec!["nosuchcommand"],
    ] {
        let run = run(&args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(run.stdout.is_empty(), "{args:?}");
        assert!(!run.stderr.contains("panicked"), "{args:?}");
    }
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
fn constants_match_python_for_every_group() {
    let (records, run) = json(["constants"]);
    assert_eq!(run.code, 0);
    let groups = [
        "AF_", "SOCK_", "IPPROTO_", "AI_", "NI_", "EAI_", "SOL_", "SO_", "MSG_", "SHUT_", "TCP_",
        "IP_", "IPV6_",
    ];
    let python = python_json(&format!(
        "sorted([n, int(getattr(socket, n)), g] for g in {} for n in dir(socket) \
         if n.startswith(g) and isinstance(getattr(socket, n), int))",
        serde_json::to_string(&groups).unwrap_or_default()
    ));
    let python = python.as_array().cloned().unwrap_or_default();
    let ours: Vec<Value> = records
        .iter()
        .map(|r| json!([r["name"], r["value"], r["prefix"]]))
        .collect();
    // Every name sockscope shows has Python's value...
    for row in &ours {
        if let Some(py) = python.iter().find(|p| p[0] == row[0]) {
            assert_eq!(py, row, "value of {}", row[0]);
        } else {
            assert_eq!(
                row[0], "AF_LOCAL",
                "only documented additions are not in Python"
            );
        }
    }
    // ...and every name Python has (those the libc crate lacks come from the C headers, through
    // build.rs).
    let missing: Vec<&Value> = python
        .iter()
        .filter(|p| !ours.iter().any(|o| o[0] == p[0]))
        .map(|p| &p[0])
        .collect();
    assert!(missing.is_empty(), "missing {missing:?}");
}

#[test]
fn constants_list_shared_values_and_find_by_value() {
    let (records, run) = json(["constants", "af", "--value", "1"]);
    assert_eq!(run.code, 0);
    let names: Vec<&Value> = records.iter().map(|r| &r["name"]).collect();
    assert_eq!(names, [&json!("AF_LOCAL"), &json!("AF_UNIX")]);
    let (records, _) = json(["constants", "--value", "10", "AF_"]);
    assert_eq!(records[0]["name"], "AF_INET6");
    let (records, run) = json(["constants", "--value", "-2", "EAI"]);
    assert_eq!(run.code, 0);
    assert_eq!(records[0]["name"], "EAI_NONAME");
}

#[test]
fn constants_prefix_is_case_insensitive_and_unknown_is_not_found() {
    let (records, _) = json(["constants", "shut"]);
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r["prefix"] == "SHUT_"));
    let (records, run) = json(["constants", "SHUT_", "NOPE_"]);
    assert_eq!(run.code, 1);
    assert_eq!(records.len(), 4);
    assert_eq!(records[3]["error"]["code"], "NOT_FOUND");
    let (_, run) = json(["constants", "--value", "123456789"]);
    assert_eq!(run.code, 1);
}

#[test]
fn every_subcommand_in_every_format() {
    let commands: &[&[&str]] = &[
        &["servbyname", "ssh"],
        &["servbyport", "22"],
        &["hostname"],
        &["hostbyname", "localhost"],
        &["hostbyname", "--ex", "localhost"],
        &["addrinfo", "localhost", "ssh"],
        &["constants", "SHUT_"],
    ];
    for command in commands {
        let mut table = command.to_vec();
        table.extend(["--format", "table"]);
        let t = run(&table);
        assert_eq!(t.code, 0, "{table:?}");
        let header = t.stdout.lines().next().unwrap_or_default();
        assert!(!header.is_empty() && !header.starts_with('['), "{table:?}");
        assert_eq!(
            t.stdout.lines().nth(1).map(|l| l.trim_matches(['-', ' '])),
            Some(""),
            "{table:?} has a rule under its header"
        );

        let mut json_args = command.to_vec();
        json_args.push("--json");
        let j = run(&json_args).json();
        let mut jsonl_args = command.to_vec();
        jsonl_args.extend(["--format", "jsonl"]);
        let l = run(&jsonl_args).jsonl();
        assert!(!j.is_empty(), "{command:?}");
        assert_eq!(
            j, l,
            "json and jsonl carry the same records for {command:?}"
        );
    }
}

#[test]
fn table_shows_query_column_only_when_keys_differ() {
    let one = run(["servbyname", "ssh"]);
    assert!(one.stdout.starts_with("name"), "{}", one.stdout);
    let two = run(["servbyname", "ssh", "http"]);
    assert!(two.stdout.starts_with("query"), "{}", two.stdout);
    let wide = run(["addrinfo", "::1", "80"]);
    assert!(
        wide.stdout.lines().all(|l| l.len() <= 80),
        "fits 80 columns:\n{}",
        wide.stdout
    );
}

#[test]
fn closed_pipe_ends_quietly() {
    use std::process::{Command, Stdio};
    for format in ["table", "json", "jsonl"] {
        let mut child = Command::new(common::bin())
            .args(["constants", "--format", format])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        // Hang up before sockscope has written anything, so its first write meets EPIPE.
        drop(child.stdout.take());
        let output = child.wait_with_output().expect("wait");
        assert_eq!(output.status.code(), Some(0), "{format}");
        assert!(
            output.stderr.is_empty(),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn help_documents_examples_and_exit_codes() {
    let top = run(["--help"]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("Exit codes:"));
    assert!(top.stdout.contains("sockscope addrinfo localhost http"));
    for sub in [
        "servbyname",
        "servbyport",
        "hostname",
        "hostbyname",
        "addrinfo",
        "constants",
    ] {
        let help = run([sub, "--help"]);
        assert_eq!(help.code, 0);
        assert!(help.stdout.contains("Examples:"), "{sub}");
    }
}
