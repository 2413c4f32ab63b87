//! What every subcommand shares: formats, `--explain`, `--format python`, colour, a closed pipe, and exit codes.

// `nosuch!.invalid` is not a valid host name, so glibc answers EAI_NONAME without asking DNS:
// these tests never reach the machine's resolver (the resolver lab covers real NXDOMAIN).

use std::process::{Command, Stdio};

use serde_json::json;

use crate::common::explain::{calls, text};
use crate::common::{self, has, run};

#[test]
fn highest_exit_code_wins() {
    let run = run(["servbyname", "nosuchservice", "ssh/"]);
    assert_eq!(run.code, 2, "bad input (2) outranks not found (1)");
    assert_eq!(run.stderr_lines().len(), 2);
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

/// Calls of `sub` that answer with records in every format, all from /etc/hosts, /etc/services,
/// /etc/protocols, constants or the kernel; or why it has none.
fn calls_with_records(sub: &str) -> Result<&'static [&'static [&'static str]], String> {
    match sub {
        "servbyname" => Ok(&[&["servbyname", "ssh"]]),
        "servbyport" => Ok(&[&["servbyport", "22"]]),
        "hostname" => Ok(&[&["hostname"]]),
        "hostbyname" => Ok(&[
            &["hostbyname", "localhost"],
            &["hostbyname", "--ex", "localhost"],
        ]),
        "addrinfo" => Ok(&[&["addrinfo", "localhost", "ssh"]]),
        "constants" => Ok(&[&["constants", "SHUT_"]]),
        "nameinfo" => Ok(&[&["nameinfo", "127.0.0.1", "22"]]),
        "hostbyaddr" => Ok(&[&["hostbyaddr", "127.0.0.1"]]),
        "protobyname" => Ok(&[&["protobyname", "tcp"]]),
        "protobynumber" => Ok(&[&["protobynumber", "6"]]),
        "fqdn" => Ok(&[&["fqdn", "localhost"]]),
        "interfaces" => Ok(&[&["interfaces"], &["interfaces", "lo"]]),
        "inet" => Ok(&[
            &["inet", "127.1"],
            &[
                "inet",
                "--packed",
                "-f",
                "inet6",
                "00000000000000000000000000000001",
            ],
        ]),
        "socket" => Ok(&[&["socket"]]),
        "connect" | "serve" => Err("needs a peer: connect.rs and serve.rs read its records".into()),
        "tour" => Err("text only: tour_is_text_only".into()),
        "why" => Err("its table is a story, not rows: why.rs reads its JSON".into()),
        "completions" | "man" => Err("prints a script or a page, not records".into()),
        _ => Err(String::new()),
    }
}

#[test]
fn every_subcommand_in_every_format() {
    let mut commands: Vec<&[&str]> = Vec::new();
    for sub in common::subcommands() {
        match calls_with_records(&sub) {
            Ok(calls) => commands.extend(calls),
            Err(why) => assert!(
                !why.is_empty(),
                "{sub}: give it a call for every format in calls_with_records, or say why not"
            ),
        }
    }
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
    // Non-ASCII names: Python's idna codec makes `localhost` of the first (found in
    // /etc/hosts) and `xn--b!-xka.invalid` of the second, which glibc refuses unasked.
    "addrinfo ｌｏｃａｌｈｏｓｔ 80",
    "hostbyname ｌｏｃａｌｈｏｓｔ bü!.invalid a\u{AD}..b",
    "hostbyname --ex Ｌｏｃａｌｈｏｓｔ bü!.invalid",
    "hostbyaddr ｌｏｃａｌｈｏｓｔ １２７.０.０.１ ü..b",
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
fn notes_point_out_what_is_worth_noticing() {
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

#[test]
fn python_raises_before_the_call_as_the_repl_shows_it_and_exits_2() {
    let run = common::run(["servbyport", "70000", "--format", "python"]);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stdout,
        "OverflowError: getservbyport: port must be 0-65535.\n"
    );
    // Table and JSON keep refusing the same key as bad input.
    let (records, run) = common::json(["servbyport", "70000"]);
    assert_eq!(run.code, 2);
    assert_eq!(records[0]["error"]["code"], "INVALID_INPUT");
}

#[test]
fn python_format_keeps_the_exit_codes() {
    let run = common::run([
        "hostbyname",
        "localhost",
        "nosuch!.invalid",
        "--format",
        "python",
    ]);
    assert_eq!(run.code, 1);
    assert_eq!(run.stderr_lines().len(), 1, "{}", run.stderr);
    let ok = common::run(["servbyname", "ssh", "--format", "python"]);
    assert_eq!((ok.code, ok.stdout.as_str()), (0, "22\n"));
}

const ESC: char = '\u{1b}';

#[test]
fn color_always_colours_tables_and_never_json() {
    let run = common::run([
        "addrinfo",
        "--color",
        "always",
        "127.0.0.1",
        "80",
        "-t",
        "stream",
    ]);
    assert_eq!(run.code, 0);
    assert!(run.stdout.contains(ESC), "{}", run.stdout);
    assert!(
        run.stdout.contains("\u{1b}[1mfamily"),
        "bold header: {:?}",
        run.stdout
    );
    // The colour does not shift the columns: stripped, it is the plain table.
    let plain = common::run(["addrinfo", "127.0.0.1", "80", "-t", "stream"]).stdout;
    assert_eq!(strip_ansi(&run.stdout), plain);
    for format in ["json", "jsonl"] {
        let run = common::run([
            "protobyname",
            "tcp",
            "--color",
            "always",
            "--format",
            format,
        ]);
        assert!(!run.stdout.contains(ESC), "{format}: {}", run.stdout);
    }
}

#[test]
fn color_always_colours_the_error_code_on_stderr_too() {
    let run = common::run(["protobyname", "--color", "always", "nosuch"]);
    assert_eq!(run.code, 1);
    assert!(
        run.stderr.contains("\u{1b}[1m\u{1b}[31mNOT_FOUND"),
        "{:?}",
        run.stderr
    );
    assert_eq!(
        strip_ansi(&run.stderr),
        "sockscope: protobyname: nosuch: protocol not found (NOT_FOUND)\n"
    );
    for args in [
        vec!["protobyname", "nosuch"],
        vec!["protobyname", "--color", "never", "nosuch"],
    ] {
        let run = common::run(&args);
        assert!(!run.stderr.contains(ESC), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn color_is_off_when_piped_or_asked_not_to() {
    // The tests' stdout is a pipe, so auto means no colour.
    for args in [
        vec!["protobyname", "tcp"],
        vec!["protobyname", "--color", "never", "tcp"],
        vec!["protobyname", "--color", "auto", "tcp"],
    ] {
        let run = common::run(&args);
        assert!(!run.stdout.contains(ESC), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn color_auto_on_a_terminal_honours_no_color() {
    if !has("script") {
        eprintln!("no `script` to give sockscope a terminal; skipped");
        return;
    }
    // util-linux `script` runs the command on a pseudo-terminal and copies what it prints.
    let on_tty = |no_color: Option<&str>| {
        let mut cmd = Command::new("script");
        cmd.args([
            "-qec",
            &format!("{} protobyname tcp", common::bin().display()),
            "/dev/null",
        ])
        .stdin(Stdio::null());
        match no_color {
            Some(value) => cmd.env("NO_COLOR", value),
            None => cmd.env_remove("NO_COLOR"),
        };
        let output = cmd.output().expect("script runs");
        String::from_utf8_lossy(&output.stdout).into_owned()
    };
    assert!(on_tty(None).contains(ESC), "a terminal gets colour");
    assert!(!on_tty(Some("1")).contains(ESC), "NO_COLOR turns it off");
    assert!(
        on_tty(Some("")).contains(ESC),
        "an empty NO_COLOR does not count"
    );
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == ESC {
            // CSI sequences end with a letter.
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
