//! The events `serve` prints, one record per thing that happened, and the summary counted from them.

use serde::Serialize;

use crate::model::Record;
use crate::render::Width;

/// One thing that happened in `serve`, printed as it happens. Each kind carries exactly its own
/// fields; JSON names the kind in `event` and writes the fields in the order shown here.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ServeEvent {
    /// The socket is bound: `port` is the one the kernel chose when 0 was asked.
    Listening {
        /// Milliseconds since the server started listening (in every event).
        t_ms: f64,
        address: String,
        port: u16,
    },
    /// A connection was accepted: `conn` numbers them from 1 in order of accept, `peer` is the
    /// client as `address:port` (`[::1]:40000` for IPv6).
    Accepted { t_ms: f64, conn: u64, peer: String },
    /// One recv's bytes; `head` is the first of them, for the Python view only.
    Received {
        t_ms: f64,
        conn: u64,
        bytes: u64,
        #[serde(skip)]
        head: Vec<u8>,
    },
    /// One sendall's bytes.
    Sent { t_ms: f64, conn: u64, bytes: u64 },
    /// What `--reply` read after its answer and dropped, so that its close is a clean FIN.
    Discarded { t_ms: f64, conn: u64, bytes: u64 },
    /// `--max-conns` connections are being served; new clients wait in the listen queue.
    Full { t_ms: f64 },
    /// A connection ended. `code` names the errno when it ended in an error; the byte counts
    /// are absent only when no thread could be started to serve it.
    Closed {
        t_ms: f64,
        conn: u64,
        peer: String,
        reason: CloseReason,
        #[serde(skip_serializing_if = "Option::is_none")]
        code: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bytes_in: Option<u64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        bytes_out: Option<u64>,
    },
    /// `--udp`: one datagram arrived; `datagram` numbers them from 1.
    Datagram {
        t_ms: f64,
        datagram: u64,
        peer: String,
        bytes: u64,
        #[serde(skip)]
        head: Vec<u8>,
    },
    /// `--udp`: the answer to a datagram went out to its sender.
    Replied {
        t_ms: f64,
        datagram: u64,
        peer: String,
        bytes: u64,
    },
    /// The listening socket failed (`reason` says in which call); `code` is the errno name.
    /// With `--udp`, a failed sendto too, after which serving goes on.
    Error {
        t_ms: f64,
        reason: String,
        code: String,
    },
    /// The server stopped accepting.
    Stopping { t_ms: f64, reason: StopReason },
    /// The whole run, last: timed at the last event, or when the writer finished if that is later.
    Summary {
        t_ms: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        reason: Option<StopReason>,
        bytes_in: u64,
        bytes_out: u64,
        /// Connections accepted.
        connections: u64,
        /// `--udp`: datagrams received.
        #[serde(skip_serializing_if = "Option::is_none", default)]
        datagrams: Option<u64>,
    },
}

/// Why a connection closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "snake_case")]
pub enum CloseReason {
    /// The client closed its side.
    PeerClosed,
    /// The client sent nothing (or took nothing) for `--idle-timeout`.
    IdleTimeout,
    /// The server is stopping.
    Shutdown,
    /// `--max-bytes` were read.
    MaxBytes,
    /// `--reply` answered and the client closed or went quiet.
    Replied,
    /// `--max-life` passed.
    MaxLife,
    /// Slower than `--min-rate` while a client waited for a slot.
    TooSlow,
    Error,
}

impl CloseReason {
    pub fn as_str(self) -> &'static str {
        match self {
            CloseReason::PeerClosed => "peer_closed",
            CloseReason::IdleTimeout => "idle_timeout",
            CloseReason::Shutdown => "shutdown",
            CloseReason::MaxBytes => "max_bytes",
            CloseReason::Replied => "replied",
            CloseReason::MaxLife => "max_life",
            CloseReason::TooSlow => "too_slow",
            CloseReason::Error => "error",
        }
    }
}

