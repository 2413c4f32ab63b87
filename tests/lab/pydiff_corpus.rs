//! The differential test's corpus: calls from CPython's test_socket.py and generated ones, valid and invalid of every kind.

use serde_json::{Value, json};

use super::{Case, py};

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| (*w).to_string()).collect()
}

fn call(f: &str, a: Vec<Value>, k: Value) -> Value {
    json!({"f": f, "a": a, "k": k})
}

/// Every case.
pub fn all() -> Vec<Case> {
    let mut cases = Vec::new();
    cases.extend(servbyname());
    cases.extend(servbyport());
    cases.extend(protobyname());
    cases.extend(hosts());
    cases.extend(addrinfo());
    cases.extend(nameinfo());
    cases.extend(hostname());
    cases.extend(from_test_socket());
    cases.extend(notation());
    cases
}

/// The python format's notation for what a bare word cannot say: quotes make a str of
/// digits, `b'...'` makes bytes.
fn notation() -> Vec<Case> {
    let expr = |args: &[&str], expr: &str| Case {
        args: strings(args),
        call: json!({ "expr": expr }),
        key: false,
    };
    vec![
        expr(&["servbyname", "'80'"], "socket.getservbyname('80')"),
        expr(&["servbyname", "\"http\""], "socket.getservbyname('http')"),
        expr(&["servbyname", "b'http'"], "socket.getservbyname(b'http')"),
        expr(
            &["servbyname", "http/b'tcp'"],
            "socket.getservbyname('http', b'tcp')",
        ),
        expr(
            &["servbyname", "http/'tcp'"],
            "socket.getservbyname('http', 'tcp')",
        ),
        expr(&["servbyport", "'80'"], "socket.getservbyport('80')"),
        expr(&["servbyport", "b'80'"], "socket.getservbyport(b'80')"),
        expr(
            &["servbyport", "80/b'tcp'"],
            "socket.getservbyport(80, b'tcp')",
        ),
        expr(&["protobyname", "'6'"], "socket.getprotobyname('6')"),
        expr(&["protobyname", "b'tcp'"], "socket.getprotobyname(b'tcp')"),
        expr(
            &["hostbyname", "b'localhost'"],
            "socket.gethostbyname(b'localhost')",
        ),
        expr(&["hostbyname", "'127'"], "socket.gethostbyname('127')"),
        expr(&["hostbyname", "''"], "socket.gethostbyname('')"),
        expr(
            &["hostbyname", "--ex", "b'localhost'"],
            "socket.gethostbyname_ex(b'localhost')",
        ),
        expr(
            &["hostbyaddr", "b'127.0.0.1'"],
            "socket.gethostbyaddr(b'127.0.0.1')",
        ),
        expr(
            &["addrinfo", "b'localhost'", "b'80'", "-t", "stream"],
            "socket.getaddrinfo(b'localhost', b'80', type=socket.SOCK_STREAM)",
        ),
        expr(
            &["addrinfo", "localhost", "'80'", "-t", "stream"],
            "socket.getaddrinfo('localhost', '80', type=socket.SOCK_STREAM)",
        ),
        expr(
            &["addrinfo", "'127'", "80", "-t", "stream"],
            "socket.getaddrinfo('127', 80, type=socket.SOCK_STREAM)",
        ),
        expr(
            &["nameinfo", "b'127.0.0.1'", "80"],
            "socket.getnameinfo((b'127.0.0.1', 80), 0)",
        ),
        expr(
            &["nameinfo", "127.0.0.1", "'80'"],
            "socket.getnameinfo(('127.0.0.1', '80'), 0)",
        ),
        expr(
            &["nameinfo", "127.0.0.1", "b'80'"],
            "socket.getnameinfo(('127.0.0.1', b'80'), 0)",
        ),
        expr(
            &["nameinfo", "::1", "80", "--scope-id", "'1'"],
            "socket.getnameinfo(('::1', 80, 0, '1'), 0)",
        ),
    ]
}

const SERVICE_NAMES: &[&str] = &[
    "http", "ssh", "domain", "lab-echo", "labecho", "echo-lab", "www", "nosuch", "", "80", "0",
    "-1", "HTTP", "http ", "a b",
];
const PROTOS: &[Option<&str>] = &[
    None,
    Some("tcp"),
    Some("udp"),
    Some(""),
    Some("6"),
    Some("nosuch"),
    Some("TCP"),
];

/// `KEY[/PROTO]` keys and `--proto`, as getservbyname(name[, proto]).
fn servbyname() -> Vec<Case> {
    serv("servbyname", "getservbyname", SERVICE_NAMES)
}

