//! The documentation cannot drift: every shown example of README.md and docs/*.md is run and compared, or says why it cannot be; the set-up it states matches the project.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use snapbox::IntoData;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// README.md and every page under docs/.
fn pages() -> Vec<PathBuf> {
    let mut pages = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir(root().join("docs"))
        .expect("docs/ exists")
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// One `$ ` line of a ```console block: the command, the exit code it shows (`? N`, else 0)
/// and the output under it.
struct Example {
    at: String,
    command: String,
    code: i32,
    expected: String,
}

/// The examples of a ```console block: `$ COMMAND` (continued on `> ` lines), an optional
/// `? CODE` line, then the output up to the next `$ ` line (blank lines at its end are only
/// spacing), as trycmd reads the same blocks.
fn examples(block: &Block) -> Vec<Example> {
    let mut out: Vec<Example> = Vec::new();
    for (i, line) in block.body.iter().enumerate() {
        let at = format!("{}:{}", block.page, block.line + 1 + i);
        if let Some(command) = line.strip_prefix("$ ") {
            out.push(Example {
                at,
                command: command.to_string(),
                code: 0,
                expected: String::new(),
            });
            continue;
        }
        let Some(example) = out.last_mut() else {
            panic!("{at}: output before any `$ ` line");
        };
        if let Some(more) = line.strip_prefix("> ")
            && example.expected.is_empty()
        {
            example.command.push(' ');
            example.command.push_str(more);
        } else if let Some(code) = line.strip_prefix("? ")
            && example.expected.is_empty()
        {
            example.code = code
                .trim()
                .parse()
                .unwrap_or_else(|_| panic!("{at}: `? {code}` is not an exit code"));
        } else {
            example.expected.push_str(line);
            example.expected.push('\n');
        }
    }
    for example in &mut out {
        let kept = example.expected.trim_end_matches('\n').len();
        example.expected.truncate(kept);
        if kept > 0 {
            example.expected.push('\n');
        }
    }
    out
}

/// Whether examples can run in a private network namespace here (root, or user namespaces
/// allowed): loud when not, and a failure where the lab is required.
fn network_namespace() -> bool {
    let ok = Command::new("unshare")
        .args(["-rn", "ip", "link", "set", "lo", "up"])
        .stdin(Stdio::null())
        .output()
        .is_ok_and(|out| out.status.success());
    if !ok {
        let required = std::env::var("SOCKSCOPE_LAB_REQUIRED").is_ok_and(|v| v == "1");
        assert!(
            !required,
            "cannot make a private network namespace (unshare -rn) for the documented examples"
        );
        eprintln!(
            "\n!!!!! SKIPPING the documented examples: `unshare -rn` is not permitted here, and \
             they never run outside a private network namespace.\n"
        );
    }
    ok
}

/// Run one example as a reader would type it, through `sh` (so pipes and redirections work),
/// in `dir` (the examples of a page share it, so one may write a file the next reads), with
/// `sockscope` on the PATH, 80 columns, no colour and no standard input: inside a network namespace of
/// its own with only loopback up, so no example can ask this machine's DNS server anything.
/// stdout and stderr share one pipe, so their lines keep the order they were written in.
fn run(example: &Example, dir: &Path) -> (i32, String) {
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_sockscope"));
    let bin_dir = bin.parent().expect("the binary's directory");
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs = vec![bin_dir.to_path_buf()];
    dirs.extend(std::env::split_paths(&path));
    let script = format!("ip link set lo up\nexec 2>&1\n{}", example.command);
    // A server example would run until stopped: no example gets more than a minute.
    let out = Command::new("timeout")
        .args(["-k", "5", "60", "unshare", "-rn", "sh", "-c", &script])
        .env("PATH", std::env::join_paths(dirs).expect("a PATH"))
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_BACKTRACE")
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("timeout and unshare run");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Every ```console block is run, and each example must print what the page shows, exit code
/// included (`? N` under the command; none means 0). `...` on a line of its own stands for
/// any lines, `[..]` for any text within a line: for what differs from machine to machine
/// (timings, this machine's own entries). All differences are reported at once.
#[test]
fn documented_examples_print_what_the_docs_show() {
    if !network_namespace() {
        return;
    }
    // Paths are not normalized: a `\` in JSON is an escape, not a Windows separator.
    let assert = snapbox::Assert::new().normalize_paths(false);
    let mut failures = Vec::new();
    let mut ran = 0;
    let scratch = std::env::temp_dir().join(format!("sockscope-docs-{}", std::process::id()));
    for page in pages() {
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&scratch).expect("a scratch directory");
        for block in blocks(&page).iter().filter(|b| b.info == "console") {
            for example in examples(block) {
                // Only sockscope runs, or printf writing its input: an example of another
                // program (a benchmark script, Python) is shown, not run.
                let program = example.command.split_whitespace().next();
                if !matches!(program, Some("sockscope" | "printf")) {
                    failures.push(format!(
                        "{}: $ {}\nonly sockscope and printf run here: mark the block not run",
                        example.at, example.command
                    ));
                    continue;
                }
                let (code, output) = run(&example, &scratch);
                ran += 1;
                let shown = assert.try_eq(
                    Some(&"sockscope"),
                    output.clone().into_data(),
                    example.expected.clone().into_data(),
                );
                if let Err(diff) = shown {
                    failures.push(format!("{}: $ {}\n{diff}", example.at, example.command));
                } else if code != example.code {
                    failures.push(format!(
                        "{}: $ {}\nexits {code}, the page shows {}:\n{output}",
                        example.at, example.command, example.code
                    ));
                }
            }
        }
    }
    let _ = fs::remove_dir_all(&scratch);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(ran >= 10, "only {ran} examples ran");
}

/// One fenced block of a page: its info string, its lines, and the line above its fence.
struct Block {
    page: String,
    line: usize,
    info: String,
    body: Vec<String>,
    above: String,
}

fn blocks(page: &Path) -> Vec<Block> {
    let text = fs::read_to_string(page).expect("page reads");
    let name = page
        .strip_prefix(root())
        .unwrap_or(page)
        .display()
        .to_string();
    let mut out = Vec::new();
    let mut lines = text.lines().enumerate();
    let mut above = String::new();
    while let Some((i, line)) = lines.next() {
        let Some(info) = line.strip_prefix("```") else {
            if !line.trim().is_empty() {
                above = line.to_string();
            }
            continue;
        };
        let body: Vec<String> = lines
            .by_ref()
            .map(|(_, l)| l)
            .take_while(|l| !l.starts_with("```"))
            .map(str::to_string)
            .collect();
        out.push(Block {
            page: name.clone(),
            line: i + 1,
            info: info.trim().to_string(),
            body,
            above: std::mem::take(&mut above),
        });
    }
    out
}

