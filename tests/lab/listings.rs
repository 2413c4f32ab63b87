//! The database listings in a world of fixture files: `services`, `protocols` and `hosts` against getent run in the same world, entries too big for the first buffer included.

use crate::common::getent::{as_getent, fields};
use crate::world::{self, Scenario};

/// `n` aliases `PREFIXnnnnn`: a line of about 12 × n bytes, so 2,000 of them outgrow the
/// 16 KiB buffer the `_r` calls start with and make them answer ERANGE first.
fn many(prefix: &str, n: usize) -> String {
    (0..n)
        .map(|i| format!("{prefix}{i:05}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// What each world holds: the usual fixtures, a duplicate name, a comment-only and a blank
/// line, entries after a huge one, IPv6 in hosts (with the forms inet_ntop writes its own way).
fn scenario() -> Scenario {
    let services = format!(
        "{}# a comment line\n\nbig\t9999/tcp\t{}\nsctp-only\t9/sctp\nafter-big\t10000/udp\n",
        world::SERVICES,
        many("svc", 2000)
    );
    let protocols = format!(
        "{}bigproto\t254\t{}\n",
        world::PROTOCOLS,
        many("proto", 2000)
    );
    let hosts = format!(
        "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n# comment\n\
         192.0.2.10\tweb.lab.test web\n192.0.2.10\tagain.lab.test\n\
         ::1.2.3.4\tcompat.lab.test\n::ffff:192.0.2.11\tmapped.lab.test\n\
         2001:db8:0:0:1:0:0:1\tzeros.lab.test\n\
         192.0.2.12\tbig.lab.test {}\n192.0.2.13\tafter.lab.test\n",
        many("host", 2000)
    );
    Scenario {
        services,
        protocols,
        hosts,
        shell: Some(
            "getent services; echo ---; getent services | grep ' [0-9]*/udp'; echo ---; \
             getent protocols; echo ---; getent hosts"
                .to_string(),
        ),
        ..Scenario::default()
    }
    .run(&["services", "--json"])
    .run(&["services", "-p", "udp", "--json"])
    .run(&["protocols", "--json"])
    .run(&["hosts", "--json"])
    .run(&["hosts", "--format", "python"])
}

#[test]
fn listings_equal_getent_in_a_world_of_fixture_files() {
    let Some(report) = world::run(&scenario()) else {
        return;
    };
    let shell = report.shell.as_ref().expect("the shell ran");
    assert_eq!(shell.code, 0, "{shell:#?}");
    let parts: Vec<&str> = shell.stdout.split("---\n").collect();
    let [services, udp, protocols, hosts] = parts[..] else {
        panic!("four getent listings: {shell:#?}");
    };
    let [all, by_udp, protos, addrs, python] = &report.outcomes[..] else {
        panic!("five runs: {report:#?}");
    };
    for (db, out, expected) in [
        ("services", all, services),
        ("services", by_udp, udp),
        ("protocols", protos, protocols),
        ("hosts", addrs, hosts),
    ] {
        assert_eq!(out.code, 0, "{out:#?}");
        assert_eq!(out.stderr, "", "{out:#?}");
        let ours = as_getent(db, &out.json());
        let theirs = fields(expected);
        assert_eq!(ours.len(), theirs.len(), "{:?}", out.args);
        for (a, b) in ours.iter().zip(&theirs) {
            assert_eq!(a, b, "{:?}", out.args);
        }
    }
    // The fixture's own entries are there, the huge ones whole, and what follows them too.
    let names: Vec<String> = all.field("name");
    assert_eq!(
        names,
        [
            "ssh",
            "domain",
            "domain",
            "http",
            "lab-echo",
            "lab-echo",
            "big",
            "sctp-only",
            "after-big"
        ]
    );
    let big = &all.json()[6];
    assert_eq!(big["aliases"].as_array().map(Vec::len), Some(2000));
    assert_eq!(by_udp.field("name"), ["domain", "lab-echo", "after-big"]);
    assert_eq!(
        protos.json().last().map(|p| p["number"].clone()),
        Some(254.into())
    );
    // glibc walks hosts for IPv4 only, as getent shows too: ::1 comes back as 127.0.0.1 and
    // an IPv4-mapped address as its IPv4 one; other IPv6 lines are left out.
    let lines: Vec<String> = as_getent("hosts", &addrs.json())
        .iter()
        .map(|line| line[..2].join(" "))
        .collect();
    assert_eq!(
        lines,
        [
            "127.0.0.1 localhost",
            "127.0.0.1 localhost",
            "192.0.2.10 web.lab.test",
            "192.0.2.10 again.lab.test",
            "192.0.2.11 mapped.lab.test",
            "192.0.2.12 big.lab.test",
            "192.0.2.13 after.lab.test"
        ]
    );
    assert_eq!(
        addrs.json()[1]["aliases"],
        serde_json::json!(["ip6-localhost"])
    );
    assert_eq!(
        addrs.json()[5]["aliases"].as_array().map(Vec::len),
        Some(2000)
    );
    // Listing hosts asks no DNS server: only files can list.
    assert!(addrs.queries.is_empty(), "{addrs:#?}");
    assert!(report.queries.is_empty(), "{:?}", report.queries);
    assert_eq!(
        python.stdout,
        "# no Python equivalent (socket has no gethostent); C listed 7 entries\n"
    );
}
