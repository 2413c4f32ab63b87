//! The command line: clap definitions whose `///` comments are the help text.

mod output;
mod text;

use clap::{Parser, Subcommand};

use crate::calls::addrinfo::AddrInfoArgs;
use crate::calls::constants::ConstantsArgs;
use crate::calls::fqdn::FqdnArgs;
use crate::calls::hostbyaddr::HostByAddrArgs;
use crate::calls::hostbyname::HostByNameArgs;
use crate::calls::hostname::HostnameArgs;
use crate::calls::hosts::HostsArgs;
use crate::calls::inet::InetArgs;
use crate::calls::interfaces::InterfacesArgs;
use crate::calls::nameinfo::NameInfoArgs;
use crate::calls::protobyname::ProtoArgs;
use crate::calls::protobynumber::ProtoNumberArgs;
use crate::calls::protocols::ProtocolsArgs;
use crate::calls::servbyname::ServArgs;
use crate::calls::services::ServicesArgs;
use crate::docs::{CompletionsArgs, ManArgs};
use crate::tour::TourArgs;
use crate::why::WhyArgs;

pub use output::{OutputArgs, With};
pub use text::{EXAMPLES, EXIT_CODES, EXIT_CODES_HELP, EXIT_NOTE};

/// Show what the resolver and socket layer answer, as CPython's socket module sees it.
///
/// Each subcommand makes one libc call (the one Python's `socket` module makes for the
/// same function) and prints the answer as a table, plain fields, JSON or JSON lines.
#[derive(Debug, Parser)]
#[command(
    name = "sockscope",
    version,
    after_help = top_help(),
    arg_required_else_help = true,
    term_width = help_width()
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// Help wraps to the terminal (`COLUMNS`, else the terminal's width, else 80 when printed into
/// a pipe or file), but not beyond 100 columns, where lines get too long to read.
fn help_width() -> usize {
    crate::render::terminal_width().min(100)
}

fn top_help() -> String {
    format!("Examples:\n{EXAMPLES}\n\n{EXIT_CODES_HELP}")
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

    /// The process's own command line, parsed as `parse_args` parses it, without freeing
    /// clap's command tree and matches afterwards: freeing them was a tenth of a one-lookup
    /// run's instructions, and the process gives its memory back when it ends anyway.
    pub fn parse_process() -> Result<Cli, clap::Error> {
        let mut command = <Cli as clap::CommandFactory>::command();
        let result = match command.try_get_matches_from_mut(std::env::args_os()) {
            Ok(mut matches) => {
                let cli = <Cli as clap::FromArgMatches>::from_arg_matches_mut(&mut matches)
                    .map_err(|err| err.format(&mut command));
                std::mem::forget(matches);
                cli
            }
            Err(err) => Err(err),
        };
        std::mem::forget(command);
        result
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
            Command::Services(_) => "services",
            Command::Protocols(_) => "protocols",
            Command::Hosts(_) => "hosts",
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

impl Command {
    /// The output options, for the subcommands that print records; `None` for those that take
    /// none (`completions`, `man`, `tour`), which print their own text.
    pub fn output(&self) -> Option<&OutputArgs> {
        match self {
            Command::ServByName(with) | Command::ServByPort(with) => Some(&with.output),
            Command::Hostname(with) => Some(&with.output),
            Command::HostByName(with) => Some(&with.output),
            Command::AddrInfo(with) => Some(&with.output),
            Command::Constants(with) => Some(&with.output),
            Command::NameInfo(with) => Some(&with.output),
            Command::HostByAddr(with) => Some(&with.output),
            Command::ProtoByName(with) => Some(&with.output),
            Command::ProtoByNumber(with) => Some(&with.output),
            Command::Socket(with) => Some(&with.output),
            Command::Connect(with) => Some(&with.output),
            Command::Serve(with) => Some(&with.output),
            Command::Services(with) => Some(&with.output),
            Command::Protocols(with) => Some(&with.output),
            Command::Hosts(with) => Some(&with.output),
            Command::Fqdn(with) => Some(&with.output),
            Command::Interfaces(with) => Some(&with.output),
            Command::Inet(with) => Some(&with.output),
            Command::Why(with) => Some(&with.output),
            Command::Completions(_) | Command::Man(_) | Command::Tour(_) => None,
        }
    }
}

#[derive(Debug, Subcommand)]
#[command(defer = true)]
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
    ServByName(With<ServArgs>),

    /// Look up services by port: getservbyport(3), like socket.getservbyport(port, proto)
    #[command(
        name = "servbyport",
        after_help = "\
Examples:
  sockscope servbyport 80             # socket.getservbyport(80)
  sockscope servbyport 53/udp 22      # getservbyport(53, 'udp'), then port 22
  sockscope servbyport 443 -p tcp --format jsonl"
    )]
    ServByPort(With<ServArgs>),

    /// This machine's host name: gethostname(3), like socket.gethostname()
    #[command(
        name = "hostname",
        after_help = "\
Examples:
  sockscope hostname                  # socket.gethostname()
  sockscope hostname --fqdn           # the canonical name, like `hostname -f`
  sockscope hostname --addresses      # gethostbyname(gethostname()) and more"
    )]
    Hostname(With<HostnameArgs>),

    /// IPv4 address of host names, like socket.gethostbyname(name) (or gethostbyname_ex with --ex)
    #[command(
        name = "hostbyname",
        after_help = "\
Examples:
  sockscope hostbyname localhost      # socket.gethostbyname('localhost')
  sockscope hostbyname --ex localhost # socket.gethostbyname_ex('localhost')
  sockscope hostbyname 127.0.0.1 localhost --json"
    )]
    HostByName(With<HostByNameArgs>),

    /// Resolve a host and service: getaddrinfo(3), like socket.getaddrinfo(host, port, ...)
    #[command(
        name = "addrinfo",
        after_help = "\
HOST and SERVICE may each be left out, which passes NULL to getaddrinfo (Python's None): \
give only HOST to resolve without a service (ports are 0), or give `--service SERVICE` \
without HOST to ask for the local or wildcard address (with --flags passive).

