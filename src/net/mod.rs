//! Sockets for real: `socket` shows what the kernel made, `connect` talks to a server, `serve` is one.

pub mod args;
mod connect;
mod field;
mod serve;
mod socket;
mod text;
