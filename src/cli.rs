//! The command line: clap definitions whose `///` comments are the help text.

use std::ffi::OsString;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::batch::Batch;
use crate::exit::EXIT_CODES_HELP;
use crate::lookup::constants::parse_symbol;
use crate::render::Format;
use crate::render::color::ColorChoice;
use crate::sys::netdb;

/// Show what the resolver and socket layer answer, as CPython's socket module sees it.
///
/// Each subcommand makes one libc call (the one Python's `socket` module makes for the
/// same function) and prints the answer as a table, JSON or JSON lines.
#[derive(Debug, Parser)]
#[command(name = "sockscope", version, after_help = top_help())]
pub struct Cli {
    #[command(flatten)]
    pub output: OutputArgs,

    #[command(subcommand)]
    pub command: Command,
}

fn top_help() -> String {
    format!(
        "Examples:\n  sockscope addrinfo localhost http\n  sockscope servbyname ssh http/tcp --json\n  \
         sockscope constants AF_ --value 10\n\n{EXIT_CODES_HELP}"
    )
}

/// Options every subcommand takes.
#[derive(Debug, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, value_enum, global = true, default_value_t = Format::Table)]
    pub format: Format,

    /// Short for --format json
    #[arg(long, global = true)]
    pub json: bool,

    /// Colour in tables and error lines (never in JSON): auto (only on a terminal, and not when
    /// NO_COLOR is set), always, never
    #[arg(long, value_enum, global = true, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show each call: the C call with its arguments, the Python line that makes the same
    /// call, and notes on the result (above a table; a `call` object in JSON)
    #[arg(long, global = true)]
    pub explain: bool,
}

impl OutputArgs {
    /// The format asked for; `--json` wins because it is the more specific spelling.
    pub fn format(&self) -> Format {
        if self.json { Format::Json } else { self.format }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Look up services by name: getservbyname(3), like socket.getservbyname(name, proto)
    #[command(
        name = "servbyname",
        after_help = "\
Examples:
  sockscope servbyname ssh            # socket.getservbyname('ssh')
  sockscope servbyname domain/udp     # socket.getservbyname('domain', 'udp')
  sockscope servbyname http https -p tcp --json"
    )]
    ServByName(ServArgs),

    /// Look up services by port: getservbyport(3), like socket.getservbyport(port, proto)
    #[command(
        name = "servbyport",
        after_help = "\
Examples:
  sockscope servbyport 80             # socket.getservbyport(80)
  sockscope servbyport 53/udp 22      # socket.getservbyport(53, 'udp'), then port 22
  sockscope servbyport 443 -p tcp --format jsonl"
    )]
    ServByPort(ServArgs),

    /// This machine's host name: gethostname(3), like socket.gethostname()
    #[command(
        name = "hostname",
        after_help = "\
Examples:
  sockscope hostname                  # socket.gethostname()
  sockscope hostname --fqdn           # the canonical name, like `hostname -f`
  sockscope hostname --addresses      # socket.gethostbyname(socket.gethostname()) and more"
    )]
    Hostname(HostnameArgs),

    /// IPv4 address of host names, like socket.gethostbyname(name) (or gethostbyname_ex with --ex)
    #[command(
        name = "hostbyname",
        after_help = "\
Examples:
  sockscope hostbyname localhost      # socket.gethostbyname('localhost')
  sockscope hostbyname --ex localhost # socket.gethostbyname_ex('localhost')
  sockscope hostbyname 127.0.0.1 localhost --json"
    )]
    HostByName(HostByNameArgs),

    /// Resolve a host and service: getaddrinfo(3), like socket.getaddrinfo(host, port, ...)
    #[command(
        name = "addrinfo",
        after_help = "\
HOST and SERVICE may each be left out, which passes NULL to getaddrinfo (Python's None):
give only HOST to resolve without a service (ports are 0), or give `--service SERVICE`
without HOST to ask for the local or wildcard address (with --flags passive).

