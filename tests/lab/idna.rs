//! Host names go to the resolver as Python's idna codec encodes them: the lab's DNS server shows what was asked.

use crate::world::Scenario;
use crate::{a, assert_failure, lab};

/// `испытание.example` is asked as `xn--80akhbyknj4f.example`, by every subcommand that takes
/// a host and in every format; nameprep folds case and drops soft hyphens and zero-width
/// spaces before punycode. python3 in the same world asks the same and prints the same.
#[test]
fn non_ascii_names_are_asked_as_python_encodes_them() {
    let Some(report) = lab(Scenario {
        shell: Some(
            "python3 -c \"import socket; print(repr(socket.gethostbyname('Испытание.example')))\""
                .to_string(),
        ),
        ..Scenario::default()
    }
    .name("xn--80akhbyknj4f.example", a(&["192.0.2.80"]))
    .name("xn--bcher-kva.lab.test", a(&["192.0.2.81"]))
    .run(&["hostbyname", "испытание.example", "--json"])
    .run(&[
        "hostbyname",
        "--ex",
        "ИСПЫТАНИЕ.example",
        "--format",
        "jsonl",
    ])
    .run(&[
        "addrinfo",
        "испытание.example",
        "-f",
        "inet",
        "-t",
        "stream",
    ])
    .run(&["hostbyname", "Испытание.example", "--format", "python"])
    .run(&["hostbyname", "bü\u{AD}cher\u{200B}.lab.test", "--json"])
    .run(&["hostbyaddr", "bücher。lab．test", "--json"])
    .run(&["hostbyname", "испытание.example", "--explain"])) else {
        return;
    };
    let [json, ex, table, python, soft, byaddr, explain] = &report.outcomes[..] else {
        panic!("seven runs: {report:#?}");
    };
    for out in [json, ex, table, python, explain] {
        assert!(
            !out.queries.is_empty()
                && out
                    .queries
                    .iter()
                    .all(|q| q.starts_with("xn--80akhbyknj4f.example ")),
            "asked as xn--80akhbyknj4f.example: {out:#?}"
        );
    }
    assert_eq!(json.code, 0, "{json:#?}");
    assert_eq!(json.field("address"), ["192.0.2.80"]);
    assert_eq!(json.field("query"), ["испытание.example"]);
    assert_eq!(ex.code, 0, "{ex:#?}");
    assert!(
        ex.stdout.contains("\"xn--80akhbyknj4f.example\""),
        "{ex:#?}"
    );
    assert!(table.stdout.contains("192.0.2.80"), "{table:#?}");
    assert_eq!(python.stdout, "'192.0.2.80'\n");
    let shell = report.shell.as_ref().expect("the python3 run");
    assert_eq!(
        shell.stdout, python.stdout,
        "sockscope and python3: {shell:#?}"
    );
    assert!(
        shell
            .queries
            .iter()
            .all(|q| q.starts_with("xn--80akhbyknj4f.example ")),
        "{shell:#?}"
    );
    assert_eq!(soft.field("address"), ["192.0.2.81"], "{soft:#?}");
    assert!(
        soft.queries
            .iter()
            .all(|q| q.starts_with("xn--bcher-kva.lab.test ")),
        "{soft:#?}"
    );
    // gethostbyaddr resolves the name first, then asks for the address's PTR record.
    assert!(
        byaddr.queries[0].starts_with("xn--bcher-kva.lab.test "),
        "{byaddr:#?}"
    );
    assert!(
        byaddr
            .queries
            .iter()
            .any(|q| q.starts_with("81.2.0.192.in-addr.arpa PTR")),
        "{byaddr:#?}"
    );
    assert!(
        explain
            .stdout
            .contains("getaddrinfo(\"xn--80akhbyknj4f.example\""),
        "{explain:#?}"
    );
    assert!(
        explain
            .stdout
            .contains("socket.gethostbyname('испытание.example')"),
        "{explain:#?}"
    );
    assert!(explain.stdout.contains("idna codec"), "{explain:#?}");
}

/// A name the codec refuses is bad input, caught before any query: INVALID_INPUT (exit 2) in
/// table and JSON, Python's UnicodeError in python format.
#[test]
fn names_the_codec_refuses_are_never_asked() {
    let too_long = format!("{}.lab.test", "ü".repeat(60));
    let Some(report) = lab(Scenario::default()
        .run(&["hostbyname", "ü..lab.test", "--json"])
        .run(&["addrinfo", &too_long, "--json"])
        .run(&[
            "hostbyname",
            "--ex",
            "a\u{E000}.lab.test",
            "--format",
            "python",
        ])
        .run(&["hostbyaddr", "\u{627}a.lab.test", "--format", "python"]))
    else {
        return;
    };
    let [empty, long, private, bidi] = &report.outcomes[..] else {
        panic!("four runs: {report:#?}");
    };
    assert_failure(empty, 2, "INVALID_INPUT");
    assert!(
        empty.stderr.contains("label empty or too long"),
        "{empty:#?}"
    );
    assert_failure(long, 2, "INVALID_INPUT");
    assert_eq!(
        private.stdout,
        "UnicodeError: encoding with 'idna' codec failed (UnicodeError: Invalid character '\\ue000')\n"
    );
    assert_eq!(
        bidi.stdout,
        "UnicodeError: encoding with 'idna' codec failed (UnicodeError: Violation of BIDI requirement 2)\n"
    );
    assert!(report.queries.is_empty(), "{:?}", report.queries);
}
