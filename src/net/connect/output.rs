//! How `connect` writes its result: the table with the reply made safe for a terminal, the summary after a `--raw` reply, the JSON record, the Python session.

use std::fmt::Write as _;
use std::io::{self, Write};

use anyhow::Context;
use base64::Engine;

use crate::model::{Answer, Call, Record};
use crate::net::field::Field;
use crate::render::{self, Format};
use crate::runner::{Ctx, emit};

use super::record::ConnectSummary;

/// Base64 of bytes that are not UTF-8, so JSON can carry them exactly beside the lossy text.
pub fn base64_unless_utf8(bytes: &[u8]) -> Option<String> {
    std::str::from_utf8(bytes)
        .is_err()
        .then(|| base64::engine::general_purpose::STANDARD.encode(bytes))
}

/// Write the summary and the reply in the context's format. With `raw` the reply has already
/// gone to stdout as it arrived, and the summary goes to stderr. `python` is what the Python
/// session prints.
pub fn write(
    ctx: &Ctx,
    raw: bool,
    mut summary: ConnectSummary,
    reply: &[u8],
    call: Call,
    python: Vec<String>,
) -> anyhow::Result<()> {
    if raw {
        return raw_summary(ctx.format, &summary);
    }
    summary.reply_is_utf8 = std::str::from_utf8(reply).is_ok();
    match ctx.format {
        Format::Table => write_table(ctx.explain.then_some(&call), &summary, reply),
        Format::Python => write_python(ctx.explain.then_some(&call), &python),
        _ => {
            summary.reply = Some(String::from_utf8_lossy(reply).into_owned());
            summary.reply_base64 = base64_unless_utf8(reply);
            // The summary is a record even when the exchange failed: its failure is reported
            // by the caller, so the emitter sees a success here.
            let answer = Answer::new(None, Ok(vec![summary])).with_call(call);
            emit(ctx, [answer]).map(|_| ())
        }
    }
}

