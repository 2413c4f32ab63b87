//! The command-line arguments of `socket`, `connect` and `serve`, re-exported from their rooms so cli.rs can name them here.

pub use super::connect::ConnectArgs;
pub use super::serve::ServeArgs;
pub use super::socket::SocketArgs;
