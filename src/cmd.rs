//! Each subcommand's `Run`: turn parsed arguments into lookups and hand the answers to a renderer.

use std::ffi::OsString;
use std::io::{self, IsTerminal, Write};

use anyhow::Context;

use crate::batch;
use crate::cli::{
    AddrInfoArgs, Command, CompletionsArgs, ConstantsArgs, HostByAddrArgs, HostByNameArgs,
    HostnameArgs, ManArgs, NameInfoArgs, OutputArgs, ProtoArgs, ProtoNumberArgs, ServArgs,
};
use crate::exit::{ExitCode, Fatal};
use crate::lookup::{
    addrinfo, constants, hostbyaddr, hostbyname, hostname, nameinfo, proto, servent,
};
use crate::model::{Answer, Record};
use crate::render;
use crate::sys::netdb::Hints;

/// What every subcommand needs besides its own arguments.
pub struct Ctx {
    pub format: render::Format,
    /// The subcommand's name, for the one-line error messages.
    pub command: &'static str,
    /// Whether tables may be coloured (`--color`, NO_COLOR and whether stdout is a terminal).
    pub color: bool,
    /// The same decision for the error lines, made for stderr (which may be a terminal when
    /// stdout is piped into jq, say).
    pub color_errors: bool,
    /// `--explain`: show the call behind each answer.
    pub explain: bool,
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
        Command::NameInfo(args) => ("nameinfo", args),
        Command::HostByAddr(args) => ("hostbyaddr", args),
        Command::ProtoByName(args) => ("protobyname", args),
        Command::ProtoByNumber(args) => ("protobynumber", args),
        Command::Completions(args) => ("completions", args),
        Command::Man(args) => ("man", args),
        Command::Tour(args) => ("tour", args),
        Command::Socket(args) => ("socket", args),
        Command::Connect(args) => ("connect", args),
        Command::Serve(args) => ("serve", args),
    };
    let no_color = std::env::var_os("NO_COLOR");
    let ctx = Ctx {
        format: output.format(),
        command: name,
        color: output
            .color
            .enabled(io::stdout().is_terminal(), no_color.as_deref()),
        color_errors: output
            .color
            .enabled(io::stderr().is_terminal(), no_color.as_deref()),
        explain: output.explain,
    };
    runner.run(&ctx)
}

/// Writes answers as they come: records to stdout through the chosen renderer, one line on
/// stderr for each failed key, and keeps the highest exit code seen.
pub struct Emitter<R: Record + 'static> {
    command: &'static str,
    /// Lookups always describe their call; the python format needs it to shape its repr,
    /// the others show it only with `--explain`.
    explain: bool,
    python: bool,
    color_errors: bool,
    sink: Box<dyn render::Sink<R>>,
    worst: ExitCode,
}

impl<R: Record + 'static> Emitter<R> {
    pub fn new(ctx: &Ctx) -> Self {
        Emitter {
            command: ctx.command,
            color_errors: ctx.color_errors,
            sink: match ctx.format {
                render::Format::Python => {
                    render::python_sink::<R>(ctx.explain, Box::new(io::stdout().lock()))
                }
                format => {
                    render::sink_with_color::<R>(format, Box::new(io::stdout().lock()), ctx.color)
                }
            },
            explain: ctx.explain,
            python: ctx.format == render::Format::Python,
            worst: ExitCode::Success,
        }
    }

    pub fn write(&mut self, mut answer: Answer<R>) -> anyhow::Result<()> {
        if !self.explain && !self.python {
            answer.call = None;
        }
        if let Err(failure) = &answer.result {
            let code = if self.color_errors {
                render::color::error_code(&failure.code)
            } else {
                failure.code.clone()
            };
            report(self.command, &answer.label, &failure.message, &code);
        }
        self.worst = self.worst.max(answer.exit());
        self.sink.answer(&answer).context("writing output")
    }

    /// Flush what the renderer holds and return the highest exit code among the answers.
    pub fn finish(mut self) -> anyhow::Result<ExitCode> {
        self.sink.finish().context("writing output")?;
        Ok(self.worst)
    }
}