Examples:
  sockscope addrinfo localhost http   # socket.getaddrinfo('localhost', 'http')
  sockscope addrinfo ::1 80 -t stream --flags numerichost --json
  sockscope addrinfo --service 8080 --flags passive   # getaddrinfo(None, 8080, flags=AI_PASSIVE)"
    )]
    AddrInfo(AddrInfoArgs),

    /// Socket constants and their values on this platform, like {getattr(socket, n): n ...}
    #[command(
        name = "constants",
        after_help = "\
Examples:
  sockscope constants                 # every group sockscope knows
  sockscope constants AF_ SOCK_       # names starting with AF_ or SOCK_ (case-insensitive)
  sockscope constants AF --value 10   # which address family is 10?"
    )]
    Constants(ConstantsArgs),

    /// Host name and service of a numeric address: getnameinfo(3), like socket.getnameinfo((address, port), flags)
    #[command(
        name = "nameinfo",
        after_help = "\
ADDRESS must be numeric (CPython passes it to getaddrinfo with AI_NUMERICHOST first);
PORT is 0 when left out. As with Python's 2-tuple, a %zone on an IPv6 address is dropped:
give --scope-id (and --flowinfo) to ask like Python's 4-tuple (address, port, flowinfo, scope_id).

Examples:
  sockscope nameinfo 127.0.0.1 80     # socket.getnameinfo(('127.0.0.1', 80), 0)
  sockscope nameinfo ::1 53 --flags numerichost,dgram
  sockscope nameinfo 127.0.0.1 22 --flags namereqd --json"
    )]
    NameInfo(NameInfoArgs),

    /// Host entries of addresses: gethostbyaddr_r(3), like socket.gethostbyaddr(address)
    #[command(
        name = "hostbyaddr",
        after_help = "\
Like Python, a host name is accepted too: it is resolved first (the first address getaddrinfo
gives), and that address is looked up. A key of dotted digits, or with a colon, that is not a
valid address is bad input (exit 2).

Examples:
  sockscope hostbyaddr 127.0.0.1      # socket.gethostbyaddr('127.0.0.1')
  sockscope hostbyaddr 127.0.0.1 127.1 --json   # 127.1 is 127.0.0.1 to inet_aton
  sockscope hostbyaddr localhost      # resolves localhost, then looks up its address"
    )]
    HostByAddr(HostByAddrArgs),

    /// Protocol entries by name: getprotobyname_r(3), like socket.getprotobyname(name)
    #[command(
        name = "protobyname",
        after_help = "\
Python returns only the number; sockscope shows the whole /etc/protocols entry.

Examples:
  sockscope protobyname tcp           # socket.getprotobyname('tcp')
  sockscope protobyname tcp udp icmp
  sockscope protobyname ipv6-icmp --format jsonl"
    )]
    ProtoByName(ProtoArgs),

    /// Protocol entries by number: getprotobynumber_r(3) (Python's socket module has no such call)
    #[command(
        name = "protobynumber",
        after_help = "\
Examples:
  sockscope protobynumber 6           # the entry for IPPROTO_TCP
  sockscope protobynumber 1 6 17 58
  sockscope protobynumber 41 --json"
    )]
    ProtoByNumber(ProtoNumberArgs),

    /// Print a shell completion script (clap_complete) to stdout
    #[command(
        name = "completions",
        after_help = "\
Examples:
  sockscope completions bash > ~/.local/share/bash-completion/completions/sockscope
  sockscope completions zsh > ~/.zfunc/_sockscope     # with fpath+=~/.zfunc in ~/.zshrc
  sockscope completions fish > ~/.config/fish/completions/sockscope.fish"
    )]
    Completions(CompletionsArgs),

    /// Print the man page (roff, from the same definitions as --help) to stdout, or write one per subcommand
    #[command(
        name = "man",
        after_help = "\
Examples:
  sockscope man | man -l -            # read it now
  sockscope man > ~/.local/share/man/man1/sockscope.1
  sockscope man --dir ~/.local/share/man/man1   # sockscope.1 and sockscope-SUBCOMMAND.1"
    )]
    Man(ManArgs),

    /// The sockets lecture, live: each of its calls on this machine, with the Python line, the C call, the result and what to notice
    #[command(
        name = "tour",
        after_help = "\
Steps: getservbyname, getservbyport, gethostname, gethostbyname(gethostname()),
gethostbyname_ex, a socket's family/type/proto, the AF_/SOCK_/IPPROTO_ constants,
getaddrinfo, then a server on 127.0.0.1 and a client talking to it. Nothing leaves this
machine. A step that fails here says so and the tour goes on.

