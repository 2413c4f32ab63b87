//! The binary's hot functions laid out together, in the order build/hot-symbols.txt gives.

use std::env;
use std::path::Path;
use std::process::Command;

/// The list bench/hot-symbols.sh writes: the functions one batch answer and one start-up run.
const LIST: &str = "build/hot-symbols.txt";

/// Ask the linker to place the listed functions first and together, in a release build whose
/// linker takes `--symbol-ordering-file` (LLD, rustc's default on x86_64 Linux since 1.90, and
/// mold). A batch answer runs some forty of sockscope's functions after its thread has slept
/// through a lookup; packed into a few pages instead of spread over the 4 MB of code, they cost
/// fewer TLB and cache misses (docs/benchmarks.md). Another linker, or a debug build, links as
/// before. A name the list has and the binary lacks (a function renamed since the list was
/// made) is skipped without a word: the order is a matter of speed only.
pub fn hot_code_first(manifest_dir: &Path) {
    println!("cargo:rerun-if-changed={LIST}");
    println!("cargo:rerun-if-env-changed=SOCKSCOPE_HOT_ORDER");
    if env::var("PROFILE").as_deref() != Ok("release")
        || env::var("SOCKSCOPE_HOT_ORDER").as_deref() == Ok("0")
    {
        return;
    }
    let list = manifest_dir.join(LIST);
    if !list.is_file() || !linker_takes_an_order() {
        return;
    }
    println!(
        "cargo:rustc-link-arg-bins=-Wl,--symbol-ordering-file={}",
        list.display()
    );
    println!("cargo:rustc-link-arg-bins=-Wl,--no-warn-symbol-ordering");
}

/// Whether the binary will be linked by LLD or mold: rustc is asked to link an empty program
/// for the same target with the same flags and show its linker's command line.
fn linker_takes_an_order() -> bool {
    let (Some(rustc), Some(out_dir)) = (env::var_os("RUSTC"), env::var_os("OUT_DIR")) else {
        return false;
    };
    let out_dir = Path::new(&out_dir);
    let source = out_dir.join("linker_probe.rs");
    if std::fs::write(&source, "fn main() {}\n").is_err() {
        return false;
    }
    let mut probe = Command::new(rustc);
    probe
        .arg("--print=link-args")
        .arg("-o")
        .arg(out_dir.join("linker_probe"))
        .arg(&source);
    if let Ok(target) = env::var("TARGET") {
        probe.arg("--target").arg(target);
    }
    if let Ok(linker) = env::var("RUSTC_LINKER") {
        probe.arg(format!("-Clinker={linker}"));
    }
    if let Ok(flags) = env::var("CARGO_ENCODED_RUSTFLAGS") {
        probe.args(flags.split('\x1f').filter(|flag| !flag.is_empty()));
    }
    let Ok(out) = probe.output() else {
        return false;
    };
    out.status.success() && orders_symbols(&String::from_utf8_lossy(&out.stdout))
}

/// Whether a linker command line picks LLD or mold: its last `-fuse-ld=` says which linker
/// the compiler driver runs (none means the system's default, GNU ld, which has no such flag).
pub fn orders_symbols(command_line: &str) -> bool {
    let chosen = command_line
        .split(['"', ' ', '\''])
        .filter_map(|word| word.strip_prefix("-fuse-ld="))
        .next_back();
    matches!(chosen, Some("lld" | "mold"))
        || chosen.is_some_and(|path| path.ends_with("/ld.lld") || path.ends_with("/mold"))
}
