//! The one thread of `serve` that writes to stdout: each event as it arrives, then the summary.

use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Receiver;
use std::time::Instant;

use crate::model::Answer;
use crate::net::text::ms;
use crate::render::{self, Format, Sink, StreamTable};

use super::events::{ServeEvent, Tally};

/// Write every event received on `rx` until every sender is gone, then the summary counted from
/// them. When stdout fails, raise `output_closed` and `stop` and keep draining the channel.
pub fn write_events(
    rx: Receiver<ServeEvent>,
    format: Format,
    stop: &AtomicBool,
    output_closed: &AtomicBool,
) -> io::Result<()> {
    let out = Box::new(io::stdout().lock());
    let mut sink: Box<dyn Sink<ServeEvent>> = match format {
        // Rows go out as events happen, so the table cannot wait to measure its columns.
        Format::Table => Box::new(StreamTable::new(out, ServeEvent::WIDTHS)),
        other => render::sink(other, out),
    };
    let mut tally = Tally::default();
    let started = Instant::now();
    let mut result = Ok(());
    for event in rx.iter() {
        tally.count(&event);
        if result.is_ok() {
            result = sink.answer(&Answer::new(None, Ok(vec![event])));
            if result.is_err() {
                // Nobody reads the events any more: stop serving, keep draining the channel.
                output_closed.store(true, Ordering::SeqCst);
                stop.store(true, Ordering::SeqCst);
            }
        }
    }
    result?;
    let summary = tally.summary(ms(started.elapsed()));
    sink.answer(&Answer::new(None, Ok(vec![summary])))?;
    sink.finish()
}
