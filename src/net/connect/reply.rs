//! Where the reply's bytes go as they arrive: kept for the summary, or written straight to stdout with `--raw`.

use std::io::{self, Write};

/// Takes each piece of the reply as it arrives.
pub trait Sink {
    fn data(&mut self, bytes: &[u8]) -> io::Result<()>;
}

/// The reply kept whole, for the table, JSON and Python formats (bounded by `--max-bytes`).
#[derive(Default)]
pub struct Kept(pub Vec<u8>);

impl Sink for Kept {
    fn data(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.extend_from_slice(bytes);
        Ok(())
    }
}

/// `--raw`: each piece written and flushed at once, so memory stays one buffer and an
/// interrupted run leaves every byte that arrived in the output.
pub struct Streamed<W: Write>(pub W);

impl<W: Write> Sink for Streamed<W> {
    fn data(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.0.write_all(bytes)?;
        self.0.flush()
    }
}
