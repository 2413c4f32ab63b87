//! Typed errors as libc reports them: an EAI code, an h_errno, an errno, or "no entry".

use std::ffi::CStr;
use std::fmt;

pub use super::ffi::{
    EAI_ADDRFAMILY, EAI_IDN_ENCODE, HOST_NOT_FOUND, NO_DATA, NO_RECOVERY, TRY_AGAIN,
};

/// One failed libc call, in the vocabulary of the call that failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SysError {
    /// getaddrinfo/getnameinfo returned this EAI code; for EAI_SYSTEM, `errno` says why.
    Gai { code: i32, errno: Option<i32> },
    /// A gethostbyname_r-style call set h_errno.
    Herrno(i32),
    /// A call that reports through errno.
    Errno(i32),
    /// A netdb database lookup (getservbyname, ...) found no entry; the text is Python's.
    NotFound(&'static str),
}

impl SysError {
    /// The symbolic code scripts match on: `EAI_NONAME`, `HOST_NOT_FOUND`, `ECONNREFUSED`, `NOT_FOUND`.
    pub fn code(&self) -> String {
        match self {
            SysError::Gai { code, .. } => gai_name(*code),
            SysError::Herrno(h) => herrno_name(*h),
            SysError::Errno(e) => errno_name(*e),
            SysError::NotFound(_) => "NOT_FOUND".to_string(),
        }
    }

    /// sockscope's message for a person: it tells NXDOMAIN, no data and a failing server apart
    /// where the C library's text does not ("Name or service not known" for both a missing
    /// name and a bad AI_NUMERICHOST). The library's own text stays available as `strerror`.
    pub fn message(&self) -> String {
        match self {
            SysError::Gai { code, errno } => {
                // EAI_SYSTEM alone says nothing; the errno says what went wrong.
                if let (true, Some(errno)) = (*code == libc::EAI_SYSTEM, errno) {
                    return errno_message(*errno);
                }
                gai_message(*code)
                    .map_or_else(|| self.strerror().unwrap_or_default(), str::to_string)
            }
            SysError::Herrno(h) => herrno_message(*h)
                .map_or_else(|| self.strerror().unwrap_or_default(), str::to_string),
            SysError::Errno(e) => errno_message(*e),
            SysError::NotFound(text) => (*text).to_string(),
        }
    }

    /// The C library's own text for the code (gai_strerror, hstrerror, strerror): what Python's
    /// exception carries, e.g. `socket.gaierror: [Errno -2] Name or service not known`.
    /// A database miss has no such text (Python's words for it are already the message).
    pub fn strerror(&self) -> Option<String> {
        match self {
            SysError::Gai { code, errno } => {
                // Python shows the errno text for EAI_SYSTEM too.
                if let (true, Some(errno)) = (*code == libc::EAI_SYSTEM, errno) {
                    return Some(errno_message(*errno));
                }
                // SAFETY: gai_strerror returns a pointer to a static NUL-terminated string for any code.
                let text = unsafe { CStr::from_ptr(libc::gai_strerror(*code)) };
                Some(text.to_string_lossy().into_owned())
            }
            SysError::Herrno(h) => {
                // SAFETY: hstrerror returns a pointer to a static NUL-terminated string for any code.
                let text = unsafe { CStr::from_ptr(libc::hstrerror(*h)) };
                Some(text.to_string_lossy().into_owned())
            }
            SysError::Errno(e) => Some(errno_message(*e)),
            SysError::NotFound(_) => None,
        }
    }
}

impl fmt::Display for SysError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message(), self.code())
    }
}

impl std::error::Error for SysError {}

fn gai_name(code: i32) -> String {
    let name = match code {
        libc::EAI_AGAIN => "EAI_AGAIN",
        libc::EAI_BADFLAGS => "EAI_BADFLAGS",
        libc::EAI_FAIL => "EAI_FAIL",
        libc::EAI_FAMILY => "EAI_FAMILY",
        libc::EAI_MEMORY => "EAI_MEMORY",
        libc::EAI_NODATA => "EAI_NODATA",
        libc::EAI_NONAME => "EAI_NONAME",
        libc::EAI_SERVICE => "EAI_SERVICE",
        libc::EAI_SOCKTYPE => "EAI_SOCKTYPE",
        libc::EAI_SYSTEM => "EAI_SYSTEM",
        libc::EAI_OVERFLOW => "EAI_OVERFLOW",
        EAI_ADDRFAMILY => "EAI_ADDRFAMILY",
        EAI_IDN_ENCODE => "EAI_IDN_ENCODE",
        _ => return format!("EAI_{code}"),
    };
    name.to_string()
}

