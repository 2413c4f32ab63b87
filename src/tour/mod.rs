//! `tour`: the lecture's calls in order, live on this machine, or as a Python script that makes them.

use std::ffi::OsStr;
use std::io::{self, BufRead, Write};
use std::net::{TcpListener, TcpStream};

use anyhow::Context;
use clap::Args;

use crate::calls::Lookup;
use crate::model::{Answer, Outcome};
use crate::render::{terminal_width, wrap_hanging};
use crate::runner::{Ctx, Run};
use crate::text::pyrepr::str_repr;

mod steps;

use steps::STEPS;

#[derive(Debug, Args)]
pub struct TourArgs {
    /// Wait for Enter between steps (end of input means go on)
    #[arg(long, conflicts_with = "script")]
    pub pause: bool,

    /// Print the same steps as a runnable Python 3 script instead
    #[arg(long)]
    pub script: bool,
}

/// One step: Python statements to set up, the expression whose value is shown, and how
/// sockscope makes the same call.
struct Step {
    title: &'static str,
    setup: &'static [&'static str],
    python: &'static str,
    notice: &'static str,
    run: fn(&mut Lab) -> Shown,
}

/// What a step did on this machine.
struct Shown {
    /// The C calls made, as C source.
    c: String,
    /// The repr Python shows, or the exception line / reason the step failed.
    result: Result<String, String>,
    exit: Outcome,
}

impl Shown {
    /// A step made through one of sockscope's lookups: its call, and Python's view of its answer.
    fn from_answer<L: Lookup>(lookup: &L, answer: Answer<L::Record>) -> Shown {
        let c = answer
            .call
            .as_ref()
            .map(|c| c.c.clone())
            .unwrap_or_default();
        let exit = answer.outcome();
        let python = lookup.python(&answer.result);
        let result = if answer.result.is_ok() {
            Ok(python)
        } else {
            Err(python)
        };
        Shown { c, result, exit }
    }

    /// A step that is one lookup of one key.
    fn lookup<L: Lookup>(lookup: &L, key: Option<&str>) -> Shown {
        Shown::from_answer(lookup, lookup.answer(key.map(OsStr::new)))
    }

    fn io(c: String, result: io::Result<String>) -> Shown {
        let exit = if result.is_ok() {
            Outcome::Success
        } else {
            Outcome::System
        };
        Shown {
            c,
            result: result.map_err(|e| format!("OSError: {e}")),
            exit,
        }
    }
}

/// State that later steps need from earlier ones: the host name, the server and its client.
#[derive(Default)]
struct Lab {
    hostname: Option<String>,
    server: Option<TcpListener>,
    client: Option<TcpStream>,
    connection: Option<TcpStream>,
}

/// The text of one step as the tour shows it, each line wrapped at `width` under its label.
fn show(number: usize, step: &Step, outcome: &Shown, width: usize) -> String {
    let total = STEPS.len();
    let mut text = format!("== Step {number}/{total}: {} ==\n", step.title);
    let python = |prompt: &str, line: &str| {
        // A statement's indentation is part of it: the block's lines keep theirs.
        let body = line.trim_start();
        let indent = &line[..line.len() - body.len()];
        let first = format!("Python  {prompt} {indent}");
        let rest = " ".repeat(first.len() + 4);
        wrap_hanging(&first, &rest, body, width)
    };
    for line in step.setup {
        // An indented line continues a block, as the REPL's `...` prompt shows.
        let prompt = if line.starts_with(' ') { "..." } else { ">>>" };
        text.push_str(&python(prompt, line));
    }
    text.push_str(&python(">>>", step.python));
    text.push_str(&wrap_hanging("C       ", CONTINUED, &outcome.c, width));
    match &outcome.result {
        Ok(repr) => text.push_str(&wrap_hanging("Result  ", CONTINUED, repr, width)),
        Err(error) => {
            text.push_str(&wrap_hanging("Result  ", CONTINUED, error, width));
            text.push_str(&wrap_hanging(
                CONTINUED,
                CONTINUED,
                "(this step failed on this machine; the tour goes on)",
                width,
            ));
        }
    }
    text.push_str(&wrap_hanging("Notice  ", CONTINUED, step.notice, width));
    text.push('\n');
    text
}

