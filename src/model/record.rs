//! What every renderer shares: the `Record` trait, per-key answers, and the call behind each.

use serde::Serialize;

use super::failure::Failure;
use super::outcome::Outcome;

/// A record that the table renderer can lay out; JSON comes from `Serialize`.
pub trait Record: Serialize {
    /// Column names, spelled like the JSON fields.
    const COLUMNS: &'static [&'static str];
    /// Columns that only say which key a row answers: the table leaves them out when only one
    /// key was asked, and shows them once there are several.
    const KEYS: &'static [&'static str] = &["query"];
    /// One cell per column, in `COLUMNS` order; an empty string for an absent value.
    fn cells(&self) -> Vec<String>;
    /// Appends the record as compact JSON, byte for byte what serde_json writes for it, where
    /// the record writes itself (those a batch prints by the thousand: constant keys need no
    /// escaping), and says whether it did; the renderers serialize the others.
    fn write_json(&self, _out: &mut Vec<u8>) -> bool {
        false
    }
}

/// What `--format python` prints for one answer: the repr of the value Python's call returns,
/// or the last line of the exception it raises. Each call has its own; renderers only apply it.
pub type PythonView<'a, R> = &'a (dyn Fn(&Result<Vec<R>, Failure>) -> String + Sync);

/// The Python view of records no Python call returns: a comment for a value, so a transcript
/// stays valid Python, and the exception line for a failure.
pub fn no_python_view<R>(result: &Result<Vec<R>, Failure>) -> String {
    match result {
        Ok(_) => NO_PYTHON.to_string(),
        Err(failure) => failure.python_exception(),
    }
}

/// The Python view of a call whose value is made from its first record (most calls return one
/// entry), and whose failure is the exception the failure names.
pub fn python_of_first<R>(
    result: &Result<Vec<R>, Failure>,
    value: impl FnOnce(&R) -> String,
) -> String {
    match result {
        Ok(records) => records.first().map_or_else(|| NO_PYTHON.to_string(), value),
        Err(failure) => failure.python_exception(),
    }
}

/// The comment for a successful call that has no Python value to show.
pub const NO_PYTHON: &str = "# no Python rendering for this call";

/// The call behind an answer, for showing what happened: the C call, the Python line, notes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Call {
    /// The C call with its arguments, e.g. `getaddrinfo("localhost", "http", {...})`.
    pub c: String,
    /// Python that makes the same call, e.g. `socket.getaddrinfo('localhost', 'http')`.
    pub python: String,
    /// What is worth noticing in this result.
    pub notes: Vec<String>,
}

/// The answer to one key: the records it produced, or why it produced none.
#[derive(Debug, Clone)]
pub struct Answer<R> {
    /// The key as the user gave it (`None` where the call was made with NULL, as addrinfo allows).
    pub query: Option<String>,
    pub result: Result<Vec<R>, Failure>,
    /// What the one-line error message names where the call knows better than the query
    /// (`label()` gives either): no copy of the query is made for an answer that is no error.
    pub label: Option<String>,
    /// How long the call took, where it was measured; renderers add it to every record.
    pub elapsed: Option<std::time::Duration>,
    /// The call behind the answer, where it is to be shown; renderers add it to every record.
    pub call: Option<Call>,
}

impl<R> Answer<R> {
    pub fn new(query: Option<String>, result: Result<Vec<R>, Failure>) -> Self {
        Answer {
            query,
            result,
            label: None,
            elapsed: None,
            call: None,
        }
    }

    /// The same answer with the call behind it.
    pub fn with_call(mut self, call: Call) -> Self {
        self.call = Some(call);
        self
    }

    /// What the one-line error message names: the label where there is one, else the query.
    pub fn label(&self) -> &str {
        self.label
            .as_deref()
            .or(self.query.as_deref())
            .unwrap_or_default()
    }

    /// How this answer counts towards the run's outcome: success, or its failure's.
    pub fn outcome(&self) -> Outcome {
        self.result
            .as_ref()
            .err()
            .map_or(Outcome::Success, Failure::outcome)
    }
}

/// The record that stands in the output in place of a key that failed.
#[derive(Debug, Serialize)]
pub struct ErrorRecord<'a> {
    pub query: Option<&'a str>,
    pub error: &'a Failure,
}

/// A record as the JSON renderers write it: its own fields, then what the answer adds to each.
#[derive(Debug, Serialize)]
pub struct Annotated<'a, T: Serialize> {
    #[serde(flatten)]
    pub record: &'a T,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub elapsed_ms: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub call: Option<&'a Call>,
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The error line names the query unless the answer was given a label of its own, and
    /// nothing when there is neither.
    #[test]
    fn the_label_falls_back_to_the_query() {
        let failure = || Err::<Vec<()>, _>(Failure::invalid("bad"));
        let answer = Answer::new(Some("host".to_string()), failure());
        assert_eq!(answer.label(), "host");
        let mut labelled = Answer::new(Some("host".to_string()), failure());
        labelled.label = Some("service".to_string());
        assert_eq!(labelled.label(), "service");
        assert_eq!(Answer::new(None, failure()).label(), "");
    }
}
