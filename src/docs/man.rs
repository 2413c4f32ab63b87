//! The man page: one roff page with every subcommand, its options and examples, and the exit codes.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::Path;

use clap::{Arg, Command};

/// What the page says besides the clap definitions.
pub struct Page<'a> {
    /// The top level's examples, one command a line.
    pub examples: &'a str,
    /// Each exit code and what it means, in order.
    pub exit_codes: &'a [(u8, &'a str)],
    /// What follows the list of exit codes.
    pub exit_note: &'a str,
}

/// Text made safe for roff: a backslash is `\e`, a minus `\-` (so it is not a hyphen that
/// man may break at or print as a dash), and a line starting with `.` or `'` is not a request.
fn escape(text: &str) -> String {
    let text = text.replace('\\', "\\e").replace('-', "\\-");
    text.lines()
        .map(|line| {
            if line.starts_with('.') || line.starts_with('\'') {
                format!("\\&{line}")
            } else {
                line.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn bold(text: &str) -> String {
    format!("\\fB{}\\fR", escape(text))
}

fn italic(text: &str) -> String {
    format!("\\fI{}\\fR", escape(text))
}

/// The whole page as roff.
pub fn render(command: Command, page: &Page) -> String {
    let mut command = command;
    command.build();
    let name = command.get_name().to_string();
    let version = command.get_version().unwrap_or_default().to_string();
    let mut out = String::new();
    out.push_str(&format!(
        ".TH {} 1 \"\" \"{name} {version}\" \"User Commands\"\n",
        name.to_uppercase()
    ));
    let about = command
        .get_about()
        .map(ToString::to_string)
        .unwrap_or_default();
    out.push_str(&format!(".SH NAME\n{name} \\- {}\n", escape(&about)));
    out.push_str(&format!(
        ".SH SYNOPSIS\n{} {} [{}]\n",
        bold(&name),
        italic("COMMAND"),
        italic("OPTIONS")
    ));
    if let Some(long) = command.get_long_about() {
        out.push_str(".SH DESCRIPTION\n");
        out.push_str(&paragraphs(&long.to_string()));
    }
    out.push_str(".SH COMMANDS\n");
    for sub in command.get_subcommands().filter(|s| !s.is_hide_set()) {
        if sub.get_name() == "help" {
            continue;
        }
        out.push_str(&subcommand(&name, sub));
    }
    out.push_str(".SH EXAMPLES\n");
    out.push_str(&after_help(page.examples));
    out.push_str(".SH \"EXIT STATUS\"\n");
    for (code, meaning) in page.exit_codes {
        out.push_str(&format!(
            ".TP\n{}\n{}\n",
            bold(&code.to_string()),
            escape(meaning)
        ));
    }
    out.push_str(&format!(".PP\n{}\n", escape(page.exit_note)));
    out.push_str(&format!(".SH VERSION\n{name} {}\n", escape(&version)));
    out
}

/// Plain text as roff paragraphs: lines of one paragraph join, a blank line starts the next.
fn paragraphs(text: &str) -> String {
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        let joined: Vec<&str> = paragraph.lines().map(str::trim).collect();
        if !joined.is_empty() {
            out.push_str(&format!(".PP\n{}\n", escape(&joined.join(" "))));
        }
    }
    out
}

/// One subcommand: its usage, what it does, its options by heading, then its after-help.
fn subcommand(program: &str, sub: &Command) -> String {
    let mut sub = sub
        .clone()
        .bin_name(format!("{program} {}", sub.get_name()));
    let usage = sub.render_usage().to_string();
    let usage = usage.trim().strip_prefix("Usage:").unwrap_or(&usage).trim();
    let mut out = format!(".SS \"{program} {}\"\n", sub.get_name());
    out.push_str(&format!(".B {}\n", escape(usage)));
    let about = sub
        .get_long_about()
        .or(sub.get_about())
        .map(ToString::to_string)
        .unwrap_or_default();
    out.push_str(&paragraphs(&about));
    let args: Vec<&Arg> = sub
        .get_arguments()
        .filter(|a| !a.is_hide_set() && !matches!(a.get_id().as_str(), "help" | "version"))
        .collect();
    let mut headings: Vec<Option<&str>> = Vec::new();
    for arg in &args {
        let heading = arg.get_help_heading();
        if !headings.contains(&heading) {
            headings.push(heading);
        }
    }
    // Arguments first, then the options clap lists under "Options", then the other headings.
    let positional: Vec<&&Arg> = args.iter().filter(|a| a.is_positional()).collect();
    if !positional.is_empty() {
        out.push_str(".PP\n\\fIArguments:\\fR\n");
        for arg in positional {
            out.push_str(&item(arg));
        }
    }
    headings.sort_by_key(|h| h.is_some());
    for heading in headings {
        let options: Vec<&&Arg> = args
            .iter()
            .filter(|a| !a.is_positional() && a.get_help_heading() == heading)
            .collect();
        if options.is_empty() {
            continue;
        }
        out.push_str(&format!(
            ".PP\n\\fI{}:\\fR\n",
            escape(heading.unwrap_or("Options"))
        ));
        for arg in options {
            out.push_str(&item(arg));
        }
    }
    if let Some(after) = sub.get_after_long_help().or(sub.get_after_help()) {
        out.push_str(&after_help(&after.to_string()));
    }
    out
}

/// One argument as a tagged paragraph: its spellings, then its help, default and values.
fn item(arg: &Arg) -> String {
    let value = arg
        .get_value_names()
        .map(|names| {
            names
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_else(|| arg.get_id().as_str().to_uppercase());
    let takes_value = arg.get_num_args().is_some_and(|n| n.takes_values());
    let mut tag = Vec::new();
    if let Some(short) = arg.get_short() {
        tag.push(bold(&format!("-{short}")));
    }
    if let Some(long) = arg.get_long() {
        tag.push(bold(&format!("--{long}")));
    }
    let mut tag = tag.join(", ");
    if arg.is_positional() {
        tag = italic(&value);
    } else if takes_value {
        tag.push(' ');
        tag.push_str(&italic(&value));
    }
    let help = arg
        .get_long_help()
        .or(arg.get_help())
        .map(ToString::to_string)
        .unwrap_or_default();
    let mut text = escape(&help.lines().map(str::trim).collect::<Vec<_>>().join(" "));
    let values: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_string())
        .collect();
    if !values.is_empty() && !arg.is_hide_possible_values_set() {
        text.push_str(&format!(" [values: {}]", escape(&values.join(", "))));
    }
    let defaults: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    if takes_value && !defaults.is_empty() && !arg.is_hide_default_value_set() {
        text.push_str(&format!(" [default: {}]", escape(&defaults.join(" "))));
    }
    format!(".TP\n{tag}\n{text}\n")
}

/// After-help text: indented lines (examples) kept exactly as written, in an example block;
/// other lines joined into paragraphs, as `--help` prints them.
fn after_help(text: &str) -> String {
    let mut out = String::new();
    let mut prose: Vec<&str> = Vec::new();
    let mut example: Vec<&str> = Vec::new();
    let flush_prose = |prose: &mut Vec<&str>, out: &mut String| {
        if !prose.is_empty() {
            out.push_str(&format!(".PP\n{}\n", escape(&prose.join(" "))));
            prose.clear();
        }
    };
    let flush_example = |example: &mut Vec<&str>, out: &mut String| {
        if !example.is_empty() {
            out.push_str(".PP\n.RS 4\n.nf\n.EX\n");
            for line in example.iter() {
                out.push_str(&escape(line.trim_start()));
                out.push('\n');
            }
            out.push_str(".EE\n.fi\n.RE\n");
            example.clear();
        }
    };
    for line in text.lines() {
        if line.trim().is_empty() {
            flush_prose(&mut prose, &mut out);
            flush_example(&mut example, &mut out);
        } else if line.starts_with("  ") {
            flush_prose(&mut prose, &mut out);
            example.push(line);
        } else {
            flush_example(&mut example, &mut out);
            prose.push(line.trim());
        }
    }
    flush_prose(&mut prose, &mut out);
    flush_example(&mut example, &mut out);
    out
}

/// Write `page` as DIR/sockscope.1, creating DIR. The page goes to a new file first, then is
/// renamed into place: a symlink already at the name is replaced, never written through.
pub fn write_into(dir: &Path, page: &[u8]) -> io::Result<()> {
    fs::create_dir_all(dir)?;
    let target = dir.join("sockscope.1");
    let temporary = dir.join(format!(".sockscope.1.{}.tmp", std::process::id()));
    // create_new fails on anything already there, a symlink included.
    let result = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&temporary)
        .and_then(|mut file| {
            file.write_all(page)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&temporary, &target));
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roff_requests_and_minus_signs_are_escaped() {
        assert_eq!(escape(".hidden\n-4 a\\b"), "\\&.hidden\n\\-4 a\\eb");
    }

    #[test]
    fn examples_keep_their_lines() {
        let text = after_help("Some prose\nthat goes on.\n\nExamples:\n  a -x  # one\n  b\n");
        assert_eq!(
            text,
            ".PP\nSome prose that goes on.\n.PP\nExamples:\n.PP\n.RS 4\n.nf\n.EX\na \\-x  # one\nb\n.EE\n.fi\n.RE\n"
        );
    }
}
