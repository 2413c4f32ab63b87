//! Fuzz target: any command line (NUL-separated arguments) must parse or fail cleanly, never panic.
#![no_main]

use std::ffi::OsStr;
use std::os::unix::ffi::OsStrExt;

use libfuzzer_sys::fuzz_target;
use sockscope::cli::Cli;

fuzz_target!(|data: &[u8]| {
    // argv cannot hold NUL, so NUL is the natural separator between arguments.
    let args = std::iter::once(OsStr::new("sockscope"))
        .chain(data.split(|b| *b == 0).map(OsStr::from_bytes));
    if let Err(err) = Cli::parse_args(args) {
        // Rendering is part of what users see; it must not panic either.
        let _ = err.render().to_string();
    }
});
