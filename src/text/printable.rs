//! Text for one stderr line: control characters escaped and length capped, whatever a key holds.

/// Text for one stderr line: control characters escaped, since a key with a newline in it must
/// not split its error in two, and at most `max` characters shown (escapes counted as they are
/// shown), with the full length noted.
pub fn printable(text: &str, max: usize) -> String {
    let mut out = String::new();
    let mut shown = 0;
    for c in text.chars() {
        let piece: String = if c.is_control() {
            c.escape_default().collect()
        } else {
            c.to_string()
        };
        let width = piece.chars().count();
        if shown + width > max {
            out.push_str(&format!("... ({} bytes)", text.len()));
            break;
        }
        shown += width;
        out.push_str(&piece);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::printable;

    #[test]
    fn error_lines_stay_one_short_line() {
        assert_eq!(printable("a\nb\tc\u{1b}", 100), "a\\nb\\tc\\u{1b}");
        assert_eq!(printable("abcdef", 3), "abc... (6 bytes)");
        assert_eq!(printable("ünï", 3), "ünï");
        // Found by fuzz/validators: escapes used to be counted as one character each, so 200
        // control characters made a 1200-character line.
        let controls = "\u{1}".repeat(300);
        assert!(printable(&controls, 200).chars().count() <= 200 + 20);
        assert_eq!(printable("\n\n", 3), "\\n... (2 bytes)");
    }
}
