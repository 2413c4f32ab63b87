//! Where a batch's keys come from: the command line, standard input (`-`) and `--file`, read lazily.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

/// One line of input as a key: surrounding white space trimmed; `None` for blank lines and
/// `#` comments. Bytes that are not UTF-8 are kept, so validation can name them.
pub fn key_of_line(line: &[u8]) -> Option<OsString> {
    let line = line.trim_ascii();
    if line.is_empty() || line.starts_with(b"#") {
        return None;
    }
    Some(OsString::from_vec(line.to_vec()))
}

/// Keys from a reader, one per line, never holding more than one line in memory.
fn lines(
    reader: impl BufRead + Send + 'static,
) -> impl Iterator<Item = io::Result<OsString>> + Send {
    reader
        .split(b'\n')
        .filter_map(|line| line.map(|l| key_of_line(&l)).transpose())
}

type Keys = Box<dyn Iterator<Item = io::Result<OsString>> + Send>;

/// Every key in order: the command-line keys (a `-` stands for standard input's lines, read
/// where it stands), then the lines of `file`. The file is opened at once, so a missing file
/// is reported before any lookup is made.
pub fn keys(args: &[OsString], file: Option<&Path>) -> io::Result<Keys> {
    let file_keys: Option<Keys> = match file {
        Some(path) => {
            let file = File::open(path)?;
            Some(Box::new(lines(BufReader::new(file))))
        }
        None => None,
    };
    let mut out: Keys = Box::new(std::iter::empty());
    for arg in args.iter().cloned() {
        let next: Keys = if arg == "-" {
            Box::new(lines(BufReader::new(io::stdin())))
        } else {
            Box::new(std::iter::once(Ok(arg)))
        };
        out = Box::new(out.chain(next));
    }
    if let Some(file_keys) = file_keys {
        out = Box::new(out.chain(file_keys));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_lines_and_comments_are_skipped() {
        assert_eq!(key_of_line(b"  ssh \r"), Some("ssh".into()));
        assert_eq!(key_of_line(b"   "), None);
        assert_eq!(key_of_line(b"# a comment"), None);
        assert_eq!(key_of_line(b"  # indented comment"), None);
        assert_eq!(
            key_of_line(b"localhost http"),
            Some("localhost http".into())
        );
    }

    #[test]
    fn lines_stream_in_order() {
        let input = io::Cursor::new(b"a\n\n# c\nb\r\nc".to_vec());
        let got: Vec<OsString> = lines(input).filter_map(Result::ok).collect();
        assert_eq!(got, vec![OsString::from("a"), "b".into(), "c".into()]);
    }
}
