//! Why a key got no answer, as a typed cause: its code, message, outcome and Python exception follow from it.

use std::time::Duration;

use serde::ser::{Serialize, SerializeStruct, Serializer};

use crate::sys::SysError;
use crate::sys::error::{EAI_ADDRFAMILY, EAI_IDN_ENCODE, HOST_NOT_FOUND, NO_DATA, TRY_AGAIN};

use super::outcome::Outcome;
pub use super::raised::Raised;

/// Why a key failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cause {
    /// A libc call failed and its own code says why.
    System(SysError),
    /// A libc call failed, and sockscope knows more than its code tells: the code stays the
    /// call's (scripts match on it), the message says what really happened.
    Explained(SysError, Why),
    /// Bad input, caught before any libc call.
    Invalid(String),
    /// A host name Python's idna codec refuses to encode, with the codec's own words: bad
    /// input, caught before any call, as Python raises UnicodeError before any call.
    Unencodable(String),
    /// An exception CPython raises itself, from its argument conversions or its checks on
    /// what the C library gave back: bad input, like `Invalid`, in Python's own words.
    Raised(Raised),
    /// Nothing matched, with no libc error to name (no such constant).
    NotFound(String),
    /// Abandoned after `--timeout`.
    Timeout(Duration),
}

/// What sockscope knows about a libc failure beyond its code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Why {
    /// AI_ADDRCONFIG with a family this machine has no address of (loopback aside): glibc
    /// answers EAI_NONAME before any lookup.
    AddrConfig { ipv6: bool },
    /// AI_NUMERICSERV and a service that is not a number: glibc gives up before the host.
    NumericServ,
    /// AI_NUMERICHOST and a host that is not a numeric address.
    NumericHost,
    /// glibc's DNS module refused the name without a query (res_hnok); `unasked` when no other
    /// hosts source could have asked the network either.
    DnsRefused { unasked: bool },
    /// getnameinfo found no name and NI_NAMEREQD forbids the number.
    NameRequired,
    /// A reverse lookup whose name exists without a PTR record.
    NoPtr,
    /// The resolver answered with an entry of another family than the address asked about.
    WrongFamily { answered: i32, asked: i32 },
    /// A numeric address of one family (`given`) where the call asks for another (`asked`):
    /// gethostbyname given `::1` asks getaddrinfo for AF_INET, which answers EAI_ADDRFAMILY.
    NumericOtherFamily { given: i32, asked: i32 },
    /// A connection step that failed; `timeout` is the limit when it timed out.
    During {
        step: &'static str,
        timeout: Option<Duration>,
    },
}

/// The message when no source in /etc/nsswitch.conf could have asked the network about the name.
pub const REFUSED_UNASKED: &str = "not a valid host name for DNS: refused without a query";
/// The message when other sources are configured too: nss_dns sent nothing, but they may have.
pub const REFUSED_BY_DNS: &str = "not a valid host name for DNS (glibc's DNS module refuses it \
                                  without a query), and no other name service found it";

/// Why a key got no answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub cause: Cause,
}

impl Failure {
    /// Bad input caught before any libc call: exit 2, code `INVALID_INPUT`.
    pub fn invalid(message: impl Into<String>) -> Self {
        Failure {
            cause: Cause::Invalid(message.into()),
        }
    }

    /// A lookup that found nothing without any libc error to name (e.g. no such constant).
    pub fn not_found(message: impl Into<String>) -> Self {
        Failure {
            cause: Cause::NotFound(message.into()),
        }
    }

    /// A lookup abandoned after `limit` (`--timeout`): exit 3, code `TIMEOUT`.
    pub fn timeout(limit: Duration) -> Self {
        Failure {
            cause: Cause::Timeout(limit),
        }
    }

    /// A host name Python's idna codec refuses; `reason` is the text of its UnicodeError.
    pub fn unencodable(reason: impl Into<String>) -> Self {
        Failure {
            cause: Cause::Unencodable(reason.into()),
        }
    }

