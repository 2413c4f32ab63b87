//! Where `connect`'s request comes from: bytes made from `--send` or `--http`, or a file or standard input read as it is sent.

use std::fs::File;
use std::io::{self, Read};
use std::os::fd::{AsFd, BorrowedFd};

use crate::model::{Failure, Fatal, Outcome};
use crate::net::text::failure_of;
use crate::parse::unescape;
use crate::sys::SysError;

use super::args::ConnectArgs;

/// The request: known bytes, or a descriptor read in pieces as the socket takes them, so a
/// request of any size (or /dev/zero) costs one buffer of memory.
pub enum Source {
    Bytes { bytes: Vec<u8>, at: usize },
    Stream(File),
}

impl Source {
    /// The descriptor to poll before reading, for a stream; bytes are always ready.
    pub fn fd(&self) -> Option<BorrowedFd<'_>> {
        match self {
            Source::Bytes { .. } => None,
            Source::Stream(file) => Some(file.as_fd()),
        }
    }

    /// The next piece of the request into `buf`; 0 at its end.
    pub fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Source::Bytes { bytes, at } => {
                let n = buf.len().min(bytes.len() - *at);
                buf[..n].copy_from_slice(&bytes[*at..*at + n]);
                *at += n;
                Ok(n)
            }
            Source::Stream(file) => file.read(buf),
        }
    }
}

/// The request from whichever of --send, --send-file, --stdin or --http was given; `host` is
/// the host without brackets, for the Host header. A file that cannot be read is a usage
/// error, found before anything is resolved or sent.
pub fn source(args: &ConnectArgs, host: &str) -> anyhow::Result<Option<Source>> {
    let usage = |message: String| Fatal::new(Outcome::Usage, format!("connect: {message}"));
    let bytes = |bytes| Some(Source::Bytes { bytes, at: 0 });
    if let Some(text) = &args.send {
        return unescape(text)
            .map(bytes)
            .map_err(|e| usage(format!("--send: {e}")).into());
    }
    if let Some(path) = &args.send_file {
        let file_failure = |failure: Failure| {
            usage(format!(
                "{}: {} ({})",
                path.display(),
                failure.message(),
                failure.code()
            ))
        };
        let file = File::open(path).map_err(|err| file_failure(failure_of(&err)))?;
        // open(2) takes a directory; read(2) would fail with EISDIR only once connected.
        let is_dir = file
            .metadata()
            .map_err(|err| file_failure(failure_of(&err)))?
            .is_dir();
        if is_dir {
            return Err(file_failure(Failure::from(SysError::Errno(libc::EISDIR))).into());
        }
        return Ok(Some(Source::Stream(file)));
    }
    if args.stdin {
        // A descriptor of our own, read directly: std's buffered stdin could hold bytes that
        // poll(2) on the descriptor does not see.
        let fd = io::stdin()
            .as_fd()
            .try_clone_to_owned()
            .map_err(|err| usage(format!("standard input: {}", failure_of(&err).message())))?;
        return Ok(Some(Source::Stream(File::from(fd))));
    }
    if let Some(path) = &args.http {
        let service = crate::validate::display(&args.service);
        if let Some(c) = host.chars().chain(service.chars()).find(|c| c.is_control()) {
            return Err(usage(format!(
                "--http: the host and service go into the Host header and may not hold \
                 control characters ({c:?})"
            ))
            .into());
        }
        return Ok(bytes(http_request(&host_header(host, &service), path)));
    }
    Ok(None)
}

/// HTTP's Host header: the host as typed, IPv6 literals in brackets, the port unless 80.
fn host_header(host: &str, service: &str) -> String {
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host.to_string()
    };
    if service == "80" || service == "http" {
        host
    } else {
        format!("{host}:{service}")
    }
}

/// The HTTP/1.1 request the lecture types by hand, plus `Connection: close` so the server ends
/// the reply by closing (HTTP/1.1 would otherwise keep the connection open and the read would
/// only end at the timeout).
fn http_request(host: &str, path: &str) -> Vec<u8> {
    format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: sockscope/{}\r\nAccept: */*\r\nConnection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    )
    .into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_header_brackets_ipv6_and_drops_port_80() {
        assert_eq!(host_header("::1", "8080"), "[::1]:8080");
        assert_eq!(host_header("example.org", "http"), "example.org");
    }
}
