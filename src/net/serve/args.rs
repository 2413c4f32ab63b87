//! The command-line arguments of `serve`, each size and count with its range.

use std::time::Duration;

use clap::Args;

use crate::parse;

/// The largest `--recv-size`: one recv's buffer is allocated per connection, so it stays small.
pub const MAX_RECV_SIZE: usize = 1 << 20;
/// The largest `--max-bytes`: a count, not memory, but a bound is a bound.
pub const MAX_MAX_BYTES: usize = 1 << 40;
/// The largest `--min-rate`, in bytes per second.
pub const MAX_MIN_RATE: usize = 1 << 30;

/// `serve [ADDRESS:]PORT [--reply TEXT | --echo] [--udp] [--once] [--max-conns N] [--recv-size N]`.
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

    /// UDP instead of TCP: answer (or with --echo, send back) each datagram, one event each
    #[arg(long)]
    pub udp: bool,

    /// Serve one connection (with --udp: one datagram), then stop
    #[arg(long)]
    pub once: bool,

    /// With --udp: stop after this many datagrams (1-1000000000; default: no limit)
    #[arg(long, value_name = "N", requires = "udp",
          value_parser = clap::value_parser!(u64).range(1..=1_000_000_000))]
    pub max_datagrams: Option<u64>,

    /// Connections served at once (1-10000); more wait in the kernel's listen queue until one ends
    #[arg(long, value_name = "N", default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub max_conns: u32,

    /// Buffer size of each recv, 1 to 1M (default 16 with --reply, as the lecture's recv(16);
    /// 64K with --echo)
    #[arg(long, value_name = "N", value_parser = recv_size)]
    pub recv_size: Option<usize>,

    /// Close a connection that sends nothing (or takes nothing it is sent) for this many seconds
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse::seconds)]
    pub idle_timeout: Duration,

    /// Close any connection this many seconds after it was accepted, however busy it is
    #[arg(long, value_name = "SECS", default_value = "300", value_parser = parse::seconds)]
    pub max_life: Duration,

    /// While every slot is taken and a client waits, close connections that moved fewer than N
    /// bytes a second (in and out) over the last 2 seconds; 0 never does (0 to 1G)
    #[arg(long, value_name = "N", default_value = "100", value_parser = min_rate)]
    pub min_rate: usize,

    /// Close a connection after reading this many bytes from it, 1 to 1T (suffixes K, M, G)
    #[arg(long, value_name = "N", default_value = "16M", value_parser = max_bytes)]
    pub max_bytes: usize,

    /// listen(2) backlog (1-65535): connections the kernel queues before serve accepts them
    #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(i32).range(1..=65535))]
    pub backlog: i32,
}

/// A size within `1..=max`, as `parse::size` reads it.
fn bounded_size(text: &str, max: usize, shown: &str) -> Result<usize, String> {
    let size = parse::size(text)?;
    if size > max {
        return Err(format!("must be at most {shown}, not {text}"));
    }
    Ok(size)
}

fn recv_size(text: &str) -> Result<usize, String> {
    bounded_size(text, MAX_RECV_SIZE, "1M")
}

fn max_bytes(text: &str) -> Result<usize, String> {
    bounded_size(text, MAX_MAX_BYTES, "1024G")
}

fn min_rate(text: &str) -> Result<usize, String> {
    if text.trim() == "0" {
        return Ok(0);
    }
    bounded_size(text, MAX_MIN_RATE, "1G")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_keep_to_their_ranges() {
        assert_eq!(recv_size("1M"), Ok(1 << 20));
        assert!(recv_size("1025K").is_err());
        assert!(recv_size("18446744073709551615").is_err());
        assert!(recv_size("0").is_err());
        assert_eq!(max_bytes("1024G"), Ok(1 << 40));
        assert!(max_bytes("1025G").is_err());
        assert_eq!(min_rate("0"), Ok(0));
        assert!(min_rate("2G").is_err());
    }
}
