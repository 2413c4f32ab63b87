//! The `Run` of `serve`: arguments in, events out through the shared renderers.

use crate::cmd::{Ctx, Run};
use crate::exit::{ExitCode, Fatal};
use crate::model::Failure;

use super::args::ServeArgs;
use super::serve::{self, Config, Listen, Mode};
use super::text::unescape;

impl Run for ServeArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let usage =
            |failure: Failure| Fatal::new(ExitCode::Usage, format!("serve: {}", failure.message));
        let addr = match serve::parse_listen(&self.listen).map_err(usage)? {
            Listen::Addr(addr) => addr,
            // A name that does not resolve is a lookup failure, with its own exit code.
            Listen::Name(name, port) => serve::resolve(&name, port).map_err(|failure| {
                Fatal::new(
                    failure.exit,
                    format!("serve: {name}: {} ({})", failure.message, failure.code),
                )
            })?,
        };
        let mode = if self.echo {
            Mode::Echo
        } else {
            let text = self.reply.as_deref().unwrap_or("message received");
            Mode::Reply(
                unescape(text)
                    .map_err(|e| Fatal::new(ExitCode::Usage, format!("serve: --reply: {e}")))?,
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
        serve::run(config, ctx.format)
    }
}
