//! Small conversions the socket subcommands share: escapes in typed text, sizes, durations, errno names of I/O errors.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use crate::model::Failure;
use crate::sys::SysError;

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

/// A clap parser for seconds: `10`, `0.5`; more than zero, at most a day.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let secs: f64 = text
        .parse()
        .map_err(|_| format!("not a number of seconds: {text}"))?;
    if !(secs > 0.0 && secs <= 86_400.0) {
        return Err(format!(
            "seconds must be more than 0 and at most 86400, not {text}"
        ));
    }
    Ok(Duration::from_secs_f64(secs))
}

/// A clap parser for byte counts: `4096`, `64K`, `4M`, `1G` (binary multiples); at least 1.
pub fn parse_size(text: &str) -> Result<usize, String> {
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

/// The errno behind an I/O error. std reports its own connect timeout and a read that hit
/// SO_RCVTIMEO without naming ETIMEDOUT, so those are named here.
pub fn errno_of(err: &io::Error) -> i32 {
    match err.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => libc::ETIMEDOUT,
        _ => err.raw_os_error().unwrap_or(libc::EIO),
    }
}

/// An I/O error as the errno it stands for, so decisions can match on the errno itself.
pub fn sys_error_of(err: &io::Error) -> SysError {
    SysError::Errno(errno_of(err))
}

/// An I/O error as sockscope reports failures: errno name, strerror text, documented exit code.
/// A timeout is exit 3 (retrying may help); every other errno is exit 4.
pub fn failure_of(err: &io::Error) -> Failure {
    Failure::from(sys_error_of(err))
}

/// An address as a person types it: `127.0.0.1:80`, `[::1]:80`.
pub fn show_addr(addr: &SocketAddr) -> String {
    addr.to_string()
}

/// Milliseconds with microsecond precision, for the `*_ms` fields.
pub fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1_000_000.0).round() / 1000.0
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
    fn sizes_and_seconds_parse() {
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("64K"), Ok(65536));
        assert_eq!(parse_size("4MiB"), Ok(4 << 20));
        assert_eq!(parse_size("1g"), Ok(1 << 30));
        assert!(parse_size("0").is_err());
        assert!(parse_size("x").is_err());
        assert_eq!(parse_seconds("0.5"), Ok(Duration::from_millis(500)));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("nan").is_err());
    }

    #[test]
    fn timeouts_are_temporary_and_named() {
        let err = io::Error::new(io::ErrorKind::TimedOut, "connection timed out");
        let failure = failure_of(&err);
        assert_eq!(failure.code(), "ETIMEDOUT");
        assert_eq!(failure.outcome(), crate::model::Outcome::Temporary);
        let refused = failure_of(&io::Error::from_raw_os_error(libc::ECONNREFUSED));
        assert_eq!(refused.code(), "ECONNREFUSED");
        assert_eq!(refused.outcome(), crate::model::Outcome::System);
    }
}
