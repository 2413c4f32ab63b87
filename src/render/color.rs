//! When tables get colour, and which: decided once from `--color`, NO_COLOR and the terminal.

use std::ffi::OsStr;

use anstyle::{AnsiColor, Style};

/// `--color`: whether tables may use ANSI colour.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// Colour only when stdout is a terminal and NO_COLOR is not set.
    #[default]
    Auto,
    /// Colour even into a pipe or file (an explicit request wins over NO_COLOR).
    Always,
    /// Never colour.
    Never,
}

impl ColorChoice {
    /// The decision for this run. `no_color` is the NO_COLOR variable, which no-color.org says
    /// counts only when set and not empty; taken as arguments so the rule can be tested.
    pub fn enabled(self, stdout_is_terminal: bool, no_color: Option<&OsStr>) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => stdout_is_terminal && no_color.is_none_or(OsStr::is_empty),
        }
    }
}

/// The header row: bold, so the column names stand apart from the data.
const HEADER: Style = Style::new().bold();

/// The style for a cell, by column and content: address families get one colour each so IPv4
/// and IPv6 rows are told apart at a glance; everything else stays plain.
fn cell_style(column: &str, text: &str) -> Style {
    let color = match (column, text) {
        ("family", "AF_INET") => AnsiColor::Green,
        ("family", "AF_INET6") => AnsiColor::Cyan,
        ("family", "AF_UNIX") => AnsiColor::Yellow,
        ("family", _) => AnsiColor::Magenta,
        _ => return Style::new(),
    };
    Style::new().fg_color(Some(color.into()))
}

fn paint(style: Style, text: &str) -> String {
    if style == Style::new() || text.is_empty() {
        text.to_string()
    } else {
        format!("{style}{text}{style:#}")
    }
}

/// The symbolic code of a failed key (`EAI_NONAME`) on its stderr line: red, so a failure in a
/// batch stands out from the table above it.
pub fn error_code(text: &str) -> String {
    paint(
        Style::new().bold().fg_color(Some(AnsiColor::Red.into())),
        text,
    )
}

/// What a story must not let the eye miss (the source that answered, the deciding rule): bold.
pub fn highlight(text: &str) -> String {
    paint(Style::new().bold(), text)
}

/// The header cell with its style.
pub fn header(text: &str) -> String {
    paint(HEADER, text)
}

/// A data cell with the style its column and content call for.
pub fn cell(column: &str, text: &str) -> String {
    paint(cell_style(column, text), text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auto_needs_a_terminal_and_no_no_color() {
        let set = Some(OsStr::new("1"));
        let empty = Some(OsStr::new(""));
        assert!(ColorChoice::Auto.enabled(true, None));
        assert!(ColorChoice::Auto.enabled(true, empty));
        assert!(!ColorChoice::Auto.enabled(true, set));
        assert!(!ColorChoice::Auto.enabled(false, None));
        assert!(ColorChoice::Always.enabled(false, set));
        assert!(!ColorChoice::Never.enabled(true, None));
    }

    #[test]
    fn families_are_coloured_and_other_cells_are_not() {
        assert!(cell("family", "AF_INET6").contains('\u{1b}'));
        assert_eq!(cell("address", "::1"), "::1");
        assert_eq!(cell("family", ""), "");
        assert!(header("query").starts_with("\u{1b}[1m"));
    }
}
