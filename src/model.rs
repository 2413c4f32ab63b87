//! The data model every renderer shares: one record type per call family, and per-key answers.

use serde::Serialize;

use crate::exit::ExitCode;
use crate::pyrepr::Py;
use crate::sys::SysError;
use crate::sys::error::{errno_of_message, errno_value, gai_value, herrno_value};

/// A record that the table renderer can lay out; JSON comes from `Serialize`.
pub trait Record: Serialize {
    /// Column names, spelled like the JSON fields.
    const COLUMNS: &'static [&'static str];
    /// Columns that only say which key a row answers: the table leaves them out when only one
    /// key was asked, and shows them once there are several.
    const KEYS: &'static [&'static str] = &["query"];
    /// One cell per column, in `COLUMNS` order; an empty string for an absent value.
    fn cells(&self) -> Vec<String>;

    /// `--format python`: the value Python's call returns, built from one answer's records
    /// (`call.function` says which call where one record type serves several). `None` when this
    /// record type has no Python rendering yet; the renderer then says so in a comment.
    fn python(records: &[Self], call: Option<&Call>) -> Option<Py>
    where
        Self: Sized,
    {
        let _ = (records, call);
        None
    }

    /// `--format python` for a successful call `python` has no value for: a Python comment, so
    /// that a transcript stays valid Python. Record types whose call Python lacks say so here.
    fn python_absent(records: &[Self], call: Option<&Call>) -> String
    where
        Self: Sized,
    {
        let _ = (records, call);
        "# no Python rendering for this call".to_string()
    }

    /// `--format python` for a failed call: by default the exception line Python shows.
    fn python_failure(failure: &Failure, call: Option<&Call>) -> String
    where
        Self: Sized,
    {
        let _ = call;
        failure.python_exception()
    }
}

/// Why a key got no answer: the symbolic code, the message, and the exit code it implies.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub code: String,
    /// sockscope's words for a person; see `SysError::message`.
    pub message: String,
    /// The C library's own text for the code, as Python's exception shows it; absent where
    /// sockscope itself found the problem (bad input, timeout).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub strerror: Option<String>,
    #[serde(skip)]
    pub exit: ExitCode,
}

impl Failure {
    /// Bad input caught before any libc call: exit 2, code `INVALID_INPUT`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            code: "INVALID_INPUT".to_string(),
            message: message.into(),
            strerror: None,
            exit: ExitCode::Usage,
        }
    }

    /// A lookup that found nothing without any libc error to name (e.g. no such constant).
    pub fn not_found(message: impl Into<String>) -> Self {
        Failure {
            code: "NOT_FOUND".to_string(),
            message: message.into(),
            strerror: None,
            exit: ExitCode::NotFound,
        }
    }

    /// A lookup abandoned after `limit` (`--timeout`): exit 3, code `TIMEOUT`.
    pub fn timeout(limit: std::time::Duration) -> Self {
        Failure {
            code: "TIMEOUT".to_string(),
            // f64's Display gives "2" for 2.0 and "0.5" for 0.5: no trailing zeros.
            message: format!("no answer within {} s", limit.as_secs_f64()),
            strerror: None,
            exit: ExitCode::Temporary,
        }
    }
}

impl Failure {
    /// The last line of the traceback Python shows for the same failure
    /// (`socket.gaierror: [Errno -2] Name or service not known`), from the symbolic code, or a
    /// Python comment where sockscope refused the input before any call was made.
    pub fn python_exception(&self) -> String {
        // Python carries the C library's text, not sockscope's words for a person.
        let message = self.strerror.as_deref().unwrap_or(&self.message);
        let code = self.code.as_str();
        if code == "EAI_SYSTEM" {
            // CPython raises OSError from errno for EAI_SYSTEM, as sockscope's message does.
            return match errno_of_message(message) {
                Some(errno) => format!("OSError: [Errno {errno}] {message}"),
                None => format!("OSError: {message}"),
            };
        }
        if let Some(eai) = gai_value(code) {
            return format!("socket.gaierror: [Errno {eai}] {message}");
        }
        if let Some(h) = herrno_value(code) {
            return format!("socket.herror: [Errno {h}] {message}");
        }
        if let Some(errno) = errno_value(code) {
            return format!("OSError: [Errno {errno}] {message}");
        }
        match code {
            // The netdb lookups' "service/proto not found" is the very text of Python's OSError.
            "NOT_FOUND" => format!("OSError: {message}"),
            "INVALID_INPUT" => format!("# not called: {message}"),
            _ => format!("# {code}: {message}"),
        }
    }
}

