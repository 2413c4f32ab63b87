//! Dispatch: each parsed subcommand to its runner, with the context every run shares.

use clap::CommandFactory;

use crate::calls::hostbyname_ex::Ex;
use crate::calls::servbyport::ByPort;
use crate::cli::{self, Cli, Command, OutputArgs};
use crate::docs;
use crate::model::Outcome;
use crate::render::Format;
use crate::runner::{Ctx, Run, lookup};

/// Run a parsed command line; the outcome is what the binary turns into an exit code.
pub fn run(command: &Command) -> anyhow::Result<Outcome> {
    let default = OutputArgs::default();
    let output = command.output().unwrap_or(&default);
    let ctx = Ctx::new(
        command.name(),
        output.format(),
        output.color,
        output.explain,
    );
    match command {
        Command::ServByName(with) => lookup::run(&ctx, &with.args),
        Command::ServByPort(with) => lookup::run(&ctx, &ByPort(&with.args)),
        Command::Hostname(with) => lookup::run(&ctx, &with.args),
        Command::HostByName(with) if with.args.ex => lookup::run(&ctx, &Ex(&with.args)),
        Command::HostByName(with) => lookup::run(&ctx, &with.args),
        Command::AddrInfo(with) if with.args.neither() && ctx.format != Format::Python => {
            // A usage error of the command as a whole: one line on stderr and nothing on
            // stdout in every format, as the table renderer gives it for a refused key.
            let ctx = Ctx {
                format: Format::Table,
                explain: false,
                ..ctx
            };
            lookup::run(&ctx, &with.args)
        }
        Command::AddrInfo(with) => lookup::run(&ctx, &with.args),
        Command::Constants(with) => lookup::run(&ctx, &with.args),
        Command::NameInfo(with) => lookup::run(&ctx, &with.args),
        Command::HostByAddr(with) => lookup::run(&ctx, &with.args),
        Command::ProtoByName(with) => lookup::run(&ctx, &with.args),
        Command::ProtoByNumber(with) => lookup::run(&ctx, &with.args),
        Command::Services(with) => lookup::run(&ctx, &with.args),
        Command::Protocols(with) => lookup::run(&ctx, &with.args),
        Command::Hosts(with) => lookup::run(&ctx, &with.args),
        Command::Fqdn(with) => lookup::run(&ctx, &with.args),
        Command::Interfaces(with) => lookup::run(&ctx, &with.args),
        Command::Inet(with) => lookup::run(&ctx, &with.args),
        Command::Completions(args) => docs::completions(args, Cli::command()),
        Command::Man(args) => {
            let page = docs::Page {
                examples: cli::EXAMPLES,
                exit_codes: cli::EXIT_CODES,
                exit_note: cli::EXIT_NOTE,
            };
            docs::man(args, Cli::command(), &page)
        }
        Command::Tour(args) => args.run(&ctx),
        Command::Socket(with) => with.args.run(&ctx),
        Command::Connect(with) => with.args.run(&ctx),
        Command::Serve(with) => with.args.run(&ctx),
        Command::Why(with) => with.args.run(&ctx),
    }
}
