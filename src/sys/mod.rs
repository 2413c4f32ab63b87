//! The libc boundary: the only module with `unsafe`, turning C calls into owned Rust values and typed errors.

pub mod error;
mod ffi;
pub mod ifaddrs;
pub mod inet;
pub mod interrupt;
pub mod locale;
mod math;
pub mod netdb;
pub mod netlink;
pub mod poll;
pub mod resolv;
pub mod socket;
pub mod start;

pub use error::SysError;
/// The constants build.rs reads from the C headers, for the constants table.
pub use ffi::headers;
/// getaddrinfo's flags for IDNA encoding and decoding, which the libc crate lacks.
pub use ffi::{AI_CANONIDN, AI_IDN};
