//! The machinery every subcommand runs on: its context, the `Run` trait, emitting answers, timeouts.

pub mod emit;
pub mod limit;
pub mod lookup;

use std::io::{self, IsTerminal};

use crate::calls::ResolverArgs;
use crate::model::Outcome;
use crate::render::Format;
use crate::render::color::ColorChoice;

pub use emit::{Emitter, emit, report};

/// What every subcommand needs besides its own arguments.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub format: Format,
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
    /// The context of a run of `command`, with colour decided from `--color`, NO_COLOR and
    /// whether stdout and stderr are terminals.
    pub fn new(command: &'static str, format: Format, color: ColorChoice, explain: bool) -> Self {
        let no_color = std::env::var_os("NO_COLOR");
        Ctx {
            format,
            command,
            color: color.enabled(io::stdout().is_terminal(), no_color.as_deref()),
            color_errors: color.enabled(io::stderr().is_terminal(), no_color.as_deref()),
            explain,
            resolver: ResolverArgs::default(),
        }
    }

    /// This context with a resolver subcommand's own options.
    pub fn with_resolver(&self, resolver: &ResolverArgs) -> Ctx {
        Ctx {
            resolver: resolver.clone(),
            ..self.clone()
        }
    }
}

/// One subcommand: does its work, writes its output, and says how the run went.
pub trait Run {
    fn run(&self, ctx: &Ctx) -> anyhow::Result<Outcome>;
}
