//! The exit codes sockscope documents, and the error that carries one up to `main`.

use std::fmt;

/// What a run of sockscope tells its caller; higher is worse, so a batch exits with the maximum.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExitCode {
    /// Every key was answered.
    Success = 0,
    /// At least one key was not found (EAI_NONAME, EAI_NODATA, no such service, port or constant).
    NotFound = 1,
    /// Usage error or bad input: nothing was (or could be) asked of the system for it.
    Usage = 2,
    /// Temporary failure (EAI_AGAIN, TRY_AGAIN, ETIMEDOUT from `connect`): retrying may help.
    Temporary = 3,
    /// Any other system failure (EAI_FAIL, EAI_SYSTEM, errno, I/O).
    System = 4,
}

impl ExitCode {
    pub fn code(self) -> i32 {
        self as i32
    }
}

/// Text for `--help` and the README: keep the three in step.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  every key answered
  1  at least one key not found (EAI_NONAME, EAI_NODATA, no such service, port or constant)
  2  usage error or bad input (nothing was passed to libc for it)
  3  temporary failure (EAI_AGAIN, TRY_AGAIN, TIMEOUT, a connection timing out): retrying may help
  4  any other system failure (EAI_FAIL, EAI_SYSTEM, errno, I/O)
When some keys succeed and others fail, the successes are printed and the exit code is the
highest among the failures.";

/// An error that ends the whole run with a chosen exit code; `main` finds it in an anyhow chain.
#[derive(Debug)]
pub struct Fatal {
    pub exit: ExitCode,
    pub message: String,
}

impl Fatal {
    pub fn new(exit: ExitCode, message: impl Into<String>) -> Self {
        Fatal {
            exit,
            message: message.into(),
        }
    }
}

impl fmt::Display for Fatal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Fatal {}

/// The exit code for an error chain: the first `Fatal` in it decides, anything else is a system failure.
pub fn exit_code_of(err: &anyhow::Error) -> ExitCode {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Fatal>())
        .map_or(ExitCode::System, |fatal| fatal.exit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_code_wins() {
        let codes = [ExitCode::NotFound, ExitCode::Temporary, ExitCode::Usage];
        assert_eq!(codes.iter().max(), Some(&ExitCode::Temporary));
    }

    #[test]
    fn fatal_is_found_under_context() {
        let err = anyhow::Error::new(Fatal::new(ExitCode::Usage, "bad")).context("outer");
        assert_eq!(exit_code_of(&err), ExitCode::Usage);
        assert_eq!(exit_code_of(&anyhow::anyhow!("plain")), ExitCode::System);
    }
}
