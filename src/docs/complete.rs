//! Completion scripts: clap_complete's, told the values of each option, and for bash the names
//! in the system's services and protocols databases.

use clap::builder::PossibleValuesParser;
use clap::{Arg, Command, ValueHint};
use clap_complete::Shell;

use crate::text::symbols;

/// The completion script for `shell`.
pub fn script(shell: Shell, command: Command) -> Vec<u8> {
    // Subcommands get their arguments only when built.
    let mut command = command;
    command.build();
    let mut command = with_values(command);
    let name = command.get_name().to_string();
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, &name, &mut script);
    if shell == Shell::Bash {
        let text = String::from_utf8_lossy(&script).into_owned();
        // clap's function stays as the fallback; ours, under its name, comes first.
        let text = text.replacen(&format!("_{name}() {{"), &format!("_{name}_clap() {{"), 1);
        let mut text = text;
        text.push_str(&bash_extra(&command));
        script = text.into_bytes();
    }
    script
}

/// The names of a constants group as typed on the command line: `inet6` for AF_INET6.
fn names(group: &str) -> Vec<String> {
    symbols::all()
        .iter()
        .filter(|(g, name, _)| *g == group && !matches!(*name, "NI_MAXHOST" | "NI_MAXSERV"))
        .map(|(_, name, _)| name.trim_start_matches(group).to_ascii_lowercase())
        .collect()
}

/// The words an option's value may be, by its long name and subcommand; `None` for options
/// whose values cannot be listed.
fn values_of(subcommand: &str, long: &str) -> Option<Vec<String>> {
    match long {
        "family" => Some(names("AF_")),
        "type" => Some(names("SOCK_")),
        "proto" => Some(names("IPPROTO_")),
        "flags" if subcommand == "nameinfo" => Some(names("NI_")),
        "flags" => Some(names("AI_")),
        _ => None,
    }
}

/// `command` with the values of `--family`, `--type`, `--proto` and `--flags` listed for
/// completion, and every argument that is not a path marked as such, so no shell offers file
/// names for a host or a port. Only completion sees this: parsing keeps its own parsers.
fn with_values(command: Command) -> Command {
    let subcommands: Vec<String> = command
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    let mut command = command;
    for name in subcommands {
        command = command.mut_subcommand(&name, |sub| {
            let ids: Vec<String> = sub
                .get_arguments()
                .map(|a| a.get_id().to_string())
                .collect();
            let mut sub = sub;
            for id in ids {
                let sub_name = sub.get_name().to_string();
                sub = sub.mut_arg(&id, |arg| completing(&sub_name, arg));
            }
            sub
        });
    }
    command
}

fn completing(subcommand: &str, arg: Arg) -> Arg {
    let listed = arg.get_long().and_then(|long| values_of(subcommand, long));
    if let Some(values) = listed {
        // The defaults ("0", "unspec") stay the parser's business; completion needs only names.
        return arg
            .value_parser(PossibleValuesParser::new(values))
            .default_value(None::<&str>);
    }
    match arg.get_value_hint() {
        ValueHint::Unknown if arg.get_possible_values().is_empty() => {
            arg.value_hint(ValueHint::Other)
        }
        _ => arg,
    }
}

/// Bash only: a function in front of clap's that completes the items of a comma-separated
/// `--flags` list, protocol names for `-p`/`--proto` and `protobyname`, and service names for
/// `servbyname` and addrinfo's SERVICE, from the databases (`getent`, else the /etc files).
fn bash_extra(command: &Command) -> String {
    let mut takes = String::new();
    for sub in command.get_subcommands() {
        let options: Vec<String> = sub
            .get_arguments()
            .filter(|a| !a.is_positional() && a.get_num_args().is_some_and(|n| n.takes_values()))
            .flat_map(|a| {
                let mut spellings = Vec::new();
                if let Some(short) = a.get_short() {
                    spellings.push(format!("-{short}"));
                }
                if let Some(long) = a.get_long() {
                    spellings.push(format!("--{long}"));
                }
                spellings
            })
            .collect();
        takes.push_str(&format!(
            "        {}) takes=\"{}\" ;;\n",
            sub.get_name(),
            options.join(" ")
        ));
    }
    BASH_EXTRA
        .replace("@TAKES@", &takes)
        .replace("@AI@", &names("AI_").join(" "))
        .replace("@NI@", &names("NI_").join(" "))
        .replace("@NAME@", command.get_name())
}

const BASH_EXTRA: &str = r#"
# Names from the system's databases, which a static script cannot hold.
_@NAME@_names() {
    { getent "$1" 2>/dev/null || cat "/etc/$1" 2>/dev/null; } | awk '!/^#/ && NF { print $1 }' | sort -u
}

_@NAME@() {
    local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}"
    local sub="${COMP_WORDS[1]}" takes="" words="" head="" i n=0 skip=0
    case "$sub" in
@TAKES@    esac
    if [[ $COMP_CWORD -ge 2 ]]; then
        case "$prev" in
            --flags)
                [[ "$sub" == nameinfo ]] && words="@NI@" || words="@AI@"
                [[ "$cur" == *,* ]] && head="${cur%,*},"
                COMPREPLY=($(compgen -P "$head" -W "$words" -- "${cur##*,}"))
                return 0 ;;
            -p|--proto)
                COMPREPLY=($(compgen -W "$(_@NAME@_names protocols)" -- "$cur"))
                return 0 ;;
        esac
        if [[ "$cur" != -* && " $takes " != *" $prev "* ]]; then
            # Which positional argument this is: words that are neither options nor their values.
            for ((i = 2; i < COMP_CWORD; i++)); do
                if ((skip)); then skip=0; continue; fi
                case "${COMP_WORDS[i]}" in
                    -*=*) ;;
                    -*) [[ " $takes " == *" ${COMP_WORDS[i]} "* ]] && skip=1 ;;
                    *) n=$((n + 1)) ;;
                esac
            done
            case "$sub:$n" in
                servbyname:*) words="$(_@NAME@_names services)" ;;
                protobyname:*) words="$(_@NAME@_names protocols)" ;;
                addrinfo:1) words="$(_@NAME@_names services)" ;;
            esac
            if [[ -n "$words" ]]; then
                COMPREPLY=($(compgen -W "$words" -- "$cur"))
                return 0
            fi
        fi
    fi
    _@NAME@_clap "$@"
}
"#;
