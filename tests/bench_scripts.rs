//! The benchmark scripts and floor programs in bench/ still parse and compile; they are run on demand, never timed here.

use std::path::{Path, PathBuf};
use std::process::Command;

fn bench_files(ext: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("bench");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no .{ext} file in bench/");
    files
}

fn succeeds(program: &str, args: &[&str], file: &Path) {
    let out = Command::new(program)
        .args(args)
        .arg(file)
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"));
    assert!(
        out.status.success(),
        "{program} {args:?} {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn shell_scripts_parse() {
    for file in bench_files("sh") {
        succeeds("bash", &["-n"], &file);
    }
}

#[test]
fn python_scripts_parse() {
    // ast.parse, not py_compile, so nothing is written beside the scripts.
    let check = "import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])";
    for file in bench_files("py") {
        succeeds("python3", &["-c", check], &file);
    }
}

#[test]
fn floor_programs_compile() {
    // The build script already needs a C compiler (the cc crate runs its preprocessor).
    for file in bench_files("c") {
        succeeds(
            "cc",
            &["-fsyntax-only", "-Wall", "-Werror", "-pthread"],
            &file,
        );
    }
}