/// With `--raw` the summary goes to stderr: one line for people, or the JSON record.
fn raw_summary(format: Format, summary: &ConnectSummary) -> anyhow::Result<()> {
    let mut err = io::stderr().lock();
    if matches!(format, Format::Json | Format::Jsonl) {
        let json = serde_json::to_string(summary).context("encoding the summary")?;
        let _ = writeln!(err, "{json}");
    } else if let (Some(address), Some(port)) = (&summary.connected, summary.port) {
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
    Ok(())
}

/// `--explain` above a table: the C calls, the Python session and the notes, each line short.
fn explain_block(call: &Call) -> String {
    let mut text = String::new();
    for (head, lines) in [("C:", &call.c), ("Python:", &call.python)] {
        for (i, line) in lines.lines().enumerate() {
            let head = if i == 0 { head } else { "" };
            let _ = writeln!(text, "{head:<8}{line}");
        }
    }
    for (i, note) in call.notes.iter().enumerate() {
        let head = if i == 0 { "Notes:" } else { "" };
        for (j, line) in wrap(note, 70).iter().enumerate() {
            let bullet = if j == 0 { "- " } else { "  " };
            let head = if j == 0 { head } else { "" };
            let _ = writeln!(text, "{head:<8}{bullet}{line}");
        }
    }
    text.push('\n');
    text
}

/// Words of `text` in lines of at most `width` characters (a longer word gets a line alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split_whitespace() {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

/// The default output: the attempts, the summary as name/value rows, then the reply as text
/// with every control character escaped, so a peer cannot colour, move or clear the terminal.
fn write_table(call: Option<&Call>, summary: &ConnectSummary, reply: &[u8]) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if let Some(call) = call {
        out.write_all(explain_block(call).as_bytes())?;
    }
    if !summary.attempts.is_empty() {
        table(&mut out, summary.attempts.clone())?;
    }
    if summary.connected.is_some() {
        writeln!(out)?;
        table(&mut out, summary_rows(summary))?;
    }
    if !reply.is_empty() {
        writeln!(out)?;
        let text = visible(reply);
        out.write_all(text.as_bytes())?;
        if !text.ends_with('\n') {
            writeln!(out)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// The Python format: the session with `--explain` (`# C:` comments, `>>>` and `...` lines),
/// then what it prints.
fn write_python(call: Option<&Call>, printed: &[String]) -> anyhow::Result<()> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if let Some(call) = call {
        for line in call.c.lines() {
            writeln!(out, "# C: {line}")?;
        }
        for note in &call.notes {
            writeln!(out, "# {note}")?;
        }
        out.write_all(transcript(&call.python).as_bytes())?;
    }
    for line in printed {
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

/// Python source as typed at the REPL: `>>>` for a statement, `...` for the lines of a
/// compound one, and the empty `...` line that ends it.
fn transcript(source: &str) -> String {
    let mut text = String::new();
    let mut in_block = false;
    for line in source.lines() {
        let continues =
            line.starts_with(' ') || line.starts_with("except") || line.starts_with("else");
        if in_block && !continues {
            text.push_str("...\n");
            in_block = false;
        }
        let prompt = if in_block { "..." } else { ">>>" };
        let _ = writeln!(text, "{prompt} {line}");
        if line.ends_with(':') {
            in_block = true;
        }
    }
    if in_block {
        text.push_str("...\n");
    }
    text
}

/// The reply as text a terminal shows as is: line breaks and tabs kept, `\r` before `\n`
/// kept, every other control character (C0, DEL, C1, bidirectional overrides) and every byte
/// that is not UTF-8 written as a visible escape (`\x1b`, `\u{202e}`, `\xff`).
pub fn visible(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for chunk in bytes.utf8_chunks() {
        let mut chars = chunk.valid().chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\n' | '\t' => out.push(c),
                '\r' if chars.peek() == Some(&'\n') => out.push(c),
                c if (c as u32) < 0x80 && c.is_control() => {
                    let _ = write!(out, "\\x{:02x}", c as u32);
                }
                c if c.is_control() || is_bidi_control(c) => {
                    let _ = write!(out, "\\u{{{:x}}}", c as u32);
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    out
}

/// Characters that reorder the text around them, which could make a reply read other than
/// it is.
fn is_bidi_control(c: char) -> bool {
    matches!(c as u32, 0x200e | 0x200f | 0x202a..=0x202e | 0x2066..=0x2069)
}

/// One table through the shared renderer, without colour: the reply below it is plain text too.
fn table<R: Record>(out: &mut impl Write, rows: Vec<R>) -> io::Result<()> {
    // Rendered aside: the renderer takes a writer it could hand to another thread, which
    // a locked stdout is not.
    let mut text = Vec::new();
    let mut sink = render::sink(Format::Table, Box::new(&mut text));
    sink.answer(&Answer::new(None, Ok(rows)))?;
    sink.finish()?;
    drop(sink);
    out.write_all(&text)
}

/// The widest value a summary row shows on one line: with the widest field name and the
/// table's gaps, a row fits 80 columns.
const VALUE_WIDTH: usize = 60;

/// The summary of a connection that was made, as name/value rows; a long value (many
/// addresses) goes on over several rows.
fn summary_rows(summary: &ConnectSummary) -> Vec<Field> {
    let opt_ms = |v: Option<f64>| v.map(|n| format!("{n:.3}")).unwrap_or_default();
    let mut rows = Vec::new();
    let mut push = |name: &str, value: String| {
        for (i, line) in wrap(&value, VALUE_WIDTH).into_iter().enumerate() {
            rows.push(Field::new(if i == 0 { name } else { "" }, line));
        }
    };
    push("protocol", summary.protocol.to_string());
    push("addresses", summary.addresses.join(", "));
    push(
        "connected",
        format!(
            "{} port {}",
            summary.connected.as_deref().unwrap_or_default(),
            summary.port.unwrap_or_default()
        ),
    );
    push(
        "local",
        format!(
            "{} port {}",
            summary.local_address.as_deref().unwrap_or_default(),
            summary.local_port.unwrap_or_default()
        ),
    );
    push(
        "bytes_sent",
        format!(
            "{} in {} send calls",
            summary.bytes_sent, summary.send_calls
        ),
    );
    if summary.protocol == "tcp" {
        push("half_closed", summary.half_closed.to_string());
    }
    push(
        "bytes_received",
        format!(
            "{} in {} recv calls of up to {}",
            summary.bytes_received, summary.recv_calls, summary.recv_size
        ),
    );
    for (i, d) in summary.datagrams.iter().flatten().enumerate() {
        push(
            &format!("datagram {}", i + 1),
            format!("{} bytes at {:.3} ms", d.bytes, d.elapsed_ms),
        );
    }
    push("end", summary.end.as_str().to_string());
    push("resolve_ms", format!("{:.3}", summary.resolve_ms));
    push("connect_ms", opt_ms(summary.connect_ms));
    push("first_byte_ms", opt_ms(summary.first_byte_ms));
    push("total_ms", format!("{:.3}", summary.total_ms));
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_sequences_from_the_peer_are_shown_not_obeyed() {
        assert_eq!(
            visible(b"\x1b[31mred\x1b[0m\r\n"),
            "\\x1b[31mred\\x1b[0m\r\n"
        );
        assert_eq!(visible(b"a\rb\x7f\xff\tc\n"), "a\\x0db\\x7f\\xff\tc\n");
        assert_eq!(visible("x\u{202e}y\u{9b}".as_bytes()), "x\\u{202e}y\\u{9b}");
        assert_eq!(visible("héllo".as_bytes()), "héllo");
    }

    #[test]
    fn the_repl_transcript_marks_blocks() {
        let text = transcript("x = 1\nwhile True:\n    break\ny");
        assert_eq!(
            text,
            ">>> x = 1\n>>> while True:\n...     break\n...\n>>> y\n"
        );
    }

    #[test]
    fn base64_only_for_bytes_that_are_not_utf8() {
        assert_eq!(base64_unless_utf8(b"ok"), None);
        assert_eq!(base64_unless_utf8(b"\xff\x00").as_deref(), Some("/wA="));
    }
}
