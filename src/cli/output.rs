//! The output options, and `With`, which gives them to every subcommand that prints records.

use clap::Args;

use crate::render::Format;
use crate::render::color::ColorChoice;

/// A subcommand's own arguments followed by the output options: every subcommand that prints
/// records takes `With<ItsArgs>`, so each shows (and honours) `--format`, `--json`, `--color`
/// and `--explain`, while `completions`, `man` and `tour` take their arguments alone.
#[derive(Debug, Args)]
pub struct With<A: Args> {
    // Flattened first so that the "Output" heading comes before those the arguments bring
    // ("Resolver", "Batch"): clap orders headings by their first argument.
    #[command(flatten)]
    pub output: OutputArgs,

    #[command(flatten)]
    pub args: A,
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