Examples:
  sockscope tour                      # every step, one after the other
  sockscope tour --pause              # wait for Enter between steps, for projecting in class
  sockscope tour --script > tour.py && python3 tour.py   # the same steps, made by Python"
    )]
    Tour(TourArgs),

    /// Create a socket and show what the kernel made: like socket.socket(family, type, proto)
    #[command(
        name = "socket",
        after_help = "\
Examples:
  sockscope socket                    # socket.socket(): AF_INET, SOCK_STREAM, 0
  sockscope socket -f inet6 -t dgram  # socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
  sockscope socket -f inet6 -t stream -p udp   # EPROTONOSUPPORT, exit 4"
    )]
    Socket(crate::net::args::SocketArgs),

    /// Connect to a server, send a request and read the whole reply: like the lecture's client
    #[command(
        name = "connect",
        after_help = "\
Reads until the peer closes, --max-bytes or --timeout, whichever comes first (a short recv
is not the end of a reply). Connection errors print their errno name on stderr and exit 4,
except timeouts (ETIMEDOUT), which exit 3: retrying may help.

Examples:
  sockscope connect localhost 8080 --http              # GET / HTTP/1.1, Host, Connection: close
  sockscope connect localhost 8080 --http=/index.html --raw > page
  sockscope connect ::1 50000 --send 'hello\\r\\n' --json"
    )]
    Connect(crate::net::args::ConnectArgs),

    /// Be the lecture's server: bind, listen, accept, recv, reply (or echo), close; one event per line
    #[command(
        name = "serve",
        after_help = "\
Examples:
  sockscope serve 50000                # on 127.0.0.1:50000, answers \"message received\"
  sockscope serve 0 --echo --format jsonl    # port 0: the kernel picks one, see `listening`
  sockscope serve [::1]:50000 --reply 'HTTP/1.0 200 OK\\r\\n\\r\\nhi\\n' --once

Ctrl-C (SIGINT) or SIGTERM stops accepting, closes every connection and prints a summary."
    )]
    Serve(crate::net::args::ServeArgs),
}

/// How many lookups `--jobs` runs at once unless told: network lookups spend their time waiting.
pub const DEFAULT_JOBS: u32 = 64;

/// Options of every subcommand that takes many keys.
#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Read more keys from PATH, one per line (blank lines and # comments skipped); a key `-`
    /// reads them from standard input
    #[arg(long, value_name = "PATH")]
    pub file: Option<PathBuf>,

    /// Lookups in flight at once (calls that are not thread-safe stay serialized)
    #[arg(short, long, value_name = "N", default_value_t = DEFAULT_JOBS,
          value_parser = clap::value_parser!(u32).range(1..=4096))]
    pub jobs: u32,

    /// Print each answer as soon as it is ready instead of in input order
    #[arg(long)]
    pub unordered: bool,

    /// At the end, print counts per outcome and latency p50/p95/max on stderr
    #[arg(long)]
    pub stats: bool,
}

impl BatchArgs {
    pub fn batch(&self) -> Batch {
        Batch {
            file: self.file.clone(),
            jobs: usize::try_from(self.jobs).unwrap_or(1),
            unordered: self.unordered,
            stats: self.stats,
        }
    }
}

