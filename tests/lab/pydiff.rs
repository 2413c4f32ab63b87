//! The differential test: hundreds of calls through `sockscope ... --format python` and through python3, compared byte for byte.
//!
//! Each case is a sockscope command line and the Python call it stands for, built from the
//! same words by the rule the python format promises (a word of digits, with an optional
//! leading `-`, is an int; anything else is a str). Python's arguments travel as JSON, not as
//! source, so nothing on this side has to spell a Python literal. Everything runs in one lab
//! world: the sockscope runs one after another, then one python3 process for all the calls,
//! so both see the same /etc files and the same DNS server, never this machine's resolver.

use serde_json::{Value, json};

use crate::dns::Rule;
use crate::world::Scenario;

#[path = "pydiff_corpus.rs"]
mod corpus;

/// One call: sockscope's arguments, and Python's call as JSON (`{"f", "a", "k"}` or `{"expr"}`).
pub struct Case {
    pub args: Vec<String>,
    pub call: Value,
    /// Whether the last argument is a key of a batch subcommand: cases that differ only in
    /// it run as one batch, a key each, which is also how a student would type them.
    pub key: bool,
}

/// Runs of sockscope: each the arguments and the cases it answers, in order.
fn runs(cases: &[Case]) -> Vec<(Vec<String>, Vec<usize>)> {
    let mut runs: Vec<(Vec<String>, Vec<usize>)> = Vec::new();
    for (i, case) in cases.iter().enumerate() {
        // Before any `--`, after which every word is a key.
        let mut args = case.args.clone();
        args.splice(1..1, ["--format".to_string(), "python".to_string()]);
        if case.key
            && let Some((last, prefix)) = args.split_last()
            && let Some((run_args, members)) = runs.last_mut()
            && cases[members[0]].key
            && run_args.len() > members.len()
            && run_args[..run_args.len() - members.len()] == *prefix
        {
            run_args.push(last.clone());
            members.push(i);
            continue;
        }
        runs.push((args, vec![i]));
    }
    runs
}

/// A word as the Python value it stands for; an int travels as its digits (JSON numbers
/// would lose big ones), and Python reads them with `int()`.
pub fn py(word: &str) -> Value {
    let digits = word.strip_prefix('-').unwrap_or(word);
    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
        return json!({ "int": word });
    }
    json!(word)
}

/// CPython's side: each call made once, one JSON line per case with what the REPL would
/// print and whether it raised.
const REFERENCE: &str = r#"
import ctypes, json, socket, traceback
# Each call as in a fresh REPL: CPython reports a failed gethostby*_r with the thread's global
# h_errno, which earlier calls would otherwise have left behind.
libc = ctypes.CDLL(None)
libc.__h_errno_location.restype = ctypes.POINTER(ctypes.c_int)
def conv(v):
    if isinstance(v, dict) and "tuple" in v:
        return tuple(conv(x) for x in v["tuple"])
    if isinstance(v, dict) and "int" in v:
        return int(v["int"])
    return v
with open("cases.jsonl") as cases:
    for line in cases:
        case = json.loads(line)
        libc.__h_errno_location()[0] = 0
        try:
            if "expr" in case:
                value = eval(case["expr"])
            else:
                args = [conv(a) for a in case["a"]]
                kwargs = {k: conv(v) for k, v in case.get("k", {}).items()}
                value = getattr(socket, case["f"])(*args, **kwargs)
            out, raised = repr(value), False
        except Exception as exc:
            out, raised = traceback.format_exception_only(exc)[-1].rstrip("\n"), True
        print(json.dumps({"out": out, "raised": raised}), flush=True)
"#;

/// The world every case runs in: names with and without each family, a CNAME, no data, a
/// failing server, PTR records, and /etc/hosts entries with aliases.
fn world() -> Scenario {
    let both = Rule {
        a: vec!["192.0.2.10".parse().expect("v4")],
        aaaa: vec!["2001:db8::10".parse().expect("v6")],
        ..Rule::default()
    };
    let v4 = Rule {
        a: vec!["192.0.2.11".parse().expect("v4")],
        ..Rule::default()
    };
    let v6 = Rule {
        aaaa: vec!["2001:db8::12".parse().expect("v6")],
        ..Rule::default()
    };
    let cname = Rule {
        cname: Some("www.lab.test".to_string()),
        ..Rule::default()
    };
    let servfail = Rule {
        rcode: Some(2),
        ..Rule::default()
    };
    let scenario = Scenario {
        hosts: "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n\
                192.0.2.50\tmain.lab.test hostalias otheralias\n192.0.2.80\tlab.lab.test lab\n"
            .to_string(),
        ..Scenario::default()
    };
    scenario
        .name("www.lab.test", both)
        .name("v4.lab.test", v4)
        .name("v6.lab.test", v6)
        .name("cname.lab.test", cname)
        .name("nodata.lab.test", Rule::default())
        .name("servfail.lab.test", servfail)
        .ptr("192.0.2.10", &["www.lab.test"])
        .ptr("2001:db8::10", &["www.lab.test"])
        .ptr("192.0.2.11", &["v4.lab.test", "alias4.lab.test"])
}

