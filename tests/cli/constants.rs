//! `constants`: every group and value against python3's socket module, lookups by value, and its `--explain` pinned.

use serde_json::{Value, json};

use crate::common::reference::{Case, case, check};
use crate::common::{json, python_json};

#[test]
fn constants_match_python_for_every_group() {
    let (records, run) = json(["constants"]);
    assert_eq!(run.code, 0);
    let groups = [
        "AF_", "SOCK_", "IPPROTO_", "AI_", "NI_", "EAI_", "SOL_", "SO_", "MSG_", "SHUT_", "TCP_",
        "IP_", "IPV6_",
    ];
    let python = python_json(&format!(
        "sorted([n, int(getattr(socket, n)), g] for g in {} for n in dir(socket) \
         if n.startswith(g) and isinstance(getattr(socket, n), int))",
        serde_json::to_string(&groups).unwrap_or_default()
    ));
    let python = python.as_array().cloned().unwrap_or_default();
    let ours: Vec<Value> = records
        .iter()
        .map(|r| json!([r["name"], r["value"], r["prefix"]]))
        .collect();
    // Every name sockscope shows has Python's value...
    for row in &ours {
        if let Some(py) = python.iter().find(|p| p[0] == row[0]) {
            assert_eq!(py, row, "value of {}", row[0]);
        } else {
            assert_eq!(
                row[0], "AF_LOCAL",
                "only documented additions are not in Python"
            );
        }
    }
    // ...and every name Python has (those the libc crate lacks come from the C headers, through
    // build.rs).
    let missing: Vec<&Value> = python
        .iter()
        .filter(|p| !ours.iter().any(|o| o[0] == p[0]))
        .map(|p| &p[0])
        .collect();
    assert!(missing.is_empty(), "missing {missing:?}");
}

#[test]
fn constants_list_shared_values_and_find_by_value() {
    let (records, run) = json(["constants", "af", "--value", "1"]);
    assert_eq!(run.code, 0);
    let names: Vec<&Value> = records.iter().map(|r| &r["name"]).collect();
    assert_eq!(names, [&json!("AF_LOCAL"), &json!("AF_UNIX")]);
    let (records, _) = json(["constants", "--value", "10", "AF_"]);
    assert_eq!(records[0]["name"], "AF_INET6");
    let (records, run) = json(["constants", "--value", "-2", "EAI"]);
    assert_eq!(run.code, 0);
    assert_eq!(records[0]["name"], "EAI_NONAME");
}

#[test]
fn constants_prefix_is_case_insensitive_and_unknown_is_not_found() {
    let (records, _) = json(["constants", "shut"]);
    assert_eq!(records.len(), 3);
    assert!(records.iter().all(|r| r["prefix"] == "SHUT_"));
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
    let all: Vec<String> = groups.iter().map(|g| dict(g)).collect();
    let all: Vec<&str> = all.iter().map(String::as_str).collect();
    cases.push(case("constants", &all));
    cases.push(case("constants af_inet", &[&dict("AF_INET")]));
    let by_value = |value: i64, prefixes: &str| {
        format!(
            "[n for n in dir(socket) if n.startswith({prefixes}) and getattr(socket, n) == {value}]"
        )
    };
    let every = format!(
        "({})",
        groups
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