fn herrno_name(h: i32) -> String {
    let name = match h {
        HOST_NOT_FOUND => "HOST_NOT_FOUND",
        TRY_AGAIN => "TRY_AGAIN",
        NO_RECOVERY => "NO_RECOVERY",
        NO_DATA => "NO_DATA",
        _ => return format!("H_ERRNO_{h}"),
    };
    name.to_string()
}

/// The same case has the same words whichever call reported it (EAI code or h_errno).
const NXDOMAIN: &str = "no such name (NXDOMAIN)";
const NODATA: &str = "name exists but has no address of this family";
const TRY_AGAIN_TEXT: &str = "the DNS server failed, refused or did not answer (try again)";
const NO_RECOVERY_TEXT: &str =
    "non-recoverable failure in name resolution (bad answer from the server)";

/// sockscope's text for the EAI codes whose gai_strerror text misleads or says little.
fn gai_message(code: i32) -> Option<&'static str> {
    Some(match code {
        libc::EAI_NONAME => NXDOMAIN,
        libc::EAI_NODATA | EAI_ADDRFAMILY => NODATA,
        libc::EAI_AGAIN => TRY_AGAIN_TEXT,
        libc::EAI_FAIL => NO_RECOVERY_TEXT,
        libc::EAI_SERVICE => "no such service for this socket type",
        libc::EAI_FAMILY => "address family not supported",
        libc::EAI_SOCKTYPE => "socket type not supported",
        libc::EAI_BADFLAGS => "invalid flags or combination of flags",
        libc::EAI_MEMORY => "out of memory",
        // glibc says "Argument buffer overflow", which names neither buffer nor cause.
        libc::EAI_OVERFLOW => "the answer did not fit in the buffer for the host or service name",
        // glibc says "Parameter string not correctly encoded"; sockscope never sets a locale,
        // so under AI_IDN any non-ASCII name ends here.
        EAI_IDN_ENCODE => {
            "AI_IDN could not encode the host name as IDNA (sockscope runs in the C locale, \
             where only ASCII names can be encoded)"
        }
        _ => return None,
    })
}

/// sockscope's text for gethostbyname_r's h_errno values, worded like the EAI cases.
fn herrno_message(h: i32) -> Option<&'static str> {
    Some(match h {
        HOST_NOT_FOUND => NXDOMAIN,
        NO_DATA => NODATA,
        TRY_AGAIN => TRY_AGAIN_TEXT,
        NO_RECOVERY => NO_RECOVERY_TEXT,
        _ => return None,
    })
}

