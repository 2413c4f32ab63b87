//! `man`: the page is roff that groff reads, and `--dir` writes one page per subcommand.

use crate::common::{self, has, pipe_into};

#[test]
fn man_page_is_roff_that_groff_reads() {
    let run = common::run(["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = run.stdout;
    assert!(page.contains(".TH sockscope 1"), "{page}");
    for section in [".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS", ".SH SUBCOMMANDS"] {
        assert!(page.contains(section), "{section}");
    }
    for sub in common::subcommands() {
        assert!(page.contains(&sub), "{sub}");
    }
    if has("groff") {
        let (ok, err) = pipe_into("groff", &["-man", "-Tutf8", "-ww", "-z"], &page);
        assert!(ok && err.is_empty(), "groff complains: {err}");
    }
}

#[test]
fn man_dir_writes_one_page_per_subcommand() {
    let dir = std::env::temp_dir().join(format!("sockscope-man-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let run = common::run(["man".as_ref(), "--dir".as_ref(), dir.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let names = std::iter::once("sockscope.1".to_string()).chain(
        common::subcommands()
            .into_iter()
            .map(|sub| format!("sockscope-{sub}.1")),
    );
    for name in names {
        let page = std::fs::read_to_string(dir.join(&name)).expect(&name);
        assert!(page.starts_with(".ie") || page.contains(".TH"), "{name}");
    }
    // The examples of --help are in the subcommand's page too.
    let page = std::fs::read_to_string(dir.join("sockscope-nameinfo.1")).expect("page");
    assert!(page.contains("Examples:"), "{page}");
    let _ = std::fs::remove_dir_all(&dir);
    let run = common::run(["man", "--dir", "/nonexistent/sockscope-man"]);
    assert_eq!(run.code, 4);
    assert!(
        run.stderr.starts_with("sockscope: writing man pages into"),
        "{}",
        run.stderr
    );
}
