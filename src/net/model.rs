//! The records `serve` prints: the same `Record` model as the lookups, so every format works.

use serde::Serialize;

use crate::model::Record;
use crate::render::Width;

/// One thing that happened in `serve`, printed as it happens.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ServeEvent {
    /// listening, accepted, received, sent, closed, full, error, stopping, summary.
    pub event: String,
    /// Milliseconds since the server started listening.
    pub t_ms: f64,
    /// Connection number, from 1 in order of accept.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub conn: Option<u64>,
    /// The client, as `address:port` (`[::1]:40000` for IPv6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub peer: Option<String>,
    /// The bound address (on `listening`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// The bound port (on `listening`): the one the kernel chose when 0 was asked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Bytes in this recv or send.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// Why a connection closed or the server stopped; or what went wrong.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// Errno name of a failure (`ECONNRESET`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// Per connection (on `closed`) or for the whole run (on `summary`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_in: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bytes_out: Option<u64>,
    /// Connections accepted in the whole run (on `summary`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub connections: Option<u64>,
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
}

impl Record for ServeEvent {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &["t_ms", "event", "conn", "peer", "bytes", "detail"];
    fn cells(&self) -> Vec<String> {
        let opt = |v: Option<u64>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut detail = Vec::new();
        if let (Some(address), Some(port)) = (&self.address, self.port) {
            detail.push(format!("address={address} port={port}"));
        }
        if let Some(reason) = &self.reason {
            detail.push(format!("reason={reason}"));
        }
        if let Some(code) = &self.code {
            detail.push(format!("code={code}"));
        }
        if let Some(n) = self.connections {
            detail.push(format!("connections={n}"));
        }
        if let Some(n) = self.bytes_in {
            detail.push(format!("bytes_in={n}"));
        }
        if let Some(n) = self.bytes_out {
            detail.push(format!("bytes_out={n}"));
        }
        vec![
            format!("{:.3}", self.t_ms),
            self.event.clone(),
            opt(self.conn),
            self.peer.clone().unwrap_or_default(),
            opt(self.bytes),
            detail.join(" "),
        ]
    }
}
