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
    /// One recv's bytes.
    Received { t_ms: f64, conn: u64, bytes: u64 },
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
    /// The listening socket failed (`reason` says in which call); `code` is the errno name.
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
            CloseReason::Error => "error",
        }
    }
}

/// Why the server stopped accepting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(test, derive(serde::Deserialize))]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// SIGINT or SIGTERM.
    Signal,
    /// `--once` served its connection.
    Once,
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
            StopReason::OutputClosed => "output_closed",
            StopReason::Error => "error",
        }
    }
}

impl ServeEvent {
    /// The streaming table's columns, in `COLUMNS` order: times, counts and byte sizes line up
    /// on the right; the detail takes what room is left.
    pub const WIDTHS: &'static [Width] = &[
        Width::Right(10),
        Width::Left(10),
        Width::Right(5),
        Width::Left(22),
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
            | ServeEvent::Error { t_ms, .. }
            | ServeEvent::Stopping { t_ms, .. }
            | ServeEvent::Summary { t_ms, .. } => *t_ms,
        }
    }
}

impl Record for ServeEvent {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["t_ms", "event", "conn", "peer", "bytes", "detail"];
    fn cells(&self) -> Vec<String> {
        // conn, peer, bytes, and the detail: whatever else the kind carries, as name=value.
        let (conn, peer, bytes, detail): (_, &str, _, Vec<String>) = match self {
            ServeEvent::Listening { address, port, .. } => (
                None,
                "",
                None,
                vec![format!("address={address} port={port}")],
            ),
            ServeEvent::Accepted { conn, peer, .. } => (Some(conn), peer, None, Vec::new()),
            ServeEvent::Received { conn, bytes, .. }
            | ServeEvent::Sent { conn, bytes, .. }
            | ServeEvent::Discarded { conn, bytes, .. } => {
                (Some(conn), "", Some(bytes), Vec::new())
            }
            ServeEvent::Full { .. } => (None, "", None, Vec::new()),
            ServeEvent::Closed {
                conn,
                peer,
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
                (Some(conn), peer, None, detail)
            }
            ServeEvent::Error { reason, code, .. } => (
                None,
                "",
                None,
                vec![format!("reason={reason}"), format!("code={code}")],
            ),
            ServeEvent::Stopping { reason, .. } => {
                (None, "", None, vec![format!("reason={}", reason.as_str())])
            }
            ServeEvent::Summary {
                reason,
                bytes_in,
                bytes_out,
                connections,
                ..
            } => {
                let mut detail: Vec<String> = reason
                    .iter()
                    .map(|r| format!("reason={}", r.as_str()))
                    .collect();
                detail.push(format!("connections={connections}"));
                detail.push(format!("bytes_in={bytes_in}"));
                detail.push(format!("bytes_out={bytes_out}"));
                (None, "", None, detail)
            }
        };
        let opt = |v: Option<&u64>| v.map(u64::to_string).unwrap_or_default();
        vec![
            format!("{:.3}", self.t_ms()),
            self.kind().to_string(),
            opt(conn),
            peer.to_string(),
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
}

impl Tally {
    pub fn count(&mut self, event: &ServeEvent) {
        match event {
            ServeEvent::Accepted { .. } => self.connections += 1,
            ServeEvent::Received { bytes, .. } | ServeEvent::Discarded { bytes, .. } => {
                self.bytes_in += bytes
            }
            ServeEvent::Sent { bytes, .. } => self.bytes_out += bytes,
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
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every kind, as the JSON of `serve` has always written it: the kind first, then the fields.
    const LINES: [&str; 10] = [
        r#"{"event":"listening","t_ms":1.5,"address":"127.0.0.1","port":50000}"#,
        r#"{"event":"accepted","t_ms":1.5,"conn":1,"peer":"[::1]:40000"}"#,
        r#"{"event":"received","t_ms":1.5,"conn":1,"bytes":7}"#,
        r#"{"event":"sent","t_ms":1.5,"conn":1,"bytes":16}"#,
        r#"{"event":"discarded","t_ms":1.5,"conn":1,"bytes":3}"#,
        r#"{"event":"full","t_ms":1.5}"#,
        r#"{"event":"closed","t_ms":1.5,"conn":1,"peer":"[::1]:40000","reason":"error","code":"ECONNRESET","bytes_in":10,"bytes_out":16}"#,
        r#"{"event":"error","t_ms":1.5,"reason":"accept: Too many open files","code":"EMFILE"}"#,
        r#"{"event":"stopping","t_ms":1.5,"reason":"output_closed"}"#,
        r#"{"event":"summary","t_ms":1.5,"reason":"signal","bytes_in":10,"bytes_out":16,"connections":1}"#,
    ];

    fn json(event: &ServeEvent) -> String {
        serde_json::to_string(event).unwrap()
    }

    fn every_kind() -> Vec<ServeEvent> {
        LINES
            .iter()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect()
    }

    #[test]
    fn json_keeps_the_kind_first_and_the_fields_in_order() {
        let events = every_kind();
        assert_eq!(events.iter().map(json).collect::<Vec<_>>(), LINES);
        for event in events {
            // The table's event column (kind) names each kind as the JSON does.
            assert_eq!(serde_json::to_value(&event).unwrap()["event"], event.kind());
        }
    }

    #[test]
    fn reasons_read_the_same_in_json_and_in_the_table() {
        let close = [
            CloseReason::PeerClosed,
            CloseReason::IdleTimeout,
            CloseReason::Shutdown,
            CloseReason::MaxBytes,
            CloseReason::Replied,
            CloseReason::Error,
        ];
        for reason in close {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
        }
        let stop = [
            StopReason::Signal,
            StopReason::Once,
            StopReason::OutputClosed,
            StopReason::Error,
        ];
        for reason in stop {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.as_str());
        }
    }

    #[test]
    fn table_rows_keep_their_cells_and_detail_order() {
        let rows: Vec<String> = every_kind().iter().map(|e| e.cells().join("|")).collect();
        assert_eq!(
            rows,
            [
                "1.500|listening||||address=127.0.0.1 port=50000",
                "1.500|accepted|1|[::1]:40000||",
                "1.500|received|1||7|",
                "1.500|sent|1||16|",
                "1.500|discarded|1||3|",
                "1.500|full||||",
                "1.500|closed|1|[::1]:40000||reason=error code=ECONNRESET bytes_in=10 bytes_out=16",
                "1.500|error||||reason=accept: Too many open files code=EMFILE",
                "1.500|stopping||||reason=output_closed",
                "1.500|summary||||reason=signal connections=1 bytes_in=10 bytes_out=16",
            ]
        );
    }

    #[test]
    fn the_summary_counts_what_was_printed() {
        let mut tally = Tally::default();
        for event in every_kind() {
            tally.count(&event);
        }
        tally.count(&ServeEvent::Stopping {
            t_ms: 9.0,
            reason: StopReason::Once,
        });
        assert_eq!(
            json(&tally.summary(2.0)),
            r#"{"event":"summary","t_ms":9.0,"reason":"once","bytes_in":10,"bytes_out":16,"connections":1}"#
        );
        assert_eq!(
            json(&Tally::default().summary(0.25)),
            r#"{"event":"summary","t_ms":0.25,"bytes_in":0,"bytes_out":0,"connections":0}"#
        );
    }
}
