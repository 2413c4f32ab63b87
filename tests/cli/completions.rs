//! `completions`: a script for every shell, which bash (and zsh, fish where installed) accepts.

use crate::common::{self, has, pipe_into};

#[test]
fn completions_for_every_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let run = common::run(["completions", shell]);
        assert_eq!(run.code, 0, "{shell}: {}", run.stderr);
        assert!(run.stdout.contains("sockscope"), "{shell}");
        for sub in common::subcommands() {
            assert!(run.stdout.contains(&sub), "{shell} completes {sub}");
        }
    }
    let bash = common::run(["completions", "bash"]).stdout;
    let (ok, err) = pipe_into("bash", &["-n"], &bash);
    assert!(ok, "bash -n rejects the script: {err}");
    // Sourcing it must define the completion for sockscope, not just parse.
    let (ok, err) = pipe_into(
        "bash",
        &["-c", "source /dev/stdin && complete -p sockscope"],
        &bash,
    );
    assert!(ok, "bash cannot source the script: {err}");
    for (shell, args) in [("zsh", vec!["-n"]), ("fish", vec!["--no-execute"])] {
        if has(shell) {
            let script = common::run(["completions", shell]).stdout;
            let (ok, err) = pipe_into(shell, &args, &script);
            assert!(ok, "{shell} rejects the script: {err}");
        }
    }
    let run = common::run(["completions", "tcsh"]);
    assert_eq!(run.code, 2);
}

/// What bash offers for the words so far, the last being completed, through the script.
fn bash_offers(words: &[&str]) -> Vec<String> {
    let script = common::run(["completions", "bash"]).stdout;
    let path = std::env::temp_dir().join(format!(
        "sockscope-completion-{}-{}.bash",
        std::process::id(),
        words.join("_").replace(['/', ' '], "_")
    ));
    std::fs::write(&path, script).expect("script");
    let quoted: Vec<String> = words.iter().map(|w| format!("'{w}'")).collect();
    let program = format!(
        "source '{}'; COMP_WORDS=({}); COMP_CWORD={}; COMP_LINE='{}'; COMP_POINT=${{#COMP_LINE}}; \
         _sockscope sockscope '{}' '{}'; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        path.display(),
        quoted.join(" "),
        words.len() - 1,
        words.join(" "),
        words[words.len() - 1],
        words[words.len() - 2],
    );
    let out = std::process::Command::new("bash")
        .args(["-c", &program])
        .output()
        .expect("bash runs");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn scripts_hold_the_values_of_options() {
    for shell in ["bash", "zsh", "fish"] {
        let script = common::run(["completions", shell]).stdout;
        for value in [
            "inet6",
            "dgram",
            "canonname",
            "numericserv",
            "namereqd",
            "jsonl",
            "plain",
        ] {
            assert!(script.contains(value), "{shell} script lacks {value}");
        }
    }
}

#[test]
fn bash_completes_values_not_file_names() {
    assert_eq!(
        bash_offers(&["sockscope", "addrinfo", "--family", "ine"]),
        ["inet", "inet6"]
    );
    assert_eq!(
        bash_offers(&["sockscope", "addrinfo", "--type", "dg"]),
        ["dgram"]
    );
    assert_eq!(
        bash_offers(&["sockscope", "servbyname", "--format", "js"]),
        ["json", "jsonl"]
    );
    // Each item of a comma-separated list.
    assert_eq!(
        bash_offers(&["sockscope", "addrinfo", "--flags", "canonname,numerich"]),
        ["canonname,numerichost"]
    );
    assert_eq!(
        bash_offers(&["sockscope", "nameinfo", "--flags", "nam"]),
        ["namereqd"]
    );
    // A host name is not a file: nothing from the current directory.
    let offered = bash_offers(&["sockscope", "hostbyname", "Carg"]);
    assert!(!offered.contains(&"Cargo.toml".to_string()), "{offered:?}");
}

#[test]
fn bash_completes_names_from_the_databases() {
    let services = bash_offers(&["sockscope", "servbyname", "ss"]);
    assert!(services.contains(&"ssh".to_string()), "{services:?}");
    let service = bash_offers(&["sockscope", "addrinfo", "localhost", "htt"]);
    assert!(service.contains(&"http".to_string()), "{service:?}");
    let protocols = bash_offers(&["sockscope", "protobyname", "ud"]);
    assert!(protocols.contains(&"udp".to_string()), "{protocols:?}");
    let proto = bash_offers(&["sockscope", "servbyname", "-p", "tc"]);
    assert_eq!(proto, ["tcp"]);
    // Options still complete as clap knows them.
    let options = bash_offers(&["sockscope", "servbyname", "--for"]);
    assert_eq!(options, ["--format"]);
}
