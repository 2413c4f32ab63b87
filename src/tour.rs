//! `tour`: the lecture's calls in order, live on this machine, or as a Python script that makes them.

use std::ffi::OsStr;
use std::io::{self, BufRead, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::time::Duration;

use std::os::fd::AsFd;

use anyhow::Context;
use clap::Args;

use crate::calls::Lookup;
use crate::calls::addrinfo::GetAddrInfo;
use crate::calls::constants::Constants;
use crate::calls::hostbyname::HostByName;
use crate::calls::hostbyname_ex::HostByNameEx;
use crate::calls::hostname::{Extras, Hostname};
use crate::calls::servbyname::ServByName;
use crate::calls::servbyport::ServByPort;
use crate::model::{Answer, Fatal, Outcome};
use crate::render::Format;
use crate::runner::{Ctx, Run};
use crate::sys::netdb::Hints;
use crate::sys::{SysError, socket as sock};
use crate::text::pyrepr::{Py, str_repr};

#[derive(Debug, Args)]
pub struct TourArgs {
    /// Wait for Enter between steps (end of input means go on)
    #[arg(long, conflicts_with = "script")]
    pub pause: bool,

    /// Print the same steps as a runnable Python 3 script instead
    #[arg(long)]
    pub script: bool,
}

/// What the lecture's client sends and the server answers (bytes in Python 3, str in the lecture's Python 2).
const REQUEST: &[u8] = b"hello, server";
const REPLY: &[u8] = b"message received";
/// Loopback answers at once; this only keeps a broken machine from hanging the class.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

/// One step: Python statements to set up, the expression whose value is shown, and how
/// sockscope makes the same call.
struct Step {
    title: &'static str,
    setup: &'static [&'static str],
    python: &'static str,
    notice: &'static str,
    run: fn(&mut Lab) -> Shown,
}

/// What a step did on this machine.
struct Shown {
    /// The C calls made, as C source.
    c: String,
    /// The repr Python shows, or the exception line / reason the step failed.
    result: Result<String, String>,
    exit: Outcome,
}

impl Shown {
    /// A step made through one of sockscope's lookups: its call, and Python's view of its answer.
    fn from_answer<L: Lookup>(lookup: &L, answer: Answer<L::Record>) -> Shown {
        let c = answer
            .call
            .as_ref()
            .map(|c| c.c.clone())
            .unwrap_or_default();
        let exit = answer.outcome();
        let python = lookup.python(&answer.result);
        let result = if answer.result.is_ok() {
            Ok(python)
        } else {
            Err(python)
        };
        Shown { c, result, exit }
    }

    /// A step that is one lookup of one key.
    fn lookup<L: Lookup>(lookup: &L, key: Option<&str>) -> Shown {
        Shown::from_answer(lookup, lookup.answer(key.map(OsStr::new)))
    }

    fn io(c: String, result: io::Result<String>) -> Shown {
        let exit = if result.is_ok() {
            Outcome::Success
        } else {
            Outcome::System
        };
        Shown {
            c,
            result: result.map_err(|e| format!("OSError: {e}")),
            exit,
        }
    }
}

/// State that later steps need from earlier ones: the host name, the server and its client.
#[derive(Default)]
struct Lab {
    hostname: Option<String>,
    server: Option<TcpListener>,
    client: Option<TcpStream>,
    connection: Option<TcpStream>,
}

fn missing(what: &str) -> io::Error {
    io::Error::other(format!("no {what}: an earlier step failed"))
}

fn sockaddr(addr: SocketAddr) -> String {
    Py::Tuple(vec![
        Py::str(addr.ip().to_string()),
        Py::Int(i64::from(addr.port())),
    ])
    .to_string()
}

fn bytes(data: &[u8]) -> String {
    crate::text::pyrepr::bytes_repr(data)
}

/// The constants steps list groups by prefix, as the lecture's `get_constants` does.
const CONSTANTS: Constants = Constants {
    value: None,
    prefixes: Vec::new(),
};