const PORTS: &[&str] = &[
    "22",
    "53",
    "80",
    "7777",
    "0",
    "1",
    "65535",
    "65536",
    "-1",
    "-0",
    "007",
    "2147483647",
    "2147483648",
    "-2147483648",
    "-2147483649",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "http",
    "",
    "x1",
    "1.5",
];

/// `PORT[/PROTO]` keys, as getservbyport(port[, proto]).
fn servbyport() -> Vec<Case> {
    serv("servbyport", "getservbyport", PORTS)
}

fn serv(command: &str, function: &str, keys: &[&str]) -> Vec<Case> {
    let mut cases = Vec::new();
    for key in keys {
        for proto in PROTOS {
            let (word, a) = match proto {
                Some(p) => (format!("{key}/{p}"), vec![py(key), py(p)]),
                None => ((*key).to_string(), vec![py(key)]),
            };
            cases.push(Case {
                args: strings(&[command, "--", &word]),
                call: call(function, a, json!({})),
                key: true,
            });
        }
    }
    // The protocol from --proto, for keys without one.
    for proto in PROTOS.iter().flatten() {
        for key in keys {
            cases.push(Case {
                args: strings(&[command, &format!("--proto={proto}"), "--", key]),
                call: call(function, vec![py(key), py(proto)], json!({})),
                key: true,
            });
        }
    }
    cases
}

fn protobyname() -> Vec<Case> {
    let names = [
        "tcp",
        "udp",
        "TCP",
        "icmp",
        "ICMP",
        "ip",
        "IP",
        "labproto",
        "LABPROTO",
        "lab-proto",
        "ipv6-icmp",
        "",
        "6",
        "0",
        "-1",
        "nosuch",
        "tcp ",
        "Tcp",
    ];
    names
        .iter()
        .map(|name| Case {
            args: strings(&["protobyname", "--", name]),
            call: call("getprotobyname", vec![py(name)], json!({})),
            key: true,
        })
        .collect()
}

/// Host names and addresses of every kind, ASCII only (IDNA is pinned elsewhere).
const HOSTS: &[&str] = &[
    // Through Python's idna codec: width and case folded, soft hyphen dropped, punycode, and
    // the labels it refuses.
    "ｌｏｃａｌｈｏｓｔ",
    "LOCALHOST",
    "bücher.lab.test",
    "soft\u{ad}hyphen.lab.test",
    "😀.lab.test",
    "a..b",
    "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx.lab.test",
    "localhost",
    "localhost.",
    "",
    "<broadcast>",
    "255.255.255.255",
    "127.0.0.1",
    "127.1",
    "0x7f.1",
    "0",
    "80",
    "-1",
    "::1",
    "::",
    "::ffff:127.0.0.1",
    "fe80::1%lo",
    "fe80::1%1",
    "www.lab.test",
    "v4.lab.test",
    "v6.lab.test",
    "cname.lab.test",
    "nodata.lab.test",
    "nosuch.lab.test",
    "servfail.lab.test",
    "a b",
    "nosuch!.lab.test",
    "_under.lab.test",
    "hostalias",
    "main.lab.test",
    "192.0.2.10",
    "192.0.2.11",
    "192.0.2.99",
    "2001:db8::10",
    "::ffff:192.0.2.10",
    "1.2.3.4.5",
    "999.1.1.1",
    "::1q",
    "0.0.0.0",
    "1e3",
];

/// gethostbyname, gethostbyname_ex and gethostbyaddr of every host.
fn hosts() -> Vec<Case> {
    let mut cases = Vec::new();
    for (command, function) in [
        (&["hostbyname"][..], "gethostbyname"),
        (&["hostbyname", "--ex"][..], "gethostbyname_ex"),
        (&["hostbyaddr"][..], "gethostbyaddr"),
    ] {
        for host in HOSTS {
            let mut args = command.to_vec();
            args.extend(["--", host]);
            cases.push(Case {
                args: strings(&args),
                call: call(function, vec![py(host)], json!({})),
                key: true,
            });
        }
    }
    cases
}

/// A getaddrinfo case: options as sockscope takes them and as Python's keywords.
fn gai(host: Option<&str>, service: Option<&str>, options: &[&str], kwargs: Value) -> Case {
    let mut args = vec!["addrinfo".to_string()];
    args.extend(strings(options));
    match (host, service) {
        (Some(h), Some(s)) => args.extend(strings(&["--", h, s])),
        (Some(h), None) => args.extend(strings(&["--", h])),
        (None, Some(s)) => args.push(format!("--service={s}")),
        (None, None) => {}
    }
    let a = vec![
        host.map_or(Value::Null, py),
        service.map_or(Value::Null, py),
    ];
    Case {
        args,
        call: call("getaddrinfo", a, kwargs),
        key: false,
    }
}

