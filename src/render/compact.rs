//! Compact JSON written straight into a byte buffer, serde_json's bytes for a fraction of its instructions.
//!
//! serde_json writes every key and every string through its escaping loop and its `io::Write`
//! layer, a few hundred instructions a field; a batch of addresses spends more on that than on
//! its lookups. This writer appends to a `Vec` with a run-at-a-time escape, for the shapes
//! records take (structs, sequences, options, strings, numbers, string-keyed maps, enums).
//! Anything else it leaves to serde_json, which then writes the whole value, so the bytes are
//! always serde_json's (the property tests below hold the two side by side).

use serde::Serialize;
use serde::ser::{self, Serializer};

use crate::model::json::write_str;

/// Appends `value` as compact JSON, byte for byte what `serde_json::to_writer` writes.
pub fn write<T: Serialize + ?Sized>(value: &T, out: &mut Vec<u8>) -> serde_json::Result<()> {
    let start = out.len();
    if value.serialize(&mut Writer { out, key: false }).is_ok() {
        return Ok(());
    }
    out.truncate(start);
    serde_json::to_writer(out, value)
}

/// Why the writer stopped: a shape it leaves to serde_json, or an error a value's own
/// `Serialize` raised (which serde_json then raises again).
#[derive(Debug)]
struct Declined;

impl std::fmt::Display for Declined {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("left to serde_json")
    }
}

impl std::error::Error for Declined {}

impl ser::Error for Declined {
    fn custom<T: std::fmt::Display>(_: T) -> Self {
        Declined
    }
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
    /// Writing a map's key, which serde_json takes only as a string (or quotes, or refuses:
    /// those it is left to do).
    key: bool,
}

impl<'a> Writer<'a> {
    /// Fails where serde_json would treat a key differently from a value.
    fn value(&self) -> Result<(), Declined> {
        if self.key { Err(Declined) } else { Ok(()) }
    }

    fn raw(&mut self, bytes: &[u8]) -> Result<(), Declined> {
        self.value()?;
        self.out.extend_from_slice(bytes);
        Ok(())
    }

    fn integer(&mut self, number: impl itoa::Integer) -> Result<(), Declined> {
        self.raw(itoa::Buffer::new().format(number).as_bytes())
    }

    /// Floats are serde_json's own (its shortest round-trip digits, `null` for NaN and the
    /// infinities): it writes them as cheaply as anything would.
    fn float(&mut self, number: impl Serialize) -> Result<(), Declined> {
        self.value()?;
        serde_json::to_writer(&mut *self.out, &number).map_err(|_| Declined)
    }

    /// `{"variant":` before a variant's content; `close` adds the `}`.
    fn open_variant(&mut self, variant: &str) -> Result<(), Declined> {
        self.value()?;
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        Ok(())
    }

    fn open<'w>(&'w mut self, bracket: u8, close: &'static [u8]) -> Compound<'w, 'a> {
        self.out.push(bracket);
        Compound {
            writer: self,
            first: true,
            close,
        }
    }
}

/// A sequence, map or struct being written: its separators, then its closing bytes.
struct Compound<'w, 'a> {
    writer: &'w mut Writer<'a>,
    first: bool,
    close: &'static [u8],
}

impl Compound<'_, '_> {
    fn separate(&mut self) {
        if !self.first {
            self.writer.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Declined> {
        self.separate();
        write_str(self.writer.out, key);
        self.writer.out.push(b':');
        value.serialize(&mut *self.writer)
    }

    fn close(self) -> Result<(), Declined> {
        self.writer.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl<'w, 'a> Serializer for &'w mut Writer<'a> {
    type Ok = ();
    type Error = Declined;
    type SerializeSeq = Compound<'w, 'a>;
    type SerializeTuple = Compound<'w, 'a>;
    type SerializeTupleStruct = Compound<'w, 'a>;
    type SerializeTupleVariant = Compound<'w, 'a>;
    type SerializeMap = Compound<'w, 'a>;
    type SerializeStruct = Compound<'w, 'a>;
    type SerializeStructVariant = Compound<'w, 'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Declined> {
        self.raw(if v { b"true" } else { b"false" })
    }
    fn serialize_i8(self, v: i8) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Declined> {
        self.integer(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Declined> {
        self.float(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Declined> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Declined> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Declined> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<(), Declined> {
        Err(Declined)
    }
    fn serialize_none(self) -> Result<(), Declined> {
        self.raw(b"null")
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Declined> {
        self.value()?;
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Declined> {
        self.raw(b"null")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Declined> {
        self.raw(b"null")
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Declined> {
        write_str(self.out, variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.open_variant(variant)?;
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'w, 'a>, Declined> {
        self.value()?;
        Ok(self.open(b'[', b"]"))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'w, 'a>, Declined> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'a>, Declined> {
        self.serialize_seq(None)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'a>, Declined> {
        self.open_variant(variant)?;
        Ok(self.open(b'[', b"]}"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'w, 'a>, Declined> {
        self.value()?;
        Ok(self.open(b'{', b"}"))
    }
    fn serialize_struct(self, name: &'static str, _: usize) -> Result<Compound<'w, 'a>, Declined> {
        // serde_json's own markers (RawValue, arbitrary-precision numbers) are structs so named.
        if name.starts_with('$') {
            return Err(Declined);
        }
        self.serialize_map(None)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'w, 'a>, Declined> {
        self.open_variant(variant)?;
        Ok(self.open(b'{', b"}}"))
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        self.element(value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Declined> {
        self.separate();
        self.writer.key = true;
        let written = key.serialize(&mut *self.writer);
        self.writer.key = false;
        written?;
        self.writer.out.push(b':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Declined> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Declined;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Declined> {
        self.field(key, value)
    }
    fn end(self) -> Result<(), Declined> {
        self.close()
    }
}

/// Appends the pretty form of `compact` (compact JSON as `write` makes it) as
/// `serde_json::to_string_pretty` writes the same value, with every line after the first
/// indented `indent` levels more.
pub fn pretty(compact: &[u8], indent: usize, out: &mut Vec<u8>) {
    let mut depth = indent;
    let newline = |out: &mut Vec<u8>, depth: usize| {
        out.push(b'\n');
        for _ in 0..depth {
            out.extend_from_slice(b"  ");
        }
    };
    let mut i = 0;
    while let Some(&byte) = compact.get(i) {
        match byte {
            b'"' => {
                let end = string_end(compact, i);
                out.extend_from_slice(&compact[i..end]);
                i = end;
                continue;
            }
            b'{' | b'[' if matches!(compact.get(i + 1), Some(b'}' | b']')) => {
                out.extend_from_slice(&compact[i..i + 2]);
                i += 2;
                continue;
            }
            b'{' | b'[' => {
                out.push(byte);
                depth += 1;
                newline(out, depth);
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(out, depth);
                out.push(byte);
            }
            b',' => {
                out.push(b',');
                newline(out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(byte),
        }
        i += 1;
    }
}

/// Where the JSON string opening at `start` ends (just past its closing quote).
fn string_end(json: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while let Some(&byte) = json.get(i) {
        match byte {
            b'"' => return i + 1,
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
    json.len()
}

#[cfg(test)]
#[path = "compact_tests.rs"]
mod tests;
