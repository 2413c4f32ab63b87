//! Reading `--explain`: the `call` each answer carries, as JSON.

use serde_json::Value;

/// The `call` of each answer, in order: an answer's records all carry the same call, so runs of
/// equal calls are one answer (so a command must not ask the same key twice in a row).
pub fn calls(records: &[Value]) -> Vec<Value> {
    let mut out: Vec<Value> = Vec::new();
    for record in records {
        let call = record
            .get("call")
            .cloned()
            .unwrap_or_else(|| panic!("record without call: {record}"));
        if out.last() != Some(&call) {
            out.push(call);
        }
    }
    out
}

/// A string field of a `call`; anything else fails the test.
pub fn text(call: &Value, key: &str) -> String {
    call[key]
        .as_str()
        .unwrap_or_else(|| panic!("call.{key} is not a string: {call}"))
        .to_string()
}
