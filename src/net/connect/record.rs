//! The records `connect` prints: each connect attempt, and the summary of the whole exchange.

use serde::Serialize;

use crate::model::{Failure, Record};

/// One connect(2) attempt of `connect`, in getaddrinfo's order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Attempt {
    pub family: String,
    pub address: String,
    pub port: u16,
    /// `connected`, or the errno name of the failure (`ECONNREFUSED`, `ETIMEDOUT`).
    pub outcome: String,
    /// strerror's text for a failure.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub elapsed_ms: f64,
}

impl Record for Attempt {
    const KEYS: &'static [&'static str] = &[];
    // The family shows in the address's form and strerror's text in the error line, so the
    // table keeps to what fits 80 columns even for the longest IPv6 address.
    const COLUMNS: &'static [&'static str] = &["address", "outcome", "elapsed_ms"];
    fn cells(&self) -> Vec<String> {
        vec![
            self.socket_addr(),
            self.outcome.clone(),
            format!("{:.3}", self.elapsed_ms),
        ]
    }
}

impl Attempt {
    /// An attempt on `addr` that connected after `elapsed_ms`, until told otherwise.
    pub fn new(addr: &std::net::SocketAddr, elapsed_ms: f64) -> Self {
        Attempt {
            family: if addr.is_ipv4() {
                "AF_INET"
            } else {
                "AF_INET6"
            }
            .to_string(),
            address: crate::sys::netdb::numeric_host(addr),
            port: addr.port(),
            outcome: "connected".to_string(),
            message: None,
            elapsed_ms,
        }
    }

    /// The attempt failed with `failure`.
    pub fn failed(&mut self, failure: &Failure) {
        self.outcome = failure.code();
        self.message = Some(failure.message());
    }

    /// The address and port as one socket address, for showing as `[::1]:80`.
    fn socket_addr(&self) -> String {
        if self.address.contains(':') {
            format!("[{}]:{}", self.address, self.port)
        } else {
            format!("{}:{}", self.address, self.port)
        }
    }
}

/// Why `connect` stopped reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum End {
    /// recv returned 0: the peer closed its side, so the reply is complete.
    PeerClosed,
    /// `--max-bytes` were read; the reply may go on.
    MaxBytes,
    /// `--timeout` passed before the peer closed.
    Timeout,
    /// The connection failed (reset, ...) before the peer closed.
    Error,
    /// Nothing was sent or received for `--idle-timeout`.
    Idle,
    /// With nothing to send, `--banner-wait` passed: what arrived by then is the reply.
    Waited,
    /// With `--udp`, the `--datagrams` asked for arrived.
    Datagrams,
    /// SIGINT, SIGTERM or SIGHUP stopped the exchange; what arrived before is kept.
    Interrupted,
    /// No connection was made, so nothing was read.
    NotConnected,
}

impl End {
    pub fn as_str(self) -> &'static str {
        match self {
            End::PeerClosed => "peer_closed",
            End::MaxBytes => "max_bytes",
            End::Timeout => "timeout",
            End::Error => "error",
            End::Idle => "idle",
            End::Waited => "waited",
            End::Datagrams => "datagrams",
            End::Interrupted => "interrupted",
            End::NotConnected => "not_connected",
        }
    }
}

/// One reply datagram of `connect --udp`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Datagram {
    pub bytes: u64,
    /// From the request being sent to this datagram's arrival.
    pub elapsed_ms: f64,
    /// The datagram as text (bytes that are not UTF-8 shown as U+FFFD).
    pub text: String,
    /// Its exact bytes in base64, only when `text` is not exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base64: Option<String>,
}

/// `connect`: the whole exchange, from resolving to the last byte.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConnectSummary {
    pub host: String,
    pub service: String,
    /// `tcp`, or `udp` with `--udp`.
    pub protocol: &'static str,
    /// Every SOCK_STREAM address getaddrinfo gave, in its order (`127.0.0.1`, `::1`).
    pub addresses: Vec<String>,
    pub attempts: Vec<Attempt>,
    /// The address that accepted the connection.
    pub connected: Option<String>,
    pub port: Option<u16>,
    pub local_address: Option<String>,
    pub local_port: Option<u16>,
    pub bytes_sent: u64,
    pub send_calls: u64,
    /// Whether shutdown(SHUT_WR) told the peer the request was complete.
    pub half_closed: bool,
    pub bytes_received: u64,
    /// recv calls made, counting the last one that returned 0 at end of stream.
    pub recv_calls: u64,
    pub recv_size: u64,
    pub end: End,
    pub resolve_ms: f64,
    pub connect_ms: Option<f64>,
    /// From the connection being established to the first byte of the reply.
    pub first_byte_ms: Option<f64>,
    pub total_ms: f64,
    /// The reply as text (bytes that are not UTF-8 shown as U+FFFD); absent with `--raw`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
    /// False when the reply had bytes that are not UTF-8, so `reply` is not exact.
    pub reply_is_utf8: bool,
    /// The reply's exact bytes in base64 (RFC 4648, with padding), only when `reply` is not
    /// exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reply_base64: Option<String>,
    /// With `--udp`: each reply datagram, in order of arrival.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub datagrams: Option<Vec<Datagram>>,
    pub error: Option<Failure>,
}

impl ConnectSummary {
    /// The summary before anything has happened: nothing resolved, sent or read yet.
    pub fn new(host: String, service: String, protocol: &'static str, recv_size: u64) -> Self {
        ConnectSummary {
            host,
            service,
            protocol,
            addresses: Vec::new(),
            attempts: Vec::new(),
            connected: None,
            port: None,
            local_address: None,
            local_port: None,
            bytes_sent: 0,
            send_calls: 0,
            half_closed: false,
            bytes_received: 0,
            recv_calls: 0,
            recv_size,
            end: End::NotConnected,
            resolve_ms: 0.0,
            connect_ms: None,
            first_byte_ms: None,
            total_ms: 0.0,
            reply: None,
            reply_is_utf8: true,
            reply_base64: None,
            datagrams: None,
            error: None,
        }
    }
}

impl Record for ConnectSummary {
    const KEYS: &'static [&'static str] = &[];
    const COLUMNS: &'static [&'static str] = &[
        "connected",
        "port",
        "bytes_sent",
        "bytes_received",
        "recv_calls",
        "end",
        "total_ms",
    ];
    fn cells(&self) -> Vec<String> {
        vec![
            self.connected.clone().unwrap_or_default(),
            self.port.map(|p| p.to_string()).unwrap_or_default(),
            self.bytes_sent.to_string(),
            self.bytes_received.to_string(),
            self.recv_calls.to_string(),
            self.end.as_str().to_string(),
            format!("{:.3}", self.total_ms),
        ]
    }
}
