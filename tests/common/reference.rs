//! python3 as the reference: the same calls written in Python, and what they print or raise.

use serde_json::{Value, json};

/// One case: sockscope's arguments, and one Python expression per answer sockscope gives.
pub struct Case {
    pub args: Vec<String>,
    pub exprs: Vec<String>,
}

/// A case whose arguments are split at spaces.
pub fn case(args: &str, exprs: &[&str]) -> Case {
    Case {
        args: args.split_whitespace().map(str::to_string).collect(),
        exprs: exprs.iter().map(|e| (*e).to_string()).collect(),
    }
}

/// A case whose arguments may hold spaces.
pub fn case_args(args: &[&str], exprs: &[&str]) -> Case {
    Case {
        args: args.iter().map(|a| (*a).to_string()).collect(),
        exprs: exprs.iter().map(|e| (*e).to_string()).collect(),
    }
}

/// Run every case with `--format python` and compare each line with python3's repr of the
/// expressions; report all mismatches at once, so one run shows the whole picture.
pub fn check(cases: &[Case]) {
    let mut failures = Vec::new();
    for c in cases {
        let mut args = c.args.clone();
        args.extend(["--format".to_string(), "python".to_string()]);
        let run = super::run(&args);
        let ours: Vec<&str> = run.stdout.lines().collect();
        let theirs = super::python_reprs(&c.exprs);
        if ours != theirs {
            failures.push(format!(
                "sockscope {}\n  sockscope: {ours:?}\n  python3:   {theirs:?}\n  stderr: {}",
                args.join(" "),
                run.stderr
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Run a Python 3 program (with `socket` and `json` imported) and parse what it prints as JSON.
pub fn python(program: &str) -> Value {
    let printed = super::python_stdout(&format!("import json, socket\n{program}"));
    serde_json::from_str(&printed).expect("python3 printed JSON")
}

/// Python helper: the outcome of a call as JSON, with the EAI_ or h_errno name of an error.
pub const OUTCOME: &str = r#"
H_ERRNO = {1: "HOST_NOT_FOUND", 2: "TRY_AGAIN", 3: "NO_RECOVERY", 4: "NO_DATA"}
def outcome(call):
    try:
        return {"ok": call()}
    except socket.gaierror as e:
        names = [n for n in dir(socket) if n.startswith("EAI_") and getattr(socket, n) == e.errno]
        return {"error": names[0] if names else e.errno, "message": e.strerror}
    except socket.herror as e:
        return {"error": H_ERRNO.get(e.errno, e.errno), "message": e.strerror}
    except OSError as e:
        return {"error": "OSError", "message": str(e)}
"#;

/// What sockscope printed for one key, in the same shape as `outcome` above.
pub fn our_outcome(records: &[Value], fields: &[&str]) -> Value {
    assert_eq!(records.len(), 1, "one record per key: {records:?}");
    let record = &records[0];
    if let Some(error) = record.get("error") {
        // Python's text is the C library's: `strerror`, where there is one (`message` is
        // sockscope's own words for a person).
        let text = error.get("strerror").unwrap_or(&error["message"]);
        return json!({"error": error["code"], "message": text});
    }
    let values: Vec<Value> = fields.iter().map(|f| record[*f].clone()).collect();
    json!({ "ok": values })
}

/// Every entry of /etc/protocols, parsed by Python: (name, number, aliases).
pub fn protocols_file() -> Vec<(String, i64, Vec<String>)> {
    let entries = python(
        r##"
rows = []
for line in open("/etc/protocols"):
    fields = line.split("#")[0].split()
    if len(fields) >= 2:
        rows.append([fields[0], int(fields[1]), fields[2:]])
print(json.dumps(rows))
"##,
    );
    entries
        .as_array()
        .expect("a list")
        .iter()
        .map(|row| {
            let aliases = row[2]
                .as_array()
                .expect("aliases")
                .iter()
                .map(|a| a.as_str().expect("text").to_string())
                .collect();
            (
                row[0].as_str().expect("name").to_string(),
                row[1].as_i64().expect("number"),
                aliases,
            )
        })
        .collect()
}
