//! `connect`: the lecture's client, from the command line to the summary and the reply.

mod args;
mod exchange;
mod output;
mod record;
mod request;

pub use args::ConnectArgs;

use crate::model::Outcome;
use crate::runner::{Ctx, Run, report};

use exchange::{Exchange, Plan};

impl Run for ConnectArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome> {
        let plan = Plan {
            host: &self.host,
            service: &self.service,
            family: self.family(),
            request: request::request(self)?,
            half_close: !self.no_half_close,
            timeout: self.timeout,
            max_bytes: self.max_bytes,
            recv_size: self.recv_size,
        };
        let Exchange {
            mut summary,
            reply,
            label,
        } = exchange::run(&plan);
        let failure = summary.error.clone();
        summary.reply_is_utf8 = std::str::from_utf8(&reply).is_ok();
        output::write(ctx, self.raw, summary, &reply)?;
        Ok(match failure {
            Some(failure) => {
                report(ctx.command, &label, &failure, ctx.color_errors);
                failure.outcome()
            }
            None => Outcome::Success,
        })
    }
}
