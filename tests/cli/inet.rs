//! `inet`: inet_aton, inet_pton, inet_ntoa and inet_ntop against python3 over valid and invalid input of every kind, and its `--explain` pinned.

use crate::common::reference::{case_args, check};
use crate::common::{json, run_with_input};

/// Keys for inet_aton and inet_pton: the old forms, white space, junk, overflow, IPv6.
const ADDRESSES: &[&str] = &[
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "1",
    "0",
    "0x7f000001",
    "017700000001",
    "255.255.255.255",
    "256.1.1.1",
    "1.2.3.4.5",
    "",
    " 127.0.0.1",
    "127.0.0.1 junk",
    "127.0.0.1\tx",
    "1.2.3",
    "1.2.3.256",
    "0x100000000",
    "4294967295",
    "4294967296",
    "abc",
    "::1",
    "127.0.0.1.",
    "08.1.1.1",
    "0x.1.1.1",
    "é",
    "1..2",
    "-1",
    "+1",
    "01.2.3.4",
    "::",
    "2001:db8::1",
    "2001:DB8:0:0:0:0:0:1",
    "::ffff:1.2.3.4",
    "::ffff:1.2.3",
    "fe80::1%lo",
    "1:2:3:4:5:6:7:8",
    "1:2:3:4:5:6:7:8:9",
    "1::2::3",
    "::1.2.3.4",
    "zz",
];

/// Keys for inet_ntoa and inet_ntop, as bytes.fromhex reads them: spacing, case, odd and
/// wrong lengths, non-hex and non-ASCII characters.
const PACKED: &[&str] = &[
    "7f000001",
    "7f 00 00 01",
    " 7f000001 ",
    "7F000001",
    "7f0000",
    "7f00000102",
    "zz",
    "7f0",
    "",
    "7 f000001",
    "é",
    "ffffffff",
    "00000000",
    "0a\n0b\x0c0c0d",
    "7f00 0001",
    "7f0000é1",
    "00000000000000000000000000000001",
    "00000000000000000000ffff01020304",
    "20010db8000000000000000000000001",
    "0000000000000000000000000000000000",
    "fe800000000000000000000000000001",
    "00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01",
];

/// A str as a Python literal (JSON's escapes are Python's too).
fn lit(key: &str) -> String {
    serde_json::to_string(key).unwrap_or_default()
}

fn compare(options: &[&str], keys: &[&str], python: impl Fn(&str) -> String) {
    let args: Vec<&str> = std::iter::once("inet")
        .chain(options.iter().copied())
        .chain(keys.iter().copied())
        .collect();
    let exprs: Vec<String> = keys.iter().map(|k| python(&lit(k))).collect();
    let exprs: Vec<&str> = exprs.iter().map(String::as_str).collect();
    check(&[case_args(&args, &exprs)]);
}

#[test]
fn inet_aton_equals_python() {
    compare(&[], ADDRESSES, |k| format!("socket.inet_aton({k})"));
}

#[test]
fn inet_pton_equals_python_for_both_families() {
    compare(&["-f", "inet"], ADDRESSES, |k| {
        format!("socket.inet_pton(socket.AF_INET, {k})")
    });
    compare(&["--family", "inet6"], ADDRESSES, |k| {
        format!("socket.inet_pton(socket.AF_INET6, {k})")
    });
}

#[test]
fn inet_ntoa_and_ntop_equal_python() {
    compare(&["--packed"], PACKED, |k| {
        format!("socket.inet_ntoa(bytes.fromhex({k}))")
    });
    compare(&["--packed", "-f", "inet"], PACKED, |k| {
        format!("socket.inet_ntop(socket.AF_INET, bytes.fromhex({k}))")
    });
    compare(&["--packed", "-f", "inet6"], PACKED, |k| {
        format!("socket.inet_ntop(socket.AF_INET6, bytes.fromhex({k}))")
    });
}

#[test]
fn inet_records_show_bytes_in_network_order() {
    let (records, run) = json(["inet", "127.1", "-f", "inet"]);
    assert_eq!(run.code, 2, "127.1 is not inet_pton's");
    assert_eq!(records[0]["error"]["code"], "INVALID_INPUT");
    let (records, run) = json(["inet", "127.1", "10.0.0.258"]);
    assert_eq!(run.code, 2);
    assert_eq!(records[0]["packed"], "7f000001");
    assert_eq!(records[0]["address"], "127.0.0.1");
    assert_eq!(records[0]["family"], "AF_INET");
    assert_eq!(records[1]["error"]["code"], "INVALID_INPUT");
    let table = crate::common::run(["inet", "-f", "inet6", "2001:db8::1"]);
    assert!(
        table
            .stdout
            .contains("20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01"),
        "{}",
        table.stdout
    );
}

#[test]
fn inet_reads_keys_from_standard_input() {
    let run = run_with_input(
        ["inet", "--packed", "-", "--format", "python"],
        "7f000001\n# a comment\n0a000001\n",
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "'127.0.0.1'\n'10.0.0.1'\n");
    // A NUL cannot be on a command line, but can be in a key file: Python's "s" conversion
    // refuses it before any call.
    let run = run_with_input(["inet", "-", "--format", "python"], "127.0.0.1\0x\n");
    assert_eq!(run.stdout, "ValueError: embedded null character\n");
    assert_eq!(run.code, 2);
}

crate::explain! {
    inet_aton_old_form: "inet 127.1",
    inet_pton_inet6: "inet -f inet6 2001:db8::1",
    inet_ntoa_packed: "inet --packed 7f000001",
}

crate::explain_json! {
    json_inet_aton: "inet 10.1",
}

crate::errors! {
    error_inet_aton_illegal: ["inet", "256.1.1.1"],
    error_inet_ntoa_length: ["inet", "--packed", "7f0000"],
    error_inet_fromhex: ["inet", "--packed", "7f0"],
}