const STEPS: &[Step] = &[
    Step {
        title: "a service's port",
        setup: &[],
        python: "socket.getservbyname('ssh')",
        notice: "Python gives only the port; the C servent also has the name, aliases and protocol (sockscope servbyname shows them).",
        run: |_| {
            let by_name = ServByName {
                default_proto: None,
            };
            Shown::lookup(&by_name, Some("ssh"))
        },
    },
    Step {
        title: "a port's service",
        setup: &[],
        python: "socket.getservbyport(80)",
        notice: "The port travels to C in network byte order, htons(80); both lookups read /etc/services.",
        run: |_| {
            let by_port = ServByPort {
                default_proto: None,
            };
            Shown::lookup(&by_port, Some("80"))
        },
    },
    Step {
        title: "this machine's name",
        setup: &[],
        python: "socket.gethostname()",
        notice: "This is the kernel's node name (uname -n); nothing promises that DNS knows it.",
        run: |lab| {
            let lookup = Hostname(Extras::default());
            let answer = lookup.answer(None);
            if let Ok([record]) = answer.result.as_deref() {
                lab.hostname = Some(record.hostname.clone());
            }
            Shown::from_answer(&lookup, answer)
        },
    },
    Step {
        title: "its IPv4 address",
        setup: &[],
        python: "socket.gethostbyname(socket.gethostname())",
        notice: "gethostbyname only ever answers IPv4: CPython asks getaddrinfo for AF_INET and takes the first address.",
        run: |lab| match &lab.hostname {
            Some(name) => Shown::lookup(&HostByName, Some(name)),
            None => Shown::io(String::new(), Err(missing("host name"))),
        },
    },
    Step {
        title: "its whole host entry",
        setup: &[],
        python: "socket.gethostbyname_ex(socket.gethostname())",
        notice: "The lecture asks for 'google.com'; the tour stays off the network and asks for this machine, whose entry comes from /etc/hosts.",
        run: |lab| match &lab.hostname {
            Some(name) => Shown::lookup(&HostByNameEx, Some(name)),
            None => Shown::io(String::new(), Err(missing("host name"))),
        },
    },
    Step {
        title: "a socket's family, type and protocol",
        setup: &["foo = socket.socket()"],
        python: "(foo.family, foo.type, foo.proto)",
        notice: "socket() defaults to AF_INET and SOCK_STREAM; foo.proto is the 0 it was given, though the kernel chose IPPROTO_TCP (6).",
        run: |_| {
            let c = "socket(AF_INET, SOCK_STREAM, 0); getsockopt(fd, SOL_SOCKET, SO_DOMAIN/SO_TYPE/SO_PROTOCOL, ...)".to_string();
            match socket_triple(libc::AF_INET, libc::SOCK_STREAM, 0) {
                Ok(info) => Shown {
                    c: format!("{c} -> {}, {}, {}", info.0, info.1, info.2),
                    // Python reports the protocol it was asked for, not the kernel's choice.
                    result: Ok(Py::Tuple(vec![
                        Py::constant("AF_", i64::from(info.0)),
                        Py::constant("SOCK_", i64::from(info.1)),
                        Py::Int(0),
                    ])
                    .to_string()),
                    exit: Outcome::Success,
                },
                Err(err) => {
                    let failure = crate::model::Failure::from(err);
                    Shown {
                        c,
                        result: Err(failure.python_exception()),
                        exit: failure.outcome(),
                    }
                }
            }
        },
    },
    Step {
        title: "the address families",
        setup: &[
            "def get_constants(prefix):",
            "    return {getattr(socket, n): n for n in dir(socket) if n.startswith(prefix)}",
        ],
        python: "get_constants('AF_')",
        notice: "A dict keeps one name per value, the last in dir() order: AF_NETLINK's key shows up with the name AF_ROUTE.",
        run: |_| Shown::lookup(&CONSTANTS, Some("AF_")),
    },
    Step {
        title: "the socket types",
        setup: &[],
        python: "get_constants('SOCK_')",
        notice: "SOCK_NONBLOCK and SOCK_CLOEXEC are flags to OR into the type, not types of their own.",
        run: |_| Shown::lookup(&CONSTANTS, Some("SOCK_")),
    },
    Step {
        title: "the IP protocols",
        setup: &[],
        python: "get_constants('IPPROTO_')",
        notice: "These are plain ints, not enums: the same numbers as in /etc/protocols (tcp 6, udp 17).",
        run: |_| Shown::lookup(&CONSTANTS, Some("IPPROTO_")),
    },
    Step {
        title: "getaddrinfo for a host and port",
        setup: &[],
        python: "socket.getaddrinfo('127.0.0.1', 80)",
        notice: "Three tuples for one address, one per socket type, because no type was asked for: (family, type, proto, canonname, sockaddr).",
        run: |_| {
            let lookup = GetAddrInfo {
                hints: Hints::default(),
                service: Some("80".into()),
                lines: false,
            };
            Shown::lookup(&lookup, Some("127.0.0.1"))
        },
    },
    Step {
        title: "getaddrinfo for a name and a service",
        setup: &[],
        python: "[info for info in socket.getaddrinfo('localhost', 'http') if info[1] == socket.SOCK_STREAM]",
        notice: "The lecture asks for 'crisewing.com'; 'localhost' stays on this machine. info[:3] are socket()'s arguments and info[-1] is connect()'s.",
        run: |_| {
            let lookup = GetAddrInfo {
                hints: Hints::default(),
                service: Some("http".into()),
                lines: false,
            };
            let mut answer = lookup.answer(Some(OsStr::new("localhost")));
            // The same filter as the Python line, after the same call.
            if let Ok(rows) = &mut answer.result {
                rows.retain(|row| row.socktype == "SOCK_STREAM");
            }
            Shown::from_answer(&lookup, answer)
        },
    },
    Step {
        title: "a server on loopback",
        setup: &[
            "server_socket = socket.socket()",
            "server_socket.bind(('127.0.0.1', 0))",
            "server_socket.listen(1)",
        ],
        python: "server_socket.getsockname()",
        notice: "Port 0 lets the kernel pick a free port (the lecture's 50000 may be taken), and an address is always a (host, port) tuple; sockscope's std listener asks for a backlog of 128 where Python asks for 1.",
        run: |lab| {
            let c = "socket(AF_INET, SOCK_STREAM, 0); bind(fd, {AF_INET, 127.0.0.1, htons(0)}); listen(fd, 128); getsockname(fd, ...)".to_string();
            let result = TcpListener::bind("127.0.0.1:0").and_then(|server| {
                let addr = server.local_addr()?;
                lab.server = Some(server);
                Ok(sockaddr(addr))
            });
            Shown::io(c, result)
        },
    },
    Step {
        title: "a client connects",
        setup: &["client_socket = socket.socket()"],
        python: "client_socket.connect(server_socket.getsockname())",
        notice: "connect() returns None: the three-way handshake is done once it returns, even before the server calls accept().",
        run: |lab| {
            let server = lab.server.as_ref().map(TcpListener::local_addr);
            let port = match &server {
                Some(Ok(addr)) => addr.port().to_string(),
                _ => "PORT".to_string(),
            };
            let c = format!(
                "socket(AF_INET, SOCK_STREAM, 0); connect(fd, {{AF_INET, 127.0.0.1, htons({port})}})"
            );
            let result = (|| {
                let addr = server.ok_or_else(|| missing("server"))??;
                let client = TcpStream::connect_timeout(&addr, IO_TIMEOUT)?;
                client.set_read_timeout(Some(IO_TIMEOUT))?;
                lab.client = Some(client);
                Ok("None".to_string())
            })();
            Shown::io(c, result)
        },
    },
    Step {
        title: "the server accepts",
        setup: &["connection, client_address = server_socket.accept()"],
        python: "client_address",
        notice: "accept() gives a new socket for this one client; the listening socket goes on listening. The client's port was picked by the kernel.",
        run: |lab| {
            let c = "accept(server_fd, &addr, &addrlen)".to_string();
            let result = (|| {
                let server = lab.server.as_ref().ok_or_else(|| missing("server"))?;
                let (connection, peer) = server.accept()?;
                connection.set_read_timeout(Some(IO_TIMEOUT))?;
                lab.connection = Some(connection);
                Ok(sockaddr(peer))
            })();
            Shown::io(c, result)
        },
    },
    Step {
        title: "the client sends, the server receives",
        setup: &["client_socket.sendall(b'hello, server')"],
        python: "connection.recv(16)",
        notice: "Python 3 sends bytes, not str (the lecture's code is Python 2); recv(16) returns at most 16 bytes, whatever has arrived.",
        run: |lab| {
            let c = format!(
                "send(client_fd, \"hello, server\", {}, 0); recv(conn_fd, buf, 16, 0)",
                REQUEST.len()
            );
            let result = (|| {
                lab.client
                    .as_mut()
                    .ok_or_else(|| missing("client"))?
                    .write_all(REQUEST)?;
                let mut buf = [0u8; 16];
                let n = lab
                    .connection
                    .as_mut()
                    .ok_or_else(|| missing("connection"))?
                    .read(&mut buf)?;
                Ok(bytes(&buf[..n]))
            })();
            Shown::io(c, result)
        },
    },
    Step {
        title: "the server answers, the client receives",
        setup: &["connection.sendall(b'message received')"],
        python: "client_socket.recv(16)",
        notice: "The same socket carries both directions; then always close your sockets (connection, client and server).",
        run: |lab| {
            let c = format!(
                "send(conn_fd, \"message received\", {}, 0); recv(client_fd, buf, 16, 0); close(...)",
                REPLY.len()
            );
            let result = (|| {
                lab.connection
                    .as_mut()
                    .ok_or_else(|| missing("connection"))?
                    .write_all(REPLY)?;
                let mut buf = [0u8; 16];
                let n = lab
                    .client
                    .as_mut()
                    .ok_or_else(|| missing("client"))?
                    .read(&mut buf)?;
                Ok(bytes(&buf[..n]))
            })();
            // Dropping closes each socket, as the lecture's close() calls do.
            lab.connection = None;
            lab.client = None;
            lab.server = None;
            Shown::io(c, result)
        },
    },
];

