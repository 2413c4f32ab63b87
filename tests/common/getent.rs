//! getent as the reference for the database listings: its lines, and sockscope's records in the same fields.

use std::process::{Command, Stdio};

use serde_json::Value;

/// The lines `getent DB` prints with no key (the whole database), each split at whitespace.
pub fn getent(db: &str) -> Vec<Vec<String>> {
    let out = Command::new("getent")
        .arg(db)
        .stdin(Stdio::null())
        .output()
        .expect("getent runs");
    assert!(out.status.success(), "getent {db}: {:?}", out.status);
    fields(&String::from_utf8_lossy(&out.stdout))
}

/// Text lines split at whitespace, blank lines left out.
pub fn fields(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| line.split_whitespace().map(str::to_string).collect())
        .filter(|fields: &Vec<String>| !fields.is_empty())
        .collect()
}

fn text(value: &Value, key: &str) -> String {
    match &value[key] {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        other => panic!("{key} is {other} in {value}"),
    }
}

/// sockscope's JSON records of `db` in the fields getent prints for them:
/// `name port/proto aliases...`, `name number aliases...`, `address name aliases...`.
pub fn as_getent(db: &str, records: &[Value]) -> Vec<Vec<String>> {
    records
        .iter()
        .map(|r| {
            let mut line = match db {
                "services" => vec![
                    text(r, "name"),
                    format!("{}/{}", text(r, "port"), text(r, "proto")),
                ],
                "protocols" => vec![text(r, "name"), text(r, "number")],
                "hosts" => vec![text(r, "address"), text(r, "name")],
                other => panic!("no database {other}"),
            };
            let aliases = r["aliases"]
                .as_array()
                .unwrap_or_else(|| panic!("aliases in {r}"));
            line.extend(
                aliases
                    .iter()
                    .map(|a| a.as_str().expect("alias").to_string()),
            );
            line
        })
        .collect()
}

/// `sockscope ARGS` in every format against `expected` (getent's lines): JSON and JSON lines
/// hold the same entries in the same order, the table has a row per entry whose cells start
/// with getent's first fields, and the python format is one comment saying how many entries
/// C listed, which python3 runs as a no-op.
pub fn check_every_format(args: &[&str], expected: &[Vec<String>], stem: &str) {
    let db = args[0];
    assert!(!expected.is_empty(), "getent lists nothing for {args:?}");
    let (records, run) = super::json(args);
    assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(as_getent(db, &records), expected, "{args:?} --json");

    let with = |format: &str| {
        let mut all: Vec<&str> = args.to_vec();
        all.extend(["--format", format]);
        let run = super::run(&all);
        assert_eq!(run.code, 0, "{all:?}: {}", run.stderr);
        run
    };
    assert_eq!(with("jsonl").jsonl(), records, "{args:?} jsonl");

    let table = with("table").stdout;
    let rows: Vec<&str> = table.lines().skip(2).collect();
    assert_eq!(rows.len(), expected.len(), "{args:?} table:\n{table}");
    for (row, line) in rows.iter().zip(expected) {
        let cells: Vec<&str> = row.split_whitespace().collect();
        assert_eq!(cells[0], line[0], "{row}");
        // The services table splits getent's `port/proto` into two columns.
        assert_eq!(
            cells[1],
            line[1].split('/').next().unwrap_or_default(),
            "{row}"
        );
    }

    let python = with("python").stdout;
    let count = expected.len();
    let noun = if count == 1 { "entry" } else { "entries" };
    assert_eq!(
        python,
        format!("# no Python equivalent (socket has no get{stem}ent); C listed {count} {noun}\n")
    );
    let ran = super::python_program(&format!("import socket\n{python}"));
    assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{}", ran.stderr);
    // The claim the comment makes, on this CPython.
    assert_eq!(
        super::python_reprs(&[format!("hasattr(socket, 'get{stem}ent')")]),
        ["False"]
    );
}

/// `--explain` of a listing: every record carries the one call, whose C is the set/get/end
/// loop and whose Python line is a comment; the transcript (`--format python --explain`) is
/// returned with the count of entries replaced by N, for a snapshot that holds on any machine.
pub fn explained(args: &[&str], c: &str) -> String {
    let mut all: Vec<&str> = args.to_vec();
    all.push("--explain");
    let (records, run) = super::json(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let calls = super::explain::calls(&records);
    assert_eq!(calls.len(), 1, "{calls:?}");
    assert_eq!(super::explain::text(&calls[0], "c"), c);
    assert!(super::explain::text(&calls[0], "python").starts_with("# no Python equivalent"));
    all.extend(["--format", "python"]);
    let run = super::run(&all);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let ran = super::python_program(&format!(
        "import socket\n{}",
        run.stdout.replace(">>> ", "")
    ));
    assert_eq!((ran.code, ran.stdout.as_str()), (0, ""), "{}", ran.stderr);
    let (head, last) = run
        .stdout
        .trim_end()
        .rsplit_once('\n')
        .expect("a transcript of several lines");
    let last = last
        .split_once("C listed ")
        .map(|(before, _)| format!("{before}C listed N entries"))
        .expect("the count of entries");
    format!("{head}\n{last}\n")
}
