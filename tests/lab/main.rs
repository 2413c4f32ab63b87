//! The resolver lab: end-to-end tests of the binary against a real DNS server in private namespaces.

mod dns;
mod world;

use std::net::{Ipv4Addr, Ipv6Addr};

use dns::Rule;
use world::{Outcome, Report, Scenario};

/// Not a test of its own: the entry point of the re-run test binary inside a lab world.
/// Outside one (no `SOCKSCOPE_LAB_DIR`) it does nothing.
#[test]
#[ignore = "run by the lab inside its namespaces, not on its own"]
fn lab_child_process() {
    if let Some(dir) = std::env::var_os(world::CHILD_ENV) {
        if let Err(why) = world::child(std::path::Path::new(&dir)) {
            panic!("lab child: {why}");
        }
    }
}

fn v4(text: &str) -> Ipv4Addr {
    text.parse().expect("test IPv4 address")
}

fn v6(text: &str) -> Ipv6Addr {
    text.parse().expect("test IPv6 address")
}

fn a(addrs: &[&str]) -> Rule {
    Rule {
        a: addrs.iter().map(|s| v4(s)).collect(),
        ..Rule::default()
    }
}

fn rcode(code: u8) -> Rule {
    Rule {
        rcode: Some(code),
        ..Rule::default()
    }
}

/// Run the scenario; None (after a loud message) where the lab cannot run.
fn lab(scenario: Scenario) -> Option<Report> {
    world::run(&scenario)
}

/// The single outcome of a one-run scenario.
fn one(scenario: Scenario) -> Option<Outcome> {
    lab(scenario).map(|mut r| r.outcomes.remove(0))
}

fn assert_failure(out: &Outcome, exit: i32, code: &str) {
    assert_eq!(out.code, exit, "exit code of {:?}: {out:#?}", out.args);
    assert_eq!(out.error_code(), code, "{out:#?}");
    let lines: Vec<&str> = out.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one stderr line: {out:#?}");
    assert!(lines[0].ends_with(&format!("({code})")), "{out:#?}");
}

#[test]
fn a_and_aaaa_for_one_name_by_family() {
    let rule = Rule {
        a: vec![v4("192.0.2.10")],
        aaaa: vec![v6("2001:db8::10")],
        ..Rule::default()
    };
    let Some(report) = lab(Scenario::default()
        .name("dual.lab.test", rule)
        .run(&["addrinfo", "dual.lab.test", "-4", "-t", "stream", "--json"])
        .run(&["addrinfo", "dual.lab.test", "-6", "-t", "stream", "--json"])
        .run(&["addrinfo", "dual.lab.test", "-t", "stream", "--json"]))
    else {
        return;
    };
    let [v4only, v6only, both] = &report.outcomes[..] else {
        panic!("three runs: {report:#?}");
    };
    assert_eq!(v4only.code, 0, "{v4only:#?}");
    assert_eq!(v4only.field("address"), ["192.0.2.10"]);
    assert_eq!(v6only.field("address"), ["2001:db8::10"]);
    let mut all = both.field("address");
    all.sort();
    assert_eq!(all, ["192.0.2.10", "2001:db8::10"]);
    assert!(report.queries.iter().any(|q| q == "dual.lab.test AAAA udp"));
}