/// The text of one step as the tour shows it.
fn show(number: usize, step: &Step, outcome: &Shown) -> String {
    let total = STEPS.len();
    let mut text = format!("== Step {number}/{total}: {} ==\n", step.title);
    for line in step.setup {
        // An indented line continues a block, as the REPL's `...` prompt shows.
        let prompt = if line.starts_with(' ') { "..." } else { ">>>" };
        text.push_str(&format!("Python  {prompt} {line}\n"));
    }
    text.push_str(&format!("Python  >>> {}\n", step.python));
    text.push_str(&format!("C       {}\n", outcome.c));
    match &outcome.result {
        Ok(repr) => text.push_str(&format!("Result  {repr}\n")),
        Err(error) => text.push_str(&format!(
            "Result  {error}\n        (this step failed on this machine; the tour goes on)\n"
        )),
    }
    text.push_str(&format!("Notice  {}\n\n", step.notice));
    text
}

/// The steps as a Python 3 program that makes the same calls and prints what the tour prints.
fn script() -> String {
    let mut text = String::from(
        "#!/usr/bin/env python3\n\
         \"\"\"The sockscope tour as a script: the lecture's calls in order (`sockscope tour --script`).\"\"\"\n\
         import socket\n\
         import traceback\n\n\n\
         def show(number, title, source, value):\n    \
             \"\"\"Print a step the way the tour and the REPL do; a failing step says so and the script goes on.\"\"\"\n    \
             print(f'== Step {number}/TOTAL: {title} ==')\n    \
             print('>>>', source)\n    \
             try:\n        \
                 print(repr(value()))\n    \
             except Exception as exc:\n        \
                 print(traceback.format_exception_only(exc)[-1].rstrip())\n        \
                 print('(this step failed on this machine; the script goes on)')\n    \
             print()\n\n",
    )
    .replace("TOTAL", &STEPS.len().to_string());
    for (i, step) in STEPS.iter().enumerate() {
        text.push_str(&format!("\n# {}. {}\n", i + 1, step.notice));
        for line in step.setup {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&format!(
            "show({}, {}, {}, lambda: {})\n",
            i + 1,
            str_repr(step.title),
            str_repr(step.python),
            step.python
        ));
    }
    text.push_str(
        "\nconnection.close()\nclient_socket.close()\nserver_socket.close()\nfoo.close()\n",
    );
    text
}

