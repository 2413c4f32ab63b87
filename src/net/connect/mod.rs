//! `connect`: the lecture's client, from the command line to the summary and the reply.

mod args;
mod exchange;
mod output;
mod pump;
mod python;
mod record;
mod reply;
mod source;
mod stop;
mod udp;

pub use args::ConnectArgs;

use std::ffi::OsString;
use std::time::Instant;

use crate::model::{Fatal, Outcome};
use crate::runner::{Ctx, Run, report};

use exchange::Plan;
use reply::{Kept, Sink, Streamed};
use source::Source;
use stop::Stop;

impl Run for ConnectArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome> {
        let host = unbracketed(&self.host);
        if !self.raw && self.max_bytes > args::MAX_KEPT_REPLY {
            return Err(Fatal::new(
                Outcome::Usage,
                "connect: --max-bytes is at most 1G without --raw, which keeps the reply to \
                 print it (--raw streams up to 1024G)",
            )
            .into());
        }
        let source = source::source(self, &crate::validate::display(&host))?;
        let request = match &source {
            Some(Source::Bytes { bytes, .. }) => Some(bytes.clone()),
            _ => None,
        };
        if self.udp
            && let Some(bytes) = &request
            && bytes.len() > udp::MAX_DATAGRAM
        {
            return Err(Fatal::new(
                Outcome::Usage,
                format!(
                    "connect: a UDP request is one datagram of at most {} bytes, not {}",
                    udp::MAX_DATAGRAM,
                    bytes.len()
                ),
            )
            .into());
        }
        let streamed = match (&self.send_file, self.stdin) {
            (Some(path), _) => Some(format!(
                "open({}, 'rb')",
                crate::text::pyrepr::str_repr(&path.to_string_lossy())
            )),
            (None, true) => Some("sys.stdin.buffer".to_string()),
            _ => None,
        };
        let stop = Stop::default();
        let plan = Plan {
            host: &host,
            service: &self.service,
            family: self.family(),
            udp: self.udp,
            half_close: !self.no_half_close,
            timeout: self.timeout,
            deadline: Instant::now() + self.timeout,
            idle: self.idle_timeout,
            banner_wait: self.banner_wait,
            max_bytes: self.max_bytes,
            max_send: self.max_send,
            recv_size: usize::try_from(self.recv_size).unwrap_or(usize::MAX),
            datagrams: self.datagrams,
            stop: &stop,
        };
        let mut kept = Kept::default();
        let mut streamed_out = Streamed(std::io::stdout().lock());
        let sink: &mut dyn Sink = if self.raw {
            &mut streamed_out
        } else {
            &mut kept
        };
        let (summary, label) = exchange::run(&plan, source, sink);
        drop(streamed_out);
        let session = python::Session {
            family: self.family(),
            udp: self.udp,
            request: request.as_deref(),
            streamed: streamed.as_deref(),
            half_close: !self.no_half_close,
            timeout: self.timeout.as_secs_f64(),
            banner_wait: self.banner_wait.as_secs_f64(),
        };
        let call = python::call(&summary, &session);
        let printed = python::printed(&summary, &kept.0, self.udp);
        let failure = summary.error.clone();
        output::write(ctx, self.raw, summary, &kept.0, call, printed)?;
        let outcome = match failure {
            Some(failure) => {
                report(ctx.command, &label, &failure, ctx.color_errors);
                failure.outcome()
            }
            None => Outcome::Success,
        };
        stop.finish();
        Ok(outcome)
    }
}

/// `[::1]` as `::1`: the brackets a URL or `serve [::1]:PORT` puts around an IPv6 address.
fn unbracketed(host: &std::ffi::OsStr) -> OsString {
    host.to_str()
        .and_then(|h| h.strip_prefix('['))
        .and_then(|h| h.strip_suffix(']'))
        .filter(|inner| inner.contains(':'))
        .map_or_else(|| host.to_os_string(), OsString::from)
}
