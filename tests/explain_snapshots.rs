//! `--explain` (table, Python and JSON) and error lines, pinned for calls answered from /etc/hosts, /etc/services, /etc/protocols and constants alone.

// No call here may reach DNS: hosts are localhost (in /etc/hosts) or numeric, and a numeric
// address that getnameinfo would look up in reverse gets NI_NUMERICHOST, because /etc/hosts has
// no name for ::1 on every machine and the lookup would then go to the nameserver.

use std::process::{Command, Stdio};

/// A run, written out whole: the command, its exit code, stdout and stderr.
fn transcript(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(args)
        .env("COLUMNS", "80")
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("CLICOLOR")
        .env_remove("RUST_BACKTRACE")
        .stdin(Stdio::null())
        .output()
        .expect("sockscope runs");
    format!(
        "$ sockscope {}\nexit: {}\n--- stdout\n{}--- stderr\n{}",
        args.join(" "),
        exit(out.status),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn exit(status: std::process::ExitStatus) -> String {
    status
        .code()
        .map_or_else(|| format!("killed ({status})"), |code| code.to_string())
}

fn args<'a>(line: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    line.split_whitespace()
        .chain(extra.iter().copied())
        .collect()
}

/// The host name differs from machine to machine; the rest of a `hostname` answer must not.
fn this_host() -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_sockscope"))
        .args(["hostname", "--format", "python"])
        .output()
        .expect("sockscope runs");
    let repr = String::from_utf8(out.stdout).expect("UTF-8");
    repr.trim()
        .strip_prefix('\'')
        .and_then(|r| r.strip_suffix('\''))
        .unwrap_or_else(|| panic!("not a Python str repr: {repr}"))
        .to_string()
}

/// Snapshot `text` with only what changes from run to run, or machine to machine, masked.
fn assert_pinned(name: &str, text: &str) {
    insta::with_settings!({
        filters => vec![
            // Timing differs on every run.
            (r#""elapsed_ms": \d+(?:\.\d+)?"#, r#""elapsed_ms": [ms]"#),
            // Default socket buffers come from the kernel's sysctls (tcp_rmem, rmem_default, ...).
            (r"(?m)^(SO_(?:RCV|SND)BUF +)\d+$", "${1}[bytes]"),
            (r#"("SO_(?:RCV|SND)BUF": )\d+"#, "${1}[bytes]"),
        ],
    }, {
        insta::assert_snapshot!(name, text);
    });
}

macro_rules! explain {
    ($($test:ident: $line:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                let table = transcript(&args($line, &["--explain"]));
                assert_pinned(concat!(stringify!($test), "_table"), &table);
                let python = transcript(&args($line, &["--format", "python", "--explain"]));
                assert_pinned(concat!(stringify!($test), "_python"), &python);
            }
        )*
    };
}

explain! {
    servbyname_ssh: "servbyname ssh",
    servbyname_nosuch: "servbyname nosuch",
    servbyport_80: "servbyport 80",
    servbyport_53_udp: "servbyport 53/udp",
    hostbyname_localhost: "hostbyname localhost",
    hostbyname_ex_localhost: "hostbyname --ex localhost",
    hostbyname_numeric: "hostbyname 127.0.0.1",
    addrinfo_localhost_http: "addrinfo localhost http",
    addrinfo_numeric_stream: "addrinfo 127.0.0.1 80 -t stream",
    addrinfo_passive: "addrinfo --service 8080 --flags passive",
    addrinfo_v6_numerichost: "addrinfo ::1 80 --flags numerichost",
    nameinfo_numeric: "nameinfo 127.0.0.1 80 --flags numerichost,numericserv",
    nameinfo_v6: "nameinfo ::1 22 --flags numerichost",
    nameinfo_v4_name: "nameinfo 127.0.0.1 22",
    hostbyaddr_loopback: "hostbyaddr 127.0.0.1",
    protobyname_tcp: "protobyname tcp",
    protobyname_nosuch: "protobyname nosuch",
    protobynumber_6: "protobynumber 6",
    protobynumber_999: "protobynumber 999",
    constants_af_inet: "constants AF_INET",
    constants_sock_value: "constants SOCK_ --value 2",
    socket_default: "socket",
    socket_inet6_dgram: "socket -f inet6 -t dgram",
}

macro_rules! explain_json {
    ($($test:ident: $line:literal),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                let json = transcript(&args($line, &["--json", "--explain"]));
                assert_pinned(stringify!($test), &json);
            }
        )*
    };
}

explain_json! {
    json_servbyname_found_and_not: "servbyname ssh nosuch",
    json_hostbyname_ex: "hostbyname --ex localhost",
    json_addrinfo_numeric_stream: "addrinfo 127.0.0.1 80 -t stream",
    json_nameinfo_numeric: "nameinfo 127.0.0.1 80 --flags numerichost,numericserv",
    json_hostbyaddr_loopback: "hostbyaddr 127.0.0.1",
    json_protobynumber_found_and_not: "protobynumber 6 999",
    json_constants_af_inet: "constants AF_INET",
    json_socket_inet6_dgram: "socket -f inet6 -t dgram",
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
    assert_pinned("hostname_python", &python);
    assert_pinned("hostname_json", &json);
}

macro_rules! errors {
    ($($test:ident: [$($arg:literal),*]),* $(,)?) => {
        $(
            #[test]
            fn $test() {
                assert_pinned(stringify!($test), &transcript(&[$($arg),*]));
            }
        )*
    };
}

errors! {
    error_servbyname_nosuch: ["servbyname", "nosuch"],
    error_addrinfo_nothing: ["addrinfo"],
    error_nameinfo_name: ["nameinfo", "localhost", "80"],
    error_hostbyaddr_bad_address: ["hostbyaddr", "999.1.1.1"],
    error_protobynumber_negative: ["protobynumber", "-1"],
    error_constants_unknown_prefix: ["constants", "NOPE_"],
}
