//! What every end-to-end test needs: run the real binary, read its JSON, ask python3, and list the subcommands clap defines.
#![allow(dead_code)] // each test crate uses a different part of this helper

pub mod explain;
pub mod getent;
pub mod net;
pub mod pinned;
pub mod reference;

use std::process::{Command, Output, Stdio};

use clap::CommandFactory;
use sockscope::cli::Cli;

/// The subcommands sockscope defines, in the order `--help` lists them, read from its clap
/// definition so that no test keeps a list that a new subcommand could slip past. clap's own
/// `help` is not among them.
pub fn subcommands() -> Vec<String> {
    Cli::command()
        .get_subcommands()
        .map(|sub| sub.get_name().to_string())
        .collect()
}

/// The calls in `sub`'s `--help` examples, by its clap definition: each example's arguments
/// after `sockscope`, up to a comment, a redirection or a pipe.
pub fn example_calls(sub: &str) -> Vec<Vec<String>> {
    // Subcommands get their arguments only when built.
    let mut cli = Cli::command();
    cli.build();
    let sub = cli
        .find_subcommand(sub)
        .unwrap_or_else(|| panic!("no subcommand {sub}"));
    let help = sub
        .get_after_help()
        .map(ToString::to_string)
        .unwrap_or_default();
    help.split("Examples:")
        .nth(1)
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().strip_prefix("sockscope "))
        .map(|call| {
            let call = call.split(['#', '>', '|']).next().unwrap_or_default();
            call.split_whitespace().map(str::to_string).collect()
        })
        .collect()
}

/// The positional arguments `sub` requires in any case (not only without `--file`), by its
/// clap definition.
pub fn required_positionals(sub: &str) -> Vec<String> {
    // Subcommands get their arguments only when built.
    let mut cli = Cli::command();
    cli.build();
    let sub = cli
        .find_subcommand(sub)
        .unwrap_or_else(|| panic!("no subcommand {sub}"));
    sub.get_positionals()
        .filter(|arg| arg.is_required_set())
        .map(|arg| arg.get_id().to_string())
        .collect()
}

/// Whether subcommand `sub` has its own option `--long` (the global ones, such as `--format`,
/// are not counted), by its clap definition.
pub fn has_option(sub: &str, long: &str) -> bool {
    // Subcommands get their arguments only when built.
    let mut cli = Cli::command();
    cli.build();
    let sub = cli
        .find_subcommand(sub)
        .unwrap_or_else(|| panic!("no subcommand {sub}"));
    sub.get_arguments().any(|arg| arg.get_long() == Some(long))
}

/// `script` run by sh with the binary as `$1` and stdin from /dev/null.
pub fn sh(script: &str) -> Run {
    let output = Command::new("sh")
        .args(["-c", script, "sh"])
        .arg(bin())
        .stdin(Stdio::null())
        .output()
        .expect("sh runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The path of the sockscope binary that cargo built for these tests.
pub fn bin() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_BIN_EXE_sockscope"))
}

/// A finished run of sockscope.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout parsed as the JSON array `--json` prints.
    /// `elapsed_ms` is taken out: it differs from run to run, so records could never be
    /// compared whole. Use `json_timed` to see it.
    pub fn json(&self) -> Vec<serde_json::Value> {
        self.json_timed().into_iter().map(untimed).collect()
    }

    /// stdout parsed as the JSON array `--json` prints, `elapsed_ms` and all.
    pub fn json_timed(&self) -> Vec<serde_json::Value> {
        match serde_json::from_str::<serde_json::Value>(&self.stdout) {
            Ok(serde_json::Value::Array(items)) => items,
            other => panic!("stdout is not a JSON array ({other:?}):\n{}", self.stdout),
        }
    }

    /// stdout parsed as JSON lines, without `elapsed_ms` (see `json`).
    pub fn jsonl(&self) -> Vec<serde_json::Value> {
        self.stdout
            .lines()
            .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
            .map(untimed)
            .collect()
    }

    /// The lines of stderr.
    pub fn stderr_lines(&self) -> Vec<&str> {
        self.stderr.lines().collect()
    }
}

