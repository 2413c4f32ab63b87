//! `hostbyname` and `hostbyname --ex` against python3, and their `--explain` pinned.

use crate::common::reference::{case, check};
use crate::common::{self, json, python_json};

#[test]
fn hostbyname_matches_python() {
    let names = ["localhost", "127.0.0.1", "<broadcast>", "127.1"];
    let mut args = vec!["hostbyname"];
    args.extend(names);
    let (records, run) = json(&args);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = python_json(&format!(
        "[socket.gethostbyname(n) for n in {}]",
        serde_json::to_string(&names).unwrap_or_default()
    ));
    for (i, name) in names.iter().enumerate() {
        assert_eq!(records[i]["query"], *name);
        assert_eq!(records[i]["address"], expected[i], "{name}");
    }
}

#[test]
fn hostbyname_ex_matches_python() {
    let names = ["localhost", "127.0.0.1"];
    let (records, run) = json(["hostbyname", "--ex", names[0], names[1]]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let expected = python_json(&format!(
        "[socket.gethostbyname_ex(n) for n in {}]",
        serde_json::to_string(&names).unwrap_or_default()
    ));
    for (i, name) in names.iter().enumerate() {
        let e = &expected[i];
        assert_eq!(
            [
                &records[i]["name"],
                &records[i]["aliases"],
                &records[i]["addresses"]
            ],
            [&e[0], &e[1], &e[2]],
            "{name}"
        );
    }
}

#[test]
fn hostbyname_and_ex_print_like_python() {
    check(&[
        case(
            "hostbyname localhost 127.0.0.1 <broadcast> nosuch!.invalid",
            &[
                "socket.gethostbyname('localhost')",
                "socket.gethostbyname('127.0.0.1')",
                "socket.gethostbyname('<broadcast>')",
                "socket.gethostbyname('nosuch!.invalid')",
            ],
        ),
        case(
            "hostbyname --ex localhost 127.0.0.1 nosuch!.invalid",
            &[
                "socket.gethostbyname_ex('localhost')",
                "socket.gethostbyname_ex('127.0.0.1')",
                "socket.gethostbyname_ex('nosuch!.invalid')",
            ],
        ),
    ]);
}

crate::explain! {
    hostbyname_localhost: "hostbyname localhost",
    hostbyname_ex_localhost: "hostbyname --ex localhost",
    hostbyname_numeric: "hostbyname 127.0.0.1",
    hostbyname_ex_numeric: "hostbyname --ex 127.0.0.1",
    hostbyname_broadcast: "hostbyname <broadcast>",
}

crate::explain_json! {
    json_hostbyname_ex: "hostbyname --ex localhost",
}

#[test]
fn a_numeric_ipv6_address_gets_pythons_message_and_a_note() {
    // What python3 itself prints for the same call.
    let python = crate::common::python_stdout(
        "import socket, traceback\ntry:\n    socket.gethostbyname('::1')\nexcept Exception as e:\n    \
         print(traceback.format_exception_only(e)[-1].rstrip())",
    );
    assert_eq!(
        python.trim_end(),
        "socket.gaierror: [Errno -9] Address family for hostname not supported"
    );
    for args in [&["hostbyname", "::1"][..], &["hostbyname", "--ex", "::1"]] {
        let run = common::run(args);
        assert_eq!(run.code, 1, "{args:?}");
        assert_eq!(
            run.stderr,
            format!(
                "sockscope: hostbyname: ::1: Address family for hostname not supported: a numeric \
                 AF_INET6 address, and this call asks for AF_INET only (EAI_ADDRFAMILY)\n"
            ),
            "{args:?}"
        );
        assert!(!run.stderr.contains("name exists"), "{}", run.stderr);
    }
    let shown = common::run(["hostbyname", "::1", "--format", "python"]);
    assert_eq!(shown.stdout.trim_end(), python.trim_end());
    let (records, _) = common::json(["hostbyname", "::1", "--explain"]);
    let notes = records[0]["call"]["notes"].to_string();
    assert!(notes.contains("IPv4 only"), "{notes}");
    assert!(notes.contains("sockscope addrinfo ::1"), "{notes}");
}