fn addrinfo() -> Vec<Case> {
    let hosts = [
        None,
        Some("localhost"),
        Some(""),
        Some("127.0.0.1"),
        Some("::1"),
        Some("www.lab.test"),
        Some("v6.lab.test"),
        Some("nosuch.lab.test"),
        Some("80"),
        Some("fe80::1%lo"),
        Some("::ffff:127.0.0.1"),
        Some("127.1"),
    ];
    let services = [
        None,
        Some("80"),
        Some("http"),
        Some("0"),
        Some("65536"),
        Some("-1"),
        Some("4294967377"),
        Some("99999999999999999999"),
        Some("nosuch"),
        Some(""),
        Some("ssh"),
        Some("+80"),
        Some(" 80"),
    ];
    let mut cases = Vec::new();
    for host in hosts {
        for service in services {
            cases.push(gai(host, service, &["-t", "stream"], json!({"type": 1})));
        }
    }
    let options: &[(&[&str], Value)] = &[
        (&[], json!({})),
        (&["-4", "-t", "dgram"], json!({"family": 2, "type": 2})),
        (&["-6", "-t", "stream"], json!({"family": 10, "type": 1})),
        (
            &["--flags", "canonname", "-t", "stream"],
            json!({"flags": 2, "type": 1}),
        ),
        (
            &["--flags", "numerichost", "-t", "stream"],
            json!({"flags": 4, "type": 1}),
        ),
        (&["--flags", "numericserv"], json!({"flags": 1024})),
        (
            &["--flags", "passive", "-t", "stream"],
            json!({"flags": 1, "type": 1}),
        ),
        (
            &["--flags", "v4mapped", "-6", "-t", "stream"],
            json!({"flags": 8, "family": 10, "type": 1}),
        ),
        (
            &["-p", "udp", "-t", "stream"],
            json!({"proto": 17, "type": 1}),
        ),
        (
            &["-p", "udp", "-t", "dgram"],
            json!({"proto": 17, "type": 2}),
        ),
        (&["-f", "9999"], json!({"family": 9999})),
        (&["-t", "9999"], json!({"type": 9999})),
        (&["--flags", "16384"], json!({"flags": 16384})),
        (&["-t", "raw"], json!({"type": 3})),
        (&["--family=-1"], json!({"family": -1})),
        (
            &["--family=2147483648"],
            json!({"family": {"int": "2147483648"}}),
        ),
        (
            &["--family=-2147483649"],
            json!({"family": {"int": "-2147483649"}}),
        ),
        (
            &["--type=9223372036854775808"],
            json!({"type": {"int": "9223372036854775808"}}),
        ),
        (
            &["--flags=4294967296"],
            json!({"flags": {"int": "4294967296"}}),
        ),
        (&["--flags=-1"], json!({"flags": -1})),
        (&["-p", "9999"], json!({"proto": 9999})),
        (&["-f", "unix"], json!({"family": 1})),
    ];
    for (opts, kwargs) in options {
        for (host, service) in [
            (Some("localhost"), Some("http")),
            (Some("localhost"), None),
            (None, Some("80")),
            (Some("www.lab.test"), Some("ssh")),
            (Some("::1"), Some("0")),
            (Some("cname.lab.test"), Some("80")),
        ] {
            cases.push(gai(host, service, opts, kwargs.clone()));
        }
    }
    cases
}

/// NI_ flags as sockscope takes them and as their value.
const NI_FLAGS: &[(&str, i32)] = &[
    ("0", 0),
    ("numerichost", libc::NI_NUMERICHOST),
    ("numericserv", libc::NI_NUMERICSERV),
    ("namereqd", libc::NI_NAMEREQD),
    ("dgram", libc::NI_DGRAM),
    ("nofqdn", libc::NI_NOFQDN),
];

