//! `man`: one roff page that man and groff read, holding every subcommand, and `--dir`, which creates its directory and never writes through a symlink.

use std::os::unix::fs::symlink;

use crate::common::{self, has, pipe_into};

/// The page as `man -l` shows it, without formatting, at 80 columns.
fn rendered(page: &str) -> Option<String> {
    if !has("man") {
        return None;
    }
    let mut child = std::process::Command::new("man")
        .args(["-l", "-"])
        .env("MANWIDTH", "80")
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .env("MAN_KEEP_FORMATTING", "")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .ok()?;
    {
        use std::io::Write;
        let mut stdin = child.stdin.take()?;
        stdin.write_all(page.as_bytes()).ok()?;
    }
    let out = child.wait_with_output().ok()?;
    assert!(
        out.status.success(),
        "man -l: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Overstrike bold (`x\bx`) and underline (`_\bx`) as nroff makes them into a pipe.
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut plain = String::new();
    for c in text.chars() {
        if c == '\u{8}' {
            plain.pop();
        } else {
            plain.push(c);
        }
    }
    Some(plain)
}

#[test]
fn one_page_holds_every_subcommand_its_options_examples_and_the_exit_codes() {
    let run = common::run(["man"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let page = run.stdout;
    assert!(page.starts_with(".TH SOCKSCOPE 1"), "{page}");
    for section in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH COMMANDS",
        ".SH EXAMPLES",
        ".SH \"EXIT STATUS\"",
    ] {
        assert!(page.contains(section), "{section}");
    }
    for sub in common::subcommands() {
        assert!(
            page.contains(&format!(".SS \"sockscope {sub}\"")),
            "a section for {sub}"
        );
    }
    // Other pages are not pointed at: this one is whole.
    assert!(!page.contains("sockscope-addrinfo(1)"));
    // The exit codes are a list, one tagged paragraph each.
    for code in 0..=4 {
        assert!(
            page.contains(&format!(".TP\n\\fB{code}\\fR\n")),
            "exit {code}"
        );
    }
    // Examples are kept line by line, not filled into a paragraph.
    assert!(
        page.contains(".nf\n.EX\nsockscope addrinfo localhost http"),
        "{page}"
    );
    // The top level's too: every line of the block, the first included.
    let top = page.split(".SH EXAMPLES\n").nth(1).expect("EXAMPLES");
    assert!(
        top.starts_with(".PP\n.RS 4\n.nf\n.EX\nsockscope addrinfo localhost http\n"),
        "{top}"
    );
    // No clap_mangen synopsis artefacts such as `[-4 ]`.
    assert!(!page.contains(" ]"), "{page}");
    if has("groff") {
        let (ok, err) = pipe_into("groff", &["-man", "-Tutf8", "-ww", "-z"], &page);
        assert!(ok && err.is_empty(), "groff complains: {err}");
    }
    if let Some(text) = rendered(&page) {
        for heading in ["NAME", "SYNOPSIS", "COMMANDS", "EXAMPLES", "EXIT STATUS"] {
            assert!(text.lines().any(|l| l == heading), "{heading} in\n{text}");
        }
        assert!(text.contains("   sockscope nameinfo\n"), "{text}");
        assert!(text.contains("--flags FLAGS"), "{text}");
        // An example line as written, its comment still on it.
        assert!(
            text.contains("sockscope servbyname ssh            # socket.getservbyname('ssh')"),
            "{text}"
        );
        assert!(!text.contains("[-4 ]"));
    }
}

#[test]
fn man_dir_creates_the_directory_and_writes_the_page() {
    let base = std::env::temp_dir().join(format!("sockscope-man-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&base);
    let dir = base.join("share/man/man1");
    let run = common::run(["man".as_ref(), "--dir".as_ref(), dir.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "");
    let page = std::fs::read_to_string(dir.join("sockscope.1")).expect("sockscope.1");
    assert_eq!(page, common::run(["man"]).stdout);
    // Only the page: no leftovers from writing it.
    let names: Vec<_> = std::fs::read_dir(&dir)
        .expect("dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(names, ["sockscope.1"]);

    // A symlink where the page goes is replaced, and what it pointed at is left alone.
    let victim = base.join("victim");
    std::fs::write(&victim, "keep me").expect("victim");
    std::fs::remove_file(dir.join("sockscope.1")).expect("rm");
    symlink(&victim, dir.join("sockscope.1")).expect("symlink");
    let run = common::run(["man".as_ref(), "--dir".as_ref(), dir.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(&victim).expect("victim"), "keep me");
    let meta = std::fs::symlink_metadata(dir.join("sockscope.1")).expect("page");
    assert!(
        meta.file_type().is_file(),
        "the symlink is replaced by a file"
    );
    let _ = std::fs::remove_dir_all(&base);

    let run = common::run(["man", "--dir", "/proc/sockscope-man"]);
    assert_eq!(run.code, 4);
    assert!(
        run.stderr
            .starts_with("sockscope: writing the man page into"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_full_disk_is_an_error_not_a_panic() {
    for args in [
        &["man"][..],
        &["completions", "bash"],
        &["--help"],
        &["--version"],
        &["addrinfo", "-h"],
        &["help", "servbyname"],
    ] {
        let run = common::run_to_full(args);
        assert_eq!(run.code, 4, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("No space left on device"),
            "{args:?}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    }
}
