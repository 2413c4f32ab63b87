//! The tour's steps: the lecture's calls in order, each with its Python line, notice and live run.

use std::ffi::OsStr;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsFd;
use std::time::Duration;

use super::{Shown, Step};
use crate::calls::Lookup;
use crate::calls::addrinfo::GetAddrInfo;
use crate::calls::constants::Constants;
use crate::calls::hostbyname::HostByName;
use crate::calls::hostbyname_ex::HostByNameEx;
use crate::calls::hostname::{Extras, Hostname};
use crate::calls::servbyname::ServByName;
use crate::calls::servbyport::ServByPort;
use crate::model::Outcome;
use crate::sys::netdb::Hints;
use crate::sys::{SysError, socket as sock};
use crate::text::pyrepr::Py;

/// What the lecture's client sends and the server answers (bytes in Python 3, str in the lecture's Python 2).
const REQUEST: &[u8] = b"hello, server";
const REPLY: &[u8] = b"message received";
/// Loopback answers at once; this only keeps a broken machine from hanging the class.
const IO_TIMEOUT: Duration = Duration::from_secs(5);

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

pub(super) const STEPS: &[Step] = &[
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
            let lookup = GetAddrInfo::new(Hints::default(), Some("80".into()));
            Shown::lookup(&lookup, Some("127.0.0.1"))
        },
    },
    Step {
        title: "getaddrinfo for a name and a service",
        setup: &[],
        python: "[info for info in socket.getaddrinfo('localhost', 'http') if info[1] == socket.SOCK_STREAM]",
        notice: "The lecture asks for 'crisewing.com'; 'localhost' stays on this machine. info[:3] are socket()'s arguments and info[-1] is connect()'s.",
        run: |_| {
            let lookup = GetAddrInfo::new(Hints::default(), Some("http".into()));
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
}