Examples:
  sockscope addrinfo localhost http   # socket.getaddrinfo('localhost', 'http')
  sockscope addrinfo ::1 80 -t stream --flags numerichost --json
  sockscope addrinfo --service 8080 --flags passive   # AI_PASSIVE, host None"
    )]
    AddrInfo(With<AddrInfoArgs>),

    /// Socket constants and their values on this platform, like {getattr(socket, n): n ...}
    #[command(
        name = "constants",
        after_help = "\
Examples:
  sockscope constants                 # every group sockscope knows
  sockscope constants AF_ SOCK_       # names starting with AF_ or SOCK_, as typed
  sockscope constants AF --value 10   # which address family is 10?"
    )]
    Constants(With<ConstantsArgs>),

    /// Host name and service of a numeric address: getnameinfo(3), like socket.getnameinfo((address, port), flags)
    #[command(
        name = "nameinfo",
        after_help = "\
ADDRESS must be numeric (CPython passes it to getaddrinfo with AI_NUMERICHOST first); \
PORT is 0 when left out. As with Python's 2-tuple, a %zone on an IPv6 address is dropped: \
give --scope-id (and --flowinfo) to ask like Python's 4-tuple (address, port, flowinfo, scope_id).

Examples:
  sockscope nameinfo 127.0.0.1 80     # socket.getnameinfo(('127.0.0.1', 80), 0)
  sockscope nameinfo ::1 53 --flags numerichost,dgram
  sockscope nameinfo 127.0.0.1 22 --flags namereqd --json"
    )]
    NameInfo(With<NameInfoArgs>),

    /// Host entries of addresses: gethostbyaddr_r(3), like socket.gethostbyaddr(address)
    #[command(
        name = "hostbyaddr",
        after_help = "\
Like Python, a host name is accepted too: it is resolved first (the first address getaddrinfo \
gives), and that address is looked up. A key of dotted digits, or with a colon, that is not a \
valid address is bad input (exit 2).

