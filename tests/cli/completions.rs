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
