//! The command-line arguments of `serve`.

use std::time::Duration;

use clap::Args;

use crate::parse;

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
    #[arg(long, value_name = "N", value_parser = parse::size)]
    pub recv_size: Option<usize>,

    /// Close a connection that sends nothing for this many seconds
    #[arg(long, value_name = "SECS", default_value = "30", value_parser = parse::seconds)]
    pub idle_timeout: Duration,

    /// Close a connection after reading this many bytes from it (suffixes K, M, G)
    #[arg(long, value_name = "N", default_value = "16M", value_parser = parse::size)]
    pub max_bytes: usize,

    /// listen(2) backlog: connections the kernel queues before serve accepts them
    #[arg(long, value_name = "N", default_value_t = 128, value_parser = clap::value_parser!(i32).range(1..=65535))]
    pub backlog: i32,
}