Examples:
  sockscope hostbyaddr 127.0.0.1      # socket.gethostbyaddr('127.0.0.1')
  sockscope hostbyaddr 127.0.0.1 127.1 --json  # 127.1 is 127.0.0.1 to inet_aton
  sockscope hostbyaddr localhost      # resolves it, then looks up its address"
    )]
    HostByAddr(With<HostByAddrArgs>),

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
    ProtoByName(With<ProtoArgs>),

    /// Protocol entries by number: getprotobynumber_r(3) (Python's socket module has no such call)
    #[command(
        name = "protobynumber",
        after_help = "\
Examples:
  sockscope protobynumber 6           # the entry for IPPROTO_TCP
  sockscope protobynumber 1 6 17 58
  sockscope protobynumber 41 --json"
    )]
    ProtoByNumber(With<ProtoNumberArgs>),

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
    Fqdn(With<FqdnArgs>),

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
    Interfaces(With<InterfacesArgs>),

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
    Inet(With<InetArgs>),

    /// The whole services database: setservent/getservent_r/endservent, as `getent services` lists it
    #[command(name = "services", after_help = crate::calls::services::AFTER_HELP)]
    Services(With<ServicesArgs>),

    /// The whole protocols database: setprotoent/getprotoent_r/endprotoent, as `getent protocols` lists it
    #[command(name = "protocols", after_help = crate::calls::protocols::AFTER_HELP)]
    Protocols(With<ProtocolsArgs>),

    /// The whole hosts database: sethostent/gethostent_r/endhostent, as `getent hosts` lists it
    #[command(name = "hosts", after_help = crate::calls::hosts::AFTER_HELP)]
    Hosts(With<HostsArgs>),

    /// Print a shell completion script (clap_complete) to stdout
    #[command(
        name = "completions",
        after_help = "\
Examples:
  sockscope completions bash > ~/.local/share/bash-completion/completions/sockscope
  sockscope completions zsh > ~/.zfunc/_sockscope  # fpath+=~/.zfunc in ~/.zshrc
  sockscope completions fish > ~/.config/fish/completions/sockscope.fish"
    )]
    Completions(CompletionsArgs),

    /// Print the man page (roff, from the same definitions as --help): every subcommand on one page
    #[command(
        name = "man",
        after_help = "\
Examples:
  sockscope man | man -l -            # read it now
  sockscope man > ~/.local/share/man/man1/sockscope.1
  sockscope man --dir ~/.local/share/man/man1   # creates the directory"
    )]
    Man(ManArgs),

    /// The sockets lecture, live: each call with its Python line, C call, result and what to notice
    #[command(
        name = "tour",
        after_help = "\
Steps: getservbyname, getservbyport, gethostname, gethostbyname(gethostname()), \
gethostbyname_ex, a socket's family/type/proto, the AF_/SOCK_/IPPROTO_ constants, \
getaddrinfo, then a server on 127.0.0.1 and a client talking to it. Nothing leaves this \
machine. A step that fails here says so and the tour goes on. Every step shows its Python \
line, the C call and the result, so it needs no explain option; --script is its Python form.

Examples:
  sockscope tour                      # every step, one after the other
  sockscope tour --pause              # wait for Enter between steps (in class)
  sockscope tour --script > tour.py && python3 tour.py   # the same in Python"
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
    Socket(With<crate::net::args::SocketArgs>),

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
    Connect(With<crate::net::args::ConnectArgs>),

    /// Be the lecture's server: bind, listen, accept, recv, reply (or echo), close; one event per line
    #[command(
        name = "serve",
        after_help = "\
Examples:
  sockscope serve 50000                # 127.0.0.1:50000, answers \"message received\"
  sockscope serve 0 --echo --format jsonl   # the kernel picks the port
  sockscope serve [::1]:50000 --reply 'HTTP/1.0 200 OK\\r\\n\\r\\nhi\\n' --once

Ctrl-C (SIGINT), SIGTERM or SIGHUP stops accepting, closes every connection,
prints the summary and exits 130, 143 or 129 (128 + the signal). A closed
stdout (`| head -1`) stops it at once, with the summary on stderr and the exit
code of the worst failure seen (0 if none)."
    )]
    Serve(With<crate::net::args::ServeArgs>),

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
    Why(With<WhyArgs>),
}

#[cfg(test)]
mod tests;