/// Why the server stopped accepting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// SIGINT, SIGTERM or SIGHUP.
    Signal,
    /// `--once` served its connection.
    Once,
    /// `--max-datagrams` were answered.
    MaxDatagrams,
    /// Nobody reads the events any more.
    OutputClosed,
    /// The listening socket failed.
    Error,
}

impl StopReason {
    pub fn as_str(self) -> &'static str {
        match self {
            StopReason::Signal => "signal",
            StopReason::Once => "once",
            StopReason::MaxDatagrams => "max_datagrams",
            StopReason::OutputClosed => "output_closed",
            StopReason::Error => "error",
        }
    }
}

impl ServeEvent {
    /// The streaming table's columns, in `COLUMNS` order: times, counts and byte sizes line up
    /// on the right; the detail takes what room is left (36 columns go before it, so at 80
    /// columns it has 44, and longer details wrap).
    pub const WIDTHS: &'static [Width] = &[
        Width::Right(10),
        Width::Left(9),
        Width::Right(5),
        Width::Right(8),
        Width::Free,
    ];

    /// The kind, as JSON names it in `event`.
    pub fn kind(&self) -> &'static str {
        match self {
            ServeEvent::Listening { .. } => "listening",
            ServeEvent::Accepted { .. } => "accepted",
            ServeEvent::Received { .. } => "received",
            ServeEvent::Sent { .. } => "sent",
            ServeEvent::Discarded { .. } => "discarded",
            ServeEvent::Full { .. } => "full",
            ServeEvent::Closed { .. } => "closed",
            ServeEvent::Datagram { .. } => "datagram",
            ServeEvent::Replied { .. } => "replied",
            ServeEvent::Error { .. } => "error",
            ServeEvent::Stopping { .. } => "stopping",
            ServeEvent::Summary { .. } => "summary",
        }
    }

    pub fn t_ms(&self) -> f64 {
        match self {
            ServeEvent::Listening { t_ms, .. }
            | ServeEvent::Accepted { t_ms, .. }
            | ServeEvent::Received { t_ms, .. }
            | ServeEvent::Sent { t_ms, .. }
            | ServeEvent::Discarded { t_ms, .. }
            | ServeEvent::Full { t_ms }
            | ServeEvent::Closed { t_ms, .. }
            | ServeEvent::Datagram { t_ms, .. }
            | ServeEvent::Replied { t_ms, .. }
            | ServeEvent::Error { t_ms, .. }
            | ServeEvent::Stopping { t_ms, .. }
            | ServeEvent::Summary { t_ms, .. } => *t_ms,
        }
    }

    /// The number column (a connection, or with `--udp` a datagram), the byte count, and the
    /// detail: whatever else the kind carries, as name=value. The table leaves out the peer of
    /// `closed` (its `accepted` row names it) so that rows fit 80 columns.
    fn parts(&self) -> (Option<u64>, Option<u64>, Vec<String>) {
        match self {
            ServeEvent::Listening { address, port, .. } => (
                None,
                None,
                vec![format!("address={address}"), format!("port={port}")],
            ),
            ServeEvent::Accepted { conn, peer, .. } => {
                (Some(*conn), None, vec![format!("peer={peer}")])
            }
            ServeEvent::Received { conn, bytes, .. }
            | ServeEvent::Sent { conn, bytes, .. }
            | ServeEvent::Discarded { conn, bytes, .. } => (Some(*conn), Some(*bytes), Vec::new()),
            ServeEvent::Datagram {
                datagram,
                peer,
                bytes,
                ..
            }
            | ServeEvent::Replied {
                datagram,
                peer,
                bytes,
                ..
            } => (Some(*datagram), Some(*bytes), vec![format!("peer={peer}")]),
            ServeEvent::Full { .. } => (None, None, Vec::new()),
            ServeEvent::Closed {
                conn,
                reason,
                code,
                bytes_in,
                bytes_out,
                ..
            } => {
                let mut detail = vec![format!("reason={}", reason.as_str())];
                detail.extend(code.iter().map(|code| format!("code={code}")));
                detail.extend(bytes_in.map(|n| format!("bytes_in={n}")));
                detail.extend(bytes_out.map(|n| format!("bytes_out={n}")));
                (Some(*conn), None, detail)
            }
            ServeEvent::Error { reason, code, .. } => (
                None,
                None,
                vec![format!("reason={reason}"), format!("code={code}")],
            ),
            ServeEvent::Stopping { reason, .. } => {
                (None, None, vec![format!("reason={}", reason.as_str())])
            }
            ServeEvent::Summary {
                reason,
                bytes_in,
                bytes_out,
                connections,
                datagrams,
                ..
            } => {
                let mut detail: Vec<String> = reason
                    .iter()
                    .map(|r| format!("reason={}", r.as_str()))
                    .collect();
                match datagrams {
                    Some(n) => detail.push(format!("datagrams={n}")),
                    None => detail.push(format!("connections={connections}")),
                }
                detail.push(format!("bytes_in={bytes_in}"));
                detail.push(format!("bytes_out={bytes_out}"));
                (None, None, detail)
            }
        }
    }

    /// The detail cell's words, each a name=value, for a table that wraps them.
    pub fn detail_words(&self) -> Vec<String> {
        self.parts().2
    }
}

