//! Hostile arguments to every subcommand: no panic, a documented exit code, one stderr line per failed key.
//!
//! They run in the lab so that names which reach DNS get a fast, private answer.

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;

use crate::world::{Outcome, Scenario};

/// What argv can carry (no NUL: execve cannot pass it; see `KEY_FILE` for those).
fn corpus() -> Vec<OsString> {
    let mut values: Vec<OsString> = [
        "",
        " ",
        "-",
        "--",
        "-1",
        "-0",
        "-2147483649",
        "2147483648",
        "4294967296",
        "18446744073709551616",
        "99999999999999999999999999999999",
        "+80",
        "0x50",
        "1e3",
        "65536",
        "NaN",
        "inf",
        "%s%s%s%s%n",
        "%x%x%x",
        "{}",
        "{0:>99999}",
        "${HOME}",
        "$(id)",
        "`id`",
        "; rm -rf /",
        "| cat /etc/passwd",
        "&& true",
        "a\nb",
        "\t",
        "\r\n",
        "\u{1b}[31mred",
        "\\",
        "'",
        "\"",
        "../../../etc/passwd",
        "*",
        "~",
        ".",
        "..",
        "a..b",
        ".leading",
        "ünïcödé.example",
        "\u{202e}evil",
        "💥",
        "tcp/",
        "/udp",
        "22/tcp/udp",
        "AF_",
        "canonname,,",
        "all,all,all",
    ]
    .iter()
    .map(OsString::from)
    .collect();
    // As long as one argument can be (execve refuses more than 128 KiB in one).
    values.push("a".repeat(100_000).into());
    values.push("a.".repeat(50_000).into());
    for bytes in [
        &b"\xff\xfe"[..],
        b"abc\xc3",
        b"\x80.example",
        b"ssh\xff/tcp",
    ] {
        values.push(OsString::from_vec(bytes.to_vec()));
    }
    values
}

/// Where a hostile value goes: `X` is replaced by it.
const TEMPLATES: &[&[&str]] = &[
    &["servbyname", "X"],
    &["servbyname", "ssh", "-p", "X"],
    &["servbyport", "X"],
    &["servbyport", "22", "-p", "X"],
    &["hostbyname", "X"],
    &["hostbyname", "--ex", "X"],
    &["hostbyname", "localhost", "--jobs", "X"],
    &["addrinfo", "X"],
    &["addrinfo", "localhost", "X"],
    &["addrinfo", "localhost", "-f", "X"],
    &["addrinfo", "localhost", "-t", "X"],
    &["addrinfo", "localhost", "-p", "X"],
    &["addrinfo", "localhost", "--flags", "X"],
    &["nameinfo", "X"],
    &["nameinfo", "127.0.0.1", "X"],
    &["nameinfo", "127.0.0.1", "22", "--flags", "X"],
    &["hostbyaddr", "X"],
    &["protobyname", "X"],
    &["protobynumber", "X"],
    &["completions", "X"],
    &["socket", "-f", "X"],
    &["socket", "-t", "X"],
    &["socket", "-p", "X"],
    // Inside the lab's network namespace only loopback exists: a connection fails at once or is
    // refused. (`serve` is left out: a valid port would make it wait for a client for ever.)
    &["connect", "X", "80", "--timeout", "1"],
    &["connect", "127.0.0.1", "X", "--timeout", "1"],
    &["constants", "X"],
    &["constants", "--value", "X"],
    &["why", "X"],
    &["why", "localhost", "X"],
    &["why", "localhost", "--flags", "X"],
    &["why", "localhost", "-f", "X"],
    &["fqdn", "X"],
    &["interfaces", "X"],
    &["inet", "X"],
    &["inet", "-f", "inet6", "X"],
    &["inet", "--packed", "X"],
    &["inet", "-f", "X", "::1"],
    &["X"],
];

/// Subcommands no template reaches, and why.
const UNREACHED: &[(&str, &str)] = &[
    (
        "serve",
        "a valid port would make it wait for a client for ever",
    ),
    (
        "man",
        "`--dir X` would write pages wherever a hostile path points",
    ),
    ("tour", "it takes no values, only flags"),
];

/// The templates: those above, and `--timeout X` added to the first `--help` example of every
/// subcommand that has `--timeout`, by its clap definition. Its values are parsed in more than
/// one place (the resolver's lookups, connect) and used at run time, so each subcommand gets
/// a call that works, a new one included.
fn templates() -> Vec<Vec<String>> {
    let mut all: Vec<Vec<String>> = TEMPLATES
        .iter()
        .map(|t| t.iter().map(|a| (*a).to_string()).collect())
        .collect();
    for sub in crate::common::subcommands() {
        if crate::common::has_option(&sub, "timeout") {
            let mut call = crate::common::example_calls(&sub)
                .into_iter()
                .next()
                .unwrap_or_else(|| panic!("{sub} --help has no example"));
            call.extend(["--timeout".to_string(), "X".to_string()]);
            all.push(call);
        }
    }
    all
}