    /// An exception CPython raises itself.
    pub fn raised(raised: Raised) -> Self {
        Failure {
            cause: Cause::Raised(raised),
        }
    }

    /// The exception CPython raises itself, where it is one.
    pub fn as_raised(&self) -> Option<&Raised> {
        match &self.cause {
            Cause::Raised(raised) => Some(raised),
            _ => None,
        }
    }

    /// A libc failure with what sockscope knows about it.
    pub fn explained(error: SysError, why: Why) -> Self {
        Failure {
            cause: Cause::Explained(error, why),
        }
    }

    /// The libc error behind this failure, if a libc call failed.
    pub fn sys(&self) -> Option<&SysError> {
        match &self.cause {
            Cause::System(error) | Cause::Explained(error, _) => Some(error),
            _ => None,
        }
    }

    /// What sockscope knows beyond the code, where it knows something.
    pub fn why(&self) -> Option<&Why> {
        match &self.cause {
            Cause::Explained(_, why) => Some(why),
            _ => None,
        }
    }

    /// Whether getaddrinfo or getnameinfo failed with this EAI code.
    pub fn is_gai(&self, code: i32) -> bool {
        matches!(self.sys(), Some(SysError::Gai { code: c, .. }) if *c == code)
    }

    /// Whether a gethostby*_r call failed with this h_errno.
    pub fn is_herrno(&self, h: i32) -> bool {
        matches!(self.sys(), Some(SysError::Herrno(v)) if *v == h)
    }

    /// Whether nothing matched in a database (no such service, protocol or constant).
    pub fn is_not_found(&self) -> bool {
        matches!(
            self.cause,
            Cause::NotFound(_) | Cause::System(SysError::NotFound(_))
        )
    }

    /// Whether sockscope refused the input before any call (`INVALID_INPUT`).
    pub fn is_invalid(&self) -> bool {
        matches!(
            self.cause,
            Cause::Invalid(_) | Cause::Unencodable(_) | Cause::Raised(_)
        )
    }

    pub fn is_timeout(&self) -> bool {
        matches!(self.cause, Cause::Timeout(_))
    }

    /// The symbolic code scripts match on: `EAI_NONAME`, `HOST_NOT_FOUND`, `INVALID_INPUT`, ...
    pub fn code(&self) -> String {
        match &self.cause {
            Cause::System(error) | Cause::Explained(error, _) => error.code(),
            Cause::Invalid(_) | Cause::Unencodable(_) | Cause::Raised(_) => {
                "INVALID_INPUT".to_string()
            }
            Cause::NotFound(_) => "NOT_FOUND".to_string(),
            Cause::Timeout(_) => "TIMEOUT".to_string(),
        }
    }

    /// sockscope's words for a person; see `SysError::message`.
    pub fn message(&self) -> String {
        match &self.cause {
            Cause::System(error) => error.message(),
            Cause::Explained(error, why) => why.message(error),
            Cause::Invalid(message) | Cause::NotFound(message) => message.clone(),
            Cause::Unencodable(reason) => {
                format!("not a host name Python's idna codec can encode: {reason}")
            }
            Cause::Raised(raised) => raised.message(),
            // f64's Display gives "2" for 2.0 and "0.5" for 0.5: no trailing zeros.
            Cause::Timeout(limit) => format!("no answer within {} s", limit.as_secs_f64()),
        }
    }

    /// The C library's own text for the code, as Python's exception shows it; absent where
    /// sockscope itself found the problem (bad input, timeout).
    pub fn strerror(&self) -> Option<String> {
        self.sys().and_then(SysError::strerror)
    }

