//! Where a batch's keys come from: the command line, standard input (`-`) and `--file`, read lazily.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, BufRead, BufReader};
use std::os::unix::ffi::OsStringExt;
use std::path::Path;

/// The longest line of batch input taken as a key. A host name is at most 253 bytes and a
/// service far shorter, so this leaves room for any real key (with its service) while a stream
/// without newlines (`/dev/zero`) costs at most this much memory.
pub const MAX_LINE: usize = 64 * 1024;

/// How much of an over-long line is kept to name it in its error record.
pub const SHOWN_OF_LONG_LINE: usize = 40;

/// One key of batch input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Key {
    /// A key to look up.
    Text(OsString),
    /// A line longer than `MAX_LINE`, skipped up to its newline; it holds the line's start.
    TooLong(OsString),
}

/// One line of input as a key: surrounding white space trimmed; `None` for blank lines and
/// `#` comments. Bytes that are not UTF-8 are kept, so validation can name them.
pub fn key_of_line(line: &[u8]) -> Option<OsString> {
    let line = line.trim_ascii();
    if line.is_empty() || line.starts_with(b"#") {
        return None;
    }
    Some(OsString::from_vec(line.to_vec()))
}

/// Read one line (without its newline) into `line`, keeping at most `cap` bytes of it; the rest
/// up to the newline is read and dropped. Returns how many bytes the line had, or `None` at the
/// end of input.
pub fn read_capped(
    reader: &mut impl BufRead,
    line: &mut Vec<u8>,
    cap: usize,
) -> io::Result<Option<usize>> {
    line.clear();
    let mut total = 0usize;
    let mut any = false;
    loop {
        let buf = match reader.fill_buf() {
            Ok(buf) => buf,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => return Err(err),
        };
        if buf.is_empty() {
            return Ok(any.then_some(total));
        }
        any = true;
        let (part, used, ended) = match buf.iter().position(|&b| b == b'\n') {
            Some(at) => (&buf[..at], at + 1, true),
            None => (buf, buf.len(), false),
        };
        let room = cap.saturating_sub(line.len());
        line.extend_from_slice(&part[..part.len().min(room)]);
        total = total.saturating_add(part.len());
        reader.consume(used);
        if ended {
            return Ok(Some(total));
        }
    }
}

/// Keys from a reader, one per line, never holding more than one line (of at most `MAX_LINE`
/// bytes) in memory.
pub struct Lines<B> {
    reader: B,
    line: Vec<u8>,
}

impl<B: BufRead> Iterator for Lines<B> {
    type Item = io::Result<Key>;

    fn next(&mut self) -> Option<io::Result<Key>> {
        loop {
            match read_capped(&mut self.reader, &mut self.line, MAX_LINE) {
                Err(err) => return Some(Err(err)),
                Ok(None) => return None,
                Ok(Some(len)) if len > MAX_LINE => {
                    // A long comment is still a comment: its start, which is kept, says so.
                    if self.line.trim_ascii_start().starts_with(b"#") {
                        continue;
                    }
                    let start = &self.line[..SHOWN_OF_LONG_LINE.min(self.line.len())];
                    return Some(Ok(Key::TooLong(OsString::from_vec(start.to_vec()))));
                }
                Ok(Some(_)) => {
                    if let Some(key) = key_of_line(&self.line) {
                        return Some(Ok(Key::Text(key)));
                    }
                }
            }
        }
    }
}

/// The keys of `reader`'s lines, as a key file or standard input gives them.
pub fn lines<B: BufRead>(reader: B) -> Lines<B> {
    Lines {
        reader,
        line: Vec::new(),
    }
}

type Reader = Lines<Box<dyn BufRead + Send>>;

fn stdin_lines() -> Reader {
    lines(Box::new(BufReader::new(io::stdin())))
}

/// Every key in order: the command-line keys (a `-` stands for standard input's lines, read
/// where it stands), then the lines of the file. One flat iterator whatever the number of
/// keys, so a key costs the same from the command line as from a file.
pub struct Keys {
    args: std::vec::IntoIter<OsString>,
    /// Standard input while a `-` is being read.
    stdin: Option<Reader>,
    /// The file's lines, read once the command-line keys are done.
    file: Option<Reader>,
}

impl Iterator for Keys {
    type Item = io::Result<Key>;

    fn next(&mut self) -> Option<io::Result<Key>> {
        loop {
            if let Some(stdin) = &mut self.stdin {
                match stdin.next() {
                    Some(item) => return Some(item),
                    None => self.stdin = None,
                }
            }
            match self.args.next() {
                Some(arg) if arg == "-" => self.stdin = Some(stdin_lines()),
                Some(arg) => return Some(Ok(Key::Text(arg))),
                None => break,
            }
        }
        let item = self.file.as_mut()?.next();
        if item.is_none() {
            // Never read again after the end: a terminal would wait for a second end-of-file.
            self.file = None;
        }
        item
    }

