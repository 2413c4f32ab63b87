//! The data model every renderer shares: one record type per call family, and per-key answers.

use serde::Serialize;

use crate::exit::ExitCode;
use crate::sys::SysError;

/// A record that the table renderer can lay out; JSON comes from `Serialize`.
pub trait Record: Serialize {
    /// Column names, spelled like the JSON fields.
    const COLUMNS: &'static [&'static str];
    /// Columns that only say which key a row answers: the table leaves them out when only one
    /// key was asked, and shows them once there are several.
    const KEYS: &'static [&'static str] = &["query"];
    /// One cell per column, in `COLUMNS` order; an empty string for an absent value.
    fn cells(&self) -> Vec<String>;
}

/// Why a key got no answer: the symbolic code, the message, and the exit code it implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub code: String,
    pub message: String,
    #[serde(skip)]
    pub exit: ExitCode,
}

impl Failure {
    /// Bad input caught before any libc call: exit 2, code `INVALID_INPUT`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: "INVALID_INPUT".to_string(),
            message: message.into(),
            exit: ExitCode::Usage,
        }
    }

    /// A lookup that found nothing without any libc error to name (e.g. no such constant).
    pub fn not_found(message: impl Into<String>) -> Self {
        Failure {
            code: "NOT_FOUND".to_string(),
            message: message.into(),
            exit: ExitCode::NotFound,
        }
    }
}

impl From<SysError> for Failure {
    fn from(err: SysError) -> Self {
        Failure {
            code: err.code(),
            message: err.message(),
            exit: err.exit_code(),
        }
    }
}

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
    /// What the one-line error message names: the query, unless the call knows better.
    pub label: String,
    /// How long the call took, where it was measured; renderers add it to every record.
    pub elapsed: Option<std::time::Duration>,
    /// The call behind the answer, where it is to be shown; renderers add it to every record.
    pub call: Option<Call>,
}

impl<R> Answer<R> {
    pub fn new(query: Option<String>, result: Result<Vec<R>, Failure>) -> Self {
        let label = query.clone().unwrap_or_default();
        Answer {
            query,
            result,
            label,
            elapsed: None,
            call: None,
        }
    }

    /// The exit code this answer contributes: success, or its failure's code.
    pub fn exit(&self) -> ExitCode {
        self.result
            .as_ref()
            .err()
            .map_or(ExitCode::Success, |f| f.exit)
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

/// `getservbyname` / `getservbyport`: the whole servent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Service {
    pub query: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub port: u16,
    pub proto: String,
}

impl Record for Service {
    const COLUMNS: &'static [&'static str] = &["query", "name", "aliases", "port", "proto"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.name.clone(),
            self.aliases.join(", "),
            self.port.to_string(),
            self.proto.clone(),
        ]
    }
}

/// `gethostbyname`: the first IPv4 address, as CPython returns it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostAddress {
    pub query: String,
    pub address: String,
}

impl Record for HostAddress {
    const COLUMNS: &'static [&'static str] = &["query", "address"];
    fn cells(&self) -> Vec<String> {
        vec![self.query.clone(), self.address.clone()]
    }
}

/// `gethostbyname_ex`: the whole hostent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostEntry {
    pub query: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub addresses: Vec<String>,
}

impl Record for HostEntry {
    const COLUMNS: &'static [&'static str] = &["query", "name", "aliases", "addresses"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.name.clone(),
            self.aliases.join(", "),
            self.addresses.join(", "),
        ]
    }
}

/// One element of getaddrinfo's answer, as the 5-tuple CPython builds from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AddrInfo {
    pub query: Option<String>,
    pub service: Option<String>,
    pub family: String,
    #[serde(rename = "type")]
    pub socktype: String,
    pub proto: i32,
    pub canonname: String,
    pub address: String,
    pub port: u16,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flowinfo: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope_id: Option<u32>,
}

impl Record for AddrInfo {
    const KEYS: &'static [&'static str] = &["query", "service"];
    const COLUMNS: &'static [&'static str] = &[
        "query",
        "service",
        "family",
        "type",
        "proto",
        "canonname",
        "address",
        "port",
        "flowinfo",
        "scope_id",
    ];
    fn cells(&self) -> Vec<String> {
        let opt = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        vec![
            self.query.clone().unwrap_or_default(),
            self.service.clone().unwrap_or_default(),
            self.family.clone(),
            self.socktype.clone(),
            self.proto.to_string(),
            self.canonname.clone(),
            self.address.clone(),
            self.port.to_string(),
            opt(self.flowinfo),
            opt(self.scope_id),
        ]
    }
}

/// `gethostname`, with what people look up next when asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HostName {
    pub hostname: String,
    /// The canonical name (getaddrinfo with AI_CANONNAME), with `--fqdn`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fqdn: Option<String>,
    /// `gethostbyname(gethostname())`, with `--addresses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Every address getaddrinfo gives for the host name, both families, with `--addresses`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub addresses: Option<Vec<String>>,
}

impl Record for HostName {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["hostname", "fqdn", "address", "addresses"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.hostname.clone(),
            self.fqdn.clone().unwrap_or_default(),
            self.address.clone().unwrap_or_default(),
            self.addresses
                .as_ref()
                .map(|a| a.join(", "))
                .unwrap_or_default(),
        ]
    }
}

/// A socket-layer constant and the group (prefix) it belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constant {
    pub name: String,
    pub value: i64,
    pub prefix: String,
}

impl Record for Constant {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["name", "value", "prefix"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.name.clone(),
            self.value.to_string(),
            self.prefix.clone(),
        ]
    }
}

/// `getnameinfo`: the (host, service) pair CPython returns, with the socket address asked about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NameInfo {
    /// The address as given.
    pub query: String,
    /// The port as given (0 when none was).
    pub port: u16,
    pub host: String,
    pub service: String,
}

impl Record for NameInfo {
    const KEYS: &'static [&'static str] = &["query", "port"];
    const COLUMNS: &'static [&'static str] = &["query", "port", "host", "service"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.port.to_string(),
            self.host.clone(),
            self.service.clone(),
        ]
    }
}

/// `getprotobyname` / `getprotobynumber`: the whole protoent (Python's getprotobyname returns
/// only `number`, and Python has no getprotobynumber).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Protocol {
    pub query: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub number: i32,
}

impl Record for Protocol {
    const COLUMNS: &'static [&'static str] = &["query", "name", "aliases", "number"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.query.clone(),
            self.name.clone(),
            self.aliases.join(", "),
            self.number.to_string(),
        ]
    }
}
