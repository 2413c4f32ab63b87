//! The command-line arguments of `socket`, `connect` and `serve`, kept beside their code so cli.rs only names them.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

pub use super::socket::SocketArgs;

use super::text::{parse_seconds, parse_size};

/// `connect HOST SERVICE [--send TEXT | --send-file PATH | --stdin | --http[=PATH]]`.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// Host name or numeric address
    pub host: OsString,

    /// Service name or port number
    pub service: OsString,

    /// Send this text; \r \n \t \0 \\ and \xHH escapes are turned into bytes
    #[arg(long, value_name = "TEXT", group = "request")]
    pub send: Option<String>,

    /// Send the contents of this file
    #[arg(long, value_name = "PATH", group = "request")]
    pub send_file: Option<PathBuf>,

    /// Send everything read from standard input
    #[arg(long, group = "request")]
    pub stdin: bool,

    /// Send `GET PATH HTTP/1.1` with `Host:` and `Connection: close`; PATH is / unless given
    /// as --http=PATH
    // The PATH is optional, so with a space it would take the next word (`--http localhost
    // 8080` read "localhost" as the path): only `=` attaches it.
    #[arg(
        long,
        value_name = "PATH",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "/",
        group = "request"
    )]
    pub http: Option<String>,

    /// Write exactly the bytes received to stdout and nothing else; the summary goes to stderr
    #[arg(long)]
    pub raw: bool,

    /// Stop reading after this many bytes (suffixes K, M, G)
    #[arg(long, value_name = "N", default_value = "4M", value_parser = parse_size)]
    pub max_bytes: usize,

    /// Seconds allowed for each connect attempt, and again for the whole reply
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse_seconds)]
    pub timeout: Duration,

    /// Buffer size of each recv call (the lecture's buffsize)
    #[arg(long, value_name = "N", default_value = "4096", value_parser = parse_size)]
    pub recv_size: usize,

    /// Keep sending open after the request instead of shutdown(SHUT_WR)
    #[arg(long)]
    pub no_half_close: bool,

    /// Only IPv4 addresses
    #[arg(short = '4', conflicts_with = "inet6")]
    pub inet: bool,

    /// Only IPv6 addresses
    #[arg(short = '6')]
    pub inet6: bool,
}

impl ConnectArgs {
    pub fn family(&self) -> i32 {
        crate::cli::family_shortcut(self.inet, self.inet6, libc::AF_UNSPEC)
    }
}

/// `serve [ADDRESS:]PORT [--reply TEXT | --echo] [--once] [--max-conns N] [--recv-size N]`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// PORT (on 127.0.0.1), ADDRESS:PORT, [IPV6]:PORT, :PORT (every interface, Python's '') or
    /// NAME:PORT (its first IPv4 address, as Python's bind finds it); port 0 lets the kernel choose
    #[arg(value_name = "[ADDRESS:]PORT")]
    pub listen: String,

    /// Answer each connection with TEXT after one recv, then close (the lecture's server);
    /// escapes as in `connect --send`. The default is "message received"
    #[arg(long, value_name = "TEXT", conflicts_with = "echo")]
    pub reply: Option<String>,

    /// Send back every byte received until the client closes its side, then close
    #[arg(long)]
    pub echo: bool,

    /// Serve one connection, then stop
    #[arg(long)]
    pub once: bool,

    /// Connections served at once; more wait in the kernel's listen queue until one ends
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_conns: u32,

    /// Buffer size of each recv (default 16 with --reply, as the lecture's recv(16); 64K with --echo)
    #[arg(long, value_name = "N", value_parser = parse_size)]
    pub recv_size: Option<usize>,

    /// Close a connection that sends nothing for this many seconds
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse_seconds)]
    pub idle_timeout: Duration,

    /// Close a connection after reading this many bytes from it (suffixes K, M, G)
    #[arg(long, value_name = "N", default_value = "16M", value_parser = parse_size)]
    pub max_bytes: usize,

    /// listen(2) backlog: connections the kernel queues before serve accepts them
    #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(i32).range(1..=65535))]
    pub backlog: i32,
}