impl Record for ServeEvent {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["t_ms", "event", "conn", "bytes", "detail"];
    fn cells(&self) -> Vec<String> {
        let (number, bytes, detail) = self.parts();
        let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        vec![
            format!("{:.3}", self.t_ms()),
            self.kind().to_string(),
            opt(number),
            opt(bytes),
            detail.join(" "),
        ]
    }
}

/// The run's totals, counted from the very events that were printed.
#[derive(Debug, Default)]
pub struct Tally {
    /// The last event's time.
    t_ms: f64,
    reason: Option<StopReason>,
    connections: u64,
    bytes_in: u64,
    bytes_out: u64,
    /// `--udp`: datagrams received; None for TCP.
    datagrams: Option<u64>,
}

impl Tally {
    /// A tally for a UDP server, whose summary counts datagrams instead of connections.
    pub fn udp() -> Self {
        Tally {
            datagrams: Some(0),
            ..Tally::default()
        }
    }

    /// The summary's line for stderr, when stdout can no longer take it.
    pub fn line(&self, not_before: f64) -> String {
        let words = self.summary(not_before).detail_words();
        format!("summary: {}", words.join(" "))
    }

    pub fn count(&mut self, event: &ServeEvent) {
        match event {
            ServeEvent::Accepted { .. } => self.connections += 1,
            ServeEvent::Received { bytes, .. } | ServeEvent::Discarded { bytes, .. } => {
                self.bytes_in += bytes
            }
            ServeEvent::Datagram { bytes, .. } => {
                self.bytes_in += bytes;
                self.datagrams = Some(self.datagrams.unwrap_or(0) + 1);
            }
            ServeEvent::Sent { bytes, .. } | ServeEvent::Replied { bytes, .. } => {
                self.bytes_out += bytes
            }
            ServeEvent::Stopping { reason, .. } => self.reason = Some(*reason),
            ServeEvent::Listening { .. }
            | ServeEvent::Full { .. }
            | ServeEvent::Closed { .. }
            | ServeEvent::Error { .. }
            | ServeEvent::Summary { .. } => {}
        }
        self.t_ms = event.t_ms();
    }

    /// The `summary` event, timed at the last event or at `not_before`, whichever is later.
    pub fn summary(&self, not_before: f64) -> ServeEvent {
        ServeEvent::Summary {
            t_ms: self.t_ms.max(not_before),
            reason: self.reason,
            bytes_in: self.bytes_in,
            bytes_out: self.bytes_out,
            connections: self.connections,
            datagrams: self.datagrams,
        }
    }
}

#[cfg(test)]
mod tests;
