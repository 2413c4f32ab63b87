//! The compact writer and its pretty form against serde_json, byte for byte.

use std::collections::BTreeMap;

use proptest::prelude::*;
use serde::Serialize;
use serde_json::{Number, Value};

use super::{pretty, write};

fn compact(value: &(impl Serialize + ?Sized)) -> Vec<u8> {
    let mut out = b"before".to_vec();
    assert!(write(value, &mut out).is_ok(), "writing to a Vec");
    out.split_off(6)
}

fn pretty_of(compact: &[u8], indent: usize) -> String {
    let mut out = Vec::new();
    pretty(compact, indent, &mut out);
    String::from_utf8(out).unwrap_or_default()
}

/// serde_json's pretty text with every line after the first indented `indent` levels more.
fn indented(text: &str, indent: usize) -> String {
    text.replace('\n', &format!("\n{}", "  ".repeat(indent)))
}

/// Characters that strings in the tests are made of: mostly the ASCII ones that need an
/// escape (every control character, the quote, the backslash) or sit beside them (DEL, `/`),
/// and any other character, outside ASCII included.
fn text() -> impl Strategy<Value = String> {
    let ch = prop_oneof![
        3 => (0u8..0x80).prop_map(char::from),
        1 => prop::sample::select(vec!['"', '\\', '/', '\u{7f}', '\u{80}', '\u{2028}', '\u{fffd}']),
        1 => any::<char>(),
    ];
    prop::collection::vec(ch, 0..24).prop_map(|chars| chars.into_iter().collect())
}

fn number() -> impl Strategy<Value = Number> {
    prop_oneof![
        any::<i64>().prop_map(Number::from),
        any::<u64>().prop_map(Number::from),
        any::<f64>().prop_filter_map("finite", Number::from_f64),
    ]
}

fn value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number().prop_map(Value::Number),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(text(), inner, 0..6)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Every shape serde's derive makes, for the ones a `Value` never takes.
#[derive(Debug, Clone, Serialize)]
enum Shape {
    Unit,
    Newtype(Option<String>),
    Tuple(i8, u128, char),
    Struct {
        #[serde(rename = "with \"quote\"")]
        a: f32,
        #[serde(skip_serializing_if = "Option::is_none")]
        b: Option<i128>,
        c: Vec<Shape>,
    },
    Float(f64),
    Bytes(#[serde(with = "bytes")] Vec<u8>),
    ByNumber(BTreeMap<u16, bool>),
    ByUnit(BTreeMap<Key, ()>),
    Marker(Marker),
    Pair(Pair),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
enum Key {
    Left,
    Right,
}

#[derive(Debug, Clone, Serialize)]
struct Marker;

#[derive(Debug, Clone, Serialize)]
struct Pair(String, Option<char>);

mod bytes {
    pub fn serialize<S: serde::Serializer>(v: &[u8], s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(v)
    }
}

fn shape() -> impl Strategy<Value = Shape> {
    let leaf = prop_oneof![
        Just(Shape::Unit),
        proptest::option::of(text()).prop_map(Shape::Newtype),
        (any::<i8>(), any::<u128>(), any::<char>()).prop_map(|(a, b, c)| Shape::Tuple(a, b, c)),
        prop_oneof![
            any::<f64>(),
            Just(f64::NAN),
            Just(f64::INFINITY),
            Just(-0.0)
        ]
        .prop_map(Shape::Float),
        prop::collection::vec(any::<u8>(), 0..4).prop_map(Shape::Bytes),
        prop::collection::btree_map(any::<u16>(), any::<bool>(), 0..3).prop_map(Shape::ByNumber),
        prop::collection::btree_map(
            prop_oneof![Just(Key::Left), Just(Key::Right)],
            Just(()),
            0..3
        )
        .prop_map(Shape::ByUnit),
        Just(Shape::Marker(Marker)),
        (text(), proptest::option::of(any::<char>())).prop_map(|(a, b)| Shape::Pair(Pair(a, b))),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        (
            any::<f32>(),
            proptest::option::of(any::<i128>()),
            prop::collection::vec(inner, 0..4),
        )
            .prop_map(|(a, b, c)| Shape::Struct { a, b, c })
    })
}

proptest! {
    #[test]
    fn any_value_is_written_as_serde_json_writes_it(v in value()) {
        let ours = compact(&v);
        prop_assert_eq!(&ours, &serde_json::to_vec(&v).unwrap_or_default());
        let expected = serde_json::to_string_pretty(&v).unwrap_or_default();
        prop_assert_eq!(pretty_of(&ours, 0), expected.clone());
        prop_assert_eq!(pretty_of(&ours, 2), indented(&expected, 2));
    }

    #[test]
    fn every_derived_shape_is_written_as_serde_json_writes_it(s in shape()) {
        let ours = compact(&s);
        prop_assert_eq!(&ours, &serde_json::to_vec(&s).unwrap_or_default());
        let expected = serde_json::to_string_pretty(&s).unwrap_or_default();
        prop_assert_eq!(pretty_of(&ours, 1), indented(&expected, 1));
    }
}

#[test]
fn what_serde_json_refuses_is_refused() {
    let by_list: BTreeMap<Vec<u8>, u8> = [(vec![1], 1)].into();
    let mut out = Vec::new();
    assert!(write(&by_list, &mut out).is_err());
    out.clear();
    assert!(write(&f64::NAN, &mut out).is_ok());
    assert_eq!(out, b"null");
}
