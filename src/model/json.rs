//! JSON strings as records write them: escaped exactly as serde_json escapes them, quickly where nothing needs it.

/// Appends `text` as a JSON string: a control character as its short escape (`\n`) or
/// `\u00XX`, `"` and `\` after a backslash, every other character as it is (DEL and non-ASCII
/// too), as serde_json writes it.
#[inline(always)]
pub fn write_str(out: &mut Vec<u8>, text: &str) {
    let bytes = text.as_bytes();
    if needs_escape(bytes) {
        return write_escaped(out, bytes);
    }
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(bytes);
    out.push(b'"');
}

/// Appends `text` as a JSON string, or `null`.
#[inline]
pub fn write_opt_str(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        Some(text) => write_str(out, text),
        None => out.extend_from_slice(b"null"),
    }
}

/// An address as inet_ntop writes it, for a record's `#[serde(serialize_with)]`: records keep
/// the address itself and make its text only where it is shown.
pub fn serialize_ntop<S: serde::Serializer>(
    address: &std::net::IpAddr,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&crate::sys::netdb::ntop(address))
}

/// Appends an address as a JSON string of inet_ntop's text, which has nothing JSON escapes.
#[inline]
pub fn write_ntop(out: &mut Vec<u8>, address: &std::net::IpAddr) {
    out.push(b'"');
    crate::sys::netdb::push_ntop(out, address);
    out.push(b'"');
}

/// Appends an integer as JSON writes it.
#[inline]
pub fn write_int(out: &mut Vec<u8>, number: impl itoa::Integer) {
    out.extend_from_slice(itoa::Buffer::new().format(number).as_bytes());
}

/// Appends the milliseconds in `micros` microseconds as serde_json writes the f64
/// `micros as f64 / 1000.0`: its shortest decimal that reads back as the same f64, which is
/// the quotient's own digits (`5.0`, `0.25`, `1.003`) while a thousandth is more than the
/// f64's step (below 2^52 thousandths); serde_json writes what is beyond.
pub fn write_millis(out: &mut Vec<u8>, micros: u128) {
    const DIRECT: u128 = 1 << 52;
    if micros >= DIRECT {
        let millis = micros as f64 / 1000.0;
        let text = serde_json::to_string(&millis).unwrap_or_else(|_| "null".to_string());
        return out.extend_from_slice(text.as_bytes());
    }
    write_int(out, micros / 1000);
    let fraction = (micros % 1000) as u16;
    let digits = [
        b'.',
        b'0' + (fraction / 100) as u8,
        b'0' + (fraction / 10 % 10) as u8,
        b'0' + (fraction % 10) as u8,
    ];
    // At least one digit after the point, and no trailing zero after the first.
    let len = if fraction.is_multiple_of(100) {
        2
    } else if fraction.is_multiple_of(10) {
        3
    } else {
        4
    };
    out.extend_from_slice(&digits[..len]);
}

