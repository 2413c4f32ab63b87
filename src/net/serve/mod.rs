//! `serve`: the lecture's bind/listen/accept/recv/sendall server, made safe to leave running in a classroom.

mod accept;
mod args;
mod conn;
mod events;
mod listen;
mod output;

pub use args::ServeArgs;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, Sender};
use std::thread;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::model::{Fatal, Outcome};
use crate::net::text::ms;
use crate::parse::unescape;
use crate::render::Format;
use crate::runner::{Ctx, Run};

use events::ServeEvent;

/// How often blocked threads look at the stop flag: short enough that Ctrl-C feels immediate.
const TICK: Duration = Duration::from_millis(100);

/// What the server answers.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mode {
    /// One recv, one sendall of these bytes, close: the lecture's server.
    Reply(Vec<u8>),
    /// Send back every byte until the client closes its side.
    Echo,
}

/// Everything `serve` needs, checked.
#[derive(Debug, Clone)]
struct Config {
    addr: SocketAddr,
    mode: Mode,
    once: bool,
    max_conns: usize,
    recv_size: usize,
    idle_timeout: Duration,
    max_bytes: usize,
    backlog: i32,
}

impl Run for ServeArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome> {
        let addr = listen::address(&self.listen)?;
        let mode = if self.echo {
            Mode::Echo
        } else {
            let text = self.reply.as_deref().unwrap_or("message received");
            Mode::Reply(
                unescape(text)
                    .map_err(|e| Fatal::new(Outcome::Usage, format!("serve: --reply: {e}")))?,
            )
        };
        let recv_size = self.recv_size.unwrap_or(match mode {
            Mode::Echo => 64 * 1024,
            Mode::Reply(_) => 16,
        });
        let config = Config {
            addr,
            mode,
            once: self.once,
            max_conns: self.max_conns as usize,
            recv_size,
            idle_timeout: self.idle_timeout,
            max_bytes: self.max_bytes,
            backlog: self.backlog,
        };
        serve(config, ctx.format)
    }
}

/// What every connection thread shares.
struct Shared {
    config: Config,
    started: Instant,
    stop: Arc<AtomicBool>,
    events: Sender<ServeEvent>,
}

impl Shared {
    fn send(&self, event: ServeEvent) {
        // The writer only goes away when output is closed, and then nobody is reading events.
        let _ = self.events.send(event);
    }

    /// Milliseconds since the server started listening: every event's `t_ms`.
    fn t_ms(&self) -> f64 {
        ms(self.started.elapsed())
    }
}

/// Bind, listen, accept until stopped; print events as they happen and a summary at the end.
///
/// One thread accepts, one thread per connection serves it (at most `--max-conns` at once), and
/// one thread writes events: every other thread sends its events down a channel, so lines never
/// interleave and the summary is counted from the very events that were printed.
fn serve(config: Config, format: Format) -> anyhow::Result<Outcome> {
    let (listener, bound) = listen::bind(config.addr, config.backlog)?;
    let stop = listen::stop_on_signals()?;
    let output_closed = Arc::new(AtomicBool::new(false));

    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let writer = {
        let stop = Arc::clone(&stop);
        let output_closed = Arc::clone(&output_closed);
        thread::Builder::new()
            .name("events".to_string())
            .spawn(move || output::write_events(rx, format, &stop, &output_closed))
            .context("starting the event writer")?
    };
    let shared = Arc::new(Shared {
        config,
        started,
        stop,
        events: tx,
    });
    shared.send(ServeEvent::Listening {
        t_ms: shared.t_ms(),
        address: bound.ip().to_string(),
        port: bound.port(),
    });

    let (reason, exit) = accept::accept_loop(&shared, &listener, &output_closed);
    drop(listener); // new connections are refused from here on
    shared.send(ServeEvent::Stopping {
        t_ms: shared.t_ms(),
        reason,
    });
    drop(shared); // the writer ends once every connection thread has dropped its sender too
    match writer.join() {
        Ok(result) => result.context("writing events")?,
        Err(_) => anyhow::bail!("the event writer panicked"),
    }
    Ok(exit)
}
