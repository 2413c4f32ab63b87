//! `--help` of sockscope and of every subcommand: pinned so that moving the CLI code around cannot change it unnoticed, with examples that run.

use crate::common::pinned::{exit, sockscope};
use crate::common::{self, run};

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
        // A description wrapped to the next line is indented past the names.
        .filter(|line| !line.starts_with("   "))
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
    fqdn => "fqdn",
    interfaces => "interfaces",
    inet => "inet",
    completions => "completions",
    man => "man",
    tour => "tour",
    socket => "socket",
    connect => "connect",
    serve => "serve",
    why => "why",
}

#[test]
fn every_listed_subcommand_is_pinned() {
    // A subcommand added or renamed must get its own snapshot here, not slip by.
    assert_eq!(common::subcommands(), PINNED, "the clap definition");
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
        exit(out.status),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    insta::assert_snapshot!("help_help_flag", report);
}

#[test]
fn help_documents_examples_and_exit_codes() {
    let top = run(["--help"]);
    assert_eq!(top.code, 0);
    assert!(top.stdout.contains("Exit codes:"));
    assert!(top.stdout.contains("sockscope addrinfo localhost http"));
    for sub in common::subcommands() {
        let help = run([&sub, "--help"]);
        assert_eq!(help.code, 0);
        assert!(help.stdout.contains("Examples:"), "{sub}");
    }
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
    let subs = common::subcommands();
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
    // Every subcommand whose examples answer at once: connect and serve need a peer, and
    // connect.rs and serve.rs run them against one. An example that shows a failure says so and
    // is checked for it below.
    const NEED_A_PEER: &[&str] = &["connect", "serve"];
    let subs = common::subcommands();
    assert!(
        NEED_A_PEER.iter().all(|sub| subs.iter().any(|s| s == sub)),
        "{subs:?}"
    );
    for sub in subs
        .iter()
        .filter(|sub| !NEED_A_PEER.contains(&sub.as_str()))
    {
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

/// The options a subcommand's `--help` lists under `heading`.
fn options_under(text: &str, heading: &str) -> Vec<String> {
    text.lines()
        .skip_while(|line| *line != format!("{heading}:"))
        .skip(1)
        .take_while(|line| !line.is_empty() && line.starts_with(' '))
        .filter(|line| line.trim_start().starts_with('-'))
        .filter_map(|line| line.split_whitespace().find(|w| w.starts_with("--")))
        .map(|w| w.trim_end_matches(',').to_string())
        .collect()
}

#[test]
fn help_fits_80_columns_everywhere() {
    let mut pages = vec![vec!["--help".to_string()], vec!["-h".to_string()]];
    for sub in common::subcommands() {
        pages.push(vec![sub.clone(), "--help".to_string()]);
        pages.push(vec![sub.clone(), "-h".to_string()]);
    }
    for args in pages {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        // `sockscope` pins COLUMNS=80; `run` leaves it out: into a pipe the width is 80 too.
        for text in [help(&args), run(&args).stdout] {
            for line in text.lines() {
                assert!(
                    line.chars().count() <= 80,
                    "{args:?}: {} columns: {line}",
                    line.chars().count()
                );
            }
        }
    }
}

#[test]
fn options_are_grouped_under_headings_in_one_order() {
    for sub in common::subcommands() {
        let text = help(&[&sub, "--help"]);
        let headings: Vec<&str> = text
            .lines()
            .filter(|line| {
                ["Arguments:", "Options:", "Output:", "Resolver:", "Batch:"].contains(line)
            })
            .collect();
        let order = ["Arguments:", "Options:", "Output:", "Resolver:", "Batch:"];
        let mut expected: Vec<&str> = order.to_vec();
        expected.retain(|h| headings.contains(h));
        assert_eq!(headings, expected, "{sub}");
    }
    let addrinfo = help(&["addrinfo", "-h"]);
    assert_eq!(
        options_under(&addrinfo, "Output"),
        ["--format", "--json", "--color", "--explain"]
    );
    assert_eq!(
        options_under(&addrinfo, "Resolver"),
        ["--timeout", "--elapsed"]
    );
    assert_eq!(
        options_under(&addrinfo, "Batch"),
        ["--file", "--jobs", "--unordered", "--stats"]
    );
    let options = options_under(&addrinfo, "Options");
    for own in ["--service", "--family", "--type", "--proto", "--flags"] {
        assert!(options.contains(&own.to_string()), "{own}: {options:?}");
    }
}

#[test]
fn subcommands_show_only_the_options_they_honour() {
    for sub in ["completions", "man", "tour"] {
        let text = help(&[sub, "--help"]);
        for option in ["--format", "--json", "--color", "--explain", "--timeout"] {
            assert!(!text.contains(option), "{sub} shows {option}");
        }
        // ... and refuses them as clap refuses any unknown option.
        let args: Vec<&str> = match sub {
            "completions" => vec![sub, "bash", "--json"],
            _ => vec![sub, "--json"],
        };
        let out = run(&args);
        assert_eq!(out.code, 2, "{args:?}");
        assert!(
            out.stderr.contains("unexpected argument '--json'"),
            "{}",
            out.stderr
        );
    }
    // Every resolver subcommand takes --timeout, the protocol lookups included.
    for sub in [
        "servbyname",
        "servbyport",
        "hostname",
        "hostbyname",
        "addrinfo",
        "nameinfo",
        "hostbyaddr",
        "protobyname",
        "protobynumber",
    ] {
        assert!(common::has_option(sub, "timeout"), "{sub} lacks --timeout");
    }
    let proto = run(["protobyname", "tcp", "--timeout", "2", "--json"]);
    assert_eq!(proto.code, 0, "{}", proto.stderr);
    assert_eq!(proto.json()[0]["number"], 6);
}

#[test]
fn conflicting_output_options_are_a_usage_error() {
    let out = run(["servbyname", "ssh", "--json", "--format", "table"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert_eq!(
        out.stderr,
        "sockscope: the argument '--json' cannot be used with '--format <FORMAT>' (try --help)\n"
    );
}

#[test]
fn bare_sockscope_prints_the_usage_and_the_subcommands() {
    let out = run::<[&str; 0], &str>([]);
    // clap's arg_required_else_help: the whole help, on stderr, as a usage error.
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
    assert!(
        out.stderr.contains("Usage: sockscope <COMMAND>"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains("Commands:"), "{}", out.stderr);
    for sub in common::subcommands() {
        assert!(out.stderr.contains(&format!("  {sub} ")), "{sub}");
    }
    // Anything typed without a subcommand is a mistake of one line.
    let dashes = run(["--"]);
    assert_eq!(dashes.code, 2);
    assert_eq!(
        dashes.stderr,
        "sockscope: a subcommand is required (try --help)
"
    );
}

#[test]
fn keys_missing_with_stdin_not_a_terminal_say_how_to_read_them() {
    let out = common::run_with_input(["servbyname"], "ssh\n");
    assert_eq!(out.code, 2);
    assert_eq!(
        out.stderr,
        "sockscope: the following required arguments were not provided: <KEY[/PROTO]>...; \
         to read keys from standard input, give `-` as the key (try --help)\n"
    );
    // The hint is right: `-` reads them.
    let read = common::run_with_input(["servbyname", "-", "--format", "plain"], "ssh\n");
    assert_eq!(read.code, 0, "{}", read.stderr);
    assert_eq!(read.stdout, "ssh\tssh\t\t22\ttcp\n");
    // A subcommand without `-` gets no such hint.
    let connect = common::run_with_input(["connect"], "x\n");
    assert_eq!(connect.code, 2);
    assert!(!connect.stderr.contains("give `-`"), "{}", connect.stderr);
}