/// A record without its `elapsed_ms`.
fn untimed(mut record: serde_json::Value) -> serde_json::Value {
    if let Some(fields) = record.as_object_mut() {
        fields.remove("elapsed_ms");
    }
    record
}

fn finish(output: Output) -> Run {
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// Run sockscope with these arguments and no standard input.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    let output = Command::new(bin())
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output()
        .expect("sockscope runs");
    finish(output)
}

/// Run sockscope with its stdout on /dev/full, where every write fails with ENOSPC.
pub fn run_to_full(args: &[&str]) -> Run {
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .expect("/dev/full");
    let output = Command::new(bin())
        .args(args)
        .stdin(Stdio::null())
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .expect("sockscope runs");
    finish(output)
}

/// Run sockscope with `--json` put right after the subcommand and return the records,
/// asserting nothing else.
pub fn json<I, S>(args: I) -> (Vec<serde_json::Value>, Run)
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    // Before the other arguments, so that a `--` among them cannot turn it into a key.
    let mut args = args.into_iter().map(|a| a.as_ref().to_owned());
    let mut all: Vec<std::ffi::OsString> = args.next().into_iter().collect();
    all.push("--json".into());
    all.extend(args);
    let run = run(all);
    (run.json(), run)
}

/// Run a Python 3 program and return what it printed; a failing program fails the test.
pub fn python_stdout(program: &str) -> String {
    let output = Command::new("python3")
        .arg("-c")
        .arg(program)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python3 failed: {}\n{program}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Evaluate a Python 3 expression with `socket` imported and return its JSON encoding.
pub fn python_json(expr: &str) -> serde_json::Value {
    let printed = python_stdout(&format!("import json, socket\nprint(json.dumps({expr}))"));
    serde_json::from_str(&printed).expect("python3 printed JSON")
}

/// What Python's REPL shows for each expression, one line each: the repr of its value, or the
/// last line of the traceback (`socket.gaierror: [Errno -2] Name or service not known`).
pub fn python_reprs(exprs: &[String]) -> Vec<String> {
    const PROGRAM: &str = "\
import socket, sys, traceback
for expr in sys.argv[1:]:
    try:
        print(repr(eval(expr)))
    except Exception as exc:
        print(traceback.format_exception_only(exc)[-1].rstrip())
";
    let output = Command::new("python3")
        .arg("-c")
        .arg(PROGRAM)
        .args(exprs)
        .output()
        .expect("python3 runs");
    assert!(
        output.status.success(),
        "python3 failed on {exprs:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_string)
        .collect()
}

/// Run a whole Python 3 program from stdin-free `-c`, returning the finished run.
pub fn python_program(program: &str) -> Run {
    let output = Command::new("python3")
        .arg("-c")
        .arg(program)
        .stdin(Stdio::null())
        .output()
        .expect("python3 runs");
    finish(output)
}

/// Run sockscope with these arguments and this text on standard input.
pub fn run_with_input<I, S>(args: I, input: &str) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<std::ffi::OsStr>,
{
    use std::io::Write;
    let mut child = Command::new(bin())
        .args(args)
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sockscope runs");
    // Written from a thread: a child that echoes its input fills its stdout pipe and stops
    // reading stdin until someone reads that pipe, which wait_with_output does.
    let writer = child.stdin.take().map(|mut stdin| {
        let input = input.as_bytes().to_vec();
        std::thread::spawn(move || {
            // The child may close stdin early (a usage error): that is its answer, not ours.
            let _ = stdin.write_all(&input);
        })
    });
    let output = child.wait_with_output().expect("sockscope finishes");
    if let Some(writer) = writer {
        let _ = writer.join();
    }
    finish(output)
}

/// Whether `program` is on the PATH.
pub fn has(program: &str) -> bool {
    Command::new("sh")
        .arg("-c")
        .arg(format!("command -v {program}"))
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// Feed `text` to `program args...` on stdin; returns (success, stderr).
pub fn pipe_into(program: &str, args: &[&str], text: &str) -> (bool, String) {
    use std::io::Write;
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
