//! Fuzz target: every subcommand's argument parser, over arguments built from its own option
//! names and arbitrary values, parses or fails with a usage error, never panics.
#![no_main]

use std::ffi::OsString;
use std::os::unix::ffi::OsStringExt;
use std::sync::OnceLock;

use clap::CommandFactory;
use libfuzzer_sys::fuzz_target;
use sockscope::cli::Cli;

/// Each subcommand's name and its own spellings (and the global ones), so the fuzzer reaches
/// the value parsers of every option rather than spending itself on unknown flags. Built once:
/// building clap's command tree costs more than a parse.
fn subcommands() -> &'static [(String, Vec<String>)] {
    static ALL: OnceLock<Vec<(String, Vec<String>)>> = OnceLock::new();
    ALL.get_or_init(|| {
        // Subcommands get their arguments only when built.
        let mut cli = Cli::command();
        cli.build();
        cli.get_subcommands()
            .map(|sub| {
                let mut options: Vec<String> = sub
                    .get_arguments()
                    .chain(cli.get_arguments())
                    .filter_map(|arg| arg.get_long().map(|long| format!("--{long}")))
                    .collect();
                options.extend(["-".to_string(), "--".to_string()]);
                (sub.get_name().to_string(), options)
            })
            .collect()
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let all = subcommands();
    let (name, options) = &all[usize::from(pick) % all.len()];
    let mut argv = vec![OsString::from("sockscope"), OsString::from(name)];
    // Arguments are NUL-separated; one starting with byte 1 is the option its next byte picks.
    for piece in rest.split(|&b| b == 0) {
        match piece {
            [1, which, value @ ..] => {
                argv.push(options[usize::from(*which) % options.len()].clone().into());
                if !value.is_empty() {
                    argv.push(OsString::from_vec(value.to_vec()));
                }
            }
            _ => argv.push(OsString::from_vec(piece.to_vec())),
        }
    }
    match Cli::parse_args(argv) {
        Ok(parsed) => {
            // What the run would start from: the name and the format.
            assert_eq!(parsed.command.name(), name);
            let _ = parsed.command.output().map(|output| output.format());
        }
        Err(err) => {
            let _ = err.render().to_string();
        }
    }
});
