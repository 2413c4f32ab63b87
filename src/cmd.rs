//! Each subcommand's `Run`: turn parsed arguments into lookups and hand the answers to a renderer.

use std::ffi::{OsStr, OsString};
use std::io::{self, IsTerminal, Write};
use std::sync::Arc;

use anyhow::Context;

use crate::batch;
use crate::cli::{
    AddrInfoArgs, Command, CompletionsArgs, ConstantsArgs, HostByAddrArgs, HostByNameArgs,
    HostnameArgs, ManArgs, NameInfoArgs, OutputArgs, ProtoArgs, ProtoNumberArgs, ResolverArgs,
    ServArgs,
};
use crate::exit::{ExitCode, Fatal};
use crate::lookup::{
    addrinfo, constants, hostbyaddr, hostbyname, hostname, limit, nameinfo, proto, servent,
};
use crate::model::{Answer, Failure, Record};
use crate::render;
use crate::sys::netdb::Hints;
use crate::validate;

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
    /// `--timeout` and `--elapsed` of a resolver subcommand; the defaults elsewhere.
    pub resolver: ResolverArgs,
}

impl Ctx {
    /// This context with a resolver subcommand's own options.
    pub fn with_resolver(&self, resolver: &ResolverArgs) -> Ctx {
        Ctx {
            format: self.format,
            command: self.command,
            color: self.color,
            color_errors: self.color_errors,
            explain: self.explain,
            resolver: resolver.clone(),
        }
    }

    /// Make one lookup, timed and abandoned after `--timeout`: every resolver call goes through
    /// here or `limited`. The closure owns its inputs because it may outlive the wait on a
    /// worker thread.
    pub fn lookup<R: Send + 'static>(
        &self,
        query: Option<String>,
        lookup: impl FnOnce() -> Answer<R> + Send + 'static,
    ) -> Answer<R> {
        limit::call(self.resolver.timeout, query, lookup)
    }

    /// `lookup` for a batch: a per-key lookup that is timed and limited the same way.
    pub fn limited<R, F>(&self, lookup: F) -> impl Fn(&OsStr) -> Answer<R> + Sync + use<R, F>
    where
        R: Send + 'static,
        F: Fn(&OsStr) -> Answer<R> + Send + Sync + 'static,
    {
        let timeout = self.resolver.timeout;
        let lookup = Arc::new(lookup);
        move |key: &OsStr| {
            let (lookup, key) = (Arc::clone(&lookup), key.to_os_string());
            limit::call(timeout, Some(validate::display(&key)), move || lookup(&key))
        }
    }
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
        resolver: ResolverArgs::default(),
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
                    let options = render::Options {
                        color: ctx.color,
                        elapsed: ctx.resolver.elapsed,
                    };
                    render::sink_with::<R>(format, Box::new(io::stdout().lock()), options)
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
            report(self.command, &answer.label, failure, self.color_errors);
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

/// `sockscope: addrinfo: nosuch.invalid: no such name (NXDOMAIN) (EAI_NONAME)`.
pub fn report(command: &str, label: &str, failure: &Failure, color: bool) {
    let code = if color {
        render::color::error_code(&failure.code)
    } else {
        failure.code.clone()
    };
    let label = if label.is_empty() {
        String::new()
    } else {
        format!("{}: ", printable(label, MAX_LABEL_SHOWN))
    };
    let message = printable(&failure.message, MAX_MESSAGE_SHOWN);
    // Nothing useful can be done if stderr itself is gone.
    let _ = writeln!(
        io::stderr().lock(),
        "sockscope: {command}: {label}{message} ({code})"
    );
}

/// How much of a key an error line repeats: enough to recognise it, not a 1 MiB line.
const MAX_LABEL_SHOWN: usize = 200;
/// Messages can quote a key too; the longest of sockscope's own is far shorter.
const MAX_MESSAGE_SHOWN: usize = 1000;

/// Text for one stderr line: control characters escaped, since a key with a newline in it must
/// not split its error in two, and at most `max` characters shown (escapes counted as they are
/// shown), with the full length noted.
pub fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for c in text.chars() {
        let piece: String = if c.is_control() {
            c.escape_default().collect()
        } else {
            c.to_string()
        };
        let width = piece.chars().count();
        if shown + width > max {
            out.push_str(&format!("... ({} bytes)", text.len()));
            break;
        }
        shown += width;
        out.push_str(&piece);
    }
    out
}

