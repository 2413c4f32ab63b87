//! Fuzz target: the batch reader splits any bytes into keys within its caps, never panics, and
//! the `HOST SERVICE` splitter takes any key.
#![no_main]

use std::ffi::OsStr;
use std::io::{BufReader, Cursor};
use std::os::unix::ffi::OsStrExt;

use libfuzzer_sys::fuzz_target;
use sockscope::batch::keys::{self, Key, MAX_LINE, SHOWN_OF_LONG_LINE};
use sockscope::validate;

fuzz_target!(|data: &[u8]| {
    let Some((&first, input)) = data.split_first() else {
        return;
    };
    // Small buffers make every line cross buffer boundaries.
    let capacity = usize::from(first % 16) + 1;
    let newlines = input.iter().filter(|&&b| b == b'\n').count();
    let mut count = 0;
    for key in keys::lines(BufReader::with_capacity(capacity, Cursor::new(input))) {
        let Ok(key) = key else {
            panic!("reading memory cannot fail");
        };
        count += 1;
        match key {
            Key::Text(text) => {
                let bytes = text.as_bytes();
                assert!(!bytes.is_empty() && bytes.len() <= MAX_LINE);
                assert!(!bytes.contains(&b'\n'));
                assert_eq!(bytes, bytes.trim_ascii());
                assert!(!bytes.starts_with(b"#"));
                let _ = validate::host_and_service(&text, "HOST SERVICE");
            }
            Key::TooLong(start) => assert!(start.len() <= SHOWN_OF_LONG_LINE),
        }
    }
    assert!(count <= newlines + 1);

    // The capped reader with a tiny cap: it keeps at most the cap and counts every byte.
    let cap = usize::from(first % 8);
    let mut reader = BufReader::with_capacity(capacity, Cursor::new(input));
    let mut line = Vec::new();
    let mut total = 0;
    let mut lines = 0;
    while let Ok(Some(len)) = keys::read_capped(&mut reader, &mut line, cap) {
        assert!(line.len() <= cap && line.len() <= len);
        total += len;
        lines += 1;
    }
    // Every byte was a line's byte or one of the newlines between them.
    assert_eq!(total + newlines, input.len());
    assert!(lines >= newlines);

    let _ = validate::host_and_service(OsStr::from_bytes(input), "HOST SERVICE");
});
