//! `why` in many worlds: each asserts the steps, the source that answered, the DNS candidates against the server's own log, and `agrees`.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::dns::Rule;
use crate::world::{Outcome, Scenario};
use crate::{a, lab, rcode, v4, v6};

/// Run `why ARGS --json` in the world; the report object and the run.
fn why(scenario: Scenario, args: &[&str]) -> Option<(Value, Outcome)> {
    let mut full = vec!["why"];
    full.extend_from_slice(args);
    full.push("--json");
    let mut report = lab(scenario.run(&full))?;
    let out = report.outcomes.remove(0);
    let value = out.json().into_iter().next().unwrap_or(Value::Null);
    assert!(value.is_object(), "one report object: {out:#?}");
    Some((value, out))
}

fn agrees(v: &Value, out: &Outcome) {
    assert_eq!(v["agrees"], true, "agrees: {}\n{out:#?}", pretty(v));
}

fn pretty(v: &Value) -> String {
    serde_json::to_string_pretty(v).unwrap_or_default()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| {
            a.iter()
                .filter_map(|s| s.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The (name, type) pairs the replay asked, and those the server saw: the real call's and the
/// replay's together, so the sets are equal exactly when the replay asked what glibc asked.
fn same_questions(v: &Value, out: &Outcome) {
    let mut replayed = BTreeSet::new();
    for c in v["dns"]["candidates"].as_array().into_iter().flatten() {
        for q in c["queries"].as_array().into_iter().flatten() {
            if q["sends"].as_u64().unwrap_or(1) > 0 {
                let name = c["name"].as_str().unwrap_or_default().trim_end_matches('.');
                replayed.insert(format!(
                    "{} {}",
                    name.to_ascii_lowercase(),
                    q["type"].as_str().unwrap_or_default()
                ));
            }
        }
    }
    let seen: BTreeSet<String> = out
        .queries
        .iter()
        .filter_map(|q| {
            let mut words = q.split(' ');
            let (name, rtype) = (words.next()?, words.next()?);
            Some(format!(
                "{} {rtype}",
                name.trim_end_matches('.').to_ascii_lowercase()
            ))
        })
        .collect();
    assert_eq!(replayed, seen, "questions: {}\n{out:#?}", pretty(&v["dns"]));
}

fn candidates(v: &Value) -> Vec<String> {
    v["dns"]["candidates"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|c| c["name"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn hosts_file_name_on_two_lines_with_multi_off_and_on() {
    let hosts = "127.0.0.1 localhost\n192.0.2.1 two\n192.0.2.2 two\n";
    for (multi, expect) in [
        ("multi off\n", vec!["192.0.2.1"]),
        ("multi on\n", vec!["192.0.2.1", "192.0.2.2"]),
    ] {
        let world = Scenario {
            hosts: hosts.to_string(),
            host_conf: Some(multi.to_string()),
            ..Scenario::default()
        };
        let Some((v, out)) = why(world, &["two", "-4"]) else {
            return;
        };
        agrees(&v, &out);
        assert_eq!(v["answered_by"], "files");
        let matches = v["hosts_file"]["matches"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        assert_eq!(matches.len(), 2, "{}", pretty(&v));
        assert_eq!(matches[0]["line"], 2);
        assert_eq!(matches[1]["used"], multi.contains("on"));
        assert_eq!(v["hosts_file"]["multi"], multi.contains("on"));
        assert_eq!(strings(&v["real"]), expect);
        assert!(
            out.queries.is_empty(),
            "files answered: no DNS query {out:#?}"
        );
    }
}

#[test]
fn the_order_of_sources_decides_between_hosts_and_dns() {
    let hosts = "127.0.0.1 localhost\n192.0.2.7 both.lab.test\n";
    for (line, source, address) in [
        ("files dns", "files", "192.0.2.7"),
        ("dns files", "dns", "192.0.2.8"),
    ] {
        let world = Scenario {
            hosts: hosts.to_string(),
            nsswitch: Some(format!("hosts: {line}\n")),
            ..Scenario::default()
        }
        .name("both.lab.test", a(&["192.0.2.8"]));
        let Some((v, out)) = why(world, &["both.lab.test", "-4"]) else {
            return;
        };
        agrees(&v, &out);
        assert_eq!(v["answered_by"], source, "{}", pretty(&v));
        assert_eq!(strings(&v["predicted"]), [address]);
        same_questions(&v, &out);
    }
}

#[test]
fn notfound_return_stops_the_walk_before_dns() {
    let world = Scenario {
        nsswitch: Some("hosts: files [NOTFOUND=return] dns\n".to_string()),
        ..Scenario::default()
    }
    .name("only.lab.test", a(&["192.0.2.9"]));
    let Some((v, out)) = why(world, &["only.lab.test"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(out.code, 1, "{out:#?}");
    let consulted = v["nsswitch"]["consulted"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(consulted.len(), 1, "{}", pretty(&v));
    assert_eq!(consulted[0]["status"], "NOTFOUND");
    assert_eq!(consulted[0]["action"], "return");
    assert_eq!(v["dns"]["consulted"], false);
    assert!(out.queries.is_empty(), "{out:#?}");
}

fn search_world(resolv_extra: &str) -> Scenario {
    Scenario {
        resolv_conf: format!(
            "nameserver 127.0.0.1\nsearch one.test two.test\noptions timeout:1 attempts:1 {resolv_extra}\n"
        ),
        ..Scenario::default()
    }
}

#[test]
fn search_list_nxdomain_then_answer_on_the_second_domain() {
    let world = search_world("").name("www.two.test", a(&["192.0.2.20"]));
    let Some((v, out)) = why(world, &["www", "-4"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(v["answered_by"], "dns");
    assert_eq!(candidates(&v), ["www.one.test", "www.two.test"]);
    assert_eq!(v["dns"]["candidates"][0]["outcome"], "NXDOMAIN");
    assert_eq!(v["dns"]["candidates"][1]["outcome"], "answer");
    same_questions(&v, &out);
}

#[test]
fn ndots_decides_whether_a_dotted_name_is_tried_as_is_first() {
    for (ndots, order) in [
        ("ndots:1", vec!["a.b", "a.b.one.test", "a.b.two.test"]),
        ("ndots:5", vec!["a.b.one.test", "a.b.two.test", "a.b"]),
    ] {
        let Some((v, out)) = why(search_world(ndots), &["a.b", "-4"]) else {
            return;
        };
        agrees(&v, &out);
        assert_eq!(candidates(&v), order, "{ndots}");
        assert_eq!(v["dns"]["ndots"], if ndots.ends_with('1') { 1 } else { 5 });
        same_questions(&v, &out);
    }
}

#[test]
fn a_trailing_dot_is_never_searched_and_no_tld_query_skips_the_bare_name() {
    let Some((v, out)) = why(search_world(""), &["host.", "-4"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(candidates(&v), ["host."]);
    same_questions(&v, &out);
    let Some((v, out)) = why(search_world("no-tld-query"), &["host", "-4"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(candidates(&v), ["host.one.test", "host.two.test"]);
    same_questions(&v, &out);
}

#[test]
fn servfail_on_one_candidate_moves_on_to_the_next() {
    let world = search_world("")
        .name("svc.one.test", rcode(2))
        .name("svc.two.test", a(&["192.0.2.30"]));
    let Some((v, out)) = why(world, &["svc", "-4"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(v["dns"]["candidates"][0]["outcome"], "SERVFAIL");
    assert_eq!(strings(&v["predicted"]), ["192.0.2.30"]);
    same_questions(&v, &out);
}

#[test]
fn a_black_holed_server_times_out_attempts_times() {
    let dropped = Rule {
        drop: true,
        ..Rule::default()
    };
    let world = Scenario::default().name("hole.lab.test", dropped);
    let Some((v, out)) = why(world, &["hole.lab.test", "-4"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(out.code, 3, "EAI_AGAIN: {out:#?}");
    let q = &v["dns"]["candidates"][0]["queries"][0];
    assert_eq!(q["rcode"], "timeout", "{}", pretty(&v["dns"]));
    assert!(
        q["elapsed_ms"].as_f64().unwrap_or(0.0) >= 900.0,
        "timeout:1 attempts:1: {q}"
    );
    assert_eq!(v["nsswitch"]["consulted"][1]["status"], "UNAVAIL");
}

#[test]
fn cname_chains_and_families() {
    let hop = |target: &str| Rule {
        cname: Some(target.to_string()),
        ..Rule::default()
    };
    let both = Rule {
        a: vec![v4("192.0.2.40")],
        aaaa: vec![v6("2001:db8::40")],
        ..Rule::default()
    };
    let aaaa_only = Rule {
        aaaa: vec![v6("2001:db8::41")],
        ..Rule::default()
    };
    let world = Scenario::default()
        .name("www.lab.test", hop("edge.lab.test"))
        .name("edge.lab.test", both)
        .name("six.lab.test", aaaa_only)
        .name("four.lab.test", a(&["192.0.2.42"]));
    let Some((v, out)) = why(world.clone(), &["www.lab.test", "-t", "stream"]) else {
        return;
    };
    agrees(&v, &out);
    let answers = v["dns"]["candidates"][0]["queries"][0]["answers"].to_string();
    assert!(answers.contains("CNAME edge.lab.test"), "{answers}");
    same_questions(&v, &out);
    let Some((v, out)) = why(world.clone(), &["six.lab.test"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(strings(&v["predicted"]), ["2001:db8::41"]);
    let Some((v, out)) = why(world, &["four.lab.test", "-6"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(v["predicted_error"], "EAI_NONAME", "{}", pretty(&v));
}

#[test]
fn no_aaaa_and_single_request_change_what_is_asked() {
    let both = Rule {
        a: vec![v4("192.0.2.50")],
        aaaa: vec![v6("2001:db8::50")],
        ..Rule::default()
    };
    for option in ["no-aaaa", "single-request"] {
        let world = Scenario {
            resolv_conf: format!("nameserver 127.0.0.1\noptions timeout:1 attempts:1 {option}\n"),
            ..Scenario::default()
        }
        .name("dual.lab.test", both.clone());
        let Some((v, out)) = why(world, &["dual.lab.test", "-t", "stream"]) else {
            return;
        };
        agrees(&v, &out);
        assert!(strings(&v["dns"]["options"]).contains(&option.to_string()));
        same_questions(&v, &out);
        let aaaa_asked = out.queries.iter().any(|q| q.contains(" AAAA "));
        assert_eq!(aaaa_asked, option != "no-aaaa", "{out:#?}");
    }
}

/// A veth pair whose near end carries `addrs` (each `ip addr add` argument list).
fn veth(addrs: &[&str]) -> Vec<String> {
    let mut setup = vec![
        "ip link add v0 type veth peer name v1".to_string(),
        "ip link set v0 up".to_string(),
        "ip link set v1 up".to_string(),
        // The kernel adds the link-local address a moment after the link comes up; wait for
        // it (at most 5 s) so the real call and the explanation see the same addresses.
        "for i in $(seq 50); do ip -6 addr show dev v0 | grep -q fe80 && break; sleep 0.1; done"
            .to_string(),
    ];
    setup.extend(addrs.iter().map(|a| format!("ip addr add {a} dev v0")));
    setup
}

#[test]
fn addrconfig_counts_what_glibc_counts() {
    let both = Rule {
        a: vec![v4("192.0.2.60")],
        aaaa: vec![v6("2001:db8::60")],
        ..Rule::default()
    };
    let no_ipv6 = |mut setup: Vec<String>| {
        setup.push("echo 1 > /proc/sys/net/ipv6/conf/v0/disable_ipv6".to_string());
        setup.push("echo 1 > /proc/sys/net/ipv6/conf/v1/disable_ipv6".to_string());
        setup
    };
    let cases: [(Vec<String>, bool, bool); 5] = [
        // Loopback only: 127.0.0.1 and ::1 do not count.
        (Vec::new(), false, false),
        // 127.0.0.2 is not exactly 127.0.0.1, so it counts.
        (
            vec!["ip addr add 127.0.0.2/8 dev lo".to_string()],
            true,
            false,
        ),
        (veth(&["2001:db8::1/64 nodad"]), false, true),
        // An interface that is up has a link-local IPv6 address, and that counts too.
        (veth(&[]), false, true),
        (no_ipv6(veth(&["192.0.2.1/24"])), true, false),
    ];
    for (setup, ipv4, ipv6) in cases {
        let world = Scenario {
            setup: setup.clone(),
            ..Scenario::default()
        }
        .name("dual.lab.test", both.clone());
        let Some((v, out)) = why(
            world,
            &["dual.lab.test", "-t", "stream", "--flags", "addrconfig"],
        ) else {
            return;
        };
        agrees(&v, &out);
        assert_eq!(
            v["addrconfig"]["ipv4"],
            ipv4,
            "{setup:?}: {}",
            pretty(&v["addrconfig"])
        );
        assert_eq!(v["addrconfig"]["ipv6"], ipv6, "{setup:?}");
        same_questions(&v, &out);
    }
}

#[test]
fn addrconfig_refuses_an_unconfigured_family_before_any_query() {
    let world = Scenario::default().name("four.lab.test", a(&["192.0.2.61"]));
    let Some((v, out)) = why(world, &["four.lab.test", "-4", "--flags", "addrconfig"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(v["addrconfig"]["refuses"], true);
    assert!(out.queries.is_empty(), "{out:#?}");
}

fn sort_world(gai: Option<&str>) -> Scenario {
    let both = Rule {
        a: vec![v4("192.0.2.70")],
        aaaa: vec![v6("2001:db8::70")],
        ..Rule::default()
    };
    Scenario {
        setup: veth(&["192.0.2.1/24", "2001:db8::1/64 nodad"]),
        gai_conf: gai.map(str::to_string),
        ..Scenario::default()
    }
    .name("dual.lab.test", both)
}

#[test]
fn sorting_with_glibcs_tables_and_with_gai_conf() {
    let Some((v, out)) = why(sort_world(None), &["dual.lab.test", "-t", "stream"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(strings(&v["predicted"]), ["2001:db8::70", "192.0.2.70"]);
    assert_eq!(v["sort"]["table"], "glibc default");
    assert_eq!(
        v["sort"]["decisions"][0]["rule"],
        6,
        "{}",
        pretty(&v["sort"])
    );
    let Some((v, out)) = why(
        sort_world(Some("precedence ::ffff:0:0/96 100\n")),
        &["dual.lab.test", "-t", "stream"],
    ) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(strings(&v["predicted"]), ["192.0.2.70", "2001:db8::70"]);
    assert_eq!(v["sort"]["table"], "/etc/gai.conf");
    let Some((v, out)) = why(
        sort_world(Some("label 2001:db8::/32 9\n")),
        &["dual.lab.test", "-t", "stream"],
    ) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(v["sort"]["labels_replaced"], true);
}

#[test]
fn link_local_and_mapped_destinations_sort_as_glibc_sorts_them() {
    let mixed = Rule {
        aaaa: vec![v6("2001:db8::80"), v6("fe80::80"), v6("::ffff:192.0.2.80")],
        ..Rule::default()
    };
    let world = Scenario {
        setup: veth(&["192.0.2.1/24", "2001:db8::1/64 nodad"]),
        ..Scenario::default()
    }
    .name("mixed.lab.test", mixed);
    let Some((v, out)) = why(world, &["mixed.lab.test", "-6", "-t", "stream"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(strings(&v["predicted"]).len(), 3);
}

#[test]
fn idn_names_with_and_without_ai_idn() {
    let world = Scenario {
        env: vec![("LANG".to_string(), "C.UTF-8".to_string())],
        ..Scenario::default()
    }
    .name("xn--bcher-kva.lab.test", a(&["192.0.2.90"]));
    let Some((v, out)) = why(world.clone(), &["bücher.lab.test", "-4", "--flags", "idn"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(
        v["input"]["host"]["name"],
        "xn--bcher-kva.lab.test",
        "{}",
        pretty(&v["input"])
    );
    same_questions(&v, &out);
    let Some((v, out)) = why(world, &["bücher.lab.test", "-4"]) else {
        return;
    };
    agrees(&v, &out);
    assert_eq!(v["input"]["host"]["dns_refuses"], true);
    assert!(out.queries.is_empty(), "{out:#?}");
}

#[test]
fn numeric_and_scoped_inputs_never_reach_a_name_service() {
    let world = Scenario::default();
    for (host, address) in [
        ("127.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("fe80::1%lo", "fe80::1"),
    ] {
        let Some((v, out)) = why(world.clone(), &[host, "-t", "stream"]) else {
            return;
        };
        agrees(&v, &out);
        assert_eq!(v["answered_by"], "numeric");
        assert_eq!(strings(&v["predicted"]), [address]);
        assert!(out.queries.is_empty());
    }
    let Some((v, _)) = why(world, &["fe80::1%lo", "-t", "stream"]) else {
        return;
    };
    assert_eq!(v["input"]["host"]["scope_id"], 1);
    assert_eq!(v["result"][0]["address"], "fe80::1");
}

/// Not a check: prints the table output of the two worlds docs/why.md shows
/// (`cargo test --test lab why::doc_worlds -- --ignored --nocapture`).
#[test]
#[ignore = "prints the documentation's examples"]
fn doc_worlds() {
    let world = search_world("").name("www.two.test", a(&["192.0.2.20"]));
    if let Some(report) = lab(world.run(&["why", "www", "-4", "-t", "stream"])) {
        println!("{}", report.outcomes[0].stdout);
    }
    if let Some(report) = lab(sort_world(Some("precedence ::ffff:0:0/96 100\n")).run(&[
        "why",
        "dual.lab.test",
        "http",
        "-t",
        "stream",
    ])) {
        println!("{}", report.outcomes[0].stdout);
    }
}
