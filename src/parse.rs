//! Pure value parsers for options and keys: numbers, durations, sizes, escapes, constants and flag lists; none calls libc.

use std::time::Duration;

use crate::text::symbols;

/// The longest wait any option takes: a day.
pub const MAX_SECONDS: f64 = 86_400.0;

/// The shortest wait any option takes: a millisecond, the resolution of poll(2), which the
/// socket subcommands wait with. Anything shorter would round to no wait at all there (and a
/// subnormal such as `1e-320` to a zero Duration everywhere).
pub const MIN_SECONDS: f64 = 0.001;

/// Seconds: `10`, `0.5`; from 0.001 (a millisecond) to 86400 (a day), white space around
/// ignored.
pub fn seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("not a number of seconds: {text}"))?;
    if !(MIN_SECONDS..=MAX_SECONDS).contains(&secs) {
        return Err(format!("seconds must be from 0.001 to 86400, not {text}"));
    }
    Duration::try_from_secs_f64(secs).map_err(|_| format!("not a number of seconds: {text}"))
}

/// Turn `\r\n`-style escapes into bytes, so the lecture's `"GET / HTTP/1.1\r\n"` can be typed
/// as shown. Known: `\r \n \t \0 \\ \xHH`; anything else is an error rather than a guess.
pub fn unescape(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len());
    let mut bytes = text.bytes();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'r') => out.push(b'\r'),
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            Some(b'0') => out.push(0),
            Some(b'\\') => out.push(b'\\'),
            Some(b'x') => {
                let hex: Vec<u8> = bytes.by_ref().take(2).collect();
                let value = std::str::from_utf8(&hex)
                    .ok()
                    .filter(|h| h.len() == 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| "\\x needs two hex digits".to_string())?;
                out.push(value);
            }
            Some(other) => {
                return Err(format!(
                    "unknown escape \\{} (known: \\r \\n \\t \\0 \\\\ \\xHH)",
                    char::from(other)
                ));
            }
            None => return Err("a lone \\ at the end".to_string()),
        }
    }
    Ok(out)
}

/// Byte counts: `4096`, `64K`, `4M`, `1G` (binary multiples); at least 1.
pub fn size(text: &str) -> Result<usize, String> {
    let upper = text.trim().to_ascii_uppercase();
    let (digits, unit) = match upper.trim_end_matches(['B', 'I']).char_indices().last() {
        Some((i, c @ ('K' | 'M' | 'G'))) => (&upper[..i], c),
        _ => (upper.trim_end_matches('B'), ' '),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("not a size: {text} (examples: 4096, 64K, 4M)"))?;
    let scale: usize = match unit {
        'K' => 1 << 10,
        'M' => 1 << 20,
        'G' => 1 << 30,
        _ => 1,
    };
    let size = n
        .checked_mul(scale)
        .ok_or_else(|| format!("size too large: {text}"))?;
    if size == 0 {
        return Err("size must be at least 1".to_string());
    }
    Ok(size)
}

/// A port number 0-65535 in decimal (a leading `+` allowed, as C's strtol takes it).
pub fn port(text: &str) -> Result<u16, String> {
    let digits = text.strip_prefix('+').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        if let Some(rest) = text.strip_prefix('-')
            && !rest.is_empty()
            && rest.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(format!("port must be 0-65535, not {text}"));
        }
        return Err(format!("not a port number: {text}"));
    }
    digits
        .parse::<u16>()
        .map_err(|_| format!("port must be 0-65535, not {text}"))
}

/// A constant of `group` as the user may type it: `inet6`, `AF_INET6`, `af_inet6`, or a number.
pub fn symbol(group: &str, text: &str) -> Result<i64, String> {
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n);
    }
    let upper = text.to_ascii_uppercase();
    let full = if upper.starts_with(group) {
        upper
    } else {
        format!("{group}{upper}")
    };
    symbols::value_of(&full).ok_or_else(|| format!("unknown {group} name: {text}"))
}

/// `symbol` for a value that C takes as an int.
pub fn constant(group: &str, text: &str) -> Result<i32, String> {
    symbol(group, text).and_then(to_i32)
}

