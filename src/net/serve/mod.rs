//! `serve`: the lecture's bind/listen/accept/recv/sendall server, made safe to leave running in a classroom.

mod accept;
mod args;
mod conn;
mod events;
mod explain;
mod limits;
mod listen;
mod output;
mod python;
mod table;
mod udp;

pub use args::ServeArgs;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::sync::mpsc::{self, SyncSender};
use std::thread;
use std::time::{Duration, Instant};

use crate::model::outcome::Interrupted;
use crate::model::{Failure, Fatal, Outcome};
use crate::net::text::ms;
use crate::parse::unescape;
use crate::runner::{Ctx, Run};

use events::ServeEvent;
use output::{Output, Written};

/// How often blocked threads look at the stop flag: short enough that Ctrl-C feels immediate.
const TICK: Duration = Duration::from_millis(100);

/// Events waiting for the writer, at most.
const EVENT_QUEUE: usize = 1024;

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
    udp: bool,
    once: bool,
    max_datagrams: Option<u64>,
    max_conns: usize,
    recv_size: usize,
    idle_timeout: Duration,
    max_life: Duration,
    min_rate: usize,
    max_bytes: usize,
    backlog: i32,
}

impl Run for ServeArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome> {
        let mode = if self.echo {
            Mode::Echo
        } else {
            let text = self.reply.as_deref().unwrap_or("message received");
            Mode::Reply(unescape(text).map_err(|e| {
                let failure = Failure::invalid(e);
                Fatal::new(
                    Outcome::Usage,
                    format!("serve: --reply: {} ({})", failure.message(), failure.code()),
                )
            })?)
        };
        let addr = listen::address(&self.listen)?;
        let recv_size = self.recv_size.unwrap_or(match mode {
            Mode::Echo => 64 * 1024,
            Mode::Reply(_) => 16,
        });
        let config = Config {
            addr,
            mode,
            udp: self.udp,
            once: self.once,
            max_datagrams: self.max_datagrams,
            max_conns: self.max_conns as usize,
            recv_size,
            idle_timeout: self.idle_timeout,
            max_life: self.max_life,
            min_rate: self.min_rate,
            max_bytes: self.max_bytes,
            backlog: self.backlog,
        };
        serve(config, ctx)
    }
}

/// What every connection thread shares.
struct Shared {
    config: Config,
    started: Instant,
    stop: Arc<AtomicBool>,
    /// Raised while every slot is taken and a client waits: slow connections give way.
    pressure: AtomicBool,
    events: SyncSender<ServeEvent>,
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

/// The socket being served.
enum Socket {
    Tcp(std::net::TcpListener),
    Udp(std::net::UdpSocket),
}

/// Bind, listen, accept until stopped; print events as they happen and a summary at the end.
///
/// One thread accepts, one thread per connection serves it (at most `--max-conns` at once), and
/// one thread writes events: every other thread sends its events down a channel, so lines never
/// interleave and the summary is counted from the very events that were printed. Nothing is
/// written to stdout before the socket is bound, so a bad address leaves stdout empty.
fn serve(config: Config, ctx: &Ctx) -> anyhow::Result<Outcome> {
    let (socket, bound) = if config.udp {
        let (socket, bound) = listen::bind_udp(config.addr)?;
        (Socket::Udp(socket), bound)
    } else {
        let (listener, bound) = listen::bind(config.addr, config.backlog)?;
        (Socket::Tcp(listener), bound)
    };
    let stopper = listen::stop_on_signals()?;
    let stop = Arc::clone(&stopper.stop);
    let output_closed = Arc::new(AtomicBool::new(false));

    let started = Instant::now();
    // Bounded: when stdout is slower than the clients (a paused terminal, a pipe nobody
    // reads), connection threads wait for it instead of queueing events without limit.
    let (tx, rx) = mpsc::sync_channel(EVENT_QUEUE);
    let writer = {
        let out = Output {
            format: ctx.format,
            explain: ctx.explain.then(|| explain::call(&config, &bound)),
            session: python::Session::new(&config),
            udp: config.udp,
            stop: Arc::clone(&stop),
            output_closed: Arc::clone(&output_closed),
        };
        thread::Builder::new()
            .name("events".to_string())
            .spawn(move || out.write_events(rx))
            .map_err(|err| listen::system_failure("starting the event writer", &err))?
    };
    let shared = Arc::new(Shared {
        config,
        started,
        stop,
        pressure: AtomicBool::new(false),
        events: tx,
    });
    shared.send(ServeEvent::Listening {
        t_ms: shared.t_ms(),
        address: bound.ip().to_string(),
        port: bound.port(),
    });

    let (reason, outcome) = match &socket {
        Socket::Tcp(listener) => accept::accept_loop(&shared, listener, &output_closed),
        Socket::Udp(socket) => udp::serve_udp(&shared, socket, &output_closed),
    };
    drop(socket); // new connections are refused from here on
    shared.send(ServeEvent::Stopping {
        t_ms: shared.t_ms(),
        reason,
    });
    drop(shared); // the writer ends once every connection thread has dropped its sender too
    let written = match writer.join() {
        Ok(written) => written,
        Err(_) => anyhow::bail!("the event writer panicked"),
    };
    match written {
        Written::All => {}
        // The reader went away (`| head -1`): a normal end, the summary went to stderr.
        Written::ReaderGone => {}
        Written::Failed(err) => {
            let failure = crate::net::text::failure_of(&err);
            return Err(Fatal::new(
                Outcome::System.max(outcome),
                format!(
                    "serve: writing events: {} ({})",
                    failure.message(),
                    failure.code()
                ),
            )
            .into());
        }
    }
    if let Some(signal) = stopper.signal() {
        let name = match signal {
            libc::SIGINT => "SIGINT",
            libc::SIGTERM => "SIGTERM",
            libc::SIGHUP => "SIGHUP",
            _ => "a signal",
        };
        return Err(Interrupted::new(signal, format!("serve: interrupted by {name}")).into());
    }
    Ok(outcome)
}
