//! The accept loop of `serve`: one thread per connection, at most `--max-conns` at once.

use std::io;
use std::net::TcpListener;
use std::os::fd::AsFd;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};

use crate::model::Outcome;
use crate::net::text::{failure_of, show_addr};
use crate::sys::socket as sys;

use super::conn::serve_conn;
use super::events::{CloseReason, ServeEvent, StopReason};
use super::{Shared, TICK};

/// The count of connections being served, and a way to wait until it drops below the cap.
struct Slots {
    active: Mutex<usize>,
    freed: Condvar,
}

impl Slots {
    fn lock(&self) -> MutexGuard<'_, usize> {
        // A worker that panicked leaves only a counter behind, which its guard already fixed.
        self.active.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// Gives a connection's slot back however its thread ends, even by a panic.
struct SlotGuard(Arc<Slots>);

impl Drop for SlotGuard {
    fn drop(&mut self) {
        let mut active = self.0.lock();
        *active = active.saturating_sub(1);
        self.0.freed.notify_all();
    }
}

/// Accept until a signal, `--once`, or a listener failure; returns why it stopped, once every
/// connection thread has finished.
pub fn accept_loop(
    shared: &Arc<Shared>,
    listener: &TcpListener,
    output_closed: &AtomicBool,
) -> (StopReason, Outcome) {
    let slots = Arc::new(Slots {
        active: Mutex::new(0),
        freed: Condvar::new(),
    });
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    let mut next_conn = 0u64;
    let mut full_reported = false;
    let outcome = loop {
        if output_closed.load(Ordering::SeqCst) {
            break (StopReason::OutputClosed, Outcome::Success);
        }
        if shared.stop.load(Ordering::SeqCst) {
            break (StopReason::Signal, Outcome::Success);
        }
        {
            let active = slots.lock();
            if *active >= shared.config.max_conns {
                // A client in the listen queue while every slot is taken: slow connections
                // give way (`--min-rate`), so one that keeps up is served within seconds.
                let waiting = matches!(
                    sys::wait_readable(listener.as_fd(), std::time::Duration::ZERO),
                    Ok(true)
                );
                shared.pressure.store(waiting, Ordering::SeqCst);
                if !full_reported {
                    full_reported = true;
                    shared.send(ServeEvent::Full {
                        t_ms: shared.t_ms(),
                    });
                }
                // Leaving new clients in the kernel's queue is the "wait" of --max-conns.
                let _ = slots.freed.wait_timeout(active, TICK);
                continue;
            }
        }
        full_reported = false;
        shared.pressure.store(false, Ordering::SeqCst);
        match sys::wait_readable(listener.as_fd(), TICK) {
            Ok(false) => continue,
            Ok(true) => {}
            Err(err) => {
                shared.send(ServeEvent::Error {
                    t_ms: shared.t_ms(),
                    reason: format!("poll: {}", err.message()),
                    code: err.code(),
                });
                break (StopReason::Error, Outcome::System);
            }
        }
        match listener.accept() {
            Ok((stream, peer)) => {
                next_conn += 1;
                *slots.lock() += 1;
                shared.send(ServeEvent::Accepted {
                    t_ms: shared.t_ms(),
                    conn: next_conn,
                    peer: show_addr(&peer),
                });
                let guard = SlotGuard(Arc::clone(&slots));
                let shared_for_conn = Arc::clone(shared);
                let conn = next_conn;
                workers.retain(|w| !w.is_finished());
                let spawned =
                    thread::Builder::new()
                        .name(format!("conn-{conn}"))
                        .spawn(move || {
                            let _guard = guard;
                            serve_conn(&shared_for_conn, conn, peer, stream);
                        });
                match spawned {
                    Ok(worker) => workers.push(worker),
                    // Out of threads: the closure (with the stream and the slot) is dropped,
                    // which closes this connection and frees its slot; the server goes on.
                    Err(err) => shared.send(ServeEvent::Closed {
                        t_ms: shared.t_ms(),
                        conn,
                        peer: show_addr(&peer),
                        reason: CloseReason::Error,
                        code: Some(failure_of(&err).code()),
                        bytes_in: None,
                        bytes_out: None,
                    }),
                }
                if shared.config.once {
                    break (StopReason::Once, Outcome::Success);
                }
            }
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock
                        | io::ErrorKind::Interrupted
                        | io::ErrorKind::ConnectionAborted
                ) => {}
            Err(err) => {
                // EMFILE and friends: say so, give the system a moment, keep serving.
                let failure = failure_of(&err);
                shared.send(ServeEvent::Error {
                    t_ms: shared.t_ms(),
                    reason: format!("accept: {}", failure.message()),
                    code: failure.code(),
                });
                thread::sleep(TICK);
            }
        }
    };
    for worker in workers {
        let _ = worker.join();
    }
    outcome
}
