//! The house rules ARCHITECTURE.md states, checked on the source: layers import downwards only, files start with `//!` and fit in a head.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

/// The layers of ARCHITECTURE.md, bottom first: a module may import its own layer's modules
/// only where the table allows (none here) and any module of a lower layer.
const LAYERS: &[&[&str]] = &[
    &["sys"],
    &["model", "text", "parse", "validate"],
    &["calls"],
    &["render", "batch"],
    &["runner"],
    &["net", "tour", "docs", "why"],
    &["cli", "app"],
];

/// Imports allowed within one layer, one way only: the later module builds on the earlier.
const SAME_LAYER: &[(&str, &str)] = &[
    ("model", "sys"),
    ("text", "sys"),
    ("parse", "text"),
    ("validate", "model"),
    ("validate", "parse"),
    ("validate", "text"),
    ("batch", "render"),
    ("cli", "net"),
    ("cli", "why"),
    ("app", "cli"),
];

/// Source files longer than this are the generated table only.
const MAX_LINES: usize = 450;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level module a file of src/ belongs to (`calls` for src/calls/addrinfo.rs).
fn top_module(path: &Path) -> Option<String> {
    let relative = path.strip_prefix(src()).ok()?;
    let first = relative.components().next()?.as_os_str().to_string_lossy();
    let name = first.trim_end_matches(".rs").to_string();
    (!matches!(name.as_str(), "lib" | "main" | "exit_codes")).then_some(name)
}

/// The source without its `#[cfg(test)] mod tests { ... }` tail: tests may use anything.
fn without_tests(text: &str) -> &str {
    text.split("#[cfg(test)]\nmod tests {")
        .next()
        .unwrap_or(text)
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

#[test]
fn imports_run_one_way_between_layers() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut imports: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for path in &files {
        let Some(module) = top_module(path) else {
            continue;
        };
        // render's own tests build records of the calls they render.
        if path.ends_with("render/tests.rs") {
            continue;
        }
        let text = fs::read_to_string(path).unwrap();
        for piece in without_tests(&text).split("crate::").skip(1) {
            let target: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !target.is_empty() && target != module {
                imports
                    .entry(format!("{module} -> {target}"))
                    .or_default()
                    .push(path.display().to_string());
            }
        }
    }
    let mut wrong = Vec::new();
    for (edge, where_) in &imports {
        let (from, to) = edge.split_once(" -> ").unwrap();
        let (Some(a), Some(b)) = (layer_of(from), layer_of(to)) else {
            wrong.push(format!(
                "{edge}: a module ARCHITECTURE.md does not place ({where_:?})"
            ));
            continue;
        };
        let allowed = b < a || (a == b && SAME_LAYER.contains(&(from, to)));
        if !allowed {
            wrong.push(format!("{edge} imports upwards or sideways ({where_:?})"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    // Every module is placed, so a new one has to be given its layer on purpose.
    let mut modules: Vec<String> = files.iter().filter_map(|p| top_module(p)).collect();
    modules.dedup();
    for module in modules {
        assert!(layer_of(&module).is_some(), "{module} has no layer");
    }
}

#[test]
fn every_file_says_what_it_holds_and_fits_in_a_head() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    rust_files(&root.join("tests"), &mut files);
    rust_files(&root.join("fuzz/fuzz_targets"), &mut files);
    assert!(files.len() > 50, "found only {} files", files.len());
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} does not start with a //! line",
            path.display()
        );
        // Test files hold many cases side by side; the limit is for the code.
        let exempt = path.ends_with("constants_table.rs") || !path.starts_with(src());
        let lines = text.lines().count();
        assert!(
            exempt || lines <= MAX_LINES,
            "{} has {lines} lines",
            path.display()
        );
    }
}

#[test]
fn unsafe_code_lives_in_sys_only() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    for path in files {
        if path.starts_with(src().join("sys")) {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        let code: String = text
            .lines()
            .filter(|line| !line.trim_start().starts_with("//"))
            .collect();
        assert!(
            !code.contains("unsafe {") && !code.contains("unsafe fn"),
            "{} has unsafe code",
            path.display()
        );
    }
}
