//! The libc boundary: the only module with `unsafe`, turning C calls into owned Rust values and typed errors.

pub mod error;
mod ffi;
pub mod ifaddrs;
pub mod netdb;
pub mod poll;
pub mod socket;

pub use error::SysError;
/// getaddrinfo's flag for IDNA re-encoding, which the libc crate lacks.
pub use ffi::AI_IDN;
/// The constants build.rs reads from the C headers, for the constants table.
pub use ffi::headers;
