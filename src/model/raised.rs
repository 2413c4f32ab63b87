//! Exceptions CPython raises itself, before (or instead of) the C call: their class and text, typed.

/// An exception the socket module raises on its own, from converting its arguments or checking
/// what the C library gave back, never from the C call's error code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Raised {
    /// A NUL in a str passed to C as a string ("s").
    NulCharacter,
    /// A NUL in a str passed to C as a file-system path (PyUnicode_FSConverter).
    NulByte,
    /// An int beyond a C unsigned long (PyLong_AsUnsignedLong).
    UnsignedLongOverflow,
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
            Raised::NulCharacter | Raised::NulByte | Raised::NtopLength | Raised::NotHex { .. } => {
                "ValueError"
            }
            Raised::UnsignedLongOverflow => "OverflowError",
            Raised::NullWithoutException { .. } => "SystemError",
            Raised::IllegalAddress { .. } | Raised::NtoaLength => "OSError",
        }
    }

    /// The exception's text, CPython's words exactly.
    pub fn message(&self) -> String {
        match self {
            Raised::NulCharacter => "embedded null character".to_string(),
            Raised::NulByte => "embedded null byte".to_string(),
            Raised::UnsignedLongOverflow => {
                "Python int too large to convert to C unsigned long".to_string()
            }
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

    /// The REPL's last traceback line: `OSError: packed IP wrong length for inet_ntoa`.
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
