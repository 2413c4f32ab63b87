//! `fqdn` against the lab's /etc/hosts and DNS server, compared with python3's socket.getfqdn in the same world.

use serde_json::Value;

use crate::dns::Rule;
use crate::world::Scenario;

/// python3's side: getfqdn of each key of keys.json (None for no argument), one repr a line.
const REFERENCE: &str = r#"
import json, socket, traceback
with open("keys.json") as keys:
    for key in json.load(keys):
        try:
            print(repr(socket.getfqdn() if key is None else socket.getfqdn(key)), flush=True)
        except Exception as exc:
            print(traceback.format_exception_only(exc)[-1].rstrip(), flush=True)
"#;

/// A world where each of getfqdn's paths has a name: /etc/hosts entries whose first dotted name
/// is the primary, an alias, or none; PTR records in DNS; names without PTR; unknown names.
fn world() -> Scenario {
    let hosts = "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n\
                 127.0.1.1\tlab.lab.test lab\n\
                 192.0.2.20\tweb.lab.test web\n\
                 192.0.2.21\tplain other\n\
                 192.0.2.22\tshort short.lab.test\n";
    let a = |addr: &str| Rule {
        a: vec![addr.parse().expect("test address")],
        ..Rule::default()
    };
    Scenario {
        hosts: hosts.to_string(),
        ..Scenario::default()
    }
    .name("dns.lab.test", a("192.0.2.30"))
    .ptr("192.0.2.30", &["dns.lab.test"])
    .ptr("192.0.2.31", &["ptr-only.lab.test"])
    .name("noptr.lab.test", a("192.0.2.32"))
}

/// Every key, in one run each of `--format python` and `--json`, against python3's getfqdn.
#[test]
fn fqdn_equals_getfqdn_in_the_lab() {
    let keys: Vec<Option<&str>> = vec![
        None,
        Some(""),
        Some("0.0.0.0"),
        Some("  web\t"),
        Some("web"),
        Some("web.lab.test"),
        Some("192.0.2.20"),
        Some("plain"),
        Some("other"),
        Some("short"),
        Some("lab"),
        Some("dns.lab.test"),
        Some("192.0.2.30"),
        Some("192.0.2.31"),
        Some("noptr.lab.test"),
        Some("nxdomain.lab.test"),
        Some("192.0.2.99"),
        Some("localhost"),
        Some("127.0.0.1"),
        Some("::1"),
    ];
    let mut scenario = world();
    for key in &keys {
        let args: Vec<&str> = std::iter::once("fqdn").chain(*key).collect();
        scenario = scenario
            .run(&[&args[..], &["--format", "python"]].concat())
            .run(&[&args[..], &["--json"]].concat());
    }
    scenario = scenario.run(&["fqdn", "192.0.2.31", "--explain"]);
    scenario.files.insert(
        "keys.json".to_string(),
        serde_json::to_vec(&keys).expect("keys as JSON"),
    );
    scenario
        .files
        .insert("reference.py".to_string(), REFERENCE.as_bytes().to_vec());
    scenario.shell = Some("python3 reference.py".to_string());
    let Some(report) = crate::world::run(&scenario) else {
        return;
    };
    let python = report.shell.expect("python3 ran");
    assert_eq!(python.code, 0, "python3 failed: {python:#?}");
    let theirs: Vec<&str> = python.stdout.lines().collect();
    assert_eq!(theirs.len(), keys.len(), "{python:#?}");
    let mut wrong = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        let (py_run, json_run) = (&report.outcomes[2 * i], &report.outcomes[2 * i + 1]);
        if py_run.stdout.trim_end() != theirs[i] || py_run.code != 0 {
            wrong.push(format!(
                "fqdn {key:?}: sockscope {:?} (exit {}, {}), python3 {}",
                py_run.stdout, py_run.code, py_run.stderr, theirs[i]
            ));
        }
        let records = json_run.json();
        let fqdn = records.first().map(|r| r["fqdn"].clone());
        if json_run.code != 0
            || fqdn.as_ref().map(|f| format!("{f}").replace('"', "'"))
                != Some(theirs[i].to_string())
        {
            wrong.push(format!(
                "fqdn {key:?} --json: {records:?} (exit {})",
                json_run.code
            ));
        }
        if key.is_none() && records.first().map(|r| &r["query"]) != Some(&Value::Null) {
            wrong.push(format!("fqdn without a name has query null: {records:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // The paths were really taken: a PTR record gave the name, and an address without one came
    // back as itself after asking.
    assert_eq!(theirs[12], "'dns.lab.test'");
    assert_eq!(theirs[13], "'ptr-only.lab.test'");
    assert_eq!(theirs[16], "'192.0.2.99'");
    assert_eq!(theirs[0], "'lab.lab.test'");
    // --explain names both calls and the choice among the entry's names.
    let explained = &report.outcomes[2 * keys.len()].stdout;
    assert!(
        explained.contains("gethostbyaddr_r(")
            && explained.contains("Python: socket.getfqdn('192.0.2.31')")
            && explained.contains("the first that contains a dot wins"),
        "{explained}"
    );
}