impl From<SysError> for Failure {
    fn from(err: SysError) -> Self {
        Failure {
            code: err.code(),
            message: err.message(),
            strerror: err.strerror(),
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
    /// The Python function the call mirrors (`getservbyport`): it decides the shape of what
    /// `--format python` prints where one record type serves several calls.
    #[serde(skip)]
    pub function: &'static str,
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

    /// Python returns only part of the servent: the port for getservbyname, the name for getservbyport.
    fn python(records: &[Self], call: Option<&Call>) -> Option<Py> {
        let first = records.first()?;
        match call?.function {
            "getservbyname" => Some(Py::Int(i64::from(first.port))),
            "getservbyport" => Some(Py::str(&first.name)),
            _ => None,
        }
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

    fn python(records: &[Self], _call: Option<&Call>) -> Option<Py> {
        Some(Py::str(&records.first()?.address))
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

    /// `(name, aliaslist, addresslist)`.
    fn python(records: &[Self], _call: Option<&Call>) -> Option<Py> {
        let first = records.first()?;
        Some(Py::Tuple(vec![
            Py::str(&first.name),
            Py::strs(&first.aliases),
            Py::strs(&first.addresses),
        ]))
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

    /// The list of `(family, type, proto, canonname, sockaddr)`; the sockaddr is a 2-tuple for
    /// IPv4 and `(address, port, flowinfo, scope_id)` for IPv6.
    fn python(records: &[Self], _call: Option<&Call>) -> Option<Py> {
        let rows = records.iter().map(|r| {
            let mut sockaddr = vec![Py::str(&r.address), Py::Int(i64::from(r.port))];
            if let (Some(flowinfo), Some(scope_id)) = (r.flowinfo, r.scope_id) {
                sockaddr.push(Py::Int(i64::from(flowinfo)));
                sockaddr.push(Py::Int(i64::from(scope_id)));
            }
            Py::Tuple(vec![
                Py::symbol("AF_", &r.family),
                Py::symbol("SOCK_", &r.socktype),
                Py::Int(i64::from(r.proto)),
                Py::str(&r.canonname),
                Py::Tuple(sockaddr),
            ])
        });
        Some(Py::List(rows.collect()))
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

    /// `gethostname()` alone is a str; with `--fqdn` or `--addresses` the Python line is a tuple
    /// of every call made, in the order of the fields.
    fn python(records: &[Self], _call: Option<&Call>) -> Option<Py> {
        let first = records.first()?;
        let mut items = vec![Py::str(&first.hostname)];
        items.extend(first.fqdn.as_ref().map(Py::str));
        items.extend(first.address.as_ref().map(Py::str));
        items.extend(first.addresses.as_ref().map(|a| Py::strs(a)));
        Some(if items.len() == 1 {
            items.remove(0)
        } else {
            Py::Tuple(items)
        })
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

    /// By prefix, the lecture's `{getattr(socket, n): n for n in dir(socket) if ...}`: names in
    /// `dir()`'s sorted order, so a value shared by several names keeps the position of the
    /// first and the name of the last, and its key is the enum member where CPython has one.
    /// By value, the sorted list of names.
    fn python(records: &[Self], call: Option<&Call>) -> Option<Py> {
        let mut sorted: Vec<&Constant> = records
            .iter()
            .filter(|c| !crate::lookup::constants::NOT_IN_PYTHON.contains(&c.name.as_str()))
            .collect();
        sorted.sort_by(|a, b| a.name.cmp(&b.name));
        match call?.function {
            "constants_by_prefix" => {
                let mut entries: Vec<(i64, Py, Py)> = Vec::new();
                for c in sorted {
                    let name = Py::str(&c.name);
                    match entries.iter_mut().find(|(v, _, _)| *v == c.value) {
                        Some(entry) => entry.2 = name,
                        None => entries.push((
                            c.value,
                            Py::attribute(&c.prefix, &c.name, c.value),
                            name,
                        )),
                    }
                }
                Some(Py::Dict(
                    entries.into_iter().map(|(_, k, v)| (k, v)).collect(),
                ))
            }
            "constants_by_value" => {
                Some(Py::List(sorted.iter().map(|c| Py::str(&c.name)).collect()))
            }
            _ => None,
        }
    }

    /// Nothing matching is an empty dict or list to Python, not an error.
    fn python_failure(failure: &Failure, call: Option<&Call>) -> String {
        match (failure.code.as_str(), call.map(|c| c.function)) {
            ("NOT_FOUND", Some("constants_by_prefix")) => "{}".to_string(),
            ("NOT_FOUND", Some("constants_by_value")) => "[]".to_string(),
            _ => failure.python_exception(),
        }
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

    /// A host name fails in getaddrinfo(AI_NUMERICHOST) in Python too: show its gaierror,
    /// although sockscope counts the name as bad input.
    fn python_failure(failure: &Failure, _call: Option<&Call>) -> String {
        if failure.message == crate::lookup::nameinfo::NOT_NUMERIC {
            let eai = SysError::Gai {
                code: libc::EAI_NONAME,
                errno: None,
            };
            return Failure::from(eai).python_exception();
        }
        failure.python_exception()
    }

    /// `(host, service)`, the pair of strings getnameinfo wrote.
    fn python(records: &[Self], _call: Option<&Call>) -> Option<Py> {
        let first = records.first()?;
        Some(Py::Tuple(vec![
            Py::str(&first.host),
            Py::str(&first.service),
        ]))
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

    /// getprotobyname returns the number; getprotobynumber has no Python value at all.
    fn python(records: &[Self], call: Option<&Call>) -> Option<Py> {
        let first = records.first()?;
        match call?.function {
            "getprotobyname" => Some(Py::Int(i64::from(first.number))),
            _ => None,
        }
    }

    /// For getprotobynumber, a comment with what C found and the Python call that goes back.
    fn python_absent(records: &[Self], call: Option<&Call>) -> String {
        match (records.first(), call.map(|c| c.function)) {
            (Some(p), Some("getprotobynumber")) => format!(
                "# no Python equivalent (socket has no getprotobynumber); C found {} (aliases \
                 {}); the way back is socket.getprotobyname({}) == {}",
                crate::pyrepr::str_repr(&p.name),
                Py::strs(&p.aliases),
                crate::pyrepr::str_repr(&p.name),
                p.number
            ),
            _ => "# no Python rendering for this call".to_string(),
        }
    }

    /// For getprotobynumber, what C said, as a comment: Python has no call to raise anything.
    fn python_failure(failure: &Failure, call: Option<&Call>) -> String {
        let by_number = call.is_some_and(|c| c.function == "getprotobynumber");
        if by_number && failure.code != "INVALID_INPUT" {
            format!(
                "# no Python equivalent (socket has no getprotobynumber); C found nothing: {} \
                 ({})",
                failure.message, failure.code
            )
        } else {
            failure.python_exception()
        }
    }
}
