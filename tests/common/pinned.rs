//! Runs written out whole for insta snapshots, with what differs between terminals, runs and machines pinned or masked.

use std::process::{Command, Output, Stdio};

/// Run sockscope as a snapshot wants it: clap wraps at the terminal's width and colours when
/// asked to, so both are pinned, and the variables that would force colour back on are dropped.
pub fn sockscope(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(args)
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output()
        .expect("sockscope runs")
}

/// A run, written out whole: the command, its exit code, stdout and stderr.
pub fn transcript(args: &[&str]) -> String {
    let out = sockscope(args);
    format!(
        "$ sockscope {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        exit(out.status),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// An exit status as a transcript shows it: the code, or how the process was killed.
pub fn exit(status: std::process::ExitStatus) -> String {
    status
        .code()
        .map_or_else(|| format!("killed ({status})"), |code| code.to_string())
}

/// The words of a command line, then `extra`.
pub fn args<'a>(line: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    line.split_whitespace()
        .chain(extra.iter().copied())
        .collect()
}

/// The host name differs from machine to machine; the rest of a `hostname` answer must not.
pub fn this_host() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(["hostname", "--format", "python"])
        .output()
        .expect("sockscope runs");
    let repr = String::from_utf8(out.stdout).expect("UTF-8");
    repr.trim()
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not a Python str repr: {repr}"))
        .to_string()
}

/// What changes from run to run, or machine to machine, and the mask that replaces it.
pub fn filters() -> Vec<(&'static str, &'static str)> {
    vec![
        // Timing differs on every run.
        (r#""elapsed_ms": \d+(?:\.\d+)?"#, r#""elapsed_ms": [ms]"#),
        // Default socket buffers come from the kernel's sysctls (tcp_rmem, rmem_default, ...).
        (r"(?m)^(SO_(?:RCV|SND)BUF +)\d+$", "${1}[bytes]"),
        (r#"("SO_(?:RCV|SND)BUF": )\d+"#, "${1}[bytes]"),
    ]
}

// The snapshot macros below are macros, not functions, because insta names a snapshot file
// after the module and the file that expand `assert_snapshot!`: expanded in a test module, each
// snapshot is named after its subcommand (cli__addrinfo__...) and kept beside it.
//
// No call pinned with them may reach DNS: hosts are localhost (in /etc/hosts) or numeric, and a
// numeric address that getnameinfo would look up in reverse gets NI_NUMERICHOST, because
// /etc/hosts has no name for ::1 on every machine and the lookup would then go to the nameserver.

/// Snapshot `text` with only what changes from run to run, or machine to machine, masked.
#[macro_export]
macro_rules! assert_pinned {
    ($name:expr, $text:expr) => {{
        let text: &str = $text;
        insta::with_settings!({ filters => $crate::common::pinned::filters() }, {
            insta::assert_snapshot!($name, text);
        });
    }};
}

/// One test per call: its `--explain` table and its `--format python --explain` transcript,
/// snapshots `<test>_table` and `<test>_python`.
#[macro_export]
macro_rules! explain {
    ($($test:ident: $line:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                use $crate::common::pinned::{args, transcript};
                let table = transcript(&args($line, &["--explain"]));
                $crate::assert_pinned!(concat!(stringify!($test), "_table"), &table);
                let python = transcript(&args($line, &["--format", "python", "--explain"]));
                $crate::assert_pinned!(concat!(stringify!($test), "_python"), &python);
            }
        )*
    };
}

/// One test per call: its `--json --explain` output, snapshot `<test>`.
#[macro_export]
macro_rules! explain_json {
    ($($test:ident: $line:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                use $crate::common::pinned::{args, transcript};
                let json = transcript(&args($line, &["--json", "--explain"]));
                $crate::assert_pinned!(stringify!($test), &json);
            }
        )*
    };
}

/// One test per failing call: its whole transcript, error line and exit code included.
#[macro_export]
macro_rules! errors {
    ($($test:ident: [$($arg:literal),*]),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                $crate::assert_pinned!(
                    stringify!($test),
                    &$crate::common::pinned::transcript(&[$($arg),*])
                );
            }
        )*
    };
}