/// Where a wrapped line of a step goes on: under the text, past the labels.
const CONTINUED: &str = "        ";

/// The steps as a Python 3 program that makes the same calls and prints what the tour prints.
fn script() -> String {
    let mut text = String::from(
        "#!/usr/bin/env python3\n\
         \"\"\"The sockscope tour as a script: the lecture's calls in order (`sockscope tour --script`).\"\"\"\n\
         import socket\n\
         import traceback\n\n\n\
         def show(number, title, source, value):\n    \
             \"\"\"Print a step the way the tour and the REPL do; a failing step says so and the script goes on.\"\"\"\n    \
             print(f'== Step {number}/TOTAL: {title} ==')\n    \
             print('>>>', source)\n    \
             try:\n        \
                 print(repr(value()))\n    \
             except Exception as exc:\n        \
                 print(traceback.format_exception_only(exc)[-1].rstrip())\n        \
                 print('(this step failed on this machine; the script goes on)')\n    \
             print()\n\n",
    )
    .replace("TOTAL", &STEPS.len().to_string());
    for (i, step) in STEPS.iter().enumerate() {
        text.push_str(&format!("\n# {}. {}\n", i + 1, step.notice));
        for line in step.setup {
            text.push_str(line);
            text.push('\n');
        }
        text.push_str(&format!(
            "show({}, {}, {}, lambda: {})\n",
            i + 1,
            str_repr(step.title),
            str_repr(step.python),
            step.python
        ));
    }
    text.push_str(
        "\nconnection.close()\nclient_socket.close()\nserver_socket.close()\nfoo.close()\n",
    );
    text
}

/// Wait for Enter, prompting on `prompt` (stderr, so stdout stays the tour's text); end of
/// input means nobody is there to press it, so the tour goes on.
fn pause(input: &mut impl BufRead, prompt: &mut impl Write) -> io::Result<bool> {
    write!(prompt, "[Enter for the next step] ")?;
    prompt.flush()?;
    let mut line = String::new();
    let more = input.read_line(&mut line)? > 0;
    if !more {
        writeln!(prompt)?;
    }
    Ok(more)
}

impl Run for TourArgs {
    fn run(&self, _ctx: &Ctx) -> anyhow::Result<Outcome> {
        let stdout = io::stdout();
        let mut out = stdout.lock();
        if self.script {
            out.write_all(script().as_bytes())
                .context("writing output")?;
            out.flush().context("writing output")?;
            return Ok(Outcome::Success);
        }
        let stdin = io::stdin();
        let mut input = stdin.lock();
        let mut waiting = self.pause;
        let mut lab = Lab::default();
        let width = terminal_width();
        let mut worst = Outcome::Success;
        for (i, step) in STEPS.iter().enumerate() {
            let outcome = (step.run)(&mut lab);
            worst = worst.max(outcome.exit);
            out.write_all(show(i + 1, step, &outcome, width).as_bytes())
                .context("writing output")?;
            out.flush().context("writing output")?;
            if waiting && i + 1 < STEPS.len() {
                waiting = pause(&mut input, &mut io::stderr().lock())
                    .context("reading standard input")?;
            }
        }
        Ok(worst)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pause_goes_on_at_end_of_input() {
        let mut prompts = Vec::new();
        let mut empty: &[u8] = b"";
        assert!(!pause(&mut empty, &mut prompts).unwrap());
        let mut enter: &[u8] = b"\n";
        assert!(pause(&mut enter, &mut prompts).unwrap());
        let prompts = String::from_utf8(prompts).unwrap();
        assert_eq!(prompts.matches("[Enter for the next step]").count(), 2);
    }

    #[test]
    fn a_failed_step_says_so() {
        let outcome = Shown {
            c: "getservbyname(\"ssh\", NULL)".to_string(),
            result: Err("OSError: service/proto not found".to_string()),
            exit: Outcome::NotFound,
        };
        let text = show(1, &STEPS[0], &outcome, 80);
        assert!(text.contains("Result  OSError: service/proto not found\n"));
        assert!(text.contains("failed on this machine; the tour goes on"));
    }

    #[test]
    fn script_shows_every_step() {
        let text = script();
        assert_eq!(text.matches("\nshow(").count(), STEPS.len());
    }
}
