//! Sockets for real (issue 3): `socket` shows what the kernel made, `connect` talks to a server, `serve` is one.

pub mod args;
pub mod connect;
pub mod field;
pub mod model;
pub mod run;
pub mod serve;
pub mod socket;
pub mod text;
