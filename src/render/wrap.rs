//! How wide output may be, and lines wrapped to it under a label.

use std::io::IsTerminal;

/// What output fits when nothing says otherwise: a pipe, a file, a terminal of unknown size.
pub const DEFAULT_WIDTH: usize = 80;

/// The width output should fit: `COLUMNS` when it holds a positive number (the shell sets it,
/// and tests pin it), else the terminal's when stdout is one, else 80.
pub fn terminal_width() -> usize {
    let columns = std::env::var("COLUMNS").ok();
    width_from(columns.as_deref(), || {
        let stdout = std::io::stdout();
        if stdout.is_terminal() {
            terminal_size::terminal_size_of(&stdout).map(|(w, _)| usize::from(w.0))
        } else {
            None
        }
    })
}

fn width_from(columns: Option<&str>, terminal: impl FnOnce() -> Option<usize>) -> usize {
    columns
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|&w| w > 0)
        .or_else(terminal)
        .filter(|&w| w > 0)
        .unwrap_or(DEFAULT_WIDTH)
}

/// `text` wrapped at `width` between words: the first line after `first`, the others after
/// `rest` (the same width, so the text lines up). Every line ends with a newline; a word
/// longer than a line stays whole rather than being cut where it would no longer read.
pub fn wrap_hanging(first: &str, rest: &str, text: &str, width: usize) -> String {
    let options = textwrap::Options::new(width.max(first.len() + 1))
        .initial_indent(first)
        .subsequent_indent(rest)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace);
    let mut out = String::new();
    for line in textwrap::wrap(text, options) {
        out.push_str(line.trim_end());
        out.push('\n');
    }
    if out.is_empty() {
        out.push_str(first.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_wins_then_the_terminal_then_80() {
        assert_eq!(width_from(Some("120"), || Some(60)), 120);
        assert_eq!(width_from(Some("junk"), || Some(60)), 60);
        assert_eq!(width_from(Some("0"), || None), 80);
        assert_eq!(width_from(None, || None), 80);
    }

    #[test]
    fn lines_wrap_under_their_label() {
        let text = wrap_hanging("C:      ", "        ", "f(aaaa, bbbb, cccc)", 16);
        assert_eq!(text, "C:      f(aaaa,\n        bbbb,\n        cccc)\n");
        let long = wrap_hanging("> ", "  ", "averyveryverylongword x", 8);
        assert_eq!(long, "> averyveryverylongword\n  x\n");
    }
}