fn to_i32(value: i64) -> Result<i32, String> {
    i32::try_from(value).map_err(|_| format!("{value} does not fit in a C int"))
}

/// An address family: unspec, inet, inet6, any AF_ name, or a number.
pub fn family(text: &str) -> Result<i32, String> {
    constant("AF_", text)
}

/// A socket type: stream, dgram, raw, any SOCK_ name, or a number.
pub fn socktype(text: &str) -> Result<i32, String> {
    constant("SOCK_", text)
}

/// `-4` or `-6` where given, else `otherwise`: the shortcuts every family-taking command shares.
pub fn family_shortcut(inet: bool, inet6: bool, otherwise: i32) -> i32 {
    if inet {
        libc::AF_INET
    } else if inet6 {
        libc::AF_INET6
    } else {
        otherwise
    }
}

/// A protocol as typed: an IPPROTO_ name or a number now, any other name is looked up in the
/// protocols database when the call runs (parsing never asks the system).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Protocol {
    Number(i32),
    Name(String),
}

/// A protocol: tcp, udp, any IPPROTO_ name or a number; other names are kept for the database.
pub fn protocol(text: &str) -> Result<Protocol, String> {
    match symbol("IPPROTO_", text) {
        Ok(value) => to_i32(value).map(Protocol::Number),
        Err(_) => Ok(Protocol::Name(text.to_string())),
    }
}

/// Names in a flag group that are not flags: NI_MAXHOST and NI_MAXSERV are buffer sizes,
/// which glibc would meet as EAI_BADFLAGS.
const NOT_FLAGS: &[&str] = &["NI_MAXHOST", "NI_MAXSERV"];

/// A comma-separated list of flags of `group` (AI_, NI_), each a name with or without the
/// prefix, in any case, or a number.
pub fn flags(group: &str, text: &str) -> Result<i32, String> {
    let mut flags: i64 = 0;
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(format!("empty flag in {text:?}"));
        }
        let upper = part.to_ascii_uppercase();
        let name = if upper.starts_with(group) {
            upper
        } else {
            format!("{group}{upper}")
        };
        if NOT_FLAGS.contains(&name.as_str()) {
            return Err(format!(
                "{name} is a buffer size, not a flag: try namereqd, nofqdn, numerichost, \
                 numericserv or dgram"
            ));
        }
        flags |= match (group, name.as_str()) {
            // glibc's extensions, which CPython's module does not export.
            ("AI_", "AI_IDN") => i64::from(crate::sys::AI_IDN),
            ("AI_", "AI_CANONIDN") => i64::from(crate::sys::AI_CANONIDN),
            _ => symbol(group, part)?,
        };
    }
    to_i32(flags)
}

/// An integer option as typed, kept whole even where it does not fit a C int (Python raises
/// OverflowError for such a value only when it makes the call); anything else as `parse`
/// reads it.
pub fn whole(text: &str, parse: fn(&str) -> Result<i32, String>) -> Result<i128, String> {
    match text.trim().parse::<i128>() {
        Ok(value) => Ok(value),
        Err(_) => parse(text).map(i128::from),
    }
}

/// An address family, any integer kept whole.
pub fn family_whole(text: &str) -> Result<i128, String> {
    whole(text, family)
}

/// A socket type, any integer kept whole.
pub fn socktype_whole(text: &str) -> Result<i128, String> {
    whole(text, socktype)
}

/// AI_ flags, any integer kept whole.
pub fn ai_flags_whole(text: &str) -> Result<i128, String> {
    whole(text, ai_flags)
}

/// NI_ flags, any integer kept whole.
pub fn ni_flags_whole(text: &str) -> Result<i128, String> {
    whole(text, ni_flags)
}

/// getaddrinfo's AI_ flags.
pub fn ai_flags(text: &str) -> Result<i32, String> {
    flags("AI_", text)
}

