//! Property tests of round trips through the real binary: port -> name -> port, address -> address.

use std::net::IpAddr;

use proptest::prelude::*;
use proptest::test_runner::FileFailurePersistence;

use crate::common::json;

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
