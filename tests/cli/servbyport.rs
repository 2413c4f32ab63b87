//! `servbyport`: getservbyport against python3, bad ports, and its `--explain` pinned.

use crate::common::reference::{case, check};
use crate::common::{json, python_json};

#[test]
fn servbyport_takes_a_default_protocol() {
    let (records, run) = json(["servbyport", "53", "-p", "udp"]);
    assert_eq!(run.code, 0);
    assert_eq!(records[0]["proto"], "udp");
    assert_eq!(
        records[0]["name"],
        python_json("socket.getservbyport(53, 'udp')")
    );
}

#[test]
fn bad_ports_are_invalid_input_and_others_still_answer() {
    let (records, run) = json(["servbyport", "22", "65536", "-1", "abc", "80/", "80"]);
    assert_eq!(run.code, 2);
    assert_eq!(records.len(), 6);
    assert_eq!(records[0]["name"], "ssh");
    for bad in &records[1..5] {
        assert_eq!(bad["error"]["code"], "INVALID_INPUT", "{bad}");
    }
    assert_eq!(records[5]["name"], "http");
    assert_eq!(run.stderr_lines().len(), 4);
    assert!(
        run.stderr_lines()
            .iter()
            .all(|l| l.starts_with("sockscope: servbyport: ") && l.ends_with("(INVALID_INPUT)"))
    );
}

#[test]
fn servbyport_prints_the_name_or_the_oserror() {
    check(&[
        case("servbyport 80", &["socket.getservbyport(80)"]),
        case(
            "servbyport 53/udp 22",
            &[
                "socket.getservbyport(53, 'udp')",
                "socket.getservbyport(22)",
            ],
        ),
        case(
            "servbyport 443 -p tcp",
            &["socket.getservbyport(443, 'tcp')"],
        ),
        case(
            "servbyport 1 80/udp",
            &["socket.getservbyport(1)", "socket.getservbyport(80, 'udp')"],
        ),
    ]);
}

crate::explain! {
    servbyport_80: "servbyport 80",
    servbyport_53_udp: "servbyport 53/udp",
    servbyport_443_proto: "servbyport 443 -p tcp",
}
