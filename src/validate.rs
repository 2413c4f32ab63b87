//! Checks on user keys before they reach libc, so bad input gets a precise message, not a resolver guess.

use std::borrow::Cow;
use std::ffi::OsStr;

use crate::model::Failure;
use crate::text::idna;

/// The longest host name DNS can carry in text form, without the trailing dot.
pub const MAX_NAME: usize = 253;
/// The longest label between dots.
pub const MAX_LABEL: usize = 63;

/// The key as text for messages and the `query` field, even when it is not valid UTF-8.
pub fn display(key: &OsStr) -> String {
    // UTF-8 checked the quick way first: to_string_lossy walks the key in chunks even when
    // nothing in it needs replacing, and every batch key comes through here.
    match key.to_str() {
        Some(text) => text.to_owned(),
        None => key.to_string_lossy().into_owned(),
    }
}

/// A key as UTF-8 text with no NUL byte and not empty; `what` names it in the message.
pub fn text<'a>(key: &'a OsStr, what: &str) -> Result<&'a str, Failure> {
    let text = key
        .to_str()
        .ok_or_else(|| Failure::invalid(format!("{what} is not valid UTF-8")))?;
    if text.contains('\0') {
        return Err(Failure::invalid(format!("{what} contains a NUL byte")));
    }
    if text.is_empty() {
        return Err(Failure::invalid(format!("empty {what}")));
    }
    Ok(text)
}

/// A host name or numeric address as libc is given it: encoded with Python's idna codec, as
/// CPython encodes every str host, then checked against DNS's length limits, which apply to
/// what is sent. The codec itself refuses empty labels and labels over 63 encoded bytes.
pub fn host(key: &OsStr) -> Result<Cow<'_, str>, Failure> {
    let typed = text(key, "host name")?;
    let name = idna::encode(typed).map_err(|err| Failure::unencodable(err.to_string()))?;
    let bare = name.strip_suffix('.').unwrap_or(&name);
    if bare.len() > MAX_NAME {
        let encoded = if name == typed { "" } else { " once encoded" };
        return Err(Failure::invalid(format!(
            "name too long{encoded} ({} > {MAX_NAME} bytes)",
            bare.len()
        )));
    }
    debug_assert!(bare.split('.').all(|l| l.len() <= MAX_LABEL));
    Ok(name)
}

/// The name Python's idna codec makes of a host, where it differs from the host as typed:
/// what `--explain` shows libc being given.
pub fn encoded_host(typed: &str) -> Option<String> {
    idna::encode(typed)
        .ok()
        .filter(|name| name != typed)
        .map(Cow::into_owned)
}

/// The spellings CPython's `setipaddr` takes as INADDR_BROADCAST without any call.
pub fn is_broadcast(name: &str) -> bool {
    name == "<broadcast>" || name == "255.255.255.255"
}

/// Split a `HOST [SERVICE]` (or `ADDRESS [PORT]`) line of batch input; the second word is
/// `None` when the line has only one. A third word is bad input rather than dropped unseen;
/// `what` names the two fields in its message.
pub fn host_and_service<'a>(
    line: &'a OsStr,
    what: &str,
) -> Result<(&'a OsStr, Option<&'a OsStr>), Failure> {
    use std::os::unix::ffi::OsStrExt;
    let bytes = line.as_bytes();
    let mut parts = bytes
        .split(|b| b.is_ascii_whitespace())
        .filter(|part| !part.is_empty());
    let host = OsStr::from_bytes(parts.next().unwrap_or_default());
    let service = parts.next().map(OsStr::from_bytes);
    let extra = parts.count();
    if extra > 0 {
        return Err(Failure::invalid(format!(
            "a line has at most two fields ({what}), not {}",
            extra + 2
        )));
    }
    Ok((host, service))
}

/// A port number 0-65535 in decimal.
pub fn port(text: &str) -> Result<u16, Failure> {
    crate::parse::port(text).map_err(Failure::invalid)
}

/// A getaddrinfo service: a name is passed on as it is, a number must be a real port
/// (glibc would quietly wrap 70000 to 4464).
pub fn service(key: &OsStr) -> Result<&str, Failure> {
    let service = text(key, "service")?;
    let unsigned = service.trim_start_matches(['-', '+']);
    let looks_numeric = !unsigned.is_empty() && unsigned.bytes().all(|b| b.is_ascii_digit());
    if looks_numeric {
        port(service)?;
    }
    Ok(service)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> &OsStr {
        OsStr::new(s)
    }

    #[test]
    fn host_limits_are_exact() {
        let label63 = "a".repeat(63);
        let name253 = format!("{label63}.{label63}.{label63}.{}", "b".repeat(61));
        assert_eq!(name253.len(), 253);
        assert!(host(os(&name253)).is_ok());
        assert!(host(os(&format!("{name253}."))).is_ok());
        let err = host(os(&format!("{name253}b"))).unwrap_err();
        assert_eq!(err.message(), "name too long (254 > 253 bytes)");
        let err = host(os(&"a".repeat(64))).unwrap_err();
        assert_eq!(
            err.python_exception(),
            "UnicodeError: encoding with 'idna' codec failed (UnicodeError: label too long)"
        );
        let err = host(os("a..b")).unwrap_err();
        assert!(err.is_invalid());
        assert!(err.message().ends_with("label empty or too long"));
        assert!(host(os("")).is_err());
        assert!(host(os("a\0b")).is_err());
        assert!(host(os("::1")).is_ok());
    }

    #[test]
    fn hosts_are_encoded_before_the_limits_apply() {
        assert_eq!(host(os("ｌｏｃａｌｈｏｓｔ")).unwrap(), "localhost");
        assert_eq!(
            host(os("испытание.example")).unwrap(),
            "xn--80akhbyknj4f.example"
        );
        assert_eq!(host(os("a\u{AD}b\u{200B}c.")).unwrap(), "abc.");
        // 63 characters, but 67 bytes once encoded: Python refuses the label.
        let err = host(os(&format!("ü{}", "a".repeat(62)))).unwrap_err();
        assert!(err.message().ends_with("label empty or too long"));
        // 234 characters typed, 269 bytes encoded.
        let name = vec![format!("ü{}", "a".repeat(45)); 5].join(".");
        assert_eq!(name.chars().count(), 234);
        let err = host(os(&name)).unwrap_err();
        assert!(
            err.message().starts_with("name too long once encoded"),
            "{}",
            err.message()
        );
        assert_eq!(
            encoded_host("ｌｏｃａｌｈｏｓｔ").as_deref(),
            Some("localhost")
        );
        assert_eq!(encoded_host("localhost"), None);
        assert_eq!(encoded_host("a..b"), None);
    }

    #[test]
    fn ports_are_checked() {
        assert_eq!(port("0"), Ok(0));
        assert_eq!(port("65535"), Ok(65535));
        assert!(port("65536").is_err());
        assert!(port("-1").unwrap_err().message().contains("0-65535"));
        assert!(port("abc").unwrap_err().message().contains("not a port"));
        assert!(port("").is_err());
    }

    #[test]
    fn numeric_services_must_be_ports() {
        assert!(service(os("http")).is_ok());
        assert!(service(os("80")).is_ok());
        assert!(service(os("70000")).is_err());
        assert!(service(os("-1")).is_err());
        assert!(service(os("3com-tsmux")).is_ok());
    }

    #[cfg(unix)]
    #[test]
    fn invalid_utf8_is_caught() {
        use std::os::unix::ffi::OsStrExt;
        let err = host(OsStr::from_bytes(b"\xff.example")).unwrap_err();
        assert!(err.is_invalid());
    }
}
