//! Dispatch: each parsed subcommand to its runner, with the context every run shares.

use clap::CommandFactory;

use crate::calls::hostbyname_ex::Ex;
use crate::calls::servbyport::ByPort;
use crate::cli::{Cli, Command, OutputArgs};
use crate::docs;
use crate::model::Outcome;
use crate::runner::{Ctx, Run, lookup};

/// Run a parsed command line; the outcome is what the binary turns into an exit code.
pub fn run(command: &Command, output: &OutputArgs) -> anyhow::Result<Outcome> {
    let ctx = Ctx::new(
        command.name(),
        output.format(),
        output.color,
        output.explain,
    );
    match command {
        Command::ServByName(args) => lookup::run(&ctx, args),
        Command::ServByPort(args) => lookup::run(&ctx, &ByPort(args)),
        Command::Hostname(args) => lookup::run(&ctx, args),
        Command::HostByName(args) if args.ex => lookup::run(&ctx, &Ex(args)),
        Command::HostByName(args) => lookup::run(&ctx, args),
        Command::AddrInfo(args) => lookup::run(&ctx, args),
        Command::Constants(args) => lookup::run(&ctx, args),
        Command::NameInfo(args) => lookup::run(&ctx, args),
        Command::HostByAddr(args) => lookup::run(&ctx, args),
        Command::ProtoByName(args) => lookup::run(&ctx, args),
        Command::ProtoByNumber(args) => lookup::run(&ctx, args),
        Command::Services(args) => lookup::run(&ctx, args),
        Command::Protocols(args) => lookup::run(&ctx, args),
        Command::Hosts(args) => lookup::run(&ctx, args),
        Command::Fqdn(args) => lookup::run(&ctx, args),
        Command::Interfaces(args) => lookup::run(&ctx, args),
        Command::Inet(args) => lookup::run(&ctx, args),
        Command::Completions(args) => docs::completions(args, Cli::command()),
        Command::Man(args) => docs::man(args, Cli::command()),
        Command::Tour(args) => args.run(&ctx),
        Command::Socket(args) => args.run(&ctx),
        Command::Connect(args) => args.run(&ctx),
        Command::Serve(args) => args.run(&ctx),
        Command::Why(args) => args.run(&ctx),
    }
}
