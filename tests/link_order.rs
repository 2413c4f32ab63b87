//! The release binary's hot-code order: build/hot-symbols.txt is a list the linker can read, and the build script offers it to the linkers that take it only.

use std::path::Path;

#[allow(dead_code)]
#[path = "../build/order.rs"]
mod order;

#[test]
fn the_list_is_one_symbol_a_line_with_the_batch_path_first() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("build/hot-symbols.txt");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let symbols: Vec<&str> = text
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .collect();
    assert!(symbols.len() >= 30, "only {} symbols", symbols.len());
    for symbol in &symbols {
        assert!(
            !symbol.contains(char::is_whitespace) && !symbol.starts_with("0x"),
            "not a symbol: {symbol:?}"
        );
    }
    // The functions of a batch answer lead, before start-up's (clap's parser among them).
    let position = |part: &str| symbols.iter().position(|s| s.contains(part));
    let worker = position("5batch4pool").expect("the batch pool is listed");
    let parser = position("clap_builder").expect("start-up is listed");
    assert!(worker < parser, "the batch path comes first");
}

#[test]
fn only_lld_and_mold_are_given_the_list() {
    let rustc_1_95 = r#""cc" "-m64" "/tmp/x.o" "-B/root/.rustup/toolchains/stable/lib/rustlib/x86_64-unknown-linux-gnu/bin/gcc-ld" "-fuse-ld=lld" "-o" "x""#;
    assert!(order::orders_symbols(rustc_1_95));
    // Before rustc 1.90 the driver ran the system's GNU ld, which has no such flag.
    assert!(!order::orders_symbols(r#""cc" "-m64" "/tmp/x.o" "-o" "x""#));
    // The last choice wins, as it does for the compiler driver.
    assert!(!order::orders_symbols(
        r#""cc" "-fuse-ld=lld" "-fuse-ld=bfd""#
    ));
    assert!(!order::orders_symbols(r#""cc" "-fuse-ld=gold""#));
    assert!(order::orders_symbols(
        r#""cc" "-fuse-ld=bfd" "-fuse-ld=mold""#
    ));
    assert!(order::orders_symbols(r#""cc" "-fuse-ld=/usr/bin/ld.lld""#));
}
