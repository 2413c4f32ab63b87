//! The bytes `connect` sends: from `--send`, `--send-file`, `--stdin` or `--http`.

use std::io::{self, Read};

use anyhow::Context;

use crate::model::{Fatal, Outcome};
use crate::net::text::failure_of;
use crate::parse::unescape;
use crate::validate;

use super::args::ConnectArgs;

/// The request bytes, from whichever of --send, --send-file, --stdin or --http was given.
pub fn request(args: &ConnectArgs) -> anyhow::Result<Option<Vec<u8>>> {
    if let Some(text) = &args.send {
        return unescape(text)
            .map(Some)
            .map_err(|e| Fatal::new(Outcome::Usage, format!("connect: --send: {e}")).into());
    }
    if let Some(path) = &args.send_file {
        return std::fs::read(path).map(Some).map_err(|err| {
            let failure = failure_of(&err);
            Fatal::new(
                Outcome::Usage,
                format!(
                    "connect: {}: {} ({})",
                    path.display(),
                    failure.message(),
                    failure.code()
                ),
            )
            .into()
        });
    }
    if args.stdin {
        let mut bytes = Vec::new();
        io::stdin()
            .lock()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
        return Ok(Some(bytes));
    }
    if let Some(path) = &args.http {
        return Ok(Some(http_request(&host_header(args), path)));
    }
    Ok(None)
}

/// HTTP's Host header: the host as typed, IPv6 literals in brackets, the port unless 80.
fn host_header(args: &ConnectArgs) -> String {
    let host = validate::display(&args.host);
    let host = if host.contains(':') {
        format!("[{host}]")
    } else {
        host
    };
    let service = validate::display(&args.service);
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
