//! `tour`: it runs to the end on loopback, `--pause` goes on at end of input, and `--script` runs under python3.

use crate::common;

const STEPS: usize = 16;

/// The `Result` of each step, in order, its wrapped lines joined again (the tour wraps
/// between words, at single spaces).
fn results(stdout: &str) -> Vec<String> {
    let mut results: Vec<String> = Vec::new();
    let mut in_result = false;
    for line in stdout.lines() {
        if let Some(result) = line.strip_prefix("Result  ") {
            results.push(result.to_string());
            in_result = true;
        } else if let (true, Some(more)) = (in_result, line.strip_prefix("        ")) {
            if let Some(last) = results.last_mut() {
                last.push(' ');
                last.push_str(more);
            }
        } else {
            in_result = false;
        }
    }
    results
}

#[test]
fn tour_runs_to_the_end() {
    let run = common::run(["tour"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout.matches("\n== Step ").count() + 1,
        STEPS,
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("failed on this machine"),
        "{}",
        run.stdout
    );
    for line in [
        "Python  >>> socket.getservbyname('ssh')",
        "C       getservbyname(\"ssh\", NULL)",
    ] {
        assert!(run.stdout.contains(line), "{line}");
    }
    let results = results(&run.stdout);
    assert_eq!(results.len(), STEPS);
    assert_eq!(results[0], "22");
    assert_eq!(results[1], "'http'");
    assert_eq!(
        results[5],
        "(<AddressFamily.AF_INET: 2>, <SocketKind.SOCK_STREAM: 1>, 0)"
    );
    assert_eq!(results[12], "None");
    assert_eq!(results[14], "b'hello, server'");
    assert_eq!(results[15], "b'message received'");
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn pause_waits_for_enter_and_goes_on_at_end_of_input() {
    let eof = common::run(["tour", "--pause"]);
    assert_eq!(eof.code, 0);
    assert_eq!(results(&eof.stdout).len(), STEPS);
    // Only one prompt: after end of input there is nobody to wait for.
    assert_eq!(eof.stderr.matches("[Enter for the next step]").count(), 1);

    let enters = common::run_with_input(["tour", "--pause"], &"\n".repeat(STEPS));
    assert_eq!(enters.code, 0);
    assert_eq!(results(&enters.stdout).len(), STEPS);
    assert_eq!(
        enters.stderr.matches("[Enter for the next step]").count(),
        STEPS - 1
    );
}

#[test]
fn script_runs_under_python_and_agrees_with_the_tour() {
    let script = common::run(["tour", "--script"]);
    assert_eq!(script.code, 0);
    let python = common::python_program(&script.stdout);
    assert_eq!(python.code, 0, "{}\n{}", python.stdout, python.stderr);
    assert!(
        !python.stdout.contains("failed on this machine"),
        "{}",
        python.stdout
    );
    let tour = common::run(["tour"]);
    let ours = results(&tour.stdout);
    // The script prints each step's header, the `>>>` line and the repr.
    let lines: Vec<&str> = python.stdout.lines().collect();
    let theirs: Vec<&str> = lines
        .iter()
        .enumerate()
        .filter(|(_, l)| l.starts_with(">>> "))
        .filter_map(|(i, _)| lines.get(i + 1).copied())
        .collect();
    assert_eq!(theirs.len(), STEPS, "{}", python.stdout);
    // Kernel-chosen ports differ between the runs.
    let varying = [11, 13];
    for (i, (a, b)) in ours.iter().zip(&theirs).enumerate() {
        if !varying.contains(&i) {
            assert_eq!(a, b, "step {}", i + 1);
        }
    }
}

#[test]
fn tour_is_text_only() {
    let run = common::run(["tour", "--json"]);
    assert_eq!(run.code, 2);
    assert!(run.stdout.is_empty());
}