/// Wait for Enter; end of input means nobody is there to press it, so the tour goes on.
fn pause(input: &mut impl BufRead) -> io::Result<bool> {
    let mut stderr = io::stderr().lock();
    write!(stderr, "[Enter for the next step] ")?;
    stderr.flush()?;
    let mut line = String::new();
    let more = input.read_line(&mut line)? > 0;
    if !more {
        writeln!(stderr)?;
    }
    Ok(more)
}

impl Run for TourArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome> {
        if ctx.format != Format::Table {
            return Err(Fatal::new(
                Outcome::Usage,
                "tour prints text only; --script gives the same steps as Python",
            )
            .into());
        }
        let stdout = io::stdout();
        let mut out = stdout.lock();
        if self.script {
            out.write_all(script().as_bytes())
                .context("writing output")?;
            out.flush().context("writing output")?;
            return Ok(Outcome::Success);
        }
        let stdin = io::stdin();
        let mut input = stdin.lock();
        let mut waiting = self.pause;
        let mut lab = Lab::default();
        let mut worst = Outcome::Success;
        for (i, step) in STEPS.iter().enumerate() {
            let outcome = (step.run)(&mut lab);
            worst = worst.max(outcome.exit);
            out.write_all(show(i + 1, step, &outcome).as_bytes())
                .context("writing output")?;
            out.flush().context("writing output")?;
            if waiting && i + 1 < STEPS.len() {
                waiting = pause(&mut input).context("reading standard input")?;
            }
        }
        Ok(worst)
    }
}

