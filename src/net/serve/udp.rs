//! `serve --udp`: recvfrom, then sendto the answer (or the datagram itself with --echo); each datagram an event.

use std::io;
use std::net::UdpSocket;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;

use crate::model::Outcome;
use crate::net::text::{failure_of, show_addr};

use super::conn::PREVIEW;
use super::events::{ServeEvent, StopReason};
use super::limits::is_retry;
use super::{Mode, Shared, TICK};

/// Answer datagrams until a signal, `--once`, `--max-datagrams` or a closed stdout. One thread
/// does it all: a datagram is answered at once, and a send that cannot go out within a TICK is
/// reported and dropped, as UDP drops what it cannot deliver.
pub fn serve_udp(
    shared: &Arc<Shared>,
    socket: &UdpSocket,
    output_closed: &AtomicBool,
) -> (StopReason, Outcome) {
    let config = &shared.config;
    let mut outcome = Outcome::Success;
    if let Err(err) = socket
        .set_read_timeout(Some(TICK))
        .and_then(|()| socket.set_write_timeout(Some(TICK)))
    {
        report(shared, "setsockopt", &err);
        return (StopReason::Error, Outcome::System);
    }
    let limit = match (config.once, config.max_datagrams) {
        (true, _) => Some((1, StopReason::Once)),
        (false, Some(n)) => Some((n, StopReason::MaxDatagrams)),
        (false, None) => None,
    };
    let mut buf = vec![0u8; config.recv_size];
    let mut count = 0u64;
    loop {
        if output_closed.load(Ordering::SeqCst) {
            return (StopReason::OutputClosed, outcome);
        }
        if shared.stop.load(Ordering::SeqCst) {
            return (StopReason::Signal, outcome);
        }
        if let Some((max, reason)) = limit
            && count >= max
        {
            return (reason, outcome);
        }
        // As Python's recvfrom(N): a longer datagram is cut to N bytes, the rest dropped.
        let (n, peer) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(err) if is_retry(&err) => continue,
            Err(err) => {
                // An ICMP error from an earlier answer, say: report it and keep serving.
                report(shared, "recvfrom", &err);
                outcome = outcome.max(Outcome::System);
                thread::sleep(TICK);
                continue;
            }
        };
        count += 1;
        let data = &buf[..n];
        shared.send(ServeEvent::Datagram {
            t_ms: shared.t_ms(),
            datagram: count,
            peer: show_addr(&peer),
            bytes: n as u64,
            head: data[..n.min(PREVIEW)].to_vec(),
        });
        let answer = match &config.mode {
            Mode::Echo => data,
            Mode::Reply(reply) => reply.as_slice(),
        };
        match socket.send_to(answer, peer) {
            Ok(sent) => shared.send(ServeEvent::Replied {
                t_ms: shared.t_ms(),
                datagram: count,
                peer: show_addr(&peer),
                bytes: sent as u64,
            }),
            Err(err) => report(shared, "sendto", &err),
        }
    }
}

fn report(shared: &Shared, step: &str, err: &io::Error) {
    let failure = failure_of(err);
    shared.send(ServeEvent::Error {
        t_ms: shared.t_ms(),
        reason: format!("{step}: {}", failure.message()),
        code: failure.code(),
    });
}
