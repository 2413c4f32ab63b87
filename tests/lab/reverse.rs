//! Reverse lookups against the lab's DNS server (PTR, NXDOMAIN, failures), each compared with python3 in the same world.
//!
//! Every case runs sockscope twice (`--json` and `--format python`) and CPython once, all in one
//! world, so they see the same /etc and the same server. The server's query log says which
//! lookups reached DNS: an answer that came from /etc/hosts by accident fails the test.

use std::net::IpAddr;

use serde_json::{Value, json};

use crate::dns::{self, Rule};
use crate::world::{Outcome, Scenario};

/// CPython's side, run inside the world: each expression of cases.json evaluated once (a second
/// call would ask the server again), one JSON line per case with the outcome in the shape
/// `our_outcome` gives, and the line Python's REPL would show.
const REFERENCE: &str = r#"
import errno, json, socket, traceback
H_ERRNO = {1: "HOST_NOT_FOUND", 2: "TRY_AGAIN", 3: "NO_RECOVERY", 4: "NO_DATA"}
def failure(exc):
    if isinstance(exc, socket.gaierror):
        names = [n for n in dir(socket) if n.startswith("EAI_") and getattr(socket, n) == exc.errno]
        name = names[0] if names else exc.errno
    elif isinstance(exc, socket.herror):
        name = H_ERRNO.get(exc.errno, exc.errno)
    elif isinstance(exc, OSError) and exc.errno in errno.errorcode:
        name = errno.errorcode[exc.errno]
    else:
        name = type(exc).__name__
    return {"error": name, "errno": getattr(exc, "errno", None),
            "message": getattr(exc, "strerror", None) or str(exc)}
with open("cases.json") as cases:
    exprs = json.load(cases)
for expr in exprs:
    try:
        value = eval(expr)
        record = {"outcome": {"ok": json.loads(json.dumps(value))}, "repr": repr(value)}
    except Exception as exc:
        record = {"outcome": failure(exc),
                  "repr": traceback.format_exception_only(exc)[-1].rstrip()}
    print(json.dumps(record), flush=True)
"#;

/// What a case must come to; Python must agree, but the test does not take Python's word alone.
#[derive(Debug)]
enum Want {
    /// The value, as Python returns it: `[name, aliases, addresses]` or `[host, service]`.
    Ok(Value),
    /// sockscope's error code and exit code.
    Fails(&'static str, i32),
}

/// One call, as sockscope's arguments and as Python.
#[derive(Debug)]
struct Case {
    args: Vec<String>,
    python: String,
    want: Want,
    /// The reverse name the call must ask the lab's server for; None: it must ask nothing.
    asks: Option<String>,
    /// Words the failure's stderr line must carry, where the code alone says too little.
    says: Option<&'static str>,
}

/// The reverse name of an address, as the server logs it.
fn reverse(addr: &str) -> String {
    dns::reverse_name(addr.parse::<IpAddr>().expect("a test address"))
}

/// `sockscope hostbyaddr ADDR`, `socket.gethostbyaddr(ADDR)`; it asks for ADDR's reverse name.
/// `gives` or `fails` then says what it must answer (the Null placeholder matches nothing).
fn hostbyaddr(addr: &str) -> Case {
    Case {
        args: vec!["hostbyaddr".to_string(), addr.to_string()],
        python: format!("socket.gethostbyaddr('{addr}')"),
        want: Want::Ok(Value::Null),
        asks: Some(reverse(addr)),
        says: None,
    }
}

/// `sockscope nameinfo ADDR PORT --flags FLAGS`, `socket.getnameinfo((ADDR, PORT), FLAGS)`,
/// like `hostbyaddr` otherwise.
fn nameinfo(addr: &str, port: u16, flags: &str) -> Case {
    let py_flags = if flags == "0" {
        "0".to_string()
    } else {
        flags
            .split(',')
            .map(|f| format!("socket.NI_{}", f.to_ascii_uppercase()))
            .collect::<Vec<_>>()
            .join(" | ")
    };
    Case {
        args: ["nameinfo", addr, &port.to_string(), "--flags", flags]
            .map(str::to_string)
            .to_vec(),
        python: format!("socket.getnameinfo(('{addr}', {port}), {py_flags})"),
        want: Want::Ok(Value::Null),
        asks: Some(reverse(addr)),
        says: None,
    }
}

impl Case {
    fn gives(mut self, value: Value) -> Self {
        self.want = Want::Ok(value);
        self
    }

