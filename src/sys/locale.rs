//! The C locale switch: `setlocale(LC_ALL, "")`, as a C program that honours the user's locale makes it.

use std::ffi::CStr;

/// The locale now in force for character classification, and its character set.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locale {
    pub name: String,
    pub codeset: String,
}

/// Switch this process to the locale the environment names (LC_ALL, LC_CTYPE, LANG), which
/// is what getaddrinfo's AI_IDN converts host names from; None if the C library refused it
/// (then the "C" locale stays).
pub fn use_environment() -> Locale {
    // SAFETY: the argument is a NUL-terminated empty string; setlocale copies what it needs.
    // Called before any other thread of `why` reads the locale.
    unsafe { libc::setlocale(libc::LC_ALL, c"".as_ptr()) };
    current()
}

/// The current LC_CTYPE locale's name and codeset.
pub fn current() -> Locale {
    // SAFETY: a NULL locale argument only queries; the returned string is valid until the next
    // setlocale call and is copied at once.
    let name = unsafe { libc::setlocale(libc::LC_CTYPE, std::ptr::null()) };
    let name = if name.is_null() {
        "C".to_string()
    } else {
        // SAFETY: non-null results of setlocale are NUL-terminated strings.
        unsafe { CStr::from_ptr(name) }
            .to_string_lossy()
            .into_owned()
    };
    // SAFETY: nl_langinfo returns a pointer to a NUL-terminated string owned by the C library.
    let codeset = unsafe { libc::nl_langinfo(libc::CODESET) };
    let codeset = if codeset.is_null() {
        String::new()
    } else {
        // SAFETY: as above; copied at once.
        unsafe { CStr::from_ptr(codeset) }
            .to_string_lossy()
            .into_owned()
    };
    Locale { name, codeset }
}
