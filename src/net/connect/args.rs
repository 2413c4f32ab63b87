//! The command-line arguments of `connect`, with the ranges of its sizes and counts.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;

use crate::parse;

/// The largest `--recv-size`: one buffer of this size is allocated for the whole exchange.
pub const MAX_RECV_SIZE: u64 = 16 << 20;
/// The largest `--max-bytes` and `--max-send`: a tebibyte, far beyond any test of a server,
/// still a number no counter can overflow.
pub const MAX_TRANSFER: u64 = 1 << 40;
/// Without `--raw` the reply is kept to be printed, so it is capped lower than what `--raw`
/// streams.
pub const MAX_KEPT_REPLY: u64 = 1 << 30;
/// The most reply datagrams `--udp` waits for.
pub const MAX_DATAGRAMS: u64 = 10_000;

/// `connect HOST SERVICE [--send TEXT | --send-file PATH | --stdin | --http[=PATH]]`.
#[derive(Debug, Args)]
pub struct ConnectArgs {
    /// Host name or numeric address (an IPv6 address may be in brackets: [::1])
    pub host: OsString,

    /// Service name or port number
    pub service: OsString,

    /// Send this text; \r \n \t \0 \\ and \xHH escapes are turned into bytes
    #[arg(long, value_name = "TEXT", group = "request")]
    pub send: Option<String>,

    /// Send the contents of this file, read as it is sent (a pipe or /dev/zero works; see
    /// --max-send)
    #[arg(long, value_name = "PATH", group = "request")]
    pub send_file: Option<PathBuf>,

    /// Send what arrives on standard input, as it arrives
    #[arg(long, group = "request")]
    pub stdin: bool,

    /// Send `GET PATH HTTP/1.1` with `Host:`, `User-Agent: sockscope/VERSION`, `Accept: */*`
    /// and `Connection: close`; PATH is / unless given as --http=PATH, and may not hold spaces
    /// or control characters
    // The PATH is optional, so with a space it would take the next word (`--http localhost
    // 8080` read "localhost" as the path): only `=` attaches it.
    #[arg(
        long,
        value_name = "PATH",
        num_args = 0..=1,
        require_equals = true,
        default_missing_value = "/",
        group = "request",
        value_parser = http_path
    )]
    pub http: Option<String>,

    /// UDP: send the request as one datagram (empty without one) and wait for the reply
    /// datagrams (--datagrams), each reported
    #[arg(long)]
    pub udp: bool,

    /// With --udp: how many reply datagrams to wait for (1-10000)
    #[arg(long, value_name = "N", default_value = "1", value_parser = clap::value_parser!(u64).range(1..=MAX_DATAGRAMS), requires = "udp")]
    pub datagrams: u64,

    /// Write exactly the bytes received to stdout as they arrive, and nothing else; the
    /// summary goes to stderr
    #[arg(long)]
    pub raw: bool,

    /// Stop reading after this many bytes (suffixes K, M, G; 1 to 1024G with --raw, which streams,
    /// at most 1G otherwise, since the reply is kept to be printed)
    #[arg(long, value_name = "N", default_value = "4M", value_parser = transfer_size)]
    pub max_bytes: u64,

    /// Stop sending after this many bytes of the request (1 to 1024G), then half-close as at its end
    #[arg(long, value_name = "N", value_parser = transfer_size)]
    pub max_send: Option<u64>,

    /// Seconds for the whole exchange: resolving, connecting, sending and reading (a deadline,
    /// not a limit on each call)
    #[arg(long, value_name = "SECS", default_value = "10", value_parser = parse::seconds)]
    pub timeout: Duration,

    /// Fail (ETIMEDOUT) when nothing is sent or received for this many seconds
    #[arg(long, value_name = "SECS", value_parser = parse::seconds)]
    pub idle_timeout: Option<Duration>,

    /// With nothing to send: how long to read what the server says first (a banner) before
    /// reporting, a success whether or not anything came
    #[arg(long, value_name = "SECS", default_value = "1", value_parser = parse::seconds)]
    pub banner_wait: Duration,

    /// Buffer size of each recv call, the lecture's buffsize (1 to 16M)
    #[arg(long, value_name = "N", default_value = "4096", value_parser = recv_size)]
    pub recv_size: u64,

    /// Keep sending open after the request instead of shutdown(SHUT_WR)
    #[arg(long)]
    pub no_half_close: bool,

    /// Address family to ask getaddrinfo for: unspec, inet or inet6
    #[arg(short, long, value_name = "FAMILY", value_parser = ip_family, conflicts_with_all = ["inet", "inet6"])]
    pub family: Option<i32>,

    /// Only IPv4 addresses (-f inet)
    #[arg(short = '4', conflicts_with = "inet6")]
    pub inet: bool,

    /// Only IPv6 addresses (-f inet6)
    #[arg(short = '6')]
    pub inet6: bool,
}

impl ConnectArgs {
    pub fn family(&self) -> i32 {
        parse::family_shortcut(
            self.inet,
            self.inet6,
            self.family.unwrap_or(libc::AF_UNSPEC),
        )
    }
}

/// A size between 1 and `max`, with parse::size's suffixes.
fn size_in(text: &str, max: u64, what: &str) -> Result<u64, String> {
    let size = parse::size(text)?;
    u64::try_from(size)
        .ok()
        .filter(|&n| n <= max)
        .ok_or_else(|| format!("at most {what} ({max} bytes), not {text}"))
}

fn transfer_size(text: &str) -> Result<u64, String> {
    size_in(text, MAX_TRANSFER, "1024G")
}

fn recv_size(text: &str) -> Result<u64, String> {
    size_in(text, MAX_RECV_SIZE, "16M")
}

/// The families a TCP or UDP client can connect with.
fn ip_family(text: &str) -> Result<i32, String> {
    match parse::family(text)? {
        f @ (libc::AF_UNSPEC | libc::AF_INET | libc::AF_INET6) => Ok(f),
        _ => Err(format!(
            "connect takes unspec, inet or inet6 as its family, not {text}"
        )),
    }
}

/// An HTTP request target: no white space or control characters, which would end the request
/// line early or start a header of the user's making.
fn http_path(text: &str) -> Result<String, String> {
    if text.is_empty() {
        return Err("the path is empty (give --http=/ or leave the = out)".to_string());
    }
    if let Some(c) = text.chars().find(|c| c.is_control() || c.is_whitespace()) {
        return Err(format!(
            "the path may not hold spaces or control characters ({c:?})"
        ));
    }
    Ok(text.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_outside_their_range_are_refused_not_wrapped() {
        assert_eq!(recv_size("4096"), Ok(4096));
        assert_eq!(recv_size("16M"), Ok(16 << 20));
        assert!(recv_size("18446744073709551615").is_err());
        assert!(recv_size("1e11").is_err());
        assert!(recv_size("0").is_err());
        assert_eq!(
            transfer_size("1T").ok(),
            None,
            "no T suffix: plain bytes only"
        );
        assert_eq!(transfer_size("1099511627776"), Ok(MAX_TRANSFER));
        assert!(transfer_size("1099511627777").is_err());
    }

    #[test]
    fn http_paths_with_line_breaks_are_refused() {
        assert!(http_path("/a\r\nX-Injected: 1").is_err());
        assert!(http_path("/a b").is_err());
        assert!(http_path("/a\u{7f}").is_err());
        assert_eq!(http_path("/index.html?q=1"), Ok("/index.html?q=1".into()));
    }
}