/// getnameinfo's NI_ flags, spelled like the AI_ flags.
pub fn ni_flags(text: &str) -> Result<i32, String> {
    flags("NI_", text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lecture_request_unescapes() {
        assert_eq!(
            unescape(r"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap(),
            b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"
        );
        assert_eq!(unescape(r"a\x41\\\t\0").unwrap(), b"aA\\\t\0");
        assert!(unescape(r"\q").is_err());
        assert!(unescape(r"\x4").is_err());
        assert!(unescape("end\\").is_err());
    }

    #[test]
    fn ni_buffer_sizes_are_not_flags() {
        for size in ["maxhost", "NI_MAXSERV", "ni_maxhost"] {
            let err = ni_flags(size).unwrap_err();
            assert!(err.contains("is a buffer size"), "{err}");
        }
        assert_eq!(
            ni_flags("namereqd,dgram"),
            Ok(libc::NI_NAMEREQD | libc::NI_DGRAM)
        );
    }

    #[test]
    fn flags_parse_case_insensitively_with_or_without_prefix() {
        assert_eq!(
            ai_flags("canonname,AI_PASSIVE"),
            Ok(libc::AI_CANONNAME | libc::AI_PASSIVE)
        );
        assert_eq!(
            ai_flags("V4MAPPED,all"),
            Ok(libc::AI_V4MAPPED | libc::AI_ALL)
        );
        assert!(ai_flags("canonname,,all").is_err());
        assert_eq!(
            ai_flags("idn,CanonIDN,ai_idn"),
            Ok(crate::sys::AI_IDN | crate::sys::AI_CANONIDN)
        );
        assert!(ai_flags("bogus").is_err());
        assert_eq!(ni_flags("NumericHost"), Ok(libc::NI_NUMERICHOST));
        assert_eq!(ni_flags("3"), Ok(3));
        assert!(ni_flags("canonname").is_err());
        assert!(ni_flags("nofqdn,").is_err());
    }

    #[test]
    fn seconds_are_positive_and_at_most_a_day() {
        assert_eq!(seconds("2"), Ok(Duration::from_secs(2)));
        assert_eq!(seconds(" 0.5 "), Ok(Duration::from_millis(500)));
        assert_eq!(seconds("86400"), Ok(Duration::from_secs(86_400)));
        assert_eq!(seconds("0.001"), Ok(Duration::from_millis(1)));
        assert_eq!(seconds("1e-3"), Ok(Duration::from_millis(1)));
        for bad in [
            "0", "-1", "nan", "inf", "1e300", "", "two", "0x10", "86401", "1e-320", "1e-10",
            "0.0009", "-0", "5e-324",
        ] {
            assert!(seconds(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sizes_take_binary_suffixes() {
        assert_eq!(size("4096"), Ok(4096));
        assert_eq!(size("64K"), Ok(65536));
        assert_eq!(size("4MiB"), Ok(4 << 20));
        assert_eq!(size("1g"), Ok(1 << 30));
        assert!(size("0").is_err());
        assert!(size("x").is_err());
    }

    #[test]
    fn ports_are_checked() {
        assert_eq!(port("0"), Ok(0));
        assert_eq!(port("+80"), Ok(80));
        assert_eq!(port("65535"), Ok(65535));
        assert!(port("65536").is_err());
        assert!(port("-1").unwrap_err().contains("0-65535"));
        assert!(port("abc").unwrap_err().contains("not a port"));
        assert!(port("").is_err());
    }

    #[test]
    fn symbols_parse_with_or_without_prefix() {
        assert_eq!(symbol("AF_", "inet6"), Ok(i64::from(libc::AF_INET6)));
        assert_eq!(symbol("AF_", "AF_INET"), Ok(i64::from(libc::AF_INET)));
        assert_eq!(symbol("AF_", "42"), Ok(42));
        assert!(symbol("AF_", "bogus").is_err());
        assert!(constant("AF_", "4294967296").is_err());
    }

    #[test]
    fn protocols_are_names_or_numbers_without_asking_the_system() {
        assert_eq!(protocol("tcp"), Ok(Protocol::Number(libc::IPPROTO_TCP)));
        assert_eq!(protocol("17"), Ok(Protocol::Number(libc::IPPROTO_UDP)));
        assert_eq!(
            protocol("ipv6-icmp"),
            Ok(Protocol::Name("ipv6-icmp".to_string()))
        );
    }
}