/// Keys and protocol for servbyname / servbyport.
#[derive(Debug, Args)]
pub struct ServArgs {
    /// Service names (servbyname) or port numbers (servbyport), each optionally /PROTO; `-`
    /// reads keys from standard input
    #[arg(
        required_unless_present = "file",
        value_name = "KEY[/PROTO]",
        allow_negative_numbers = true
    )]
    pub keys: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,

    /// Protocol for keys without /PROTO (tcp, udp, ...); any protocol when not given
    #[arg(short, long, value_name = "PROTO")]
    pub proto: Option<String>,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

/// Options of every subcommand that asks the resolver: how long to wait, whether to show it.
#[derive(Debug, Clone, Default, Args)]
pub struct ResolverArgs {
    /// Give up on each lookup after SECONDS (e.g. 2 or 0.5) and report TIMEOUT (exit 3)
    #[arg(long, value_name = "SECONDS", value_parser = parse_timeout)]
    pub timeout: Option<Duration>,

    /// Add an elapsed_ms column to the table (JSON always has elapsed_ms)
    #[arg(long)]
    pub elapsed: bool,
}

#[derive(Debug, Args)]
pub struct HostnameArgs {
    /// Also show the canonical name (getaddrinfo with AI_CANONNAME), like `hostname -f`
    #[arg(long)]
    pub fqdn: bool,

    /// Also show gethostbyname(gethostname()) and every address of the host name
    #[arg(long)]
    pub addresses: bool,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

#[derive(Debug, Args)]
pub struct HostByNameArgs {
    /// Host names or numeric IPv4 addresses; `-` reads names from standard input
    #[arg(required_unless_present = "file", value_name = "NAME")]
    pub names: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,

    /// Whole host entries (name, aliases, addresses) via gethostbyname_r, like gethostbyname_ex
    #[arg(long)]
    pub ex: bool,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

#[derive(Debug, Args)]
pub struct AddrInfoArgs {
    /// Host name or numeric address; leave out for NULL (Python's None); `-` reads
    /// `HOST [SERVICE]` lines from standard input
    pub host: Option<OsString>,

    /// Service name or port number; leave out for NULL (Python's None)
    #[arg(value_name = "SERVICE")]
    pub service_pos: Option<OsString>,

    /// Service name or port, for use without HOST
    #[arg(short, long, value_name = "SERVICE", conflicts_with = "service_pos")]
    pub service: Option<OsString>,

    /// Address family: unspec, inet, inet6, any AF_ name, or a number
    #[arg(short, long, default_value = "unspec", value_parser = parse_family)]
    pub family: i32,

    /// Short for --family inet
    #[arg(short = '4', conflicts_with_all = ["family", "inet6"])]
    pub inet: bool,

    /// Short for --family inet6
    #[arg(short = '6', conflicts_with = "family")]
    pub inet6: bool,

    /// Socket type: stream, dgram, raw, any SOCK_ name, or a number; 0 (any) by default
    #[arg(short = 't', long = "type", default_value = "0", value_parser = parse_socktype)]
    pub socktype: i32,

    /// Protocol: tcp, udp, any IPPROTO_ or /etc/protocols name, or a number; 0 (any) by default
    #[arg(short, long, default_value = "0", value_parser = parse_proto)]
    pub proto: i32,

    /// Comma-separated AI_ flags: canonname, passive, numerichost, numericserv, addrconfig,
    /// v4mapped, all (case-insensitive, AI_ prefix accepted) or a number
    #[arg(long, default_value = "0", value_parser = parse_flags)]
    pub flags: i32,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

impl AddrInfoArgs {
    /// The family after -4/-6 have been applied.
    pub fn family(&self) -> i32 {
        family_shortcut(self.inet, self.inet6, self.family)
    }

    /// SERVICE from the positional argument or from --service.
    pub fn service(&self) -> Option<&OsString> {
        self.service_pos.as_ref().or(self.service.as_ref())
    }
}

#[derive(Debug, Args)]
pub struct NameInfoArgs {
    /// Numeric IPv4 or IPv6 address; `-` reads `ADDRESS [PORT]` lines from standard input
    pub address: OsString,

