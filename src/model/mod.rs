//! The data model every layer above the C library shares: records, answers, typed failures, outcomes.

pub mod failure;
pub mod json;
pub mod outcome;
pub mod raised;
pub mod record;
mod why_text;

pub use failure::{Cause, Failure, Raised, Why};
pub use outcome::{Fatal, Outcome};
pub use record::{
    Annotated, Answer, Call, ErrorRecord, NO_PYTHON, PythonView, Record, no_python_view,
    python_of_first,
};
