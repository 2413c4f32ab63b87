//! `--explain`: every Python line sockscope shows is run by python3 and must give what sockscope shows.

mod common;

// `nosuch!.invalid` is not a valid host name, so glibc answers EAI_NONAME without asking DNS:
// these tests never reach the machine's resolver (the resolver lab covers real NXDOMAIN).

use serde_json::Value;

/// Commands whose every call is checked.
const COMMANDS: &[&str] = &[
    "servbyname ssh http/tcp domain/udp nosuchservice",
    "servbyname www -p tcp",
    "servbyport 80 53/udp 22 80/udp",
    "hostname",
    "hostname --fqdn --addresses",
    "hostbyname localhost 127.0.0.1 <broadcast> nosuch!.invalid",
    "hostbyname --ex localhost nosuch!.invalid",
    "addrinfo localhost http",
    "addrinfo 127.0.0.1 80",
    "addrinfo ::1 80 -t stream --flags canonname",
    "addrinfo localhost 80 -6 -p tcp --flags v4mapped,all",
    "addrinfo --service 8080 --flags passive",
    "addrinfo --service 8080",
    "addrinfo localhost",
    "addrinfo nosuch!.invalid 80",
    "addrinfo localhost nosuchservice",
    "addrinfo 127.0.0.1 80 -6",
    "addrinfo 127.0.0.1 80 --family 99",
    // A non-ASCII name becomes a bytes literal, so Python passes the same bytes (not IDNA).
    "addrinfo bücher.invalid 80",
    "hostbyname bücher.invalid",
    // Quotes inside keys pick Python's other quote or an escape.
    "servbyname it's a\"b",
    "constants SOCK_ IPPROTO_ AI_ MSG_ TCP_ SHUT_ SOL_",
    // Groups with names the libc crate lacks, valued from the C headers by build.rs.
    "constants AF_ NI_ EAI_ SO_ IP_ IPV6_",
    "constants --value 10",
    "constants --value 1 AF_ SOCK_",
    "constants --value 9999",
    // Reverse lookups: names only for 127.0.0.1 (in /etc/hosts), NI_NUMERICHOST for the rest,
    // so nothing reaches DNS.
    "nameinfo 127.0.0.1 80",
    "nameinfo 127.0.0.1 4 --flags namereqd,dgram",
    "nameinfo 127.0.0.1 53 --flags numericserv,nofqdn",
    "nameinfo ::1 53 --flags numerichost",
    "nameinfo fe80::1%lo 7 --flags numerichost,numericserv",
    "nameinfo fe80::1 7 --scope-id 1 --flowinfo 3 --flags numerichost",
    "nameinfo ::1 --flags numerichost,namereqd",
    "nameinfo 127.0.0.1 80 --flags 4096",
    "nameinfo localhost 80",
    "hostbyaddr 127.0.0.1 127.1 localhost",
    "protobyname tcp TCP ipv6-icmp nosuchproto",
];

/// Commands whose keys hold spaces or quotes, given argument by argument.
const SPACED: &[&[&str]] = &[&["hostbyaddr", "a b", "it's", "localhost"]];

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

/// Run one command with `--explain`, run its Python lines in python3, and compare with what
/// `--format python` shows; a mismatch is described in the returned text.
fn python_lines_agree(command: &[String]) -> Option<String> {
    let with = |extra: &[&str]| -> Vec<String> {
        command
            .iter()
            .cloned()
            .chain(extra.iter().map(|e| (*e).to_string()))
            .collect()
    };
    let (records, _) = common::json(with(&["--explain"]));
    let calls = calls(&records);
    for call in &calls {
        assert!(!text(call, "c").is_empty(), "{command:?}: empty C call");
        assert!(call["notes"].is_array(), "{command:?}: notes");
    }
    let lines: Vec<String> = calls.iter().map(|c| text(c, "python")).collect();
    let python = common::python_reprs(&lines);
    let shown = common::run(with(&["--format", "python"]));
    let shown: Vec<String> = shown.stdout.lines().map(str::to_string).collect();
    (python != shown).then(|| {
        format!(
            "sockscope {command:?}\n  lines:     {lines:?}\n  python3:   {python:?}\n  sockscope: {shown:?}"
        )
    })
}

#[test]
fn every_python_line_gives_what_sockscope_shows() {
    let mut commands: Vec<Vec<String>> = COMMANDS.iter().map(|c| args(c, &[])).collect();
    commands.extend(
        SPACED
            .iter()
            .map(|c| c.iter().map(|a| (*a).to_string()).collect()),
    );
    let failures: Vec<String> = commands
        .iter()
        .filter_map(|c| python_lines_agree(c))
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn reverse_lookups_show_every_c_call() {
    let (records, _) = common::json(["hostbyaddr", "localhost", "127.0.0.1", "--explain"]);
    let by_name = text(&calls(&records)[0], "c");
    assert!(
        by_name.starts_with("getaddrinfo(\"localhost\", NULL, {ai_family=AF_UNSPEC")
            && by_name.contains("; gethostbyaddr_r(&(in_addr){127.0.0.1}, 4, AF_INET, "),
        "{by_name}"
    );
    let notes = calls(&records)[0]["notes"].to_string();
    assert!(notes.contains("forward then a reverse lookup"), "{notes}");
    let by_address = text(&calls(&records)[1], "c");
    assert!(
        by_address.starts_with("inet_pton(AF_INET, \"127.0.0.1\", &addr); gethostbyaddr_r("),
        "{by_address}"
    );
    let (records, _) = common::json([
        "nameinfo",
        "::1",
        "53",
        "--flags",
        "numerichost,dgram",
        "--explain",
    ]);
    let call = &calls(&records)[0];
    assert_eq!(
        text(call, "c"),
        "getaddrinfo(\"::1\", \"53\", {ai_family=AF_UNSPEC, ai_socktype=SOCK_DGRAM, \
         ai_protocol=0, ai_flags=AI_NUMERICHOST}); getnameinfo({sin6_family=AF_INET6, \
         sin6_port=htons(53), sin6_flowinfo=0, sin6_addr=::1, sin6_scope_id=0}, 28, host, 1025, \
         serv, 32, NI_NUMERICHOST|NI_DGRAM)"
    );
    assert_eq!(
        text(call, "python"),
        "socket.getnameinfo(('::1', 53), socket.NI_NUMERICHOST | socket.NI_DGRAM)"
    );
    let (records, _) = common::json(["protobyname", "tcp", "--explain"]);
    let call = &calls(&records)[0];
    assert_eq!(
        text(call, "c"),
        "getprotobyname_r(\"tcp\", &ret, buf, 16384, &result)"
    );
    assert!(
        call["notes"].to_string().contains("only the number"),
        "{call}"
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