/// strerror's text, as Python's OSError shows it.
pub fn errno_message(errno: i32) -> String {
    std::io::Error::from_raw_os_error(errno)
        .to_string()
        .split(" (os error")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The symbolic errno name; the numbers come from the libc crate for this platform.
pub fn errno_name(errno: i32) -> String {
    ERRNO_NAMES
        .iter()
        .find(|(value, _)| *value == errno)
        .map_or_else(|| format!("ERRNO_{errno}"), |(_, name)| (*name).to_string())
}

const ERRNO_NAMES: &[(i32, &str)] = &[
    (libc::EPERM, "EPERM"),
    (libc::ENOENT, "ENOENT"),
    (libc::ESRCH, "ESRCH"),
    (libc::EINTR, "EINTR"),
    (libc::EIO, "EIO"),
    (libc::ENXIO, "ENXIO"),
    (libc::E2BIG, "E2BIG"),
    (libc::EBADF, "EBADF"),
    (libc::EAGAIN, "EAGAIN"),
    (libc::ENOMEM, "ENOMEM"),
    (libc::EACCES, "EACCES"),
    (libc::EFAULT, "EFAULT"),
    (libc::EBUSY, "EBUSY"),
    (libc::EEXIST, "EEXIST"),
    (libc::ENODEV, "ENODEV"),
    (libc::ENOTDIR, "ENOTDIR"),
    (libc::EISDIR, "EISDIR"),
    (libc::EINVAL, "EINVAL"),
    (libc::ENFILE, "ENFILE"),
    (libc::EMFILE, "EMFILE"),
    (libc::ENOSPC, "ENOSPC"),
    (libc::EROFS, "EROFS"),
    (libc::EPIPE, "EPIPE"),
    (libc::ERANGE, "ERANGE"),
    (libc::ENAMETOOLONG, "ENAMETOOLONG"),
    (libc::ENOSYS, "ENOSYS"),
    (libc::ELOOP, "ELOOP"),
    (libc::ENOTSOCK, "ENOTSOCK"),
    (libc::EDESTADDRREQ, "EDESTADDRREQ"),
    (libc::EMSGSIZE, "EMSGSIZE"),
    (libc::EPROTOTYPE, "EPROTOTYPE"),
    (libc::ENOPROTOOPT, "ENOPROTOOPT"),
    (libc::EPROTONOSUPPORT, "EPROTONOSUPPORT"),
    (libc::ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"),
    (libc::EOPNOTSUPP, "EOPNOTSUPP"),
    (libc::EPFNOSUPPORT, "EPFNOSUPPORT"),
    (libc::EAFNOSUPPORT, "EAFNOSUPPORT"),
    (libc::EADDRINUSE, "EADDRINUSE"),
    (libc::EADDRNOTAVAIL, "EADDRNOTAVAIL"),
    (libc::ENETDOWN, "ENETDOWN"),
    (libc::ENETUNREACH, "ENETUNREACH"),
    (libc::ENETRESET, "ENETRESET"),
    (libc::ECONNABORTED, "ECONNABORTED"),
    (libc::ECONNRESET, "ECONNRESET"),
    (libc::ENOBUFS, "ENOBUFS"),
    (libc::EISCONN, "EISCONN"),
    (libc::ENOTCONN, "ENOTCONN"),
    (libc::ESHUTDOWN, "ESHUTDOWN"),
    (libc::ETIMEDOUT, "ETIMEDOUT"),
    (libc::ECONNREFUSED, "ECONNREFUSED"),
    (libc::EHOSTDOWN, "EHOSTDOWN"),
    (libc::EHOSTUNREACH, "EHOSTUNREACH"),
    (libc::EALREADY, "EALREADY"),
    (libc::EINPROGRESS, "EINPROGRESS"),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gai_errors_have_names_messages_and_codes() {
        let err = SysError::Gai {
            code: libc::EAI_NONAME,
            errno: None,
        };
        assert_eq!(err.code(), "EAI_NONAME");
        assert_eq!(err.message(), "no such name (NXDOMAIN)");
        assert_eq!(err.strerror().unwrap(), "Name or service not known");
    }

    #[test]
    fn every_gai_code_has_a_message_of_its_own() {
        for code in [
            libc::EAI_NONAME,
            libc::EAI_NODATA,
            libc::EAI_AGAIN,
            libc::EAI_FAIL,
            libc::EAI_OVERFLOW,
            EAI_ADDRFAMILY,
            EAI_IDN_ENCODE,
        ] {
            let err = SysError::Gai { code, errno: None };
            assert_ne!(Some(err.message()), err.strerror(), "{}", err.code());
        }
        // An unknown code still says something: the library's text.
        let odd = SysError::Gai {
            code: -999,
            errno: None,
        };
        assert_eq!(Some(odd.message()), odd.strerror());
    }

    #[test]
    fn herrno_and_errno_are_named() {
        assert_eq!(SysError::Herrno(TRY_AGAIN).code(), "TRY_AGAIN");
        assert_eq!(SysError::Errno(libc::ECONNREFUSED).code(), "ECONNREFUSED");
        assert_eq!(
            SysError::Errno(libc::ECONNREFUSED).message(),
            "Connection refused"
        );
        assert_eq!(errno_name(99999), "ERRNO_99999");
        assert_eq!(SysError::Herrno(NO_DATA).message(), NODATA);
        assert_eq!(
            SysError::Herrno(HOST_NOT_FOUND).strerror().unwrap(),
            "Unknown host"
        );
        assert_eq!(
            Some(SysError::Herrno(99).message()),
            SysError::Herrno(99).strerror()
        );
    }
}