    /// Exact when only command-line keys are left, so a batch knows its end without reading
    /// past the last key (which a worker stuck in a lookup given up on could not do).
    fn size_hint(&self) -> (usize, Option<usize>) {
        let args = self.args.len();
        let exact = self.stdin.is_none()
            && self.file.is_none()
            && !self.args.as_slice().iter().any(|arg| arg == "-");
        (args, exact.then_some(args))
    }
}

/// The keys of `args` and then of `file`. The file is opened at once, so a missing file (or a
/// directory) is reported before any lookup is made; `-` as the file is standard input.
pub fn keys(args: &[OsString], file: Option<&Path>) -> io::Result<Keys> {
    let file: Option<Reader> = match file {
        Some(path) if path.as_os_str() == "-" => Some(stdin_lines()),
        Some(path) => {
            let file = File::open(path)?;
            if file.metadata()?.is_dir() {
                return Err(io::Error::from_raw_os_error(libc::EISDIR));
            }
            Some(lines(Box::new(BufReader::new(file))))
        }
        None => None,
    };
    Ok(Keys {
        args: Vec::from(args).into_iter(),
        stdin: None,
        file,
    })
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

    fn texts(input: &[u8]) -> Vec<Key> {
        lines(io::Cursor::new(input.to_vec()))
            .filter_map(Result::ok)
            .collect()
    }

    #[test]
    fn lines_stream_in_order() {
        let got = texts(b"a\n\n# c\nb\r\nc");
        let want: Vec<Key> = ["a", "b", "c"]
            .iter()
            .map(|k| Key::Text(k.into()))
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn an_over_long_line_is_one_key_and_the_next_line_is_read() {
        let mut input = b"ssh\n".to_vec();
        input.extend(std::iter::repeat_n(b'a', MAX_LINE + 1));
        input.extend(b"\nhttp\n");
        input.extend(std::iter::repeat_n(b'b', MAX_LINE));
        input.extend(b"\n#");
        input.extend(std::iter::repeat_n(b'c', MAX_LINE));
        input.extend(b"\n");
        let got = texts(&input);
        assert_eq!(got.len(), 4, "{:?}", &got[..1]);
        assert_eq!(got[0], Key::Text("ssh".into()));
        assert_eq!(got[1], Key::TooLong("a".repeat(SHOWN_OF_LONG_LINE).into()));
        assert_eq!(got[2], Key::Text("http".into()));
        // Exactly the cap is still a key.
        assert_eq!(got[3], Key::Text("b".repeat(MAX_LINE).into()));
    }

    #[test]
    fn read_capped_keeps_at_most_the_cap_through_small_buffers() {
        let input = [vec![b'x'; 10_000], b"\nend".to_vec()].concat();
        let mut reader = BufReader::with_capacity(7, io::Cursor::new(input));
        let mut line = Vec::new();
        assert_eq!(
            read_capped(&mut reader, &mut line, 100).ok(),
            Some(Some(10_000))
        );
        assert_eq!(line.len(), 100);
        assert_eq!(read_capped(&mut reader, &mut line, 100).ok(), Some(Some(3)));
        assert_eq!(line, b"end");
        assert_eq!(read_capped(&mut reader, &mut line, 100).ok(), Some(None));
    }

    #[test]
    fn command_line_keys_are_one_flat_iterator() {
        let args: Vec<OsString> = (0..100_000).map(|i| i.to_string().into()).collect();
        let keys = keys(&args, None).map(|k| k.count()).ok();
        assert_eq!(keys, Some(100_000));
    }

    #[test]
    fn command_line_keys_alone_are_counted_exactly() {
        let args: Vec<OsString> = ["a", "b"].iter().map(OsString::from).collect();
        assert_eq!(
            keys(&args, None).map(|k| k.size_hint()).ok(),
            Some((2, Some(2)))
        );
        let with_stdin: Vec<OsString> = ["a", "-"].iter().map(OsString::from).collect();
        assert_eq!(
            keys(&with_stdin, None).map(|k| k.size_hint().1).ok(),
            Some(None)
        );
        let file = keys(&args, Some(Path::new("/dev/null"))).map(|k| k.size_hint().1);
        assert_eq!(file.ok(), Some(None));
    }

    #[test]
    fn a_directory_is_not_a_key_file() {
        let err = keys(&[], Some(Path::new("/")))
            .err()
            .map(|e| e.raw_os_error());
        assert_eq!(err, Some(Some(libc::EISDIR)));
    }
}
