//! The exit codes sockscope documents: the one place an outcome becomes a number.

use sockscope::model::Outcome;

/// The process exit code for a run's outcome; higher is worse, as the outcomes are ordered.
pub fn exit_code(outcome: Outcome) -> i32 {
    match outcome {
        Outcome::Success => 0,
        Outcome::NotFound => 1,
        Outcome::Usage => 2,
        Outcome::Temporary => 3,
        Outcome::System => 4,
    }
}

/// The exit code of a run ended by `signal` after finishing its output: 128 + the signal's
/// number (SIGHUP 129, SIGINT 130, SIGTERM 143), as a shell reports a process it killed.
pub fn signal_exit_code(signal: i32) -> i32 {
    128 + signal
}

#[cfg(test)]
mod tests {
    use super::*;
    use sockscope::cli::EXIT_CODES_HELP;

    #[test]
    fn codes_grow_with_the_outcome_and_match_the_help() {
        let outcomes = [
            Outcome::Success,
            Outcome::NotFound,
            Outcome::Usage,
            Outcome::Temporary,
            Outcome::System,
        ];
        for pair in outcomes.windows(2) {
            assert!(exit_code(pair[0]) < exit_code(pair[1]));
        }
        for (outcome, line) in [
            (Outcome::Success, "  0  every key answered"),
            (Outcome::NotFound, "  1  at least one key not found"),
            (Outcome::Usage, "  2  usage error or bad input"),
            (Outcome::Temporary, "  3  temporary failure"),
            (Outcome::System, "  4  any other system failure"),
        ] {
            assert!(line.starts_with(&format!("  {}", exit_code(outcome))));
            assert!(EXIT_CODES_HELP.contains(line), "{line}");
        }
    }
}
