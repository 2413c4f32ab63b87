//! `constants`: every group and value against python3's socket module, lookups by value, and its `--explain` pinned.

use serde_json::{Value, json};

use crate::common::reference::{Case, case, check};
use crate::common::{json, python_json};

#[test]
fn constants_match_python_for_every_group() {
    let (records, run) = json(["constants"]);
    assert_eq!(run.code, 0);
    let python = python_json(
        "sorted([n, int(getattr(socket, n)), n.split('_')[0] + ('_' if '_' in n else '')] \
         for n in dir(socket) if n[:1].isupper() and isinstance(getattr(socket, n), int))",
    );
    let python = python.as_array().cloned().unwrap_or_default();
    let mut ours: Vec<Value> = records
        .iter()
        .map(|r| json!([r["name"], r["value"], r["prefix"]]))
        .filter(|r| r[0] != "AF_LOCAL")
        .collect();
    ours.sort_by_key(|r| r[0].as_str().unwrap_or_default().to_string());
    ours.dedup();
    // Every int constant Python has, with its value and group, and nothing else but AF_LOCAL:
    // those the libc crate lacks come from the C headers, through build.rs.
    assert_eq!(ours, python);
    assert!(records.iter().any(|r| r["name"] == "AF_LOCAL"));
}

#[test]
fn constants_list_shared_values_and_find_by_value() {
    let (records, run) = json(["constants", "AF", "--value", "1"]);
    assert_eq!(run.code, 0);
    let names: Vec<&Value> = records.iter().map(|r| &r["name"]).collect();
    assert_eq!(names, [&json!("AF_LOCAL"), &json!("AF_UNIX")]);
    let (records, _) = json(["constants", "--value", "10", "AF_"]);
    assert_eq!(records[0]["name"], "AF_INET6");
    let (records, run) = json(["constants", "--value", "-2", "EAI_"]);
    assert_eq!(run.code, 0);
    assert_eq!(records[0]["name"], "EAI_NONAME");
}

#[test]
fn constants_prefix_is_case_sensitive_and_unknown_is_not_found() {
    let (records, _) = json(["constants", "SHUT"]);
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r["prefix"] == "SHUT_"));
    let (records, run) = json(["constants", "shut"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["error"]["code"], "NOT_FOUND");
    let (records, run) = json(["constants", "SHUT_", "NOPE_"]);
    assert_eq!(run.code, 1);
    assert_eq!(records.len(), 4);
    assert_eq!(records[3]["error"]["code"], "NOT_FOUND");
    let (_, run) = json(["constants", "--value", "123456789"]);
    assert_eq!(run.code, 1);
}

#[test]
fn constants_print_the_lectures_dict() {
    let groups = [
        "AF_", "SOCK_", "IPPROTO_", "AI_", "NI_", "EAI_", "SOL_", "SO_", "MSG_", "SHUT_", "TCP_",
        "IP_", "IPV6_",
    ];
    let dict = |prefix: &str| {
        format!("{{getattr(socket, n): n for n in dir(socket) if n.startswith('{prefix}')}}")
    };
    let mut cases: Vec<Case> = groups
        .iter()
        .map(|g| case(&format!("constants {g}"), &[&dict(g)]))
        .collect();
    let every_group: Vec<String> = json(["constants"])
        .0
        .iter()
        .filter_map(|r| r["prefix"].as_str().map(str::to_string))
        .fold(Vec::new(), |mut seen, g| {
            if !seen.contains(&g) {
                seen.push(g);
            }
            seen
        });
    assert!(every_group.len() > 25, "{every_group:?}");
    let all: Vec<String> = every_group.iter().map(|g| dict(g)).collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    cases.push(case("constants", &all));
    cases.push(case("constants AF_INET", &[&dict("AF_INET")]));
    cases.push(case("constants af_inet", &[&dict("af_inet")]));
    let by_value = |value: i64, prefixes: &str| {
        format!(
            "[n for n in dir(socket) if n.startswith({prefixes}) and getattr(socket, n) == {value}]"
        )
    };
    let every = format!(
        "({})",
        every_group
            .iter()
            .map(|g| format!("'{g}'"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    cases.push(case("constants --value 10", &[&by_value(10, &every)]));
    cases.push(case(
        "constants --value 1 AF_ SOCK_",
        &[&by_value(1, "('AF_', 'SOCK_')")],
    ));
    cases.push(case("constants --value 9999", &[&by_value(9999, &every)]));
    cases.push(case("constants NOSUCH_", &["{}"]));
    check(&cases);
}

/// Every prefix that occurs among the socket module's upper-case names (each name up to its
/// first `_`, and each whole name), and shorter and longer ones, give python3's very dict.
#[test]
fn constants_dict_equals_python_for_every_prefix() {
    let listed = python_json(
        "sorted({p for n in dir(socket) if n[:1].isupper() \
         for p in (n.split('_')[0] + ('_' if '_' in n else ''), n, n[:1], n[:2])})",
    );
    let mut prefixes: Vec<String> = listed
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|p| p.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    prefixes.extend(
        [
            "SO_RCV",
            "IPPROTO_I",
            "Add",
            "Socket",
            "SOCK",
            "SOL",
            "CAN_BCM_TX",
            "TIPC_SUB",
            "INADDR_",
            "IPV",
            "af_",
            "Af",
            "NOPE",
            "AF_DECnet",
        ]
        .map(str::to_string),
    );
    assert!(prefixes.len() > 300, "only {} prefixes", prefixes.len());
    let exprs: Vec<String> = prefixes
        .iter()
        .map(|p| {
            format!(
                "{{getattr(socket, n): n for n in dir(socket) if n.startswith({})}}",
                serde_json::to_string(p).unwrap_or_default()
            )
        })
        .collect();
    // CAPI's repr holds its memory address, which differs in every process.
    let address = |line: &str| {
        let mut out = String::new();
        let mut rest = line;
        while let Some(at) = rest.find(" at 0x") {
            out.push_str(&rest[..at]);
            out.push_str(" at 0x...");
            rest = rest[at + 6..].trim_start_matches(|c: char| c.is_ascii_hexdigit() || c == '.');
        }
        out.push_str(rest);
        out
    };
    let theirs: Vec<String> = crate::common::python_reprs(&exprs)
        .iter()
        .map(|l| address(l))
        .collect();
    let mut args = vec!["constants".to_string()];
    args.extend(prefixes.iter().cloned());
    args.extend(["--format".to_string(), "python".to_string()]);
    let run = crate::common::run(&args);
    let ours: Vec<String> = run.stdout.lines().map(address).collect();
    assert_eq!(ours.len(), prefixes.len(), "{}", run.stderr);
    let wrong: Vec<String> = prefixes
        .iter()
        .zip(ours.iter().zip(&theirs))
        .filter(|(_, (o, t))| o != t)
        .map(|(p, (o, t))| format!("{p}:\n  sockscope: {o}\n  python3:   {t}"))
        .collect();
    assert!(
        wrong.is_empty(),
        "{} prefixes differ:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}

crate::explain! {
    constants_af_inet: "constants AF_INET",
    constants_sock_value: "constants SOCK_ --value 2",
    constants_value_10: "constants --value 10",
}

crate::explain_json! {
    json_constants_af_inet: "constants AF_INET",
}

crate::errors! {
    error_constants_unknown_prefix: ["constants", "NOPE_"],
}