    fn fails(mut self, code: &'static str, exit: i32) -> Self {
        self.want = Want::Fails(code, exit);
        self
    }

    fn says(mut self, words: &'static str) -> Self {
        self.says = Some(words);
        self
    }

    /// The call asks for another reverse name than its address's own.
    fn asks(mut self, name: String) -> Self {
        self.asks = Some(name);
        self
    }

    /// The call must not reach DNS (NI_NUMERICHOST, or an address /etc/hosts names).
    fn asks_nothing(mut self) -> Self {
        self.asks = None;
        self
    }

    /// The record fields that make up Python's return value.
    fn fields(&self) -> &'static [&'static str] {
        if self.args[0] == "hostbyaddr" {
            &["name", "aliases", "addresses"]
        } else {
            &["host", "service"]
        }
    }
}

/// The number Python's exception carries for an error code: the h_errno of gethostbyaddr's
/// `socket.herror`, the EAI value of getnameinfo's `socket.gaierror`, an OSError's errno.
fn errno_of(code: &str) -> Value {
    let number = match code {
        "HOST_NOT_FOUND" => 1,
        "TRY_AGAIN" => 2,
        "NO_RECOVERY" => 3,
        "NO_DATA" => 4,
        "EAI_NONAME" => libc::EAI_NONAME,
        "EAI_AGAIN" => libc::EAI_AGAIN,
        "EAI_FAIL" => libc::EAI_FAIL,
        "EAI_NODATA" => libc::EAI_NODATA,
        "EAI_SYSTEM" => libc::EAI_SYSTEM,
        "EAFNOSUPPORT" => libc::EAFNOSUPPORT,
        _ => return Value::Null,
    };
    json!(number)
}

/// sockscope's one record in the shape of the reference's outcome.
fn our_outcome(run: &Outcome, fields: &[&str]) -> Value {
    let records = run.json();
    let [record] = &records[..] else {
        return json!({"records": records});
    };
    if let Some(error) = record.get("error") {
        let code = error["code"].as_str().unwrap_or_default();
        return json!({"error": code, "errno": errno_of(code), "message": error["strerror"]});
    }
    let values: Vec<Value> = fields.iter().map(|f| record[*f].clone()).collect();
    json!({ "ok": values })
}

/// Everything wrong with one case; empty when sockscope, Python and the want agree.
fn problems(
    case: &Case,
    json_run: &Outcome,
    python_run: &Outcome,
    python: &Value,
    python_queries: &[String],
) -> Vec<String> {
    let mut wrong = Vec::new();
    let ours = our_outcome(json_run, case.fields());
    if ours != python["outcome"] {
        wrong.push(format!(
            "sockscope {ours} but python3 {}",
            python["outcome"]
        ));
    }
    let lines: Vec<&str> = json_run.stderr.lines().collect();
    match &case.want {
        Want::Ok(value) => {
            if ours != json!({ "ok": value }) || json_run.code != 0 || !lines.is_empty() {
                wrong.push(format!("want {value}, exit 0, no stderr"));
            }
        }
        Want::Fails(code, exit) => {
            let one_line = matches!(&lines[..], [line] if line.ends_with(&format!("({code})")));
            if ours["error"] != *code || json_run.code != *exit || !one_line {
                wrong.push(format!("want {code}, exit {exit}, one stderr line"));
            }
            if let Some(words) = case.says.filter(|w| !json_run.stderr.contains(w)) {
                wrong.push(format!("the stderr line should say {words:?}"));
            }
        }
    }
    if python_run.stdout.trim_end() != python["repr"] || python_run.code != json_run.code {
        wrong.push(format!(
            "--format python printed {:?} (exit {}), python3 shows {}",
            python_run.stdout, python_run.code, python["repr"]
        ));
    }
    match &case.asks {
        Some(name) => {
            let query = format!("{name} PTR udp");
            if json_run.queries.is_empty() || json_run.queries.iter().any(|q| *q != query) {
                wrong.push(format!("sockscope should have asked only {query}"));
            }
            if !python_queries.contains(&query) {
                wrong.push(format!("python3 should have asked {query}"));
            }
        }
        None if !json_run.queries.is_empty() => {
            wrong.push("sockscope should have asked the server nothing".to_string());
        }
        None => {}
    }
    wrong
}

