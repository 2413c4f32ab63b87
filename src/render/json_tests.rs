//! `json` and `jsonl` against what serde_json alone writes for the same answers.

use std::time::Duration;

use proptest::prelude::*;
use serde::Serialize;

use super::{JsonArray, JsonLines};
use crate::calls::addrinfo::AddrInfo;
use crate::model::{Annotated, Answer, Call, ErrorRecord, Failure, Record};
use crate::render::Sink;

/// The renderers as they were written on serde_json alone: each record, or error record,
/// flattened into `Annotated`; `json` pretty-printed and indented inside the array.
fn through_serde<R: Record>(answers: &[Answer<R>], pretty: bool) -> String {
    let mut records = Vec::new();
    for answer in answers {
        let elapsed_ms = answer.elapsed.map(|d| d.as_micros() as f64 / 1000.0);
        let call = answer.call.as_ref();
        let text = |record: &dyn erased_json::Json| record.text(pretty);
        match &answer.result {
            Ok(rows) => records.extend(rows.iter().map(|record| {
                text(&Annotated {
                    record,
                    elapsed_ms,
                    call,
                })
            })),
            Err(error) => records.push(text(&Annotated {
                record: &ErrorRecord {
                    query: answer.query.as_deref(),
                    error,
                },
                elapsed_ms,
                call,
            })),
        }
    }
    if !pretty {
        return records.iter().map(|r| format!("{r}\n")).collect();
    }
    if records.is_empty() {
        return "[]\n".to_string();
    }
    let indented: Vec<String> = records
        .iter()
        .map(|r| format!("  {}", r.replace('\n', "\n  ")))
        .collect();
    format!("[\n{}\n]\n", indented.join(",\n"))
}

mod erased_json {
    pub trait Json {
        fn text(&self, pretty: bool) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn text(&self, pretty: bool) -> String {
            let text = if pretty {
                serde_json::to_string_pretty(self)
            } else {
                serde_json::to_string(self)
            };
            text.unwrap_or_default()
        }
    }
}

fn rendered<R: Record>(answers: &[Answer<R>], pretty: bool) -> String {
    let mut buf = Vec::new();
    {
        let mut sink: Box<dyn Sink<R>> = if pretty {
            Box::new(JsonArray::new(Box::new(&mut buf)))
        } else {
            Box::new(JsonLines::new(Box::new(&mut buf)))
        };
        let written = answers.iter().try_for_each(|a| sink.answer(a));
        assert!(
            written.and_then(|()| sink.finish()).is_ok(),
            "writing to a Vec"
        );
    }
    String::from_utf8_lossy(&buf).into_owned()
}

/// A record with no field: the answer's own fields are its only ones.
#[derive(Debug, Clone, Serialize)]
struct Bare {}

impl Record for Bare {
    const COLUMNS: &'static [&'static str] = &[];
    fn cells(&self) -> Vec<String> {
        Vec::new()
    }
}

fn text() -> impl Strategy<Value = String> + Clone {
    let ch = prop_oneof![
        3 => (0u8..0x80).prop_map(char::from),
        1 => any::<char>(),
    ];
    prop::collection::vec(ch, 0..12).prop_map(|chars| chars.into_iter().collect())
}

fn addrinfo() -> impl Strategy<Value = AddrInfo> + Clone {
    (
        (
            proptest::option::of(text()),
            proptest::option::of(text()),
            text(),
            text(),
        ),
        (
            any::<i32>(),
            text(),
            any::<std::net::IpAddr>(),
            any::<u16>(),
        ),
        proptest::option::of((any::<u32>(), any::<u32>())),
    )
        .prop_map(
            |((query, service, family, socktype), (proto, canonname, address, port), v6)| {
                AddrInfo {
                    query: query.map(Into::into),
                    service,
                    family: family.into(),
                    socktype: socktype.into(),
                    proto,
                    canonname,
                    address,
                    port,
                    flowinfo: v6.map(|(f, _)| f),
                    scope_id: v6.map(|(_, s)| s),
                }
            },
        )
}

/// Answers of `records`, some failed, some timed, some with the call behind them.
fn answers<R: Clone + std::fmt::Debug>(
    records: impl Strategy<Value = R> + Clone,
) -> impl Strategy<Value = Vec<Answer<R>>> {
    let call = (text(), text(), prop::collection::vec(text(), 0..3))
        .prop_map(|(c, python, notes)| Call { c, python, notes });
    let answer = (
        proptest::option::of(text()),
        prop_oneof![
            3 => prop::collection::vec(records, 0..4).prop_map(Ok),
            1 => text().prop_map(|message| Err(Failure::invalid(message))),
        ],
        proptest::option::of(0u64..10_000_000),
        proptest::option::of(call),
    )
        .prop_map(|(query, result, micros, call)| {
            let mut answer = Answer::new(query, result);
            answer.elapsed = micros.map(Duration::from_micros);
            answer.call = call;
            answer
        });
    prop::collection::vec(answer, 0..4)
}

proptest! {
    #[test]
    fn addrinfo_answers_are_serde_json_s_bytes(answers in answers(addrinfo())) {
        prop_assert_eq!(rendered(&answers, false), through_serde(&answers, false));
        prop_assert_eq!(rendered(&answers, true), through_serde(&answers, true));
    }

    #[test]
    fn records_without_fields_are_serde_json_s_bytes(answers in answers(Just(Bare {}))) {
        prop_assert_eq!(rendered(&answers, false), through_serde(&answers, false));
        prop_assert_eq!(rendered(&answers, true), through_serde(&answers, true));
    }
}