    /// Port number 0-65535 (0 when left out)
    pub port: Option<OsString>,

    /// Comma-separated NI_ flags: namereqd, numerichost, numericserv, nofqdn, dgram
    /// (case-insensitive, NI_ prefix accepted) or a number
    #[arg(long, default_value = "0", value_parser = parse_ni_flags)]
    pub flags: i32,

    /// IPv6 flow label 0-1048575, the third element of Python's 4-tuple sockaddr
    #[arg(long, value_name = "N")]
    pub flowinfo: Option<u32>,

    /// IPv6 scope (interface index), the fourth element of Python's 4-tuple sockaddr
    #[arg(long, value_name = "N")]
    pub scope_id: Option<u32>,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

#[derive(Debug, Args)]
pub struct HostByAddrArgs {
    /// IPv4 or IPv6 addresses (or host names, which are resolved first, as Python does);
    /// `-` reads them from standard input
    #[arg(required_unless_present = "file", value_name = "ADDRESS")]
    pub addresses: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,

    #[command(flatten)]
    pub resolver: ResolverArgs,
}

#[derive(Debug, Args)]
pub struct ProtoArgs {
    /// Protocol names or aliases from the protocols database (tcp, udp, ICMP, ...); `-` reads
    /// them from standard input
    #[arg(required_unless_present = "file", value_name = "NAME")]
    pub names: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,
}

#[derive(Debug, Args)]
pub struct ProtoNumberArgs {
    /// Protocol numbers (0-255 in the IP header; Linux also lists larger ones, such as 262 for
    /// mptcp); `-` reads them from standard input
    #[arg(
        required_unless_present = "file",
        value_name = "N",
        allow_negative_numbers = true
    )]
    pub numbers: Vec<OsString>,

    #[command(flatten)]
    pub batch: BatchArgs,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write sockscope.1 and one sockscope-SUBCOMMAND.1 per subcommand into DIR instead
    #[arg(long, value_name = "DIR")]
    pub dir: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct TourArgs {
    /// Wait for Enter between steps (end of input means go on)
    #[arg(long, conflicts_with = "script")]
    pub pause: bool,

    /// Print the same steps as a runnable Python 3 script instead
    #[arg(long)]
    pub script: bool,
}

#[derive(Debug, Args)]
pub struct ConstantsArgs {
    /// Prefixes to list (AF_, SOCK_, IPPROTO_, ...; case-insensitive); every group when none
    #[arg(value_name = "PREFIX")]
    pub prefixes: Vec<String>,

    /// Find the names that have this value (within PREFIXes, if given)
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub value: Option<i64>,
}

/// Seconds as a positive decimal number; a timeout of zero could never be met.
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let invalid = || format!("timeout must be a positive number of seconds, not {text:?}");
    let seconds: f64 = text.trim().parse().map_err(|_| invalid())?;
    if seconds.is_nan() || seconds <= 0.0 {
        return Err(invalid());
    }
    Duration::try_from_secs_f64(seconds).map_err(|_| invalid())
}

/// `-4` or `-6` where given, else `otherwise`: the shortcuts every family-taking command shares.
pub fn family_shortcut(inet: bool, inet6: bool, otherwise: i32) -> i32 {
    if inet {
        libc::AF_INET
    } else if inet6 {
        libc::AF_INET6
    } else {
        otherwise
    }
}

fn to_i32(value: i64) -> Result<i32, String> {
    i32::try_from(value).map_err(|_| format!("{value} does not fit in a C int"))
}

pub(crate) fn parse_family(text: &str) -> Result<i32, String> {
    parse_symbol("AF_", text).and_then(to_i32)
}

pub(crate) fn parse_socktype(text: &str) -> Result<i32, String> {
    parse_symbol("SOCK_", text).and_then(to_i32)
}

/// IPPROTO_ names first (tcp, udp, icmpv6), then the protocols database (getprotobyname).
pub(crate) fn parse_proto(text: &str) -> Result<i32, String> {
    if let Ok(value) = parse_symbol("IPPROTO_", text) {
        return to_i32(value);
    }
    let c_name = netdb::c_string(text).map_err(|_| "protocol contains a NUL byte".to_string())?;
    netdb::getprotobyname(&c_name)
        .map(|entry| entry.number)
        .map_err(|_| format!("unknown protocol: {text}"))
}

fn parse_flags(text: &str) -> Result<i32, String> {
    let mut flags: i64 = 0;
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(format!("empty flag in {text:?}"));
        }
        flags |= parse_symbol("AI_", part)?;
    }
    to_i32(flags)
}