/// Write answers in order and return the highest exit code among them.
pub fn emit<R: Record + 'static>(
    ctx: &Ctx,
    answers: impl IntoIterator<Item = Answer<R>>,
) -> anyhow::Result<ExitCode> {
    let mut emitter = Emitter::new(ctx);
    for answer in answers {
        emitter.write(answer)?;
    }
    emitter.finish()
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
        batch::run(ctx, &self.0.batch.batch(), &self.0.keys, |k| {
            servent::by_name(k, proto)
        })
    }
}

impl Run for ServByPort<'_> {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let proto = self.0.proto.as_deref();
        batch::run(ctx, &self.0.batch.batch(), &self.0.keys, |k| {
            servent::by_port(k, proto)
        })
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
        let batch = self.batch.batch();
        if self.ex {
            batch::run(ctx, &batch, &self.names, hostbyname::entry)
        } else {
            batch::run(ctx, &batch, &self.names, hostbyname::address)
        }
    }
}

impl Run for AddrInfoArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let hints = Hints {
            family: self.family(),
            socktype: self.socktype,
            protocol: self.proto,
            flags: self.flags,
        };
        let batch = self.batch.batch();
        let hosts: Vec<OsString> = self.host.iter().cloned().collect();
        if batch::reads_keys(&batch, &hosts) {
            // Each line is `HOST [SERVICE]`; SERVICE from the command line is the default.
            let default_service = self.service().map(|s| s.as_os_str());
            return batch::run(ctx, &batch, &hosts, |line| {
                let (host, service) = batch::host_and_service(line);
                addrinfo::lookup(&addrinfo::Request {
                    host: Some(&host),
                    service: service.as_deref().or(default_service),
                    hints,
                })
            });
        }
        let request = addrinfo::Request {
            host: self.host.as_deref(),
            service: self.service().map(|s| s.as_os_str()),
            hints,
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

impl Run for NameInfoArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let batch = self.batch.batch();
        let addresses = [self.address.clone()];
        if batch::reads_keys(&batch, &addresses) {
            // Each line is `ADDRESS [PORT]`; PORT from the command line is the default.
            return batch::run(ctx, &batch, &addresses, |line| {
                let (address, port) = batch::host_and_service(line);
                nameinfo::lookup(&nameinfo::Request {
                    address: &address,
                    port: port.as_deref().or(self.port.as_deref()),
                    flags: self.flags,
                    flowinfo: self.flowinfo,
                    scope_id: self.scope_id,
                })
            });
        }
        let request = nameinfo::Request {
            address: &self.address,
            port: self.port.as_deref(),
            flags: self.flags,
            flowinfo: self.flowinfo,
            scope_id: self.scope_id,
        };
        emit(ctx, [nameinfo::lookup(&request)])
    }
}

impl Run for HostByAddrArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        batch::run(
            ctx,
            &self.batch.batch(),
            &self.addresses,
            hostbyaddr::lookup,
        )
    }
}

impl Run for ProtoArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        batch::run(ctx, &self.batch.batch(), &self.names, proto::by_name)
    }
}

impl Run for ProtoNumberArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        batch::run(ctx, &self.batch.batch(), &self.numbers, proto::by_number)
    }
}

impl Run for CompletionsArgs {
    fn run(&self, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
        use clap::CommandFactory;
        let mut command = crate::cli::Cli::command();
        let mut out = io::stdout().lock();
        clap_complete::generate(self.shell, &mut command, "sockscope", &mut out);
        out.flush().context("writing the completion script")?;
        Ok(ExitCode::Success)
    }
}

impl Run for ManArgs {
    fn run(&self, _ctx: &Ctx) -> anyhow::Result<ExitCode> {
        use clap::CommandFactory;
        let command = crate::cli::Cli::command();
        match &self.dir {
            Some(dir) => clap_mangen::generate_to(command, dir)
                .with_context(|| format!("writing man pages into {}", dir.display()))?,
            None => {
                let mut out = io::stdout().lock();
                clap_mangen::Man::new(command)
                    .render(&mut out)
                    .context("writing the man page")?;
                out.flush().context("writing the man page")?;
            }
        }
        Ok(ExitCode::Success)
    }
}
