//! `hostname`: gethostname and the lookups of `--fqdn` and `--addresses` against python3, and its `--explain` pinned.

use serde_json::json;

use crate::common::pinned::{this_host, transcript};
use crate::common::reference::{case, check};
use crate::common::{json, python_json};

#[test]
fn hostname_matches_python() {
    let (records, run) = json(["hostname"]);
    assert_eq!(run.code, 0);
    assert_eq!(
        records,
        vec![json!({"hostname": python_json("socket.gethostname()")})]
    );
}

#[test]
fn hostname_fqdn_and_addresses() {
    let (records, run) = json(["hostname", "--fqdn", "--addresses"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected_fqdn = python_json(
        "socket.getaddrinfo(socket.gethostname(), None, 0, 0, 0, socket.AI_CANONNAME)[0][3]",
    );
    assert_eq!(records[0]["fqdn"], expected_fqdn);
    assert_eq!(
        records[0]["address"],
        python_json("socket.gethostbyname(socket.gethostname())")
    );
    let expected_all = python_json(
        "list(dict.fromkeys(ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None)))",
    );
    assert_eq!(records[0]["addresses"], expected_all);
}

#[test]
fn hostname_prints_a_str_or_a_tuple_of_every_call() {
    let canon =
        "socket.getaddrinfo(socket.gethostname(), None, 0, 0, 0, socket.AI_CANONNAME)[0][3]";
    let all =
        "list(dict.fromkeys(a[4][0] for a in socket.getaddrinfo(socket.gethostname(), None)))";
    check(&[
        case("hostname", &["socket.gethostname()"]),
        case(
            "hostname --fqdn",
            &[&format!("(socket.gethostname(), {canon})")],
        ),
        case(
            "hostname --addresses",
            &[&format!(
                "(socket.gethostname(), socket.gethostbyname(socket.gethostname()), {all})"
            )],
        ),
        case(
            "hostname --fqdn --addresses",
            &[&format!(
                "(socket.gethostname(), {canon}, socket.gethostbyname(socket.gethostname()), {all})"
            )],
        ),
    ]);
}

#[test]
fn hostname_explained() {
    // Not a table: its column widths would follow the host name's length.
    let host = this_host();
    let python = transcript(&["hostname", "--format", "python", "--explain"]);
    let json = transcript(&["hostname", "--json", "--explain"]);
    let python = python.replace(&format!("'{host}'"), "'[hostname]'");
    let json = json.replace(
        &format!(r#""hostname": "{host}""#),
        r#""hostname": "[hostname]""#,
    );
    crate::assert_pinned!("hostname_python", &python);
    crate::assert_pinned!("hostname_json", &json);
}
