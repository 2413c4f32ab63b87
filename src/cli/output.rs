//! The output options, and `With`, which gives them to every subcommand that prints records.

use clap::builder::{Resettable, StyledStr};
use clap::{ArgMatches, Args, Command, FromArgMatches};

use crate::render::Format;
use crate::render::color::ColorChoice;

/// A subcommand's own arguments followed by the output options: every subcommand that prints
/// records takes `With<ItsArgs>`, so each shows (and honours) `--format`, `--json`, `--color`
/// and `--explain`, while `completions`, `man` and `tour` take their arguments alone.
#[derive(Debug)]
pub struct With<A: Args> {
    pub output: OutputArgs,
    pub args: A,
}

// Written by hand rather than derived: subcommands are built only when chosen (`defer`), after
// their own about text is set, and a derived `augment_args` would then replace that text with
// the options structs' doc comments. This one keeps the subcommand's texts as they were.
impl<A: Args> Args for With<A> {
    fn augment_args(command: Command) -> Command {
        keeping_texts(command, |c| A::augment_args(OutputArgs::augment_args(c)))
    }

    fn augment_args_for_update(command: Command) -> Command {
        keeping_texts(command, |c| {
            A::augment_args_for_update(OutputArgs::augment_args_for_update(c))
        })
    }
}

/// `augment` applied to `command`, its about texts left as they were before.
fn keeping_texts(command: Command, augment: impl FnOnce(Command) -> Command) -> Command {
    let about = command.get_about().cloned();
    let long_about = command.get_long_about().cloned();
    augment(command)
        .about(resettable(about))
        .long_about(resettable(long_about))
}

fn resettable(text: Option<StyledStr>) -> Resettable<StyledStr> {
    text.map_or(Resettable::Reset, Resettable::Value)
}

impl<A: Args> FromArgMatches for With<A> {
    fn from_arg_matches(matches: &ArgMatches) -> Result<Self, clap::Error> {
        Self::from_arg_matches_mut(&mut matches.clone())
    }

    fn from_arg_matches_mut(matches: &mut ArgMatches) -> Result<Self, clap::Error> {
        // Output first, as the derived code did: the order its fields were declared in.
        let output = OutputArgs::from_arg_matches_mut(matches)?;
        let args = A::from_arg_matches_mut(matches)?;
        Ok(With { output, args })
    }

    fn update_from_arg_matches(&mut self, matches: &ArgMatches) -> Result<(), clap::Error> {
        self.update_from_arg_matches_mut(&mut matches.clone())
    }

    fn update_from_arg_matches_mut(&mut self, matches: &mut ArgMatches) -> Result<(), clap::Error> {
        self.output.update_from_arg_matches_mut(matches)?;
        self.args.update_from_arg_matches_mut(matches)
    }
}

/// The output options of every subcommand that prints records.
#[derive(Debug, Default, Args)]
pub struct OutputArgs {
    /// Output format
    #[arg(long, help_heading = "Output", value_enum, default_value_t = Format::Table)]
    pub format: Format,

    /// Short for --format json (giving both is a usage error)
    #[arg(long, help_heading = "Output", conflicts_with = "format")]
    pub json: bool,

    /// Colour in tables and error lines (never in JSON): auto (only on a terminal, and not when
    /// NO_COLOR is set), always, never
    #[arg(long, help_heading = "Output", value_enum, value_name = "WHEN", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// Show each call: the C call with its arguments, the Python line that makes the same
    /// call, and notes on the result (above a table; a `call` object in JSON)
    #[arg(long, help_heading = "Output")]
    pub explain: bool,
}

impl OutputArgs {
    /// The format asked for (`--json` and `--format` never come together: clap refuses that).
    pub fn format(&self) -> Format {
        if self.json { Format::Json } else { self.format }
    }
}