/// Run every case in the scenario's world, sockscope and Python both, and report every case
/// that goes wrong at once, so one run shows the whole picture.
fn check(mut scenario: Scenario, cases: &[Case]) {
    for case in cases {
        let args: Vec<&str> = case.args.iter().map(String::as_str).collect();
        scenario = scenario
            .run(&[&args[..], &["--json"]].concat())
            .run(&[&args[..], &["--format", "python"]].concat());
    }
    let exprs: Vec<&str> = cases.iter().map(|c| c.python.as_str()).collect();
    scenario.files.insert(
        "cases.json".to_string(),
        serde_json::to_vec(&exprs).expect("cases as JSON"),
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
    let answers: Vec<Value> = python
        .stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("python3 printed JSON"))
        .collect();
    assert_eq!(answers.len(), cases.len(), "{python:#?}");
    let mut failures = Vec::new();
    for (i, (case, answer)) in cases.iter().zip(&answers).enumerate() {
        let (json_run, python_run) = (&report.outcomes[2 * i], &report.outcomes[2 * i + 1]);
        let wrong = problems(case, json_run, python_run, answer, &python.queries);
        if !wrong.is_empty() {
            failures.push(format!(
                "{}\n  {}\n  sockscope: {}\n  stderr: {}  queries: {:?}\n  python3: {answer}",
                case.args.join(" "),
                wrong.join("\n  "),
                json_run.stdout.replace('\n', ""),
                json_run.stderr,
                json_run.queries
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{}\n\npython3's queries: {:?}",
        failures.join("\n\n"),
        python.queries
    );
}

#[test]
fn reverse_names_as_glibc_spells_them() {
    assert_eq!(reverse("192.0.2.10"), "10.2.0.192.in-addr.arpa");
    assert_eq!(
        reverse("2001:db8::10"),
        "0.1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
    );
}

/// The host name has a domain, so NI_NOFQDN has something to cut.
fn lab_host() -> Scenario {
    Scenario {
        hostname: "labhost.lab.test".to_string(),
        ..Scenario::default()
    }
}

#[test]
fn ipv4_address_with_a_ptr_record() {
    let ip = "192.0.2.10";
    let scenario = lab_host().ptr(ip, &["host4.lab.test"]);
    check(
        scenario,
        &[
            hostbyaddr(ip).gives(json!(["host4.lab.test", [], [ip]])),
            nameinfo(ip, 80, "0").gives(json!(["host4.lab.test", "http"])),
            nameinfo(ip, 7777, "namereqd").gives(json!(["host4.lab.test", "lab-echo"])),
            nameinfo(ip, 53, "nofqdn,dgram").gives(json!(["host4", "domain"])),
            nameinfo(ip, 80, "numerichost")
                .gives(json!([ip, "http"]))
                .asks_nothing(),
            // glibc asks for an IPv4-mapped address under in-addr.arpa, as for the IPv4 one, and
            // answers with an AF_INET entry, which CPython refuses (OSError EAFNOSUPPORT);
            // getnameinfo has no such check and gives the name.
            hostbyaddr("::ffff:192.0.2.10")
                .fails("EAFNOSUPPORT", 4)
                .asks(reverse(ip)),
            nameinfo("::ffff:192.0.2.10", 80, "namereqd")
                .gives(json!(["host4.lab.test", "http"]))
                .asks(reverse(ip)),
            // /etc/hosts names it, so DNS is not asked: the query-log check can tell.
            hostbyaddr("127.0.0.1")
                .gives(json!(["localhost", [], ["127.0.0.1"]]))
                .asks_nothing(),
        ],
    );
}

#[test]
fn ipv6_address_with_a_ptr_record() {
    let ip = "2001:db8::10";
    let scenario = lab_host().ptr(ip, &["host6.lab.test"]);
    check(
        scenario,
        &[
            hostbyaddr(ip).gives(json!(["host6.lab.test", [], [ip]])),
            nameinfo(ip, 80, "0").gives(json!(["host6.lab.test", "http"])),
            nameinfo(ip, 22, "namereqd").gives(json!(["host6.lab.test", "ssh"])),
            nameinfo(ip, 53, "nofqdn,dgram").gives(json!(["host6", "domain"])),
            nameinfo(ip, 80, "numerichost,namereqd")
                .fails("EAI_NONAME", 1)
                .asks_nothing(),
            hostbyaddr("::1")
                .gives(json!(["localhost", ["ip6-localhost"], ["::1"]]))
                .asks_nothing(),
        ],
    );
}

/// The cases tests/reverse.rs had to leave out (::1 and 127.0.0.2 looked up by name), with
/// a server that answers NXDOMAIN for them, as one that knows other reverse names would.
#[test]
fn address_without_a_ptr_record() {
    let scenario = Scenario {
        // No ::1 line, as on machines whose /etc/hosts lacks one: ::1 goes to DNS too.
        hosts: "127.0.0.1\tlocalhost\n".to_string(),
        ..Scenario::default()
    };
    let scenario = scenario
        .ptr("192.0.2.10", &["host4.lab.test"])
        .ptr("2001:db8::10", &["host6.lab.test"]);
    let mut cases = Vec::new();
    for ip in ["192.0.2.99", "2001:db8::99", "127.0.0.2", "::1"] {
        cases.push(hostbyaddr(ip).fails("HOST_NOT_FOUND", 1));
        cases.push(nameinfo(ip, 22, "0").gives(json!([ip, "ssh"])));
        cases.push(nameinfo(ip, 22, "namereqd").fails("EAI_NONAME", 1));
    }
    // /etc/hosts names 127.0.0.1, but its files module does not match the IPv4-mapped form:
    // DNS is asked, under in-addr.arpa, and knows no name either.
    cases.push(
        hostbyaddr("::ffff:127.0.0.1")
            .fails("HOST_NOT_FOUND", 1)
            .asks(reverse("127.0.0.1")),
    );
    check(scenario, &cases);
}

/// A server that fails is no "no name": glibc says try again, even where a number would do.
#[test]
fn servfail_on_a_reverse_name_is_try_again() {
    let ip = "192.0.2.20";
    let scenario = Scenario::default().name(
        &reverse(ip),
        Rule {
            rcode: Some(2),
            ..Rule::default()
        },
    );
    check(
        scenario,
        &[
            hostbyaddr(ip).fails("TRY_AGAIN", 3),
            nameinfo(ip, 80, "0").fails("EAI_AGAIN", 3),
            nameinfo(ip, 80, "namereqd").fails("EAI_AGAIN", 3),
        ],
    );
}

/// Answers a reverse zone may really give: a name with no PTR (NODATA), a PTR reached through
/// a CNAME (RFC 2317 classless delegation), and two PTR records for one address.
#[test]
fn nodata_cname_and_several_ptr_records() {
    let (nodata, classless, two) = ("192.0.2.21", "192.0.2.22", "192.0.2.23");
    let delegated = "22.0-25.2.0.192.in-addr.arpa";
    let scenario = Scenario::default()
        .name(&reverse(nodata), Rule::default())
        .name(
            &reverse(classless),
            Rule {
                cname: Some(delegated.to_string()),
                ..Rule::default()
            },
        )
        .name(
            delegated,
            Rule {
                ptr: vec!["classless.lab.test".to_string()],
                ..Rule::default()
            },
        )
        .ptr(two, &["first.lab.test", "second.lab.test"]);
    check(
        scenario,
        &[
            hostbyaddr(nodata)
                .fails("NO_DATA", 1)
                .says("has no PTR record"),
            nameinfo(nodata, 80, "0").gives(json!([nodata, "http"])),
            nameinfo(nodata, 80, "namereqd").fails("EAI_NONAME", 1),
            hostbyaddr(classless).gives(json!(["classless.lab.test", [], [classless]])),
            nameinfo(classless, 80, "namereqd").gives(json!(["classless.lab.test", "http"])),
            // glibc 2.36 takes the first PTR record as the name and drops the rest: no aliases.
            hostbyaddr(two).gives(json!(["first.lab.test", [], [two]])),
            nameinfo(two, 80, "0").gives(json!(["first.lab.test", "http"])),
        ],
    );
}
