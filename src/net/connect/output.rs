//! How `connect` writes its result: the table with the reply as text, the reply's raw bytes, or the summary record.

use std::io::{self, Write};

use anyhow::Context;

use crate::model::{Answer, Record};
use crate::net::field::Field;
use crate::render::{self, Format};
use crate::runner::{Ctx, emit};

use super::record::ConnectSummary;

/// Write the summary and the reply in the context's format; with `raw`, the reply's bytes
/// alone go to stdout. The record formats go through the emitter every subcommand shares.
pub fn write(
    ctx: &Ctx,
    raw: bool,
    mut summary: ConnectSummary,
    reply: &[u8],
) -> anyhow::Result<()> {
    let text = String::from_utf8_lossy(reply);
    if raw {
        write_raw(reply)?;
        raw_summary(ctx.format, &summary)
    } else if ctx.format == Format::Table {
        write_table(&summary, &text)
    } else {
        summary.reply = Some(text.into_owned());
        // The summary is a record even when the exchange failed: its failure is reported by
        // the caller, so the emitter sees a success here.
        emit(ctx, [Answer::new(None, Ok(vec![summary]))]).map(|_| ())
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
        table(&mut out, summary.attempts.clone())?;
    }
    if summary.connected.is_some() {
        writeln!(out)?;
        table(&mut out, summary_rows(summary))?;
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

/// One table through the shared renderer, without colour: the reply below it is plain text too.
fn table<R: Record>(out: &mut impl Write, rows: Vec<R>) -> io::Result<()> {
    let mut sink = render::sink(Format::Table, Box::new(out));
    sink.answer(&Answer::new(None, Ok(rows)))?;
    sink.finish()
}

/// The summary of a connection that was made, as name/value rows.
fn summary_rows(summary: &ConnectSummary) -> Vec<Field> {
    let opt_ms = |v: Option<f64>| v.map(|n| format!("{n:.3}")).unwrap_or_default();
    vec![
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
    ]
}
