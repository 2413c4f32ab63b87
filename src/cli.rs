//! The command line: clap definitions whose `///` comments are the help text.

use clap::{Args, Parser, Subcommand};

use crate::calls::addrinfo::AddrInfoArgs;
use crate::calls::constants::ConstantsArgs;
use crate::calls::fqdn::FqdnArgs;
use crate::calls::hostbyaddr::HostByAddrArgs;
use crate::calls::hostbyname::HostByNameArgs;
use crate::calls::hostname::HostnameArgs;
use crate::calls::inet::InetArgs;
use crate::calls::interfaces::InterfacesArgs;
use crate::calls::nameinfo::NameInfoArgs;
use crate::calls::protobyname::ProtoArgs;
use crate::calls::protobynumber::ProtoNumberArgs;
use crate::calls::servbyname::ServArgs;
use crate::docs::{CompletionsArgs, ManArgs};
use crate::render::Format;
use crate::render::color::ColorChoice;
use crate::tour::TourArgs;
use crate::why::WhyArgs;

/// Text for `--help` and the README: keep the three in step with the binary's exit codes.
pub const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  every key answered
  1  at least one key not found (EAI_NONAME, EAI_NODATA, no such service, port or constant)
  2  usage error or bad input (nothing was passed to libc for it)
  3  temporary failure (EAI_AGAIN, TRY_AGAIN, TIMEOUT, a connection timing out): retrying may help
  4  any other system failure (EAI_FAIL, EAI_SYSTEM, errno, I/O)
When some keys succeed and others fail, the successes are printed and the exit code is the
highest among the failures.";

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

impl Cli {
    /// Parse a command line, program name first, as `main` does with the process's own: a
    /// usage error, `--help` or `--version` comes back as clap's error to render.
    pub fn parse_args<I, T>(args: I) -> Result<Cli, clap::Error>
    where
        I: IntoIterator<Item = T>,
        T: Into<std::ffi::OsString> + Clone,
    {
        <Cli as Parser>::try_parse_from(args)
    }
}

impl Command {
    /// The subcommand's name as typed, for error lines.
    pub fn name(&self) -> &'static str {
        match self {
            Command::ServByName(_) => "servbyname",
            Command::ServByPort(_) => "servbyport",
            Command::Hostname(_) => "hostname",
            Command::HostByName(_) => "hostbyname",
            Command::AddrInfo(_) => "addrinfo",
            Command::Constants(_) => "constants",
            Command::NameInfo(_) => "nameinfo",
            Command::HostByAddr(_) => "hostbyaddr",
            Command::ProtoByName(_) => "protobyname",
            Command::ProtoByNumber(_) => "protobynumber",
            Command::Fqdn(_) => "fqdn",
            Command::Interfaces(_) => "interfaces",
            Command::Inet(_) => "inet",
            Command::Completions(_) => "completions",
            Command::Man(_) => "man",
            Command::Tour(_) => "tour",
            Command::Socket(_) => "socket",
            Command::Connect(_) => "connect",
            Command::Serve(_) => "serve",
            Command::Why(_) => "why",
        }
    }
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
  sockscope constants AF_ SOCK_       # names starting with AF_ or SOCK_ (case-sensitive)
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

    /// Fully qualified names of hosts: CPython's socket.getfqdn(name), built on gethostbyaddr
    #[command(
        name = "fqdn",
        after_help = "\
Without NAME, the local host's (getfqdn() uses gethostname()); an empty name or 0.0.0.0 does
the same. The first of the entry's name and aliases that contains a dot wins; when the lookup
fails, the name itself is the answer, as in Python.

Examples:
  sockscope fqdn                      # socket.getfqdn()
  sockscope fqdn localhost            # socket.getfqdn('localhost')
  sockscope fqdn 127.0.0.1 --explain"
    )]
    Fqdn(FqdnArgs),

    /// Network interfaces: if_nameindex(3) with getifaddrs' flags, MTU and addresses
    #[command(
        name = "interfaces",
        after_help = "\
Without keys, every interface, like socket.if_nameindex(); a key of digits is an index,
looked up like socket.if_indextoname(index), any other key a name, like
socket.if_nametoindex(name).

Examples:
  sockscope interfaces                # socket.if_nameindex(), with flags, MTU and addresses
  sockscope interfaces lo             # socket.if_nametoindex('lo')
  sockscope interfaces 1 --json       # socket.if_indextoname(1)"
    )]
    Interfaces(InterfacesArgs),

    /// Addresses as packed bytes and back: inet_aton/inet_pton and inet_ntoa/inet_ntop
    #[command(
        name = "inet",
        after_help = "\
The packed column shows the bytes in network byte order (most significant first); --explain
adds the htonl/htons of the numbers involved.

