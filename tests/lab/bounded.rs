//! Batches against slow and silent names: threads bounded by --jobs however many lookups are given
//! up on, and signals that still finish the output.

use std::collections::BTreeMap;

use crate::dns::Rule;
use crate::world::Scenario;
use crate::{lab, v4};

/// Runs `$SOCKSCOPE` with the arguments in argv[1:], samples `Threads:` of its /proc status
/// until it ends, optionally sends a signal after a delay, and prints one JSON line: exit code,
/// most threads, stdout and stderr.
const WATCH: &str = r#"
import json, os, signal, subprocess, sys, threading, time
sig = os.environ.get("SEND_SIGNAL")
p = subprocess.Popen([os.environ["SOCKSCOPE"]] + sys.argv[1:],
                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
out = {}
readers = [threading.Thread(target=lambda k=k, f=f: out.__setitem__(k, f.read()))
           for k, f in (("stdout", p.stdout), ("stderr", p.stderr))]
for r in readers:
    r.start()
most, start, sent = 0, time.time(), False
while p.poll() is None and time.time() - start < 120:
    try:
        with open(f"/proc/{p.pid}/status") as status:
            for line in status:
                if line.startswith("Threads:"):
                    most = max(most, int(line.split()[1]))
    except OSError:
        break
    if sig and not sent and time.time() - start > 2.0:
        p.send_signal(getattr(signal, sig))
        sent = True
    time.sleep(0.005)
p.wait()
for r in readers:
    r.join()
print(json.dumps({"code": p.returncode, "threads": most, "seconds": time.time() - start,
                  "stdout": out["stdout"].decode(), "stderr": out["stderr"].decode()}))
"#;

/// A world whose nameserver never answers `silent.lab.test`, where the resolver alone would
/// wait 10 s (two attempts of 5).
fn silent_world() -> Scenario {
    Scenario {
        resolv_conf: "nameserver 127.0.0.1\noptions timeout:5 attempts:2\n".to_string(),
        ..Scenario::default()
    }
    .name(
        "silent.lab.test",
        Rule {
            drop: true,
            ..Rule::default()
        },
    )
}

fn watch(scenario: Scenario, args: &[&str], signal: Option<&str>) -> Option<serde_json::Value> {
    let mut files = BTreeMap::new();
    files.insert("watch.py".to_string(), WATCH.as_bytes().to_vec());
    let env = signal.map_or_else(String::new, |s| format!("SEND_SIGNAL={s} "));
    let command = format!("{env}python3 watch.py {}", args.join(" "));
    let scenario = Scenario {
        files: scenario.files.into_iter().chain(files).collect(),
        shell: Some(command),
        ..scenario
    };
    let report = lab(scenario)?;
    let shell = report.shell.expect("the shell ran");
    assert_eq!(shell.code, 0, "{shell:#?}");
    Some(serde_json::from_str(&shell.stdout).expect("watch.py prints JSON"))
}

/// 300 names whose answers take 200 ms (8 of them never answered) with `--jobs 8 --timeout
/// 0.05`: every key is reported, and the threads are never more than the 8 workers and the
/// main thread (they once grew with every lookup given up on).
#[test]
fn timeouts_keep_the_threads_within_jobs() {
    let mut scenario = Scenario {
        default_rule: Some(Rule {
            a: vec![v4("192.0.2.1")],
            delay_ms: 200,
            ..Rule::default()
        }),
        ..Scenario::default()
    };
    let mut keys = String::new();
    for i in 0..300 {
        if i % 50 == 0 {
            keys.push_str("localhost\n");
        } else if i % 37 == 0 {
            let name = format!("silent{i}.lab.test");
            scenario = scenario.name(
                &name,
                Rule {
                    drop: true,
                    ..Rule::default()
                },
            );
            keys.push_str(&format!("{name}\n"));
        } else {
            keys.push_str(&format!("slow{i}.lab.test\n"));
        }
    }
    scenario
        .files
        .insert("keys.txt".to_string(), keys.into_bytes());
    let args = [
        "hostbyname",
        "--file",
        "keys.txt",
        "--jobs",
        "8",
        "--timeout",
        "0.05",
        "--format",
        "jsonl",
    ];
    let Some(run) = watch(scenario, &args, None) else {
        return;
    };
    assert_eq!(run["code"], 3, "{run:#}");
    let records: Vec<serde_json::Value> = run["stdout"]
        .as_str()
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(records.len(), 300, "every key reported");
    let answered = records.iter().filter(|r| r["address"] == "127.0.0.1");
    assert_eq!(
        answered.count(),
        6,
        "localhost is answered between the stuck ones"
    );
    let timeouts = records
        .iter()
        .filter(|r| r["error"]["code"] == "TIMEOUT")
        .count();
    assert_eq!(timeouts, 294, "{run:#}");
    let threads = run["threads"].as_u64().unwrap_or(u64::MAX);
    assert!(
        (1..=9).contains(&threads),
        "8 workers and the main thread, not {threads}"
    );
}

/// A batch blocked on a silent name gets SIGTERM: the rows already answered are printed as a
/// table, then the stats, and it exits 143 at once instead of waiting for the resolver.
#[test]
fn a_signal_ends_a_blocked_batch_with_the_rows_so_far() {
    let scenario = silent_world().name(
        "quick.lab.test",
        Rule {
            a: vec![v4("192.0.2.5")],
            ..Rule::default()
        },
    );
    let args = [
        "hostbyname",
        "localhost",
        "silent.lab.test",
        "quick.lab.test",
        "--stats",
    ];
    let Some(run) = watch(scenario, &args, Some("SIGTERM")) else {
        return;
    };
    assert_eq!(run["code"], 143, "{run:#}");
    let seconds = run["seconds"].as_f64().unwrap_or(f64::MAX);
    // The resolver alone would wait 10 s (5 s x 2 attempts); the signal goes at 2 s.
    assert!(
        seconds < 8.0,
        "ended at the signal, not the resolver: {seconds}"
    );
    let stdout = run["stdout"].as_str().unwrap_or_default();
    let rows: Vec<&str> = stdout.lines().skip(2).collect();
    assert_eq!(rows.len(), 2, "{stdout}");
    assert!(rows[0].starts_with("localhost") && rows[1].starts_with("quick.lab.test"));
    let stderr = run["stderr"].as_str().unwrap_or_default();
    assert!(stderr.contains("stats: 2 keys"), "{stderr}");
    assert!(
        stderr.contains("sockscope: interrupted by SIGTERM"),
        "{stderr}"
    );
}

/// One key on the command line is looked up on the main thread, watched: at `--timeout` the
/// watchdog writes its TIMEOUT answer in every format and ends the run while the main thread
/// is still in the call (the resolver alone would wait 10 s); no more than the stuck thread
/// and the watchdog exist. The same name answered in time is its own answer.
#[test]
fn one_key_given_up_on_is_answered_by_the_watchdog_in_every_format() {
    let scenario = silent_world;
    let expect = [
        ("table", ""),
        ("jsonl", "\"code\":\"TIMEOUT\""),
        ("json", "\"code\": \"TIMEOUT\""),
        ("python", "# TIMEOUT: no answer within 0.3 s"),
    ];
    for (format, stdout) in expect {
        let args = [
            "hostbyname",
            "silent.lab.test",
            "--timeout",
            "0.3",
            "--format",
            format,
        ];
        let Some(run) = watch(scenario(), &args, None) else {
            return;
        };
        assert_eq!(run["code"], 3, "{format}: {run:#}");
        let seconds = run["seconds"].as_f64().unwrap_or(f64::MAX);
        assert!(seconds < 3.0, "{format}: ended at the timeout: {seconds}");
        let threads = run["threads"].as_u64().unwrap_or(u64::MAX);
        assert!(threads <= 2, "{format}: {threads} threads");
        let out = run["stdout"].as_str().unwrap_or_default();
        assert!(out.contains(stdout), "{format}: {out}");
        let err = run["stderr"].as_str().unwrap_or_default();
        assert_eq!(
            err, "sockscope: hostbyname: silent.lab.test: no answer within 0.3 s (TIMEOUT)\n",
            "{format}"
        );
    }
    let slow = Rule {
        a: vec![v4("192.0.2.9")],
        delay_ms: 200,
        ..Rule::default()
    };
    let Some(run) = watch(
        scenario().name("slow.lab.test", slow),
        &["hostbyname", "slow.lab.test", "--timeout", "2", "--json"],
        None,
    ) else {
        return;
    };
    assert_eq!(run["code"], 0, "{run:#}");
    assert!(
        run["stdout"]
            .as_str()
            .unwrap_or_default()
            .contains("192.0.2.9")
    );
}

/// One key on the command line, stuck in the C library (a silent nameserver): SIGINT or
/// SIGTERM ends the run at once, as a batch ends, with a closed JSON array, the one line, and
/// 128 + the signal; with `--timeout` (a watchdog thread) the same.
#[test]
fn a_signal_ends_one_stuck_key_with_its_output_whole() {
    let scenario = silent_world;
    let cases: [(&[&str], &str, &str, i64); 4] = [
        (&["--json"], "SIGINT", "[]\n", 130),
        (&["--format", "table"], "SIGINT", "", 130),
        (&["--format", "jsonl"], "SIGTERM", "", 143),
        (&["--json", "--timeout", "30"], "SIGTERM", "[]\n", 143),
    ];
    for (extra, signal, stdout, code) in cases {
        let mut args = vec!["addrinfo", "silent.lab.test"];
        args.extend_from_slice(extra);
        let Some(run) = watch(scenario(), &args, Some(signal)) else {
            return;
        };
        assert_eq!(run["code"], code, "{args:?}: {run:#}");
        assert_eq!(run["stdout"], stdout, "{args:?}");
        assert_eq!(
            run["stderr"],
            format!("sockscope: interrupted by {signal}\n"),
            "{args:?}"
        );
        let seconds = run["seconds"].as_f64().unwrap_or(f64::MAX);
        assert!(
            seconds < 4.0,
            "{args:?}: the signal did not end it: {seconds}"
        );
    }
}