/// The marker a block that is shown but not run carries on the line above it.
const NOT_RUN: &str = "<!-- not run: ";

/// A block that shows a command is either run (```console) or marked ```console,ignore with
/// `<!-- not run: REASON -->` just above it (the info strings trycmd reads too); every block
/// names its language, so none is left unchecked by mistake.
#[test]
fn every_shown_example_is_run_or_says_why_not() {
    let mut wrong = Vec::new();
    let mut run = 0;
    for page in pages() {
        for block in blocks(&page) {
            let at = format!("{}:{}", block.page, block.line);
            let shows_a_command = block.body.iter().any(|l| l.starts_with("$ "));
            match block.info.as_str() {
                "" => wrong.push(format!("{at}: a bare ``` block; name its language")),
                "console" => run += 1,
                "console,ignore" => match block.above.strip_prefix(NOT_RUN) {
                    Some(reason) if reason.trim_end_matches("-->").trim().len() > 5 => {}
                    _ => wrong.push(format!(
                        "{at}: not run without `{NOT_RUN}REASON -->` on the line above"
                    )),
                },
                _ if shows_a_command => wrong.push(format!(
                    "{at}: `$ ` lines in a ```{} block: make it ```console (run) or \
                     ```console,ignore with a reason",
                    block.info
                )),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    assert!(run >= 10, "only {run} examples are run");
}

/// The `rust-version` of Cargo.toml.
fn rust_version() -> String {
    let manifest = fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml reads");
    manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .map(|v| v.trim_matches('"').to_string())
        .expect("Cargo.toml states a rust-version")
}

fn version_key(version: &str) -> Vec<u32> {
    version.split('.').map(|n| n.parse().unwrap_or(0)).collect()
}

/// The platform rustc builds for here (`host:` of `rustc -vV`).
fn host_triple() -> String {
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_string());
    let out = Command::new(rustc)
        .arg("-vV")
        .output()
        .expect("rustc -vV runs");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|line| line.strip_prefix("host: "))
        .map(str::to_string)
        .expect("rustc -vV names its host")
}

/// The minimum Rust the README promises is Cargo.toml's `rust-version`, and no dependency
/// (by the versions Cargo.lock pins) asks for a newer one. Only the dependencies of the
/// platform built for: sockscope runs on Linux with glibc, and a fresh machine has fetched
/// no Windows-only crate for `--offline` to read.
#[test]
fn the_minimum_rust_is_stated_once_and_true_of_the_dependencies() {
    let msrv = rust_version();
    let readme = fs::read_to_string(root().join("README.md")).expect("README reads");
    assert!(
        readme.contains(&format!("Rust {msrv} or later")),
        "README.md does not say `Rust {msrv} or later`"
    );
    let out = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--locked", "--offline"])
        .args(["--filter-platform", &host_triple()])
        .current_dir(root())
        .stdin(Stdio::null())
        .output()
        .expect("cargo metadata runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let metadata: serde_json::Value =
        serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON");
    let packages = metadata["packages"].as_array().expect("packages");
    assert!(packages.len() > 20, "{} packages", packages.len());
    let newer: Vec<String> = packages
        .iter()
        .filter_map(|p| {
            let needs = p["rust_version"].as_str()?;
            (version_key(needs) > version_key(&msrv))
                .then(|| format!("{} {} needs Rust {needs}", p["name"], p["version"]))
        })
        .collect();
    assert!(newer.is_empty(), "rust-version {msrv}, but {newer:?}");
    // Edition 2024 alone needs 1.85, and let chains 1.88: a lower claim would be false.
    assert!(version_key(&msrv) >= version_key("1.88"), "{msrv}");
}

/// What the test command installs is all named in the README: every package
/// scripts/test.sh may install with apt, and every test-only crate Cargo fetches.
#[test]
fn the_readme_names_everything_the_test_command_installs() {
    let readme = fs::read_to_string(root().join("README.md")).expect("README reads");
    let script = fs::read_to_string(root().join("scripts/test.sh")).expect("test.sh reads");
    let packages: Vec<&str> = script
        .split("missing+=(")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .collect();
    assert!(packages.len() >= 5, "{packages:?}");
    let manifest = fs::read_to_string(root().join("Cargo.toml")).expect("Cargo.toml reads");
    let crates: Vec<&str> = manifest
        .split("[dev-dependencies]")
        .nth(1)
        .expect("dev-dependencies")
        .lines()
        .take_while(|line| !line.starts_with('['))
        .filter_map(|line| line.split_once(" = ").map(|(name, _)| name.trim()))
        .collect();
    assert!(crates.len() >= 3, "{crates:?}");
    let missing: Vec<&&str> = packages
        .iter()
        .chain(&crates)
        .filter(|name| !readme.contains(&format!("`{name}`")))
        .collect();
    assert!(missing.is_empty(), "README.md does not name {missing:?}");
}
