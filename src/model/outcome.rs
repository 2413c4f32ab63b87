//! How a run went, from best to worst, and the error that carries an outcome up to the binary.

use std::fmt;

/// What a run of a subcommand amounts to; higher is worse, so a batch ends with the maximum.
/// The binary turns each into its documented exit code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Every key was answered.
    Success,
    /// At least one key was not found (EAI_NONAME, EAI_NODATA, no such service, port or constant).
    NotFound,
    /// Usage error or bad input: nothing was (or could be) asked of the system for it.
    Usage,
    /// Temporary failure (EAI_AGAIN, TRY_AGAIN, ETIMEDOUT from `connect`): retrying may help.
    Temporary,
    /// Any other system failure (EAI_FAIL, EAI_SYSTEM, errno, I/O).
    System,
}

/// An error that ends the whole run with a chosen outcome; the binary finds it in an anyhow chain.
#[derive(Debug)]
pub struct Fatal {
    pub outcome: Outcome,
    pub message: String,
}

impl Fatal {
    pub fn new(outcome: Outcome, message: impl Into<String>) -> Self {
        Fatal {
            outcome,
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

/// A run that a signal ended after it finished its output (a server's summary, say): the
/// binary says so in one line and exits as a shell reports a process the signal killed (128 +
/// the signal).
#[derive(Debug)]
pub struct Interrupted {
    pub signal: i32,
    pub message: String,
}

impl Interrupted {
    pub fn new(signal: i32, message: impl Into<String>) -> Self {
        Interrupted {
            signal,
            message: message.into(),
        }
    }
}

impl fmt::Display for Interrupted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Interrupted {}

/// The signal that ended a run, if an `Interrupted` is in the error chain.
pub fn interrupted_by(err: &anyhow::Error) -> Option<i32> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Interrupted>())
        .map(|interrupted| interrupted.signal)
}

/// The outcome of an error chain: the first `Fatal` in it decides, anything else is a system failure.
pub fn outcome_of(err: &anyhow::Error) -> Outcome {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<Fatal>())
        .map_or(Outcome::System, |fatal| fatal.outcome)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worst_outcome_wins() {
        let outcomes = [Outcome::NotFound, Outcome::Temporary, Outcome::Usage];
        assert_eq!(outcomes.iter().max(), Some(&Outcome::Temporary));
    }

    #[test]
    fn fatal_is_found_under_context() {
        let err = anyhow::Error::new(Fatal::new(Outcome::Usage, "bad")).context("outer");
        assert_eq!(outcome_of(&err), Outcome::Usage);
        assert_eq!(outcome_of(&anyhow::anyhow!("plain")), Outcome::System);
    }
}
