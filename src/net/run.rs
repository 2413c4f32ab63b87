//! The `Run` of `connect` and `serve`: arguments in, records out through the shared renderers.

use std::io::{self, Read, Write};

use anyhow::Context;

use crate::cmd::{Ctx, Run, report};
use crate::exit::{ExitCode, Fatal};
use crate::model::{Answer, Failure};
use crate::render::{self, Format};
use crate::validate;

use super::args::{ConnectArgs, ServeArgs};
use super::connect::{self, Exchange, Plan};
use super::field::Field;
use super::model::ConnectSummary;
use super::serve::{self, Config, Listen, Mode};
use super::text::unescape;

impl ConnectArgs {
    /// The request bytes, from whichever of --send, --send-file, --stdin or --http was given.
    fn request(&self) -> anyhow::Result<Option<Vec<u8>>> {
        if let Some(text) = &self.send {
            return unescape(text)
                .map(Some)
                .map_err(|e| Fatal::new(ExitCode::Usage, format!("connect: --send: {e}")).into());
        }
        if let Some(path) = &self.send_file {
            return std::fs::read(path).map(Some).map_err(|err| {
                let failure = super::text::failure_of(&err);
                Fatal::new(
                    ExitCode::Usage,
                    format!(
                        "connect: {}: {} ({})",
                        path.display(),
                        failure.message,
                        failure.code
                    ),
                )
                .into()
            });
        }
        if self.stdin {
            let mut bytes = Vec::new();
            io::stdin()
                .lock()
                .read_to_end(&mut bytes)
                .context("reading standard input")?;
            return Ok(Some(bytes));
        }
        if let Some(path) = &self.http {
            return Ok(Some(connect::http_request(&self.host_header(), path)));
        }
        Ok(None)
    }

    /// HTTP's Host header: the host as typed, IPv6 literals in brackets, the port unless 80.
    fn host_header(&self) -> String {
        let host = validate::display(&self.host);
        let host = if host.contains(':') {
            format!("[{host}]")
        } else {
            host
        };
        let service = validate::display(&self.service);
        if service == "80" || service == "http" {
            host
        } else {
            format!("{host}:{service}")
        }
    }
}

impl Run for ConnectArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let plan = Plan {
            host: &self.host,
            service: &self.service,
            family: self.family(),
            request: self.request()?,
            half_close: !self.no_half_close,
            timeout: self.timeout,
            max_bytes: self.max_bytes,
            recv_size: self.recv_size,
        };
        let Exchange {
            mut summary,
            reply,
            label,
        } = connect::run(&plan);
        let failure = summary.error.clone();
        let text = String::from_utf8_lossy(&reply);
        summary.reply_is_utf8 = std::str::from_utf8(&reply).is_ok();
        if self.raw {
            write_raw(&reply)?;
            raw_summary(ctx.format, &summary)?;
        } else if ctx.format == Format::Table {
            write_table(&summary, &text)?;
        } else {
            summary.reply = Some(text.into_owned());
            let stdout = io::stdout();
            let mut sink = render::sink::<ConnectSummary>(ctx.format, Box::new(stdout.lock()));
            sink.answer(&Answer::new(None, Ok(vec![summary])))
                .context("writing output")?;
            sink.finish().context("writing output")?;
        }
        Ok(match failure {
            Some(failure) => {
                report(ctx.command, &label, &failure, ctx.color_errors);
                failure.exit
            }
            None => ExitCode::Success,
        })
    }
}

/// `--raw`: the reply's bytes exactly, nothing added.
fn write_raw(reply: &[u8]) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    out.write_all(reply).context("writing the reply")?;
    out.flush().context("writing the reply")
}