#[test]
fn python_format_prints_what_python_prints() {
    let cases = corpus::all();
    assert!(cases.len() >= 500, "a corpus of {} cases", cases.len());
    let mut scenario = world();
    let runs = runs(&cases);
    for (args, _) in &runs {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        scenario = scenario.run(&args);
    }
    let lines: Vec<String> = cases.iter().map(|c| c.call.to_string()).collect();
    scenario.files.insert(
        "cases.jsonl".to_string(),
        (lines.join("\n") + "\n").into_bytes(),
    );
    scenario
        .files
        .insert("reference.py".to_string(), REFERENCE.as_bytes().to_vec());
    scenario.shell = Some("python3 reference.py".to_string());
    let Some(report) = crate::lab(scenario) else {
        return;
    };
    let shell = report.shell.expect("python3 ran");
    assert_eq!(shell.code, 0, "python3 failed: {}", shell.stderr);
    let theirs: Vec<Value> = shell
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(theirs.len(), cases.len(), "one answer per case");
    let mut wrong = Vec::new();
    for ((args, members), ours) in runs.iter().zip(&report.outcomes) {
        let lines: Vec<&str> = ours.stdout.lines().collect();
        if lines.len() != members.len() {
            wrong.push(format!(
                "sockscope {}: {} lines for {} calls\n{}{}",
                args.join(" "),
                lines.len(),
                members.len(),
                ours.stdout,
                ours.stderr
            ));
            continue;
        }
        // Exit 0 exactly when no call raised: the exit code follows the calls' outcomes.
        let raised = members
            .iter()
            .any(|&i| theirs[i]["raised"].as_bool().unwrap_or_default());
        if (ours.code == 0) == raised {
            wrong.push(format!(
                "sockscope {}: exit {} but python3 raised: {raised}",
                args.join(" "),
                ours.code
            ));
        }
        for (&i, got) in members.iter().zip(lines) {
            let want = theirs[i]["out"].as_str().unwrap_or_default();
            if got != want {
                wrong.push(format!(
                    "sockscope {}\n  sockscope: {got}\n  python3:   {want}\n  call: {}",
                    cases[i].args.join(" "),
                    cases[i].call
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "{} of {} cases differ:\n{}",
        wrong.len(),
        cases.len(),
        wrong.join("\n")
    );
}

/// Table and JSON records agree with Python's result too: no `%zone` in an IPv6 address (the
/// scope id is its own field), host names resolved by hostbyaddr, names EAI_NONAME in
/// nameinfo, flowinfo and scope_id cut to 32 bits or refused as CPython does.
#[test]
fn records_agree_with_python_in_every_format() {
    let Some(report) = crate::lab(
        world()
            .run(&["addrinfo", "fe80::1%lo", "80", "-t", "stream", "--json"])
            .run(&["hostbyaddr", "::1q", "--json"])
            .run(&["hostbyaddr", "999.1.1.1", "--json"])
            .run(&["hostbyaddr", "main.lab.test", "--json"])
            .run(&["nameinfo", "x", "0", "--json"])
            .run(&[
                "nameinfo",
                "::1",
                "80",
                "--scope-id=-1",
                "--flags",
                "numerichost,numericserv",
                "--json",
            ])
            .run(&["nameinfo", "::1", "80", "--flowinfo=-1", "--json"]),
    ) else {
        return;
    };
    let [scoped, q, dotted, name, x, scope, flow] = &report.outcomes[..] else {
        panic!("seven runs: {report:#?}");
    };
    let row = &scoped.json()[0];
    assert_eq!(
        (&row["address"], &row["scope_id"]),
        (&json!("fe80::1"), &json!(1)),
        "{scoped:#?}"
    );
    for out in [q, dotted, x] {
        assert_eq!(out.code, 1, "{out:#?}");
        assert_eq!(out.json()[0]["error"]["code"], "EAI_NONAME", "{out:#?}");
    }
    assert!(
        report.queries.iter().any(|q| q.starts_with("999.1.1.1 ")),
        "hostbyaddr looked the name up: {:?}",
        report.queries
    );
    assert_eq!(name.json()[0]["name"], "main.lab.test", "{name:#?}");
    assert_eq!(scope.json()[0]["host"], "::1%4294967295", "{scope:#?}");
    assert_eq!(flow.code, 2, "{flow:#?}");
    assert_eq!(
        flow.json()[0]["error"]["message"],
        "getnameinfo(): flowinfo must be 0-1048575.",
        "{flow:#?}"
    );
}