Examples:
  sockscope inet 127.1                # socket.inet_aton('127.1')
  sockscope inet -f inet6 ::1         # socket.inet_pton(socket.AF_INET6, '::1')
  sockscope inet --packed 7f000001    # socket.inet_ntoa(bytes.fromhex('7f000001'))"
    )]
    Inet(InetArgs),

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
  sockscope socket -6 -t dgram        # socket.socket(AF_INET6, SOCK_DGRAM)
  sockscope socket --format python    # <socket.socket fd=3, family=2, ...>"
    )]
    Socket(crate::net::args::SocketArgs),

    /// Connect to a server, send a request and read the whole reply: like the lecture's client
    #[command(
        name = "connect",
        after_help = "\
Sends the request while it reads the reply (so a server that echoes never
waits on it), until the peer closes, --max-bytes or --timeout, whichever comes
first: a short recv is not the end of a reply. --timeout is one deadline for
resolving, connecting, sending and reading; --idle-timeout can also bound a
silence.

With nothing to send (no --send, --send-file, --stdin or --http) connect is a
port check that also reads a banner, as `ncat -w` users expect: it connects,
reads what arrives within --banner-wait, reports, and exits 0.

The table escapes the reply's control characters (\\x1b, \\u{202e}, bytes that
are not UTF-8) so a server cannot colour or move the terminal; --raw writes
the bytes exactly. --format python prints what the lecture's Python session
prints: the reply's repr (with --udp, the count send returns, then each
datagram's repr), or the exception it raises.

Connection errors print their errno name on stderr and exit 4, except timeouts
(ETIMEDOUT), which exit 3: retrying may help. Ctrl-C keeps what arrived: the
output is written, then sockscope ends as the signal would have ended it.

Examples:
  sockscope connect localhost 8080 --http=/index.html --raw > page
  sockscope connect '[::1]' 50000 --send 'hello\\r\\n' --json
  sockscope connect localhost 22      # connect, read the banner, exit 0"
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

Ctrl-C (SIGINT), SIGTERM or SIGHUP stops accepting, closes every connection,
prints the summary and exits 130, 143 or 129 (128 + the signal). A closed
stdout (`| head -1`) stops it at once, with the summary on stderr and the exit
code of the worst failure seen (0 if none)."
    )]
    Serve(crate::net::args::ServeArgs),

    /// Explain a getaddrinfo answer step by step, and check the explanation against it
    #[command(
        name = "why",
        after_help = "\
why makes the real getaddrinfo call (as a C program in your locale would), then explains each
decision glibc made for it: how it read the host, what AI_ADDRCONFIG removed, which nsswitch
source answered and why the walk stopped there, the /etc/hosts lines that matched, the DNS
names tried under search/ndots with the queries replayed through the resolver library, and
the RFC 3484 rules that ordered the addresses. The verdict compares the predicted list with the
real one; a disagreement is shown, never hidden. It cannot see nscd or systemd-resolved caches,
nor how NSS modules it does not know decide (it asks them alone, as getent -s does, and says so).

Examples:
  sockscope why localhost http        # socket.getaddrinfo('localhost', 'http'), explained
  sockscope why 127.1 --json          # a numeric host: no name service is asked
  sockscope why localhost -t stream --flags addrconfig"
    )]
    Why(WhyArgs),
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    /// Error lines name the subcommand by `Command::name`: it must be the name it is typed as.
    #[test]
    fn every_subcommand_knows_its_own_name() {
        let command = Cli::command();
        let mut seen = 0;
        for sub in command.get_subcommands() {
            let name = sub.get_name();
            if name == "help" {
                continue;
            }
            // A value for every positional argument: the first allowed one, or a number.
            let mut argv = vec!["sockscope".to_string(), name.to_string()];
            for arg in sub.get_arguments().filter(|a| a.is_positional()) {
                let value = arg
                    .get_possible_values()
                    .first()
                    .map_or_else(|| "1".to_string(), |v| v.get_name().to_string());
                argv.push(value);
            }
            let cli = Cli::parse_args(&argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
            assert_eq!(cli.command.name(), name);
            seen += 1;
        }
        assert!(seen >= 16, "only {seen} subcommands");
    }
}
