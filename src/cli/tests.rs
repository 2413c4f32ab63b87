//! The command line's own checks: clap's debug assertions, names, and the exit codes help and man share.

use super::*;
use clap::CommandFactory;

/// The help's list and the man page's say the same, whitespace aside.
#[test]
fn exit_codes_agree_between_help_and_man() {
    let words = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let help = words(EXIT_CODES_HELP);
    for (code, meaning) in EXIT_CODES {
        let line = words(&format!("{code} {meaning}"));
        assert!(help.contains(&line), "{line}");
    }
    assert!(help.ends_with(&words(EXIT_NOTE)));
}

#[test]
fn cli_definition_is_consistent() {
    Cli::command().debug_assert();
}

/// Error lines name the subcommand by `Command::name`: it must be the name it is typed as.
#[test]
fn every_subcommand_knows_its_own_name() {
    let mut command = Cli::command();
    command.build();
    let mut seen = 0;
    for sub in command.get_subcommands() {
        let name = sub.get_name();
        if name == "help" {
            continue;
        }
        // A value for every positional argument: the first allowed one, or a number.
        let mut argv = vec!["sockscope".to_string(), name.to_string()];
        for arg in sub.get_arguments().filter(|a| a.is_positional()) {
            let value = arg
                .get_possible_values()
                .first()
                .map_or_else(|| "1".to_string(), |v| v.get_name().to_string());
            argv.push(value);
        }
        let cli = Cli::parse_args(&argv).unwrap_or_else(|e| panic!("{argv:?}: {e}"));
        assert_eq!(cli.command.name(), name);
        seen += 1;
    }
    assert!(seen >= 16, "only {seen} subcommands");
}
