//! `--help` of sockscope and of every subcommand, pinned so that moving the CLI code around cannot change it unnoticed.

use std::process::{Command, Output, Stdio};

fn sockscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(args)
        // clap wraps at the terminal's width and colours help when asked to: pin both, and drop
        // the variables that would force colour back on.
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output()
        .expect("sockscope runs")
}

/// stdout of a run that must succeed quietly, as help does.
fn help(args: &[&str]) -> String {
    let out = sockscope(args);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "sockscope {args:?}: {stderr}");
    assert!(
        stderr.is_empty(),
        "sockscope {args:?} wrote to stderr: {stderr}"
    );
    String::from_utf8(out.stdout).expect("help is UTF-8")
}

/// The names under `Commands:` in the top-level help.
fn listed_subcommands() -> Vec<String> {
    help(&["--help"])
        .lines()
        .skip_while(|line| *line != "Commands:")
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next())
        .map(str::to_string)
        .collect()
}

macro_rules! subcommand_help {
    ($($test:ident => $sub:literal),* $(,)?) => {
        /// Every subcommand with a snapshot of its own, `help` aside (see below).
        const PINNED: &[&str] = &[$($sub),*];

        $(
            #[test]
            fn $test() {
                let text = help(&[$sub, "--help"]);
                // `help SUB` is the other way to the same page; it must not drift from `SUB --help`.
                assert_eq!(help(&["help", $sub]), text, "`help {}` differs", $sub);
                insta::assert_snapshot!($sub, text);
            }
        )*
    };
}

subcommand_help! {
    servbyname => "servbyname",
    servbyport => "servbyport",
    hostname => "hostname",
    hostbyname => "hostbyname",
    addrinfo => "addrinfo",
    constants => "constants",
    nameinfo => "nameinfo",
    hostbyaddr => "hostbyaddr",
    protobyname => "protobyname",
    protobynumber => "protobynumber",
    completions => "completions",
    man => "man",
    tour => "tour",
    socket => "socket",
    connect => "connect",
    serve => "serve",
}

#[test]
fn every_listed_subcommand_is_pinned() {
    // A subcommand added or renamed must get its own snapshot here, not slip by.
    let mut expected: Vec<String> = PINNED.iter().map(|s| s.to_string()).collect();
    expected.push("help".to_string());
    assert_eq!(listed_subcommands(), expected);
}

#[test]
fn top_level() {
    let text = help(&["--help"]);
    assert_eq!(
        help(&["help"]),
        text,
        "`sockscope help` differs from --help"
    );
    insta::assert_snapshot!("top_level", text);
}

#[test]
fn top_level_short() {
    insta::assert_snapshot!("top_level_short", help(&["-h"]));
}

#[test]
fn help_subcommand() {
    // `help --help` is refused (see below), so `help help` is how the help command shows its page.
    insta::assert_snapshot!("help", help(&["help", "help"]));
}

#[test]
fn help_subcommand_refuses_help_flag() {
    // Today's behaviour, odd as it is: pinned so that a change to it is a decision, not an accident.
    let out = sockscope(&["help", "--help"]);
    let report = format!(
        "exit: {}\n--- stdout\n{}--- stderr\n{}",
        out.status.code().map_or_else(
            || format!("killed ({})", out.status),
            |code| code.to_string()
        ),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!("help_help_flag", report);
}