/// NI_ flags for nameinfo, spelled like the AI_ flags of addrinfo.
fn parse_ni_flags(text: &str) -> Result<i32, String> {
    let mut flags: i64 = 0;
    for part in text.split(',').map(str::trim) {
        if part.is_empty() {
            return Err(format!("empty flag in {text:?}"));
        }
        // The group also holds two buffer sizes, which glibc would meet as EAI_BADFLAGS.
        let name = name_of_ni(part);
        if matches!(name.as_str(), "NI_MAXHOST" | "NI_MAXSERV") {
            return Err(format!(
                "{name} is a buffer size, not a flag: try namereqd, nofqdn, numerichost, \
                 numericserv or dgram"
            ));
        }
        flags |= parse_symbol("NI_", part)?;
    }
    to_i32(flags)
}

/// The full NI_ name a flag is typed as (`maxhost`, `NI_MAXHOST`, `ni_maxhost`).
fn name_of_ni(part: &str) -> String {
    let upper = part.to_ascii_uppercase();
    if upper.starts_with("NI_") {
        upper
    } else {
        format!("NI_{upper}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn ni_buffer_sizes_are_not_flags() {
        for size in ["maxhost", "NI_MAXSERV", "ni_maxhost"] {
            let err = parse_ni_flags(size).unwrap_err();
            assert!(err.contains("is a buffer size"), "{err}");
        }
        assert_eq!(
            parse_ni_flags("namereqd,dgram"),
            Ok(libc::NI_NAMEREQD | libc::NI_DGRAM)
        );
    }

    #[test]
    fn flags_parse_case_insensitively_with_or_without_prefix() {
        assert_eq!(
            parse_flags("canonname,AI_PASSIVE"),
            Ok(libc::AI_CANONNAME | libc::AI_PASSIVE)
        );
        assert_eq!(
            parse_flags("V4MAPPED,all"),
            Ok(libc::AI_V4MAPPED | libc::AI_ALL)
        );
        assert!(parse_flags("canonname,,all").is_err());
        assert!(parse_flags("bogus").is_err());
    }

    #[test]
    fn timeouts_are_positive_seconds() {
        assert_eq!(parse_timeout("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_timeout("0.5"), Ok(Duration::from_millis(500)));
        for bad in ["0", "-1", "nan", "inf", "1e300", "", "two", "0x10"] {
            assert!(parse_timeout(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ni_flags_parse_like_ai_flags() {
        assert_eq!(
            parse_ni_flags("namereqd,NI_DGRAM"),
            Ok(libc::NI_NAMEREQD | libc::NI_DGRAM)
        );
        assert_eq!(parse_ni_flags("NumericHost"), Ok(libc::NI_NUMERICHOST));
        assert_eq!(parse_ni_flags("3"), Ok(3));
        assert!(parse_ni_flags("canonname").is_err());
        assert!(parse_ni_flags("nofqdn,").is_err());
    }

    #[test]
    fn protocols_parse_by_name_and_number() {
        assert_eq!(parse_proto("tcp"), Ok(libc::IPPROTO_TCP));
        assert_eq!(parse_proto("17"), Ok(libc::IPPROTO_UDP));
        assert!(parse_proto("nosuchproto").is_err());
    }
}
