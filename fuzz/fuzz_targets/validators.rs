//! Fuzz target: the name, port and service validators and the stderr line sanitiser hold their promises.
#![no_main]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use libfuzzer_sys::fuzz_target;
use sockscope::text::printable;
use sockscope::validate;

fuzz_target!(|data: &[u8]| {
    let key = OsStr::from_bytes(data);
    if let Ok(name) = validate::host(key) {
        // What passes must be what DNS can carry: the checks the validator promises, on the
        // name Python's idna codec made, which is ASCII.
        assert!(name.is_ascii());
        assert!(!name.contains('\0'));
        let bare = name.strip_suffix('.').unwrap_or(&name);
        assert!(bare.len() <= validate::MAX_NAME);
        assert!(
            bare.split('.')
                .all(|label| !label.is_empty() && label.len() <= validate::MAX_LABEL)
        );
    }
    let _ = validate::service(key);
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(port) = validate::port(text) {
        assert_eq!(text.strip_prefix('+').unwrap_or(text).parse::<u16>(), Ok(port));
    }
    let line = printable(text, 200);
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(line.chars().count() <= 200 + 40);
});
