//! Exceptions CPython raises itself, before (or instead of) the C call: their class and text, typed.

/// An exception the socket module raises on its own, from converting its arguments or checking
/// what the C library gave back, never from the C call's error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raised {
    /// A str (or bytes, `given`) where an int is wanted (the "i" and "I" argument formats).
    NotAnInteger { given: &'static str },
    /// A value of type `given` where another is wanted: `getservbyname() argument 1 must be
    /// str, not int`.
    WrongType {
        function: &'static str,
        position: u8,
        expected: &'static str,
        given: &'static str,
    },
    /// getaddrinfo's own check of its host: a str, bytes or None.
    HostNotString,
    /// getnameinfo's tuple whose first element is not a str.
    IllegalSockaddr,
    /// An int beyond a C long (PyLong_AsLong).
    LongOverflow,
    /// An int beyond a C int: above its maximum, or (`below`) under its minimum.
    IntOverflow { below: bool },
    /// An int beyond a C unsigned long (PyLong_AsUnsignedLong).
    UnsignedLongOverflow,
    /// getservbyport's own range check.
    PortRange,
    /// getnameinfo's flow label check, made after the value was cut to 32 bits.
    FlowInfo,
    /// A NUL in a str passed to C as a string ("s").
    NulCharacter,
    /// A NUL in a str passed to C as a file-system path (PyUnicode_FSConverter).
    NulByte,
    /// A NUL in a host name, str or bytes (`given`), for the "et" format.
    NulInHost {
        function: &'static str,
        given: &'static str,
    },
    /// getnameinfo with a 4-tuple for an IPv4 address.
    Ipv4Tuple,
    /// getnameinfo's host resolved to more than one address.
    ManyAddresses,
    /// setipaddr's empty host: the wildcard came back as more than one address.
    ManyWildcards,
    /// inet_aton or inet_pton returned 0: `function` names which.
    IllegalAddress { function: &'static str },
    /// inet_ntoa's own length check of its bytes.
    NtoaLength,
    /// inet_ntop's own length check of its bytes for the family.
    NtopLength,
    /// CPython 3.11's if_indextoname takes 2**64-1, PyLong_AsUnsignedLong's error value, for an
    /// error and returns without an exception set.
    NullWithoutException { function: &'static str },
    /// bytes.fromhex's first character that is not a hex digit (or the missing second digit).
    NotHex { position: usize },
}

impl Raised {
    /// The exception's name as the REPL's last traceback line shows it.
    pub fn class(&self) -> &'static str {
        match self {
            Raised::NotAnInteger { .. }
            | Raised::WrongType { .. }
            | Raised::HostNotString
            | Raised::IllegalSockaddr
            | Raised::NulInHost { .. } => "TypeError",
            Raised::LongOverflow
            | Raised::IntOverflow { .. }
            | Raised::UnsignedLongOverflow
            | Raised::PortRange
            | Raised::FlowInfo => "OverflowError",
            Raised::NulCharacter | Raised::NulByte | Raised::NtopLength | Raised::NotHex { .. } => {
                "ValueError"
            }
            Raised::Ipv4Tuple
            | Raised::ManyAddresses
            | Raised::ManyWildcards
            | Raised::IllegalAddress { .. }
            | Raised::NtoaLength => "OSError",
            Raised::NullWithoutException { .. } => "SystemError",
        }
    }

    /// The exception's text, CPython's words exactly.
    pub fn message(&self) -> String {
        match self {
            Raised::NotAnInteger { given } => {
                format!("'{given}' object cannot be interpreted as an integer")
            }
            Raised::WrongType {
                function,
                position,
                expected,
                given,
            } => format!("{function}() argument {position} must be {expected}, not {given}"),
            Raised::HostNotString => "getaddrinfo() argument 1 must be string or None".to_string(),
            Raised::IllegalSockaddr => "getnameinfo(): illegal sockaddr argument".to_string(),
            Raised::LongOverflow => "Python int too large to convert to C long".to_string(),
            Raised::IntOverflow { below: false } => {
                "signed integer is greater than maximum".to_string()
            }
            Raised::IntOverflow { below: true } => {
                "signed integer is less than minimum".to_string()
            }
            Raised::UnsignedLongOverflow => {
                "Python int too large to convert to C unsigned long".to_string()
            }
            Raised::PortRange => "getservbyport: port must be 0-65535.".to_string(),
            Raised::FlowInfo => "getnameinfo(): flowinfo must be 0-1048575.".to_string(),
            Raised::NulCharacter => "embedded null character".to_string(),
            Raised::NulByte => "embedded null byte".to_string(),
            Raised::NulInHost { function, given } => format!(
                "{function}() argument 1 must be encoded string without null bytes, not {given}"
            ),
            Raised::Ipv4Tuple => "IPv4 sockaddr must be 2 tuple".to_string(),
            Raised::ManyAddresses => "sockaddr resolved to multiple addresses".to_string(),
            Raised::ManyWildcards => "wildcard resolved to multiple address".to_string(),
            Raised::IllegalAddress { function } => {
                format!("illegal IP address string passed to {function}")
            }
            Raised::NullWithoutException { function } => {
                format!("<built-in function {function}> returned NULL without setting an exception")
            }
            Raised::NtoaLength => "packed IP wrong length for inet_ntoa".to_string(),
            Raised::NtopLength => "invalid length of packed IP address string".to_string(),
            Raised::NotHex { position } => {
                format!("non-hexadecimal number found in fromhex() arg at position {position}")
            }
        }
    }

    /// The REPL's last traceback line: `OverflowError: getservbyport: port must be 0-65535.`
    pub fn line(&self) -> String {
        format!("{}: {}", self.class(), self.message())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_like_the_repl() {
        assert_eq!(
            Raised::PortRange.line(),
            "OverflowError: getservbyport: port must be 0-65535."
        );
        assert_eq!(
            Raised::WrongType {
                function: "getservbyname",
                position: 2,
                expected: "str",
                given: "int",
            }
            .line(),
            "TypeError: getservbyname() argument 2 must be str, not int"
        );
        assert_eq!(
            Raised::ManyWildcards.line(),
            "OSError: wildcard resolved to multiple address"
        );
        assert_eq!(
            Raised::IllegalAddress {
                function: "inet_aton"
            }
            .line(),
            "OSError: illegal IP address string passed to inet_aton"
        );
        assert_eq!(
            Raised::NotHex { position: 7 }.line(),
            "ValueError: non-hexadecimal number found in fromhex() arg at position 7"
        );
    }
}