fn gni(
    address: &str,
    port: Option<&str>,
    extra: (Option<&str>, Option<&str>),
    flags: (&str, i32),
) -> Case {
    let mut args = strings(&["nameinfo", &format!("--flags={}", flags.0)]);
    let mut tuple = vec![py(address), port.map_or(json!({"int": "0"}), py)];
    if extra.0.is_some() || extra.1.is_some() {
        for (option, value) in [("--flowinfo", extra.0), ("--scope-id", extra.1)] {
            if let Some(v) = value {
                args.push(format!("{option}={v}"));
            }
            tuple.push(value.map_or(json!({"int": "0"}), py));
        }
    }
    args.extend(strings(&["--", address]));
    args.extend(port.map(str::to_string));
    // A number is passed as typed (it may not fit a C int); names by their value.
    let flags_value = if flags.0.parse::<i128>().is_ok() {
        py(flags.0)
    } else {
        json!(flags.1)
    };
    Case {
        args,
        call: call(
            "getnameinfo",
            vec![json!({ "tuple": tuple }), flags_value],
            json!({}),
        ),
        key: false,
    }
}

fn nameinfo() -> Vec<Case> {
    let addresses = [
        "127.0.0.1",
        "::1",
        "x",
        "",
        "127.1",
        "0x7f.1",
        "fe80::1%lo",
        "fe80::1",
        "::ffff:127.0.0.1",
        "192.0.2.10",
        "2001:db8::10",
        "192.0.2.99",
        "80",
        "localhost",
        "1.2.3.4.5",
        "::1%lo",
    ];
    let ports = [
        None,
        Some("0"),
        Some("22"),
        Some("80"),
        Some("7777"),
        Some("70000"),
        Some("-1"),
        Some("2147483648"),
        Some("9223372036854775808"),
        Some("http"),
    ];
    let mut cases = Vec::new();
    for address in addresses {
        for port in ports {
            cases.push(gni(address, port, (None, None), NI_FLAGS[0]));
        }
    }
    for address in [
        "127.0.0.1",
        "192.0.2.10",
        "2001:db8::10",
        "192.0.2.99",
        "::1",
    ] {
        for flags in &NI_FLAGS[1..] {
            cases.push(gni(address, Some("80"), (None, None), *flags));
        }
        cases.push(gni(
            address,
            Some("7777"),
            (None, None),
            ("numericserv,dgram", 18),
        ));
        cases.push(gni(address, Some("80"), (None, None), ("-1", -1)));
        cases.push(gni(address, Some("80"), (None, None), ("2147483648", 0)));
    }
    let extras = [
        (Some("0"), Some("0")),
        (Some("1048575"), Some("0")),
        (Some("1048576"), Some("0")),
        (Some("-1"), Some("0")),
        (Some("4294967296"), Some("0")),
        (Some("0"), Some("1")),
        (Some("0"), Some("-1")),
        (Some("0"), Some("4294967296")),
        (Some("0"), Some("18446744073709551617")),
        (None, Some("1")),
        (Some("5"), None),
        (Some("x"), Some("0")),
        (Some("0"), Some("x")),
    ];
    for address in ["::1", "fe80::1", "127.0.0.1", "fe80::1%lo"] {
        for extra in extras {
            cases.push(gni(
                address,
                Some("80"),
                extra,
                ("numerichost,numericserv", 3),
            ));
        }
    }
    cases
}

fn hostname() -> Vec<Case> {
    let expr = |args: &[&str], expr: &str| Case {
        args: strings(args),
        call: json!({ "expr": expr }),
        key: false,
    };
    vec![
        expr(&["hostname"], "socket.gethostname()"),
        expr(
            &["hostname", "--fqdn"],
            "(socket.gethostname(), socket.getaddrinfo(socket.gethostname(), None, \
             flags=socket.AI_CANONNAME)[0][3])",
        ),
        expr(
            &["hostname", "--addresses"],
            "(socket.gethostname(), socket.gethostbyname(socket.gethostname()), \
             list(dict.fromkeys(ai[4][0] for ai in socket.getaddrinfo(socket.gethostname(), None))))",
        ),
    ]
}

