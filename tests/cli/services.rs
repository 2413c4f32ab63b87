//! `services`: the whole services database against `getent services`, entry for entry, in every format, with `-p` and its `--explain`.

use crate::common;
use crate::common::getent::{check_every_format, explained, getent};

#[test]
fn services_lists_what_getent_services_lists() {
    let all = getent("services");
    // A stock /etc/services has hundreds; a handful would mean a walk that stopped early.
    assert!(all.len() > 50, "getent services: {} lines", all.len());
    check_every_format(&["services"], &all, "serv");
}

#[test]
fn proto_keeps_only_that_protocols_entries_in_getents_order() {
    let all = getent("services");
    for proto in ["tcp", "udp"] {
        let suffix = format!("/{proto}");
        let expected: Vec<Vec<String>> = all
            .iter()
            .filter(|line| line[1].ends_with(&suffix))
            .cloned()
            .collect();
        check_every_format(&["services", "-p", proto], &expected, "serv");
    }
}

#[test]
fn a_protocol_without_entries_is_not_found() {
    // Compared exactly, as getservbyname compares: TCP is not tcp.
    for proto in ["nosuchproto", "TCP"] {
        let run = common::run(["services", "-p", proto]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.stdout, "");
        assert_eq!(
            run.stderr_lines(),
            [format!(
                "sockscope: services: the services database has no entry for protocol {proto} \
                 (NOT_FOUND)"
            )]
        );
    }
    let (records, run) = common::json(["services", "-p", "nosuchproto"]);
    assert_eq!(run.code, 1);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0]["error"]["code"], "NOT_FOUND");
}

#[test]
fn services_explain_shows_the_c_loop() {
    let transcript = explained(
        &["services"],
        "setservent(0); while (getservent_r(&ret, buf, 16384, &result) == 0) print(result); \
         endservent()",
    );
    insta::assert_snapshot!("services_explain_python", transcript);
    let filtered = explained(
        &["services", "-p", "udp"],
        "setservent(0); while (getservent_r(&ret, buf, 16384, &result) == 0) if \
         (strcmp(result->s_proto, \"udp\") == 0) print(result); endservent()",
    );
    insta::assert_snapshot!("services_udp_explain_python", filtered);
}

#[test]
fn services_takes_the_resolver_options() {
    let run = common::run(["services", "--timeout", "5", "--elapsed"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let header = run.stdout.lines().next().unwrap_or_default();
    assert_eq!(
        header.split_whitespace().collect::<Vec<_>>(),
        ["name", "port", "proto", "aliases", "elapsed_ms"]
    );
}
