//! How the process starts: the libraries it loads, and the standard descriptors it is given.

use crate::common::{bin, sh};

/// The shared libraries the binary asks the dynamic loader for (its DT_NEEDED entries).
fn needed_libraries() -> Vec<String> {
    let out = std::process::Command::new("readelf")
        .arg("--dynamic")
        .arg(bin())
        .output()
        .expect("readelf (binutils) runs");
    assert!(out.status.success(), "readelf failed: {out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|line| line.contains("(NEEDED)"))
        .filter_map(|line| {
            let start = line.find('[')? + 1;
            let end = line.rfind(']')?;
            Some(line[start..end].to_string())
        })
        .collect()
}

/// Every library costs time at every start: the math library and the shared unwinder are not
/// loaded (their few functions are in the binary), only the C library.
#[test]
fn the_binary_loads_only_the_c_library() {
    let needed = needed_libraries();
    assert!(
        needed.iter().any(|lib| lib.starts_with("libc.so")),
        "{needed:?}"
    );
    for lib in &needed {
        assert!(
            lib.starts_with("libc.so") || lib.starts_with("ld-linux"),
            "the binary needs {lib}: {needed:?}"
        );
    }
}

/// A panic still unwinds with the unwinder linked in: `serve` reports a panicked writer thread
/// by catching it. The library's own test of that runs in the test binary; this one checks the
/// binary has the unwinder's entry points itself rather than from libgcc_s.
#[test]
fn the_binary_carries_its_unwinder() {
    let out = std::process::Command::new("nm")
        .arg("--defined-only")
        .arg(bin())
        .output()
        .expect("nm (binutils) runs");
    let symbols = String::from_utf8_lossy(&out.stdout);
    for symbol in ["_Unwind_RaiseException", "_Unwind_Resume", "pow", "log2"] {
        assert!(
            symbols.lines().any(|l| l.ends_with(&format!(" {symbol}"))),
            "{symbol} is not defined in the binary"
        );
    }
}

/// Closed standard input or error (`<&-`, `2>&-`) change nothing: /dev/null stands in for
/// them, so no file or socket the run opens takes their numbers.
#[test]
fn closed_stdin_and_stderr_are_harmless() {
    let out = sh(r#""$1" servbyname ssh --format plain <&- 2>&-"#);
    assert_eq!(out.code, 0, "{out:?}");
    assert!(out.stdout.ends_with("\t22\ttcp\n"), "{out:?}");
    // A failure's code survives a closed stderr, where its line cannot go.
    assert_eq!(sh(r#""$1" servbyname no-such-service 2>&-"#).code, 1);
    // A batch from a closed stdin reads nothing, and says so only through its code.
    let batch = sh(r#""$1" servbyname - --json <&-"#);
    assert_eq!(batch.stdout.trim(), "[]", "{batch:?}");
}
