//! Shell integration end to end: completions, the man page, `--color` and every `--help`'s examples.

mod common;

use std::io::Write;
use std::process::{Command, Stdio};

fn has(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Feed `text` to `program args...` on stdin; returns (success, stderr).
fn pipe_into(program: &str, args: &[&str], text: &str) -> (bool, String) {
    let mut child = Command::new(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(text.as_bytes())
        .expect("write");
    let output = child.wait_with_output().expect("wait");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The subcommands `sockscope --help` lists.
fn subcommands() -> Vec<String> {
    let help = common::run(["--help"]).stdout;
    help.split("Commands:")
        .nth(1)
        .expect("a Commands section")
        .lines()
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = common::run(["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("sockscope"), "{shell}");
        for sub in ["nameinfo", "hostbyaddr", "protobynumber", "completions"] {
            assert!(run.stdout.contains(sub), "{shell} completes {sub}");
        }
    }
    let bash = common::run(["completions", "bash"]).stdout;
    let (ok, err) = pipe_into("bash", &["-n"], &bash);
    assert!(ok, "bash -n rejects the script: {err}");
    // Sourcing it must define the completion for sockscope, not just parse.
    let (ok, err) = pipe_into(
        "bash",
        &["-c", "source /dev/stdin && complete -p sockscope"],
        &bash,
    );
    assert!(ok, "bash cannot source the script: {err}");
    for (shell, args) in [("zsh", vec!["-n"]), ("fish", vec!["--no-execute"])] {
        if has(shell) {
            let script = common::run(["completions", shell]).stdout;
            let (ok, err) = pipe_into(shell, &args, &script);
            assert!(ok, "{shell} rejects the script: {err}");
        }
    }
    let run = common::run(["completions", "tcsh"]);
    assert_eq!(run.code, 2);
}

#[test]
fn man_page_is_roff_that_groff_reads() {
    let run = common::run(["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = run.stdout;
    assert!(page.contains(".TH sockscope 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "{section}");
    }
    for sub in [
        "nameinfo",
        "hostbyaddr",
        "protobyname",
        "protobynumber",
        "man",
    ] {
        assert!(page.contains(sub), "{sub}");
    }
    if has("groff") {
        let (ok, err) = pipe_into("groff", &["-man", "-Tutf8", "-ww", "-z"], &page);
        assert!(ok && err.is_empty(), "groff complains: {err}");
    }
}

#[test]
fn man_dir_writes_one_page_per_subcommand() {
    let dir = std::env::temp_dir().join(format!("sockscope-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let run = common::run(["man".as_ref(), "--dir".as_ref(), dir.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    for name in [
        "sockscope.1",
        "sockscope-nameinfo.1",
        "sockscope-protobyname.1",
    ] {
        let page = std::fs::read_to_string(dir.join(name)).expect(name);
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{name}");
    }
    // The examples of --help are in the subcommand's page too.
    let page = std::fs::read_to_string(dir.join("sockscope-nameinfo.1")).expect("page");
    assert!(page.contains("Examples:"), "{page}");
    let _ = std::fs::remove_dir_all(&dir);
    let run = common::run(["man", "--dir", "/nonexistent/sockscope-man"]);
    assert_eq!(run.code, 4);
    assert!(
        run.stderr.starts_with("sockscope: writing man pages into"),
        "{}",
        run.stderr
    );
}

const ESC: char = '\u{1b}';

#[test]
fn color_always_colours_tables_and_never_json() {
    let run = common::run([
        "--color",
        "always",
        "addrinfo",
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
    let run = common::run(["--color", "always", "protobyname", "nosuch"]);
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
        vec!["--color", "never", "protobyname", "nosuch"],
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
        vec!["--color", "never", "protobyname", "tcp"],
        vec!["--color", "auto", "protobyname", "tcp"],
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

/// The example lines of a subcommand's `--help`: those under "Examples:" starting with sockscope.
fn examples(sub: &str) -> Vec<String> {
    let help = common::run([sub, "--help"]).stdout;
    help.split("Examples:")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .map(str::trim)
        .filter(|line| line.starts_with("sockscope "))
        .map(str::to_string)
        .collect()
}

#[test]
fn every_subcommand_help_shows_two_or_three_examples() {
    let subs = subcommands();
    assert!(subs.contains(&"nameinfo".to_string()), "{subs:?}");
    for sub in subs {
        let found = examples(&sub);
        assert!(
            (2..=3).contains(&found.len()),
            "{sub} --help shows {} examples: {found:?}",
            found.len()
        );
        for example in &found {
            assert!(
                example.starts_with(&format!("sockscope {sub}")),
                "{sub}: {example}"
            );
        }
    }
}

#[test]
fn the_examples_in_help_run() {
    // Every subcommand whose examples answer at once (connect and serve need a peer, tour is
    // tested on its own); an example that shows a failure says so and is checked for it below.
    for sub in [
        "servbyname",
        "servbyport",
        "hostname",
        "hostbyname",
        "addrinfo",
        "constants",
        "socket",
        "nameinfo",
        "hostbyaddr",
        "protobyname",
        "protobynumber",
        "completions",
        "man",
    ] {
        for example in examples(sub) {
            // Up to a comment, a redirection or a pipe: what sockscope itself is given.
            let command = example
                .split(['#', '>', '|'])
                .next()
                .unwrap_or_default()
                .trim();
            if command.contains('~') {
                continue;
            }
            let args: Vec<&str> = command.split_whitespace().skip(1).collect();
            let run = common::run(&args);
            if example.contains("exit 4") {
                assert_eq!(run.code, 4, "`{command}` shows a failure: {}", run.stderr);
                continue;
            }
            // Examples show real answers, so each must succeed on a stock machine.
            assert!(
                run.code == 0,
                "`{command}` exits {}: {}",
                run.code,
                run.stderr
            );
            assert!(!run.stdout.is_empty(), "`{command}` prints nothing");
        }
    }
}