/// Calls as CPython's own Lib/test/test_socket.py makes them.
fn from_test_socket() -> Vec<Case> {
    let expr = |args: &[&str], expr: &str| Case {
        args: strings(args),
        call: json!({ "expr": expr }),
        key: false,
    };
    vec![
        // testGetServBy: a service by name and back, per protocol.
        expr(
            &["servbyname", "domain/udp"],
            "socket.getservbyname('domain', 'udp')",
        ),
        expr(&["servbyport", "53/udp"], "socket.getservbyport(53, 'udp')"),
        expr(&["servbyport", "53/tcp"], "socket.getservbyport(53, 'tcp')"),
        // testGetServByExceptions: the port range.
        expr(&["servbyport", "--", "-1"], "socket.getservbyport(-1)"),
        expr(&["servbyport", "65536"], "socket.getservbyport(65536)"),
        // testGetaddrinfo.
        expr(
            &["addrinfo", "localhost", "80"],
            "socket.getaddrinfo('localhost', 80)",
        ),
        expr(&["addrinfo", "-s", "0"], "socket.getaddrinfo(None, 0)"),
        expr(&["addrinfo", "::1", "0"], "socket.getaddrinfo('::1', 0)"),
        expr(
            &["addrinfo", "localhost", "0", "-4"],
            "socket.getaddrinfo('localhost', 0, socket.AF_INET)",
        ),
        expr(
            &["addrinfo", "localhost", "0", "-t", "stream"],
            "socket.getaddrinfo('localhost', 0, 0, socket.SOCK_STREAM)",
        ),
        expr(
            &["addrinfo", "localhost", "0", "-p", "tcp"],
            "socket.getaddrinfo('localhost', 0, 0, 0, socket.SOL_TCP)",
        ),
        expr(
            &["addrinfo", "localhost", "0", "--flags", "passive"],
            "socket.getaddrinfo('localhost', 0, 0, 0, 0, socket.AI_PASSIVE)",
        ),
        expr(
            &["addrinfo", "-s", "0", "-t", "stream", "--flags", "passive"],
            "socket.getaddrinfo(None, 0, socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_PASSIVE)",
        ),
        expr(
            &[
                "addrinfo",
                "localhost",
                "http",
                "-t",
                "stream",
                "--flags",
                "canonname",
            ],
            "socket.getaddrinfo('localhost', 'http', socket.AF_UNSPEC, socket.SOCK_STREAM, 0, socket.AI_CANONNAME)",
        ),
        expr(
            &[
                "addrinfo",
                "localhost",
                "0",
                "-f",
                "unspec",
                "-t",
                "stream",
                "--flags",
                "numericserv",
            ],
            "socket.getaddrinfo('localhost', 0, family=socket.AF_UNSPEC, type=socket.SOCK_STREAM, flags=socket.AI_NUMERICSERV)",
        ),
        // test_getaddrinfo_ipv6_basic and friends.
        expr(
            &[
                "addrinfo",
                "ff02::1de:c0:face:8D",
                "1234",
                "-6",
                "-t",
                "dgram",
                "-p",
                "udp",
            ],
            "socket.getaddrinfo('ff02::1de:c0:face:8D', 1234, socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)",
        ),
        expr(
            &[
                "addrinfo",
                "ff02::1de:c0:face:8D%1",
                "1234",
                "-6",
                "-t",
                "dgram",
                "-p",
                "udp",
            ],
            "socket.getaddrinfo('ff02::1de:c0:face:8D%1', 1234, socket.AF_INET6, socket.SOCK_DGRAM, socket.IPPROTO_UDP)",
        ),
        // testGetnameinfo / test_getnameinfo_ipv6_scopeid_numeric.
        expr(
            &["nameinfo", "127.0.0.1", "0"],
            "socket.getnameinfo(('127.0.0.1', 0), 0)",
        ),
        expr(
            &["nameinfo", "::1", "0"],
            "socket.getnameinfo(('::1', 0), 0)",
        ),
        expr(
            &[
                "nameinfo",
                "ff02::1de:c0:face:8D",
                "1234",
                "--flowinfo",
                "0",
                "--scope-id",
                "1",
                "--flags",
                "numerichost,numericserv",
            ],
            "socket.getnameinfo(('ff02::1de:c0:face:8D', 1234, 0, 1), socket.NI_NUMERICHOST | socket.NI_NUMERICSERV)",
        ),
        expr(
            &["nameinfo", "mail.python.org", "0"],
            "socket.getnameinfo(('mail.python.org', 0), 0)",
        ),
        expr(
            &[
                "nameinfo",
                "127.0.0.1",
                "80",
                "--flowinfo",
                "0",
                "--scope-id",
                "0",
            ],
            "socket.getnameinfo(('127.0.0.1', 80, 0, 0), 0)",
        ),
        // testHostnameRes, testHostByName.
        expr(
            &["hostbyname", "localhost"],
            "socket.gethostbyname('localhost')",
        ),
        expr(
            &["hostbyname", "--ex", "localhost"],
            "socket.gethostbyname_ex('localhost')",
        ),
        expr(
            &["hostbyaddr", "127.0.0.1"],
            "socket.gethostbyaddr('127.0.0.1')",
        ),
        expr(&["hostbyaddr", "::1"], "socket.gethostbyaddr('::1')"),
        expr(&["protobyname", "tcp"], "socket.getprotobyname('tcp')"),
        expr(&["protobyname", "udp"], "socket.getprotobyname('udp')"),
    ]
}
