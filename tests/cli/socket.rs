//! `socket`: the socket the kernel makes, its options against python3, the errors of triples it refuses, and its `--explain` pinned.

use std::process::{Command, Stdio};

use crate::common;
use crate::common::net::ipv6_loopback_works;

#[test]
fn socket_defaults_match_python() {
    let (records, run) = common::json(["socket"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let info = &records[0];
    assert_eq!(info["family"], "AF_INET");
    assert_eq!(info["type"], "SOCK_STREAM");
    assert_eq!(info["proto"], 6, "SO_PROTOCOL reads back TCP");
    assert_eq!(info["proto_name"], "IPPROTO_TCP");
    let python = common::python_json(
        "(lambda s: [s.family.name, s.type.name, s.proto, s.fileno(), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR), \
           s.getsockopt(socket.SOL_SOCKET, socket.SO_KEEPALIVE), \
           s.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), \
           s.getsockopt(socket.IPPROTO_TCP, socket.TCP_MAXSEG)])(socket.socket())",
    );
    let options = &info["options"];
    let ours = serde_json::json!([
        info["family"],
        info["type"],
        info["requested_proto"],
        info["fd"],
        options["SO_RCVBUF"],
        options["SO_SNDBUF"],
        options["SO_REUSEADDR"],
        options["SO_KEEPALIVE"],
        options["TCP_NODELAY"],
        options["TCP_MAXSEG"],
    ]);
    assert_eq!(ours, python);
    assert_eq!(
        options["SO_LINGER"],
        serde_json::json!({"l_onoff": 0, "l_linger": 0})
    );
    assert!(
        options.get("IPV6_V6ONLY").is_none(),
        "no IPv6 option on an IPv4 socket"
    );
}

#[test]
fn socket_inet6_shows_v6only_and_table_lists_options() {
    if !ipv6_loopback_works() {
        eprintln!("skipped: this machine has no IPv6");
        return;
    }
    let (records, run) = common::json(["socket", "-f", "inet6", "-t", "dgram"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(records[0]["proto"], 17);
    let v6only = common::python_json(
        "socket.socket(socket.AF_INET6, socket.SOCK_DGRAM).getsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY)",
    );
    assert_eq!(records[0]["options"]["IPV6_V6ONLY"], v6only);
    assert!(records[0]["options"].get("TCP_NODELAY").is_none());
    let table = common::run(["socket", "-f", "inet6"]);
    assert!(table.stdout.contains("IPV6_V6ONLY"), "{}", table.stdout);
    assert!(table.stdout.contains("TCP_NODELAY"), "{}", table.stdout);
}

#[test]
fn unsupported_socket_triple_is_eprotonosupport_exit_4() {
    let run = common::run([
        "socket", "-f", "inet6", "-t", "stream", "-p", "udp", "--json",
    ]);
    assert_eq!(run.code, 4);
    assert_eq!(
        run.stderr_lines(),
        [
            "sockscope: socket: AF_INET6, SOCK_STREAM, IPPROTO_UDP: Protocol not supported (EPROTONOSUPPORT)"
        ]
    );
    assert_eq!(run.json()[0]["error"]["code"], "EPROTONOSUPPORT");
}

#[test]
fn raw_socket_without_privileges_is_eperm_exit_4() {
    // setpriv drops CAP_NET_RAW even for root; without setpriv there is nothing to test here.
    let dropped = Command::new("setpriv")
        .args(["--inh-caps=-all", "--bounding-set=-net_raw"])
        .arg(common::bin())
        .args(["socket", "-t", "raw", "-p", "icmp"])
        .stdin(Stdio::null())
        .output();
    let Ok(output) = dropped else {
        eprintln!("skipped: no setpriv");
        return;
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stderr.contains("setpriv:") {
        eprintln!("skipped: setpriv cannot drop capabilities here: {stderr}");
        return;
    }
    assert_eq!(output.status.code(), Some(4), "{stderr}");
    assert_eq!(
        stderr.trim_end(),
        "sockscope: socket: AF_INET, SOCK_RAW, IPPROTO_ICMP: Operation not permitted (EPERM)"
    );
}

#[test]
fn raw_socket_needs_a_protocol() {
    let run = common::run(["socket", "-t", "raw"]);
    assert_eq!(run.code, 4);
    assert_eq!(
        run.stderr_lines(),
        ["sockscope: socket: AF_INET, SOCK_RAW, 0: Protocol not supported (EPROTONOSUPPORT)"]
    );
}

crate::explain! {
    socket_default: "socket",
    socket_inet6_dgram: "socket -f inet6 -t dgram",
}

crate::explain_json! {
    json_socket_inet6_dgram: "socket -f inet6 -t dgram",
}
