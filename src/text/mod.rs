//! Text helpers above the C library: constants by name, Python reprs, C and Python source, and the one-line error text.

mod constants_table;
pub mod csource;
pub mod idna;
mod nameprep;
pub mod printable;
pub mod pyrepr;
pub mod symbols;

pub use printable::printable;