    /// How this failure counts towards the run's outcome.
    pub fn outcome(&self) -> Outcome {
        match &self.cause {
            Cause::System(error) | Cause::Explained(error, _) => outcome_of_sys(error),
            Cause::Invalid(_) | Cause::Unencodable(_) | Cause::Raised(_) => Outcome::Usage,
            Cause::NotFound(_) => Outcome::NotFound,
            Cause::Timeout(_) => Outcome::Temporary,
        }
    }

    /// The last line of the traceback Python shows for the same failure
    /// (`socket.gaierror: [Errno -2] Name or service not known`), or a Python comment where
    /// sockscope refused the input before any call was made.
    pub fn python_exception(&self) -> String {
        // Python carries the C library's text, not sockscope's words for a person.
        let message = self.strerror().unwrap_or_else(|| self.message());
        match self.sys() {
            // CPython raises OSError from errno for EAI_SYSTEM.
            Some(SysError::Gai {
                code: libc::EAI_SYSTEM,
                errno,
            }) => match errno {
                Some(errno) => format!("OSError: [Errno {errno}] {message}"),
                None => format!("OSError: {message}"),
            },
            Some(SysError::Gai { code, .. }) => {
                format!("socket.gaierror: [Errno {code}] {message}")
            }
            Some(SysError::Herrno(h)) => format!("socket.herror: [Errno {h}] {message}"),
            Some(SysError::Errno(errno)) => format!("OSError: [Errno {errno}] {message}"),
            // The netdb lookups' "service/proto not found" is the very text of Python's OSError.
            Some(SysError::NotFound(_)) => format!("OSError: {message}"),
            None => match &self.cause {
                Cause::NotFound(_) => format!("OSError: {message}"),
                Cause::Raised(raised) => raised.line(),
                // The codec machinery wraps the codec's own error in another UnicodeError.
                Cause::Unencodable(reason) => format!(
                    "UnicodeError: encoding with 'idna' codec failed (UnicodeError: {reason})"
                ),
                Cause::Invalid(_) => format!("# not called: {message}"),
                _ => format!("# {}: {message}", self.code()),
            },
        }
    }
}

/// How a libc failure maps onto the outcomes: missing is not found, temporary may pass,
/// bad arguments are the caller's, anything else is the system's.
fn outcome_of_sys(error: &SysError) -> Outcome {
    match *error {
        SysError::Gai { code, .. } => match code {
            libc::EAI_NONAME | libc::EAI_NODATA | libc::EAI_SERVICE | EAI_ADDRFAMILY => {
                Outcome::NotFound
            }
            libc::EAI_AGAIN => Outcome::Temporary,
            // A name that cannot be encoded is bad input, like bad flags.
            libc::EAI_BADFLAGS | libc::EAI_FAMILY | libc::EAI_SOCKTYPE | EAI_IDN_ENCODE => {
                Outcome::Usage
            }
            _ => Outcome::System,
        },
        SysError::Herrno(h) => match h {
            HOST_NOT_FOUND | NO_DATA => Outcome::NotFound,
            TRY_AGAIN => Outcome::Temporary,
            _ => Outcome::System,
        },
        // A timeout is the one errno where trying again may well work.
        SysError::Errno(libc::ETIMEDOUT) => Outcome::Temporary,
        // if_indextoname's answer for an index no interface has.
        SysError::Errno(libc::ENXIO) => Outcome::NotFound,
        SysError::Errno(_) => Outcome::System,
        SysError::NotFound(_) => Outcome::NotFound,
    }
}

impl From<SysError> for Failure {
    fn from(error: SysError) -> Self {
        Failure {
            cause: Cause::System(error),
        }
    }
}

/// JSON carries the code, the message and, where there is one, the C library's text.
impl Serialize for Failure {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let strerror = self.strerror();
        let fields = if strerror.is_some() { 3 } else { 2 };
        let mut state = serializer.serialize_struct("Failure", fields)?;
        state.serialize_field("code", &self.code())?;
        state.serialize_field("message", &self.message())?;
        if let Some(strerror) = strerror {
            state.serialize_field("strerror", &strerror)?;
        }
        state.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sys::error::errno_message;