fn check(out: &Outcome) {
    assert!(
        !out.stderr.contains("panicked") && out.code != 101,
        "panic: {out:#?}"
    );
    assert!((0..=4).contains(&out.code), "undocumented exit: {out:#?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    if out.code == 0 {
        assert!(lines.is_empty(), "stderr on success: {out:#?}");
    } else {
        assert_eq!(lines.len(), 1, "one stderr line: {out:#?}");
        assert!(lines[0].starts_with("sockscope: "), "{out:#?}");
    }
}

#[test]
fn hostile_arguments_to_every_subcommand() {
    let templates = templates();
    // Every subcommand clap knows is reached, or said why not: a new one cannot slip by.
    for sub in crate::common::subcommands() {
        let reached = templates.iter().any(|t| t[0] == sub);
        let unreached = UNREACHED.iter().any(|(name, _)| *name == sub);
        assert!(
            reached != unreached,
            "{sub}: reached {reached}, in UNREACHED {unreached}"
        );
    }
    let mut scenario = Scenario::default();
    let values = corpus();
    for template in &templates {
        for value in &values {
            let args: Vec<OsString> = template
                .iter()
                .map(|a| if a == "X" { value.clone() } else { a.into() })
                .collect();
            scenario = scenario.run_os(&args);
        }
    }
    let Some(report) = crate::world::run(&scenario) else {
        return;
    };
    assert_eq!(report.outcomes.len(), templates.len() * values.len());
    for out in &report.outcomes {
        check(out);
    }
    // Long keys are named, not repeated whole.
    assert!(report.outcomes.iter().all(|o| o.stderr.len() < 2000));
}

/// Keys from a file may hold what argv cannot: NUL bytes, 1 MiB names.
#[test]
fn hostile_keys_from_a_file() {
    let mut file: Vec<u8> = Vec::new();
    let lines: Vec<Vec<u8>> = vec![
        b"local\0host".to_vec(),
        b"\0".to_vec(),
        vec![b'a'; 1 << 20],
        b"\xff\xfe".to_vec(),
        b"%n%n%n".to_vec(),
        b"a..b".to_vec(),
        "x.".repeat(200).into_bytes(),
        b"-1".to_vec(),
        b"99999999999".to_vec(),
    ];
    for line in &lines {
        file.extend_from_slice(line);
        file.push(b'\n');
    }
    let mut scenario = Scenario::default();
    scenario.files.insert("keys.txt".to_string(), file);
    // Every subcommand that reads keys from a file, by its clap definition, and `hostbyname
    // --ex`, which makes another call with the same keys. A positional argument required even
    // with --file (nameinfo's ADDRESS) gets `-`: standard input, empty here.
    let mut commands: Vec<Vec<&str>> = Vec::new();
    let subs = crate::common::subcommands();
    for sub in subs
        .iter()
        .filter(|sub| crate::common::has_option(sub, "file"))
    {
        let mut command = vec![sub.as_str()];
        command.extend(crate::common::required_positionals(sub).iter().map(|_| "-"));
        command.extend(["--file", "keys.txt", "--json"]);
        commands.push(command);
    }
    commands.push(vec!["hostbyname", "--ex", "--file", "keys.txt", "--json"]);
    for command in &commands {
        scenario = scenario.run(command);
    }
    let Some(report) = crate::world::run(&scenario) else {
        return;
    };
    for out in &report.outcomes {
        assert!(!out.stderr.contains("panicked"), "{out:#?}");
        assert!((0..=4).contains(&out.code), "{out:#?}");
        let errors = out
            .json()
            .iter()
            .filter(|r| r.get("error").is_some())
            .count();
        let stderr: Vec<&str> = out.stderr.lines().collect();
        assert_eq!(stderr.len(), errors, "one line per failed key: {out:#?}");
        assert!(
            stderr
                .iter()
                .all(|l| l.starts_with("sockscope: ") && l.len() < 2000)
        );
    }
    let hosts = report
        .outcomes
        .iter()
        .find(|out| out.args == ["hostbyname", "--file", "keys.txt", "--json"])
        .expect("hostbyname reads keys from a file");
    assert!(hosts.stderr.contains("contains a NUL byte"), "{hosts:#?}");
    assert!(
        // A line of 1 MiB is cut at the batch reader's 64 KiB cap before any check of a name.
        hosts
            .stderr
            .contains("line longer than 65536 bytes (skipped up to its newline)"),
        "{hosts:#?}"
    );
}