/// With `--raw` the summary goes to stderr: one line for people, or the JSON record.
fn raw_summary(format: Format, summary: &ConnectSummary) -> anyhow::Result<()> {
    let mut err = io::stderr().lock();
    if format == Format::Table {
        if let (Some(address), Some(port)) = (&summary.connected, summary.port) {
            let _ = writeln!(
                err,
                "sockscope: connect: {address} port {port}: sent {} bytes, received {} bytes in {} recv calls, {} ({:.3} ms)",
                summary.bytes_sent,
                summary.bytes_received,
                summary.recv_calls,
                summary.end.as_str(),
                summary.total_ms
            );
        }
    } else {
        let json = serde_json::to_string(summary).context("encoding the summary")?;
        let _ = writeln!(err, "{json}");
    }
    Ok(())
}

/// The default output: the attempts, the summary as name/value rows, then the reply as text.
fn write_table(summary: &ConnectSummary, reply: &str) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if !summary.attempts.is_empty() {
        let mut sink = render::sink(Format::Table, Box::new(&mut out));
        sink.answer(&Answer::new(None, Ok(summary.attempts.clone())))?;
        sink.finish()?;
    }
    if summary.connected.is_some() {
        let opt_ms = |v: Option<f64>| v.map(|n| format!("{n:.3}")).unwrap_or_default();
        let rows = vec![
            Field::new("addresses", summary.addresses.join(", ")),
            Field::new(
                "connected",
                format!(
                    "{} port {}",
                    summary.connected.as_deref().unwrap_or_default(),
                    summary.port.unwrap_or_default()
                ),
            ),
            Field::new(
                "local",
                format!(
                    "{} port {}",
                    summary.local_address.as_deref().unwrap_or_default(),
                    summary.local_port.unwrap_or_default()
                ),
            ),
            Field::new(
                "bytes_sent",
                format!(
                    "{} in {} send calls",
                    summary.bytes_sent, summary.send_calls
                ),
            ),
            Field::new("half_closed", summary.half_closed),
            Field::new(
                "bytes_received",
                format!(
                    "{} in {} recv calls of up to {}",
                    summary.bytes_received, summary.recv_calls, summary.recv_size
                ),
            ),
            Field::new("end", summary.end.as_str()),
            Field::new("resolve_ms", format!("{:.3}", summary.resolve_ms)),
            Field::new("connect_ms", opt_ms(summary.connect_ms)),
            Field::new("first_byte_ms", opt_ms(summary.first_byte_ms)),
            Field::new("total_ms", format!("{:.3}", summary.total_ms)),
        ];
        writeln!(out)?;
        let mut sink = render::sink(Format::Table, Box::new(&mut out));
        sink.answer(&Answer::new(None, Ok(rows)))?;
        sink.finish()?;
    }
    if !reply.is_empty() {
        writeln!(out)?;
        out.write_all(reply.as_bytes())?;
        if !reply.ends_with('\n') {
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

impl Run for ServeArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let usage =
            |failure: Failure| Fatal::new(ExitCode::Usage, format!("serve: {}", failure.message));
        let addr = match serve::parse_listen(&self.listen).map_err(usage)? {
            Listen::Addr(addr) => addr,
            // A name that does not resolve is a lookup failure, with its own exit code.
            Listen::Name(name, port) => serve::resolve(&name, port).map_err(|failure| {
                Fatal::new(
                    failure.exit,
                    format!("serve: {name}: {} ({})", failure.message, failure.code),
                )
            })?,
        };
        let mode = if self.echo {
            Mode::Echo
        } else {
            let text = self.reply.as_deref().unwrap_or("message received");
            Mode::Reply(
                unescape(text)
                    .map_err(|e| Fatal::new(ExitCode::Usage, format!("serve: --reply: {e}")))?,
            )
        };
        let recv_size = self.recv_size.unwrap_or(match mode {
            Mode::Echo => 64 * 1024,
            Mode::Reply(_) => 16,
        });
        let config = Config {
            addr,
            mode,
            once: self.once,
            max_conns: self.max_conns as usize,
            recv_size,
            idle_timeout: self.idle_timeout,
            max_bytes: self.max_bytes,
            backlog: self.backlog,
        };
        serve::run(config, ctx.format)
    }
}