    #[test]
    fn codes_messages_and_outcomes_follow_the_cause() {
        let noname = Failure::from(SysError::Gai {
            code: libc::EAI_NONAME,
            errno: None,
        });
        assert_eq!(noname.code(), "EAI_NONAME");
        assert_eq!(noname.message(), "no such name (NXDOMAIN)");
        assert_eq!(noname.outcome(), Outcome::NotFound);
        assert_eq!(
            noname.python_exception(),
            "socket.gaierror: [Errno -2] Name or service not known"
        );
        let again = Failure::from(SysError::Gai {
            code: libc::EAI_AGAIN,
            errno: None,
        });
        assert_eq!(again.outcome(), Outcome::Temporary);
        assert_eq!(
            Failure::from(SysError::Herrno(HOST_NOT_FOUND)).outcome(),
            Outcome::NotFound
        );
        let timeout = Failure::timeout(Duration::from_millis(500));
        assert_eq!(
            (timeout.code(), timeout.message()),
            ("TIMEOUT".to_string(), "no answer within 0.5 s".to_string())
        );
        assert_eq!(timeout.outcome(), Outcome::Temporary);
        assert_eq!(
            timeout.python_exception(),
            "# TIMEOUT: no answer within 0.5 s"
        );
    }

    #[test]
    fn explained_failures_keep_the_code_and_change_the_words() {
        let refused = Failure::explained(
            SysError::Gai {
                code: libc::EAI_NONAME,
                errno: None,
            },
            Why::DnsRefused { unasked: true },
        );
        assert_eq!(refused.code(), "EAI_NONAME");
        assert_eq!(refused.message(), REFUSED_UNASKED);
        assert_eq!(
            refused.python_exception(),
            "socket.gaierror: [Errno -2] Name or service not known"
        );
        let wrong = Failure::explained(
            SysError::Errno(libc::EAFNOSUPPORT),
            Why::WrongFamily {
                answered: libc::AF_INET,
                asked: libc::AF_INET6,
            },
        );
        assert_eq!(wrong.code(), "EAFNOSUPPORT");
        assert_eq!(wrong.outcome(), Outcome::System);
        assert!(wrong.message().contains("AF_INET entry for an AF_INET6"));
    }

    #[test]
    fn an_unencodable_host_is_bad_input_with_pythons_unicode_error() {
        let failure = Failure::unencodable("label empty or too long");
        assert_eq!(failure.code(), "INVALID_INPUT");
        assert_eq!(failure.outcome(), Outcome::Usage);
        assert!(failure.is_invalid());
        assert_eq!(
            failure.message(),
            "not a host name Python's idna codec can encode: label empty or too long"
        );
        assert_eq!(
            failure.python_exception(),
            "UnicodeError: encoding with 'idna' codec failed (UnicodeError: label empty or too long)"
        );
    }

    #[test]
    fn eai_system_shows_its_errno_as_python_does() {
        let failure = Failure::from(SysError::Gai {
            code: libc::EAI_SYSTEM,
            errno: Some(libc::EMFILE),
        });
        assert_eq!(
            failure.python_exception(),
            format!(
                "OSError: [Errno {}] {}",
                libc::EMFILE,
                errno_message(libc::EMFILE)
            )
        );
    }

    #[test]
    fn json_has_strerror_only_where_libc_spoke() {
        let invalid = serde_json::to_string(&Failure::invalid("bad")).unwrap();
        assert_eq!(invalid, r#"{"code":"INVALID_INPUT","message":"bad"}"#);
        let refused = serde_json::to_string(&Failure::from(SysError::Errno(libc::ECONNREFUSED)));
        assert_eq!(
            refused.unwrap(),
            r#"{"code":"ECONNREFUSED","message":"Connection refused","strerror":"Connection refused"}"#
        );
    }
}
