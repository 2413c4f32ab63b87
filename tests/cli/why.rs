//! `why` on this machine, for names /etc/hosts answers and numeric hosts only (every DNS world is in the lab).

use crate::common::{json, python_stdout, run};

#[test]
fn a_hosts_file_name_is_answered_by_files_and_the_story_fits_80_columns() {
    let out = run(["why", "localhost", "http"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    for heading in ["1. input", "nsswitch: hosts:", "files:", "dns:", "verdict"] {
        assert!(out.stdout.contains(heading), "{heading}: {}", out.stdout);
    }
    assert!(out.stdout.contains("agrees: true"), "{}", out.stdout);
    for line in out.stdout.lines() {
        assert!(
            line.chars().count() <= 80,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}

#[test]
fn json_carries_every_section_the_schema_names() {
    let (records, out) = json(["why", "localhost", "http", "-t", "stream"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = &records[0];
    for key in [
        "query",
        "service",
        "hints",
        "result",
        "answered_by",
        "steps",
        "hosts_file",
        "dns",
        "addrconfig",
        "sort",
        "predicted",
        "agrees",
    ] {
        assert!(v.get(key).is_some(), "{key} missing: {v:#}");
    }
    assert_eq!(v["answered_by"], "files");
    assert_eq!(v["agrees"], true);
    assert_eq!(v["predicted"], serde_json::json!(["127.0.0.1"]));
    assert_eq!(v["result"][0]["address"], "127.0.0.1");
    assert_eq!(v["result"][0]["port"], 80);
    assert!(
        v["hosts_file"]["matches"]
            .as_array()
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(v["dns"]["consulted"], false, "files answered: {v:#}");
    let steps: Vec<&str> = v["steps"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|s| s["step"].as_str())
        .collect();
    assert_eq!(steps.first(), Some(&"input"));
    assert_eq!(steps.last(), Some(&"verdict"));
}

#[test]
fn numeric_hosts_are_answered_without_a_name_service() {
    let (records, out) = json(["why", "0x7f.1", "22", "-4"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(records[0]["answered_by"], "numeric");
    assert_eq!(records[0]["input"]["host"]["address"], "127.0.0.1");
    assert_eq!(records[0]["nsswitch"], serde_json::Value::Null);
    assert_eq!(records[0]["agrees"], true);
}

#[test]
fn python_format_is_the_repr_of_socket_getaddrinfo() {
    let ours = run(["why", "localhost", "http", "--format", "python"]);
    let theirs = python_stdout("import socket; print(socket.getaddrinfo('localhost', 'http'))");
    assert_eq!(ours.stdout.trim_end(), theirs.trim_end());
}

#[test]
fn explain_shows_the_python_line_and_flags_include_glibcs_idn() {
    let out = run(["why", "localhost", "--explain", "--flags", "idn,canonidn"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("socket.getaddrinfo('localhost'"),
        "{}",
        out.stdout
    );
    let (records, _) = json(["why", "localhost", "--flags", "canonname,idn"]);
    assert_eq!(
        records[0]["hints"]["flags"],
        serde_json::json!(["AI_CANONNAME", "AI_IDN"])
    );
}

#[test]
fn a_missing_host_is_a_usage_error() {
    let out = run(["why"]);
    assert_eq!(out.code, 2);
    assert!(out.stdout.is_empty());
}
