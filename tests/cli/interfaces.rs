//! `interfaces`: if_nameindex, if_nametoindex and if_indextoname against python3, and its `--explain` pinned.

use serde_json::Value;

use crate::common::reference::{case_args, check};
use crate::common::{json, python_json};

#[test]
fn interfaces_list_equals_if_nameindex() {
    check(&[case_args(&["interfaces"], &["socket.if_nameindex()"])]);
    let (records, run) = json(["interfaces"]);
    assert_eq!(run.code, 0);
    let ours: Vec<Value> = records
        .iter()
        .map(|r| serde_json::json!([r["index"], r["name"]]))
        .collect();
    assert_eq!(Value::Array(ours), python_json("socket.if_nameindex()"));
    let lo = records
        .iter()
        .find(|r| r["name"] == "lo")
        .expect("lo is listed");
    assert!(
        lo["flags"]
            .as_array()
            .is_some_and(|f| f.contains(&Value::from("LOOPBACK"))),
        "{lo}"
    );
    assert!(
        lo["addresses"]
            .as_array()
            .is_some_and(|a| a.contains(&Value::from("127.0.0.1"))),
        "{lo}"
    );
    assert!(lo["mtu"].as_u64().is_some_and(|m| m > 0), "{lo}");
}

#[test]
fn interfaces_by_name_and_index_equal_python() {
    let listed = python_json("socket.if_nameindex()");
    let mut keys: Vec<String> = Vec::new();
    for pair in listed.as_array().into_iter().flatten() {
        keys.push(pair[0].to_string());
        keys.push(pair[1].as_str().unwrap_or_default().to_string());
    }
    keys.extend(
        [
            "nope",
            "",
            "0",
            "99999",
            "4294967297",
            "18446744073709551615",
            "18446744073709551616",
            "007",
            "lo0",
            "LO",
            " lo",
            "a-very-long-interface-name",
            "1x",
            "é",
        ]
        .map(str::to_string),
    );
    let exprs: Vec<String> = keys
        .iter()
        .map(|k| {
            if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
                format!(
                    "socket.if_indextoname({})",
                    k.trim_start_matches('0').max("0")
                )
            } else {
                format!(
                    "socket.if_nametoindex({})",
                    serde_json::to_string(k).unwrap_or_default()
                )
            }
        })
        .collect();
    let mut args = vec!["interfaces"];
    args.extend(keys.iter().map(String::as_str));
    let exprs: Vec<&str> = exprs.iter().map(String::as_str).collect();
    check(&[case_args(&args, &exprs)]);
}

#[test]
fn interfaces_failures_have_their_codes() {
    let (records, run) = json(["interfaces", "nope"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["error"]["code"], "NOT_FOUND");
    let (records, run) = json(["interfaces", "0"]);
    assert_eq!(run.code, 1);
    assert_eq!(records[0]["error"]["code"], "ENXIO");
    let (records, run) = json(["interfaces", "18446744073709551616"]);
    assert_eq!(run.code, 2);
    assert_eq!(records[0]["error"]["code"], "INVALID_INPUT");
}

crate::explain! {
    interfaces_lo: "interfaces lo",
    interfaces_index_1: "interfaces 1",
}

crate::errors! {
    error_interfaces_unknown_name: ["interfaces", "nope"],
    error_interfaces_unknown_index: ["interfaces", "0"],
}
