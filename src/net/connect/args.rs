//! The command-line arguments of `connect`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::parse;

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
    #[arg(long, value_name = "N", default_value = "4M", value_parser = parse::size)]
    pub max_bytes: usize,

    /// Seconds allowed for each connect attempt, and again for the whole reply
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse::seconds)]
    pub timeout: Duration,

    /// Buffer size of each recv call (the lecture's buffsize)
    #[arg(long, value_name = "N", default_value = "4096", value_parser = parse::size)]
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
        crate::parse::family_shortcut(self.inet, self.inet6, libc::AF_UNSPEC)
    }
}