struct ServByName<'a>(&'a ServArgs);
struct ServByPort<'a>(&'a ServArgs);

impl Run for ServByName<'_> {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let ctx = &ctx.with_resolver(&self.0.resolver);
        let proto = self.0.proto.clone();
        let lookup = ctx.limited(move |k| servent::by_name(k, proto.as_deref()));
        batch::run(ctx, &self.0.batch.batch(), &self.0.keys, lookup)
    }
}

impl Run for ServByPort<'_> {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let ctx = &ctx.with_resolver(&self.0.resolver);
        let proto = self.0.proto.clone();
        let lookup = ctx.limited(move |k| servent::by_port(k, proto.as_deref()));
        batch::run(ctx, &self.0.batch.batch(), &self.0.keys, lookup)
    }
}

impl Run for HostnameArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let ctx = &ctx.with_resolver(&self.resolver);
        let extras = hostname::Extras {
            fqdn: self.fqdn,
            addresses: self.addresses,
        };
        emit(ctx, [ctx.lookup(None, move || hostname::lookup(extras))])
    }
}

impl Run for HostByNameArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let ctx = &ctx.with_resolver(&self.resolver);
        let batch = self.batch.batch();
        if self.ex {
            batch::run(ctx, &batch, &self.names, ctx.limited(hostbyname::entry))
        } else {
            batch::run(ctx, &batch, &self.names, ctx.limited(hostbyname::address))
        }
    }
}

impl Run for AddrInfoArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let ctx = &ctx.with_resolver(&self.resolver);
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
            let default_service = self.service().cloned();
            let lookup = ctx.limited(move |line| {
                let (host, service) = batch::host_and_service(line);
                addrinfo::lookup(&addrinfo::Request {
                    host: Some(&host),
                    service: service.as_deref().or(default_service.as_deref()),
                    hints,
                })
            });
            return batch::run(ctx, &batch, &hosts, lookup);
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
        let query = request.host.map(validate::display);
        let (host, service) = (self.host.clone(), self.service().cloned());
        let answer = ctx.lookup(query, move || {
            addrinfo::lookup(&addrinfo::Request {
                host: host.as_deref(),
                service: service.as_deref(),
                hints,
            })
        });
        emit(ctx, [answer])
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
        let ctx = &ctx.with_resolver(&self.resolver);
        let batch = self.batch.batch();
        let addresses = [self.address.clone()];
        let (flags, flowinfo, scope_id) = (self.flags, self.flowinfo, self.scope_id);
        if batch::reads_keys(&batch, &addresses) {
            // Each line is `ADDRESS [PORT]`; PORT from the command line is the default.
            let default_port = self.port.clone();
            let lookup = ctx.limited(move |line| {
                let (address, port) = batch::host_and_service(line);
                nameinfo::lookup(&nameinfo::Request {
                    address: &address,
                    port: port.as_deref().or(default_port.as_deref()),
                    flags,
                    flowinfo,
                    scope_id,
                })
            });
            return batch::run(ctx, &batch, &addresses, lookup);
        }
        let (address, port) = (self.address.clone(), self.port.clone());
        let answer = ctx.lookup(Some(validate::display(&address)), move || {
            nameinfo::lookup(&nameinfo::Request {
                address: &address,
                port: port.as_deref(),
                flags,
                flowinfo,
                scope_id,
            })
        });
        emit(ctx, [answer])
    }
}

impl Run for HostByAddrArgs {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<ExitCode> {
        let ctx = &ctx.with_resolver(&self.resolver);
        let lookup = ctx.limited(hostbyaddr::lookup);
        batch::run(ctx, &self.batch.batch(), &self.addresses, lookup)
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

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn error_lines_stay_one_short_line() {
        assert_eq!(printable("a\nb\tc\u{1b}", 100), "a\\nb\\tc\\u{1b}");
        assert_eq!(printable("abcdef", 3), "abc... (6 bytes)");
        assert_eq!(printable("ünï", 3), "ünï");
        // Found by fuzz/validators: escapes used to be counted as one character each, so 200
        // control characters made a 1200-character line.
        let controls = "\u{1}".repeat(300);
        assert!(printable(&controls, 200).chars().count() <= 200 + 20);
        assert_eq!(printable("\n\n", 3), "\\n... (2 bytes)");
    }
}