/// Whether any byte needs an escape, eight bytes at a time (the last word overlapping the one
/// before it): most strings are a word or two of plain ASCII.
#[inline]
fn needs_escape(bytes: &[u8]) -> bool {
    let len = bytes.len();
    if len < 4 {
        return bytes.iter().any(|&byte| ESCAPE[usize::from(byte)] != 0);
    }
    if len < 8 {
        let low = u32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
        let high = u32::from_le_bytes([
            bytes[len - 4],
            bytes[len - 3],
            bytes[len - 2],
            bytes[len - 1],
        ]);
        return special(u64::from(low) | u64::from(high) << 32);
    }
    let word = |at: usize| {
        let mut word = [0; 8];
        word.copy_from_slice(&bytes[at..at + 8]);
        u64::from_le_bytes(word)
    };
    let mut at = 0;
    while at + 8 <= len {
        if special(word(at)) {
            return true;
        }
        at += 8;
    }
    at < len && special(word(len - 8))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Whether any byte of `word` is below 0x20, `"` or `\` (the classic tests for a byte below n,
/// exact for n up to 128, and for a zero byte after an exclusive or).
#[inline]
fn special(word: u64) -> bool {
    let below = |word: u64, n: u64| word.wrapping_sub(ONES * n) & !word & HIGHS;
    let zero = |word: u64| below(word, 1);
    (below(word, 0x20)
        | zero(word ^ (ONES * u64::from(b'"')))
        | zero(word ^ (ONES * u64::from(b'\\'))))
        != 0
}

/// `write_str` for a string with something to escape, a run of plain bytes at a time.
#[cold]
#[inline(never)]
fn write_escaped(out: &mut Vec<u8>, bytes: &[u8]) {
    out.reserve(bytes.len() + 8);
    out.push(b'"');
    let mut run = 0;
    for (i, &byte) in bytes.iter().enumerate() {
        let escape = ESCAPE[usize::from(byte)];
        if escape == 0 {
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        if escape == b'u' {
            let hex = b"0123456789abcdef";
            let (high, low) = (hex[usize::from(byte >> 4)], hex[usize::from(byte & 0xf)]);
            out.extend_from_slice(&[b'\\', b'u', b'0', b'0', high, low]);
        } else {
            out.extend_from_slice(&[b'\\', escape]);
        }
        run = i + 1;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// For each byte, the letter after the backslash of its escape, or 0 where it stands as is.
static ESCAPE: [u8; 256] = {
    let mut table = [0; 256];
    let mut byte = 0;
    while byte < 0x20 {
        table[byte] = b'u';
        byte += 1;
    }
    table[0x08] = b'b';
    table[0x09] = b't';
    table[0x0a] = b'n';
    table[0x0c] = b'f';
    table[0x0d] = b'r';
    table[b'"' as usize] = b'"';
    table[b'\\' as usize] = b'\\';
    table
};

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::write_str;

    fn ours(text: &str) -> Vec<u8> {
        let mut out = b"x".to_vec();
        write_str(&mut out, text);
        out.split_off(1)
    }

    fn serde_json_s(text: &str) -> Vec<u8> {
        serde_json::to_vec(text).unwrap_or_default()
    }

    /// Every ASCII byte and a few others, at every place in strings of every length the word
    /// test treats differently (under 4 bytes, under 8, whole words, an overlapping last word).
    #[test]
    fn each_character_at_each_place_is_escaped_as_serde_json_escapes_it() {
        let others = [
            '\u{7f}',
            '\u{80}',
            '\u{a0}',
            '\u{2028}',
            '\u{fffd}',
            '\u{1f600}',
        ];
        let characters = (0..0x80u8).map(char::from).chain(others);
        for ch in characters {
            for len in 1..=20 {
                for at in 0..len {
                    let text: String = (0..len).map(|i| if i == at { ch } else { 'a' }).collect();
                    assert_eq!(ours(&text), serde_json_s(&text), "{text:?}");
                }
            }
        }
    }

    fn millis(micros: u128) -> (String, String) {
        let mut ours = Vec::new();
        super::write_millis(&mut ours, micros);
        let theirs = serde_json::to_string(&(micros as f64 / 1000.0)).unwrap_or_default();
        (String::from_utf8(ours).unwrap_or_default(), theirs)
    }

    #[test]
    fn milliseconds_are_written_as_serde_json_writes_the_float() {
        let edges = [
            (1u128 << 52) - 1,
            1 << 52,
            (1 << 52) + 1,
            u128::from(u64::MAX),
            u128::MAX,
        ];
        for micros in (0..200_000).chain(edges) {
            let (ours, theirs) = millis(micros);
            assert_eq!(ours, theirs, "{micros}");
        }
    }

    proptest! {
        #[test]
        fn any_milliseconds_are_written_as_serde_json_writes_the_float(
            micros in prop_oneof![0u128..1 << 40, 0u128..1 << 60, any::<u128>()]
        ) {
            let (ours, theirs) = millis(micros);
            prop_assert_eq!(ours, theirs);
        }

        #[test]
        fn any_string_is_escaped_as_serde_json_escapes_it(text in any::<String>()) {
            prop_assert_eq!(ours(&text), serde_json_s(&text));
        }

        #[test]
        fn strings_of_controls_and_quotes_are_escaped_as_serde_json_escapes_them(
            chars in prop::collection::vec(prop_oneof![
                3 => (0u8..0x80).prop_map(char::from),
                1 => any::<char>(),
            ], 0..40)
        ) {
            let text: String = chars.into_iter().collect();
            prop_assert_eq!(ours(&text), serde_json_s(&text));
        }
    }
}
