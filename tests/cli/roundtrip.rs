//! Round trips through the real binary: every /etc/services entry both ways, and properties: port -> name -> port, address -> address.

use std::net::IpAddr;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use serde_json::{Value, json};

use crate::common::{json, python_json};

/// The ports /etc/services names, so most cases hit an entry rather than "not found".
fn known_ports() -> Vec<u16> {
    let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
    let mut ports: Vec<u16> = text
        .lines()
        .filter_map(|line| line.split('#').next()?.split_whitespace().nth(1))
        .filter_map(|port_proto| port_proto.split('/').next()?.parse().ok())
        .collect();
    ports.sort_unstable();
    ports.dedup();
    if ports.is_empty() {
        ports.push(22);
    }
    ports
}

/// The name and aliases of a service record.
fn names_of(record: &serde_json::Value) -> Vec<String> {
    let mut names = vec![record["name"].as_str().unwrap_or_default().to_string()];
    if let Some(aliases) = record["aliases"].as_array() {
        names.extend(
            aliases
                .iter()
                .filter_map(|a| a.as_str())
                .map(str::to_string),
        );
    }
    names
}

/// Every case starts the binary; a few dozen each keeps the suite quick on two cores.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 48,
        // Beside this file (roundtrip.proptest-regressions). The default would look for a
        // lib.rs or main.rs above it, find tests/cli/main.rs and use tests/proptest-regressions/.
        failure_persistence: Some(Box::new(FileFailurePersistence::WithSource(
            "proptest-regressions",
        ))),
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    /// servbyport(p) names a service; servbyname(that name, that proto) is port p again.
    #[test]
    fn port_to_name_to_port(port in prop_oneof![
        3 => prop::sample::select(known_ports()),
        1 => any::<u16>(),
    ]) {
        let (records, run) = json(["servbyport", &port.to_string()]);
        if run.code == 1 {
            prop_assert_eq!(&records[0]["error"]["code"], "NOT_FOUND");
            return Ok(());
        }
        prop_assert_eq!(run.code, 0, "{:?}", run);
        let name = records[0]["name"].as_str().unwrap_or_default().to_string();
        let proto = records[0]["proto"].as_str().unwrap_or_default().to_string();
        let (back, run) = json(["servbyname", &format!("{name}/{proto}")]);
        prop_assert_eq!(run.code, 0, "{:?}", run);
        let back_port = back[0]["port"].as_u64().unwrap_or_default();
        if back_port != u64::from(port) {
            // A name can also be an earlier entry's alias (dicom: 11112/tcp, and an alias of
            // acr-nema 104/tcp), and getservbyname takes the first: then that entry, read by
            // its own port, must list the name.
            let (other, _) = json(["servbyport", &format!("{back_port}/{proto}")]);
            let names = names_of(&other[0]);
            prop_assert!(names.contains(&name), "{name} not in {names:?} of port {back_port}");
        }
    }

    /// A numeric address through getaddrinfo(AI_NUMERICHOST) comes back as the same address.
    #[test]
    fn numeric_address_round_trips(addr in any::<IpAddr>()) {
        let text = addr.to_string();
        let (records, run) = json(["addrinfo", &text, "--flags", "numerichost", "-t", "stream"]);
        prop_assert_eq!(run.code, 0, "{:?}", run);
        prop_assert_eq!(records.len(), 1);
        let back: IpAddr = records[0]["address"]
            .as_str()
            .unwrap_or_default()
            .parse()
            .map_err(|e| TestCaseError::fail(format!("{e}: {records:?}")))?;
        prop_assert_eq!(back, addr);
    }
}

/// The (name, port, proto) entries of the machine's /etc/services, as getent reads them.
fn services_file() -> Vec<(String, u16, String)> {
    let text = std::fs::read_to_string("/etc/services").unwrap_or_default();
    let mut entries = Vec::new();
    for line in text.lines() {
        let line = line.split('#').next().unwrap_or("");
        let mut fields = line.split_whitespace();
        let (Some(name), Some(port_proto)) = (fields.next(), fields.next()) else {
            continue;
        };
        let Some((port, proto)) = port_proto.split_once('/') else {
            continue;
        };
        if let Ok(port) = port.parse() {
            entries.push((name.to_string(), port, proto.to_string()));
        }
    }
    entries
}

#[test]
fn every_etc_services_entry_round_trips_like_python() {
    let entries = services_file();
    assert!(entries.len() > 10, "/etc/services has entries");
    let by_name: Vec<String> = entries.iter().map(|(n, _, p)| format!("{n}/{p}")).collect();
    let by_port: Vec<String> = entries.iter().map(|(_, n, p)| format!("{n}/{p}")).collect();

    let mut args = vec!["servbyname".to_string()];
    args.extend(by_name.iter().cloned());
    let (names, run_names) = json(&args);
    assert_eq!(run_names.code, 0, "{}", run_names.stderr);
    let mut args = vec!["servbyport".to_string()];
    args.extend(by_port.iter().cloned());
    let (ports, run_ports) = json(&args);
    assert_eq!(run_ports.code, 0, "{}", run_ports.stderr);

    let pairs: Vec<Value> = entries
        .iter()
        .map(|(n, port, p)| json!([n, port, p]))
        .collect();
    let expected = python_json(&format!(
        "[[socket.getservbyname(n, p), socket.getservbyport(port, p)] for n, port, p in {}]",
        serde_json::to_string(&pairs).unwrap_or_default()
    ));
    for (i, (name, port, proto)) in entries.iter().enumerate() {
        assert_eq!(
            names[i]["port"], expected[i][0],
            "servbyname {name}/{proto}"
        );
        assert_eq!(names[i]["proto"], proto.as_str());
        assert_eq!(
            ports[i]["name"], expected[i][1],
            "servbyport {port}/{proto}"
        );
        assert_eq!(ports[i]["port"], *port);
    }
}
