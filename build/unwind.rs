//! The unwinder linked into the binary, so that it does not load libgcc_s.so at every start.

use std::process::Command;

/// Link the C compiler's static unwinder (libgcc_eh.a) whole into the binary: it then defines
/// every `_Unwind_*` symbol that Rust's panics need, the linker (with `--as-needed`, as rustc
/// passes it) drops libgcc_s.so, and each run saves mapping and relocating one library. Where
/// the compiler has no libgcc_eh.a (or is not GCC-like), the binary keeps libgcc_s.so.
pub fn link_statically() {
    let target = std::env::var("TARGET").unwrap_or_default();
    if !target.ends_with("-linux-gnu") {
        return;
    }
    let compiler = cc::Build::new().get_compiler();
    let Ok(out) = Command::new(compiler.path())
        .arg("-print-file-name=libgcc_eh.a")
        .output()
    else {
        return;
    };
    let path = String::from_utf8_lossy(&out.stdout).trim().to_string();
    // Without the file the compiler prints the bare name back.
    if !out.status.success() || !std::path::Path::new(&path).is_absolute() {
        return;
    }
    if !std::path::Path::new(&path).is_file() {
        return;
    }
    for arg in ["-Wl,--push-state,--whole-archive", &path, "-Wl,--pop-state"] {
        println!("cargo:rustc-link-arg-bins={arg}");
    }
}