/// socket(family, socktype, protocol) and what the kernel made of it (SO_DOMAIN, SO_TYPE,
/// SO_PROTOCOL); the socket is closed again on return.
fn socket_triple(family: i32, socktype: i32, protocol: i32) -> Result<(i32, i32, i32), SysError> {
    let fd = sock::socket(family, socktype, protocol)?;
    let get = |name| sock::getsockopt_int(fd.as_fd(), libc::SOL_SOCKET, name);
    Ok((
        get(libc::SO_DOMAIN)?,
        get(libc::SO_TYPE)?,
        get(libc::SO_PROTOCOL)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_has_its_python_and_notice() {
        for step in STEPS {
            assert!(
                !step.python.is_empty() && !step.notice.is_empty(),
                "{}",
                step.title
            );
        }
    }

    #[test]
    fn pause_goes_on_at_end_of_input() {
        let mut empty: &[u8] = b"";
        assert!(!pause(&mut empty).unwrap());
        let mut enter: &[u8] = b"\n";
        assert!(pause(&mut enter).unwrap());
    }

    #[test]
    fn a_failed_step_says_so() {
        let outcome = Shown {
            c: "getservbyname(\"ssh\", NULL)".to_string(),
            result: Err("OSError: service/proto not found".to_string()),
            exit: Outcome::NotFound,
        };
        let text = show(1, &STEPS[0], &outcome);
        assert!(text.contains("Result  OSError: service/proto not found\n"));
        assert!(text.contains("failed on this machine; the tour goes on"));
    }

    #[test]
    fn script_shows_every_step() {
        let text = script();
        assert_eq!(text.matches("\nshow(").count(), STEPS.len());
    }
}
