//! Each subcommand's `Run`: turn parsed arguments into lookups and hand the answers to a renderer.

use std::io::{self, Write};

use anyhow::Context;

use crate::cli::{
    AddrInfoArgs, Command, ConstantsArgs, HostByNameArgs, HostnameArgs, OutputArgs, ServArgs,
};
use crate::exit::{ExitCode, Fatal};
use crate::lookup::{addrinfo, constants, hostbyname, hostname, servent};
use crate::model::{Answer, Record};
use crate::render;
use crate::sys::netdb::Hints;

/// What every subcommand needs besides its own arguments.
pub struct Ctx {
    pub format: render::Format,
    /// The subcommand's name, for the one-line error messages.
    pub command: &'static str,
}

/// One subcommand: does its lookups, writes its output, and says how the run went.
pub trait Run {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode>;
}

/// Dispatch a parsed command line.
pub fn run(command: &Command, output: &OutputArgs) -> anyhow::Result<ExitCode> {
    let (name, runner): (&'static str, &dyn Run) = match command {
        Command::ServByName(args) => ("servbyname", &ServByName(args)),
        Command::ServByPort(args) => ("servbyport", &ServByPort(args)),
        Command::Hostname(args) => ("hostname", args),
        Command::HostByName(args) => ("hostbyname", args),
        Command::AddrInfo(args) => ("addrinfo", args),
        Command::Constants(args) => ("constants", args),
        Command::Socket(args) => ("socket", args),
        Command::Connect(args) => ("connect", args),
        Command::Serve(args) => ("serve", args),
    };
    let ctx = Ctx {
        format: output.format(),
        command: name,
    };
    runner.run(&ctx)
}

/// Write answers in order: records to stdout through the chosen renderer, one line on stderr for
/// each failed key. Returns the highest exit code among the answers.
pub fn emit<R: Record>(
    ctx: &Ctx,
    answers: impl IntoIterator<Item = Answer<R>>,
) -> anyhow::Result<ExitCode> {
    let stdout = io::stdout();
    let mut sink = render::sink::<R>(ctx.format, Box::new(stdout.lock()));
    let mut worst = ExitCode::Success;
    for answer in answers {
        if let Err(failure) = &answer.result {
            report(ctx.command, &answer.label, &failure.message, &failure.code);
        }
        worst = worst.max(answer.exit());
        sink.answer(&answer).context("writing output")?;
    }
    sink.finish().context("writing output")?;
    Ok(worst)
}

/// `sockscope: addrinfo: nosuch.invalid: Name or service not known (EAI_NONAME)`.
fn report(command: &str, label: &str, message: &str, code: &str) {
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("{label}: ")
    };
    // Nothing useful can be done if stderr itself is gone.
    let _ = writeln!(
        io::stderr().lock(),
        "sockscope: {command}: {label}{message} ({code})"
    );
}

struct ServByName<'a>(&'a ServArgs);
struct ServByPort<'a>(&'a ServArgs);

impl Run for ServByName<'_> {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let proto = self.0.proto.as_deref();
        emit(ctx, self.0.keys.iter().map(|k| servent::by_name(k, proto)))
    }
}

impl Run for ServByPort<'_> {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let proto = self.0.proto.as_deref();
        emit(ctx, self.0.keys.iter().map(|k| servent::by_port(k, proto)))
    }
}

impl Run for HostnameArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let extras = hostname::Extras {
            fqdn: self.fqdn,
            addresses: self.addresses,
        };
        emit(ctx, [hostname::lookup(extras)])
    }
}

impl Run for HostByNameArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        if self.ex {
            emit(ctx, self.names.iter().map(|n| hostbyname::entry(n)))
        } else {
            emit(ctx, self.names.iter().map(|n| hostbyname::address(n)))
        }
    }
}

impl Run for AddrInfoArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let request = addrinfo::Request {
            host: self.host.as_deref(),
            service: self.service().map(|s| s.as_os_str()),
            hints: Hints {
                family: self.family(),
                socktype: self.socktype,
                protocol: self.proto,
                flags: self.flags,
            },
        };
        if request.host.is_none() && request.service.is_none() {
            return Err(Fatal::new(
                ExitCode::Usage,
                "give a HOST, a SERVICE (or --service), or both: getaddrinfo needs at least one",
            )
            .into());
        }
        emit(ctx, [addrinfo::lookup(&request)])
    }
}

impl Run for ConstantsArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let prefixes: Vec<String> = self
            .prefixes
            .iter()
            .map(|p| constants::normalize_prefix(p))
            .collect();
        match self.value {
            Some(value) => emit(ctx, [constants::by_value(value, &prefixes)]),
            None if prefixes.is_empty() => emit(
                ctx,
                constants::groups().into_iter().map(constants::by_prefix),
            ),
            None => emit(ctx, prefixes.iter().map(|p| constants::by_prefix(p))),
        }
    }
}
